import {
  PTE_FRAME_MASK,
  PTE_FRAME_MASK_1G,
  PTE_FRAME_MASK_2M,
  PTE_LARGE,
  PTE_NX,
  PTE_PRESENT,
  PTE_SOFTWARE_PAGEABLE,
  PTE_USER,
  PTE_WRITE,
  PTE_GLOBAL,
  isCanonical,
} from '../format/index.js';
import { MachineError } from './errors.js';
import type { PhysicalMemory } from './physical.js';

export interface MappingAttributes {
  writable?: boolean;
  pageable?: boolean;
  noExecute?: boolean;
  user?: boolean;
}
export interface Translation {
  pa: bigint;
  pageSize: 0x1000 | 0x200000 | 0x40000000;
  entry: bigint;
  pageable: boolean;
  writable: boolean;
}

const SIZE_4K = 0x1000n;
const SIZE_2M = 0x200000n;
const SIZE_1G = 0x40000000n;
const ADDRESS_MASK = (1n << 48n) - 1n;
/** Dirty + accessed: a live kernel mapping has been touched, and dump readers expect it. */
const PTE_ACCESSED_DIRTY = 0x60n;
/** Bound on cached translations (each is a few small objects). */
const TLB_ENTRIES = 65536;
const TABLE_ENTRY = PTE_PRESENT | PTE_WRITE | 0x20n;

/**
 * An x64 4-level address space whose tables live in PhysicalMemory, so that a
 * dump reader walking the raw bytes sees exactly what translate() sees.
 */
export class AddressSpace {
  readonly directoryTableBase: bigint;
  readonly selfMapIndex: number;
  /** Translations by virtual page number; only hits are cached. Dropped when any page table is written. */
  private readonly tlb = new Map<bigint, Translation>();
  private tlbGeneration = -1;
  /** The last page translated ([lastPage, lastPageEnd)); lastPage -1 when there is none. */
  private lastPage = -1n;
  private lastPageEnd = -1n;
  private lastTranslation: Translation | undefined;

  constructor(
    private readonly physical: PhysicalMemory,
    directoryTableBase: bigint,
    selfMapIndex: number,
  ) {
    if (!Number.isInteger(selfMapIndex) || selfMapIndex < 0x100 || selfMapIndex > 0x1fe) {
      throw new MachineError(
        'E_MACHINE_ARGUMENT',
        `self-map index 0x${selfMapIndex.toString(16)} is outside 0x100..0x1FE`,
        { selfMapIndex },
      );
    }
    this.directoryTableBase = directoryTableBase;
    this.selfMapIndex = selfMapIndex;
    // The PML4 points at itself, so the page tables appear in virtual memory at the self-map window.
    this.writeEntry(
      directoryTableBase,
      selfMapIndex,
      (directoryTableBase & PTE_FRAME_MASK) | PTE_PRESENT | PTE_WRITE | PTE_ACCESSED_DIRTY | PTE_NX,
    );
  }

  /** Base VA of the self-map window (the PTE array): sign-extended selfMapIndex << 39. */
  get pteBase(): bigint {
    return signExtend(BigInt(this.selfMapIndex) << 39n);
  }

  /** VA at which the PTE mapping `va` is visible through the self-map. */
  pteAddress(va: bigint): bigint {
    return this.pteBase + (((va & ADDRESS_MASK) >> 12n) << 3n);
  }

  map4K(va: bigint, pa: bigint, attrs: MappingAttributes = {}): void {
    this.checkMapping(va, pa, SIZE_4K);
    const pt = this.walkCreate(va, 3);
    this.setLeaf(pt, index(va, 12n), (pa & PTE_FRAME_MASK) | leafBits(attrs), va);
  }

  map2M(va: bigint, pa: bigint, attrs: MappingAttributes = {}): void {
    this.checkMapping(va, pa, SIZE_2M);
    const pd = this.walkCreate(va, 2);
    this.setLeaf(pd, index(va, 21n), (pa & PTE_FRAME_MASK_2M) | leafBits(attrs) | PTE_LARGE, va);
  }

  map1G(va: bigint, pa: bigint, attrs: MappingAttributes = {}): void {
    this.checkMapping(va, pa, SIZE_1G);
    const pdpt = this.walkCreate(va, 1);
    this.setLeaf(pdpt, index(va, 30n), (pa & PTE_FRAME_MASK_1G) | leafBits(attrs) | PTE_LARGE, va);
  }

  /**
   * Points the PDE of the 2 MiB region at `va` at an existing page table
   * `tablePa` (which may serve several regions: the PFN database maps its
   * all-free stretches through one shared table). Creates the upper tables
   * as needed; the PDE must be empty.
   */
  attachPageTable(va: bigint, tablePa: bigint): void {
    this.checkMapping(va, tablePa & ~(SIZE_2M - 1n), SIZE_2M);
    const pd = this.walkCreate(va, 2);
    this.setLeaf(pd, index(va, 21n), (tablePa & PTE_FRAME_MASK) | TABLE_ENTRY, va);
  }

