import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeDump, failureBucketId, formatAnalysis, type DumpAnalysis } from '../../src/analyze/index.js';
import { openDump } from '../../src/dump/reader/index.js';
import { CONTEXT_AMD64, DumpType, KDDEBUGGER_DATA64, type KdDebuggerData64 } from '../../src/format/index.js';
import {
  PageTableBuilder,
  SynthMemory,
  VirtualHeap,
  buildDump,
  writeKdDebuggerData,
  writeModuleList,
} from '../synth/index.js';
import { writeTemp } from './helpers.js';
import { buildImage } from './peBuilder.js';
import { CRASH_CONTEXT, DRV_BASE, DRV_IMAGE, NT_BASE, NT_IMAGE, S0, STACK_BASE, buildStack } from './x64Fixture.js';

/** KPRCB / KTHREAD / EPROCESS offsets of this synthetic build, told to the analyzer through KDBG (as Windows does). */
const PRCB_CONTEXT = 0x1000;
const PRCB_CURRENT_THREAD = 0x8;
const PRCB_NUMBER = 0x24;
const THREAD_APC_PROCESS = 0xb8;
const THREAD_STACK_BASE = 0x38;
const THREAD_STACK_LIMIT = 0x30;
/** EPROCESS.ImageFileName of build 19041. */
const PROCESS_IMAGE_FILE_NAME = 0x5a8;

/**
 * A kernel (bitmap) dump of a 19041 x64 machine with `processors` KPRCBs:
 * processor `crashing` called KeBugCheckEx(0xD1, …) from drv!MyDpcRoutine
 * (its KPRCB.Context is that frame); the others were frozen elsewhere.
 * nt and drv.sys are in memory with their PE headers, .pdata and exports.
 */
function buildKernelCrash(processors: number, crashing: number, kdbg: Partial<KdDebuggerData64> = {}): Uint8Array {
  const memory = new SynthMemory();
  const tables = new PageTableBuilder(memory);
  const heap = new VirtualHeap(tables, 0xfffff8047c600000n, 0x2000n);
  const place = (base: bigint, bytes: Uint8Array, firstPfn: bigint): void => {
    const h = new VirtualHeap(tables, base, firstPfn);
    h.alloc(bytes.length, 0x1000);
    h.write(base, bytes);
  };
  place(NT_BASE, buildImage(NT_IMAGE), 0x4000n);
  place(DRV_BASE, buildImage(DRV_IMAGE), 0x5000n);
  place(STACK_BASE, buildStack(), 0x6000n);
  const modules = writeModuleList(heap, [
    { name: 'ntoskrnl.exe', fullName: '\\SystemRoot\\system32\\ntoskrnl.exe', base: NT_BASE, size: 0x4000 },
    { name: 'drv.sys', base: DRV_BASE, size: 0x4000 },
  ]);
  const code = 0xd1;
  const params: [bigint, bigint, bigint, bigint] = [0x10n, 2n, 0n, DRV_BASE + 0x1110n];
  const process = heap.alloc(0x800, 16);
  heap.write(process + BigInt(PROCESS_IMAGE_FILE_NAME), new TextEncoder().encode('System\0'));
  const thread = heap.alloc(0x400, 16);
  const tv = new Uint8Array(0x100);
  const t = new DataView(tv.buffer);
  t.setBigUint64(THREAD_APC_PROCESS, process, true);
  t.setBigUint64(THREAD_STACK_BASE, STACK_BASE + 0x2000n, true);
  t.setBigUint64(THREAD_STACK_LIMIT, STACK_BASE, true);
  heap.write(thread, tv);
  const block = heap.alloc(processors * 8, 8);
  for (let i = 0; i < processors; i++) {
    const prcb = heap.alloc(0x1100, 64);
    const context = heap.alloc(CONTEXT_AMD64.size, 16);
    const fields =
      i === crashing
        ? { ...CRASH_CONTEXT, Rcx: BigInt(code), Rdx: params[0], R8: params[1], R9: params[2] }
        : { Rip: NT_BASE + 0x1010n, Rsp: STACK_BASE + 0x100n, Rcx: 0x1234n };
    heap.write(context, CONTEXT_AMD64.encode({ ContextFlags: 0x10001f, MxCsr: 0x1f80, ...fields }));
    const p = new Uint8Array(0x1100);
    const pv = new DataView(p.buffer);
    pv.setBigUint64(PRCB_CONTEXT, context, true);
    pv.setBigUint64(PRCB_CURRENT_THREAD, i === crashing ? thread : 0n, true);
    pv.setUint16(PRCB_NUMBER, i, true);
    heap.write(prcb, p);
    const slot = new Uint8Array(8);
    new DataView(slot.buffer).setBigUint64(0, prcb, true);
    heap.write(block + BigInt(i * 8), slot);
  }
  const kd = writeKdDebuggerData(heap, {
    KernBase: NT_BASE,
    PsLoadedModuleList: modules.head,
    KiProcessorBlock: block,
    OffsetPrcbContext: PRCB_CONTEXT,
    OffsetPrcbCurrentThread: PRCB_CURRENT_THREAD,
    OffsetPrcbNumber: PRCB_NUMBER,
    OffsetKThreadApcProcess: THREAD_APC_PROCESS,
    OffsetKThreadStackBase: THREAD_STACK_BASE,
    OffsetKThreadStackLimit: THREAD_STACK_LIMIT,
    SizePrcb: 0x1100,
    ...kdbg,
  });
  return buildDump({
    dumpType: DumpType.BitmapKernel,
    memory,
    directoryTableBase: tables.directoryTableBase(),
    kdDebuggerDataBlock: kd,
    psLoadedModuleList: modules.head,
    numberProcessors: processors,
    bugCheckCode: code,
    bugCheckParameters: params,
    // The header context is the same KeBugCheckEx frame, as Windows writes it.
    context: { ...CRASH_CONTEXT, Rcx: BigInt(code) },
    header: { MinorVersion: 19041 },
  }).bytes;
}

