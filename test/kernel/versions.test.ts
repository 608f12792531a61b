import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  DumpType,
  KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS,
  KBUGCHECK_ADD_PAGES,
  KBUGCHECK_SECONDARY_DUMP_DATA_EX,
  KbCallbackReason,
} from '../../src/format/index.js';
import { Kernel, type CrashDumpKind } from '../../src/kernel/index.js';
import { createX64Machine } from '../../src/machine/index.js';
import { fakeWriter, listEntries, newReasonRecord, setup, type Setup } from './helpers.js';

/** A kernel on a machine of that Windows build, with one record of each gated reason that counts its calls. */
function machineOfBuild(
  build: number,
  kind: CrashDumpKind,
): { s: Setup; calls: Record<string, number>; told: number[] } {
  const s = setup({ dump: { kind } }, {}, { build });
  const calls: Record<string, number> = { addPages: 0, multiPart: 0, triage: 0 };
  const told: number[] = [];
  const device = s.machine.allocateDeviceMemory(1);
  s.kernel.KeRegisterBugCheckReasonCallback(
    newReasonRecord(s.kernel),
    (_r, _rec, data) => {
      calls.addPages!++;
      s.kernel
        .view(KBUGCHECK_ADD_PAGES, data)
        .write({ Flags: KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS, Address: device, Count: 1n });
    },
    KbCallbackReason.KbCallbackAddPages,
    'Adder',
  );
  s.kernel.KeRegisterBugCheckReasonCallback(
    newReasonRecord(s.kernel),
    (_r, _rec, data) => {
      calls.multiPart!++;
      told.push(s.kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA_EX, data).get('DumpType'));
    },
    KbCallbackReason.KbCallbackSecondaryMultiPartDumpData,
    'Multi',
  );
  assert.ok(
    s.kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(s.kernel),
      () => {
        calls.triage!++;
      },
      KbCallbackReason.KbCallbackTriageDumpData,
      'Triage',
    ),
    'registration succeeds on every build (ntoskrnl does not validate Reason)',
  );
  s.kernel.KeBugCheckEx(0xe2);
  return { s, calls, told };
}

describe('the machine build gates what differs between Windows versions', () => {
  it('AddPages runs for complete dumps only from Windows 8 (9200); kernel dumps from Server 2008 (6001)', () => {
    assert.equal(machineOfBuild(7601, 'complete').calls.addPages, 0);
    assert.equal(machineOfBuild(9200, 'complete').calls.addPages, 1);
    assert.equal(machineOfBuild(7601, 'kernel').calls.addPages, 1);
    assert.equal(machineOfBuild(6000, 'kernel').calls.addPages, 0);
    assert.equal(machineOfBuild(7601, 'kernel').s.writer.plan!.addedPages.size, 1);
  });

  it('triage callbacks are called only from Windows 10 1809 (17763)', () => {
    assert.equal(machineOfBuild(17134, 'kernel').calls.triage, 0);
    assert.equal(machineOfBuild(17763, 'kernel').calls.triage, 1);
  });

  it('multi-part callbacks exist from Server 2008 (6001)', () => {
    assert.equal(machineOfBuild(6000, 'kernel').calls.multiPart, 0);
    assert.equal(machineOfBuild(6001, 'kernel').calls.multiPart, 1);
  });

  it('before Windows 8 a complete dump is written in the runs layout (DumpType 1), and callbacks are told so', () => {
    const old = machineOfBuild(7601, 'complete');
    assert.equal(old.s.writer.plan!.settings.completeFormat, 'runs');
    assert.deepEqual(old.told, [DumpType.Full]);
    const modern = machineOfBuild(19045, 'complete');
    assert.equal(modern.s.writer.plan!.settings.completeFormat, 'bitmap');
    assert.deepEqual(modern.told, [DumpType.BitmapFull]);
  });
});

describe('lists and order as ntoskrnl keeps them (defaults)', () => {
  it('links reason records at the head, triage records at the tail, AddPages/RemovePages apart', () => {
    const machine = createX64Machine();
    const kernel = new Kernel(machine, {}, fakeWriter().factory);
    const record = (reason: number): bigint => {
      const r = newReasonRecord(kernel);
      assert.ok(kernel.KeRegisterBugCheckReasonCallback(r, () => undefined, reason, `r${reason}`));
      return r;
    };
    const a = record(KbCallbackReason.KbCallbackSecondaryDumpData);
    const t1 = record(KbCallbackReason.KbCallbackTriageDumpData);
    const b = record(KbCallbackReason.KbCallbackDumpIo);
    const t2 = record(KbCallbackReason.KbCallbackTriageDumpData);
    const add = record(KbCallbackReason.KbCallbackAddPages);
    const remove = record(KbCallbackReason.KbCallbackRemovePages);
    assert.deepEqual(listEntries(machine, machine.symbols.KeBugCheckReasonCallbackListHead), [b, a, t1, t2]);
    const head = kernel.addRemovePagesListHead;
    assert.deepEqual(listEntries(machine, head), [remove, add]);
    // The head is a global inside ntoskrnl's image, like the other two.
    const nt = machine.ntoskrnl;
    assert.ok(head >= nt.base && head < nt.base + BigInt(nt.size));
  });

  it("'shared' keeps AddPages/RemovePages records on the reason list", () => {
    const { kernel, machine } = setup({ addRemovePagesList: 'shared' });
    const add = newReasonRecord(kernel);
    kernel.KeRegisterBugCheckReasonCallback(add, () => undefined, KbCallbackReason.KbCallbackAddPages, 'Adder');
    assert.deepEqual(listEntries(machine, machine.symbols.KeBugCheckReasonCallbackListHead), [add]);
    assert.deepEqual(listEntries(machine, kernel.addRemovePagesListHead), []);
  });
});
