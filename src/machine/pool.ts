import type { AddressSpace } from './addressSpace.js';
import { MachineError } from './errors.js';
import type { PhysicalMemory } from './physical.js';
import {
  POOL_FLAG_CACHE_ALIGNED,
  POOL_FLAG_NON_PAGED,
  POOL_FLAG_NON_PAGED_EXECUTE,
  POOL_FLAG_PAGED,
  POOL_FLAG_RAISE_ON_FAILURE,
  POOL_FLAG_UNINITIALIZED,
  POOL_FLAG_USE_QUOTA,
} from './poolFlags.js';
import type { VirtualMemory } from './virtualMemory.js';

export type PoolKind = 'nonpaged' | 'nonpagedExecute' | 'paged';

/** One live pool allocation, as the model tracks it (Windows keeps the same facts in headers and the big-page table). */
export interface PoolAllocation {
  va: bigint;
  kind: PoolKind;
  numberOfBytes: number;
  tag: number;
  /** Page-aligned allocation without a POOL_HEADER (more than POOL_SMALL_LIMIT bytes). */
  big: boolean;
}

/** Per-tag counters, as PoolTrackTable keeps them (bytes are block sizes in use: header and rounding included). */
export interface PoolTagStatistics {
  nonPagedAllocs: number;
  nonPagedFrees: number;
  nonPagedBytes: number;
  pagedAllocs: number;
  pagedFrees: number;
  pagedBytes: number;
}

/** Bug check 0xC2 and the STATUS a raising allocation reports, kept in the error details for the kernel layer. */
export const BAD_POOL_CALLER = 0xc2;
export const STATUS_INSUFFICIENT_RESOURCES = 0xc000009a;

/** A pool request the machine refuses: a raising allocation that failed, or a bad free. */
export class PoolError extends MachineError {}

const PAGE = 0x1000;
const POOL_HEADER_SIZE = 16;
/** Largest request served from a shared page with a POOL_HEADER; bigger ones get whole pages. */
export const POOL_SMALL_LIMIT = PAGE - POOL_HEADER_SIZE * 2;
const CACHE_LINE = 64;
const KNOWN_FLAGS =
  POOL_FLAG_USE_QUOTA |
  POOL_FLAG_UNINITIALIZED |
  POOL_FLAG_CACHE_ALIGNED |
  POOL_FLAG_RAISE_ON_FAILURE |
  POOL_FLAG_NON_PAGED |
  POOL_FLAG_NON_PAGED_EXECUTE |
  POOL_FLAG_PAGED;
/** The largest single request we entertain (a real kernel would fail far earlier). */
const MAX_REQUEST = 0x40_0000_0000;
/** POOL_HEADER.PoolType byte: POOL_TYPE + 1 while allocated, 0 once freed. */
const POOL_TYPE_BYTE: Record<PoolKind, number> = { nonpagedExecute: 1, paged: 2, nonpaged: 1 };

interface Region {
  base: bigint;
  cursor: bigint;
  pageable: boolean;
}
interface OpenPage {
  va: bigint;
  used: number;
  lastUnits: number;
}

/**
 * ExAllocatePool2's model. Small requests are packed into pages behind a
 * 16-byte POOL_HEADER (PreviousSize, PoolIndex, BlockSize in 16-byte units,
 * PoolType, PoolTag, ProcessBilled) as on x64 Windows; requests over
 * POOL_SMALL_LIMIT get fresh page-aligned pages with an unmapped page after
 * them, so an overrun faults. Paged-pool PTEs carry the pageable bit.
 */
export class PoolAllocator {
  private readonly regions: Record<'nonpaged' | 'paged', Region>;
  private readonly open = new Map<PoolKind, OpenPage>();
  private readonly live = new Map<bigint, PoolAllocation>();
  private readonly freeBlocks = new Map<string, bigint[]>();
  private readonly bigPages = new Map<bigint, bigint[]>();
  private readonly tagStats = new Map<number, PoolTagStatistics>();

  constructor(
    private readonly physical: PhysicalMemory,
    private readonly space: AddressSpace,
    private readonly memory: VirtualMemory,
    nonPagedPoolBase: bigint,
    pagedPoolBase: bigint,
  ) {
    this.regions = {
      nonpaged: { base: nonPagedPoolBase, cursor: nonPagedPoolBase, pageable: false },
      paged: { base: pagedPoolBase, cursor: pagedPoolBase, pageable: true },
    };
  }

  get nonPagedPoolStart(): bigint {
    return this.regions.nonpaged.base;
  }
  get nonPagedPoolEnd(): bigint {
    return this.regions.nonpaged.cursor;
  }
  get pagedPoolStart(): bigint {
    return this.regions.paged.base;
  }
  get pagedPoolEnd(): bigint {
    return this.regions.paged.cursor;
  }

