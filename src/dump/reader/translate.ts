import { ImageFileMachine, PTE_FRAME_MASK } from '../../format/index.js';
import type { PagingLevel } from './types.js';

/**
 * Reads one 8-byte little-endian table entry of the dump's physical memory,
 * synchronously, into `lo`/`hi` (bits 0-31 and 32-63, each an unsigned
 * number). False when the page holding it is not in the dump. The reader's
 * implementation serves table pages from a cache of their own; on a source
 * without synchronous reads it may throw a PendingRead, after which the
 * whole walk is simply run again.
 */
export interface EntryReader {
  read(pa: number): boolean;
  lo: number;
  hi: number;
}

/** What a walk found; one object is reused for every walk. */
export interface WalkResult {
  status: 'mapped' | 'not-mapped' | 'not-in-dump' | 'non-canonical';
  /** Index into the walker's `levels` of the entry that ended the walk (not-mapped, not-in-dump). */
  level: number;
  /** mapped: the physical address `va` maps to. */
  pa: number;
  /** mapped: 0x1000, 0x200000 or 0x40000000. */
  pageSize: number;
  /** not-in-dump: physical address of the table page that is missing. */
  tablePa: number;
}

export function newWalkResult(): WalkResult {
  return { status: 'non-canonical', level: 0, pa: 0, pageSize: 0, tablePa: 0 };
}

/**
 * One architecture's translation. Addresses are numbers (physical addresses
 * have at most 52 bits), the virtual address comes as two unsigned 32-bit
 * halves, and nothing is allocated per walk: the reader runs millions of them.
 */
export interface PageWalker {
  /** Names of the levels, top first, as `Translation.level` reports them. */
  readonly levels: readonly PagingLevel[];
  /** Physical address of the top-level table for a DirectoryTableBase value. */
  root(directoryTableBase: bigint): number;
  /** Walks the address `vaHi`·2^32 + `vaLo` from the table at `root`, writing the outcome to `out`. */
  walk(vaHi: number, vaLo: number, root: number, mem: EntryReader, out: WalkResult): void;
}

const TWO_32 = 0x1_0000_0000;
const X64_LEVELS: readonly PagingLevel[] = ['PML4E', 'PDPTE', 'PDE', 'PTE'];

/**
 * x64 4-level paging (§4.3). Exactly four entry reads at most, so a table that
 * points at itself (the Windows self-map) or at another level cannot make us
 * loop. PS in a PDPTE/PDE makes a 1 GiB/2 MiB page (bit 12 of a large entry
 * is PAT, not address); PS in a PML4E is ignored. A not-present PTE with
 * Transition (bit 11) set and Prototype (bit 10) clear still names a resident
 * page (Windows' standby/modified lists), so it translates.
 */
export const x64Walker: PageWalker = {
  levels: X64_LEVELS,
  root: (dtb) => Number(BigInt.asUintN(64, dtb) & PTE_FRAME_MASK),
  walk(vaHi, vaLo, root, mem, out) {
    const top = vaHi >>> 15; // bits 63-47: all zero or all one
    if (top !== 0 && top !== 0x1ffff) {
      out.status = 'non-canonical';
      return;
    }
    let table = root;
    for (let level = 0; level < 4; level++) {
      const index =
        level === 0
          ? (vaHi >>> 7) & 0x1ff
          : level === 1
            ? ((vaHi & 0x7f) << 2) | (vaLo >>> 30)
            : level === 2
              ? (vaLo >>> 21) & 0x1ff
              : (vaLo >>> 12) & 0x1ff;
      if (!mem.read(table + index * 8)) {
        out.status = 'not-in-dump';
        out.level = level;
        out.tablePa = table;
        return;
      }
      const lo = mem.lo;
      const hi = mem.hi & 0xfffff; // frame bits 32-51
      if ((lo & 1) === 0 && !(level === 3 && (lo & 0xc00) === 0x800)) {
        out.status = 'not-mapped';
        out.level = level;
        return;
      }
      if (level === 1 && (lo & 0x80) !== 0) {
        mapped(out, hi * TWO_32 + (lo - (lo & 0x3fffffff)) + (vaLo & 0x3fffffff), 0x4000_0000);
        return;
      }
      if (level === 2 && (lo & 0x80) !== 0) {
        mapped(out, hi * TWO_32 + (lo - (lo & 0x1fffff)) + (vaLo & 0x1fffff), 0x20_0000);
        return;
      }
      const frame = hi * TWO_32 + (lo - (lo & 0xfff));
      if (level === 3) {
        mapped(out, frame + (vaLo & 0xfff), 0x1000);
        return;
      }
      table = frame;
    }
  },
};

function mapped(out: WalkResult, pa: number, pageSize: number): void {
  out.status = 'mapped';
  out.pa = pa;
  out.pageSize = pageSize;
}

/**
 * The walker for a machine type, or undefined when the reader cannot
 * translate its addresses. Another architecture plugs in here with a
 * PageWalker of its own (see src/dump/README.md, "Translation").
 */
export function pageWalkerFor(machineImageType: number): PageWalker | undefined {
  if (machineImageType === ImageFileMachine.AMD64) return x64Walker;
  return undefined;
}
