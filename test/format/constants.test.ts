import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as F from '../../src/format/index.js';

const text = (n: number): string => Buffer.from(new Uint32Array([n]).buffer).toString('latin1');

test('four-character constants spell their text in file byte order', () => {
  assert.equal(text(F.DUMP_SIGNATURE), 'PAGE');
  assert.equal(text(F.DUMP_VALID_DUMP64), 'DU64');
  assert.equal(text(F.DUMP_VALID_DUMP32), 'DUMP');
  assert.equal(text(F.DUMP_SUMMARY_SIGNATURE), 'SDMP');
  assert.equal(text(F.DUMP_FULL_SIGNATURE), 'FDMP');
  assert.equal(text(F.BITMAP_VALID_DUMP), 'DUMP');
  assert.equal(text(F.TRIAGE_DUMP_VALID), 'TRGD');
  assert.equal(text(F.DUMP_BLOB_SIGNATURE1) + text(F.DUMP_BLOB_SIGNATURE2), 'DumpBlob');
  assert.equal(text(F.KDBG_OWNER_TAG), 'KDBG');
  const q = new DataView(new ArrayBuffer(8));
  q.setBigUint64(0, F.DUMP_SIGNATURE_QWORD, true);
  assert.equal(Buffer.from(q.buffer).toString('latin1'), 'PAGEPAGE');
  assert.ok(F.isPageFiller(F.DUMP_SIGNATURE) && F.isPageFiller(F.DUMP_SIGNATURE_QWORD));
  assert.ok(!F.isPageFiller(0) && !F.isPageFiller(BigInt(F.DUMP_SIGNATURE)));
});

test('sizes, page constants and contract values', () => {
  assert.equal(F.PAGE_SIZE, 1 << F.PAGE_SHIFT);
  assert.equal(F.DUMP_HEADER64_SIZE, F.DUMP_HEADER64.size);
  assert.equal(F.DUMP_HEADER32_SIZE, F.DUMP_HEADER32.size);
  assert.equal(F.CONTEXT_FULL, 0x10000b);
  assert.equal(F.CONTEXT_ALL, 0x10001f);
  assert.equal(F.CONTEXT_CONTROL, 0x100001);
  assert.equal(F.CONTEXT_DEBUG_REGISTERS, 0x100010);
  assert.equal(F.TRIAGE_DUMP_BASIC_INFO, 0xff);
  const singleBits = Object.values(F.TriageDumpField);
  assert.equal(
    singleBits.filter((b) => b <= 0x80).reduce((a, b) => a | b, 0),
    F.TRIAGE_DUMP_BASIC_INFO,
  );
  assert.equal(F.TRIAGE_DUMP_DATA_BLOCKS, 0x800);
  assert.equal(F.DumpFileAttribute.HiberCrash, 1);
  assert.equal(F.DumpFileAttribute.LiveDumpGeneratedDump, 0x10);
  assert.equal(F.DumpFileAttribute.DecryptedDump, 0x200);
  assert.equal(F.KB_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST, 2 ** 31);
  assert.equal(F.KB_ADD_PAGES_FEATURE_MASK, 0xf << F.KB_ADD_PAGES_FEATURE_SHIFT);
  assert.equal(F.KB_REMOVE_PAGES_FEATURE_MASK, 0xf << (F.KB_REMOVE_PAGES_FEATURE_SHIFT * 2));
  assert.equal(F.KE_MAX_TRIAGE_DUMP_DATA_MEMORY_SIZE, 32 * 1024 * 1024);
  assert.equal(F.STATUS_BREAKPOINT, 0x80000003);
  assert.ok(
    F.ntSuccess(F.STATUS_SUCCESS) && !F.ntSuccess(F.STATUS_BUFFER_TOO_SMALL) && !F.ntSuccess(F.STATUS_BREAKPOINT),
  );
  assert.ok(F.ntSuccess(0x40000000), 'informational statuses succeed');
});

test('enumerations are sequential from 0 as in wdm.h', () => {
  assert.deepEqual(Object.values(F.KbCallbackReason), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(Object.values(F.KBugCheckBufferDumpState), [0, 1, 2, 3, 4]);
  assert.deepEqual(Object.values(F.KbDumpIoType), [0, 1, 2, 3, 4]);
  assert.equal(F.enumName(F.KbCallbackReason, 7), 'KbCallbackTriageDumpData');
  assert.equal(F.enumName(F.KbDumpIoType, 12), 'unknown (12)');
});

test('dumpTypeName, machineName, flagNames', () => {
  assert.equal(F.dumpTypeName(F.DumpType.Full), 'DUMP_TYPE_FULL');
  assert.equal(F.dumpTypeName(4), 'DUMP_TYPE_TRIAGE');
  assert.equal(F.dumpTypeName(5), 'DUMP_TYPE_BITMAP_FULL');
  assert.equal(F.dumpTypeName(6), 'DUMP_TYPE_BITMAP_KERNEL');
  assert.equal(F.dumpTypeName(7), 'DUMP_TYPE_AUTOMATIC');
  assert.equal(F.dumpTypeName(-1), 'DUMP_TYPE_INVALID');
  assert.equal(F.dumpTypeName(0xffffffff), 'DUMP_TYPE_INVALID', 'raw ULONG form of -1');
  assert.equal(F.dumpTypeName(0xa), 'unknown (0x0A)');
  assert.equal(F.dumpTypeName(F.DUMP_SIGNATURE), 'unknown (0x45474150)');
  assert.equal(F.machineName(0x8664), 'AMD64');
  assert.equal(F.machineName(F.ImageFileMachine.ARM64), 'ARM64');
  assert.equal(F.machineName(0x14c), 'I386');
  assert.equal(F.machineName(0x1c4), 'unknown (0x1C4)');
  assert.deepEqual(F.flagNames(0xcff, F.TriageDumpField), [
    'TRIAGE_DUMP_CONTEXT',
    'TRIAGE_DUMP_EXCEPTION',
    'TRIAGE_DUMP_PRCB',
    'TRIAGE_DUMP_PROCESS',
    'TRIAGE_DUMP_THREAD',
    'TRIAGE_DUMP_STACK',
    'TRIAGE_DUMP_DRIVER_LIST',
    'TRIAGE_DUMP_BROKEN_DRIVER',
    'TRIAGE_DUMP_DEBUGGER_DATA',
    'TRIAGE_DUMP_DATA_BLOCKS',
  ]);
  assert.deepEqual(F.flagNames(0x80000018, F.DumpFileAttribute), [
    'KernelGeneratedTriageDump',
    'LiveDumpGeneratedDump',
    '0x80000000',
  ]);
  assert.deepEqual(F.flagNames(0, F.DumpFileAttribute), []);
});
