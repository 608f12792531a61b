import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  KBUGCHECK_CALLBACK_RECORD,
  KBUGCHECK_REASON_CALLBACK_RECORD,
  KBugCheckBufferDumpState,
  KDDEBUGGER_DATA64,
  KbCallbackReason,
} from '../../src/format/index.js';
import { recordChecksum } from '../../src/kernel/index.js';
import { listEntries, newLegacyRecord, newReasonRecord, nonPaged, paged, setup } from './helpers.js';

const R = KBUGCHECK_REASON_CALLBACK_RECORD.offsets;
const L = KBUGCHECK_CALLBACK_RECORD.offsets;
const noop = (): void => undefined;

describe('KeInitializeCallbackRecord', () => {
  it('sets State to BufferEmpty at the offset of the record type, and nothing else', () => {
    const { kernel, machine } = setup();
    const reason = nonPaged(machine, 0x30);
    const legacy = nonPaged(machine, 0x40);
    machine.writeVirtual(reason, new Uint8Array(0x30).fill(0xee));
    machine.writeVirtual(legacy, new Uint8Array(0x40).fill(0xee));
    kernel.KeInitializeCallbackRecord(reason);
    kernel.KeInitializeCallbackRecord(legacy, KBUGCHECK_CALLBACK_RECORD);
    assert.equal(machine.readU8(reason + 0x2cn), 0);
    assert.equal(machine.readU8(legacy + 0x38n), 0);
    const rest = machine.readVirtual(reason, 0x2c);
    assert.ok(rest.every((b) => b === 0xee));
    assert.equal(machine.readU8(legacy + 0x2cn), 0xee);
  });
});

