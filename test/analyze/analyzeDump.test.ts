import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeDump, formatAnalysis, type DumpAnalysis } from '../../src/analyze/index.js';
import { openDump } from '../../src/dump/reader/index.js';
import { formatGuidBraced } from '../../src/format/index.js';
import { SYNTH_DATA_VA, SYNTH_MODULES, genuineDump, readAt, synthKernelDump, writeTemp } from './helpers.js';

async function analyzePath(path: string): Promise<DumpAnalysis> {
  const dump = await openDump(path);
  try {
    return await analyzeDump(dump);
  } finally {
    await dump.close();
  }
}

describe('analyzeDump: genuine Windows 10 triage dump', () => {
  it('reports the bug check, its parameters and their meanings', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const a = await analyzePath(path);
    const raw = new DataView((await readAt(path, 0, 0x60)).buffer);
    const p = [0, 1, 2, 3].map((i) => raw.getBigUint64(0x40 + i * 8, true));

    assert.equal(a.bugCheck.code, '0x1000007e');
    assert.equal(a.bugCheck.name, 'SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M');
    assert.deepEqual(
      a.bugCheck.parameters,
      p.map((v) => `0x${v.toString(16)}`),
    );
    assert.equal(a.bugCheck.parameters[0], '0xffffffffc0000005');
    assert.equal(a.bugCheck.parameterMeanings?.length, 4, 'the _M variant borrows 0x7E meanings');
    assert.match(a.bugCheck.parameterMeanings![0].name, /exception code/i);
    assert.deepEqual(a.bugCheck.exceptionCode, { code: '0xc0000005', name: 'STATUS_ACCESS_VIOLATION' });
    assert.equal(a.bugCheck.parameterSymbols?.[1], 'amdppm+0x334c');
  });

  it('reports the system facts from the header', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const a = await analyzePath(path);
    const raw = new DataView((await readAt(path, 0, 0x2000)).buffer);
    assert.equal(a.dumpType, 4);
    assert.equal(a.dumpTypeName, 'DUMP_TYPE_TRIAGE');
    assert.equal(a.machine, 'AMD64');
    assert.equal(a.machineType, '0x8664');
    assert.equal(a.processors, 16);
    assert.equal(a.build, 19041);
    assert.equal(a.buildType, 'Free');
    assert.equal(a.fileSize, 1444532);
    const fileTime = raw.getBigUint64(0xfa8, true);
    assert.equal(a.systemTime, new Date(Number((fileTime - 116444736000000000n) / 10000n)).toISOString());
    assert.equal(a.systemUpTime?.text, '0 days 0:00:03.747', 'SystemUpTime 0x23BC1E9 x 100 ns');
    assert.equal(a.attributes, undefined, 'Attributes still holds PAGE filler in this dump');
    assert.deepEqual(a.body, { kind: 'triage', end: '0x13a28c' });
    assert.deepEqual(a.modules, { loaded: 151, unloaded: 4 });
    assert.equal(a.triage?.dataBlocks, 1831);
    assert.equal(a.triage?.drivers, 151);
  });

  it('finds the faulting module and the crashing context', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const a = await analyzePath(path);
    assert.deepEqual(a.faultingModule, {
      name: 'amdppm',
      image: '\\SystemRoot\\System32\\drivers\\amdppm.sys',
      base: '0xfffff8048b580000',
      end: '0xfffff8048b5bb000',
      address: '0xfffff8048b58334c',
      offset: '0x334c',
      symbol: 'amdppm+0x334c',
      source: 'BugCheckParameter2',
      function: 'amdppm+0x334c',
    });
    // The header context is the faulting one: Rip is the exception address.
    const header = a.headerContext;
    assert.equal(header?.architecture, 'AMD64');
    if (header?.architecture !== 'AMD64') return;
    assert.equal(header.source, 'header ContextRecord');
    assert.equal(header.rip, a.bugCheck.parameters[1]);
    assert.equal(header.rsp, '0xffff850429892120');
    assert.equal(header.registers.rax, '0xffffc08be4da6240');
    assert.equal(header.segments.cs, '0x10');
    // The synthetic breakpoint record the writer stores in the header (KeBugCheckEx in nt).
    assert.equal(a.exception?.code, '0x80000003');
    assert.equal(a.exception?.codeName, 'STATUS_BREAKPOINT');
    assert.match(a.exception?.exceptionSymbol ?? '', /^nt\+0x/);
  });

  it('reads the EXCEPTION_RECORD and CONTEXT that P3 and P4 point at (.exr / .cxr)', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const a = await analyzePath(path);
    assert.equal(a.bugCheckExceptionRecord?.address, a.bugCheck.parameters[2]);
    assert.equal(a.bugCheckExceptionRecord?.code, '0xc0000005');
    assert.equal(a.bugCheckExceptionRecord?.exceptionAddress, a.bugCheck.parameters[1]);
    assert.equal(a.bugCheckExceptionRecord?.parameters.length, 2);
    assert.equal(a.bugCheckContext?.address, a.bugCheck.parameters[3]);
    assert.equal(a.bugCheckContext?.architecture === 'AMD64' && a.bugCheckContext.rip, a.bugCheck.parameters[1]);
    assert.deepEqual(a.bugCheckContext?.registers, a.headerContext?.registers);
  });

  it('summarises the secondary data and finds no problems', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const a = await analyzePath(path);
    assert.equal(a.secondaryData.length, 20);
    assert.deepEqual(a.secondaryData[0], { guid: '54c84888-01d1-4c1e-bed6-282c98241303', size: 0x1000 });
    assert.equal(a.secondaryDataSummary.count, 20);
    assert.equal(
      a.secondaryDataSummary.totalBytes,
      a.secondaryData.reduce((s, b) => s + b.size, 0),
    );
    assert.equal(a.secondaryDataSummary.areaOffset, '0x13a28c');
    // Every byte after SizeOfDump is the blob area: headers (0x20 each) + data + padding, plus the 0x10 file header.
    const padded = a.secondaryData.reduce((s, b) => s + 0x20 + Math.ceil(b.size / 8) * 8, 0x10);
    assert.equal(padded, a.fileSize - 0x13a28c);
    assert.deepEqual(a.problems, []);
  });

  it('is plain JSON and formats like !analyze -v', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const a = await analyzePath(path);
    assert.deepEqual(JSON.parse(JSON.stringify(a)), a, 'no bigint, no undefined holes');
    const text = formatAnalysis(a).join('\n');
    assert.match(text, /^SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M \(1000007e\)$/m);
    assert.match(text, /^Arg1: ffffffffc0000005, Exception code: /m);
    assert.match(text, /^FAULTING_IP: {2}amdppm\+0x334c /m);
    assert.match(text, /^MODULE_NAME: {2}amdppm$/m);
    assert.match(text, /^IMAGE_NAME: {2}amdppm\.sys$/m);
    assert.match(text, /^rip=fffff8048b58334c rsp=ffff850429892120 rbp=fffff8048b58f598$/m);
    assert.ok(text.includes(`  ${formatGuidBraced(a.secondaryData[3]!.guid)} - 0xd4bb bytes`));
    assert.match(text, /^Problems:\s+none$/m);
  });
});

