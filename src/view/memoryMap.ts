/**
 * The physical-memory picture: which pages of RAM the dump holds, whether a
 * kernel or a user virtual address maps them (found by walking the x64 page
 * tables in the dump from DirectoryTableBase), and the pages bug check
 * callbacks added or removed (from bugcheck's model-diagnostics block).
 * Reads only through the CrashDump API, so it runs in a browser too.
 */
import type { CrashDump } from '../dump/reader/index.js';
import type { ModelDiagnostics } from '../format/index.js';

/** Per-page flags. */
const PRESENT = 1;
const KERNEL = 2;
const USER = 4;
const ADDED = 8;
const REMOVED = 16;
const TABLE = 32;

/** Categories a cell of the picture shows, in drawing priority (the first that a cell has any page of wins). */
export const MEMORY_CATEGORIES = ['removed', 'added', 'kernel', 'user', 'unmapped', 'absent'] as const;
export type MemoryCategory = (typeof MEMORY_CATEGORIES)[number];

export interface MemoryPicture {
  available: true;
  /** Pages of RAM the picture covers (PFN 0 … totalPages-1). */
  totalPages: number;
  pagesPerCell: number;
  /** Category index (into MEMORY_CATEGORIES) of each cell. */
  cells: number[];
  /** Pages of each category (a page counts once: removed/added before kernel/user…). */
  counts: Record<MemoryCategory, number>;
  /** Pages the dump holds. */
  presentPages: number;
  /** Page-table pages read while looking for owners. */
  tablePages: number;
  /** How owners were found, or why they were not (`kernel`/`user` are then 0). */
  owners: string;
  /** Added/removed ranges that could not be placed (virtual pages not mapped, limits reached). */
  unplacedPages: number;
}

export type MemoryPictureResult = MemoryPicture | { available: false; reason: string };

/** At most this many cells (a 128 × 128 grid). */
export const MAX_CELLS = 16384;
/** Pictures of more RAM than this are not drawn (a flag byte per page). */
const MAX_PAGES = 1 << 26;
/** Page-table pages read at most (1 GiB of tables). */
const MAX_TABLE_PAGES = 1 << 18;
/** Virtual pages of add/remove ranges translated at most. */
const MAX_TRANSLATIONS = 1 << 16;
const PFN_MASK = 0xffffffffffn;

function totalPagesOf(dump: CrashDump): number | undefined {
  const body = dump.body;
  if (body.kind === 'full') {
    let end = 0n;
    for (const r of body.runs) if (r.basePage + r.pageCount > end) end = r.basePage + r.pageCount;
    return Number(end);
  }
  if (body.kind === 'bitmap') return Number(body.bitmapSize);
  return undefined;
}

async function readTable(dump: CrashDump, pfn: bigint): Promise<BigUint64Array | undefined> {
  const read = await dump.readPhysical(pfn << 12n, 4096);
  if (!read.complete) return undefined;
  const b = read.bytes;
  return new BigUint64Array(b.buffer, b.byteOffset, 512);
}

/** Walks the x64 paging structures; marks every mapped page KERNEL (upper half) or USER (lower half). */
async function markOwners(dump: CrashDump, flags: Uint8Array): Promise<{ tables: number; note: string }> {
  if (dump.machine.name !== 'AMD64') return { tables: 0, note: `owners not looked up on ${dump.machine.name}` };
  const rootPfn = (dump.header.directoryTableBase >> 12n) & PFN_MASK;
  let tables = 0;
  let partial = false;
  const mark = (pfn: bigint, count: number, owner: number): void => {
    for (let i = 0; i < count; i++) {
      const p = Number(pfn) + i;
      if (p < flags.length) flags[p]! |= owner;
    }
  };
  const visit = async (pfn: bigint, level: number, owner: number): Promise<void> => {
    if (tables >= MAX_TABLE_PAGES) {
      partial = true;
      return;
    }
    const table = await readTable(dump, pfn);
    tables++;
    mark(pfn, 1, KERNEL | TABLE);
    if (table === undefined) return;
    for (let i = 0; i < 512; i++) {
      const e = table[i]!;
      if ((e & 1n) === 0n) continue;
      const next = (e >> 12n) & PFN_MASK;
      if (level === 4) {
        if (next === rootPfn) continue; // the self-map entry: the tables themselves
        await visit(next, 3, i >= 256 ? KERNEL : USER);
      } else if (level === 1) {
        mark(next, 1, owner);
      } else if ((e & 0x80n) !== 0n) {
        // A large page: 1 GiB (PDPTE) or 2 MiB (PDE).
        mark(next & (level === 3 ? ~0x3ffffn : ~0x1ffn), level === 3 ? 1 << 18 : 1 << 9, owner);
      } else {
        await visit(next, level - 1, owner);
      }
    }
  };
  await visit(rootPfn, 4, KERNEL);
  const note = `page tables walked from DirectoryTableBase (${tables} table pages${partial ? `; stopped at ${MAX_TABLE_PAGES}` : ''})`;
  return { tables, note };
}

