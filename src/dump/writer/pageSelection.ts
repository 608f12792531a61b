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
 * added/removed sets (already in memory) are copied. PFNs are numbers
 * inside (a 52-bit physical address space keeps them below 2^40), so the
 * walk over millions of pages allocates nothing per page.
 */
export interface PageSelection {
  /** Selected PFNs, ascending, each once. Can be iterated any number of times. */
  pfns(): Iterable<number>;
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
  const runs = physical.runs.map((r) => ({ start: Number(r.basePage), end: Number(r.basePage + r.pageCount) }));
  const inBase =
    kind === 'complete'
      ? (_pfn: number): boolean => true
      : (pfn: number): boolean => {
          const owner = physical.owner(BigInt(pfn));
          return owner === 'kernel' || owner === 'pagetable';
        };
  const isBacked = (pfn: bigint): boolean => pfn >= 0n && physical.isBacked(pfn);

  const removedPfns = new Set<number>();
  let removedApplied = 0n;
  for (const pfn of removed) {
    if (!isBacked(pfn)) continue;
    const n = Number(pfn);
    removedPfns.add(n);
    if (inBase(n) || added.has(pfn)) removedApplied++;
  }

  // Added pages that are backed but not already in the base set, ascending.
  const extra: number[] = [];
  let unbackedAdded = 0n;
  for (const pfn of added) {
    if (!isBacked(pfn)) {
      unbackedAdded++;
      continue;
    }
    const n = Number(pfn);
    if (!removedPfns.has(n) && !inBase(n)) extra.push(n);
  }
  extra.sort((a, b) => a - b);

  // Every backed PFN lies inside a run, so extras are met during the run walk.
  const pfns = function* (): Iterable<number> {
    let e = 0;
    for (const run of runs) {
      for (let pfn = run.start; pfn < run.end; pfn++) {
        if (e < extra.length && extra[e] === pfn) {
          e++;
          yield pfn;
        } else if (!removedPfns.has(pfn) && inBase(pfn)) {
          yield pfn;
        }
      }
    }
  };

  let count = 0n;
  let highestSelected = -1;
  let n = 0;
  for (const pfn of pfns()) {
    n++;
    highestSelected = pfn;
  }
  count = BigInt(n);
  const highestRam = runs.length === 0 ? -1 : runs[runs.length - 1]!.end - 1;
  return {
    pfns,
    count,
    highestSelected,
    highestDescribable: Math.max(highestSelected, highestRam),
    addedApplied: BigInt(extra.length),
    removedApplied,
    unbackedAdded,
  };
}

/** Maximal runs of consecutive PFNs, in order. */
export function* runsOf(pfns: Iterable<number>): Iterable<PhysicalRun> {
  let base = -1;
  let count = 0;
  for (const pfn of pfns) {
    if (count > 0 && pfn === base + count) {
      count++;
      continue;
    }
    if (count > 0) yield { basePage: BigInt(base), pageCount: BigInt(count) };
    base = pfn;
    count = 1;
  }
  if (count > 0) yield { basePage: BigInt(base), pageCount: BigInt(count) };
}
