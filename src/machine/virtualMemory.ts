import { isCanonical } from '../format/index.js';
import type { AddressSpace } from './addressSpace.js';
import { MachineError, PageFault, type MemoryAccess } from './errors.js';
import type { MachineGuard } from './guard.js';
import type { PhysicalMemory } from './physical.js';

const MAX_ACCESS = 0x4000000;

interface Piece { pa: bigint; length: number }

/**
 * Virtual memory of one address space: every access is translated through the
 * page tables first, then shown to the guard, and only then touches RAM.
 * The machine's own bookkeeping (building the module list, pool headers)
 * uses the `unguarded` variants: it is the model, not code running at HIGH_LEVEL.
 */
export class VirtualMemory {
  constructor(
    private readonly physical: PhysicalMemory,
    private readonly space: AddressSpace,
    private readonly guard: () => MachineGuard | null,
  ) {}

  read(va: bigint, length: number): Uint8Array {
    // Most accesses are a field or a small structure inside one page: no piece list needed.
    const page = this.onePage(va, length, 'read');
    if (page) {
      this.guard()?.onAccess(va, length, 'read', page.pageable);
      return this.physical.read(page.pa | (va & 0xFFFn), length);
    }
    const { pieces, pageable } = this.resolve(va, length, 'read');
    this.guard()?.onAccess(va, length, 'read', pageable);
    return this.gather(pieces, length);
  }

  write(va: bigint, data: Uint8Array): void {
    const page = this.onePage(va, data.length, 'write');
    if (page) {
      this.guard()?.onAccess(va, data.length, 'write', page.pageable);
      this.physical.write(page.pa | (va & 0xFFFn), data);
      return;
    }
    const { pieces, pageable } = this.resolve(va, data.length, 'write');
    this.guard()?.onAccess(va, data.length, 'write', pageable);
    this.scatter(pieces, data);
  }

  readUnguarded(va: bigint, length: number): Uint8Array {
    return this.gather(this.resolve(va, length, 'read').pieces, length);
  }

  writeUnguarded(va: bigint, data: Uint8Array): void {
    this.scatter(this.resolve(va, data.length, 'write').pieces, data);
  }

  isValid(va: bigint): boolean {
    return this.space.translate(va) !== undefined;
  }

  /** The page of an access that fits in one mapped 4 KiB page; undefined sends it down the general path (which also raises the faults). */
  private onePage(va: bigint, length: number, access: MemoryAccess): { pa: bigint; pageable: boolean } | undefined {
    if (length <= 0 || length > 0x1000 || Number(va & 0xFFFn) + length > 0x1000) return undefined;
    const t = this.space.translatePage(va);
    if (!t || (access === 'write' && !t.writable)) return undefined;
    return t;
  }

  private resolve(va: bigint, length: number, access: MemoryAccess): { pieces: Piece[]; pageable: boolean } {
    if (!Number.isInteger(length) || length < 0 || length > MAX_ACCESS) {
      throw new MachineError('E_MACHINE_ARGUMENT', `bad access length ${length}`, { va, length });
    }
    const pieces: Piece[] = [];
    let pageable = false;
    let cursor = va;
    let remaining = length;
    while (remaining > 0) {
      if (cursor < 0n || cursor > 0xFFFF_FFFF_FFFF_FFFFn || !isCanonical(cursor)) {
        throw new PageFault(BigInt.asUintN(64, cursor), access, 'non-canonical');
      }
      const page = this.space.translatePage(cursor);
      if (!page) throw new PageFault(cursor, access, 'not-mapped');
      const t = { ...page, pa: page.pa | (cursor & 0xFFFn) };
      if (access === 'write' && !t.writable) throw new PageFault(cursor, access, 'read-only');
      pageable ||= t.pageable;
      const inPage = t.pageSize - Number(cursor & BigInt(t.pageSize - 1));
      const chunk = Math.min(inPage, remaining);
      pieces.push({ pa: t.pa, length: chunk });
      cursor += BigInt(chunk);
      remaining -= chunk;
    }
    return { pieces, pageable };
  }

  private gather(pieces: Piece[], length: number): Uint8Array {
    if (pieces.length === 1) return this.physical.read(pieces[0]!.pa, length);
    const out = new Uint8Array(length);
    let done = 0;
    for (const p of pieces) {
      out.set(this.physical.read(p.pa, p.length), done);
      done += p.length;
    }
    return out;
  }

  private scatter(pieces: Piece[], data: Uint8Array): void {
    let done = 0;
    for (const p of pieces) {
      this.physical.write(p.pa, data.subarray(done, done + p.length));
      done += p.length;
    }
  }
}
