/**
 * Synthetic physical memory and x64 page tables for building test dumps.
 * Independent of src/ on purpose: the reader is checked against bytes laid
 * out here from the format notes alone (entry bits: tables/paging.ts).
 */
import {
  PTE_ACCESSED,
  PTE_DIRTY,
  PTE_FRAME_MASK,
  PTE_FRAME_MASK_1G,
  PTE_FRAME_MASK_2M,
  PTE_LARGE,
  PTE_NX,
  PTE_PRESENT,
  PTE_WRITE,
  tableIndex,
} from './tables/paging.js';

export const PAGE = 0x1000;

/** A PFN range present in the dump; its pages are zero unless written. */
export interface PfnRange {
  basePage: bigint;
  pageCount: bigint;
}

/**
 * Sparse physical memory: pages with content, plus ranges that are present
 * in the dump but all zero (so a 4 GiB dump needs no 4 GiB of RAM here).
 */
export class SynthMemory {
  readonly pages = new Map<bigint, Uint8Array>();
  readonly zeroRanges: PfnRange[] = [];

  /** The page for `pfn`, created zeroed on first use. */
  page(pfn: bigint): Uint8Array {
    let p = this.pages.get(pfn);
    if (p === undefined) {
      p = new Uint8Array(PAGE);
      this.pages.set(pfn, p);
    }
    return p;
  }

  /** Marks pages present (zero-filled) without storing them. */
  addZeroRange(basePage: bigint, pageCount: bigint): this {
    this.zeroRanges.push({ basePage, pageCount });
    return this;
  }

  write(pa: bigint, bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) {
      const cur = pa + BigInt(done);
      const off = Number(cur & 0xfffn);
      const n = Math.min(PAGE - off, bytes.length - done);
      this.page(cur >> 12n).set(bytes.subarray(done, done + n), off);
      done += n;
    }
  }

  writeU64(pa: bigint, value: bigint): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
    this.write(pa, b);
  }

  readU64(pa: bigint): bigint {
    const p = this.pages.get(pa >> 12n);
    if (p === undefined) return 0n;
    return new DataView(p.buffer).getBigUint64(Number(pa & 0xfffn), true);
  }

  /** Every present page as sorted, merged PFN ranges. */
  presentRanges(): PfnRange[] {
    const all: PfnRange[] = [...this.zeroRanges.filter((r) => r.pageCount > 0n)];
    for (const pfn of this.pages.keys()) all.push({ basePage: pfn, pageCount: 1n });
    all.sort((a, b) => (a.basePage < b.basePage ? -1 : a.basePage > b.basePage ? 1 : 0));
    const out: PfnRange[] = [];
    for (const r of all) {
      const last = out[out.length - 1];
      if (last !== undefined && r.basePage <= last.basePage + last.pageCount) {
        const end = r.basePage + r.pageCount;
        if (end > last.basePage + last.pageCount) last.pageCount = end - last.basePage;
      } else out.push({ ...r });
    }
    return out;
  }
}

export const TABLE_FLAGS = PTE_PRESENT | PTE_WRITE;
export const LEAF_FLAGS = PTE_PRESENT | PTE_WRITE;
/** Windows' self-map index before Win10 1607 (later ones pick a random index in 0x100–0x1FE). */
export const DEFAULT_SELF_MAP_INDEX = 0x1ed;
/** The PML4 of a genuine Win10 19041 system process (DirectoryTableBase 0x1AD000). */
export const DEFAULT_PML4_PFN = 0x1adn;

/**
 * Builds real x64 4-level tables in a SynthMemory. Tables come from
 * `nextTablePfn` upwards; the PML4 gets a self-map entry like Windows'.
 */
export class PageTableBuilder {
  readonly pml4: bigint;
  private nextTablePfn: bigint;

  constructor(
    readonly memory: SynthMemory,
    options: {
      pml4Pfn?: bigint;
      firstTablePfn?: bigint /** null: no self-map entry */;
      selfMapIndex?: number | null;
    } = {},
  ) {
    const pml4Pfn = options.pml4Pfn ?? DEFAULT_PML4_PFN;
    this.pml4 = pml4Pfn << 12n;
    this.nextTablePfn = options.firstTablePfn ?? pml4Pfn + 1n;
    memory.page(pml4Pfn);
    const selfMap = options.selfMapIndex === undefined ? DEFAULT_SELF_MAP_INDEX : options.selfMapIndex;
    if (selfMap !== null)
      memory.writeU64(
        this.pml4 + BigInt(selfMap) * 8n,
        this.pml4 | PTE_PRESENT | PTE_WRITE | PTE_ACCESSED | PTE_DIRTY | PTE_NX,
      );
  }

