import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONTEXT_ALL,
  CONTEXT_AMD64,
  DUMP_HEADER32,
  DUMP_HEADER64,
  DUMP_SIGNATURE,
  DUMP_VALID_DUMP32,
  DUMP_VALID_DUMP64,
  DumpType,
  ImageFileMachine,
  MAX_PHYSICAL_MEMORY_RUNS64,
  PHYSICAL_MEMORY_BLOCK_SIZE,
  PHYSICAL_MEMORY_DESCRIPTOR64,
  PHYSICAL_MEMORY_RUN64,
  STATUS_BREAKPOINT,
  TRIAGE_DUMP64,
  decodePhysicalMemoryDescriptor64,
  encodeContextRecord64,
  encodeDumpHeader32,
  encodeDumpHeader64,
  encodePhysicalMemoryDescriptor64,
  fillPagePattern,
  headerContext64,
  isPageFiller,
} from '../../src/format/index.js';
import { assertLayout, assertRoundTrip, withGenuineDump } from './helpers.js';

const ascii = (b: Uint8Array, from: number, to: number): string => Buffer.from(b.subarray(from, to)).toString('latin1');

test('DUMP_HEADER64 offsets and sizes (dumpformat.md §1)', () => {
  assertLayout(DUMP_HEADER64, 0x2000, [
    ['Signature', 0x000, 4],
    ['ValidDump', 0x004, 4],
    ['MajorVersion', 0x008, 4],
    ['MinorVersion', 0x00c, 4],
    ['DirectoryTableBase', 0x010, 8],
    ['PfnDataBase', 0x018, 8],
    ['PsLoadedModuleList', 0x020, 8],
    ['PsActiveProcessHead', 0x028, 8],
    ['MachineImageType', 0x030, 4],
    ['NumberProcessors', 0x034, 4],
    ['BugCheckCode', 0x038, 4],
    ['BugCheckParameter1', 0x040, 8],
    ['BugCheckParameter2', 0x048, 8],
    ['BugCheckParameter3', 0x050, 8],
    ['BugCheckParameter4', 0x058, 8],
    ['VersionUser', 0x060, 32],
    ['KdDebuggerDataBlock', 0x080, 8],
    ['PhysicalMemoryBlockBuffer', 0x088, 700],
    ['ContextRecord', 0x348, 3000],
    ['Exception', 0xf00, 0x98],
    ['DumpType', 0xf98, 4],
    ['RequiredDumpSpace', 0xfa0, 8],
    ['SystemTime', 0xfa8, 8],
    ['Comment', 0xfb0, 128],
    ['SystemUpTime', 0x1030, 8],
    ['MiniDumpFields', 0x1038, 4],
    ['SecondaryDataState', 0x103c, 4],
    ['ProductType', 0x1040, 4],
    ['SuiteMask', 0x1044, 4],
    ['WriterStatus', 0x1048, 4],
    ['Unused1', 0x104c, 1],
    ['KdSecondaryVersion', 0x104d, 1],
    ['Unused', 0x104e, 2],
    ['Attributes', 0x1050, 4],
    ['BootId', 0x1054, 4],
  ]);
});

