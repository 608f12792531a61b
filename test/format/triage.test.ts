import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DUMP_BLOB_FILE_HEADER,
  DUMP_DRIVER_ENTRY64,
  DUMP_HEADER64,
  DUMP_MM_STORAGE64,
  DUMP_MM_STORAGE64_VERSION,
  DUMP_UNLOADED_DRIVER64,
  DUMP_UNLOADED_DRIVERS_COUNT_SIZE,
  KDDEBUGGER_DATA64,
  KDBG_OWNER_TAG,
  TRIAGE_DATA_BLOCK64,
  TRIAGE_DUMP64,
  TRIAGE_DUMP_VALID,
  decodeTriageStringEntry,
  encodeTriageStringEntry,
  triageStringEntrySize,
} from '../../src/format/index.js';
import { assertLayout, assertRoundTrip, withGenuineDump } from './helpers.js';
import { GENUINE_TRIAGE_DUMP64 } from '../genuineDump.js';

test('TRIAGE_DUMP64 offsets and sizes (dumpformat.md §2.4)', () => {
  assertLayout(TRIAGE_DUMP64, 0x80, [
    ['ServicePackBuild', 0x00, 4],
    ['SizeOfDump', 0x04, 4],
    ['ValidOffset', 0x08, 4],
    ['ContextOffset', 0x0c, 4],
    ['ExceptionOffset', 0x10, 4],
    ['MmOffset', 0x14, 4],
    ['UnloadedDriversOffset', 0x18, 4],
    ['PrcbOffset', 0x1c, 4],
    ['ProcessOffset', 0x20, 4],
    ['ThreadOffset', 0x24, 4],
    ['CallStackOffset', 0x28, 4],
    ['SizeOfCallStack', 0x2c, 4],
    ['DriverListOffset', 0x30, 4],
    ['DriverCount', 0x34, 4],
    ['StringPoolOffset', 0x38, 4],
    ['StringPoolSize', 0x3c, 4],
    ['BrokenDriverOffset', 0x40, 4],
    ['TriageOptions', 0x44, 4],
    ['TopOfStack', 0x48, 8],
    ['ArchitectureSpecific', 0x50, 16],
    ['DataPageAddress', 0x60, 8],
    ['DataPageOffset', 0x68, 4],
    ['DataPageSize', 0x6c, 4],
    ['DebuggerDataOffset', 0x70, 4],
    ['DebuggerDataSize', 0x74, 4],
    ['DataBlocksOffset', 0x78, 4],
    ['DataBlocksCount', 0x7c, 4],
  ]);
});

test('DUMP_MM_STORAGE64 offsets (0x50 bytes)', () => {
  assertLayout(DUMP_MM_STORAGE64, 0x50, [
    ['Version', 0x00, 4],
    ['Size', 0x04, 4],
    ['MmSpecialPoolTag', 0x08, 4],
    ['MiTriageActionTaken', 0x0c, 4],
    ['MmVerifyDriverLevel', 0x10, 4],
    ['KernelVerifier', 0x14, 4],
    ['MmMaximumNonPagedPool', 0x18, 8],
    ['MmAllocatedNonPagedPool', 0x20, 8],
    ['PagedPoolMaximum', 0x28, 8],
    ['PagedPoolAllocated', 0x30, 8],
    ['CommittedPages', 0x38, 8],
    ['CommittedPagesPeak', 0x40, 8],
    ['CommitLimitMaximum', 0x48, 8],
  ]);
});

test('DUMP_UNLOADED_DRIVER64, DUMP_DRIVER_ENTRY64, TRIAGE_DATA_BLOCK64 offsets', () => {
  assertLayout(DUMP_UNLOADED_DRIVER64, 0x38, [
    ['Name', 0x00, 0x10],
    ['DriverName', 0x10, 24],
    ['StartAddress', 0x28, 8],
    ['EndAddress', 0x30, 8],
  ]);
  assertLayout(DUMP_DRIVER_ENTRY64, 0x90, [
    ['DriverNameOffset', 0x00, 4],
    ['LdrEntry', 0x08, 0x88],
  ]);
  assertLayout(TRIAGE_DATA_BLOCK64, 0x10, [
    ['VirtualAddress', 0x0, 8],
    ['Offset', 0x8, 4],
    ['Size', 0xc, 4],
  ]);
});

