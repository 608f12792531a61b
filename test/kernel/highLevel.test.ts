import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  KBUGCHECK_SECONDARY_DUMP_DATA,
  KbCallbackReason,
  type KBugCheckSecondaryDumpData,
} from '../../src/format/index.js';
import { HighLevelViolationError, type StructView } from '../../src/kernel/index.js';
import { POOL_FLAG_NON_PAGED } from '../../src/machine/index.js';
import { bytesOf, newLegacyRecord, newReasonRecord, nonPaged, paged, setup, type Setup } from './helpers.js';

const GUID_OK = '0000000a-0000-4000-8000-00000000000a';

/** A well-behaved secondary callback registered after the misbehaving one: its block must still be written. */
function bystander(s: Setup): void {
  s.kernel.KeRegisterBugCheckReasonCallback(
    newReasonRecord(s.kernel),
    (_r, _rec, data) => {
      const v = s.kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, data);
      v.set('OutBufferLength', 2);
      if (v.get('OutBuffer') === 0n) return;
      s.machine.writeVirtual(v.get('InBuffer'), bytesOf('ok'));
      v.set('Guid', GUID_OK);
    },
    KbCallbackReason.KbCallbackSecondaryDumpData,
    'Bystander',
  );
}

function misbehave(s: Setup, component: string, act: (v: StructView<KBugCheckSecondaryDumpData>) => unknown): void {
  s.kernel.KeRegisterBugCheckReasonCallback(
    newReasonRecord(s.kernel),
    (_r, _rec, data) => {
      const v = s.kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, data);
      if (v.get('OutBuffer') === 0n) return undefined; // behave in the size pass
      v.write({ OutBufferLength: 4, Guid: '0000000b-0000-4000-8000-00000000000b' });
      return act(v);
    },
    KbCallbackReason.KbCallbackSecondaryDumpData,
    component,
  );
}

function expectOnly(s: Setup, component: string, kind: string): void {
  const result = s.kernel.bugCheckResult!;
  assert.equal(result.dumpStatus, 'written');
  assert.deepEqual(
    s.writer.blocks.map((b) => b.guid),
    [GUID_OK],
    'only the bystander’s block',
  );
  const v = result.violations.filter((x) => x.kind !== 'size-mismatch');
  assert.deepEqual(
    v.map((x) => [x.component, x.kind]),
    [[component, kind]],
  );
  const report = result.callbacks.find((c) => c.component === component)!;
  assert.equal(report.stateName, 'BufferIncomplete');
  assert.equal(report.faults.length, 1);
  assert.equal(report.faults[0]!.kind, kind);
  assert.equal(result.callbacks.find((c) => c.component === 'Bystander')!.stateName, 'BufferFinished');
}

