import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DBGKD_DEBUG_DATA_HEADER64,
  DUMP_DRIVER_ENTRY64,
  DUMP_HEADER64,
  KDBG_OWNER_TAG,
  KDDEBUGGER_DATA64,
  KDDEBUGGER_DATA64_SIZE,
  PAGE_SIZE,
  TRIAGE_DUMP64,
} from '../../src/format/index.js';
import { assertLayout, assertRoundTrip, withGenuineDump } from './helpers.js';

test('DBGKD_DEBUG_DATA_HEADER64 offsets', () => {
  assertLayout(DBGKD_DEBUG_DATA_HEADER64, 0x18, [
    ['List', 0x00, 0x10],
    ['OwnerTag', 0x10, 4],
    ['Size', 0x14, 4],
  ]);
  assert.equal(Buffer.from(new Uint32Array([KDBG_OWNER_TAG]).buffer).toString('latin1'), 'KDBG');
});

test('KDDEBUGGER_DATA64 offsets (dumpformat.md §1 and wdbgexts.h order)', () => {
  assert.equal(KDDEBUGGER_DATA64.size, 0x380);
  assert.equal(KDDEBUGGER_DATA64_SIZE, 0x380);
  const o = KDDEBUGGER_DATA64.offsets;
  const expected: [keyof typeof o, number][] = [
    ['Header', 0x00],
    ['KernBase', 0x18],
    ['BreakpointWithStatus', 0x20],
    ['SavedContext', 0x28],
    ['ThCallbackStack', 0x30],
    ['PaeEnabled', 0x36],
    ['KiCallUserMode', 0x38],
    ['PsLoadedModuleList', 0x48],
    ['PsActiveProcessHead', 0x50],
    ['KeBugCheckCallbackListHead', 0x80],
    ['KiBugcheckData', 0x88],
    ['MmPfnDatabase', 0xc0],
    ['KiProcessorBlock', 0x218],
    ['MmSystemParentTablePage', 0x288],
    ['MmVirtualTranslationBase', 0x290],
    ['OffsetKThreadNextProcessor', 0x298],
    ['SizeEThread', 0x2c0],
    ['KdPrintCircularBufferPtr', 0x2c8],
    ['KeLoaderBlock', 0x2d8],
    ['SizePcr', 0x2e0],
    ['Gdt64R3CmTeb', 0x306],
    ['IopNumTriageDumpDataBlocks', 0x308],
    ['IopTriageDumpDataBlocks', 0x310],
    ['VfCrashDataBlock', 0x318],
    ['MmBadPagesDetected', 0x320],
    ['MmZeroedPageSingleBitErrorsDetected', 0x328],
    ['EtwpDebuggerData', 0x330],
    ['OffsetPrcbContext', 0x338],
    ['OffsetPrcbMaxBreakpoints', 0x33a],
    ['OffsetPrcbMaxWatchpoints', 0x33c],
    ['OffsetKThreadStackLimit', 0x340],
    ['OffsetKThreadStackBase', 0x344],
    ['OffsetKThreadQueueListEntry', 0x348],
    ['OffsetEThreadIrpList', 0x34c],
    ['OffsetPrcbIdleThread', 0x350],
    ['SizeKDPC_STACK_FRAME', 0x358],
    ['OffsetKThreadWaitReason', 0x35c],
    ['PteBase', 0x360],
    ['RetpolineStubFunctionTable', 0x368],
    ['RetpolineStubSize', 0x378],
    ['OffsetEProcessMmHotPatchContext', 0x37c],
  ];
  for (const [name, offset] of expected)
    assert.equal(
      o[name],
      offset,
      `KDDEBUGGER_DATA64.${String(name)} at 0x${offset.toString(16)} (got 0x${o[name].toString(16)})`,
    );
  // Offsets only grow and fields never overlap: the declaration is one contiguous C struct
  const f = KDDEBUGGER_DATA64.fields;
  for (let i = 1; i < f.length; i++)
    assert.ok(f[i]!.offset >= f[i - 1]!.offset + f[i - 1]!.size, `${f[i]!.name} overlaps ${f[i - 1]!.name}`);
  assert.equal(f[f.length - 1]!.name, 'OffsetEProcessMmHotPatchContext');
  assert.equal(f[f.length - 1]!.offset + f[f.length - 1]!.size, 0x37e, 'only alignment padding after the last field');
});