test('triage layouts round-trip', () => {
  assertRoundTrip(TRIAGE_DUMP64);
  assertRoundTrip(DUMP_MM_STORAGE64);
  assertRoundTrip(DUMP_UNLOADED_DRIVER64);
  assertRoundTrip(DUMP_DRIVER_ENTRY64);
  assertRoundTrip(TRIAGE_DATA_BLOCK64);
  const unloaded = {
    Name: { Length: 14, MaximumLength: 14, Buffer: 0n },
    DriverName: 'dam.sys',
    StartAddress: 0xfffff80487de0000n,
    EndAddress: 0xfffff80487dfc000n,
  };
  assert.deepEqual(DUMP_UNLOADED_DRIVER64.decode(DUMP_UNLOADED_DRIVER64.encode(unloaded)), unloaded);
  const twelve = { ...unloaded, DriverName: 'abcdefghijkl' }; // fills WCHAR[12] with no terminator
  assert.equal(DUMP_UNLOADED_DRIVER64.decode(DUMP_UNLOADED_DRIVER64.encode(twelve)).DriverName, 'abcdefghijkl');
});

test('string-pool entries: Length, text, NUL, padded to 8', () => {
  assert.equal(triageStringEntrySize(0), 8);
  assert.equal(triageStringEntrySize(1), 8);
  assert.equal(triageStringEntrySize(2), 16);
  assert.equal(triageStringEntrySize(33), 0x48);
  const e = encodeTriageStringEntry('amdppm.sys');
  assert.equal(e.length, 32);
  const v = new DataView(e.buffer);
  assert.equal(v.getUint32(0, true), 10);
  assert.equal(v.getUint16(4 + 20, true), 0, 'terminating NUL');
  const pool = new Uint8Array([...encodeTriageStringEntry('a'), ...e]);
  assert.deepEqual(decodeTriageStringEntry(pool, 0), { text: 'a', size: 8 });
  assert.deepEqual(decodeTriageStringEntry(pool, 8), { text: 'amdppm.sys', size: 32 });
  // hostile Length: bounded by the pool and by maxChars, error names the offset
  const hostile = new Uint8Array(16);
  new DataView(hostile.buffer).setUint32(8, 0xffffffff, true);
  assert.throws(() => decodeTriageStringEntry(hostile, 8), { code: 'E_FORMAT', message: /offset 8.*exceeds/ });
  new DataView(hostile.buffer).setUint32(8, 100, true);
  assert.throws(() => decodeTriageStringEntry(hostile, 8, 1000), { code: 'E_FORMAT', message: /runs past the end/ });
  assert.throws(() => decodeTriageStringEntry(hostile, 14), { code: 'E_FORMAT', message: /no room/ });
});

