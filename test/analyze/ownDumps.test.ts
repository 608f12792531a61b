/**
 * Issue #10 on bugcheck's own dumps: the stack a scenario caused is found by
 * unwinding with the UNWIND_INFO of the images in the dump (not by
 * scanning), frame by frame, and FAILURE_BUCKET_ID names the driver function.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeDump, formatAnalysis } from '../../src/analyze/index.js';
import { openDump } from '../../src/dump/reader/index.js';
import { runScenario, scenarioFromDefinition, type ScenarioDefinition } from '../../src/scenario/index.js';
import { tempFolder } from '../scenario/helpers.js';

function scenario(path: 'dpc' | 'thread'): ScenarioDefinition {
  return {
    options: { memory: '64MiB' },
    run(system) {
      const driver = system.loadDriver({ name: 'stackdrv.sys', DriverEntry: () => undefined });
      const dpc = driver.codeAddress('StackDrvDpcRoutine');
      const worker = driver.codeAddress('StackDrvWorker');
      // 0xD1's P4 is the faulting instruction inside the driver; the routine that called KeBugCheckEx is named.
      system.KeBugCheckEx(0xd1, 0x28n, 2n, 1n, dpc, { caller: dpc, callers: [worker], path });
    },
  };
}

async function analyzed(definition: ScenarioDefinition, kind: 'kernel' | 'complete') {
  const out = await tempFolder('own-stack');
  const outcome = await runScenario(scenarioFromDefinition(definition, 'own-stack'), {
    outDir: out,
    dumpKinds: [kind],
  });
  const dump = await openDump(outcome.runs[0]!.dumpPath);
  try {
    return await analyzeDump(dump);
  } finally {
    await dump.close();
  }
}

describe("analyze on bugcheck's own dumps: the scenario's stack, unwound", () => {
  for (const kind of ['kernel', 'complete'] as const) {
    it(`${kind} dump, a DPC path: KeBugCheckEx ← the driver's routines ← the DPC dispatch ← the idle loop`, async () => {
      const a = await analyzed(scenario('dpc'), kind);
      const frames = a.stack ?? [];
      const names = frames.map((f) => f.symbol.replace(/\+0x[0-9a-f]+$/, ''));
      assert.deepEqual(names.slice(0, 3), [
        'nt!KeBugCheckEx',
        'stackdrv!StackDrvDpcRoutine',
        'stackdrv!StackDrvWorker',
      ]);
      assert.equal(frames[0]!.method, 'context');
      for (const f of frames.slice(1)) assert.equal(f.method, 'unwind', `${f.symbol} found by ${f.method}`);
      assert.ok(names.includes('nt!KiRetireDpcList') && names.at(-1) === 'nt!KiIdleLoop', names.join(' ← '));
      // Each frame's sp is above the one before it, as a walk of one stack must be.
      for (let i = 1; i < frames.length; i++) assert.ok(BigInt(frames[i]!.sp) > BigInt(frames[i - 1]!.sp));
      assert.equal(a.failureBucketId, '0xD1_stackdrv!StackDrvDpcRoutine');
      assert.equal(a.faultingModule?.name, 'stackdrv');
      assert.ok(formatAnalysis(a).some((l) => /^FAILURE_BUCKET_ID: {2}0xD1_stackdrv!StackDrvDpcRoutine$/.test(l)));
    });
  }

  it('a worker-thread path ends at the thread start (PspSystemThreadStartup, KiStartSystemThread)', async () => {
    const a = await analyzed(scenario('thread'), 'kernel');
    const names = (a.stack ?? []).map((f) => f.symbol.replace(/\+0x[0-9a-f]+$/, ''));
    assert.deepEqual(names.slice(0, 3), ['nt!KeBugCheckEx', 'stackdrv!StackDrvDpcRoutine', 'stackdrv!StackDrvWorker']);
    assert.deepEqual(names.slice(-2), ['nt!PspSystemThreadStartup', 'nt!KiStartSystemThread']);
    assert.ok((a.stack ?? []).slice(1).every((f) => f.method === 'unwind'));
    assert.equal(a.processName, 'System');
  });
});
