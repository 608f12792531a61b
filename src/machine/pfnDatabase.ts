import {
  MM_READWRITE_ORIGINAL_PTE,
  MMPFN,
  MiCacheAttribute,
  MmPageLocation,
  PTE_FRAME_MASK,
  PTE_LARGE,
  PTE_PRESENT,
  packPfnEntry1,
  packPfnFlags4,
} from '../format/index.js';
import type { AddressSpace } from './addressSpace.js';
import type { PhysicalMemory } from './physical.js';

/**
 * The PFN database: an MMPFN (0x30 bytes) per physical page at
 * MmPfnDatabase + PFN × 0x30, covering PFN 0 to the highest RAM page, built
 * when the bug check captures the machine's state.
 *
 * RAM is sparse, so is the database. Pages of the array that describe at
 * least one populated frame (allocated or written: every frame a kernel or
 * complete dump could show with content) get a frame of their own holding
 * real entries. Every other page of the array maps one shared all-zero,
 * read-only frame — an MMPFN of zeros is a free page on the zeroed list
 * (PageLocation 0, no references) — and a 2 MiB stretch with nothing
 * populated maps through one shared page table whose 512 entries all point
 * at that frame. A 4 GiB machine's 48 MiB array costs a few hundred frames
 * plus two; every entry of every RAM page is readable in kernel and complete
 * dumps.
 *
 * Entries of frames mapped in the kernel address space say where: PteAddress
 * is the self-map VA of the PTE (or PDE of a large page, or the parent entry
 * of a page table), PteFrame the PFN of the table holding it, ActiveAndValid,
 * one reference and one share, cached, MM_READWRITE original protection.
 * Populated frames mapped nowhere (device memory, user frames written
 * directly) are active with no PTE.
 */
export const MMPFN_SIZE = BigInt(MMPFN.size);
const PAGE = 0x1000n;
const ENTRIES_PER_TABLE = 512n;
const SIZE_2M = 0x20_0000n;
const SIZE_1G = 0x4000_0000n;

interface Mapping {
  pteAddress: bigint;
  pteFrame: bigint;
}

export interface PfnDatabaseSummary {
  /** First VA of the array (the MmPfnDatabase value). */
  base: bigint;
  /** Bytes of the array (highest PFN + 1) × 0x30. */
  bytes: bigint;
  /** Pages of the array with entries of their own. */
  privatePages: number;
  /** Populated frames described. */
  entries: number;
}

export function buildPfnDatabase(physical: PhysicalMemory, space: AddressSpace, base: bigint): PfnDatabaseSummary {
  const pfnCount = physical.highestPfn + 1n;
  const bytes = pfnCount * MMPFN_SIZE;
  const pages = (bytes + PAGE - 1n) / PAGE;
  const end = base + pages * PAGE;
  // Upper tables for the whole range first, so that nothing allocated later is left without an entry.
  for (let va = base; va < end; va += SIZE_1G) space.prepareTables(va, 2);
  const zeroFrame = physical.allocateFrame('kernel');
  const sharedTable = physical.allocateFrame('pagetable');
  const zeroEntry = (zeroFrame << 12n) | PTE_PRESENT | 0x160n /* accessed, dirty, global */ | (1n << 63n);
  const table = new Uint8Array(Number(PAGE));
  const tv = new DataView(table.buffer);
  for (let i = 0; i < Number(ENTRIES_PER_TABLE); i++) tv.setBigUint64(i * 8, zeroEntry, true);
  physical.write(sharedTable << 12n, table);

  // Private pages: every page of the array that describes a populated frame, until the set is closed
  // (mapping a page allocates its frame and maybe a page table, which need entries too).
  const mapped = new Set<bigint>();
  for (;;) {
    const wanted = new Set<bigint>();
    for (const pfn of physical.populatedFrames()) {
      // An entry may straddle two pages of the array: both must be private.
      for (const page of [(pfn * MMPFN_SIZE) / PAGE, (pfn * MMPFN_SIZE + MMPFN_SIZE - 1n) / PAGE]) {
        if (!mapped.has(page)) wanted.add(page);
      }
    }
    if (wanted.size === 0) break;
    for (const page of [...wanted].sort((a, b) => (a < b ? -1 : 1))) {
      space.map4K(base + page * PAGE, physical.allocateFrame('kernel') << 12n, { writable: true, noExecute: true });
      mapped.add(page);
    }
  }
  // Everything else reads as zeros: the shared frame page by page next to private pages, the shared table elsewhere.
  const chunks = new Set<bigint>();
  for (const page of mapped) chunks.add((page * PAGE) / SIZE_2M);
  for (let chunkVa = base; chunkVa < end; chunkVa += SIZE_2M) {
    const chunk = (chunkVa - base) / SIZE_2M;
    if (chunks.has(chunk)) {
      const last = chunkVa + SIZE_2M < end ? chunkVa + SIZE_2M : end;
      for (let va = chunkVa; va < last; va += PAGE) {
        if (!mapped.has((va - base) / PAGE)) space.map4K(va, zeroFrame << 12n, { writable: false, noExecute: true });
      }
    } else space.attachPageTable(chunkVa, sharedTable << 12n);
  }

  const where = reverseMap(physical, space, base, end, sharedTable);
  let entries = 0;
  const pageBytes = new Map<bigint, Uint8Array>();
  for (const pfn of physical.populatedFrames()) {
    const offset = pfn * MMPFN_SIZE;
    const page = offset / PAGE;
    let buffer = pageBytes.get(page);
    if (!buffer) {
      buffer = new Uint8Array(Number(PAGE) + MMPFN.size);
      pageBytes.set(page, buffer);
    }
    const m = where.get(pfn);
    MMPFN.encodeInto(buffer, Number(offset % PAGE), {
      PteAddress: m?.pteAddress ?? 0n,
      OriginalPte: m ? MM_READWRITE_ORIGINAL_PTE : 0n,
      u2: m ? 1n : 0n,
      ReferenceCount: 1,
      e1: packPfnEntry1({ pageLocation: MmPageLocation.ActiveAndValid, cacheAttribute: MiCacheAttribute.MiCached }),
      u4: packPfnFlags4({ pteFrame: m?.pteFrame ?? 0n }),
    });
    entries++;
  }
  // An entry may straddle two pages of the array: each buffer carries its spill-over into the next page.
  for (const [page, buffer] of [...pageBytes].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const spill = buffer.subarray(Number(PAGE));
    if (spill.some((b) => b !== 0)) {
      let next = pageBytes.get(page + 1n);
      if (!next) {
        next = new Uint8Array(Number(PAGE) + MMPFN.size);
        pageBytes.set(page + 1n, next);
      }
      for (let i = 0; i < spill.length; i++) next[i]! |= spill[i]!;
    }
  }
  for (const [page, buffer] of pageBytes) {
    const t = space.translate(base + page * PAGE)!;
    physical.write(t.pa, buffer.subarray(0, Number(PAGE)));
  }
  return { base, bytes, privatePages: mapped.size, entries };
}

