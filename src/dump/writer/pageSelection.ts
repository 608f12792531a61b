import type { Machine, PhysicalRun } from '../../machine/index.js';

/**
 * Which physical pages a complete or kernel dump carries.
 *
 * complete: every PFN inside the firmware memory map (machine.physical.runs);
 * kernel:   every frame owned 'kernel' or 'pagetable';
 * both:     plus plan.addedPages that are backed RAM, minus plan.removedPages
 *           (removal wins). Added PFNs outside RAM have nothing to read and
 *           are dropped (counted in `unbackedAdded`).
 *
 * The selection is built once, as a bitmap over PFN 0 … highestDescribable
 * (bit i of byte j = PFN 8j+i: the layout of the dump's own bitmap), from
 * ranges of frames rather than frame by frame. It costs one bit per PFN of the
 * memory map (128 KiB for 4 GiB of RAM) and nothing per selected page;
 * writers walk it as ranges of consecutive selected PFNs.
 */
export interface PageSelection {
  /** Bit per PFN, `bits` of them (a multiple of 32 covering highestDescribable); unused high bits are zero. */
  readonly bitmap: Uint8Array;
  readonly bits: number;
  readonly count: bigint;
  /** Highest selected PFN, or -1 when nothing is selected. */
  readonly highestSelected: number;
  /** Highest PFN the bitmap must be able to describe (machine RAM and added pages). */
  readonly highestDescribable: number;
  readonly addedApplied: bigint;
  readonly removedApplied: bigint;
  readonly unbackedAdded: bigint;
}

export type SelectionKind = 'complete' | 'kernel';

export function selectPages(
  machine: Machine,
  kind: SelectionKind,
  added: ReadonlySet<bigint>,
  removed: ReadonlySet<bigint>,
): PageSelection {
  const physical = machine.physical;
  const runs = physical.runs;
  const highestRam =
    runs.length === 0 ? -1 : Number(runs[runs.length - 1]!.basePage + runs[runs.length - 1]!.pageCount) - 1;
  const bits = Math.ceil((highestRam + 1) / 32) * 32;
  const bitmap = new Uint8Array(bits / 8);
  if (kind === 'complete') {
    for (const run of runs) setBits(bitmap, Number(run.basePage), Number(run.basePage + run.pageCount));
  } else {
    physical.forEachOwnedRange(['kernel', 'pagetable'], (first, count) => setBits(bitmap, first, first + count));
  }
  const isBacked = (pfn: bigint): boolean => pfn >= 0n && physical.isBacked(pfn);

  // Added pages that are backed but not in the base set; counted before removal, as removal wins over both.
  let unbackedAdded = 0n;
  const extra: number[] = [];
  for (const pfn of added) {
    if (!isBacked(pfn)) {
      unbackedAdded++;
      continue;
    }
    const n = Number(pfn);
    if (!testBit(bitmap, n)) extra.push(n);
  }
  let removedApplied = 0n;
  const removedPfns: number[] = [];
  for (const pfn of removed) {
    if (!isBacked(pfn)) continue;
    const n = Number(pfn);
    removedPfns.push(n);
    if (testBit(bitmap, n) || added.has(pfn)) removedApplied++;
  }
  const removedSet = new Set(removedPfns);
  let addedApplied = 0n;
  for (const n of extra) {
    if (removedSet.has(n)) continue;
    bitmap[n >>> 3]! |= 1 << (n & 7);
    addedApplied++;
  }
  for (const n of removedPfns) bitmap[n >>> 3]! &= ~(1 << (n & 7));

  let count = 0;
  let highestSelected = -1;
  forEachSelectedRange(bitmap, 0, bits, (start, end) => {
    count += end - start;
    highestSelected = end - 1;
  });
  return {
    bitmap,
    bits,
    count: BigInt(count),
    highestSelected,
    highestDescribable: Math.max(highestSelected, highestRam),
    addedApplied,
    removedApplied,
    unbackedAdded,
  };
}

function testBit(bitmap: Uint8Array, n: number): boolean {
  return ((bitmap[n >>> 3] ?? 0) & (1 << (n & 7))) !== 0;
}

/** Sets bits [start, end): whole bytes at once between the partial ends. */
export function setBits(bitmap: Uint8Array, start: number, end: number): void {
  let n = start;
  while (n < end && (n & 7) !== 0) {
    bitmap[n >>> 3]! |= 1 << (n & 7);
    n++;
  }
  const wholeEnd = end & ~7;
  if (n < wholeEnd) {
    bitmap.fill(0xff, n >>> 3, wholeEnd >>> 3);
    n = wholeEnd;
  }
  while (n < end) {
    bitmap[n >>> 3]! |= 1 << (n & 7);
    n++;
  }
}

/**
 * Calls `visit(start, end)` for every maximal range of set bits inside
 * [from, to), in order. Empty and full bytes are passed over whole.
 */
export function forEachSelectedRange(
  bitmap: Uint8Array,
  from: number,
  to: number,
  visit: (start: number, end: number) => void,
): void {
  let n = from;
  let rangeStart = -1;
  while (n < to) {
    if ((n & 7) === 0 && n + 8 <= to) {
      const byte = bitmap[n >>> 3]!;
      if (byte === 0) {
        if (rangeStart >= 0) {
          visit(rangeStart, n);
          rangeStart = -1;
        }
        n += 8;
        continue;
      }
      if (byte === 0xff) {
        if (rangeStart < 0) rangeStart = n;
        n += 8;
        continue;
      }
    }
    if (testBit(bitmap, n)) {
      if (rangeStart < 0) rangeStart = n;
    } else if (rangeStart >= 0) {
      visit(rangeStart, n);
      rangeStart = -1;
    }
    n++;
  }
  if (rangeStart >= 0) visit(rangeStart, to);
}

/** Maximal runs of consecutive selected PFNs, in order. */
export function runsOf(selection: PageSelection): PhysicalRun[] {
  const runs: PhysicalRun[] = [];
  forEachSelectedRange(selection.bitmap, 0, selection.bits, (start, end) =>
    runs.push({ basePage: BigInt(start), pageCount: BigInt(end - start) }),
  );
  return runs;
}
