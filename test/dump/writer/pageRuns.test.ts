import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planRuns } from '../../../src/dump/writer/fullBody.js';
import { forEachSelectedRange, runsOf, setBits, type PageSelection } from '../../../src/dump/writer/pageSelection.js';
import { mergeSegments } from '../../../src/dump/writer/triageDataBlocks.js';

function selectionOf(pfns: number[]): PageSelection {
  const highest = pfns.length ? pfns[pfns.length - 1]! : -1;
  const bits = Math.ceil((highest + 1) / 32) * 32;
  const bitmap = new Uint8Array(bits / 8);
  for (const pfn of pfns) setBits(bitmap, pfn, pfn + 1);
  return {
    bitmap,
    bits,
    count: BigInt(pfns.length),
    highestSelected: highest,
    highestDescribable: highest,
    addedApplied: 0n,
    removedApplied: 0n,
    unbackedAdded: 0n,
  };
}

describe('runs of a page selection', () => {
  it('groups consecutive PFNs', () => {
    assert.deepEqual(runsOf(selectionOf([1, 2, 3, 7, 9, 10])), [
      { basePage: 1n, pageCount: 3n },
      { basePage: 7n, pageCount: 1n },
      { basePage: 9n, pageCount: 2n },
    ]);
    assert.deepEqual(runsOf(selectionOf([])), []);
  });

  it('finds ranges across whole empty and full bytes and at both ends of a window', () => {
    const bitmap = new Uint8Array(8);
    setBits(bitmap, 3, 29);
    setBits(bitmap, 40, 41);
    setBits(bitmap, 47, 64);
    assert.deepEqual([...bitmap], [0xf8, 0xff, 0xff, 0x1f, 0, 0x81, 0xff, 0xff]);
    const ranges = (from: number, to: number): number[][] => {
      const out: number[][] = [];
      forEachSelectedRange(bitmap, from, to, (start, end) => out.push([start, end]));
      return out;
    };
    assert.deepEqual(ranges(0, 64), [
      [3, 29],
      [40, 41],
      [47, 64],
    ]);
    assert.deepEqual(ranges(10, 45), [
      [10, 29],
      [40, 41],
    ]);
    assert.deepEqual(ranges(30, 40), []);
    assert.deepEqual(ranges(48, 50), [[48, 50]]);
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
