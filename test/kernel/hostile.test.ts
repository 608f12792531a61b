import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS,
  KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS,
  KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA,
  KBUGCHECK_ADD_PAGES,
  KBUGCHECK_REASON_CALLBACK_RECORD,
  KBUGCHECK_REMOVE_PAGES,
  KBUGCHECK_SECONDARY_DUMP_DATA,
  KBUGCHECK_SECONDARY_DUMP_DATA_EX,
  KBugCheckBufferDumpState,
  KbCallbackReason,
  KbDumpIoType,
} from '../../src/format/index.js';
import type { KBugCheckReasonCallbackRoutine, KernelSettingsInput } from '../../src/kernel/index.js';
import { SYSTEM_PML4_PA, type LoadedModule } from '../../src/machine/index.js';
import { bytesOf, newLegacyRecord, newReasonRecord, nonPaged, setup, type Setup } from './helpers.js';

const GUID_OK = '0000000a-0000-4000-8000-00000000000a';
/** A budget small enough to keep the suite quick; nothing here depends on how long a call really takes. */
const BUDGET: KernelSettingsInput = { routineTimeoutMs: 150 };

function hang(): never {
  for (;;) {
    // A routine that never returns.
  }
}

/** (module (func (loop br 0))) exported as "f": an endless WebAssembly loop, as a C driver's routine could be. */
const WASM_ENDLESS_LOOP = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x07,
  0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b,
]);

/** A well-behaved secondary callback: writes "ok" in the data pass. */
function bystander(s: Setup, component = 'Bystander', module?: LoadedModule): bigint {
  const record = newReasonRecord(s.kernel);
  s.kernel.KeRegisterBugCheckReasonCallback(
    record,
    (_r, _rec, data) => {
      const v = s.kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, data);
      v.set('OutBufferLength', 2);
      if (v.get('OutBuffer') === 0n) return;
      s.machine.writeVirtual(v.get('InBuffer'), bytesOf('ok'));
      v.set('Guid', GUID_OK);
    },
    KbCallbackReason.KbCallbackSecondaryDumpData,
    component,
    module ? { module } : undefined,
  );
  return record;
}

function register(
  s: Setup,
  reason: number,
  component: string,
  routine: KBugCheckReasonCallbackRoutine,
  module?: LoadedModule,
): bigint {
  const record = newReasonRecord(s.kernel);
  assert.ok(
    s.kernel.KeRegisterBugCheckReasonCallback(record, routine, reason, component, module ? { module } : undefined),
  );
  return record;
}

function stateOf(s: Setup, record: bigint): number {
  return s.machine.readU8(record + BigInt(KBUGCHECK_REASON_CALLBACK_RECORD.offsets.State));
}

function kindsOf(s: Setup, component: string): string[] {
  return s.kernel.bugCheckResult!.violations.filter((v) => v.component === component).map((v) => v.kind);
}

