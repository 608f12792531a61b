import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  IOP_TRIAGE_DUMP_DATA_BLOCK,
  MMPFN,
  MmPageLocation,
  POOL_TRACKER_TABLE,
  packPfnEntry1,
  packPfnFlags4,
  pfnShareCount,
  unpackPfnEntry1,
  unpackPfnFlags4,
} from '../../src/format/index.js';
import { assertLayout, assertRoundTrip } from './helpers.js';

test('MMPFN offsets (19041 x64)', () => {
  assertLayout(MMPFN, 0x30, [
    ['u1', 0x00, 8],
    ['PteAddress', 0x08, 8],
    ['OriginalPte', 0x10, 8],
    ['u2', 0x18, 8],
    ['ReferenceCount', 0x20, 2],
    ['e1', 0x22, 1],
    ['e3', 0x23, 1],
    ['u5', 0x24, 4],
    ['u4', 0x28, 8],
  ]);
  assertRoundTrip(MMPFN);
});

test('MMPFN bit fields', () => {
  const e1 = packPfnEntry1({ pageLocation: MmPageLocation.ActiveAndValid, modified: true, cacheAttribute: 1 });
  assert.equal(e1, 0x56);
  assert.deepEqual(unpackPfnEntry1(e1), { pageLocation: 6, modified: true, cacheAttribute: 1 });
  const u4 = packPfnFlags4({ pteFrame: 0x1ad_abcdn });
  assert.equal(u4, (1n << 54n) | 0x1ad_abcdn);
  assert.deepEqual(unpackPfnFlags4(u4), { pteFrame: 0x1ad_abcdn, pfnExists: true });
  assert.equal(pfnShareCount(0xc000_0000_0000_0003n), 3n);
});

test('POOL_TRACKER_TABLE and IopTriageDumpDataBlocks entries', () => {
  assertLayout(POOL_TRACKER_TABLE, 0x28, [
    ['Key', 0x00, 4],
    ['NonPagedAllocs', 0x04, 4],
    ['NonPagedFrees', 0x08, 4],
    ['NonPagedBytes', 0x10, 8],
    ['PagedAllocs', 0x18, 4],
    ['PagedFrees', 0x1c, 4],
    ['PagedBytes', 0x20, 8],
  ]);
  assertLayout(IOP_TRIAGE_DUMP_DATA_BLOCK, 0x10, [
    ['StartAddress', 0, 8],
    ['EndAddress', 8, 8],
  ]);
  assertRoundTrip(POOL_TRACKER_TABLE);
});
