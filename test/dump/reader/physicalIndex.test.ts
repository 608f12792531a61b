import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BitmapIndex, RunsIndex } from '../../../src/dump/reader/physicalIndex.js';
import type { DumpProblem } from '../../../src/dump/reader/index.js';

const BIG_FILE = 1n << 50n;

describe('reader: PFN indexes', () => {
  it('BitmapIndex agrees with a naive rank for random bitmaps and sizes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), fc.nat(2400), (bytes, bitsRaw) => {
        const bits = Math.min(bitsRaw, bytes.length * 8);
        const first = 0x2038n + BigInt(bytes.length);
        const index = new BitmapIndex(bytes, BigInt(bits), first, BIG_FILE);
        let rank = 0;
        const expected: { pfn: bigint; fileOffset: bigint }[] = [];
        for (let pfn = 0; pfn < bits + 40; pfn++) {
          const set = pfn < bits && (bytes[pfn >> 3]! & (1 << (pfn & 7))) !== 0;
          const want = set ? first + BigInt(rank) * 0x1000n : undefined;
          assert.equal(index.fileOffsetOf(BigInt(pfn)), want, `pfn ${pfn}`);
          if (set) {
            expected.push({ pfn: BigInt(pfn), fileOffset: want! });
            rank++;
          }
        }
        assert.equal(index.pageCount, BigInt(rank));
        assert.deepEqual([...index.pages()], expected);
      }),
      { numRuns: 200 },
    );
  });

  it('BitmapIndex stops at the pages the file holds', () => {
    const bytes = new Uint8Array([0xff, 0xff]);
    const index = new BitmapIndex(bytes, 16n, 0x3000n, 0x3000n + 5n * 0x1000n + 0xfffn);
    assert.equal(index.pageCount, 16n);
    assert.equal([...index.pages()].length, 5);
    assert.equal(index.fileOffsetOf(4n), 0x7000n);
    assert.equal(index.fileOffsetOf(5n), undefined);
    assert.ok(index.memoryBytes < 64);
  });

  it('RunsIndex: prefix sums in file order, binary search, overlap reported', () => {
    const problems: DumpProblem[] = [];
    const index = new RunsIndex(
      [
        { basePage: 0x100n, pageCount: 4n },
        { basePage: 0x10n, pageCount: 2n },
        { basePage: 0x102n, pageCount: 3n }, // overlaps 0x102..0x103
        { basePage: 0x200n, pageCount: 0n },
      ],
      0x2000n,
      BIG_FILE,
      problems,
    );
    assert.equal(index.pageCount, 9n);
    assert.equal(index.fileOffsetOf(0x100n), 0x2000n);
    assert.equal(index.fileOffsetOf(0x103n), 0x5000n);
    assert.equal(index.fileOffsetOf(0x10n), 0x6000n);
    assert.equal(index.fileOffsetOf(0x104n), 0x2000n + 8n * 0x1000n, 'third run, third page');
    assert.equal(index.fileOffsetOf(0x105n), undefined);
    assert.equal(index.fileOffsetOf(0x0fn), undefined);
    assert.equal(problems.length, 1);
    assert.deepEqual(
      [...index.pages()].map((p) => p.pfn),
      [0x10n, 0x11n, 0x100n, 0x101n, 0x102n, 0x103n, 0x104n],
    );
  });
});