describe('the watchdog: a routine that never returns', () => {
  const phases: { name: string; reason: number; settings?: KernelSettingsInput; inPass?: 'size' | 'data' }[] = [
    { name: 'the size pass', reason: KbCallbackReason.KbCallbackSecondaryDumpData, inPass: 'size' },
    { name: 'the data pass', reason: KbCallbackReason.KbCallbackSecondaryDumpData, inPass: 'data' },
    { name: 'AddPages', reason: KbCallbackReason.KbCallbackAddPages },
    { name: 'RemovePages', reason: KbCallbackReason.KbCallbackRemovePages },
    { name: 'triage', reason: KbCallbackReason.KbCallbackTriageDumpData },
    { name: 'a multi-part loop', reason: KbCallbackReason.KbCallbackSecondaryMultiPartDumpData },
    { name: 'DumpIo', reason: KbCallbackReason.KbCallbackDumpIo },
  ];
  for (const phase of phases) {
    it(`in ${phase.name}: stopped, reported as a timeout naming the component, everyone else's data written`, () => {
      const s = setup(BUDGET);
      bystander(s, 'Before');
      const record = register(s, phase.reason, 'Hung', (_r, _rec, data) => {
        if (phase.inPass === 'size' && s.kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, data).get('OutBuffer') !== 0n)
          return;
        if (phase.inPass === 'data' && s.kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, data).get('OutBuffer') === 0n)
          return;
        if (phase.reason === KbCallbackReason.KbCallbackSecondaryMultiPartDumpData) {
          const v = s.kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA_EX, data);
          // The first part is fine; the second never comes back.
          if (v.get('Context') === 0n) {
            v.write({ Context: 1n, Flags: KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA, OutBufferLength: 0, Guid: GUID_OK });
            return;
          }
        }
        hang();
      });
      bystander(s, 'After');
      const result = s.kernel.KeBugCheckEx(0xe2);
      assert.equal(result.dumpStatus, 'written');
      assert.deepEqual(kindsOf(s, 'Hung'), ['timeout']);
      const v = result.violations.find((x) => x.kind === 'timeout')!;
      assert.equal(v.record, record);
      assert.match(v.detail, /150 ms/);
      assert.equal(stateOf(s, record), KBugCheckBufferDumpState.BufferIncomplete);
      assert.deepEqual(kindsOf(s, 'Before'), []);
      assert.deepEqual(kindsOf(s, 'After'), []);
      // Both bystanders' blocks are in the dump, and the dump was completed.
      assert.equal(s.writer.blocks.filter((b) => b.guid === GUID_OK && b.data.length === 2).length, 2);
      assert.equal(s.writer.calls.at(-1)?.op, 'complete');
      if (phase.reason === KbCallbackReason.KbCallbackDumpIo) {
        // Stopped at its first write and never called again; the writes went on.
        assert.equal(result.callbacks.find((c) => c.component === 'Hung')!.calls, 1);
        assert.equal(s.writer.writes.at(-1)?.type, KbDumpIoType.KbDumpIoComplete);
      }
    });
  }

  it('a legacy routine after the dump, and one registered with dumps disabled: both stopped, the others run', () => {
    for (const enabled of [true, false]) {
      const s = setup({ ...BUDGET, dump: { enabled } });
      const ran: string[] = [];
      for (const name of ['First', 'Hung', 'Last']) {
        s.kernel.KeRegisterBugCheckCallback(
          newLegacyRecord(s.kernel),
          () => {
            ran.push(name);
            if (name === 'Hung') hang();
          },
          0n,
          0,
          name,
        );
      }
      const result = s.kernel.KeBugCheckEx(0xe2);
      assert.deepEqual(ran, ['First', 'Hung', 'Last']);
      assert.deepEqual(
        result.violations.map((v) => [v.component, v.kind]),
        [['Hung', 'timeout']],
      );
      assert.equal(result.callbacks.find((c) => c.component === 'Hung')!.stateName, 'BufferIncomplete');
    }
  });

  it('stops an endless WebAssembly loop inside a routine (how a C driver would hang)', () => {
    const s = setup(BUDGET);
    // The project's lib settings do not declare WebAssembly (a DOM/ES type); Node has it as a global.
    const wasm = (
      globalThis as unknown as {
        WebAssembly: {
          Module: new (bytes: Uint8Array) => object;
          Instance: new (module: object) => { exports: Record<string, unknown> };
        };
      }
    ).WebAssembly;
    const { exports } = new wasm.Instance(new wasm.Module(WASM_ENDLESS_LOOP));
    const spin = exports.f as () => void;
    register(s, KbCallbackReason.KbCallbackTriageDumpData, 'WasmHang', () => spin());
    bystander(s);
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(kindsOf(s, 'WasmHang'), ['timeout']);
    assert.equal(result.dumpStatus, 'written');
    assert.equal(s.writer.blocks.filter((b) => b.guid === GUID_OK).length, 1);
  });

  it('runs many calls in one timed chunk: 1,000 records do not arm the timer per call', () => {
    const s = setup({ routineTimeoutMs: 60_000 });
    for (let i = 0; i < 1000; i++) bystander(s, `B${i}`);
    const before = s.kernel.watchdog.chunks;
    s.kernel.KeBugCheckEx(0xe2);
    // Audit, size pass, pages, triage, data pass and legacy at most one chunk each (no DumpIo records).
    assert.ok(s.kernel.watchdog.chunks - before <= 6, `${s.kernel.watchdog.chunks - before} chunks`);
  });

  it('routineTimeoutMs 0 turns the watchdog off', () => {
    const s = setup({ routineTimeoutMs: 0 });
    bystander(s);
    s.kernel.KeBugCheckEx(0xe2);
    assert.equal(s.kernel.watchdog.chunks, 0);
  });
});