test('DUMP_HEADER32 offsets and sizes (dumpformat.md §1.1)', () => {
  assertLayout(DUMP_HEADER32, 0x1000, [
    ['Signature', 0x00, 4],
    ['ValidDump', 0x04, 4],
    ['MajorVersion', 0x08, 4],
    ['MinorVersion', 0x0c, 4],
    ['DirectoryTableBase', 0x10, 4],
    ['PfnDataBase', 0x14, 4],
    ['PsLoadedModuleList', 0x18, 4],
    ['PsActiveProcessHead', 0x1c, 4],
    ['MachineImageType', 0x20, 4],
    ['NumberProcessors', 0x24, 4],
    ['BugCheckCode', 0x28, 4],
    ['BugCheckParameter1', 0x2c, 4],
    ['BugCheckParameter2', 0x30, 4],
    ['BugCheckParameter3', 0x34, 4],
    ['BugCheckParameter4', 0x38, 4],
    ['VersionUser', 0x3c, 32],
    ['PaeEnabled', 0x5c, 1],
    ['KdSecondaryVersion', 0x5d, 1],
    ['Spare', 0x5e, 2],
    ['KdDebuggerDataBlock', 0x60, 4],
    ['PhysicalMemoryBlockBuffer', 0x64, 700],
    ['ContextRecord', 0x320, 1200],
    ['Exception', 0x7d0, 0x50],
    ['Comment', 0x820, 128],
    ['Attributes', 0x8a0, 4],
    ['BootId', 0x8a4, 4],
    ['_reserved0', 0x8a8, 1760],
    ['DumpType', 0xf88, 4],
    ['MiniDumpFields', 0xf8c, 4],
    ['SecondaryDataState', 0xf90, 4],
    ['ProductType', 0xf94, 4],
    ['SuiteMask', 0xf98, 4],
    ['WriterStatus', 0xf9c, 4],
    ['RequiredDumpSpace', 0xfa0, 8],
    ['_reserved2', 0xfa8, 16],
    ['SystemUpTime', 0xfb8, 8],
    ['SystemTime', 0xfc0, 8],
    ['_reserved3', 0xfc8, 56],
  ]);
});

test('PHYSICAL_MEMORY_DESCRIPTOR64 / RUN64 offsets; 42 runs fit in 700 bytes', () => {
  assertLayout(PHYSICAL_MEMORY_DESCRIPTOR64, 0x10, [
    ['NumberOfRuns', 0x0, 4],
    ['NumberOfPages', 0x8, 8],
  ]);
  assertLayout(PHYSICAL_MEMORY_RUN64, 0x10, [
    ['BasePage', 0x0, 8],
    ['PageCount', 0x8, 8],
  ]);
  assert.equal(MAX_PHYSICAL_MEMORY_RUNS64, 42);
  assert.ok(0x10 + 42 * 0x10 <= PHYSICAL_MEMORY_BLOCK_SIZE && 0x10 + 43 * 0x10 > PHYSICAL_MEMORY_BLOCK_SIZE);
});

test('header layouts round-trip arbitrary bytes', () => {
  assertRoundTrip(DUMP_HEADER64, 15);
  assertRoundTrip(DUMP_HEADER32, 15);
  assertRoundTrip(PHYSICAL_MEMORY_DESCRIPTOR64);
  assertRoundTrip(PHYSICAL_MEMORY_RUN64);
});

