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
  /** Every populated frame has its entry (false when free RAM ran out while building). */
  complete: boolean;
}

/** Frames left free for whatever runs after the PFN database is built (the bug check itself allocates none). */
const FREE_FRAME_RESERVE = 64n;

/**
 * Builds the database, or as much of it as free RAM allows: on a machine
 * with (almost) no free frame left, pages of the array beyond what fits map
 * the shared zero frame (`complete` false), and with fewer than a handful of
 * frames nothing is built (null): the MmPfnDatabase value then points at
 * unmapped memory, as before the model had a PFN database.
 */
export function buildPfnDatabase(
  physical: PhysicalMemory,
  space: AddressSpace,
  base: bigint,
): PfnDatabaseSummary | null {
  const pfnCount = physical.highestPfn + 1n;
  const bytes = pfnCount * MMPFN_SIZE;
  const pages = (bytes + PAGE - 1n) / PAGE;
  const end = base + pages * PAGE;
  const upperTables = (pages * PAGE + SIZE_1G - 1n) / SIZE_1G + 2n;
  if (physical.freeCount < upperTables + 2n + FREE_FRAME_RESERVE) return null;
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
  // (mapping a page allocates its frame and maybe a page table, which need entries too). One scan of the
  // populated frames; after it the only new frames are the ones allocated here, found as they appear.
  // Page numbers are plain numbers: PFN × 0x30 stays far below 2^53.
  const entrySize = MMPFN.size;
  const pageOf = (pfn: number): number => Math.floor((pfn * entrySize) / 0x1000);
  const lastPageOf = (pfn: number): number => Math.floor((pfn * entrySize + entrySize - 1) / 0x1000);
  const frames: number[] = [];
  for (const big of physical.populatedFrames()) frames.push(Number(big));
  const known = new Set<number>(frames);
  const mapped = new Set<number>();
  let complete = true;
  let pending = frames;
  while (pending.length > 0 && complete) {
    const created: number[] = [];
    for (const pfn of pending) {
      for (const page of [pageOf(pfn), lastPageOf(pfn)]) {
        if (mapped.has(page)) continue;
        // A page and possibly its page table: stop while the reserve is intact.
        if (physical.freeCount < FREE_FRAME_RESERVE + 2n) {
          complete = false;
          break;
        }
        const va = base + BigInt(page) * PAGE;
        const frame = physical.allocateFrame('kernel');
        space.map4K(va, frame << 12n, { writable: true, noExecute: true });
        mapped.add(page);
        const table = Number(space.translate(space.pteAddress(va))!.pa >> 12n);
        for (const f of [Number(frame), table]) {
          if (!known.has(f)) {
            known.add(f);
            created.push(f);
          }
        }
      }
      if (!complete) break;
    }
    frames.push(...created);
    pending = created;
  }
  frames.sort((a, b) => a - b);
  // Everything else reads as zeros: the shared frame next to private pages, the shared table elsewhere.
  const chunks = new Set<number>();
  for (const page of mapped) chunks.add(Math.floor(page / 512));
  // A small machine's array fits in chunks that all hold private pages: no PDE takes the shared
  // table then, and an unreferenced page-table frame must not be left in the dump.
  const chunkCount = Number((end - base + SIZE_2M - 1n) / SIZE_2M);
  if (chunks.size === chunkCount) physical.freeFrame(sharedTable);
  for (let chunkVa = base; chunkVa < end; chunkVa += SIZE_2M) {
    const chunk = Number((chunkVa - base) / SIZE_2M);
    if (chunks.has(chunk)) {
      const count = Number((chunkVa + SIZE_2M < end ? SIZE_2M : end - chunkVa) / PAGE);
      space.fillWithFrame(chunkVa, count, zeroFrame << 12n, { writable: false, noExecute: true });
    } else space.attachPageTable(chunkVa, sharedTable << 12n);
  }

  const where = reverseMap(physical, space, base, end, sharedTable);
  // Entries are written a page of the array at a time, in PFN order (an entry may spill into the next page).
  const o = MMPFN.offsets;
  const activeE1 = packPfnEntry1({
    pageLocation: MmPageLocation.ActiveAndValid,
    cacheAttribute: MiCacheAttribute.MiCached,
  });
  let page = -1;
  let buffer = new Uint8Array(Number(PAGE) + MMPFN.size);
  let view = new DataView(buffer.buffer);
  const flush = (): void => {
    if (page < 0) return;
    physical.write(space.translate(base + BigInt(page) * PAGE)!.pa, buffer.subarray(0, Number(PAGE)));
    const spill = buffer.slice(Number(PAGE));
    buffer = new Uint8Array(Number(PAGE) + MMPFN.size);
    buffer.set(spill);
    view = new DataView(buffer.buffer);
  };
  let entries = 0;
  for (const pfn of frames) {
    const entryPage = pageOf(pfn);
    if (!mapped.has(entryPage) || !mapped.has(lastPageOf(pfn))) continue;
    if (entryPage !== page) {
      flush();
      // A page whose only content is the previous page's spill-over still has to be written.
      if (page >= 0 && entryPage !== page + 1 && buffer.some((b) => b !== 0)) {
        page += 1;
        flush();
      }
      page = entryPage;
    }
    const at = (pfn * entrySize) % 0x1000;
    const m = where.get(pfn);
    view.setBigUint64(at + o.PteAddress, m?.pteAddress ?? 0n, true);
    view.setBigUint64(at + o.OriginalPte, m ? MM_READWRITE_ORIGINAL_PTE : 0n, true);
    view.setBigUint64(at + o.u2, m ? 1n : 0n, true);
    view.setUint16(at + o.ReferenceCount, 1, true);
    view.setUint8(at + o.e1, activeE1);
    view.setBigUint64(at + o.u4, packPfnFlags4({ pteFrame: m?.pteFrame ?? 0n }), true);
    entries++;
  }
  flush();
  if (buffer.some((b) => b !== 0)) {
    page += 1;
    flush();
  }
  return { base, bytes, privatePages: mapped.size, entries, complete };
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
): Map<number, Mapping> {
  const out = new Map<number, Mapping>();
  const pte = (va: bigint): bigint => space.pteAddress(va);
  const set = (pfn: bigint | number, m: Mapping): void => {
    const key = Number(pfn);
    if (!out.has(key)) out.set(key, m);
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
        const frames = level === 3 ? 1 : level === 2 ? 512 : 512 * 512;
        const first = Number(level === 3 ? frame : (entry & PTE_FRAME_MASK & ~((BigInt(frames) << 12n) - 1n)) >> 12n);
        const m = { pteAddress: entryVa, pteFrame: tablePfn };
        for (let f = 0; f < frames; f++) set(first + f, m);
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