describe('a page fault at HIGH_LEVEL is fatal even when the routine catches it', () => {
  it('is a page-fault violation, the record ends Incomplete and its data is not written', () => {
    const s = setup();
    let caught = false;
    register(s, KbCallbackReason.KbCallbackSecondaryDumpData, 'Catcher', (_r, _rec, data) => {
      const v = s.kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, data);
      v.set('OutBufferLength', 4);
      if (v.get('OutBuffer') === 0n) return;
      try {
        s.machine.readU64(0xffff_8000_dead_0000n);
      } catch {
        caught = true;
      }
      s.machine.writeVirtual(v.get('InBuffer'), bytesOf('data'));
      v.set('Guid', '0000000b-0000-4000-8000-00000000000b');
    });
    bystander(s);
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.ok(caught);
    assert.deepEqual(kindsOf(s, 'Catcher'), ['page-fault']);
    const report = result.callbacks.find((c) => c.component === 'Catcher')!;
    assert.equal(report.stateName, 'BufferIncomplete');
    assert.deepEqual(report.contribution.secondaryData, []);
    assert.deepEqual(
      s.writer.blocks.map((b) => b.guid),
      [GUID_OK],
    );
  });

  it('a fault that escapes is reported once', () => {
    const s = setup();
    register(s, KbCallbackReason.KbCallbackTriageDumpData, 'Escaper', () => s.machine.readU64(0xffff_8000_dead_0000n));
    s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(kindsOf(s, 'Escaper'), ['page-fault']);
  });
});

/** A RemovePages callback that removes one range. */
function removes(s: Setup, component: string, flags: number, address: bigint, count: bigint): void {
  register(s, KbCallbackReason.KbCallbackRemovePages, component, (_r, _rec, data) => {
    s.kernel.view(KBUGCHECK_REMOVE_PAGES, data).write({ Flags: flags, Address: address, Count: count });
  });
}

describe('RemovePages keeps the dump readable', () => {
  const pfn = (s: Setup, va: bigint): bigint => s.machine.kernelSpace.translate(va)!.pa >> 12n;

  it('refuses page tables, the KDBG, the module list and the bug check’s own data, and removes the rest', () => {
    const s = setup({ dump: { kind: 'kernel' } });
    const own = nonPaged(s.machine, 0x2000);
    const ownPage = own - (own % 0x1000n);
    const targets: [string, number, bigint][] = [
      ['Pml4', KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS, SYSTEM_PML4_PA],
      ['Kdbg', KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS, s.machine.kdbg],
      ['Modules', KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS, s.machine.modules[3]!.ldrEntry],
      ['BugCheckData', KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS, s.machine.symbols.KiBugCheckData],
      ['Prcb', KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS, s.machine.processors[0]!.prcb],
    ];
    for (const [name, flags, address] of targets) removes(s, name, flags, address, 1n);
    removes(s, 'Own', KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS, ownPage, 2n);
    const result = s.kernel.KeBugCheckEx(0xe2);
    for (const [name] of targets) assert.deepEqual(kindsOf(s, name), ['protected-page'], name);
    const removed = s.writer.plan!.removedPages;
    assert.deepEqual([...removed].sort(), [pfn(s, ownPage), pfn(s, ownPage + 0x1000n)].sort());
    assert.ok(!removed.has(SYSTEM_PML4_PA >> 12n));
    assert.ok(!removed.has(pfn(s, s.machine.kdbg)));
    assert.equal(result.callbacks.find((c) => c.component === 'Own')!.contribution.pagesRemoved, 2);
    // The refused ones still finished: the protected pages are simply not removed.
    assert.equal(result.callbacks.find((c) => c.component === 'Pml4')!.stateName, 'BufferFinished');
  });

  it('a range larger than RAM is a violation and removes nothing (no other driver’s added pages, no legacy buffer)', () => {
    const s = setup({ dump: { kind: 'kernel' } });
    const added = s.machine.allocateDeviceMemory(2);
    register(s, KbCallbackReason.KbCallbackAddPages, 'Adder', (_r, _rec, data) => {
      s.kernel
        .view(KBUGCHECK_ADD_PAGES, data)
        .write({ Flags: KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS, Address: added, Count: 2n });
    });
    removes(s, 'Greedy', KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS, 0n, 1_000_000_000n);
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(kindsOf(s, 'Greedy'), ['limit']);
    assert.match(result.violations.find((v) => v.component === 'Greedy')!.detail, /larger than the machine's RAM/);
    assert.equal(s.writer.plan!.removedPages.size, 0);
    assert.deepEqual([...s.writer.plan!.addedPages].sort(), [added >> 12n, (added >> 12n) + 1n]);
  });
});

describe('reading past the buffer a routine owns', () => {
  function overreader(s: Setup, component: string, out: () => bigint, length: number): void {
    register(s, KbCallbackReason.KbCallbackSecondaryDumpData, component, (_r, _rec, data) => {
      const v = s.kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, data);
      v.write({ OutBufferLength: length, Guid: '0000000c-0000-4000-8000-00000000000c' });
      if (v.get('OutBuffer') !== 0n) v.set('OutBuffer', out());
    });
  }

  it('an OutBufferLength beyond the pool allocation: reported, only the allocation’s bytes written', () => {
    const s = setup();
    const small = nonPaged(s.machine, 0x40);
    s.machine.writeVirtual(small, new Uint8Array(0x40).fill(0x5a));
    // Other drivers' memory right behind it.
    const secret = nonPaged(s.machine, 0x100000);
    s.machine.writeVirtual(secret, bytesOf('someone else’s secret'));
    overreader(s, 'Greedy', () => small, 0x100000);
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(kindsOf(s, 'Greedy'), ['overread']);
    assert.match(result.violations[0]!.detail, /pool allocation/);
    assert.equal(s.writer.blocks.length, 1);
    assert.deepEqual(s.writer.blocks[0]!.data, new Uint8Array(0x40).fill(0x5a));
    assert.equal(result.callbacks[0]!.contribution.secondaryData[0]!.truncatedFrom, 0x100000);
  });

  it('an OutBuffer inside the driver’s image is bounded by the image', () => {
    const s = setup();
    const module = s.machine.loadModule('imaged.sys', 0x3000);
    const near = module.base + 0x2f00n;
    register(
      s,
      KbCallbackReason.KbCallbackSecondaryDumpData,
      'Imaged',
      (_r, _rec, data) => {
        const v = s.kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, data);
        v.write({ OutBufferLength: 0x1000, Guid: '0000000c-0000-4000-8000-00000000000c' });
        if (v.get('OutBuffer') !== 0n) v.set('OutBuffer', near);
      },
      module,
    );
    s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(kindsOf(s, 'Imaged'), ['overread']);
    assert.equal(s.writer.blocks[0]!.data.length, 0x100);
  });

  it('a buffer used within its allocation is not reported', () => {
    const s = setup();
    const buffer = nonPaged(s.machine, 0x2000);
    overreader(s, 'Fine', () => buffer, 0x2000);
    s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(kindsOf(s, 'Fine'), []);
    assert.equal(s.writer.blocks[0]!.data.length, 0x2000);
  });
});