test('encodeDumpHeader64 starts from PAGE filler and writes only the given fields', () => {
  const context = encodeContextRecord64({ ContextFlags: CONTEXT_ALL, MxCsr: 0x1f80, Rip: 0xfffff80012345678n });
  const bytes = encodeDumpHeader64({
    MajorVersion: 0xf,
    MinorVersion: 19041,
    DirectoryTableBase: 0x1ad000n,
    MachineImageType: ImageFileMachine.AMD64,
    NumberProcessors: 4,
    BugCheckCode: 0xe2,
    BugCheckParameter1: 0x1122334455667788n,
    ContextRecord: context,
    DumpType: DumpType.BitmapFull,
    KdSecondaryVersion: 2,
  });
  assert.equal(bytes.length, 0x2000);
  assert.equal(ascii(bytes, 0, 8), 'PAGEDU64');
  const view = new DataView(bytes.buffer);
  assert.equal(view.getUint32(0x38, true), 0xe2);
  assert.equal(ascii(bytes, 0x3c, 0x40), 'PAGE', 'alignment gap after BugCheckCode stays PAGE');
  assert.equal(view.getBigUint64(0x40, true), 0x1122334455667788n);
  assert.equal(ascii(bytes, 0x48, 0x50), 'PAGEPAGE', 'unwritten BugCheckParameter2 stays PAGE');
  assert.equal(ascii(bytes, 0x88, 0x90), 'PAGEPAGE', 'PhysicalMemoryBlock not given: PAGE');
  assert.equal(ascii(bytes, 0xf9c, 0xfa0), 'PAGE');
  assert.equal(view.getUint32(0xf98, true), 5);
  assert.equal(ascii(bytes, 0x104c, 0x1050), 'P\u0002GE');
  assert.equal(ascii(bytes, 0x1ffc, 0x2000), 'PAGE');
  const header = DUMP_HEADER64.decode(bytes);
  assert.equal(header.Signature, DUMP_SIGNATURE);
  assert.equal(header.ValidDump, DUMP_VALID_DUMP64);
  assert.equal(header.MinorVersion, 19041);
  assert.ok(isPageFiller(header.BugCheckParameter2));
  assert.ok(isPageFiller(header.Attributes));
  assert.ok(!isPageFiller(header.BugCheckParameter1));
  const ctx = headerContext64(header);
  assert.equal(ctx.Rip, 0xfffff80012345678n);
  assert.equal(ctx.MxCsr, 0x1f80);
  // the ContextRecord tail past the CONTEXT is zero, as in genuine dumps
  assert.ok(header.ContextRecord.subarray(CONTEXT_AMD64.size).every((b) => b === 0));
});

test('encodeDumpHeader32 writes PAGE/DUMP and keeps the filler elsewhere', () => {
  const bytes = encodeDumpHeader32({
    MinorVersion: 2600,
    DumpType: DumpType.Full,
    MachineImageType: ImageFileMachine.I386,
  });
  assert.equal(ascii(bytes, 0, 8), 'PAGEDUMP');
  const header = DUMP_HEADER32.decode(bytes);
  assert.equal(header.ValidDump, DUMP_VALID_DUMP32);
  assert.equal(header.DumpType, 1);
  assert.equal(new DataView(bytes.buffer).getUint32(0xf88, true), 1);
  assert.ok(isPageFiller(header.BugCheckCode));
  assert.equal(ascii(bytes, 0xffc, 0x1000), 'PAGE');
});

test('fillPagePattern keeps the phase of offset 0 and respects its range', () => {
  const b = new Uint8Array(11).fill(0xaa);
  fillPagePattern(b, 2, 9);
  assert.deepEqual([...b], [0xaa, 0xaa, 0x47, 0x45, 0x50, 0x41, 0x47, 0x45, 0x50, 0xaa, 0xaa]);
  const whole = new Uint8Array(8);
  fillPagePattern(whole);
  assert.equal(ascii(whole, 0, 8), 'PAGEPAGE');
  const clamped = new Uint8Array(4);
  fillPagePattern(clamped, -5, 100);
  assert.equal(ascii(clamped, 0, 4), 'PAGE');
  assert.equal(new DataView(whole.buffer).getUint32(0, true), DUMP_SIGNATURE);
});