  /**
   * Maps every page of [va, va + pages × 4 KiB) that is not mapped yet to the
   * one frame `pa` (pages already mapped keep their frame): one page-table
   * write per 2 MiB. The PFN database fills the gaps between its pages with a
   * shared zero frame this way.
   */
  fillWithFrame(va: bigint, pages: number, pa: bigint, attrs: MappingAttributes = {}): void {
    this.checkMapping(va, pa, SIZE_4K);
    const leaf = (pa & PTE_FRAME_MASK) | leafBits(attrs);
    const end = va + BigInt(pages) * SIZE_4K;
    for (let at = va; at < end; ) {
      const pt = this.walkCreate(at, 3);
      const page = this.physical.readPage(pt >> 12n).slice();
      const view = new DataView(page.buffer);
      const stop = (at | (SIZE_2M - 1n)) + 1n < end ? (at | (SIZE_2M - 1n)) + 1n : end;
      for (; at < stop; at += SIZE_4K) {
        const i = index(at, 12n) * 8;
        if ((view.getBigUint64(i, true) & PTE_PRESENT) === 0n) view.setBigUint64(i, leaf, true);
      }
      this.physical.write(pt, page);
    }
  }

  /** Creates the PML4E/PDPTE/PDE tables down to `depth` (1–3) for `va`, so that later mappings there allocate no table. */
  prepareTables(va: bigint, depth: 1 | 2 | 3): void {
    this.walkCreate(va, depth);
  }

  /** Removes the leaf mapping covering `va` (whatever its size). Tables stay allocated, as on Windows. */
  unmap(va: bigint): void {
    const leaf = this.findLeaf(va);
    if (!leaf) {
      throw new MachineError('E_MACHINE_NOT_MAPPED', `0x${va.toString(16)} is not mapped`, { va });
    }
    this.writeEntry(leaf.table, leaf.index, 0n);
  }

  translate(va: bigint): Translation | undefined {
    const page = this.translatePage(va);
    return page ? { ...page, pa: page.pa | (va & 0xfffn) } : undefined;
  }

  /**
   * The translation of the 4 KiB page holding `va` (pa is that page's base),
   * from the TLB when possible. The object is shared: callers must not change it.
   */
  translatePage(va: bigint): Translation | undefined {
    if (this.tlbGeneration !== this.physical.pageTableGeneration) {
      this.tlb.clear();
      this.lastPage = -1n;
      this.lastPageEnd = -1n;
      this.tlbGeneration = this.physical.pageTableGeneration;
    }
    // Walking a list of records checks neighbours on the same page again and again: compare before hashing.
    if (va >= this.lastPage && va < this.lastPageEnd) return this.lastTranslation;
    const vpn = va >> 12n;
    const cached = this.tlb.get(vpn);
    if (cached) {
      this.remember(vpn, cached);
      return cached;
    }
    const leaf = this.findLeaf(va);
    if (!leaf) return undefined;
    const { entry, size } = leaf;
    const mask = size === SIZE_4K ? PTE_FRAME_MASK : size === SIZE_2M ? PTE_FRAME_MASK_2M : PTE_FRAME_MASK_1G;
    const translation: Translation = {
      pa: (entry & mask) | (va & (size - 1n) & ~0xfffn),
      pageSize: Number(size) as Translation['pageSize'],
      entry,
      pageable: (entry & PTE_SOFTWARE_PAGEABLE) !== 0n,
      writable: (entry & PTE_WRITE) !== 0n,
    };
    if (this.tlb.size >= TLB_ENTRIES) this.tlb.clear();
    this.tlb.set(vpn, translation);
    this.remember(vpn, translation);
    return translation;
  }

  private remember(vpn: bigint, translation: Translation): void {
    this.lastPage = vpn << 12n;
    this.lastPageEnd = this.lastPage + 0x1000n;
    this.lastTranslation = translation;
  }

  /** Leaf entries in ascending VA order (used to describe the mapped kernel space). */
  *mappings(): Iterable<{ va: bigint; translation: Translation }> {
    yield* this.walkTable(this.directoryTableBase, 0, 0n);
  }