describe('KeRegisterBugCheckReasonCallback', () => {
  it('fills the record, computes the checksum and links it at the tail of the reason list', () => {
    const { kernel, machine } = setup();
    const driver = machine.loadModule('mydriver.sys', 0x8000);
    const first = newReasonRecord(kernel);
    const record = newReasonRecord(kernel);
    assert.equal(
      kernel.KeRegisterBugCheckReasonCallback(first, noop, KbCallbackReason.KbCallbackDumpIo, 'Other'),
      true,
    );
    function SecondaryCallback(): void {}
    assert.equal(
      kernel.KeRegisterBugCheckReasonCallback(
        record,
        SecondaryCallback,
        KbCallbackReason.KbCallbackSecondaryDumpData,
        'MyDriver',
        { module: driver },
      ),
      true,
    );

    const fields = KBUGCHECK_REASON_CALLBACK_RECORD.decode(machine.readVirtual(record, 0x30));
    assert.equal(fields.Reason, KbCallbackReason.KbCallbackSecondaryDumpData);
    assert.equal(fields.State, KBugCheckBufferDumpState.BufferInserted);
    assert.equal(machine.findModuleByAddress(fields.CallbackRoutine)?.name, 'mydriver.sys');
    assert.equal(machine.readAnsiString(fields.Component), 'MyDriver');
    assert.equal(
      fields.Checksum,
      BigInt.asUintN(64, fields.CallbackRoutine + BigInt(fields.Reason) + fields.Component),
    );
    assert.equal(
      fields.Checksum,
      recordChecksum('reason', {
        routine: fields.CallbackRoutine,
        component: fields.Component,
        reason: fields.Reason,
        buffer: 0n,
        length: 0,
      }),
    );

    const head = machine.symbols.KeBugCheckReasonCallbackListHead;
    assert.deepEqual(listEntries(machine, head), [first, record]);
    assert.equal(fields.Entry.Flink, head);
    assert.equal(fields.Entry.Blink, first);
    assert.equal(machine.readU64(head + 8n), record);
  });

  it('puts a routine registered without a module inside ntoskrnl, and reuses one address per routine', () => {
    const { kernel, machine } = setup();
    const a = newReasonRecord(kernel);
    const b = newReasonRecord(kernel);
    const routine = (): void => undefined;
    kernel.KeRegisterBugCheckReasonCallback(a, routine, KbCallbackReason.KbCallbackSecondaryDumpData, 'A');
    kernel.KeRegisterBugCheckReasonCallback(b, routine, KbCallbackReason.KbCallbackDumpIo, 'B');
    const ra = machine.readU64(a + BigInt(R.CallbackRoutine));
    assert.equal(machine.findModuleByAddress(ra)?.name, 'ntoskrnl.exe');
    assert.equal(machine.readU64(b + BigInt(R.CallbackRoutine)), ra);
  });

  it('accepts a component given as an address and stores that pointer, not a copy', () => {
    const { kernel, machine } = setup();
    const name = machine.allocateAnsiString('ByPointer');
    const record = newReasonRecord(kernel);
    kernel.KeRegisterBugCheckReasonCallback(record, noop, KbCallbackReason.KbCallbackDumpIo, name);
    assert.equal(machine.readU64(record + BigInt(R.Component)), name);
  });

  it('returns FALSE for a record that is already registered, and leaves it as it was', () => {
    const { kernel, machine } = setup();
    const record = newReasonRecord(kernel);
    assert.equal(
      kernel.KeRegisterBugCheckReasonCallback(record, noop, KbCallbackReason.KbCallbackSecondaryDumpData, 'X'),
      true,
    );
    const before = machine.readVirtual(record, 0x30);
    assert.equal(
      kernel.KeRegisterBugCheckReasonCallback(record, () => undefined, KbCallbackReason.KbCallbackDumpIo, 'Y'),
      false,
    );
    assert.deepEqual(machine.readVirtual(record, 0x30), before);
    assert.match(kernel.diagnostics.at(-1)!.message, /already registered/);
    assert.equal(listEntries(machine, machine.symbols.KeBugCheckReasonCallbackListHead).length, 1);
  });

  it('returns FALSE when State is not BufferEmpty (record never initialised)', () => {
    const { kernel, machine } = setup();
    const record = nonPaged(machine, 0x30);
    machine.writeU8(record + 0x2cn, 7);
    assert.equal(
      kernel.KeRegisterBugCheckReasonCallback(record, noop, KbCallbackReason.KbCallbackSecondaryDumpData, 'X'),
      false,
    );
    assert.match(kernel.diagnostics.at(-1)!.message, /not BufferEmpty/);
  });

  it('refuses reserved and unknown reasons without touching the record (DMF peeks at Reason)', () => {
    const { kernel, machine } = setup();
    for (const reason of [
      KbCallbackReason.KbCallbackInvalid,
      KbCallbackReason.KbCallbackReserved1,
      KbCallbackReason.KbCallbackReserved2,
      KbCallbackReason.KbCallbackReserved3,
      42,
      -1,
      2.5,
    ]) {
      const record = newReasonRecord(kernel);
      assert.equal(kernel.KeRegisterBugCheckReasonCallback(record, noop, reason, 'X'), false, `reason ${reason}`);
      const f = KBUGCHECK_REASON_CALLBACK_RECORD.decode(machine.readVirtual(record, 0x30));
      assert.equal(f.Reason, 0);
      assert.equal(f.CallbackRoutine, 0n);
      assert.equal(f.State, 0);
    }
  });

  it('refuses a record in pageable memory or at an unmapped address', () => {
    const { kernel, machine } = setup();
    const pagedRecord = paged(machine, 0x30);
    assert.equal(
      kernel.KeRegisterBugCheckReasonCallback(pagedRecord, noop, KbCallbackReason.KbCallbackDumpIo, 'X'),
      false,
    );
    assert.match(kernel.diagnostics.at(-1)!.message, /pageable/);
    assert.equal(
      kernel.KeRegisterBugCheckReasonCallback(0xffff_f000_dead_0000n, noop, KbCallbackReason.KbCallbackDumpIo, 'X'),
      false,
    );
    assert.match(kernel.diagnostics.at(-1)!.message, /not mapped/);
  });

  it('registers by address only for routines bound beforehand', () => {
    const { kernel, machine } = setup();
    const driver = machine.loadModule('bound.sys', 0x4000);
    const address = kernel.bindRoutine('reason', () => undefined, { module: driver, label: 'BoundCallback' });
    assert.equal(machine.findModuleByAddress(address)?.name, 'bound.sys');
    const ok = newReasonRecord(kernel);
    assert.equal(kernel.KeRegisterBugCheckReasonCallback(ok, address, KbCallbackReason.KbCallbackDumpIo, 'X'), true);
    assert.equal(machine.readU64(ok + BigInt(R.CallbackRoutine)), address);
    const bad = newReasonRecord(kernel);
    assert.equal(
      kernel.KeRegisterBugCheckReasonCallback(bad, address + 1n, KbCallbackReason.KbCallbackDumpIo, 'X'),
      false,
    );
    const legacyAddress = kernel.bindRoutine('legacy', () => undefined);
    assert.equal(
      kernel.KeRegisterBugCheckReasonCallback(bad, legacyAddress, KbCallbackReason.KbCallbackDumpIo, 'X'),
      false,
    );
  });
});

