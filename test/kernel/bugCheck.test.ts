import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  EXCEPTION_NONCONTINUABLE,
  KBUGCHECK_REASON_CALLBACK_RECORD,
  KBUGCHECK_SECONDARY_DUMP_DATA,
  KBugCheckBufferDumpState,
  KbCallbackReason,
  KbDumpIoType,
  STATUS_BREAKPOINT,
} from '../../src/format/index.js';
import { HIGH_LEVEL, Kernel, KernelError } from '../../src/kernel/index.js';
import { createX64Machine } from '../../src/machine/index.js';
import { bytesOf, newLegacyRecord, newReasonRecord, nonPaged, secondaryArea, setup } from './helpers.js';

const GUID_A = '11111111-2222-3333-4444-555555555555';

describe('KeBugCheckEx: the order of a bug check', () => {
  it('runs size pass, pages, triage, primary write, data pass, complete, then legacy callbacks', () => {
    const { kernel, machine, writer } = setup();
    const events: string[] = [];
    const io = (what: string): void => {
      events.push(`${what} (writer so far: ${writer.calls.map((c) => c.op).join(',')})`);
    };
    const legacy = newLegacyRecord(kernel);
    kernel.KeRegisterBugCheckCallback(legacy, () => io('legacy'), 0n, 0, 'Legacy');
    const reg = (reason: number, name: string): void => {
      const record = newReasonRecord(kernel);
      assert.ok(
        kernel.KeRegisterBugCheckReasonCallback(
          record,
          (r, _rec, data) => {
            if (r === KbCallbackReason.KbCallbackSecondaryDumpData) {
              const v = kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, data);
              io(v.get('OutBuffer') === 0n ? 'secondary size pass' : 'secondary data pass');
            } else if (r === KbCallbackReason.KbCallbackDumpIo) {
              const type = machine.readU32(data + 0x14n);
              if (type === KbDumpIoType.KbDumpIoHeader || type === KbDumpIoType.KbDumpIoComplete) io(`dumpio ${type}`);
            } else io(name);
          },
          reason,
          name,
        ),
      );
    };
    reg(KbCallbackReason.KbCallbackTriageDumpData, 'triage');
    reg(KbCallbackReason.KbCallbackRemovePages, 'remove pages');
    reg(KbCallbackReason.KbCallbackAddPages, 'add pages');
    reg(KbCallbackReason.KbCallbackSecondaryDumpData, 'secondary');
    reg(KbCallbackReason.KbCallbackDumpIo, 'dumpio');

    const result = kernel.KeBugCheckEx(0xd1, 0x10n, 2n, 0n, 0xfffff80512345678n);
    assert.deepEqual(events, [
      'secondary size pass (writer so far: )',
      'add pages (writer so far: )',
      'remove pages (writer so far: )',
      'triage (writer so far: )',
      'dumpio 1 (writer so far: create,writePrimary)',
      'secondary data pass (writer so far: create,writePrimary)',
      'dumpio 4 (writer so far: create,writePrimary,writeSecondaryData,complete)',
      'legacy (writer so far: create,writePrimary,writeSecondaryData,complete)',
    ]);
    assert.equal(result.dumpStatus, 'written');
    assert.equal(result.dump?.blobCount, 1);
    assert.deepEqual(result.bugCheck, { code: 0xd1, parameters: [0x10n, 2n, 0n, 0xfffff80512345678n] });
    assert.equal(result.nested, null);
    assert.deepEqual(result.displayed, result.bugCheck);
    assert.deepEqual(result.violations, []);
  });

  it('raises to HIGH_LEVEL, freezes the other processors, records KiBugCheckData and captures the context', () => {
    const { kernel, machine } = setup({}, {}, { processors: 3 });
    kernel.currentProcessor = 1;
    machine.processors[1]!.context.Rip = 0xfffff80511112222n;
    machine.processors[1]!.context.Rsp = machine.processors[1]!.stackBase - 0x100n;
    let seen: { irql: number; frozen: boolean[] } | null = null;
    const record = newReasonRecord(kernel);
    kernel.KeRegisterBugCheckReasonCallback(
      record,
      () => {
        seen = { irql: kernel.KeGetCurrentIrql(), frozen: machine.processors.map((p) => p.frozen) };
      },
      KbCallbackReason.KbCallbackSecondaryDumpData,
      'Probe',
    );
    assert.equal(kernel.KeGetCurrentIrql(), 0);
    const result = kernel.KeBugCheckEx(0x1e, 0xc0000005n, 0xfffff80511112222n, 0n, 0x28n);
    assert.deepEqual(seen, { irql: HIGH_LEVEL, frozen: [true, false, true] });
    assert.equal(result.processorIndex, 1);
    assert.equal(result.context.Rip, 0xfffff80511112222n);
    assert.equal(result.plan?.context.Rip, 0xfffff80511112222n);
    assert.equal(result.exception.ExceptionCode, STATUS_BREAKPOINT);
    assert.equal(result.exception.ExceptionFlags, EXCEPTION_NONCONTINUABLE);
    assert.equal(result.exception.ExceptionAddress, machine.symbols.KeBugCheckEx);
    assert.equal(result.exception.NumberParameters, 0);
    const ki = machine.symbols.KiBugCheckData;
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => machine.readU64(ki + BigInt(8 * i))),
      [0x1en, 0xc0000005n, 0xfffff80511112222n, 0n, 0x28n],
    );
  });

  it('moves each record through Started to Finished (Incomplete when it throws)', () => {
    const { kernel, machine } = setup();
    const good = newReasonRecord(kernel);
    const bad = newReasonRecord(kernel);
    const statesSeen: number[] = [];
    kernel.KeRegisterBugCheckReasonCallback(
      good,
      (_r, record) => {
        statesSeen.push(kernel.view(KBUGCHECK_REASON_CALLBACK_RECORD, record).get('State'));
      },
      KbCallbackReason.KbCallbackSecondaryDumpData,
      'Good',
    );
    kernel.KeRegisterBugCheckReasonCallback(
      bad,
      () => {
        throw new Error('boom');
      },
      KbCallbackReason.KbCallbackSecondaryDumpData,
      'Bad',
    );
    const result = kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(statesSeen, [KBugCheckBufferDumpState.BufferStarted, KBugCheckBufferDumpState.BufferStarted]);
    assert.equal(machine.readU8(good + 0x2cn), KBugCheckBufferDumpState.BufferFinished);
    assert.equal(machine.readU8(bad + 0x2cn), KBugCheckBufferDumpState.BufferIncomplete);
    const goodReport = result.callbacks.find((c) => c.record === good)!;
    const badReport = result.callbacks.find((c) => c.record === bad)!;
    assert.equal(goodReport.stateName, 'BufferFinished');
    assert.equal(goodReport.calls, 2);
    assert.equal(badReport.stateName, 'BufferIncomplete');
    // Faulted in the size pass: not called again in the data pass.
    assert.equal(badReport.calls, 1);
    assert.equal(badReport.faults[0]?.kind, 'exception');
    assert.match(badReport.faults[0]!.message, /boom/);
  });

  it('calls records in reverse registration order (lifo, the default) or in registration order (fifo); triage records always in registration order', () => {
    for (const order of ['fifo', 'lifo'] as const) {
      const { kernel } = setup({ callbackOrder: order });
      const called: string[] = [];
      const triage: string[] = [];
      for (const name of ['A', 'B', 'C']) {
        kernel.KeRegisterBugCheckReasonCallback(
          newReasonRecord(kernel),
          () => {
            called.push(name);
          },
          KbCallbackReason.KbCallbackAddPages,
          name,
        );
        kernel.KeRegisterBugCheckReasonCallback(
          newReasonRecord(kernel),
          () => {
            triage.push(name);
          },
          KbCallbackReason.KbCallbackTriageDumpData,
          `${name}-triage`,
        );
      }
      const legacyCalled: string[] = [];
      for (const name of ['x', 'y'])
        kernel.KeRegisterBugCheckCallback(
          newLegacyRecord(kernel),
          () => {
            legacyCalled.push(name);
          },
          0n,
          0,
          name,
        );
      kernel.KeBugCheckEx(0xe2);
      assert.deepEqual(called, order === 'fifo' ? ['A', 'B', 'C'] : ['C', 'B', 'A']);
      assert.deepEqual(triage, ['A', 'B', 'C']);
      assert.deepEqual(legacyCalled, order === 'fifo' ? ['x', 'y'] : ['y', 'x']);
    }
  });

  it('passes a legacy callback exactly its Buffer and Length; what it writes is not in the dump', () => {
    const { kernel, machine, writer } = setup();
    const buffer = nonPaged(machine, 32);
    let got: [bigint, number] | null = null;
    kernel.KeRegisterBugCheckCallback(
      newLegacyRecord(kernel),
      (b, l) => {
        got = [b, l];
        machine.writeVirtual(b, bytesOf('written after the dump'));
      },
      buffer,
      32,
      'Legacy',
    );
    const result = kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(got, [buffer, 32]);
    assert.equal(writer.calls.at(-1)?.op, 'complete');
    const report = result.callbacks.find((c) => c.kind === 'legacy')!;
    assert.equal(report.reasonName, 'legacy (KBUGCHECK_CALLBACK_ROUTINE)');
    assert.equal(report.stateName, 'BufferFinished');
  });

  it('with dumps disabled runs only the legacy callbacks', () => {
    const { kernel, writer } = setup({ dump: { enabled: false } });
    let reasonCalls = 0;
    let legacyCalls = 0;
    kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(kernel),
      () => {
        reasonCalls++;
      },
      KbCallbackReason.KbCallbackDumpIo,
      'Io',
    );
    kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(kernel),
      () => {
        reasonCalls++;
      },
      KbCallbackReason.KbCallbackSecondaryDumpData,
      'Sec',
    );
    kernel.KeRegisterBugCheckCallback(
      newLegacyRecord(kernel),
      () => {
        legacyCalls++;
      },
      0n,
      0,
      'Legacy',
    );
    const result = kernel.KeBugCheckEx(0xe2);
    assert.equal(reasonCalls, 0);
    assert.equal(legacyCalls, 1);
    assert.equal(result.dumpStatus, 'disabled');
    assert.equal(result.dump, null);
    assert.equal(result.plan, null);
    assert.deepEqual(writer.calls, []);
  });

  it('without a writer runs the protocols and reports the blocks, with no DumpIo', () => {
    const machine = createX64Machine();
    const kernel = new Kernel(machine, { dump: { modelDiagnostics: false } });
    let dumpIo = 0;
    kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(kernel),
      () => {
        dumpIo++;
      },
      KbCallbackReason.KbCallbackDumpIo,
      'Io',
    );
    kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(kernel),
      (_r, _rec, data) => {
        const v = kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, data);
        machine.writeVirtual(v.get('InBuffer'), bytesOf('abc'));
        v.set('OutBufferLength', 3);
        v.set('Guid', GUID_A);
      },
      KbCallbackReason.KbCallbackSecondaryDumpData,
      'Sec',
    );
    const result = kernel.KeBugCheckEx(0xe2);
    assert.equal(result.dumpStatus, 'no-writer');
    assert.equal(dumpIo, 0);
    assert.equal(result.plan?.secondaryDataSizeEstimate, secondaryArea(3));
    assert.deepEqual(result.callbacks.find((c) => c.component === 'Sec')?.contribution.secondaryData, [
      { guid: GUID_A, bytes: 3, part: 0, truncatedFrom: null },
    ]);
  });

  for (const failAt of ['create', 'writePrimary', 'writeSecondaryData', 'complete'] as const) {
    it(`reports a writer failure in ${failAt}, aborts the writer, and still runs the legacy callbacks`, () => {
      const { kernel, writer } = setup({}, { failAt });
      kernel.KeRegisterBugCheckReasonCallback(
        newReasonRecord(kernel),
        (_r, _rec, data) => {
          kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, data).set('OutBufferLength', 0);
        },
        KbCallbackReason.KbCallbackSecondaryDumpData,
        'Sec',
      );
      let legacy = 0;
      kernel.KeRegisterBugCheckCallback(
        newLegacyRecord(kernel),
        () => {
          legacy++;
        },
        0n,
        0,
        'Legacy',
      );
      const result = kernel.KeBugCheckEx(0xe2);
      assert.equal(result.dumpStatus, 'failed');
      assert.equal(result.dump, null);
      const stage = {
        create: 'create',
        writePrimary: 'primary',
        writeSecondaryData: 'secondary',
        complete: 'complete',
      }[failAt];
      assert.equal(result.dumpError?.stage, stage);
      assert.equal(result.dumpError?.code, 'E_DUMP_WRITER');
      assert.equal(writer.calls.at(-1)?.op, failAt === 'create' ? 'create' : 'abort');
      assert.equal(legacy, 1);
    });
  }

  it('runs once: a second KeBugCheckEx after the first has returned is refused', () => {
    const { kernel } = setup();
    kernel.KeBugCheckEx(0xe2);
    assert.throws(
      () => kernel.KeBugCheckEx(0xe2),
      (e: unknown) => e instanceof KernelError && e.code === 'E_KERNEL_HALTED',
    );
  });

  it('rejects invalid settings with a typed error naming the field', () => {
    const machine = createX64Machine();
    assert.throws(
      () => new Kernel(machine, { secondaryData: { overLimitPolicy: 'explode' as 'drop' } }),
      (e: unknown) =>
        e instanceof KernelError && e.code === 'E_KERNEL_SETTINGS' && /secondaryData\.overLimitPolicy/.test(e.message),
    );
    assert.throws(() => new Kernel(machine, { dump: { kind: 'huge' as 'small' } }), /dump\.kind/);
  });
});