  private *walkTable(
    table: bigint,
    level: number,
    vaPrefix: bigint,
  ): Iterable<{ va: bigint; translation: Translation }> {
    const shift = BigInt(39 - 9 * level);
    const page = this.physical.readPage(table >> 12n);
    const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
    for (let i = 0; i < 512; i++) {
      if (level === 0 && i === this.selfMapIndex) continue;
      const entry = view.getBigUint64(i * 8, true);
      if ((entry & PTE_PRESENT) === 0n) continue;
      const va = signExtend(vaPrefix | (BigInt(i) << shift));
      if (level === 3 || (level > 0 && (entry & PTE_LARGE) !== 0n)) {
        const translation = this.translate(va);
        if (translation) yield { va, translation };
      } else {
        yield* this.walkTable(entry & PTE_FRAME_MASK, level + 1, va & ADDRESS_MASK);
      }
    }
  }

  private findLeaf(va: bigint): { table: bigint; index: number; entry: bigint; size: bigint } | undefined {
    if (!isCanonical(va)) return undefined;
    let table = this.directoryTableBase & PTE_FRAME_MASK;
    for (let level = 0; level < 4; level++) {
      const shift = BigInt(39 - 9 * level);
      const i = index(va, shift);
      const entry = this.readEntry(table, i);
      if ((entry & PTE_PRESENT) === 0n) return undefined;
      if (level === 3) return { table, index: i, entry, size: SIZE_4K };
      if (level > 0 && (entry & PTE_LARGE) !== 0n) {
        return { table, index: i, entry, size: level === 1 ? SIZE_1G : SIZE_2M };
      }
      table = entry & PTE_FRAME_MASK;
    }
    return undefined;
  }

  /** Walks from the PML4 down `depth` levels, creating missing tables; returns the table's physical address. */
  private walkCreate(va: bigint, depth: number): bigint {
    let table = this.directoryTableBase & PTE_FRAME_MASK;
    for (let level = 0; level < depth; level++) {
      const shift = BigInt(39 - 9 * level);
      const i = index(va, shift);
      if (level === 0 && i === this.selfMapIndex) {
        throw new MachineError('E_MACHINE_MAPPING', `0x${va.toString(16)} is inside the page-table self-map`, { va });
      }
      let entry = this.readEntry(table, i);
      if ((entry & PTE_PRESENT) === 0n) {
        const frame = this.physical.allocateFrame('pagetable') << 12n;
        // Kernel tables are supervisor; user mappings need U/S set on every level.
        entry = frame | TABLE_ENTRY | (va >= 0x8000_0000_0000n ? 0n : PTE_USER);
        this.writeEntry(table, i, entry);
      } else if (level > 0 && (entry & PTE_LARGE) !== 0n) {
        throw new MachineError('E_MACHINE_MAPPING', `0x${va.toString(16)} is already covered by a large page`, { va });
      }
      table = entry & PTE_FRAME_MASK;
    }
    return table;
  }

  private setLeaf(table: bigint, i: number, entry: bigint, va: bigint): void {
    const existing = this.readEntry(table, i);
    if ((existing & PTE_PRESENT) !== 0n) {
      throw new MachineError('E_MACHINE_MAPPING', `0x${va.toString(16)} is already mapped`, { va, entry: existing });
    }
    this.writeEntry(table, i, entry);
  }

  private checkMapping(va: bigint, pa: bigint, size: bigint): void {
    if (!isCanonical(va)) {
      throw new MachineError('E_MACHINE_MAPPING', `0x${va.toString(16)} is not a canonical address`, { va });
    }
    if ((va & (size - 1n)) !== 0n || (pa & (size - 1n)) !== 0n || pa < 0n || pa > PTE_FRAME_MASK) {
      throw new MachineError(
        'E_MACHINE_MAPPING',
        `mapping 0x${va.toString(16)} → 0x${pa.toString(16)} is not aligned to 0x${size.toString(16)}`,
        { va, pa },
      );
    }
  }

  private readEntry(table: bigint, i: number): bigint {
    const page = this.physical.readPage(table >> 12n);
    return new DataView(page.buffer, page.byteOffset, page.byteLength).getBigUint64(i * 8, true);
  }

  private writeEntry(table: bigint, i: number, entry: bigint): void {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, entry, true);
    this.physical.write(table + BigInt(i * 8), bytes);
  }
}

function leafBits(attrs: MappingAttributes): bigint {
  let bits = PTE_PRESENT | PTE_ACCESSED_DIRTY;
  if (attrs.writable ?? true) bits |= PTE_WRITE;
  if (attrs.user) bits |= PTE_USER;
  else bits |= PTE_GLOBAL;
  if (attrs.noExecute) bits |= PTE_NX;
  if (attrs.pageable) bits |= PTE_SOFTWARE_PAGEABLE;
  return bits;
}

function index(va: bigint, shift: bigint): number {
  return Number((va >> shift) & 0x1ffn);
}

export function signExtend(va48: bigint): bigint {
  return (va48 & (1n << 47n)) !== 0n ? va48 | 0xffff_0000_0000_0000n : va48;
}
