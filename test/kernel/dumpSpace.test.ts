import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  BUGCHECK_MODEL_DIAGNOSTICS_GUID,
  KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA,
  KBUGCHECK_REASON_CALLBACK_RECORD,
  KBUGCHECK_SECONDARY_DUMP_DATA,
  KBUGCHECK_SECONDARY_DUMP_DATA_EX,
  KbCallbackReason,
} from '../../src/format/index.js';
import { POOL_FLAG_NON_PAGED } from '../../src/machine/index.js';
import { bytesOf, newReasonRecord, nonPaged, secondaryArea, setup, type Setup } from './helpers.js';

const GUID = 'dddddddd-0000-4000-8000-000000000004';

/** A single-part secondary callback that announces `announce` bytes and returns `write` bytes of its own buffer. */
function secondary(s: Setup, component: string, announce: number, write = announce, misbehave?: () => void): void {
  const own = nonPaged(s.machine, Math.max(write, 1));
  s.machine.writeVirtual(own, new Uint8Array(write).fill(0x5a));
  s.kernel.KeRegisterBugCheckReasonCallback(
    newReasonRecord(s.kernel),
    (_r, _rec, data) => {
      const v = s.kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, data);
      if (v.get('OutBuffer') === 0n) {
        v.set('OutBufferLength', announce);
        return;
      }
      v.write({ OutBuffer: own, OutBufferLength: write, Guid: GUID });
      misbehave?.();
    },
    KbCallbackReason.KbCallbackSecondaryDumpData,
    component,
  );
}

/** Bytes of the secondary area the (fake) writer was asked to lay out. */
function writtenArea(s: Setup): number {
  return secondaryArea(...s.writer.blocks.map((b) => b.data.length));
}

describe('the secondary data estimate handed to the writer (RequiredDumpSpace)', () => {
  it('with the diagnostics block, covers every block written — the diagnostics block included — before the data pass runs', () => {
    const s = setup({ dump: { modelDiagnostics: true }, secondaryData: { multiPartMaxParts: 4 } });
    secondary(s, 'Quiet', 0);
    secondary(s, 'Small', 5);
    secondary(s, 'Page', 0x1001);
    // Violations in the data pass lengthen the diagnostics block after the estimate was made.
    secondary(s, '\u0001'.repeat(200), 8, 8, () => s.kernel.ExAllocatePool2(POOL_FLAG_NON_PAGED, 1, 'Bad1'));
    secondary(s, 'Thrower', 8, 8, () => {
      throw new Error('x'.repeat(300));
    });
    s.kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(s.kernel),
      () => {
        throw new Error('DumpIo fails');
      },
      KbCallbackReason.KbCallbackDumpIo,
      'Io',
    );
    // A corrupt record: its skip reason is in the diagnostics block too.
    const corrupt = newReasonRecord(s.kernel);
    s.kernel.KeRegisterBugCheckReasonCallback(
      corrupt,
      () => undefined,
      KbCallbackReason.KbCallbackTriageDumpData,
      'Corrupt',
    );
    s.machine.writeU64(corrupt + BigInt(KBUGCHECK_REASON_CALLBACK_RECORD.offsets.Checksum), 1n);
    s.kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(s.kernel),
      (_r, _rec, data) => {
        const v = s.kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA_EX, data);
        const part = Number(v.get('Context'));
        s.machine.writeVirtual(v.get('InBuffer'), bytesOf(`part ${part}`));
        v.write({
          Guid: GUID,
          OutBufferLength: 6,
          Context: BigInt(part + 1),
          Flags: part < 2 ? KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA : 0,
        });
      },
      KbCallbackReason.KbCallbackSecondaryMultiPartDumpData,
      'Multi',
    );

    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.equal(result.dumpStatus, 'written');
    const last = s.writer.blocks[s.writer.blocks.length - 1]!;
    assert.equal(last.guid, BUGCHECK_MODEL_DIAGNOSTICS_GUID);
    assert.ok(last.data.length > 1000);
    assert.deepEqual(
      new Set(result.violations.map((v) => v.kind)),
      new Set(['allocate', 'exception', 'corrupt-record']),
    );
    const estimate = result.plan!.secondaryDataSizeEstimate;
    assert.ok(estimate >= writtenArea(s), `estimate ${estimate} < area ${writtenArea(s)}`);
    // What it reserves beyond the blocks announced is the multi-part area (multiPartAreaBytes, 2 MiB) and room for
    // the diagnostics: megabytes at most, never the gigabytes of multiPartMaxParts × MaximumAllowed.
    const announced = secondaryArea(0, 5, 0x1001, 8, 8) - 0x10;
    const multiPart = 0x200000;
    assert.ok(estimate > 0x10 + announced + multiPart + last.data.length);
    assert.ok(estimate < 0x10 + announced + multiPart + 8 * last.data.length);
  });

  it('without multi-part records or the diagnostics block, is exactly the area the size pass announced', () => {
    const s = setup();
    secondary(s, 'Quiet', 0);
    secondary(s, 'Small', 5);
    secondary(s, 'Page', 0x1001);
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.equal(result.plan!.secondaryDataSizeEstimate, secondaryArea(0, 5, 0x1001));
    assert.equal(result.plan!.secondaryDataSizeEstimate, writtenArea(s));
  });

  it('with emptyBlocks "skip", reserves nothing for a record that announced 0; nothing at all is 0', () => {
    const s = setup({ secondaryData: { emptyBlocks: 'skip' } });
    secondary(s, 'Quiet', 0);
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.equal(result.plan!.secondaryDataSizeEstimate, 0);
    assert.deepEqual(s.writer.blocks, []);
  });

  it('a callback that writes more than it announced (size-mismatch) can outgrow it: the one case the estimate is short', () => {
    const s = setup();
    secondary(s, 'Liar', 4, 0x40);
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(
      result.violations.map((v) => v.kind),
      ['size-mismatch'],
    );
    assert.equal(result.plan!.secondaryDataSizeEstimate, secondaryArea(4));
    assert.ok(writtenArea(s) > result.plan!.secondaryDataSizeEstimate);
  });
});