describe('tampering with another driver’s record', () => {
  it('deregistering another driver’s record from a callback is reported against the culprit', () => {
    const s = setup();
    const a = s.machine.loadModule('a.sys', 0x10000);
    const b = s.machine.loadModule('b.sys', 0x10000);
    const victim = bystander(s, 'Victim', b);
    const sibling = bystander(s, 'Sibling', a);
    register(
      s,
      KbCallbackReason.KbCallbackTriageDumpData,
      'Bully',
      () => {
        s.kernel.KeDeregisterBugCheckReasonCallback(victim);
        s.kernel.KeDeregisterBugCheckReasonCallback(sibling); // its own driver's: not tampering
      },
      a,
    );
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(
      result.violations.map((v) => [v.component, v.kind, v.address]),
      [['Bully', 'tamper', victim]],
    );
    assert.equal(result.callbacks.find((c) => c.component === 'Bully')!.stateName, 'BufferFinished');
  });

  it('overwriting another driver’s record is reported against the writer; the victim is then skipped as corrupt', () => {
    const s = setup();
    const a = s.machine.loadModule('a.sys', 0x10000);
    const b = s.machine.loadModule('b.sys', 0x10000);
    const victim = bystander(s, 'Victim', b);
    const own = newReasonRecord(s.kernel);
    s.kernel.KeRegisterBugCheckReasonCallback(
      own,
      () => {
        s.machine.writeU64(victim + BigInt(KBUGCHECK_REASON_CALLBACK_RECORD.offsets.CallbackRoutine), 0x1234n);
        // Writing its own record is its own business.
        s.machine.writeU8(own + 0x2fn, 1);
      },
      KbCallbackReason.KbCallbackTriageDumpData,
      'Scribbler',
      { module: a },
    );
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(kindsOf(s, 'Scribbler'), ['tamper']);
    assert.equal(result.violations.find((v) => v.kind === 'tamper')!.address, victim + 0x10n);
    assert.deepEqual(kindsOf(s, 'Victim'), ['corrupt-record']);
  });
});