/**
 * PFN → where it is mapped in the kernel address space, from a walk of the
 * page tables: leaf frames get the self-map VA of their PTE/PDE, table frames
 * the VA of the entry that points at them; each table is walked once (the
 * PFN database's shared table serves many PDEs), the self-map is not walked.
 */
function reverseMap(
  physical: PhysicalMemory,
  space: AddressSpace,
  pfnBase: bigint,
  pfnEnd: bigint,
  sharedTable: bigint,
): Map<bigint, Mapping> {
  const out = new Map<bigint, Mapping>();
  const pte = (va: bigint): bigint => space.pteAddress(va);
  const set = (pfn: bigint, m: Mapping): void => {
    if (!out.has(pfn)) out.set(pfn, m);
  };
  const pml4 = space.directoryTableBase >> 12n;
  set(pml4, { pteAddress: pte(pte(pte(pte(space.pteBase)))), pteFrame: pml4 });
  const visited = new Set<bigint>([pml4]);
  const walk = (tablePfn: bigint, level: number, prefix: bigint): void => {
    const page = physical.readPage(tablePfn);
    const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
    const shift = BigInt(39 - 9 * level);
    for (let i = 0; i < 512; i++) {
      if (level === 0 && i === space.selfMapIndex) continue;
      const entry = view.getBigUint64(i * 8, true);
      if ((entry & PTE_PRESENT) === 0n) continue;
      let va = prefix | (BigInt(i) << shift);
      if ((va & (1n << 47n)) !== 0n) va |= 0xffff_0000_0000_0000n;
      const frame = (entry & PTE_FRAME_MASK) >> 12n;
      // The self-map VA of this entry: pteAddress applied (4 − level) times.
      let entryVa = va;
      for (let k = 0; k < 4 - level; k++) entryVa = pte(entryVa);
      const leaf = level === 3 || (level > 0 && (entry & PTE_LARGE) !== 0n);
      if (leaf) {
        const frames = level === 3 ? 1n : level === 2 ? ENTRIES_PER_TABLE : ENTRIES_PER_TABLE * ENTRIES_PER_TABLE;
        const first = level === 3 ? frame : (entry & PTE_FRAME_MASK & ~((frames << 12n) - 1n)) >> 12n;
        for (let f = 0n; f < frames; f++) set(first + f, { pteAddress: entryVa, pteFrame: tablePfn });
        continue;
      }
      set(frame, { pteAddress: entryVa, pteFrame: tablePfn });
      if (visited.has(frame)) continue;
      visited.add(frame);
      // The shared table of the PFN database maps one frame 512 times: one look is enough.
      if (frame === sharedTable && va >= pfnBase && va < pfnEnd) {
        const first = physical.readPage(frame);
        const e = new DataView(first.buffer, first.byteOffset, first.byteLength).getBigUint64(0, true);
        set((e & PTE_FRAME_MASK) >> 12n, { pteAddress: pte(va), pteFrame: frame });
        continue;
      }
      walk(frame, level + 1, va & 0xffff_ffff_ffffn);
    }
  };
  walk(pml4, 0, 0n);
  return out;
}