  /** Returns 0n when the request cannot be satisfied and does not ask to raise; throws PoolError when it does. */
  allocate(flags: bigint, numberOfBytes: number, tag: number): bigint {
    const failure = this.check(flags, numberOfBytes, tag);
    if (failure) return this.fail(flags, failure, numberOfBytes, tag);
    const kind = poolKind(flags)!;
    const pagesNeeded = numberOfBytes > POOL_SMALL_LIMIT ? Math.ceil(numberOfBytes / PAGE) : 1;
    // Keep a margin for the page tables a new mapping may need, so an allocation never half-succeeds.
    if (BigInt(pagesNeeded + 8) > this.physical.freeCount) {
      return this.fail(flags, 'not enough free physical memory', numberOfBytes, tag);
    }
    const va =
      numberOfBytes > POOL_SMALL_LIMIT
        ? this.allocateBig(kind, numberOfBytes)
        : this.allocateSmall(
            kind,
            numberOfBytes,
            tag,
            (flags & POOL_FLAG_CACHE_ALIGNED) !== 0n,
            (flags & POOL_FLAG_UNINITIALIZED) === 0n,
          );
    this.live.set(va, { va, kind, numberOfBytes, tag, big: numberOfBytes > POOL_SMALL_LIMIT });
    this.count(tag, kind, numberOfBytes, 1);
    return va;
  }

  /** Allocations, frees and bytes in use per tag since boot (what PoolTrackTable records). */
  get tagStatistics(): ReadonlyMap<number, PoolTagStatistics> {
    return this.tagStats;
  }

  /** Pages of paged pool handed out so far (MmPagedPoolCommit). */
  get pagedPoolPages(): number {
    const r = this.regions.paged;
    return Number((r.cursor - r.base) / BigInt(PAGE));
  }

  private count(tag: number, kind: PoolKind, numberOfBytes: number, direction: 1 | -1): void {
    const key = tag & 0x7fff_ffff;
    let s = this.tagStats.get(key);
    if (!s) {
      s = { nonPagedAllocs: 0, nonPagedFrees: 0, nonPagedBytes: 0, pagedAllocs: 0, pagedFrees: 0, pagedBytes: 0 };
      this.tagStats.set(key, s);
    }
    const block =
      numberOfBytes > POOL_SMALL_LIMIT
        ? Math.ceil(numberOfBytes / PAGE) * PAGE
        : Math.ceil((numberOfBytes + POOL_HEADER_SIZE) / POOL_HEADER_SIZE) * POOL_HEADER_SIZE;
    if (kind === 'paged') {
      if (direction > 0) s.pagedAllocs++;
      else s.pagedFrees++;
      s.pagedBytes += direction * block;
    } else {
      if (direction > 0) s.nonPagedAllocs++;
      else s.nonPagedFrees++;
      s.nonPagedBytes += direction * block;
    }
  }

  /** ExFreePoolWithTag: `tag` 0 skips the tag check (ExFreePool). */
  free(va: bigint, tag: number): PoolAllocation {
    const allocation = this.live.get(va);
    if (!allocation) {
      throw new PoolError(
        'E_BAD_POOL_CALLER',
        `ExFreePoolWithTag: 0x${va.toString(16)} is not a live pool allocation`,
        {
          va,
          bugCheckCode: BAD_POOL_CALLER,
        },
      );
    }
    if (tag !== 0 && (tag & 0x7fff_ffff) !== (allocation.tag & 0x7fff_ffff)) {
      throw new PoolError(
        'E_BAD_POOL_CALLER',
        `ExFreePoolWithTag: 0x${va.toString(16)} has tag ${tagText(allocation.tag)}, freed as ${tagText(tag)}`,
        {
          va,
          bugCheckCode: BAD_POOL_CALLER,
          tag: allocation.tag,
          freedWithTag: tag,
        },
      );
    }
    this.live.delete(va);
    this.count(allocation.tag, allocation.kind, allocation.numberOfBytes, -1);
    if (allocation.big) {
      for (const pageVa of this.bigPages.get(va) ?? []) {
        const t = this.space.translate(pageVa)!;
        this.space.unmap(pageVa);
        this.physical.freeFrame(t.pa >> 12n);
      }
      this.bigPages.delete(va);
    } else {
      const header = va - BigInt(POOL_HEADER_SIZE);
      const units = this.memory.readUnguarded(header + 2n, 1)[0]!;
      this.memory.writeUnguarded(header + 3n, Uint8Array.of(0));
      const key = `${allocation.kind}:${units}`;
      const list = this.freeBlocks.get(key) ?? [];
      list.push(header);
      this.freeBlocks.set(key, list);
    }
    return allocation;
  }

  lookup(va: bigint): PoolAllocation | undefined {
    return this.live.get(va);
  }

  allocations(): Iterable<PoolAllocation> {
    return [...this.live.values()].sort((a, b) => (a.va < b.va ? -1 : a.va > b.va ? 1 : 0));
  }

  isPaged(va: bigint): boolean {
    const r = this.regions.paged;
    return va >= r.base && va < r.cursor;
  }

  isNonPaged(va: bigint): boolean {
    const r = this.regions.nonpaged;
    return va >= r.base && va < r.cursor;
  }