async function analyzed(bytes: Uint8Array): Promise<DumpAnalysis> {
  const dump = await openDump(await writeTemp(bytes, 'kernel-crash'));
  try {
    return await analyzeDump(dump);
  } finally {
    await dump.close();
  }
}

describe('analyze on a kernel dump with KiProcessorBlock and images in memory', () => {
  it('picks the processor whose KPRCB.Context holds the KeBugCheckEx arguments and unwinds its stack', async () => {
    const a = await analyzed(buildKernelCrash(4, 2));
    assert.equal(a.context?.source, 'KPRCB.Context (processor 2, KiProcessorBlock[2])');
    assert.equal(a.context?.processor, 2);
    assert.equal(
      a.crashState?.processorChoice,
      'its KPRCB.Context holds the KeBugCheckEx arguments (code, P1, P2, P3)',
    );
    assert.equal(a.processName, 'System');
    assert.equal(a.crashState?.stackBase, `0x${(STACK_BASE + 0x2000n).toString(16)}`);
    assert.deepEqual(
      a.stack?.map((f) => [f.symbol, f.method]),
      [
        ['nt!KeBugCheckEx', 'context'],
        ['drv!MyDpcRoutine+0x15', 'unwind'],
        ['drv!Caller+0x25', 'unwind'],
        ['drv+0x1335', 'unwind'],
      ],
    );
    assert.equal(a.stack?.[1]?.sp, `0x${(S0 - 0xb0n).toString(16)}`);
    assert.deepEqual(a.memoryAccess, { kind: 'read', address: '0x10', source: 'BugCheckParameter1' });
    // 0xD1's P4 is the faulting instruction: in MyDpcRoutine.
    assert.equal(a.faultingModule?.symbol, 'drv!MyDpcRoutine+0x10');
    assert.equal(a.faultingModule?.source, 'BugCheckParameter4');
    assert.equal(a.failureBucketId, '0xD1_drv!MyDpcRoutine');
    assert.equal(failureBucketId(a), a.failureBucketId);
    assert.equal(a.bucketId, '0xD1_drv!MyDpcRoutine');
    const text = formatAnalysis(a).join('\n');
    assert.match(text, /^01 ffffa000`00001e50 fffff800`10001225 +drv!MyDpcRoutine\+0x15 +\(unwind\)$/m);
    assert.match(text, /^SYMBOL_NAME: {2}drv!MyDpcRoutine$/m);
  });

  it('without a documented faulting address the first frame outside the kernel names the module', async () => {
    const bytes = buildKernelCrash(1, 0);
    // Same crash reported as 0xE2 (MANUALLY_INITIATED_CRASH): no parameter names code.
    const dv = new DataView(bytes.buffer);
    dv.setUint32(0x38, 0xe2, true);
    const a = await analyzed(bytes);
    assert.equal(a.faultingModule?.source, 'stack frame 1');
    assert.equal(a.faultingModule?.symbol, 'drv!MyDpcRoutine+0x15');
    assert.equal(a.failureBucketId, '0xE2_drv!MyDpcRoutine');
  });

  it('falls back to the header ContextRecord, with a warning, when no KPRCB.Context is the KeBugCheckEx frame', async () => {
    const a = await analyzed(buildKernelCrash(3, 7));
    assert.equal(a.context?.source, 'header ContextRecord');
    assert.ok(a.problems.some((p) => p.code === 'ANALYZE_CRASH_STATE' && /KiProcessorBlock/.test(p.message)));
    assert.equal(a.stack?.[1]?.symbol, 'drv!MyDpcRoutine+0x15', 'the header context is walked instead');
  });

  it('a KiProcessorBlock near 2^64 is a problem, not an exception (issue #8 B3)', async () => {
    const a = await analyzed(buildKernelCrash(2, 1, { KiProcessorBlock: 0xfffffffffffffff8n }));
    assert.equal(a.context?.source, 'header ContextRecord');
    assert.ok(a.stack !== undefined);
  });

  it('KDDEBUGGER_DATA64 offsets it uses are the ones of wdbgexts.h', () => {
    assert.equal(KDDEBUGGER_DATA64.offsets.OffsetPrcbContext, 0x338);
    assert.equal(KDDEBUGGER_DATA64.offsets.KiProcessorBlock, 0x218);
  });
});