/** Marks the pages bug check callbacks added or removed; returns the pages that could not be placed. */
async function markCallbackPages(dump: CrashDump, flags: Uint8Array, diagnostics: ModelDiagnostics): Promise<number> {
  let unplaced = 0;
  let translations = 0;
  for (const c of diagnostics.callbacks) {
    // A block written before the ranges were recorded has only the counts.
    if (c.pageRanges === undefined) unplaced += c.pagesAdded + c.pagesRemoved;
    for (const r of c.pageRanges ?? []) {
      const flag = r.operation === 'add' ? ADDED : REMOVED;
      const pages = r.pages;
      const start = BigInt(r.address) & ~0xfffn;
      if (r.space === 'physical') {
        for (let i = 0; i < pages; i++) {
          const pfn = Number(start >> 12n) + i;
          if (pfn < flags.length) flags[pfn]! |= flag;
          else unplaced++;
        }
      } else if (r.space === 'virtual') {
        for (let i = 0; i < pages; i++) {
          if (translations++ >= MAX_TRANSLATIONS) {
            unplaced += pages - i;
            break;
          }
          const t = await dump.translate(start + BigInt(i) * 4096n);
          const pfn = t.status === 'mapped' ? Number(t.pa >> 12n) : -1;
          if (pfn >= 0 && pfn < flags.length) flags[pfn]! |= flag;
          else unplaced++;
        }
      }
    }
  }
  return unplaced;
}

function categoryOf(f: number): number {
  if (f & REMOVED) return 0;
  if (f & ADDED && f & PRESENT) return 1;
  if (!(f & PRESENT)) return 5;
  if (f & KERNEL) return 2;
  if (f & USER) return 3;
  return 4;
}

/** Builds the picture of a full or bitmap dump; small (triage) dumps hold no physical pages. */
export async function buildMemoryPicture(
  dump: CrashDump,
  diagnostics: ModelDiagnostics | undefined,
): Promise<MemoryPictureResult> {
  const totalPages = totalPagesOf(dump);
  if (totalPages === undefined) {
    const why =
      dump.body.kind === 'triage'
        ? 'a small (triage) dump holds no physical memory pages: see its triage data blocks'
        : `no physical memory in this dump (${dump.body.kind === 'none' ? dump.body.reason : dump.body.kind})`;
    return { available: false, reason: why };
  }
  if (totalPages > MAX_PAGES) return { available: false, reason: `${totalPages} pages of RAM: too many to draw` };
  const flags = new Uint8Array(totalPages);
  let presentPages = 0;
  for await (const p of dump.physicalPages()) {
    const pfn = Number(p.pfn);
    if (pfn < totalPages) {
      flags[pfn]! |= PRESENT;
      presentPages++;
    }
  }
  const owners = await markOwners(dump, flags);
  const unplacedPages = diagnostics === undefined ? 0 : await markCallbackPages(dump, flags, diagnostics);
  const pagesPerCell = Math.max(1, Math.ceil(totalPages / MAX_CELLS));
  const cellCount = Math.ceil(totalPages / pagesPerCell);
  const cells = new Array<number>(cellCount).fill(5);
  const counts = Object.fromEntries(MEMORY_CATEGORIES.map((c) => [c, 0])) as Record<MemoryCategory, number>;
  for (let cell = 0; cell < cellCount; cell++) {
    let best = 5;
    const end = Math.min(totalPages, (cell + 1) * pagesPerCell);
    for (let pfn = cell * pagesPerCell; pfn < end; pfn++) {
      const c = categoryOf(flags[pfn]!);
      counts[MEMORY_CATEGORIES[c]!]++;
      if (c < best) best = c;
    }
    cells[cell] = best;
  }
  return {
    available: true,
    totalPages,
    pagesPerCell,
    cells,
    counts,
    presentPages,
    tablePages: owners.tables,
    owners: owners.note,
    unplacedPages,
  };
}