describe('analyzeDump: synthetic kernel dumps', () => {
  for (const dumpType of [1, 5]) {
    it(`DumpType ${dumpType}: modules from PsLoadedModuleList, case selection, faulting module from a parameter`, async () => {
      const data = new Uint8Array(0x1000).fill(0x5a);
      const faulting = SYNTH_MODULES[1]!.base + 0x1234n;
      const bytes = synthKernelDump(dumpType, data, {
        bugCheckCode: 0x9f,
        bugCheckParameters: [3n, 0xffffc08be4000000n, SYNTH_DATA_VA, 0xffffc08be4001000n],
        context: { Rip: faulting, Rsp: SYNTH_DATA_VA + 0x800n },
        numberProcessors: 2,
      });
      const a = await analyzePath(await writeTemp(bytes));
      assert.equal(a.dumpType, dumpType);
      assert.equal(a.bugCheck.name, 'DRIVER_POWER_STATE_FAILURE');
      assert.equal(a.bugCheck.case?.parameter, 1);
      assert.equal(a.bugCheck.case?.value, '0x3');
      assert.match(a.bugCheck.case?.description ?? '', /held a power IRP/);
      assert.equal(a.bugCheck.parameterMeanings?.[3].name, 'Blocked IRP', 'P4 meaning comes from the selected case');
      assert.equal(a.bugCheck.exceptionCode, undefined);
      assert.deepEqual(a.modules, { loaded: 2, unloaded: 0 });
      assert.equal(a.faultingModule?.symbol, 'mydriver+0x1234');
      assert.equal(a.faultingModule?.source, 'stack frame 0', 'the first frame outside the kernel');
      assert.equal(a.processors, 2);
      assert.equal(a.triage, undefined);
      assert.deepEqual(a.secondaryData, []);
      assert.equal(a.problems.filter((p) => p.severity === 'error').length, 0);
    });
  }

  it('reports a code missing from the reference and an unreadable EXCEPTION_RECORD as problems', async () => {
    const bytes = synthKernelDump(1, new Uint8Array(0x1000), {
      bugCheckCode: 0x1000007e,
      bugCheckParameters: [0xffffffffc0000005n, 0x1234n, 0xfffff80000900000n, SYNTH_DATA_VA],
      context: { Rip: 0x5678n },
    });
    const a = await analyzePath(await writeTemp(bytes));
    assert.ok(a.problems.some((p) => p.code === 'ANALYZE_NOT_IN_DUMP' && p.message.includes('0xfffff80000900000')));
    assert.equal(a.bugCheckExceptionRecord, undefined);
    assert.equal(a.bugCheckContext?.address, '0xfffff80000201000', 'the CONTEXT page is in the dump');
    assert.equal(a.faultingModule, undefined, 'no candidate address falls in a module');

    const unknown = await analyzePath(
      await writeTemp(synthKernelDump(1, new Uint8Array(0x1000), { bugCheckCode: 0x7777 })),
    );
    assert.equal(unknown.bugCheck.name, 'UNKNOWN_BUGCHECK_CODE_0x00007777');
    assert.ok(unknown.problems.some((p) => p.code === 'ANALYZE_UNKNOWN_BUGCHECK'));
  });
});