test('physical memory descriptor: encode/decode runs; NumberOfPages is the sum', () => {
  const runs = [
    { BasePage: 0x1n, PageCount: 0x9en },
    { BasePage: 0x100n, PageCount: 0x7ef00n },
    { BasePage: 0x100000n, PageCount: 0x40000n },
  ];
  const block = encodePhysicalMemoryDescriptor64(runs);
  assert.equal(block.length, 700);
  const view = new DataView(block.buffer);
  assert.equal(view.getUint32(0, true), 3);
  assert.equal(ascii(block, 4, 8), 'PAGE', 'padding after NumberOfRuns is filler');
  assert.equal(view.getBigUint64(8, true), 0x9en + 0x7ef00n + 0x40000n);
  assert.equal(view.getBigUint64(0x10 + 0x10, true), 0x100n);
  assert.equal(ascii(block, 0x40, 0x44), 'PAGE', 'unused run slots are filler');
  const decoded = decodePhysicalMemoryDescriptor64(block);
  assert.equal(decoded.numberOfRuns, 3);
  assert.equal(decoded.numberOfPages, 0x9en + 0x7ef00n + 0x40000n);
  assert.deepEqual(decoded.runs, runs);
  assert.deepEqual(decoded.problems, []);

  const full = Array.from({ length: 42 }, (_, i) => ({ BasePage: BigInt(i * 0x100), PageCount: 0x10n }));
  const fullDecoded = decodePhysicalMemoryDescriptor64(encodePhysicalMemoryDescriptor64(full));
  assert.equal(fullDecoded.runs.length, 42);
  assert.deepEqual(fullDecoded.runs[41], { BasePage: 41n * 0x100n, PageCount: 0x10n });
  assert.deepEqual(fullDecoded.problems, []);

  assert.throws(() => encodePhysicalMemoryDescriptor64([...full, { BasePage: 0x10000n, PageCount: 1n }]), {
    code: 'E_FORMAT',
    message: /43 runs do not fit.*42/,
  });
  assert.throws(() => encodePhysicalMemoryDescriptor64([{ BasePage: 1n << 40n, PageCount: 1n }]), {
    code: 'E_FORMAT',
    message: /Run\[0\]/,
  });
});

