import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openDump } from '../../src/dump/reader/index.js';
import type { ScenarioReportJson } from '../../src/cli/scenarioOutput.js';
import {
  TEST_BLOCK_TEXT,
  TEST_GUID,
  javascriptScenario,
  tempFolder,
  typescriptScenario,
  writeScenario,
} from '../scenario/helpers.js';
import { json, runCli } from './helpers.js';

/** The text of the block tagged TEST_GUID in a dump, and whether the dump has error-level problems. */
async function blockOf(path: string): Promise<{ text: string | undefined; errors: number }> {
  const dump = await openDump(path);
  try {
    const scan = await dump.secondaryData();
    const blob = scan.blobs.find((b) => b.guid === TEST_GUID);
    const text = blob === undefined ? undefined : Buffer.from(await dump.readBlob(blob)).toString('latin1');
    return { text, errors: [...dump.problems, ...scan.problems].filter((p) => p.severity === 'error').length };
  } finally {
    await dump.close();
  }
}

/** One line on stderr naming the problem, nothing on stdout, exit 1. */
function assertOneLineFailure(run: { code: number; stdout: string; stderr: string }, pattern: RegExp): void {
  assert.equal(run.code, 1, run.stderr);
  assert.equal(run.stdout, '');
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0]!, pattern);
}

