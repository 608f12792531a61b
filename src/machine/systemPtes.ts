import { MachineError } from './errors.js';

const PAGE = 0x1000n;

/**
 * Hands out page ranges of the system PTE region (where MmMapIoSpace puts its
 * mappings on Windows). Each range is followed by one page left unmapped, so
 * an overrun past a mapping faults instead of reaching its neighbour. Freed
 * ranges are reused first-fit.
 */
export class SystemPteRegion {
  /** Free extents [start, end) in ascending order, guard pages included. */
  private readonly free: Array<{ start: bigint; end: bigint }>;
  /** Live ranges: first page VA → pages handed out (the guard page not counted). */
  private readonly live = new Map<bigint, number>();

  constructor(
    readonly base: bigint,
    readonly bytes: bigint,
  ) {
    this.free = [{ start: base, end: base + bytes }];
  }

  contains(va: bigint): boolean {
    return va >= this.base && va < this.base + this.bytes;
  }

  /**
   * First page of a free range of `pages` pages whose every page `isFree`
   * accepts (someone may have mapped inside the region by hand); undefined when
   * the region has no such range.
   */
  reserve(pages: number, isFree: (va: bigint) => boolean): bigint | undefined {
    const need = BigInt(pages + 1) * PAGE;
    for (const [i, extent] of this.free.entries()) {
      let start = extent.start;
      while (extent.end - start >= need) {
        const busy = firstBusy(start, pages, isFree);
        if (busy === undefined) {
          this.take(i, start, start + need);
          this.live.set(start, pages);
          return start;
        }
        start = busy + PAGE;
      }
    }
    return undefined;
  }

  /** Pages of the live range starting at `va`, or undefined when no range starts there. */
  pagesAt(va: bigint): number | undefined {
    return this.live.get(va);
  }

  release(va: bigint): void {
    const pages = this.live.get(va);
    if (pages === undefined)
      throw new MachineError('E_MACHINE_ARGUMENT', `0x${va.toString(16)} is not the start of a system PTE range`, {
        va,
      });
    this.live.delete(va);
    this.give(va, va + BigInt(pages + 1) * PAGE);
  }

  private take(i: number, start: bigint, end: bigint): void {
    const extent = this.free[i]!;
    const pieces = [];
    if (extent.start < start) pieces.push({ start: extent.start, end: start });
    if (end < extent.end) pieces.push({ start: end, end: extent.end });
    this.free.splice(i, 1, ...pieces);
  }

  private give(start: bigint, end: bigint): void {
    let i = this.free.findIndex((e) => e.start > start);
    if (i < 0) i = this.free.length;
    this.free.splice(i, 0, { start, end });
    // Merge with neighbours so a long run of map/unmap does not fragment the region.
    if (i + 1 < this.free.length && this.free[i]!.end === this.free[i + 1]!.start) {
      this.free[i]!.end = this.free[i + 1]!.end;
      this.free.splice(i + 1, 1);
    }
    if (i > 0 && this.free[i - 1]!.end === this.free[i]!.start) {
      this.free[i - 1]!.end = this.free[i]!.end;
      this.free.splice(i, 1);
    }
  }
}

function firstBusy(start: bigint, pages: number, isFree: (va: bigint) => boolean): bigint | undefined {
  for (let i = 0; i < pages; i++) {
    const va = start + BigInt(i) * PAGE;
    if (!isFree(va)) return va;
  }
  return undefined;
}
