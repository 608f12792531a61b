import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  KBUGCHECK_DUMP_IO,
  KBUGCHECK_SECONDARY_DUMP_DATA,
  KbCallbackReason,
  KbDumpIoType,
} from '../../src/format/index.js';
import { NestedBugCheckError } from '../../src/kernel/index.js';
import { bytesOf, newLegacyRecord, newReasonRecord, setup } from './helpers.js';

const GUID = 'dddddddd-0000-4000-8000-000000000004';

describe('A bug check raised inside a callback', () => {
  it('is recorded, unwinds that callback, writes no second dump, and becomes the displayed stop code', () => {
    const s = setup();
    let afterNested = false;
    let caught: unknown = null;
    s.kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(s.kernel),
      (_r, _rec, data) => {
        const v = s.kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, data);
        if (v.get('OutBuffer') === 0n) return;
        try {
          s.kernel.KeBugCheckEx(0xc2, 0x99n, 1n, 2n, 3n);
        } catch (e) {
          caught = e;
          throw e;
        }
        afterNested = true;
      },
      KbCallbackReason.KbCallbackSecondaryDumpData,
      'Crasher',
    );
    s.kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(s.kernel),
      (_r, _rec, data) => {
        const v = s.kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, data);
        v.set('OutBufferLength', 4);
        if (v.get('OutBuffer') === 0n) return;
        s.machine.writeVirtual(v.get('InBuffer'), bytesOf('next'));
        v.set('Guid', GUID);
      },
      KbCallbackReason.KbCallbackSecondaryDumpData,
      'Next',
    );
    let legacy = 0;
    s.kernel.KeRegisterBugCheckCallback(
      newLegacyRecord(s.kernel),
      () => {
        legacy++;
      },
      0n,
      0,
      'Legacy',
    );

    const result = s.kernel.KeBugCheckEx(0x1e, 0xc0000005n);
    assert.ok(caught instanceof NestedBugCheckError);
    assert.equal(afterNested, false);
    assert.deepEqual(result.bugCheck, { code: 0x1e, parameters: [0xc0000005n, 0n, 0n, 0n] });
    assert.deepEqual(result.nested, { code: 0xc2, parameters: [0x99n, 1n, 2n, 3n] });
    assert.deepEqual(result.displayed, result.nested);
    assert.equal(s.writer.calls.filter((c) => c.op === 'create').length, 1);
    assert.equal(s.writer.plan!.bugCheck.code, 0x1e, 'the dump keeps the first bug check');
    assert.equal(result.dumpStatus, 'written');
    assert.deepEqual(
      s.writer.blocks.map((b) => b.guid),
      [GUID],
    );
    assert.equal(legacy, 1);
    const crasher = result.callbacks.find((c) => c.component === 'Crasher')!;
    assert.equal(crasher.stateName, 'BufferIncomplete');
    assert.equal(crasher.faults[0]!.kind, 'nested-bugcheck');
    assert.deepEqual(
      result.violations.map((v) => [v.component, v.kind]),
      [['Crasher', 'nested-bugcheck']],
    );
  });

  it('from a DumpIo callback during the primary write: the writer carries on; the last one raised is displayed', () => {
    const s = setup();
    let raised = 0;
    s.kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(s.kernel),
      (_r, _rec, data) => {
        if (s.kernel.view(KBUGCHECK_DUMP_IO, data).get('Type') !== KbDumpIoType.KbDumpIoHeader) return;
        raised++;
        s.kernel.KeBugCheckEx(0x50 + raised, 0n);
      },
      KbCallbackReason.KbCallbackDumpIo,
      'IoCrasher',
    );
    s.kernel.KeRegisterBugCheckCallback(
      newLegacyRecord(s.kernel),
      () => s.kernel.KeBugCheckEx(0x7f, 8n),
      0n,
      0,
      'LegacyCrasher',
    );
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.equal(raised, 1, 'a faulted DumpIo record is not called again');
    assert.equal(result.dumpStatus, 'written');
    assert.equal(result.nested?.code, 0x51);
    assert.equal(result.displayed.code, 0x7f);
    assert.equal(result.violations.filter((v) => v.kind === 'nested-bugcheck').length, 2);
  });

  it('caught and ignored by the callback still leaves it Incomplete (KeBugCheckEx never returns)', () => {
    const s = setup();
    s.kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(s.kernel),
      () => {
        try {
          s.kernel.KeBugCheckEx(0xdeaddead);
        } catch {
          // A driver that swallows everything.
        }
      },
      KbCallbackReason.KbCallbackTriageDumpData,
      'Swallower',
    );
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.equal(result.callbacks[0]!.stateName, 'BufferIncomplete');
    assert.equal(result.displayed.code, 0xdeaddead);
  });
});