test('genuine triage dump: TRIAGE_DUMP64 and the structures it points to', async (t) => {
  await withGenuineDump(t, async (read, fileSize) => {
    const first = await read(0, 0x2080);
    const header = DUMP_HEADER64.decode(first, 0);
    const td = TRIAGE_DUMP64.decode(first, 0x2000);
    for (const [field, value] of Object.entries(GENUINE_TRIAGE_DUMP64))
      assert.equal(td[field as keyof typeof td], value, `TRIAGE_DUMP64.${field}`);
    assert.ok(
      td.ArchitectureSpecific.every((b) => b === 0),
      'ArchitectureSpecific is zero on x64',
    );
    assert.equal(td.TopOfStack >> 47n, 0x1ffffn, 'TopOfStack is a kernel VA');
    assert.equal(td.ValidOffset, td.SizeOfDump - 4);
    assert.equal(td.ContextOffset, DUMP_HEADER64.offsets.ContextRecord);
    assert.equal(td.ExceptionOffset, DUMP_HEADER64.offsets.Exception);

    // TRGD marker, then the DumpBlob area
    const tail = await read(td.ValidOffset, 4 + DUMP_BLOB_FILE_HEADER.size);
    assert.equal(new DataView(tail.buffer).getUint32(0, true), TRIAGE_DUMP_VALID);
    const blobFile = DUMP_BLOB_FILE_HEADER.decode(tail, 4);
    assert.equal(blobFile.BuildNumber & 0xffff, header.MinorVersion);
    assert.ok(td.SizeOfDump < fileSize);

    // MM info right after the TRIAGE_DUMP64
    const mm = DUMP_MM_STORAGE64.decode(await read(td.MmOffset, DUMP_MM_STORAGE64.size));
    assert.equal(mm.Version, DUMP_MM_STORAGE64_VERSION);
    assert.equal(mm.Size, DUMP_MM_STORAGE64.size);

    // unloaded drivers: u64 count then entries, filling the gap up to the PRCB copy
    const unloadedArea = await read(td.UnloadedDriversOffset, td.PrcbOffset - td.UnloadedDriversOffset);
    const count = Number(new DataView(unloadedArea.buffer).getBigUint64(0, true));
    assert.equal(DUMP_UNLOADED_DRIVERS_COUNT_SIZE + count * DUMP_UNLOADED_DRIVER64.size, unloadedArea.length);
    const unloaded = Array.from({ length: count }, (_, i) =>
      DUMP_UNLOADED_DRIVER64.decode(unloadedArea, 8 + i * DUMP_UNLOADED_DRIVER64.size),
    );
    assert.deepEqual(
      unloaded.map((u) => u.DriverName),
      ['dam.sys', 'WdBoot.sys', 'hwpolicy.sys', 'mcupdate.dll'],
    );
    for (const u of unloaded) {
      assert.equal(u.Name.Length, u.DriverName.length * 2, 'Name.Length counts bytes of DriverName');
      assert.ok(u.EndAddress > u.StartAddress);
    }

    // KDBG copy, driver list and string pool agree with each other and with the header
    const kd = KDDEBUGGER_DATA64.decode(await read(td.DebuggerDataOffset, td.DebuggerDataSize));
    assert.equal(kd.Header.OwnerTag, KDBG_OWNER_TAG);
    const drivers = await read(td.DriverListOffset, td.DriverCount * DUMP_DRIVER_ENTRY64.size);
    const pool = await read(td.StringPoolOffset, td.StringPoolSize);
    let poolCursor = 0;
    for (let i = 0; i < td.DriverCount; i++) {
      const d = DUMP_DRIVER_ENTRY64.decode(drivers, i * DUMP_DRIVER_ENTRY64.size);
      assert.equal(d.DriverNameOffset, td.StringPoolOffset + poolCursor, `driver ${i} name is the next pool entry`);
      const name = decodeTriageStringEntry(pool, poolCursor);
      poolCursor += name.size;
      assert.ok(
        d.LdrEntry.SizeOfImage > 0 && d.LdrEntry.DllBase >> 47n === 0x1ffffn,
        `driver ${i} (${name.text}) has a kernel image`,
      );
      if (i === 0) {
        assert.equal(name.text, '\\SystemRoot\\system32\\ntoskrnl.exe');
        assert.equal(d.LdrEntry.DllBase, kd.KernBase);
        assert.equal(d.LdrEntry.SizeOfImage, 0x1046000);
        assert.equal(d.LdrEntry.CheckSum, 0xa5938c);
        assert.equal(d.LdrEntry.TimeDateStamp, 0x0d8333e6);
      }
    }
    assert.equal(poolCursor, td.StringPoolSize, 'one pool entry per driver, ending exactly at StringPoolSize');

    // data-block descriptors: contents start right after the table and stay inside the primary dump
    const blocks = await read(td.DataBlocksOffset, td.DataBlocksCount * TRIAGE_DATA_BLOCK64.size);
    let expectedOffset = td.DataBlocksOffset + blocks.length;
    for (let i = 0; i < td.DataBlocksCount; i++) {
      const b = TRIAGE_DATA_BLOCK64.decode(blocks, i * TRIAGE_DATA_BLOCK64.size);
      assert.equal(b.Offset, expectedOffset, `data block ${i} is contiguous`);
      expectedOffset += b.Size;
    }
    assert.ok(expectedOffset <= td.ValidOffset);
  });
});
