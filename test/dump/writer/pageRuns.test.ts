import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planRuns } from '../../../src/dump/writer/fullBody.js';
import { runsOf, type PageSelection } from '../../../src/dump/writer/pageSelection.js';
import { mergeSegments } from '../../../src/dump/writer/triageDataBlocks.js';

function selectionOf(pfns: number[]): PageSelection {
  return {
    pfns: () => pfns,
    count: BigInt(pfns.length),
    highestSelected: pfns.length ? pfns[pfns.length - 1]! : -1,
    highestDescribable: pfns.length ? pfns[pfns.length - 1]! : -1,
    addedApplied: 0n,
    removedApplied: 0n,
    unbackedAdded: 0n,
  };
}

describe('runs of a page selection', () => {
  it('groups consecutive PFNs', () => {
    assert.deepEqual(
      [...runsOf([1, 2, 3, 7, 9, 10])],
      [
        { basePage: 1n, pageCount: 3n },
        { basePage: 7n, pageCount: 1n },
        { basePage: 9n, pageCount: 2n },
      ],
    );
    assert.deepEqual([...runsOf([])], []);
  });

  it('keeps up to 42 runs exact', () => {
    const pfns = Array.from({ length: 42 }, (_, i) => i * 10);
    const layout = planRuns(selectionOf(pfns));
    assert.equal(layout.runs.length, 42);
    assert.equal(layout.zeroFilledPages, 0n);
    assert.equal(layout.numberOfPages, 42n);
  });

  it('closes the smallest gaps first when there are more than 42 runs', () => {
    // 43 single pages; the gap after page 0 is 1 page, every other gap 9 pages.
    const pfns = [0, 2, ...Array.from({ length: 41 }, (_, i) => 20 + i * 10)];
    const layout = planRuns(selectionOf(pfns));
    assert.equal(layout.runs.length, 42);
    assert.deepEqual(layout.runs[0], { basePage: 0n, pageCount: 3n });
    assert.equal(layout.zeroFilledPages, 1n);
    assert.equal(layout.numberOfPages, 44n);
    assert.equal(
      layout.runs.reduce((a, r) => a + r.pageCount, 0n),
      layout.numberOfPages,
    );
  });
});

describe('triage block merging', () => {
  it('sorts and joins overlapping or touching intervals, dropping empty ones', () => {
    assert.deepEqual(
      mergeSegments([
        { start: 0x300n, end: 0x400n },
        { start: 0x100n, end: 0x180n },
        { start: 0x180n, end: 0x200n },
        { start: 0x350n, end: 0x380n },
        { start: 0x500n, end: 0x500n },
      ]),
      [
        { start: 0x100n, end: 0x200n },
        { start: 0x300n, end: 0x400n },
      ],
    );
  });
});