  /** CR3 value with a PCID in bits 0–11, as genuine dumps store it. */
  directoryTableBase(pcid = 0n): bigint {
    return this.pml4 | (pcid & 0xfffn);
  }

  private allocTable(): bigint {
    const pfn = this.nextTablePfn++;
    this.memory.page(pfn);
    return pfn << 12n;
  }

  /** Entry address for `va` at depth 0 (PML4E) … 3 (PTE), creating missing tables down to `depth`. */
  private entryAddress(va: bigint, depth: number): bigint {
    let table = this.pml4;
    for (let level = 0; level < depth; level++) {
      const ea = table + BigInt(tableIndex(va, level)) * 8n;
      let e = this.memory.readU64(ea);
      if ((e & PTE_PRESENT) === 0n) {
        e = this.allocTable() | TABLE_FLAGS;
        this.memory.writeU64(ea, e);
      } else if ((e & PTE_LARGE) !== 0n) {
        throw new Error(`synth: ${va.toString(16)} is already inside a large page at level ${level}`);
      }
      table = e & PTE_FRAME_MASK;
    }
    return table + BigInt(tableIndex(va, depth)) * 8n;
  }

  map4k(va: bigint, pa: bigint, flags: bigint = LEAF_FLAGS): this {
    this.memory.writeU64(this.entryAddress(va, 3), (pa & PTE_FRAME_MASK) | flags);
    return this;
  }

  /** 2 MiB page; `flags` may include bit 12 (PAT), which is not part of the address. */
  map2m(va: bigint, pa: bigint, flags: bigint = LEAF_FLAGS): this {
    this.memory.writeU64(this.entryAddress(va, 2), (pa & PTE_FRAME_MASK_2M) | flags | PTE_LARGE);
    return this;
  }

  map1g(va: bigint, pa: bigint, flags: bigint = LEAF_FLAGS): this {
    this.memory.writeU64(this.entryAddress(va, 1), (pa & PTE_FRAME_MASK_1G) | flags | PTE_LARGE);
    return this;
  }

  /** Writes a raw entry (depth 0 = PML4E … 3 = PTE) for corruption tests; tables above it are created. */
  setEntry(va: bigint, depth: number, value: bigint): bigint {
    const ea = this.entryAddress(va, depth);
    this.memory.writeU64(ea, value);
    return ea;
  }

  /** Physical address of the entry that maps `va` at `depth`, creating tables above it. */
  entryPa(va: bigint, depth: number): bigint {
    return this.entryAddress(va, depth);
  }
}

/**
 * Kernel structures at virtual addresses: allocates VA space from `base`,
 * backs it with fresh 4 KiB pages from `nextPfn`, and writes through the
 * page tables it builds.
 */
export class VirtualHeap {
  private cursor: bigint;
  private nextPfn: bigint;
  private readonly mapped = new Map<bigint, bigint>();

  constructor(
    readonly tables: PageTableBuilder,
    readonly base: bigint,
    firstPfn: bigint,
  ) {
    this.cursor = base;
    this.nextPfn = firstPfn;
  }

  /** Reserves `size` bytes aligned to `align` and maps their pages. */
  alloc(size: number, align = 16): bigint {
    const a = BigInt(align);
    const va = ((this.cursor + a - 1n) / a) * a;
    this.cursor = va + BigInt(Math.max(size, 1));
    for (let p = va & ~0xfffn; p < this.cursor; p += 0x1000n) this.ensure(p);
    return va;
  }

  private ensure(pageVa: bigint): bigint {
    let pa = this.mapped.get(pageVa);
    if (pa === undefined) {
      pa = this.nextPfn++ << 12n;
      this.tables.memory.page(pa >> 12n);
      this.tables.map4k(pageVa, pa);
      this.mapped.set(pageVa, pa);
    }
    return pa;
  }

  /** Physical address behind a heap VA. */
  pa(va: bigint): bigint {
    const pa = this.mapped.get(va & ~0xfffn);
    if (pa === undefined) throw new Error(`synth: ${va.toString(16)} is not in the heap`);
    return pa + (va & 0xfffn);
  }

  write(va: bigint, bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) {
      const cur = va + BigInt(done);
      const n = Math.min(PAGE - Number(cur & 0xfffn), bytes.length - done);
      this.tables.memory.write(this.pa(cur), bytes.subarray(done, done + n));
      done += n;
    }
  }

  /** Allocates and writes in one step. */
  put(bytes: Uint8Array, align = 16): bigint {
    const va = this.alloc(bytes.length, align);
    this.write(va, bytes);
    return va;
  }
}
