import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  KADDRESS_RANGE,
  KBUGCHECK_ADD_PAGES,
  KBUGCHECK_CALLBACK_RECORD,
  KBUGCHECK_DUMP_IO,
  KBUGCHECK_DUMP_IO_SEQUENTIAL_OFFSET,
  KBUGCHECK_REASON_CALLBACK_RECORD,
  KBUGCHECK_REMOVE_PAGES,
  KBUGCHECK_SECONDARY_DUMP_DATA,
  KBUGCHECK_SECONDARY_DUMP_DATA_EX,
  KBUGCHECK_TRIAGE_DUMP_DATA,
  KBugCheckBufferDumpState,
  KTRIAGE_DUMP_DATA_ARRAY,
  KTRIAGE_DUMP_DATA_ARRAY_BLOCKS_OFFSET,
  KbCallbackReason,
  KbDumpIoType,
  ktriageDumpDataArraySize,
} from '../../src/format/index.js';
import { assertLayout, assertRoundTrip } from './helpers.js';

const EPILOGUE: [string, number, number][] = [
  ['BugCheckParameter1', 0, 8],
  ['BugCheckParameter2', 8, 8],
  ['BugCheckParameter3', 16, 8],
  ['BugCheckParameter4', 24, 8],
];
const params = (base: number): [string, number, number][] => EPILOGUE.map(([n, o, s]) => [n, base + o, s]);

test('KBUGCHECK_REASON_CALLBACK_RECORD and KBUGCHECK_CALLBACK_RECORD (callbacks.md §3.1–3.2)', () => {
  assertLayout(KBUGCHECK_REASON_CALLBACK_RECORD, 0x30, [
    ['Entry', 0x00, 16],
    ['CallbackRoutine', 0x10, 8],
    ['Component', 0x18, 8],
    ['Checksum', 0x20, 8],
    ['Reason', 0x28, 4],
    ['State', 0x2c, 1],
  ]);
  assertLayout(KBUGCHECK_CALLBACK_RECORD, 0x40, [
    ['Entry', 0x00, 16],
    ['CallbackRoutine', 0x10, 8],
    ['Buffer', 0x18, 8],
    ['Length', 0x20, 4],
    ['Component', 0x28, 8],
    ['Checksum', 0x30, 8],
    ['State', 0x38, 1],
  ]);
});

test('secondary dump data structures (callbacks.md §4.1–4.2)', () => {
  const head: [string, number, number][] = [
    ['InBuffer', 0x00, 8],
    ['InBufferLength', 0x08, 4],
    ['MaximumAllowed', 0x0c, 4],
    ['Guid', 0x10, 16],
    ['OutBuffer', 0x20, 8],
    ['OutBufferLength', 0x28, 4],
  ];
  assertLayout(KBUGCHECK_SECONDARY_DUMP_DATA, 0x30, head);
  assertLayout(KBUGCHECK_SECONDARY_DUMP_DATA_EX, 0x68, [
    ...head,
    ['Context', 0x30, 8],
    ['Flags', 0x38, 4],
    ['DumpType', 0x3c, 4],
    ['BugCheckCode', 0x40, 4],
    ...params(0x48),
  ]);
});

test('dump I/O, add/remove pages, triage dump data, KADDRESS_RANGE, KTRIAGE_DUMP_DATA_ARRAY (callbacks.md §4.3–4.7)', () => {
  assertLayout(KBUGCHECK_DUMP_IO, 0x18, [
    ['Offset', 0x00, 8],
    ['Buffer', 0x08, 8],
    ['BufferLength', 0x10, 4],
    ['Type', 0x14, 4],
  ]);
  const pages: [string, number, number][] = [
    ['Context', 0x00, 8],
    ['Flags', 0x08, 4],
    ['BugCheckCode', 0x0c, 4],
    ['Address', 0x10, 8],
    ['Count', 0x18, 8],
  ];
  assertLayout(KBUGCHECK_ADD_PAGES, 0x20, pages);
  assertLayout(KBUGCHECK_REMOVE_PAGES, 0x20, pages);
  assertLayout(KBUGCHECK_TRIAGE_DUMP_DATA, 0x38, [
    ['DataArray', 0x00, 8],
    ['Flags', 0x08, 4],
    ['MaxVirtMemSize', 0x0c, 4],
    ['BugCheckCode', 0x10, 4],
    ...params(0x18),
  ]);
  assertLayout(KADDRESS_RANGE, 0x10, [
    ['Address', 0x0, 8],
    ['Size', 0x8, 8],
  ]);
  assertLayout(KTRIAGE_DUMP_DATA_ARRAY, 0x30, [
    ['List', 0x00, 16],
    ['NumBlocksUsed', 0x10, 4],
    ['NumBlocksTotal', 0x14, 4],
    ['DataSize', 0x18, 4],
    ['MaxDataSize', 0x1c, 4],
    ['ComponentNameBufferLength', 0x20, 4],
    ['ComponentName', 0x28, 8],
  ]);
  assert.equal(KTRIAGE_DUMP_DATA_ARRAY_BLOCKS_OFFSET, 0x30);
  assert.equal(ktriageDumpDataArraySize(4), 0x30 + 4 * 16);
});

test('callback structures round-trip; enum fields are signed 32-bit', () => {
  for (const l of [
    KBUGCHECK_REASON_CALLBACK_RECORD,
    KBUGCHECK_CALLBACK_RECORD,
    KBUGCHECK_SECONDARY_DUMP_DATA,
    KBUGCHECK_SECONDARY_DUMP_DATA_EX,
    KBUGCHECK_DUMP_IO,
    KBUGCHECK_ADD_PAGES,
    KBUGCHECK_REMOVE_PAGES,
    KBUGCHECK_TRIAGE_DUMP_DATA,
    KADDRESS_RANGE,
    KTRIAGE_DUMP_DATA_ARRAY,
  ]) {
    assertRoundTrip(l as Parameters<typeof assertRoundTrip>[0]);
  }
  const rec = KBUGCHECK_REASON_CALLBACK_RECORD.encode({
    Entry: { Flink: 0xfffff80000002000n, Blink: 0xfffff80000003000n },
    CallbackRoutine: 0xfffff80012340000n,
    Reason: KbCallbackReason.KbCallbackSecondaryDumpData,
    State: KBugCheckBufferDumpState.BufferInserted,
  });
  assert.equal(rec[0x28], 2);
  assert.equal(rec[0x2c], 1);
  assert.deepEqual([...rec.subarray(0x2d, 0x30)], [0, 0, 0]);
  const io = KBUGCHECK_DUMP_IO.decode(
    KBUGCHECK_DUMP_IO.encode({ Offset: KBUGCHECK_DUMP_IO_SEQUENTIAL_OFFSET, Type: KbDumpIoType.KbDumpIoComplete }),
  );
  assert.equal(io.Offset, 0xffffffffffffffffn);
  assert.equal(io.Type, 4);
  const bad = KBUGCHECK_DUMP_IO.encode({ Type: -1 });
  assert.equal(KBUGCHECK_DUMP_IO.decode(bad).Type, -1);
  const sdd = KBUGCHECK_SECONDARY_DUMP_DATA.encode({ Guid: '54c84888-01d1-4c1e-bed6-282c98241303' });
  assert.deepEqual([...sdd.subarray(0x10, 0x14)], [0x88, 0x48, 0xc8, 0x54]);
});
