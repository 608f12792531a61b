import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXCEPTION_RECORD32, EXCEPTION_RECORD64, STATUS_BREAKPOINT } from '../../src/format/index.js';
import { assertLayout, assertRoundTrip } from './helpers.js';

test('EXCEPTION_RECORD64 offsets (dumpformat.md §4.2)', () => {
  assertLayout(EXCEPTION_RECORD64, 0x98, [
    ['ExceptionCode', 0x00, 4],
    ['ExceptionFlags', 0x04, 4],
    ['ExceptionRecord', 0x08, 8],
    ['ExceptionAddress', 0x10, 8],
    ['NumberParameters', 0x18, 4],
    ['ExceptionInformation', 0x20, 15 * 8],
  ]);
  assert.equal(EXCEPTION_RECORD64.offsets.ExceptionInformation + 14 * 8, 0x90, 'last parameter');
});

test('EXCEPTION_RECORD32 offsets (0x50 bytes, all ULONG)', () => {
  assertLayout(EXCEPTION_RECORD32, 0x50, [
    ['ExceptionCode', 0x00, 4],
    ['ExceptionFlags', 0x04, 4],
    ['ExceptionRecord', 0x08, 4],
    ['ExceptionAddress', 0x0c, 4],
    ['NumberParameters', 0x10, 4],
    ['ExceptionInformation', 0x14, 15 * 4],
  ]);
});

test('exception records round-trip; short parameter lists are zero-filled', () => {
  assertRoundTrip(EXCEPTION_RECORD64);
  assertRoundTrip(EXCEPTION_RECORD32);
  const rec = EXCEPTION_RECORD64.encode({
    ExceptionCode: STATUS_BREAKPOINT,
    ExceptionFlags: 1,
    ExceptionAddress: 0xfffff8047bdf5a80n,
    NumberParameters: 2,
    ExceptionInformation: [7n, 9n],
  });
  const d = EXCEPTION_RECORD64.decode(rec);
  assert.equal(d.ExceptionCode, 0x80000003);
  assert.equal(d.ExceptionInformation.length, 15);
  assert.deepEqual(d.ExceptionInformation.slice(0, 3), [7n, 9n, 0n]);
  assert.equal(new DataView(rec.buffer).getBigUint64(0x28, true), 9n);
});
