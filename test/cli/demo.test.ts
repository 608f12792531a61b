import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { openDump } from '../../src/dump/reader/index.js';
import type { ScenarioReportJson } from '../../src/cli/scenarioOutput.js';
import { tempFolder } from '../scenario/helpers.js';
import { json, runCli } from './helpers.js';

describe('bugcheck demo', () => {
  it('writes the three dumps into --out, each opens cleanly, and prints contributions, analysis and what to try next', async () => {
    const out = await tempFolder('demo');
    const run = await runCli(['demo', '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.deepEqual(
      readdirSync(out).sort(),
      ['demo-complete.dmp', 'demo-kernel.dmp', 'demo-small.dmp'],
      'only the dumps: the DumpIo mirrors went to a temp folder',
    );
    for (const [kind, dumpType] of [
      ['complete', 5],
      ['kernel', 6],
      ['small', 4],
    ] as const) {
      const path = join(out, `demo-${kind}.dmp`);
      const dump = await openDump(path);
      try {
        assert.equal(dump.dumpType, dumpType);
        const scan = await dump.secondaryData();
        await dump.modules();
        assert.deepEqual(
          [...dump.problems, ...scan.problems].filter((p) => p.severity === 'error'),
          [],
          kind,
        );
        assert.equal(dump.header.bugCheckCode, 0xd1);
        if (kind === 'complete')
          assert.ok(dump.fileSize > 256n * 1024n * 1024n, 'a complete dump of the 256 MiB machine');
      } finally {
        await dump.close();
      }
      assert.match(run.stdout, new RegExp(`^=== ${kind} dump: .*demo-${kind}\\.dmp ===$`, 'm'));
    }
    // Every sample's record, and the sloppy one with its violation.
    for (const component of [
      'FlightRecorder',
      'DumpMirror',
      'DeviceStateSaver',
      'SecretKeeper',
      'BulkLogger',
      'TriageHelper',
      'LegacyDevice',
      'SloppyStats',
      'MyDriver',
    ]) {
      assert.match(run.stdout, new RegExp(`^  ${component}  `, 'm'), component);
    }
    assert.match(run.stdout, /^ {2}SloppyStats {2}KbCallbackSecondaryDumpData {2}BufferIncomplete {2}1 call /m);
    assert.match(run.stdout, /^ {6}violation \[allocate\]: ExAllocatePool2/m);
    assert.equal(run.stdout.match(/^MODULE_NAME: {2}devstate$/gm)?.length, 3, 'each analysis names the driver');
    assert.equal(run.stdout.match(/^MODEL_DIAGNOSTICS: /gm)?.length, 3);
    assert.match(run.stdout, /KbCallbackDumpIo copy of the complete dump: identical to the file$/m);
    assert.match(run.stdout, /^Try next:$/m);
    assert.match(run.stdout, /^ {2}npx bugcheck enumtag .*demo-kernel\.dmp /m);
    assert.match(run.stdout, /^ {2}npx bugcheck blob .*demo-kernel\.dmp \{[0-9A-F-]{36}\} -o flightrec\.bin$/m);
    assert.match(run.stdout, /^ {2}npx bugcheck bugdump .*demo-kernel\.dmp LegacyDevice /m);
  });

  it('the try-next commands work on the demo dumps', async () => {
    const out = await tempFolder('demo');
    const demo = await runCli(['demo', '--out', out, '--dump-type', 'kernel', '--json']);
    assert.equal(demo.code, 0, demo.stderr);
    const report = json<ScenarioReportJson & { tryNext: string[] }>(demo);
    assert.ok(report.tryNext.length >= 3);
    const dumpPath = join(out, 'demo-kernel.dmp');
    const analyze = await runCli(['analyze', dumpPath]);
    assert.equal(analyze.code, 0, analyze.stderr);
    assert.match(analyze.stdout, /^MODULE_NAME: {2}devstate$/m);
    assert.match(analyze.stdout, /^IMAGE_NAME: {2}devstate\.sys$/m);
    assert.match(analyze.stdout, /^ {4}allocate {2}SloppyStats \(KbCallbackSecondaryDumpData\): ExAllocatePool2/m);
    const enumtag = await runCli(['enumtag', dumpPath]);
    assert.equal(enumtag.code, 0, enumtag.stderr);
    const blobLine = report.tryNext.find((l) => l.startsWith('npx bugcheck blob '));
    const guid = /\{([0-9A-F-]{36})\}/.exec(blobLine ?? '')?.[1];
    assert.ok(guid);
    const blob = await runCli(['blob', dumpPath, guid, '--json']);
    assert.equal(blob.code, 0, blob.stderr);
    assert.equal(json<{ size: number }>(blob).size, 0x1000);
    const bugdump = await runCli(['bugdump', dumpPath, 'LegacyDevice']);
    assert.equal(bugdump.code, 0, bugdump.stderr);
    assert.match(bugdump.stdout, /^Dumping data for component 'LegacyDevice'$/m);
    const example = /^npx bugcheck run (\S+) --out my-dumps/.exec(
      report.tryNext.find((l) => l.startsWith('npx bugcheck run ')) ?? '',
    )?.[1];
    assert.ok(example !== undefined && existsSync(resolve(example)), `the example named in "${example}" exists`);
    const exampleRun = await runCli([
      'run',
      resolve(example),
      '--out',
      await tempFolder('example'),
      '--dump-type',
      'small',
      '--json',
    ]);
    assert.equal(exampleRun.code, 0, exampleRun.stderr);
  });

  it('--json: one object with the runs, the culprit and the mirror check', async () => {
    const out = await tempFolder('demo');
    const run = await runCli(['demo', '--out', out, '--dump-type', 'small', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = json<
      ScenarioReportJson & { culprit: string; mirrors: { dumpKind: string; identical: boolean }[]; tryNext: string[] }
    >(run);
    assert.deepEqual(Object.keys(report), ['scenario', 'runs', 'culprit', 'mirrors', 'tryNext']);
    assert.equal(report.scenario.name, 'demo');
    assert.equal(report.culprit, 'devstate.sys');
    assert.deepEqual(report.mirrors, [{ dumpKind: 'small', identical: true }]);
    assert.equal(report.runs.length, 1);
    const r = report.runs[0]!;
    assert.equal(r.machine.memoryBytes, 256 * 1024 * 1024);
    assert.equal(r.analysis?.faultingModule?.image.toLowerCase().endsWith('devstate.sys'), true);
    assert.deepEqual(
      r.violations.map((v) => [v.component, v.kind]),
      [['SloppyStats', 'allocate']],
    );
    assert.deepEqual(
      r.analysis?.modelDiagnostics?.violations.map((v) => [v.component, v.kind]),
      [['SloppyStats', 'allocate']],
    );
    assert.equal(existsSync(join(out, 'demo-kernel.dmp')), false, 'only the requested kind');
  });

  it('shows the same dump progress bar as run on a TTY stderr, one per dump, each ended', async () => {
    const out = await tempFolder('demo');
    const run = await runCli(['demo', '--out', out, '--dump-type', 'small', '--json'], { NO_COLOR: '1' }, true);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /Writing small {4}dump .* 100% \| [0-9.]+\/[0-9.]+ MiB/);
    const hidden = run.stderr.split('\x1b[?25l').length - 1;
    assert.equal(hidden, 1, 'one bar');
    assert.equal(run.stderr.split('\x1b[?25h').length - 1, hidden, 'the cursor is shown again');
    assert.doesNotMatch(run.stdout, /Writing/);
    json(run);
  });

  it('defaults to ./bugcheck-demo in the current directory', async () => {
    const cwd = process.cwd();
    const dir = await tempFolder('cwd');
    process.chdir(dir);
    try {
      const run = await runCli(['demo', '--dump-type', 'small']);
      assert.equal(run.code, 0, run.stderr);
      assert.ok(existsSync(join(dir, 'bugcheck-demo', 'demo-small.dmp')));
      assert.match(
        run.stdout,
        /^ {2}node \S+\/bin\/bugcheck\.cjs analyze bugcheck-demo\/demo-small\.dmp --json$/m,
        'paths relative to the current directory; outside a project that has bugcheck, the launcher by its path',
      );
    } finally {
      process.chdir(cwd);
    }
  });
});
