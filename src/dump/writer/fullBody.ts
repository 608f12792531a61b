import { MAX_PHYSICAL_MEMORY_RUNS64, PAGE_SIZE } from '../../format/index.js';
import type { Machine, PhysicalRun } from '../../machine/index.js';
import type { BodyStream } from './bodyStream.js';
import { forEachSelectedRange, runsOf, type PageSelection } from './pageSelection.js';
import { writeFrames } from './pageData.js';

/**
 * DumpType 1 ("full", runs): the header's PHYSICAL_MEMORY_DESCRIPTOR64 lists
 * the runs and the body is their pages back to back from 0x2000.
 */
export interface RunsLayout {
  runs: PhysicalRun[];
  numberOfPages: bigint;
  /** Pages inside runs that are not selected (gaps closed to stay within 42 runs); written as zeros. */
  zeroFilledPages: bigint;
}

/**
 * The selection as at most 42 runs. When removals (or additions) fragment
 * memory into more runs than the descriptor can hold, the smallest gaps are
 * closed and their pages written as zeros: the dump stays valid and a removed
 * page's contents still never reach the file.
 */
export function planRuns(selection: PageSelection): RunsLayout {
  const exact = runsOf(selection);
  if (exact.length <= MAX_PHYSICAL_MEMORY_RUNS64) {
    return { runs: exact, numberOfPages: selection.count, zeroFilledPages: 0n };
  }
  const gaps = exact
    .slice(1)
    .map((run, i) => ({ index: i, size: run.basePage - (exact[i]!.basePage + exact[i]!.pageCount) }));
  gaps.sort((a, b) => (a.size < b.size ? -1 : a.size > b.size ? 1 : a.index - b.index));
  const close = new Set(gaps.slice(0, exact.length - MAX_PHYSICAL_MEMORY_RUNS64).map((g) => g.index));
  const runs: PhysicalRun[] = [];
  let zeroFilledPages = 0n;
  let current: PhysicalRun = { ...exact[0]! };
  for (let i = 1; i < exact.length; i++) {
    const next = exact[i]!;
    if (close.has(i - 1)) {
      const end = next.basePage + next.pageCount;
      zeroFilledPages += next.basePage - (current.basePage + current.pageCount);
      current.pageCount = end - current.basePage;
    } else {
      runs.push(current);
      current = { ...next };
    }
  }
  runs.push(current);
  return { runs, numberOfPages: selection.count + zeroFilledPages, zeroFilledPages };
}

export function runsBodySize(layout: RunsLayout): bigint {
  return layout.numberOfPages * BigInt(PAGE_SIZE);
}

/** Streams every page of every run; unselected pages inside a run (closed gaps) are zeros. */
export function writeRunsBody(machine: Machine, selection: PageSelection, layout: RunsLayout, out: BodyStream): void {
  for (const run of layout.runs) {
    const start = Number(run.basePage);
    const end = start + Number(run.pageCount);
    let next = start;
    forEachSelectedRange(selection.bitmap, start, end, (first, last) => {
      if (first > next) out.appendZeros((first - next) * PAGE_SIZE);
      writeFrames(machine, first, last, out);
      next = last;
    });
    if (end > next) out.appendZeros((end - next) * PAGE_SIZE);
  }
}
