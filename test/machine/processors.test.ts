import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTEXT_AMD64 } from '../../src/format/index.js';
import { createX64Machine, KPRCB_OFFSETS, KTHREAD_OFFSETS, type MachineProcessor } from '../../src/machine/index.js';
import { machineUnwinder, registersOf } from './machineMemory.js';

describe('processors', () => {
  const m = createX64Machine({ processors: 6, build: 19041, productType: 3, suiteMask: 0x112 });

  it('have realistic kernel contexts', () => {
    assert.equal(m.processors.length, 6);
    for (const p of m.processors) {
      const c = p.context;
      assert.deepEqual(
        [c.SegCs, c.SegSs, c.SegDs, c.SegEs, c.SegGs, c.SegFs, c.MxCsr, c.FltSave.MxCsr, c.ContextFlags],
        [0x10, 0x18, 0x2b, 0x2b, 0x2b, 0x53, 0x1f80, 0x1f80, 0x10001f],
      );
      assert.ok(c.Rsp >= p.stackLimit && c.Rsp < p.stackBase, 'Rsp inside its stack');
      assert.equal(m.findModuleByAddress(c.Rip)?.name, 'ntoskrnl.exe');
      assert.equal(p.irql, 0);
      assert.equal(p.frozen, false);
    }
    const stacks = new Set(m.processors.map((p) => p.stackBase));
    assert.equal(stacks.size, 6);
  });

  it('have mapped nonpaged stacks with a guard page below', () => {
    for (const p of m.processors) {
      assert.equal(p.stackBase - p.stackLimit, 0x6000n);
      for (let va = p.stackLimit; va < p.stackBase; va += 0x1000n) {
        const t = m.kernelSpace.translate(va)!;
        assert.equal(t.pageable, false);
        assert.equal(m.physical.owner(t.pa >> 12n), 'kernel');
      }
      assert.equal(m.isAddressValid(p.stackLimit - 1n), false);
    }
  });

  it('rest in the idle loop: the context unwinds through real frames to the idle thread start', async () => {
    const unwinder = machineUnwinder(m);
    for (const p of m.processors) {
      const frames = await unwinder.walk(p.context.Rip, p.context.Rsp, registersOf(p.context));
      assert.deepEqual(
        frames.map((f) => f.exportName),
        ['PpmIdleExecuteTransition', 'PoIdle', 'KiIdleLoop'],
      );
      assert.ok(frames.every((f) => f.unwound));
      // The thread's first routine returns to 0, just below its InitialStack.
      const idle = m.readU64(p.prcb + BigInt(KPRCB_OFFSETS.IdleThread));
      const initialStack = m.readU64(idle + BigInt(KTHREAD_OFFSETS.InitialStack));
      const last = frames[frames.length - 1]!;
      assert.equal(m.readU64(initialStack - 8n), 0n);
      assert.ok(last.rsp < initialStack && last.rsp > p.stackLimit);
    }
  });

  it('have a worker thread each, waiting in ExpWorkerThread, walkable from its KernelStack', async () => {
    const unwinder = machineUnwinder(m);
    for (const p of m.processors) {
      const worker = (p as MachineProcessor).workerThread.ethread;
      const kernelStack = m.readU64(worker + BigInt(KTHREAD_OFFSETS.KernelStack));
      assert.equal(m.readU8(worker + BigInt(KTHREAD_OFFSETS.State)), 5, 'Waiting');
      // KSWITCH_FRAME: the return address at +0x30, rsp after it.
      const frames = await unwinder.walk(m.readU64(kernelStack + 0x30n), kernelStack + 0x38n, new Array(16).fill(0n));
      assert.deepEqual(
        frames.map((f) => f.exportName),
        [
          'KiSwapThread',
          'KiCommitThreadWait',
          'KeRemovePriQueue',
          'ExpWorkerThread',
          'PspSystemThreadStartup',
          'KiStartSystemThread',
        ],
      );
    }
  });

  it('keep their context behind KPRCB.Context and in ProcessorState, and can store an updated one', () => {
    const p = m.processors[2]!;
    const buffer = m.readU64(p.prcb + BigInt(KPRCB_OFFSETS.Context));
    const frame = p.prcb + BigInt(KPRCB_OFFSETS.ProcessorStateContextFrame);
    assert.notEqual(buffer, 0n);
    assert.equal(buffer & 0xfffn, 0x340n, 'after the XSAVE area at KPRCB.ExtendedState');
    assert.equal(m.readU64(p.prcb + BigInt(KPRCB_OFFSETS.ExtendedState)), buffer - 0x340n);
    for (const at of [buffer, frame]) {
      assert.deepEqual(CONTEXT_AMD64.decode(m.readVirtual(at, CONTEXT_AMD64.size)), p.context);
    }
    p.context = { ...p.context, Rip: m.symbols.KeBugCheckEx, Rax: 0x1234n };
    m.storeProcessorContext(p);
    for (const at of [buffer, frame]) {
      const stored = CONTEXT_AMD64.decode(m.readVirtual(at, CONTEXT_AMD64.size));
      assert.equal(stored.Rip, m.symbols.KeBugCheckEx);
      assert.equal(stored.Rax, 0x1234n);
    }
  });

  it('see KUSER_SHARED_DATA filled from the options', () => {
    const k = m.symbols.KUSER_SHARED_DATA;
    assert.equal(m.readU32(k + 0x260n), 19041);
    assert.equal(m.readU32(k + 0x264n), 3);
    assert.equal(m.readU32(k + 0x26cn), 10);
    assert.equal(m.readU32(k + 0x2d0n), 0x112);
    assert.equal(m.readU32(k + 0x3c0n), 6);
    const time = (BigInt(m.readU32(k + 0x18n)) << 32n) | BigInt(m.readU32(k + 0x14n));
    assert.equal(time, m.options.systemTime);
  });
});