describe('KeDeregisterBugCheckReasonCallback', () => {
  it('unlinks the record, resets State to BufferEmpty, and allows registering again', () => {
    const { kernel, machine } = setup();
    const head = machine.symbols.KeBugCheckReasonCallbackListHead;
    const [a, b, c] = [newReasonRecord(kernel), newReasonRecord(kernel), newReasonRecord(kernel)];
    for (const r of [a, b, c])
      assert.ok(kernel.KeRegisterBugCheckReasonCallback(r, noop, KbCallbackReason.KbCallbackDumpIo, 'X'));
    assert.equal(kernel.KeDeregisterBugCheckReasonCallback(b), true);
    assert.deepEqual(listEntries(machine, head), [a, c]);
    assert.equal(machine.readU64(c + 8n), a);
    assert.equal(machine.readU8(b + BigInt(R.State)), KBugCheckBufferDumpState.BufferEmpty);
    assert.equal(kernel.KeDeregisterBugCheckReasonCallback(b), false);
    assert.equal(
      kernel.KeRegisterBugCheckReasonCallback(b, noop, KbCallbackReason.KbCallbackSecondaryDumpData, 'Again'),
      true,
    );
    assert.deepEqual(listEntries(machine, head), [a, c, b]);
    assert.deepEqual(
      kernel.registeredRecords().map((r) => r.record),
      [a, c, b],
    );
  });

  it('returns FALSE for a record that was never registered, or whose neighbours do not point back', () => {
    const { kernel, machine } = setup();
    assert.equal(kernel.KeDeregisterBugCheckReasonCallback(newReasonRecord(kernel)), false);
    const [a, b] = [newReasonRecord(kernel), newReasonRecord(kernel)];
    kernel.KeRegisterBugCheckReasonCallback(a, noop, KbCallbackReason.KbCallbackDumpIo, 'X');
    kernel.KeRegisterBugCheckReasonCallback(b, noop, KbCallbackReason.KbCallbackDumpIo, 'X');
    machine.writeU64(a + 8n, 0x1000n); // a.Blink smashed
    assert.equal(kernel.KeDeregisterBugCheckReasonCallback(a), false);
    assert.match(kernel.diagnostics.at(-1)!.message, /corrupt/);
    assert.equal(machine.readU8(a + BigInt(R.State)), KBugCheckBufferDumpState.BufferInserted);
  });
});

