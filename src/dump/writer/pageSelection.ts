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
 * Nothing here holds per-page state proportional to the machine: the base
 * set is walked run by run with a predicate, and only the plan's own
 * added/removed sets (already in memory) are sorted.
 */
export interface PageSelection {
  /** Selected PFNs, ascending, each once. Can be iterated any number of times. */
  pfns(): Iterable<bigint>;
  readonly count: bigint;
  /** Highest selected PFN, or -1n when nothing is selected. */
  readonly highestSelected: bigint;
  /** Highest PFN the bitmap must be able to describe (machine RAM and added pages). */
  readonly highestDescribable: bigint;
  readonly addedApplied: bigint;
  readonly removedApplied: bigint;
  readonly unbackedAdded: bigint;
}

export type SelectionKind = 'complete' | 'kernel';

export function selectPages(machine: Machine, kind: SelectionKind, added: ReadonlySet<bigint>, removed: ReadonlySet<bigint>): PageSelection {
  const physical = machine.physical;
  const runs = physical.runs;
  const inBase = kind === 'complete'
    ? (_pfn: bigint): boolean => true
    : (pfn: bigint): boolean => {
      const owner = physical.owner(pfn);
      return owner === 'kernel' || owner === 'pagetable';
    };

  // Added pages that are backed but not already in the base set, ascending.
  const extra: bigint[] = [];
  let unbackedAdded = 0n;
  for (const pfn of added) {
    if (pfn < 0n || !physical.isBacked(pfn)) { unbackedAdded++; continue; }
    if (!removed.has(pfn) && !inBase(pfn)) extra.push(pfn);
  }
  extra.sort(compareBigint);

  const pfns = function* (): Iterable<bigint> {
    let e = 0;
    for (const run of runs) {
      const end = run.basePage + run.pageCount;
      for (let pfn = run.basePage; pfn < end; pfn++) {
        while (e < extra.length && extra[e]! < pfn) yield extra[e++]!;
        if (e < extra.length && extra[e] === pfn) {
          e++;
          yield pfn;
          continue;
        }
        if (removed.has(pfn)) continue;
        if (inBase(pfn)) yield pfn;
      }
    }
    while (e < extra.length) yield extra[e++]!;
  };

  let count = 0n;
  let highestSelected = -1n;
  let removedApplied = 0n;
  for (const pfn of pfns()) {
    count++;
    highestSelected = pfn;
  }
  for (const pfn of removed) {
    if (pfn >= 0n && physical.isBacked(pfn) && (inBase(pfn) || added.has(pfn))) removedApplied++;
  }
  const highestRam = runs.length === 0 ? -1n : runs[runs.length - 1]!.basePage + runs[runs.length - 1]!.pageCount - 1n;
  return {
    pfns,
    count,
    highestSelected,
    highestDescribable: highestSelected > highestRam ? highestSelected : highestRam,
    addedApplied: BigInt(extra.length),
    removedApplied,
    unbackedAdded,
  };
}

/** Maximal runs of consecutive PFNs, in order. */
export function* runsOf(pfns: Iterable<bigint>): Iterable<PhysicalRun> {
  let base = -1n;
  let count = 0n;
  for (const pfn of pfns) {
    if (count > 0n && pfn === base + count) { count++; continue; }
    if (count > 0n) yield { basePage: base, pageCount: count };
    base = pfn;
    count = 1n;
  }
  if (count > 0n) yield { basePage: base, pageCount: count };
}

function compareBigint(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
