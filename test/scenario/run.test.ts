import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openDump } from '../../src/dump/reader/index.js';
import { KBUGCHECK_ADD_PAGES, KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS, KbCallbackReason } from '../../src/format/index.js';
import {
  bugCheckResultJson,
  formatBugCheckResult,
  loadScenario,
  runScenario,
  scenarioFromDefinition,
  ScenarioError,
  type ScenarioContext,
  type ScenarioDefinition,
} from '../../src/scenario/index.js';
import { TEST_BLOCK_TEXT, TEST_GUID, tempFolder, typescriptScenario, writeScenario } from './helpers.js';

async function runError(definition: ScenarioDefinition, name = 'failing'): Promise<ScenarioError> {
  const out = await tempFolder('out');
  try {
    await runScenario(scenarioFromDefinition(definition, name), { outDir: out });
  } catch (error) {
    assert.ok(error instanceof ScenarioError, `expected ScenarioError, got ${String(error)}`);
    return error;
  }
  assert.fail('the scenario ran');
}

describe('runScenario', () => {
  it('runs a .ts scenario from os.tmpdir() and writes a dump that holds its secondary data', async () => {
    const path = await writeScenario('blame.ts', typescriptScenario());
    const out = await tempFolder('out');
    const outcome = await runScenario(await loadScenario(path), { outDir: out });
    assert.equal(outcome.runs.length, 1);
    const run = outcome.runs[0]!;
    assert.equal(run.dumpKind, 'kernel');
    assert.equal(run.dumpPath, join(out, 'blame-kernel.dmp'));
    assert.equal(run.result.dumpStatus, 'written');
    assert.equal(run.result.bugCheck.code, 0xd1);
    assert.equal(run.machine.memoryBytes, 64n << 20n);
    assert.equal(run.machine.processors, 2);
    const report = run.result.callbacks.find((c) => c.component === 'MyDriver');
    assert.ok(report);
    assert.equal(report.routineModule, 'mydriver.sys');
    assert.deepEqual(
      report.contribution.secondaryData.map((b) => [b.guid, b.bytes]),
      [[TEST_GUID, TEST_BLOCK_TEXT.length]],
    );
    const dump = await openDump(run.dumpPath);
    try {
      const scan = await dump.secondaryData();
      const blob = scan.blobs.find((b) => b.guid === TEST_GUID);
      assert.ok(blob, 'the block is in the dump');
      assert.equal(Buffer.from(await dump.readBlob(blob)).toString('latin1'), TEST_BLOCK_TEXT);
      assert.equal(dump.header.bugCheckCode, 0xd1);
    } finally {
      await dump.close();
    }
  });

  it('runs once per dump kind, each on a fresh machine, and tells the run its kind', async () => {
    const seen: ScenarioContext[] = [];
    const out = await tempFolder('out');
    const outcome = await runScenario(
      scenarioFromDefinition(
        {
          options: { memory: '64MiB', dump: { kind: 'kernel' } },
          run(system, _lib, context) {
            seen.push(context);
            // The same driver loads in every run: each run starts from a fresh machine.
            const d = system.loadDriver({ name: 'again.sys', DriverEntry() {} });
            assert.equal(system.drivers.length, 1);
            system.KeBugCheckEx(0xe2, BigInt(context.runIndex), 0n, 0n, d.module.base);
          },
        },
        'each',
      ),
      { outDir: out, dumpKinds: ['complete', 'kernel', 'small'] },
    );
    assert.deepEqual(
      outcome.runs.map((r) => r.dumpKind),
      ['complete', 'kernel', 'small'],
    );
    assert.deepEqual(
      seen.map((c) => [c.dumpKind, c.runIndex, c.runCount]),
      [
        ['complete', 0, 3],
        ['kernel', 1, 3],
        ['small', 2, 3],
      ],
    );
    for (const run of outcome.runs) {
      assert.ok(existsSync(run.dumpPath), run.dumpPath);
      assert.equal(run.dumpPath, join(out, `each-${run.dumpKind}.dmp`));
      assert.equal(run.result.bugCheck.parameters[0], BigInt(outcome.runs.indexOf(run)));
    }
    assert.deepEqual(
      outcome.runs.map((r) => r.result.dump?.dumpType),
      [5, 6, 4],
    );
  });

  it('awaits an async run and reports progress while the body is written', async () => {
    const progress: [string, bigint, bigint][] = [];
    const ended: string[] = [];
    const out = await tempFolder('out');
    await runScenario(
      scenarioFromDefinition(
        async (system) => {
          await new Promise((resolve) => setImmediate(resolve));
          system.KeBugCheckEx(0x1e);
        },
        'async',
        { memory: '64MiB' },
      ),
      {
        outDir: out,
        dumpKinds: ['kernel'],
        onDumpProgress: (kind, done, total) => progress.push([kind, done, total]),
        onRunEnd: (kind) => ended.push(kind),
      },
    );
    assert.ok(progress.length >= 2, 'at least a start and an end');
    const last = progress[progress.length - 1]!;
    assert.equal(last[0], 'kernel');
    assert.equal(last[1], last[2], 'ends at the total');
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]![1] >= progress[i - 1]![1], 'never goes back');
    assert.deepEqual(ended, ['kernel']);
  });

  it('reports what each callback contributed: pages added, with JSON and text views', async () => {
    const out = await tempFolder('out');
    const outcome = await runScenario(
      scenarioFromDefinition(
        {
          options: { memory: '64MiB' },
          run(system, lib) {
            system.loadDriver({
              name: 'pages.sys',
              DriverEntry(d) {
                const buffer = d.allocateNonPaged(0x3000);
                d.registerReasonCallback(
                  (_reason, _record, data) => {
                    const v = d.kernel.view(KBUGCHECK_ADD_PAGES, data);
                    v.set('Flags', KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS);
                    v.set('Address', buffer);
                    v.set('Count', 3n);
                  },
                  lib.KbCallbackReason.KbCallbackAddPages,
                  'PageAdder',
                );
              },
            });
            system.KeBugCheckEx(0x133);
          },
        },
        'pages',
      ),
      { outDir: out },
    );
    const json = bugCheckResultJson(outcome.runs[0]!.result);
    const adder = json.callbacks.find((c) => c.component === 'PageAdder');
    assert.ok(adder);
    assert.equal(adder.reason, KbCallbackReason.KbCallbackAddPages);
    assert.equal(adder.stateName, 'BufferFinished');
    assert.equal(adder.calls, 1);
    assert.equal(adder.pageRanges.length, 1);
    assert.equal(adder.pageRanges[0]!.operation, 'add');
    assert.equal(adder.pageRanges[0]!.count, '0x3');
    assert.equal(adder.pageRanges[0]!.pages, 3);
    assert.match(adder.record, /^0x[0-9a-f]+$/);
    assert.equal(json.bugCheck.name, 'DPC_WATCHDOG_VIOLATION');
    assert.equal(json.dumpStatus, 'written');
    const text = formatBugCheckResult(outcome.runs[0]!.result).join('\n');
    assert.match(text, /^ {2}PageAdder {2}KbCallbackAddPages {2}BufferFinished {2}1 call /m);
    assert.match(text, /^ {6} {2}add virtual [0-9a-f]{8}`[0-9a-f]{8} count 0x3 → 3 pages accepted$/m);
    assert.match(text, /^Violations: none$/m);
  });

  it('fails with E_SCENARIO_FAILED when the run function throws, naming the error', async () => {
    const e = await runError({
      options: { memory: '64MiB' },
      run: () => {
        throw new TypeError('driver table is empty');
      },
    });
    assert.equal(e.code, 'E_SCENARIO_FAILED');
    // The location is the throw in this file (the first frame outside bugcheck's own src/).
    assert.match(
      e.message,
      /^scenario failing threw: driver table is empty \(at \/.*\/test\/scenario\/run\.test\.ts:\d+:\d+\)$/,
    );
    const rejected = await runError({
      options: { memory: '64MiB' },
      run: async () => Promise.reject(new Error('late failure')),
    });
    assert.match(
      rejected.message,
      /^scenario failing threw: late failure \(at \/.*\/test\/scenario\/run\.test\.ts:\d+:\d+\)$/,
    );
  });

  it('fails when a second KeBugCheckEx is attempted after the machine halted', async () => {
    const e = await runError({
      options: { memory: '64MiB', dump: { enabled: false } },
      run(system) {
        system.KeBugCheckEx(0xd1);
        system.KeBugCheckEx(0xd1);
      },
    });
    assert.equal(e.code, 'E_SCENARIO_FAILED');
    assert.equal(e.details.cause, 'E_KERNEL_HALTED');
  });

  it('fails with E_SCENARIO_NO_BUGCHECK when the run never bug-checks', async () => {
    const e = await runError(
      {
        options: { memory: '64MiB' },
        run(system) {
          system.loadDriver({ name: 'idle.sys', DriverEntry() {} });
        },
      },
      'idle',
    );
    assert.equal(e.code, 'E_SCENARIO_NO_BUGCHECK');
    assert.equal(
      e.message,
      'scenario idle never bug-checked: its run function returned without calling system.KeBugCheckEx(…)',
    );
  });

  it('runs with dumps disabled: legacy callbacks still run, nothing is written', async () => {
    const out = await tempFolder('out');
    let legacyRan = false;
    const outcome = await runScenario(
      scenarioFromDefinition(
        {
          options: { memory: '64MiB', dump: { enabled: false } },
          run(system) {
            system.loadDriver({
              name: 'legacy.sys',
              DriverEntry(d) {
                d.registerBugCheckCallback(
                  () => {
                    legacyRan = true;
                  },
                  d.allocateNonPaged(0x10),
                  0x10,
                  'Legacy',
                );
              },
            });
            system.KeBugCheckEx(0x7f, 8n);
          },
        },
        'nodump',
      ),
      { outDir: out },
    );
    assert.equal(legacyRan, true);
    assert.equal(outcome.runs[0]!.result.dumpStatus, 'disabled');
    assert.equal(existsSync(outcome.runs[0]!.dumpPath), false);
  });
});