describe('HIGH_LEVEL rules: a misbehaving routine costs only its own contribution', () => {
  it('throwing', () => {
    const s = setup();
    misbehave(s, 'Thrower', () => {
      throw new TypeError('undefined is not a function');
    });
    bystander(s);
    s.kernel.KeBugCheckEx(0xe2);
    expectOnly(s, 'Thrower', 'exception');
    assert.match(s.kernel.bugCheckResult!.violations[0]!.detail, /TypeError: undefined is not a function/);
  });

  it('throwing something that is not an Error', () => {
    const s = setup();
    misbehave(s, 'Weird', () => {
      throw 42;
    });
    bystander(s);
    s.kernel.KeBugCheckEx(0xe2);
    expectOnly(s, 'Weird', 'exception');
  });

  it('allocating through the kernel pass-through', () => {
    const s = setup();
    misbehave(s, 'Allocator', () => s.kernel.ExAllocatePool2(POOL_FLAG_NON_PAGED, 0x100, 'Bad1'));
    bystander(s);
    s.kernel.KeBugCheckEx(0xe2);
    expectOnly(s, 'Allocator', 'allocate');
  });

  it('allocating straight from the machine (seen by the guard)', () => {
    const s = setup();
    misbehave(s, 'Sneaky', () => s.machine.ExAllocatePool2(POOL_FLAG_NON_PAGED, 0x100, 'Bad2'));
    bystander(s);
    s.kernel.KeBugCheckEx(0xe2);
    expectOnly(s, 'Sneaky', 'allocate');
  });

  it('allocating and swallowing the error still counts', () => {
    const s = setup();
    misbehave(s, 'Swallower', () => {
      try {
        s.kernel.ExAllocatePool2(POOL_FLAG_NON_PAGED, 0x100, 'Bad3');
      } catch (e) {
        assert.ok(e instanceof HighLevelViolationError);
      }
    });
    bystander(s);
    s.kernel.KeBugCheckEx(0xe2);
    expectOnly(s, 'Swallower', 'allocate');
  });

  it('freeing pool', () => {
    const s = setup();
    const mine = nonPaged(s.machine, 0x10);
    misbehave(s, 'Freer', () => s.kernel.ExFreePoolWithTag(mine, 'Drv1'));
    bystander(s);
    s.kernel.KeBugCheckEx(0xe2);
    expectOnly(s, 'Freer', 'free');
  });

  it('waiting on an object', () => {
    const s = setup();
    misbehave(s, 'Waiter', () => s.kernel.KeWaitForSingleObject(0xffff_c000_0000_1000n));
    bystander(s);
    s.kernel.KeBugCheckEx(0xe2);
    expectOnly(s, 'Waiter', 'wait');
  });

  it('acquiring a spin lock', () => {
    const s = setup();
    const lock = nonPaged(s.machine, 8);
    misbehave(s, 'Locker', () => s.kernel.KeAcquireSpinLock(lock));
    bystander(s);
    s.kernel.KeBugCheckEx(0xe2);
    expectOnly(s, 'Locker', 'wait');
  });

  it('lowering the IRQL with KeReleaseSpinLock: refused at the call, the processor stays at HIGH_LEVEL', () => {
    const s = setup();
    const lock = nonPaged(s.machine, 8);
    const seen: number[] = [];
    misbehave(s, 'Lowerer', () => {
      seen.push(s.kernel.KeGetCurrentIrql());
      s.kernel.KeReleaseSpinLock(lock, 0);
    });
    bystander(s);
    s.kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(s.kernel),
      () => {
        seen.push(s.kernel.KeGetCurrentIrql());
      },
      KbCallbackReason.KbCallbackSecondaryDumpData,
      'Later',
    );
    s.kernel.KeRegisterBugCheckCallback(
      newLegacyRecord(s.kernel),
      () => {
        seen.push(s.kernel.KeGetCurrentIrql());
      },
      0n,
      0,
      'Legacy',
    );
    s.kernel.KeBugCheckEx(0xe2);
    const result = s.kernel.bugCheckResult!;
    // 'Later' returns nothing: an empty block with the all-zero GUID (emptyBlocks: 'write').
    assert.deepEqual(
      s.writer.blocks.map((b) => b.guid),
      [GUID_OK, '00000000-0000-0000-0000-000000000000'],
    );
    assert.deepEqual(
      result.violations.map((x) => [x.component, x.kind]),
      [['Lowerer', 'irql']],
    );
    assert.match(result.violations[0]!.detail, /KeReleaseSpinLock.*IRQL 0.*HIGH_LEVEL/);
    const report = result.callbacks.find((c) => c.component === 'Lowerer')!;
    assert.equal(report.stateName, 'BufferIncomplete');
    assert.deepEqual(
      report.faults.map((f) => f.kind),
      ['irql'],
    );
    // Size pass: Later (Lowerer returns before its act); data pass: Lowerer (then lowers), Later; then the legacy routine.
    assert.deepEqual(seen, [15, 15, 15, 15]);
    assert.equal(s.kernel.KeGetCurrentIrql(), 15);
  });

  it('a routine that changes the processor IRQL by any other path: reported after the call, HIGH_LEVEL restored', () => {
    const s = setup();
    const seen: number[] = [];
    const cpu = s.machine.processors[0]!;
    misbehave(s, 'Direct', () => {
      cpu.irql = 0;
    });
    bystander(s);
    s.kernel.KeRegisterBugCheckCallback(
      newLegacyRecord(s.kernel),
      () => {
        seen.push(s.kernel.KeGetCurrentIrql());
        cpu.irql = 2;
      },
      0n,
      0,
      'Legacy',
    );
    s.kernel.KeRegisterBugCheckCallback(
      newLegacyRecord(s.kernel),
      () => {
        seen.push(s.kernel.KeGetCurrentIrql());
      },
      0n,
      0,
      'LegacyNext',
    );
    s.kernel.KeBugCheckEx(0xe2);
    const result = s.kernel.bugCheckResult!;
    assert.deepEqual(
      s.writer.blocks.map((b) => b.guid),
      [GUID_OK],
      'the block of the call that lowered the IRQL is discarded',
    );
    assert.deepEqual(
      result.violations.map((x) => [x.component, x.kind]),
      [
        ['Direct', 'irql'],
        ['Legacy', 'irql'],
      ],
    );
    assert.match(result.violations[0]!.detail, /returned at IRQL 0/);
    assert.equal(result.callbacks.find((c) => c.component === 'Direct')!.stateName, 'BufferIncomplete');
    assert.equal(result.callbacks.find((c) => c.component === 'Legacy')!.stateName, 'BufferIncomplete');
    assert.deepEqual(seen, [15, 15]);
    assert.equal(cpu.irql, 15);
  });

  it('KeReleaseSpinLock back to HIGH_LEVEL changes nothing and is no violation', () => {
    const s = setup();
    const lock = nonPaged(s.machine, 8);
    s.kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(s.kernel),
      () => s.kernel.KeReleaseSpinLock(lock, s.kernel.KeGetCurrentIrql()),
      KbCallbackReason.KbCallbackSecondaryDumpData,
      'Tidy',
    );
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(result.violations, []);
    assert.equal(result.callbacks[0]!.stateName, 'BufferFinished');
  });

  it('returning a Promise (async routine), even one that rejects later', async () => {
    const s = setup();
    let resumedAfterBugCheck = false;
    misbehave(s, 'Async', async () => {
      await Promise.resolve();
      resumedAfterBugCheck = s.kernel.bugCheckResult !== null;
      throw new Error('rejected after the bug check');
    });
    bystander(s);
    s.kernel.KeBugCheckEx(0xe2);
    expectOnly(s, 'Async', 'promise');
    await new Promise((r) => setImmediate(r));
    assert.equal(resumedAfterBugCheck, true);
  });

  it('reading an unmapped address (nested page fault)', () => {
    const s = setup();
    misbehave(s, 'Wild', () => s.machine.readU64(0xffff_f000_dead_0000n));
    bystander(s);
    s.kernel.KeBugCheckEx(0xe2);
    expectOnly(s, 'Wild', 'page-fault');
    assert.equal(s.kernel.bugCheckResult!.violations[0]!.address, 0xffff_f000_dead_0000n);
  });

  it('touching pageable memory', () => {
    const s = setup();
    const pagedBuffer = paged(s.machine, 0x100);
    misbehave(s, 'Pager', () => s.machine.readVirtual(pagedBuffer, 4));
    bystander(s);
    s.kernel.KeBugCheckEx(0xe2);
    expectOnly(s, 'Pager', 'paged-memory');
  });

  it('MmIsAddressValid is allowed and lets a routine avoid the fault', () => {
    const s = setup();
    let valid: boolean[] = [];
    const mine = nonPaged(s.machine, 8);
    s.kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(s.kernel),
      () => {
        valid = [s.kernel.MmIsAddressValid(mine), s.kernel.MmIsAddressValid(0xffff_f000_dead_0000n)];
      },
      KbCallbackReason.KbCallbackSecondaryDumpData,
      'Careful',
    );
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(valid, [true, false]);
    assert.deepEqual(result.violations, []);
  });

  it('applies to legacy callbacks too', () => {
    const s = setup();
    let after = 0;
    s.kernel.KeRegisterBugCheckCallback(
      newLegacyRecord(s.kernel),
      () => s.kernel.ExAllocatePool2(POOL_FLAG_NON_PAGED, 1, 'Bad4'),
      0n,
      0,
      'OldDrv',
    );
    s.kernel.KeRegisterBugCheckCallback(
      newLegacyRecord(s.kernel),
      () => {
        after++;
      },
      0n,
      0,
      'Next',
    );
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.equal(after, 1);
    assert.deepEqual(
      result.violations.map((v) => [v.component, v.kind, v.reason]),
      [['OldDrv', 'allocate', null]],
    );
  });

  it('outside a bug check the same services work normally', () => {
    const s = setup();
    const va = s.kernel.ExAllocatePool2(POOL_FLAG_NON_PAGED, 0x10, 'Okay');
    assert.notEqual(va, 0n);
    s.kernel.ExFreePoolWithTag(va, 'Okay');
    const lock = nonPaged(s.machine, 8);
    const old = s.kernel.KeAcquireSpinLock(lock);
    assert.equal(s.kernel.KeGetCurrentIrql(), 2);
    s.kernel.KeReleaseSpinLock(lock, old);
    assert.equal(s.kernel.KeGetCurrentIrql(), 0);
    assert.equal(s.kernel.KeWaitForSingleObject(lock), 0);
    // After the bug check the processor stays at HIGH_LEVEL.
    s.kernel.KeBugCheckEx(0xe2);
    assert.throws(() => s.kernel.ExAllocatePool2(POOL_FLAG_NON_PAGED, 0x10, 'Late'), /E_IRQL|IRQL 15/);
  });
});