test('KDDEBUGGER_DATA64 round-trips', () => {
  assertRoundTrip(DBGKD_DEBUG_DATA_HEADER64);
  assertRoundTrip(KDDEBUGGER_DATA64, 20);
  const kd = KDDEBUGGER_DATA64.encode({
    Header: { List: { Flink: 1n, Blink: 2n }, OwnerTag: KDBG_OWNER_TAG, Size: KDDEBUGGER_DATA64_SIZE },
    KiProcessorBlock: 0xfffff80000001000n,
    OffsetPrcbContext: 0x85c0,
  });
  const v = new DataView(kd.buffer);
  assert.equal(v.getUint32(0x10, true), KDBG_OWNER_TAG);
  assert.equal(v.getUint32(0x14, true), 0x380);
  assert.equal(v.getBigUint64(0x218, true), 0xfffff80000001000n);
  assert.equal(v.getUint16(0x338, true), 0x85c0);
});

test('genuine triage dump: the plain-text KDBG copy agrees with the header', async (t) => {
  await withGenuineDump(t, async (read) => {
    const first = await read(0, 0x2080);
    const h = DUMP_HEADER64.decode(first, 0);
    const td = TRIAGE_DUMP64.decode(first, 0x2000);
    const kd = KDDEBUGGER_DATA64.decode(await read(td.DebuggerDataOffset, td.DebuggerDataSize));
    assert.equal(kd.Header.OwnerTag, KDBG_OWNER_TAG);
    assert.equal(kd.Header.Size, KDDEBUGGER_DATA64.size);
    assert.equal(kd.PsLoadedModuleList, h.PsLoadedModuleList);
    assert.equal(kd.PsActiveProcessHead, h.PsActiveProcessHead);
    assert.equal(kd.MmPfnDatabase, h.PfnDataBase);
    assert.equal(kd.MmPageSize, BigInt(PAGE_SIZE));
    assert.equal(kd.PaeEnabled & 1, 1);
    // x64 Windows GDT selectors and KPCR offsets are fixed by the architecture/ABI
    assert.deepEqual(
      [kd.GdtR0Code, kd.GdtR0Data, kd.GdtR3Code, kd.GdtR3Data, kd.Gdt64R3CmCode, kd.Gdt64R3CmTeb, kd.GdtTss],
      [0x10, 0x18, 0x33, 0x2b, 0x23, 0x53, 0x40],
    );
    assert.deepEqual([kd.OffsetPcrSelfPcr, kd.OffsetPcrCurrentPrcb, kd.OffsetPcrContainedPrcb], [0x18, 0x20, 0x180]);
    assert.equal(kd.PteBase & ((1n << 39n) - 1n), 0n, 'PteBase is a PML4-slot-aligned self-map base');
    // KdDebuggerDataBlock and the callback list heads lie inside ntoskrnl's image (driver 0)
    const nt = DUMP_DRIVER_ENTRY64.decode(await read(td.DriverListOffset, DUMP_DRIVER_ENTRY64.size)).LdrEntry;
    assert.equal(kd.KernBase, nt.DllBase);
    const inImage = (va: bigint): boolean => va >= nt.DllBase && va < nt.DllBase + BigInt(nt.SizeOfImage);
    for (const va of [
      h.KdDebuggerDataBlock,
      kd.KeBugCheckCallbackListHead,
      kd.KiBugcheckData,
      kd.KiProcessorBlock,
      kd.BreakpointWithStatus,
    ]) {
      assert.ok(inImage(va), `0x${va.toString(16)} inside ntoskrnl`);
    }
  });
});
