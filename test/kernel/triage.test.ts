import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  KADDRESS_RANGE,
  KB_TRIAGE_DUMP_DATA_FLAG_BUGCHECK_ACTIVE,
  KBUGCHECK_TRIAGE_DUMP_DATA,
  KE_MAX_TRIAGE_DUMP_DATA_MEMORY_SIZE,
  KTRIAGE_DUMP_DATA_ARRAY,
  KbCallbackReason,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_INSUFFICIENT_RESOURCES,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from '../../src/format/index.js';
import { newReasonRecord, nonPaged, paged, setup, type Setup } from './helpers.js';

function newArray(s: Setup, blocks: number): bigint {
  const size = 0x30 + 16 * blocks;
  const array = nonPaged(s.machine, size);
  assert.equal(s.kernel.KeInitializeTriageDumpDataArray(array, size), STATUS_SUCCESS);
  return array;
}

describe('KeInitializeTriageDumpDataArray / KeAddTriageDumpDataBlock', () => {
  it('initialises the header in memory: self-linked List, capacity from Size, 32 MiB cap', () => {
    const s = setup();
    const array = nonPaged(s.machine, 0x30 + 16 * 4 + 8);
    s.machine.writeVirtual(array, new Uint8Array(0x30).fill(0xee));
    assert.equal(s.kernel.KeInitializeTriageDumpDataArray(array, 0x30 + 16 * 4 + 8), STATUS_SUCCESS);
    const h = KTRIAGE_DUMP_DATA_ARRAY.decode(s.machine.readVirtual(array, 0x30));
    assert.deepEqual(h.List, { Flink: array, Blink: array });
    assert.equal(h.NumBlocksUsed, 0);
    assert.equal(h.NumBlocksTotal, 4);
    assert.equal(h.DataSize, 0);
    assert.equal(h.MaxDataSize, KE_MAX_TRIAGE_DUMP_DATA_MEMORY_SIZE);
    assert.equal(h.ComponentName, 0n);
    assert.equal(h.ComponentNameBufferLength, 0);
  });

  it('rejects a NULL array and a size too small for one block', () => {
    const s = setup();
    assert.equal(s.kernel.KeInitializeTriageDumpDataArray(0n, 0x100), STATUS_INVALID_PARAMETER);
    assert.equal(s.kernel.KeInitializeTriageDumpDataArray(nonPaged(s.machine, 0x40), 0x3f), STATUS_BUFFER_TOO_SMALL);
  });

  it('appends blocks, accepts a range inside an existing block without adding, and refuses when full', () => {
    const s = setup();
    const array = newArray(s, 2);
    const data = nonPaged(s.machine, 0x200);
    assert.equal(s.kernel.KeAddTriageDumpDataBlock(array, data, 0x100), STATUS_SUCCESS);
    assert.equal(s.kernel.KeAddTriageDumpDataBlock(array, data + 0x10n, 0x20), STATUS_SUCCESS);
    assert.equal(
      s.kernel.KeAddTriageDumpDataBlock(array, data + 0x100n, 0x100),
      STATUS_SUCCESS,
      'adjacent, not merged',
    );
    assert.equal(s.kernel.KeAddTriageDumpDataBlock(array, data + 0x180n, 0x100), STATUS_BUFFER_TOO_SMALL);
    const h = KTRIAGE_DUMP_DATA_ARRAY.decode(s.machine.readVirtual(array, 0x30));
    assert.equal(h.NumBlocksUsed, 2);
    assert.equal(h.DataSize, 0x200);
    assert.deepEqual(KADDRESS_RANGE.decode(s.machine.readVirtual(array + 0x40n, 16)), {
      Address: data + 0x100n,
      Size: 0x100n,
    });
  });

  it('rejects NULL/wrapping ranges and ranges over MaxDataSize', () => {
    const s = setup();
    const array = newArray(s, 4);
    assert.equal(s.kernel.KeAddTriageDumpDataBlock(0n, 0x1000n, 1), STATUS_INVALID_PARAMETER);
    assert.equal(s.kernel.KeAddTriageDumpDataBlock(array, 0n, 1), STATUS_INVALID_PARAMETER);
    assert.equal(s.kernel.KeAddTriageDumpDataBlock(array, 0xffff_ffff_ffff_f000n, 0x2000), STATUS_INVALID_PARAMETER);
    assert.equal(
      s.kernel.KeAddTriageDumpDataBlock(array, 0xffff_f000_0000_0000n, KE_MAX_TRIAGE_DUMP_DATA_MEMORY_SIZE + 1),
      STATUS_INSUFFICIENT_RESOURCES,
    );
  });
});