describe('Deregistration during the bug check', () => {
  it('a secondary callback that deregisters itself in the size pass is not called for the data pass', () => {
    const s = setup();
    let calls = 0;
    s.kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(s.kernel),
      (_r, record) => {
        calls++;
        assert.equal(s.kernel.KeDeregisterBugCheckReasonCallback(record), true);
      },
      KbCallbackReason.KbCallbackSecondaryDumpData,
      'Leaver',
    );
    bystander(s);
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.equal(calls, 1);
    assert.deepEqual(
      s.writer.blocks.map((b) => b.guid),
      [GUID_OK],
    );
    assert.deepEqual(result.violations, []);
    assert.equal(s.kernel.registeredRecords().length, 1);
  });

  it('a callback that deregisters the next record in the list: that record is skipped, the walk goes on', () => {
    const s = setup();
    const order: string[] = [];
    const records = [newReasonRecord(s.kernel), newReasonRecord(s.kernel), newReasonRecord(s.kernel)];
    s.kernel.KeRegisterBugCheckReasonCallback(
      records[0]!,
      () => {
        order.push('A');
        s.kernel.KeDeregisterBugCheckReasonCallback(records[1]!);
      },
      KbCallbackReason.KbCallbackTriageDumpData,
      'A',
    );
    s.kernel.KeRegisterBugCheckReasonCallback(
      records[1]!,
      () => {
        order.push('B');
      },
      KbCallbackReason.KbCallbackTriageDumpData,
      'B',
    );
    s.kernel.KeRegisterBugCheckReasonCallback(
      records[2]!,
      () => {
        order.push('C');
      },
      KbCallbackReason.KbCallbackTriageDumpData,
      'C',
    );
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(order, ['A', 'C']);
    assert.deepEqual(result.violations, []);
  });
});
