import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { json, runCli } from '../cli/helpers.js';
import { tempFolder, writeScenario } from './helpers.js';

const LAUNCHER = fileURLToPath(new URL('../../bin/bugcheck.cjs', import.meta.url));

/** A scenario that prints on every path a scenario has: module top level, run, DriverEntry, a callback. */
const CHATTY = `console.log('top level says hello');
export default {
  options: { memory: '64MiB', dump: { kind: 'small' } },
  run(system, lib) {
    console.log('run says hello');
    process.stdout.write('run writes to process.stdout\\n');
    console.info({ structured: true });
    console.table([{ a: 1 }]);
    const driver = system.loadDriver({
      name: 'chatty.sys',
      DriverEntry(d) {
        console.log('DriverEntry says hello');
        d.registerReasonCallback(() => {
          console.log('callback says hello');
        }, lib.KbCallbackReason.KbCallbackSecondaryDumpData, 'Chatty');
      },
    });
    system.KeBugCheckEx(0xd1, 0n, 2n, 0n, driver.codeAddress('Dpc'));
  },
};
`;

/** Line numbers below are counted in these sources. */
const THROWS_IN_RUN = `export default {
  options: { memory: '64MiB', dump: { kind: 'small' } },
  run(system, lib) {
    interface Unused { a: number }
    const n: number = 2;
    throw new RangeError('scenario gave up after ' + n);
  },
};
`;
const THROWS_IN_CALLBACK = `export default {
  options: { memory: '64MiB', dump: { kind: 'small' } },
  run(system, lib) {
    const driver = system.loadDriver({
      name: 'thrower.sys',
      DriverEntry(d) {
        d.registerReasonCallback(function Thrower() {
          const depth: number = 3;
          throw new Error('callback failed at depth ' + depth);
        }, lib.KbCallbackReason.KbCallbackSecondaryDumpData, 'Thrower');
      },
    });
    system.KeBugCheckEx(0xd1, 0n, 2n, 0n, driver.codeAddress('Dpc'));
  },
};
`;

describe('scenario output and errors', () => {
  it('run --json stays valid JSON whatever the scenario prints: its console output goes to stderr', async () => {
    const scenario = await writeScenario('chatty.ts', CHATTY);
    const out = await tempFolder('chatty');
    const r = spawnSync(process.execPath, [LAUNCHER, 'run', scenario, '--out', out, '--json'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { runs: { dumpStatus: string }[] };
    assert.equal(report.runs[0]?.dumpStatus, 'written');
    for (const said of ['top level', 'run', 'DriverEntry', 'callback'])
      assert.match(r.stderr, new RegExp(`^${said} says hello$`, 'm'));
    assert.match(r.stderr, /structured: true/);
    assert.match(r.stderr, /^run writes to process\.stdout$/m, 'the CLI run from a shell moves direct writes too');
    assert.doesNotMatch(r.stdout, /says hello/);
    assert.equal(console.log.name, 'log', 'the console of this process is left as it was');
  });

  it('in-process too: stdout of run --json parses, and the console is restored afterwards', async () => {
    const before = console.log;
    const run = await runCli([
      'run',
      await writeScenario('chatty.ts', CHATTY),
      '--out',
      await tempFolder('c'),
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    json(run);
    assert.equal(console.log, before);
  });

  it("an error thrown by the scenario names the user's file:line", async () => {
    const scenario = await writeScenario('gives-up.ts', THROWS_IN_RUN);
    const run = await runCli(['run', scenario, '--out', await tempFolder('t'), '--json']);
    assert.equal(run.code, 1);
    const error = json<{ error: { code: string; message: string; details: { location: unknown } } }>(run).error;
    assert.equal(error.code, 'E_SCENARIO_FAILED');
    assert.match(error.message, /threw: scenario gave up after 2 \(at .*gives-up\.ts:6:11\)$/);
    assert.deepEqual(error.details.location, { file: scenario, line: 6, column: 11 });
  });

  it("an error thrown by a callback routine names the user's file:line in the fault and the dump's diagnostics", async () => {
    const scenario = await writeScenario('thrower.ts', THROWS_IN_CALLBACK);
    const run = await runCli(['run', scenario, '--out', await tempFolder('t'), '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = json<{
      runs: {
        callbacks: { faults: { message: string }[] }[];
        analysis: { modelDiagnostics: { violations: { detail: string }[] } };
      }[];
    }>(run);
    const where = `(at ${scenario}:9:17)`;
    assert.equal(report.runs[0]?.callbacks[0]?.faults[0]?.message, `Error: callback failed at depth 3 ${where}`);
    assert.ok(report.runs[0]?.analysis.modelDiagnostics.violations.some((v) => v.detail.endsWith(where)));
  });
});