describe('KbCallbackTriageDumpData', () => {
  it('is called once with BUGCHECK_ACTIVE, MaxVirtMemSize and the bug check; its ranges go to the plan', () => {
    const s = setup({ dump: { kind: 'small' } });
    const array = newArray(s, 8);
    const early = nonPaged(s.machine, 0x80);
    const late = nonPaged(s.machine, 0x40);
    assert.equal(s.kernel.KeAddTriageDumpDataBlock(array, early, 0x80), STATUS_SUCCESS);
    const seen: ReturnType<typeof KBUGCHECK_TRIAGE_DUMP_DATA.decode>[] = [];
    s.kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(s.kernel),
      (reason, _rec, data, length) => {
        assert.equal(reason, KbCallbackReason.KbCallbackTriageDumpData);
        assert.equal(length, 0x38);
        const v = s.kernel.view(KBUGCHECK_TRIAGE_DUMP_DATA, data);
        seen.push(v.read());
        if ((v.get('Flags') & KB_TRIAGE_DUMP_DATA_FLAG_BUGCHECK_ACTIVE) === 0) return;
        assert.equal(s.kernel.MmIsAddressValid(late), true);
        assert.equal(s.kernel.KeAddTriageDumpDataBlock(array, late, 0x40), STATUS_SUCCESS);
        v.set('DataArray', array);
      },
      KbCallbackReason.KbCallbackTriageDumpData,
      'TriageDrv',
    );
    const result = s.kernel.KeBugCheckEx(0x133, 1n, 0x1e00n, 0xfffff80512340000n, 0n);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.Flags, KB_TRIAGE_DUMP_DATA_FLAG_BUGCHECK_ACTIVE);
    assert.equal(seen[0]!.MaxVirtMemSize, KE_MAX_TRIAGE_DUMP_DATA_MEMORY_SIZE);
    assert.equal(seen[0]!.DataArray, 0n);
    assert.deepEqual(
      [seen[0]!.BugCheckCode, seen[0]!.BugCheckParameter1, seen[0]!.BugCheckParameter3],
      [0x133, 1n, 0xfffff80512340000n],
    );
    assert.deepEqual(s.writer.plan!.triageRanges, [
      { address: early, size: 0x80 },
      { address: late, size: 0x40 },
    ]);
    assert.deepEqual(result.callbacks[0]!.contribution.triageRanges, s.writer.plan!.triageRanges);
    assert.deepEqual(result.violations, []);
  });

  it('a block of size 0 adds nothing and succeeds (ntoskrnl), or is STATUS_INVALID_PARAMETER as a setting', () => {
    const s = setup();
    const array = newArray(s, 4);
    assert.equal(s.kernel.KeAddTriageDumpDataBlock(array, 0xffff_f000_0000_0000n, 0), STATUS_SUCCESS);
    assert.equal(s.kernel.KeAddTriageDumpDataBlock(array, 0n, 0), STATUS_SUCCESS);
    assert.equal(KTRIAGE_DUMP_DATA_ARRAY.decode(s.machine.readVirtual(array, 0x30)).NumBlocksUsed, 0);
    // A size-0 call still needs a valid array.
    assert.equal(s.kernel.KeAddTriageDumpDataBlock(0n, 0x1000n, 0), STATUS_INVALID_PARAMETER);
    const old = setup({ triage: { zeroSizeBlock: 'invalid-parameter' } });
    assert.equal(
      old.kernel.KeAddTriageDumpDataBlock(newArray(old, 4), 0xffff_f000_0000_0000n, 0),
      STATUS_INVALID_PARAMETER,
    );
  });

  it('offers every record the whole MaxVirtMemSize (ntoskrnl passes 0x2000000 to each)', () => {
    const s = setup({ triage: { maxVirtMemSize: 0x3000 } });
    const big = nonPaged(s.machine, 0x4000);
    const budgets: number[] = [];
    for (const name of ['First', 'Second']) {
      const array = newArray(s, 2);
      assert.equal(s.kernel.KeAddTriageDumpDataBlock(array, big, 0x2000), STATUS_SUCCESS);
      s.kernel.KeRegisterBugCheckReasonCallback(
        newReasonRecord(s.kernel),
        (_r, _rec, data) => {
          const v = s.kernel.view(KBUGCHECK_TRIAGE_DUMP_DATA, data);
          budgets.push(v.get('MaxVirtMemSize'));
          v.set('DataArray', array);
        },
        KbCallbackReason.KbCallbackTriageDumpData,
        name,
      );
    }
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(budgets, [0x3000, 0x3000]);
    assert.deepEqual(s.writer.plan!.triageRanges, [
      { address: big, size: 0x2000 },
      { address: big, size: 0x2000 },
    ]);
    assert.deepEqual(result.violations, []);
  });

  it("with triage.budget 'shared', shares one MaxVirtMemSize budget and truncates the range that crosses it", () => {
    const s = setup({ triage: { maxVirtMemSize: 0x3000, budget: 'shared' } });
    const big = nonPaged(s.machine, 0x4000);
    const budgets: number[] = [];
    for (const [name, size] of [
      ['First', 0x2000],
      ['Second', 0x2000],
    ] as const) {
      const array = newArray(s, 2);
      assert.equal(s.kernel.KeAddTriageDumpDataBlock(array, big, size), STATUS_SUCCESS);
      s.kernel.KeRegisterBugCheckReasonCallback(
        newReasonRecord(s.kernel),
        (_r, _rec, data) => {
          const v = s.kernel.view(KBUGCHECK_TRIAGE_DUMP_DATA, data);
          budgets.push(v.get('MaxVirtMemSize'));
          v.set('DataArray', array);
        },
        KbCallbackReason.KbCallbackTriageDumpData,
        name,
      );
    }
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(budgets, [0x3000, 0x1000]);
    assert.deepEqual(s.writer.plan!.triageRanges, [
      { address: big, size: 0x2000 },
      { address: big, size: 0x1000 },
    ]);
    assert.deepEqual(
      result.violations.map((v) => [v.component, v.kind]),
      [['Second', 'limit']],
    );
  });

  it('ignores the ranges of a record registered without a component name, and bad arrays or ranges', () => {
    const s = setup();
    const data = nonPaged(s.machine, 0x100);
    const pagedData = paged(s.machine, 0x100);
    const good = newArray(s, 4);
    s.kernel.KeAddTriageDumpDataBlock(good, data, 0x100);
    s.kernel.KeAddTriageDumpDataBlock(good, pagedData, 0x100);
    s.kernel.KeAddTriageDumpDataBlock(good, 0xffff_f000_0bad_0000n, 0x100);
    const corrupt = newArray(s, 1);
    s.machine.writeU32(corrupt + 0x10n, 5); // NumBlocksUsed > NumBlocksTotal
    const give = (component: string | bigint, array: bigint): void => {
      s.kernel.KeRegisterBugCheckReasonCallback(
        newReasonRecord(s.kernel),
        (_r, _rec, d) => {
          s.kernel.view(KBUGCHECK_TRIAGE_DUMP_DATA, d).set('DataArray', array);
        },
        KbCallbackReason.KbCallbackTriageDumpData,
        component,
      );
    };
    give(0n, good);
    give('Wild', 0xffff_f000_0bad_1000n);
    give('Corrupt', corrupt);
    give('Mixed', good);
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(
      result.violations.map((v) => [v.component, v.kind]),
      [
        ['', 'missing-component'],
        ['Wild', 'invalid-buffer'],
        ['Corrupt', 'invalid-buffer'],
        ['Mixed', 'paged-memory'],
        ['Mixed', 'invalid-address'],
      ],
    );
    assert.deepEqual(s.writer.plan!.triageRanges, [{ address: data, size: 0x100 }]);
  });

  it('runs for the configured dump kinds only', () => {
    const s = setup({ dump: { kind: 'kernel' }, triage: { dumpKinds: ['small'] } });
    let calls = 0;
    s.kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(s.kernel),
      () => {
        calls++;
      },
      KbCallbackReason.KbCallbackTriageDumpData,
      'T',
    );
    s.kernel.KeBugCheckEx(0xe2);
    assert.equal(calls, 0);
  });
});
