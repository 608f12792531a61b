import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  KBUGCHECK_CALLBACK_RECORD,
  KBUGCHECK_REASON_CALLBACK_RECORD,
  KBugCheckBufferDumpState,
  KbCallbackReason,
} from '../../src/format/index.js';
import { newLegacyRecord, newReasonRecord, setup, type Setup } from './helpers.js';

const R = KBUGCHECK_REASON_CALLBACK_RECORD.offsets;
const L = KBUGCHECK_CALLBACK_RECORD.offsets;

/** Three triage records A, B, C; returns their addresses and the names of those called. */
function three(s: Setup): { records: bigint[]; called: string[] } {
  const called: string[] = [];
  const records = ['A', 'B', 'C'].map((name) => {
    const record = newReasonRecord(s.kernel);
    assert.ok(
      s.kernel.KeRegisterBugCheckReasonCallback(
        record,
        () => {
          called.push(name);
        },
        KbCallbackReason.KbCallbackTriageDumpData,
        name,
      ),
    );
    return record;
  });
  return { records, called };
}

describe('Corrupt records are skipped at bug check time, and the skip is reported', () => {
  it('a record whose Component pointer was overwritten (checksum mismatch)', () => {
    const s = setup();
    const { records, called } = three(s);
    s.machine.writeU64(records[1]! + BigInt(R.Component), s.machine.allocateAnsiString('Impostor'));
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(called, ['A', 'C']);
    assert.equal(result.violations.length, 1);
    const v = result.violations[0]!;
    assert.equal(v.kind, 'corrupt-record');
    assert.equal(v.record, records[1]);
    assert.match(v.detail, /checksum mismatch/);
    const report = result.callbacks.find((c) => c.record === records[1])!;
    assert.equal(report.calls, 0);
    assert.equal(report.skipped.length, 1);
    assert.equal(report.stateName, 'BufferInserted');
  });

  it('a record whose CallbackRoutine was changed (checksum mismatch; never called through the wild pointer)', () => {
    const s = setup();
    const { records, called } = three(s);
    const routine = s.machine.readU64(records[0]! + BigInt(R.CallbackRoutine));
    s.machine.writeU64(records[0]! + BigInt(R.CallbackRoutine), routine + 0x40n);
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(called, ['B', 'C']);
    assert.match(result.violations[0]!.detail, /checksum/);
  });

  it('a record whose checksum is right but whose routine address is unknown', () => {
    const s = setup();
    const { records, called } = three(s);
    const f = KBUGCHECK_REASON_CALLBACK_RECORD.decode(s.machine.readVirtual(records[2]!, 0x30));
    const forged = f.CallbackRoutine + 0x1000n;
    s.machine.writeU64(records[2]! + BigInt(R.CallbackRoutine), forged);
    s.machine.writeU64(records[2]! + BigInt(R.Checksum), BigInt.asUintN(64, forged + BigInt(f.Reason) + f.Component));
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(called, ['A', 'B']);
    assert.match(result.violations[0]!.detail, /not a known reason callback routine/);
  });

  it('a record whose Blink no longer points back (links corrupt); the walk continues through its Flink', () => {
    const s = setup();
    const { records, called } = three(s);
    s.machine.writeU64(records[1]! + 8n, records[1]!); // B.Blink → itself
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(called, ['A', 'C']);
    assert.match(result.violations[0]!.detail, /list links are corrupt/);
  });

  it('a Flink into unmapped memory ends the walk, and that is reported', () => {
    const s = setup();
    const { records, called } = three(s);
    s.machine.writeU64(records[1]!, 0xffff_f000_0bad_0000n); // B.Flink → nowhere
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(called, ['A']);
    const kinds = result.violations.map((v) => v.detail);
    assert.ok(kinds.some((d) => /walk stopped \(unreadable\)/.test(d)));
    assert.ok(
      kinds.some((d) => /record .* skipped: list links are corrupt/.test(d)),
      'B itself no longer links back properly',
    );
  });

  it('a cycle that never returns to the head is bounded', () => {
    const s = setup();
    const { records, called } = three(s);
    s.machine.writeU64(records[2]!, records[0]!); // C.Flink → A: A B C A B C …
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.ok(called.length <= 3);
    assert.ok(result.violations.some((v) => /walk stopped \(cycle\)/.test(v.detail)));
  });

  it('a record whose State byte was smashed', () => {
    const s = setup();
    const { records, called } = three(s);
    s.machine.writeU8(records[0]! + BigInt(R.State), 0x77);
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(called, ['B', 'C']);
    assert.match(result.violations[0]!.detail, /State is unknown \(119\)/);
    assert.equal(s.machine.readU8(records[0]! + BigInt(R.State)), 0x77);
  });

  it('a legacy record whose Length was changed', () => {
    const s = setup();
    const called: string[] = [];
    const a = newLegacyRecord(s.kernel);
    const b = newLegacyRecord(s.kernel);
    s.kernel.KeRegisterBugCheckCallback(
      a,
      () => {
        called.push('a');
      },
      0n,
      0,
      'a',
    );
    s.kernel.KeRegisterBugCheckCallback(
      b,
      () => {
        called.push('b');
      },
      0n,
      0,
      'b',
    );
    s.machine.writeU32(a + BigInt(L.Length), 0x1000);
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(called, ['b']);
    assert.equal(result.violations[0]!.record, a);
    assert.equal(s.machine.readU8(b + BigInt(L.State)), KBugCheckBufferDumpState.BufferFinished);
  });

  it('reports a corrupt record once even though every phase meets it', () => {
    const s = setup();
    const record = newReasonRecord(s.kernel);
    s.kernel.KeRegisterBugCheckReasonCallback(
      record,
      () => undefined,
      KbCallbackReason.KbCallbackSecondaryDumpData,
      'X',
    );
    s.machine.writeU64(record + BigInt(R.Checksum), 0n);
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.equal(result.violations.length, 1);
  });
});
