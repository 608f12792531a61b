import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BITMAP_DUMP_BITMAP_OFFSET,
  BITMAP_DUMP_HEADER64,
  BITMAP_VALID_DUMP,
  DUMP_FULL_SIGNATURE,
  DUMP_SUMMARY_VALID_KERNEL_VA,
  bitmapByteLength,
  bitmapPopCount,
  bitmapSet,
  bitmapTest,
} from '../../src/format/index.js';
import { assertLayout, assertRoundTrip } from './helpers.js';

test('BITMAP_DUMP_HEADER64 offsets (dumpformat.md §2.2)', () => {
  assertLayout(BITMAP_DUMP_HEADER64, 0x38, [
    ['Signature', 0x00, 4],
    ['ValidDump', 0x04, 4],
    ['DumpOptions', 0x08, 4],
    ['Reserved', 0x0c, 0x14],
    ['HeaderSize', 0x20, 8],
    ['Pages', 0x28, 8],
    ['BitmapSize', 0x30, 8],
  ]);
  assert.equal(BITMAP_DUMP_BITMAP_OFFSET, 0x38);
});

test('BITMAP_DUMP_HEADER64 round-trips; FDMP/DUMP spell out', () => {
  assertRoundTrip(BITMAP_DUMP_HEADER64);
  // the rizin/kdmp-parser sample's numbers: HeaderSize = 0x2000 + 0x38 + BitmapSize/8
  const h = {
    Signature: DUMP_FULL_SIGNATURE,
    ValidDump: BITMAP_VALID_DUMP,
    DumpOptions: DUMP_SUMMARY_VALID_KERNEL_VA,
    HeaderSize: 0xa038n,
    Pages: 0x544bn,
    BitmapSize: 0x40000n,
  };
  const bytes = BITMAP_DUMP_HEADER64.encode(h);
  assert.equal(Buffer.from(bytes.subarray(0, 8)).toString('latin1'), 'FDMPDUMP');
  const d = BITMAP_DUMP_HEADER64.decode(bytes);
  assert.equal(d.HeaderSize, 0x2000n + BigInt(BITMAP_DUMP_BITMAP_OFFSET + bitmapByteLength(d.BitmapSize)));
  assert.equal(d.Pages, 0x544bn);
});

test('bitmap bits are LSB-first per byte; popcount counts present pages', () => {
  assert.equal(bitmapByteLength(0x40000n), 0x8000);
  assert.equal(bitmapByteLength(9), 2);
  assert.equal(bitmapByteLength(0), 0);
  assert.throws(() => bitmapByteLength(-1n), { code: 'E_FORMAT' });
  const bm = new Uint8Array(4);
  for (const pfn of [0, 9, 31]) bitmapSet(bm, pfn);
  assert.deepEqual([...bm], [0x01, 0x02, 0x00, 0x80]);
  assert.equal(new DataView(bm.buffer).getUint32(0, true), 0x80000201, 'same as reading ULONGs');
  assert.ok(bitmapTest(bm, 9) && !bitmapTest(bm, 8) && !bitmapTest(bm, 32) && !bitmapTest(bm, -1));
  assert.equal(bitmapPopCount(bm), 3);
  assert.equal(bitmapPopCount(new Uint8Array([0xff, 0x7f])), 15);
  assert.throws(() => bitmapSet(bm, 32), { code: 'E_FORMAT', message: /PFN 32/ });
});