  /** Untagged whole pages of nonpaged memory for kernel structures (PRCBs, process and thread blocks). */
  allocatePages(pages: number): bigint {
    return this.allocateBigPages('nonpaged', pages);
  }

  private check(flags: bigint, numberOfBytes: number, tag: number): string | undefined {
    if ((flags & ~KNOWN_FLAGS) !== 0n) return `unknown POOL_FLAGS bits 0x${(flags & ~KNOWN_FLAGS).toString(16)}`;
    if (!poolKind(flags))
      return 'exactly one of POOL_FLAG_NON_PAGED, POOL_FLAG_NON_PAGED_EXECUTE, POOL_FLAG_PAGED is required';
    if (!Number.isSafeInteger(numberOfBytes) || numberOfBytes < 0 || numberOfBytes > MAX_REQUEST)
      return `bad size ${numberOfBytes}`;
    if (tag === 0) return 'a pool tag must not be zero';
    return undefined;
  }

  private fail(flags: bigint, reason: string, numberOfBytes: number, tag: number): bigint {
    if ((flags & POOL_FLAG_RAISE_ON_FAILURE) !== 0n) {
      throw new PoolError(
        'E_POOL_ALLOCATION_FAILED',
        `ExAllocatePool2 raised STATUS_INSUFFICIENT_RESOURCES: ${reason}`,
        {
          flags,
          numberOfBytes,
          tag,
          status: STATUS_INSUFFICIENT_RESOURCES,
        },
      );
    }
    return 0n;
  }

  private allocateSmall(
    kind: PoolKind,
    numberOfBytes: number,
    tag: number,
    cacheAligned: boolean,
    zero: boolean,
  ): bigint {
    const units = Math.max(1, Math.ceil(numberOfBytes / 16)) + 1;
    let header: bigint | undefined;
    if (!cacheAligned) header = this.freeBlocks.get(`${kind}:${units}`)?.pop();
    let previousUnits = 0;
    if (header === undefined) {
      let page = this.open.get(kind);
      const fits = (p: OpenPage): number => {
        const start = cacheAligned ? alignUp(p.used + POOL_HEADER_SIZE, CACHE_LINE) - POOL_HEADER_SIZE : p.used;
        return start + units * 16 <= PAGE ? start : -1;
      };
      if (!page || fits(page) < 0) {
        page = { va: this.allocateBigPages(kind, 1, false), used: 0, lastUnits: 0 };
        this.open.set(kind, page);
      }
      const start = fits(page);
      header = page.va + BigInt(start);
      previousUnits = start === page.used ? page.lastUnits : 0;
      page.used = start + units * 16;
      page.lastUnits = units;
    } else {
      previousUnits = this.memory.readUnguarded(header, 1)[0]!;
    }
    const head = new Uint8Array(POOL_HEADER_SIZE);
    head[0] = previousUnits & 0xff;
    head[2] = units;
    head[3] = POOL_TYPE_BYTE[kind];
    new DataView(head.buffer).setUint32(4, tag >>> 0, true);
    this.memory.writeUnguarded(header, head);
    const va = header + BigInt(POOL_HEADER_SIZE);
    if (zero) this.memory.writeUnguarded(va, new Uint8Array((units - 1) * 16));
    return va;
  }

  private allocateBig(kind: PoolKind, numberOfBytes: number): bigint {
    const pages = Math.ceil(numberOfBytes / PAGE);
    return this.allocateBigPages(kind, pages);
  }

  private allocateBigPages(kind: PoolKind, pages: number, guardGap = true): bigint {
    const region = this.regions[kind === 'paged' ? 'paged' : 'nonpaged'];
    const va = region.cursor;
    const list: bigint[] = [];
    for (let i = 0; i < pages; i++) {
      const pageVa = va + BigInt(i * PAGE);
      const pfn = this.physical.allocateFrame('kernel');
      this.space.map4K(pageVa, pfn << 12n, {
        writable: true,
        pageable: region.pageable,
        noExecute: kind !== 'nonpagedExecute',
      });
      list.push(pageVa);
    }
    if (guardGap) this.bigPages.set(va, list);
    region.cursor = va + BigInt((pages + (guardGap ? 1 : 0)) * PAGE);
    return va;
  }
}

export function poolKind(flags: bigint): PoolKind | undefined {
  const n = flags & POOL_FLAG_NON_PAGED,
    x = flags & POOL_FLAG_NON_PAGED_EXECUTE,
    p = flags & POOL_FLAG_PAGED;
  const count = (n ? 1 : 0) + (x ? 1 : 0) + (p ? 1 : 0);
  if (count !== 1) return undefined;
  return n ? 'nonpaged' : x ? 'nonpagedExecute' : 'paged';
}

export function tagText(tag: number): string {
  let s = '';
  for (let i = 0; i < 4; i++) {
    const c = (tag >>> (8 * i)) & 0x7f;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  }
  return `'${s}'`;
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
