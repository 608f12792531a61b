import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { CONTEXT_AMD64 } from '../../src/format/index.js';
import { openDump } from '../../src/dump/reader/index.js';
import {
  KPCR_OFFSETS,
  KPRCB_OFFSETS,
  KTHREAD_OFFSETS,
  MachineError,
  type MachineProcessor,
} from '../../src/machine/index.js';
import { createMachine, type SimulatedSystem } from '../../src/system.js';
import type { KernelSettingsInput } from '../../src/kernel/index.js';
import { machineUnwinder, registersOf } from './machineMemory.js';
import { NON_VOLATILE, TestUnwinder } from './x64Unwinder.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bugcheck-crash-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function system(kernel: KernelSettingsInput = { dump: { enabled: false } }): SimulatedSystem {
  return createMachine({ memoryBytes: 64n << 20n, processors: 2, kernel });
}

function loadCrashy(s: SimulatedSystem) {
  return s.loadDriver({ name: 'crashy.sys', DriverEntry: () => undefined });
}

const THREAD_PATH = ['ExpWorkerThread', 'PspSystemThreadStartup', 'KiStartSystemThread'];
const DPC_PATH = ['KiExecuteAllDpcs', 'KiRetireDpcList', 'KiIdleLoop'];

describe('the crash state KeBugCheckEx leaves', () => {
  it('on a worker thread: KeBugCheckEx entry context, the caller chain to the thread start, all of it unwindable', async () => {
    const s = system();
    const d = loadCrashy(s);
    const caller = d.codeAddress('MyWorkRoutine');
    const outer = d.codeAddress('MyDispatch');
    const r = s.KeBugCheckEx(0xe2, 0x11n, 0x22n, 0x33n, 0x44n, { caller, callers: [outer], path: 'thread' });
    const m = s.machine;
    const c = r.context;
    assert.equal(c.Rip, m.symbols.KeBugCheckEx);
    assert.equal(r.exception.ExceptionAddress, c.Rip);
    assert.deepEqual([c.Rcx, c.Rdx, c.R8, c.R9], [0xe2n, 0x11n, 0x22n, 0x33n]);
    // The caller homed nothing; KeBugCheckEx homes its four register parameters; the fifth is on the stack.
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((k) => m.readU64(c.Rsp + BigInt(8 * k))),
      [0xe2n, 0x11n, 0x22n, 0x33n, 0x44n],
    );
    const frames = await machineUnwinder(m).walk(c.Rip, c.Rsp, registersOf(c));
    assert.deepEqual(
      frames.map((f) => f.symbol.replace(/\+0x[0-9a-f]+$/, '')),
      [
        'ntoskrnl!KeBugCheckEx',
        'crashy!MyWorkRoutine',
        'crashy!MyDispatch',
        ...THREAD_PATH.map((n) => `ntoskrnl!${n}`),
      ],
    );
    assert.ok(frames.every((f) => f.unwound));
    // Each return address lies right after a call instruction in its routine, and the walk ends at a return address of 0.
    for (let i = 1; i < frames.length; i++) {
      const f = frames[i]!;
      assert.equal(m.readU8(f.rip - 5n), 0xe8, `call before ${f.symbol}`);
      const target = f.rip + BigInt(new DataView(m.readVirtual(f.rip - 4n, 4).buffer).getInt32(0, true));
      assert.equal(target, m.routineAt(frames[i - 1]!.rip)!.routine.va, `${f.symbol} calls the frame above`);
    }
    const last = frames[frames.length - 1]!;
    const cpu = m.processors[0] as MachineProcessor;
    assert.equal(m.readU64(last.rsp + 0x28n), 0n, 'KiStartSystemThread returns to 0');
    assert.equal(last.rsp + 0x30n, cpu.workerThread.initialStack);
    // Unwinding restored every non-volatile register to the thread's initial (zero) values.
    for (const reg of Object.values(NON_VOLATILE)) assert.equal(last.registers[reg], 0n, `register ${reg}`);
    // The frames are the ones the machine says it built: each frame's rsp is its routine's rsp after the prologue.
    assert.deepEqual(
      frames.slice(1).map((f) => f.rsp),
      [...m.crashCapture!.frames].reverse().map((f) => f.bodyRsp),
    );
  });

  it('runs the crashing processor on the thread, at HIGH_LEVEL, with the context behind KPRCB.Context', () => {
    const s = system();
    const d = loadCrashy(s);
    const r = s.KeBugCheckEx(0xe2, 0n, 0n, 0n, 0n, { caller: d.codeAddress('Work') });
    const m = s.machine;
    const cpu = m.processors[0] as MachineProcessor;
    const thread = m.readU64(cpu.prcb + BigInt(KPRCB_OFFSETS.CurrentThread));
    assert.equal(thread, cpu.workerThread.ethread);
    assert.equal(cpu.stackBase, cpu.workerThread.stack.base);
    assert.equal(m.readU8(thread + BigInt(KTHREAD_OFFSETS.State)), 2, 'Running');
    assert.equal(m.readU64(thread + BigInt(KTHREAD_OFFSETS.ApcStateProcess)), m.systemProcess);
    assert.deepEqual(
      [m.readU64(thread + BigInt(KTHREAD_OFFSETS.Cid)), m.readU64(thread + BigInt(KTHREAD_OFFSETS.Cid) + 8n)],
      [4n, 0x108n],
    );
    assert.equal(m.readU8(cpu.pcr + BigInt(KPCR_OFFSETS.Irql)), 15);
    assert.equal(m.readU8(cpu.prcb + BigInt(KPRCB_OFFSETS.DebuggerSavedIRQL)), 0);
    const buffer = m.readU64(cpu.prcb + BigInt(KPRCB_OFFSETS.Context));
    assert.deepEqual(CONTEXT_AMD64.decode(m.readVirtual(buffer, CONTEXT_AMD64.size)), r.context);
    const frame = m.readVirtual(cpu.prcb + BigInt(KPRCB_OFFSETS.ProcessorStateContextFrame), CONTEXT_AMD64.size);
    assert.ok(
      frame.every((b) => b === 0),
      'the crashing processor leaves ProcessorState.ContextFrame zero',
    );
    assert.ok(m.triageDumpDataBlocks.some((b) => b.address === buffer && b.size === CONTEXT_AMD64.size));
  });

  it('0xD1 at DISPATCH_LEVEL crashes in a DPC the idle loop retires; the caller comes from P4', async () => {
    const s = system();
    const d = loadCrashy(s);
    const dpc = d.codeAddress('MyDpcRoutine');
    const r = s.KeBugCheckEx(0xd1, 0x18n, 2n, 0n, dpc);
    const m = s.machine;
    const cpu = m.processors[0] as MachineProcessor;
    const frames = await machineUnwinder(m).walk(r.context.Rip, r.context.Rsp, registersOf(r.context));
    assert.deepEqual(
      frames.map((f) => f.exportName),
      ['KeBugCheckEx', 'MyDpcRoutine', ...DPC_PATH],
    );
    assert.equal(m.readU64(cpu.prcb + BigInt(KPRCB_OFFSETS.CurrentThread)), cpu.idleThread.ethread);
    assert.equal(m.readU8(cpu.prcb + BigInt(KPRCB_OFFSETS.DebuggerSavedIRQL)), 2);
    assert.equal(m.readU8(cpu.prcb + BigInt(KPRCB_OFFSETS.DpcRoutineActive)), 1);
    assert.equal(m.readU64(cpu.prcb + BigInt(KPRCB_OFFSETS.CurrentDpcRoutine)), dpc);
    const kdpc = m.readU64(cpu.prcb + BigInt(KPRCB_OFFSETS.DpcData + 0x20));
    assert.equal(m.readU8(kdpc), 0x13, 'DpcObject');
    assert.equal(m.readU64(kdpc + 0x18n), dpc, 'DeferredRoutine');
    assert.equal(m.findModuleByAddress(kdpc)?.name, 'crashy.sys', 'a global of the driver');
  });

  it('without a caller or a routine among the parameters, the system routine calls KeBugCheckEx itself', async () => {
    const s = system();
    const r = s.KeBugCheckEx(0xe2, 1n, 2n, 3n, 4n);
    const frames = await machineUnwinder(s.machine).walk(r.context.Rip, r.context.Rsp, registersOf(r.context));
    assert.deepEqual(
      frames.map((f) => f.exportName),
      ['KeBugCheckEx', ...THREAD_PATH],
    );
  });

  it('refuses a call site that names no routine, before the bug check starts', () => {
    const s = system();
    for (const site of [{ caller: 0x1234n }, { caller: s.machine.symbols.PsLoadedModuleList }, { callers: [5n] }]) {
      assert.throws(
        () => s.KeBugCheckEx(0xe2, 0n, 0n, 0n, 0n, site),
        (e: unknown) => e instanceof MachineError && e.code === 'E_MACHINE_CALL_SITE',
      );
    }
    assert.throws(
      () => s.machine.setBugCheckCallSite(0, { path: 'irq' as 'dpc' }),
      (e: unknown) => e instanceof MachineError && e.code === 'E_MACHINE_CALL_SITE',
    );
    assert.equal(s.kernel.bugCheckResult, null, 'no bug check happened');
    assert.equal(s.KeBugCheckEx(0xe2).bugCheck.code, 0xe2);
  });

  it('a chain a routine cannot hold is left out, and the bug check goes on', async () => {
    const s = system();
    const d = loadCrashy(s);
    // One routine calling five different routines: more call sites than its body has room for.
    const hub = d.codeAddress('Hub');
    const callers = [
      hub,
      d.codeAddress('A'),
      hub,
      d.codeAddress('B'),
      hub,
      d.codeAddress('C'),
      hub,
      d.codeAddress('D'),
      hub,
    ];
    const r = s.KeBugCheckEx(0xe2, 0n, 0n, 0n, 0n, { caller: d.codeAddress('E'), callers, path: 'thread' });
    assert.match(s.machine.crashCapture!.note!, /left out/);
    const frames = await machineUnwinder(s.machine).walk(r.context.Rip, r.context.Rsp, registersOf(r.context));
    assert.deepEqual(
      frames.map((f) => f.exportName),
      ['KeBugCheckEx', ...THREAD_PATH],
    );
    assert.throws(
      () => createMachine({ processors: 1 }).machine.setBugCheckCallSite(0, { callers: new Array(65).fill(hub) }),
      (e: unknown) => e instanceof MachineError && e.code === 'E_MACHINE_CALL_SITE',
    );
  });

  for (const kind of ['kernel', 'complete'] as const) {
    it(`a ${kind} dump: the header context is KeBugCheckEx's, and the stack unwinds with the images in the dump`, async () => {
      const file = path.join(dir, `${kind}.dmp`);
      const s = system({ dump: { kind, path: file } });
      const d = loadCrashy(s);
      const caller = d.codeAddress('MyWorkRoutine');
      s.KeBugCheckEx(0x133, 1n, 0x1e00n, 0x500n, 0n, { caller, callers: [d.codeAddress('MyDispatch')] });
      const dump = await openDump(file);
      try {
        const c = dump.context!;
        assert.equal(c.Rip, s.machine.symbols.KeBugCheckEx);
        assert.equal(dump.exception!.ExceptionAddress, c.Rip);
        assert.deepEqual([c.Rcx, c.Rdx, c.R8, c.R9], [0x133n, 1n, 0x1e00n, 0x500n]);
        // KPRCB.Context, found through KDDEBUGGER_DATA64 as a debugger does, holds the same CONTEXT.
        const kdbg = (await dump.kdDebuggerData())!;
        const prcbRead = await dump.readVirtual(kdbg.KiProcessorBlock, 8);
        const prcb = new DataView(prcbRead.bytes.buffer).getBigUint64(0, true);
        const pointer = await dump.readVirtual(prcb + BigInt(kdbg.OffsetPrcbContext), 8);
        const buffer = new DataView(pointer.bytes.buffer).getBigUint64(0, true);
        const stored = await dump.readVirtual(buffer, CONTEXT_AMD64.size);
        assert.ok(stored.complete);
        assert.deepEqual(CONTEXT_AMD64.decode(stored.bytes), c);
        // Unwind with nothing but the dump: its module list, its images' .pdata and export tables, its stack.
        const modules = await dump.modules();
        const unwinder = new TestUnwinder(
          async (va, length) => {
            const read = await dump.readVirtual(va, length);
            return read.complete ? read.bytes : undefined;
          },
          modules.loaded.map((x) => ({ name: x.name, base: x.base, size: x.size })),
        );
        const frames = await unwinder.walk(c.Rip, c.Rsp, registersOf(c));
        assert.deepEqual(
          frames.map((f) => f.symbol.replace(/\+0x[0-9a-f]+$/, '')),
          [
            'ntoskrnl!KeBugCheckEx',
            'crashy!MyWorkRoutine',
            'crashy!MyDispatch',
            ...THREAD_PATH.map((n) => `ntoskrnl!${n}`),
          ],
        );
        const last = frames[frames.length - 1]!;
        for (const reg of Object.values(NON_VOLATILE)) assert.equal(last.registers[reg], 0n);
      } finally {
        await dump.close();
      }
    });
  }
});