describe('KeRegisterBugCheckCallback (legacy)', () => {
  it('fills the legacy record and links it on the list the KDBG points to', () => {
    const { kernel, machine } = setup();
    const buffer = nonPaged(machine, 64);
    const record = newLegacyRecord(kernel);
    assert.equal(
      kernel.KeRegisterBugCheckCallback(record, () => undefined, buffer, 64, 'LegacyDrv'),
      true,
    );
    const f = KBUGCHECK_CALLBACK_RECORD.decode(machine.readVirtual(record, 0x40));
    assert.equal(f.Buffer, buffer);
    assert.equal(f.Length, 64);
    assert.equal(machine.readAnsiString(f.Component), 'LegacyDrv');
    assert.equal(f.State, KBugCheckBufferDumpState.BufferInserted);
    assert.equal(f.Checksum, BigInt.asUintN(64, f.CallbackRoutine + f.Buffer + 64n + f.Component));
    const kdbgHead = machine.readU64(machine.kdbg + BigInt(KDDEBUGGER_DATA64.offsets.KeBugCheckCallbackListHead));
    assert.equal(kdbgHead, machine.symbols.KeBugCheckCallbackListHead);
    assert.deepEqual(listEntries(machine, kdbgHead), [record]);
    // A legacy record is not a reason record: the reason list stays empty.
    assert.deepEqual(listEntries(machine, machine.symbols.KeBugCheckReasonCallbackListHead), []);
    assert.equal(
      kernel.KeRegisterBugCheckCallback(record, () => undefined, buffer, 64, 'LegacyDrv'),
      false,
    );
    assert.equal(kernel.KeDeregisterBugCheckReasonCallback(record), false);
    assert.equal(kernel.KeDeregisterBugCheckCallback(record), true);
    assert.equal(machine.readU8(record + BigInt(L.State)), KBugCheckBufferDumpState.BufferEmpty);
    assert.deepEqual(listEntries(machine, kdbgHead), []);
  });

  it('refuses a Buffer that is not resident (pageable, unmapped, or running off its mapping), leaving the record untouched', () => {
    const { kernel, machine } = setup();
    const record = newLegacyRecord(kernel);
    const before = machine.readVirtual(record, KBUGCHECK_CALLBACK_RECORD.size);
    const resident = nonPaged(machine, 0x1000);
    let page = resident & ~0xfffn;
    while (machine.kernelSpace.translate(page + 0x1000n) !== undefined) page += 0x1000n;
    const cases: [bigint, number, RegExp][] = [
      [paged(machine, 0x40), 0x40, /pageable memory; it must be resident/],
      [0xffff_f000_dead_0000n, 0x10, /not mapped; it must be resident/],
      // Starts in the last mapped page and runs into the unmapped one after it.
      [page + 0xff0n, 0x20, /not mapped; it must be resident/],
      [-1n, 0, /not a pointer/],
    ];
    for (const [buffer, length, message] of cases) {
      assert.equal(kernel.KeRegisterBugCheckCallback(record, noop, buffer, length, 'LegacyDrv'), false, message.source);
      assert.match(kernel.diagnostics.at(-1)!.message, message);
      assert.equal(kernel.diagnostics.at(-1)!.api, 'KeRegisterBugCheckCallback');
    }
    assert.deepEqual(machine.readVirtual(record, KBUGCHECK_CALLBACK_RECORD.size), before);
    assert.deepEqual(listEntries(machine, machine.symbols.KeBugCheckCallbackListHead), []);
    assert.deepEqual(kernel.registeredRecords(), []);
    // The same record registers once it is given a resident buffer, or none (Buffer is optional).
    assert.equal(kernel.KeRegisterBugCheckCallback(record, noop, resident, 0x1000, 'LegacyDrv'), true);
    assert.equal(kernel.KeRegisterBugCheckCallback(newLegacyRecord(kernel), noop, 0n, 0, 'NoBuffer'), true);
    assert.equal(
      kernel.KeRegisterBugCheckCallback(newLegacyRecord(kernel), noop, 0xffff_f000_dead_0000n, 0, 'Empty'),
      true,
    );
  });
});
