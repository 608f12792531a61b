import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KLDR_DATA_TABLE_ENTRY, LIST_ENTRY64, UNICODE_STRING64 } from '../../src/format/index.js';
import { assertLayout, assertRoundTrip } from './helpers.js';

test('LIST_ENTRY64 and UNICODE_STRING64 offsets', () => {
  assertLayout(LIST_ENTRY64, 0x10, [
    ['Flink', 0x0, 8],
    ['Blink', 0x8, 8],
  ]);
  assertLayout(UNICODE_STRING64, 0x10, [
    ['Length', 0x0, 2],
    ['MaximumLength', 0x2, 2],
    ['Buffer', 0x8, 8],
  ]);
});

test('KLDR_DATA_TABLE_ENTRY offsets (triage copy, 0x88 bytes)', () => {
  assertLayout(KLDR_DATA_TABLE_ENTRY, 0x88, [
    ['InLoadOrderLinks', 0x00, 0x10],
    ['ExceptionTable', 0x10, 8],
    ['ExceptionTableSize', 0x18, 4],
    ['GpValue', 0x20, 8],
    ['NonPagedDebugInfo', 0x28, 8],
    ['DllBase', 0x30, 8],
    ['EntryPoint', 0x38, 8],
    ['SizeOfImage', 0x40, 4],
    ['FullDllName', 0x48, 0x10],
    ['BaseDllName', 0x58, 0x10],
    ['Flags', 0x68, 4],
    ['LoadCount', 0x6c, 2],
    ['TlsIndex', 0x6e, 2],
    ['SectionPointer', 0x70, 8],
    ['CheckSum', 0x78, 4],
    ['Reserved0', 0x7c, 4],
    ['TimeDateStamp', 0x80, 4],
  ]);
});

test('loader layouts round-trip', () => {
  assertRoundTrip(LIST_ENTRY64);
  assertRoundTrip(UNICODE_STRING64);
  assertRoundTrip(KLDR_DATA_TABLE_ENTRY);
  const s = UNICODE_STRING64.encode({ Length: 0x42, MaximumLength: 0x44, Buffer: 0xffffa00012340000n });
  assert.deepEqual([...s.subarray(0, 8)], [0x42, 0, 0x44, 0, 0, 0, 0, 0], 'padding after MaximumLength is zero');
  assert.equal(new DataView(s.buffer).getBigUint64(8, true), 0xffffa00012340000n);
});