describe('bugcheck run', () => {
  it('runs a TypeScript scenario from os.tmpdir() (ESM, no package.json) and prints contributions and the analysis', async () => {
    const path = await writeScenario('blame.ts', typescriptScenario());
    assert.ok(path.startsWith(tmpdir()));
    const out = await tempFolder('out');
    const run = await runCli(['run', path, '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '', 'no progress bar and no warnings when stderr is not a TTY');
    const dumpPath = join(out, 'blame-kernel.dmp');
    assert.ok(existsSync(dumpPath));
    const block = await blockOf(dumpPath);
    assert.equal(block.text, TEST_BLOCK_TEXT);
    assert.equal(block.errors, 0);
    assert.match(run.stdout, new RegExp(`^=== kernel dump: ${dumpPath.replace(/[.\\/]/g, '\\$&')} ===$`, 'm'));
    assert.match(run.stdout, /^Bug check: DRIVER_IRQL_NOT_LESS_OR_EQUAL \(0xd1\) 0x10, 0x2, 0x0, 0xfffff8[0-9a-f]+$/m);
    assert.match(
      run.stdout,
      /^ {2}MyDriver {2}KbCallbackSecondaryDumpData {2}BufferFinished {2}2 calls .* in mydriver\.sys$/m,
    );
    assert.match(run.stdout, /^ {6}secondary data: \{6F1D0C55-2B1E-4F7A-9C1A-0D5E7C3B9A01\} 0x2b bytes$/m);
    assert.match(run.stdout, /^--- bugcheck analyze /m);
    assert.match(run.stdout, /^FAULTING_IP: {2}mydriver!MyDriverDpc \(.*from BugCheckParameter4\)$/m);
    assert.match(run.stdout, /^MODULE_NAME: {2}mydriver$/m);
  });

  it('runs a JavaScript scenario (default function + named options) with its own dump kind', async () => {
    const path = await writeScenario('plain.js', javascriptScenario());
    const out = await tempFolder('out');
    const run = await runCli(['run', path, '--out', out, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = json<ScenarioReportJson>(run);
    assert.equal(report.scenario.name, 'plain');
    assert.equal(report.runs.length, 1);
    const r = report.runs[0]!;
    assert.equal(r.dumpKind, 'small');
    assert.equal(r.dumpPath, join(out, 'plain-small.dmp'));
    assert.equal(r.dump?.dumpType, 4);
    assert.equal((await blockOf(r.dumpPath)).text, `${TEST_BLOCK_TEXT} (small)`);
    assert.equal(r.analysis?.faultingModule?.name, 'jsdriver');
  });

  it('--dump-type all writes the three dumps from fresh machines; --json is one stable object', async () => {
    const path = await writeScenario('every.ts', typescriptScenario());
    const out = await tempFolder('out');
    const run = await runCli(['run', path, '--out', out, '--dump-type', 'all', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = json<ScenarioReportJson>(run);
    assert.deepEqual(Object.keys(report), ['scenario', 'runs']);
    assert.deepEqual(Object.keys(report.scenario), ['source', 'name', 'description']);
    assert.deepEqual(
      report.runs.map((r) => r.dumpKind),
      ['complete', 'kernel', 'small'],
    );
    for (const r of report.runs) {
      assert.deepEqual(Object.keys(r), [
        'dumpKind',
        'dumpPath',
        'machine',
        'bugCheck',
        'nested',
        'processor',
        'dumpStatus',
        'dumpError',
        'dump',
        'callbacks',
        'violations',
        'dbgPrint',
        'analysis',
      ]);
      assert.equal(r.dumpPath, join(out, `every-${r.dumpKind}.dmp`));
      assert.equal(r.dumpStatus, 'written');
      assert.deepEqual(r.machine, {
        memoryBytes: 64 * 1024 * 1024,
        processors: 2,
        build: 19045,
        productType: 1,
        seed: r.machine.seed,
      });
      assert.deepEqual(r.bugCheck.name, 'DRIVER_IRQL_NOT_LESS_OR_EQUAL');
      const cb = r.callbacks.find((c) => c.component === 'MyDriver');
      assert.ok(cb);
      assert.deepEqual(Object.keys(cb), [
        'component',
        'kind',
        'reason',
        'reasonName',
        'record',
        'routine',
        'routineModule',
        'state',
        'stateName',
        'calls',
        'sizePassBytes',
        'secondaryData',
        'secondaryBytes',
        'dumpIoCalls',
        'pagesAdded',
        'pagesRemoved',
        'pageRanges',
        'triageRanges',
        'violations',
        'faults',
        'skipped',
        'deregisteredDuringBugCheck',
      ]);
      assert.deepEqual(cb.secondaryData, [
        { guid: TEST_GUID, bytes: TEST_BLOCK_TEXT.length, part: 0, truncatedFrom: null },
      ]);
      const block = await blockOf(r.dumpPath);
      assert.equal(block.text, TEST_BLOCK_TEXT, r.dumpKind);
      assert.equal(block.errors, 0, r.dumpKind);
      assert.ok(r.analysis);
      assert.equal(r.analysis.file, r.dumpPath);
      // A small dump carries no image, so no export table names the function.
      const symbol = r.dumpKind === 'small' ? /^mydriver\+0x[0-9a-f]+$/ : /^mydriver!MyDriverDpc$/;
      assert.match(r.analysis.faultingModule?.symbol ?? '', symbol, r.dumpKind);
      assert.deepEqual(
        r.analysis.problems.filter((p) => p.severity === 'error'),
        [],
      );
    }
    assert.deepEqual(
      report.runs.map((r) => r.analysis?.dumpType),
      [5, 6, 4],
    );
  });

  it('fails in one line when the scenario throws', async () => {
    const path = await writeScenario(
      'throws.ts',
      `export default { options: { memory: '64MiB' }, run() { throw new Error('no drivers configured'); } };\n`,
    );
    assertOneLineFailure(
      await runCli(['run', path, '--out', await tempFolder('out')]),
      /^bugcheck: error: scenario .*throws\.ts threw: no drivers configured \(at \/.*throws\.ts:1:62\) \(E_SCENARIO_FAILED\)$/,
    );
  });

  it('fails in one line when the scenario never bug-checks', async () => {
    const path = await writeScenario(
      'idle.ts',
      `export default { options: { memory: '64MiB' }, run(system) { system.loadDriver({ name: 'idle.sys', DriverEntry() {} }); } };\n`,
    );
    assertOneLineFailure(
      await runCli(['run', path, '--out', await tempFolder('out')]),
      /^bugcheck: error: scenario .*idle\.ts never bug-checked: .* \(E_SCENARIO_NO_BUGCHECK\)$/,
    );
  });

  it('fails in one line on an unknown option or a bad memory size', async () => {
    const unknown = await writeScenario(
      'unknown.ts',
      `export default { options: { memory: '64MiB', cpus: 4 }, run(system) { system.KeBugCheckEx(1); } };\n`,
    );
    assertOneLineFailure(
      await runCli(['run', unknown]),
      /^bugcheck: error: scenario .*unknown\.ts: scenario option "cpus" is not known \(known: .*processors.*\) \(E_SCENARIO_OPTIONS\)$/,
    );
    const memory = await writeScenario(
      'memory.ts',
      `export default { options: { memory: '256 megs' }, run(system) { system.KeBugCheckEx(1); } };\n`,
    );
    assertOneLineFailure(
      await runCli(['run', memory]),
      /^bugcheck: error: scenario .*memory\.ts: scenario option "memory": expected a size like "256MiB", got "256 megs" \(E_SCENARIO_OPTIONS\)$/,
    );
  });

  it('fails in one line when the file does not exist', async () => {
    const missing = join(tmpdir(), 'bugcheck-missing-scenario.ts');
    assertOneLineFailure(
      await runCli(['run', missing]),
      /^bugcheck: error: scenario file not found: .*bugcheck-missing-scenario\.ts \(E_SCENARIO_NOT_FOUND\)$/,
    );
  });

  it('exits 1 when a dump cannot be written, after printing what happened', async () => {
    const path = await writeScenario('blocked.ts', typescriptScenario());
    const out = await tempFolder('out');
    mkdirSync(join(out, 'blocked-kernel.dmp'));
    const run = await runCli(['run', path, '--out', out]);
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /^Dump: failed at primary: cannot open dump file .*blocked-kernel\.dmp.* \(E_DUMP_WRITE_IO\)$/m,
    );
    assert.match(
      run.stdout,
      /^ {2}MyDriver {2}KbCallbackSecondaryDumpData /m,
      'the callbacks still ran and are reported',
    );
    assert.match(
      run.stderr,
      /^bugcheck: error: kernel dump was not written: cannot open dump file .* \(E_DUMP_WRITE_IO\)\n$/,
    );
    const asJson = await runCli(['run', path, '--out', out, '--json']);
    assert.equal(asJson.code, 1);
    assert.equal(asJson.stderr, '');
    const r = json<ScenarioReportJson>(asJson).runs[0]!;
    assert.equal(r.dumpStatus, 'failed');
    assert.equal(r.dumpError?.code, 'E_DUMP_WRITE_IO');
    assert.equal(r.analysis, null);
  });

  it('prints errors as JSON under --json', async () => {
    const path = await writeScenario('idle2.ts', `export default function () {}\n`);
    const run = await runCli(['run', path, '--json', '--out', await tempFolder('out')]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, '');
    const out = json<{ error: { code: string; message: string } }>(run);
    assert.equal(out.error.code, 'E_SCENARIO_NO_BUGCHECK');
  });

  it('refuses an unknown --dump-type as a usage error', async () => {
    const path = await writeScenario('usage.ts', typescriptScenario());
    const run = await runCli(['run', path, '--dump-type', 'full']);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /^bugcheck: error: option '--dump-type <type>' argument 'full' is invalid\. Allowed choices are complete, kernel, small, all\./,
    );
  });

  it('shows a progress bar on stderr only when stderr is a TTY', async () => {
    const path = await writeScenario('bar.ts', typescriptScenario());
    const out = await tempFolder('out');
    const tty = await runCli(['run', path, '--out', out, '--json'], { NO_COLOR: '1' }, true);
    assert.equal(tty.code, 0, tty.stderr);
    assert.match(tty.stderr, /Writing kernel {3}dump .* 100% \| [0-9.]+\/[0-9.]+ MiB/);
    assert.doesNotMatch(tty.stdout, /Writing/, 'stdout stays clean');
    assert.equal(tty.stderr.split('\x1b[?25l').length - 1, 1, 'one bar');
    assert.equal(tty.stderr.split('\x1b[?25h').length - 1, 1, 'ended: the cursor is shown again');
    json(tty);
    const piped = await runCli(['run', path, '--out', out, '--json']);
    assert.equal(piped.stderr, '');
  });
});