test('physical memory descriptor decode is bounded for hostile counts', () => {
  // NumberOfRuns = 0xFFFFFFFF inside a buffer larger than 700 bytes: only 42 runs, never past byte 700
  const big = new Uint8Array(4096).fill(0x11);
  const view = new DataView(big.buffer);
  view.setUint32(0, 0xffffffff, true);
  view.setBigUint64(8, 5n, true);
  view.setBigUint64(700, 0xdeadn, true); // would be run 42 if the bound were not applied
  const d = decodePhysicalMemoryDescriptor64(big);
  assert.equal(d.numberOfRuns, 0xffffffff);
  assert.equal(d.runs.length, MAX_PHYSICAL_MEMORY_RUNS64);
  assert.ok(d.runs.every((r) => r.BasePage === 0x1111111111111111n));
  assert.ok(d.problems.some((p) => /NumberOfRuns 4294967295 exceeds the 42 runs/.test(p)));
  assert.ok(d.problems.some((p) => /NumberOfPages/.test(p)));

  // the PAGE filler of a non-full dump is named as such
  const filler = new Uint8Array(700);
  fillPagePattern(filler);
  const f = decodePhysicalMemoryDescriptor64(filler);
  assert.equal(f.numberOfRuns, DUMP_SIGNATURE);
  assert.equal(f.runs.length, 42);
  assert.ok(f.problems.some((p) => /PAGE' filler/.test(p)));

  // overlapping runs and a NumberOfPages mismatch are reported, not thrown
  const bad = encodePhysicalMemoryDescriptor64([
    { BasePage: 0x100n, PageCount: 0x10n },
    { BasePage: 0x108n, PageCount: 0x10n },
  ]);
  new DataView(bad.buffer).setBigUint64(8, 0x21n, true);
  const b = decodePhysicalMemoryDescriptor64(bad);
  assert.equal(b.pageSum, 0x20n);
  assert.equal(b.problems.length, 2);

  assert.throws(() => decodePhysicalMemoryDescriptor64(new Uint8Array(699)), { code: 'E_FORMAT' });
});

test('genuine triage dump: DUMP_HEADER64 and CONTEXT values', async (t) => {
  await withGenuineDump(t, async (read) => {
    const first = await read(0, 0x2080);
    const h = DUMP_HEADER64.decode(first, 0);
    assert.equal(h.Signature, DUMP_SIGNATURE);
    assert.equal(h.ValidDump, DUMP_VALID_DUMP64);
    assert.equal(h.MajorVersion, 0xf);
    assert.equal(h.MinorVersion, 19041);
    assert.equal(h.DirectoryTableBase, 0x1ad000n);
    assert.equal(h.MachineImageType, 0x8664);
    assert.equal(h.NumberProcessors, 16);
    assert.equal(h.BugCheckCode, 0x1000007e);
    assert.equal(h.DumpType, DumpType.Triage);
    assert.equal(h.MiniDumpFields, 0xcff);
    assert.equal(h.ProductType, 1);
    assert.equal(h.SuiteMask, 0x110);
    assert.equal(h.WriterStatus, 0);
    assert.equal(h.RequiredDumpSpace, 0x197915n);
    assert.equal(h.KdSecondaryVersion, 0);
    assert.equal(h.Unused1, 0x50, "Unused1 stays 'P'");
    assert.ok(isPageFiller(h.SecondaryDataState));
    assert.ok(isPageFiller(h.BootId));
    assert.ok(isPageFiller(h.Attributes));
    assert.equal(ascii(h.VersionUser, 0, 32), 'PAGE'.repeat(8));
    assert.equal(
      decodePhysicalMemoryDescriptor64(h.PhysicalMemoryBlockBuffer).numberOfRuns,
      DUMP_SIGNATURE,
      'triage dumps leave the runs as PAGE',
    );
    // kernel addresses are canonical kernel-half values
    for (const va of [h.PfnDataBase, h.PsLoadedModuleList, h.PsActiveProcessHead, h.KdDebuggerDataBlock])
      assert.equal(va >> 47n, 0x1ffffn);

    const ctx = headerContext64(h);
    assert.equal(ctx.ContextFlags, CONTEXT_ALL);
    assert.equal(ctx.ContextFlags, 0x10001f);
    assert.equal(ctx.MxCsr, 0x1f80);
    assert.equal(ctx.FltSave.MxCsr, ctx.MxCsr, 'the two MxCsr copies agree');
    assert.equal(ctx.SegCs, 0x10);
    assert.equal(ctx.SegSs, 0x18);
    assert.equal(ctx.SegDs, 0x2b);
    assert.equal(ctx.SegFs, 0x53);
    assert.equal(ctx.Rip, h.BugCheckParameter2, 'Rip is the faulting instruction of the 0x7E bug check');

    const e = h.Exception;
    assert.equal(e.ExceptionCode, STATUS_BREAKPOINT);
    assert.equal(e.ExceptionFlags, 1);
    assert.equal(e.NumberParameters, 0);
    assert.equal(e.ExceptionRecord, 0n);
    assert.equal(e.ExceptionAddress >> 47n, 0x1ffffn);
    assert.ok(
      e.ExceptionInformation.every((x) => isPageFiller(x)),
      'unused parameters stay PAGE',
    );

    // The header re-encodes to the identical 0x2000 bytes
    assert.deepEqual(
      DUMP_HEADER64.encode(h),
      first.subarray(0, 0x2000).map((b, i) => (isPadding64(i) ? 0 : b)),
    );
    const rebuilt = new Uint8Array(first.subarray(0, 0x2000));
    DUMP_HEADER64.encodeInto(rebuilt, 0, h);
    assert.deepEqual(rebuilt, first.subarray(0, 0x2000));
    // TRIAGE_DUMP64 directly follows the header
    assert.equal(TRIAGE_DUMP64.decode(first, 0x2000).ContextOffset, DUMP_HEADER64.offsets.ContextRecord);
  });
});

/** Bytes of DUMP_HEADER64 no field covers: encode() writes them as zero. */
function isPadding64(i: number): boolean {
  const inRange = (a: number, b: number): boolean => i >= a && i < b;
  return (
    inRange(0x3c, 0x40) ||
    inRange(0x344, 0x348) ||
    inRange(0xf1c, 0xf20) ||
    inRange(0xf9c, 0xfa0) ||
    inRange(0x1058, 0x2000)
  );
}
