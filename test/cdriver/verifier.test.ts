/**
 * The same verifier as for TypeScript drivers, for C: a trap or a rule
 * broken inside a routine is that routine's fault (its record ends
 * BufferIncomplete, the violation names the component, the C function and
 * file:line), and the bug check goes on with everyone else's data.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { openDump, type BugCheckResult, type CompiledCDriver } from '../../src/index.js';
import { compileFiles, fixture, smallSystem } from './helpers.js';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

let compiled: CompiledCDriver;
before(async () => {
  compiled = await compileFiles([fixture('verifier.c')]);
});

const GOOD = '5d1a5c2e-1f0b-4b8e-9e31-0d6a77c3b001';

async function crashWith(which: number): Promise<{ result: BugCheckResult; blob?: Uint8Array }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bugcheck-cverifier-'));
  const file = path.join(dir, 'v.dmp');
  const system = smallSystem({
    routineTimeoutMs: 1000,
    dump: { kind: 'kernel', path: file },
  });
  const driver = system.loadDriver({ name: 'verifier.sys', compiled });
  assert.equal(driver.call('RegisterCase', which), 1);
  const result = system.KeBugCheckEx(0xe2);
  try {
    const d = await openDump(file);
    const blob = (await d.secondaryData()).blobs.find((b) => b.guid === GOOD);
    const bytes = blob ? await d.readBlob(blob) : undefined;
    await d.close();
    return { result, ...(bytes ? { blob: bytes } : {}) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const CASES: [number, string, RegExp][] = [
  [0, 'exception', /integer divide by zero in verifier\.sys!DivideByZero \(\S*verifier\.c:\d+\)/],
  [1, 'page-fault', /write of 0x18 \(not-mapped\) in verifier\.sys!NullWrite \(\S*verifier\.c:\d+\)/],
  [2, 'page-fault', /read of 0xfffff80012345678 \(not-mapped\) in verifier\.sys!WildRead/],
  [3, 'exception', /unreachable code reached .* in verifier\.sys!Unreachable \(\S*verifier\.c:\d+\)/],
  [4, 'page-fault', /stack overflow.* in verifier\.sys!Deeper \(\S*verifier\.c:\d+\)/],
  [5, 'timeout', /did not return within 1000 ms/],
  [6, 'allocate', /ExAllocatePool2\(0x40, 16\) in verifier\.sys!Allocates/],
  [7, 'paged-memory', /pageable/],
  [8, 'page-fault', /\(read-only\) in verifier\.sys!WritesReadOnly/],
  [9, 'exception', /function pointer 0xFFFFF80012345678 .* in verifier\.sys!BadPointer/],
  [10, 'irql', /KeLowerIrql\(0\).* in verifier\.sys!LowersIrql/],
  [11, 'wait', /KeAcquireSpinLock.* in verifier\.sys!TakesLock/],
];

describe('C routines that break the rules', () => {
  for (const [which, kind, detail] of CASES) {
    it(`case ${which}: ${kind}, the culprit's record is BufferIncomplete, the good one is Finished`, async () => {
      const { result } = await crashWith(which);
      const culprit = result.callbacks.find((c) => c.component === 'Culprit');
      const good = result.callbacks.find((c) => c.component === 'Good');
      assert.equal(culprit?.stateName, 'BufferIncomplete', culprit?.faults.map((f) => f.message).join('; '));
      assert.equal(good?.stateName, 'BufferFinished');
      const v = result.violations.find((x) => x.component === 'Culprit' && x.kind === kind);
      assert.ok(
        v,
        `a ${kind} violation: ${result.violations.map((x) => `${x.component} ${x.kind}: ${x.detail}`).join('; ')}`,
      );
      assert.match(v.detail, detail);
      assert.ok(result.violations.every((x) => x.component === 'Culprit'));
      assert.equal(result.violations.length, 1, 'reported once');
    });
  }

  it('the dump still has the good routine’s block, written by C through plain stores into the kernel’s InBuffer', async () => {
    const { result, blob } = await crashWith(0);
    assert.equal(result.dumpStatus, 'written');
    assert.deepEqual(
      blob,
      Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i),
    );
  });

  it('the record holds the C function pointer itself, an address inside the driver image', () => {
    const system = smallSystem({ dump: { enabled: false } });
    const driver = system.loadDriver({ name: 'verifier.sys', compiled });
    driver.call('RegisterCase', 6);
    const record = system.kernel.registeredRecords().find((r) => driver.functionName(r.routine) === 'Allocates');
    assert.ok(record, 'a record whose routine is the function Allocates');
    assert.ok(record.routine >= driver.module.base && record.routine < driver.module.base + BigInt(driver.module.size));
    assert.equal(system.machine.readU64(record.record + 0x10n), record.routine, 'CallbackRoutine in the record');
    const result = system.KeBugCheckEx(0xe2);
    assert.equal(result.callbacks.find((c) => c.component === 'Culprit')?.routineModule, 'verifier.sys');
  });
});
