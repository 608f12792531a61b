import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { json, runCli } from '../cli/helpers.js';
import { genuineDumpSkip, GENUINE_DUMP_PATH } from '../genuineDump.js';
import { tempFolder } from '../scenario/helpers.js';
import { writeCorpus } from './corpus.js';

interface BucketJson {
  buckets: {
    failureBucketId: string;
    count: number;
    codes: string[];
    modules: string[];
    firstSeen: string | null;
    lastSeen: string | null;
    files: string[];
  }[];
  failed: { file: string; error: { name: string; code: string; message: string } }[];
}

/** 40 good dumps in nested folders, a damaged one, and a file that is not a .dmp (ignored). */
let corpus: string;
let files: string[];
let damaged: string;
before(async () => {
  corpus = await tempFolder('fleet');
  files = await writeCorpus(corpus, 40, 12);
  damaged = join(corpus, 'nested', 'deeper', 'damaged.dmp');
  await mkdir(join(corpus, 'nested', 'deeper'), { recursive: true });
  await writeFile(damaged, new Uint8Array(0x300).fill(0x41));
  await writeFile(join(corpus, 'nested', 'notes.txt'), 'not a dump');
});

describe('bugcheck analyze DIR (batch)', () => {
  it('--json: one analysis object per line (NDJSON), the same object as a single dump plus file; a damaged dump is a line with its error; exit 1', async () => {
    const run = await runCli(['analyze', corpus, '--json']);
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stdout.split('\n');
    assert.equal(lines.pop(), '', 'ends with a newline');
    assert.equal(lines.length, 41, 'every .dmp, recursively; notes.txt left out');
    const parsed = lines.map((line) => JSON.parse(line) as { file: string; error?: { code: string } });
    assert.deepEqual(parsed.map((p) => p.file).sort(), [...files, damaged].sort());
    const bad = parsed.find((p) => p.file === damaged);
    assert.deepEqual(Object.keys(bad ?? {}), ['file', 'error']);
    assert.match(bad?.error?.code ?? '', /^E_DUMP_/);
    const one = parsed.find((p) => p.file === files[5]);
    const single = await runCli(['analyze', files[5]!, '--json']);
    assert.equal(single.code, 0, single.stderr);
    assert.deepEqual(one, json(single), 'the line is the single-dump object');
  });

  it('text: one summary line per dump, then the totals and runnable try-next commands', async () => {
    const run = await runCli(['analyze', files[0]!, files[1]!, damaged]);
    assert.equal(run.code, 1);
    const lines = run.stdout.split('\n');
    assert.match(
      lines[0]!,
      /base-000-small\.dmp {2}0xD1 DRIVER_IRQL_NOT_LESS_OR_EQUAL {2}0xD1_netfilt\+0x[0-9a-f]+ {2}2024-/,
    );
    assert.match(lines[1]!, /base-001-small\.dmp {2}0xA IRQL_NOT_LESS_OR_EQUAL {2}0xA_storflt\+0x[0-9a-f]+ {2}/);
    assert.match(lines[2]!, /damaged\.dmp {2}error: .*\(E_DUMP_\w+\)$/);
    assert.match(
      run.stdout,
      /^Dumps: 3 {2}analysed: 2 {2}failed: 1 {2}with error-level problems: 0 {2}failure buckets: 2$/m,
    );
    assert.match(run.stdout, /^ {2}npx bugcheck analyze \S+base-000-small\.dmp /m);
  });

  it('a single file keeps the single-dump output; a missing one among several is one failed line', async () => {
    const single = await runCli(['analyze', files[2]!]);
    assert.equal(single.code, 0);
    assert.doesNotMatch(single.stdout, /^Dumps: /m);
    const missing = join(corpus, 'missing.dmp');
    const run = await runCli(['analyze', missing, files[2]!, '--json']);
    assert.equal(run.code, 1);
    const [first, second] = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(first?.file, missing);
    assert.equal((first?.error as { code: string } | undefined)?.code, 'E_DUMP_OPEN');
    assert.equal(second?.file, files[2]);
  });

  it('a folder without dumps is an error (E_FLEET_NO_DUMPS)', async () => {
    const empty = await tempFolder('empty');
    const run = await runCli(['analyze', empty, '--json']);
    assert.equal(run.code, 1);
    assert.equal(json<{ error: { code: string } }>(run).error.code, 'E_FLEET_NO_DUMPS');
  });
});

describe('bugcheck bucket', () => {
  it('gives the same buckets with --jobs 1 and --jobs 2; biggest first; the damaged dump under failed; exit 1', async () => {
    const one = await runCli(['bucket', corpus, '--jobs', '1', '--json']);
    const two = await runCli(['bucket', corpus, '--jobs', '2', '--json']);
    assert.equal(one.code, 1, one.stderr);
    assert.equal(two.code, 1, two.stderr);
    assert.deepEqual(json(two), json(one));
    const report = json<BucketJson>(one);
    assert.equal(
      report.buckets.reduce((n, b) => n + b.count, 0),
      40,
    );
    for (const [i, b] of report.buckets.entries()) {
      if (i > 0) assert.ok(report.buckets[i - 1]!.count >= b.count, 'biggest first');
      assert.deepEqual(Object.keys(b), [
        'failureBucketId',
        'count',
        'codes',
        'modules',
        'firstSeen',
        'lastSeen',
        'files',
      ]);
      assert.match(b.failureBucketId, /^0x[0-9A-F]+_[a-z]+\+0x[0-9a-f]+$/);
      assert.equal(b.modules.length, 1);
      assert.ok(b.files.length >= 1 && b.files.length <= 3);
      assert.ok(b.firstSeen !== null && b.lastSeen !== null && b.firstSeen <= b.lastSeen);
    }
    // 12 base dumps: 5 codes × 7 drivers, each base and its copies share code, driver and function.
    assert.equal(report.buckets.length, 12);
    assert.deepEqual(
      report.failed.map((f) => f.file),
      [damaged],
    );
  });

  it('text: a table, the totals and the try-next commands', async () => {
    const run = await runCli(['bucket', join(corpus, 'base'), '--jobs', '2']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^COUNT {2}FAILURE_BUCKET_ID +CODES +MODULES +FIRST SEEN +LAST SEEN +EXAMPLE$/m);
    assert.match(run.stdout, /^1 +0xD1_netfilt\+0x[0-9a-f]+ +0xD1 +netfilt +2024-03-01T12:00:00Z/m);
    assert.match(run.stdout, /^Dumps: 12 {2}buckets: 12 {2}failed: 0$/m);
    assert.match(run.stdout, /^ {2}npx bugcheck analyze /m);
  });

  it('shows a progress bar on a terminal only, on stderr, and clears it', async () => {
    const tty = await runCli(['bucket', join(corpus, 'base'), '--jobs', '2', '--json'], {}, true);
    assert.equal(tty.code, 0, tty.stderr);
    assert.match(tty.stderr, /Analysing .*\| \d+\/12 dumps \| \d+\/s/);
    assert.equal(json<BucketJson>(tty).buckets.length, 12, 'stdout is still the JSON');
    const pipe = await runCli(['bucket', join(corpus, 'base'), '--jobs', '2', '--json']);
    assert.equal(pipe.stderr, '');
  });

  it('the built CLI starts its workers from its own bundle (no TypeScript compiled per worker): the same buckets', async (t) => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const bundle = join(root, 'dist', 'cli', 'bucket.cjs');
    if (!existsSync(bundle)) {
      if (process.env.CI === 'true') assert.fail(`${bundle} is missing: npm ci should have built it`);
      t.skip(`${bundle} not built (npm run build)`);
      return;
    }
    // A preload records every Worker the main thread starts.
    const folder = await tempFolder('workers');
    const preload = join(folder, 'recordWorkers.cjs');
    const record = join(folder, 'workers.json');
    await writeFile(
      preload,
      `const wt = require('node:worker_threads');
if (wt.isMainThread) {
  const started = [];
  const Original = wt.Worker;
  wt.Worker = class extends Original {
    constructor(what, options) { started.push({ what: String(what), eval: options?.eval === true }); super(what, options); }
  };
  process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify(started)));
}
`,
    );
    const built = spawnSync(
      process.execPath,
      ['-r', preload, join(root, 'bin', 'bugcheck.cjs'), 'bucket', corpus, '--jobs', '2', '--json'],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    assert.equal(built.status, 1, built.stderr); // the damaged dump
    const one = await runCli(['bucket', corpus, '--jobs', '1', '--json']);
    assert.deepEqual(JSON.parse(built.stdout), json(one));
    const workers = JSON.parse(await readFile(record, 'utf8')) as { what: string; eval: boolean }[];
    assert.deepEqual(workers, [
      { what: bundle, eval: false },
      { what: bundle, eval: false },
    ]);
  });

  it('refuses --jobs 0 (usage, exit 2)', async () => {
    const run = await runCli(['bucket', corpus, '--jobs', '0']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--jobs must be a whole number ≥ 1/);
  });

  it('buckets the genuine dump', { skip: genuineDumpSkip() }, async () => {
    const run = await runCli(['bucket', GENUINE_DUMP_PATH, '--json', '--jobs', '1']);
    assert.equal(run.code, 0, run.stderr);
    const report = json<BucketJson>(run);
    assert.deepEqual(report.buckets, [
      {
        failureBucketId: '0x1000007E_amdppm+0x334c',
        count: 1,
        codes: ['0x1000007e'],
        modules: ['amdppm'],
        firstSeen: '2021-02-21T01:38:22.987Z',
        lastSeen: '2021-02-21T01:38:22.987Z',
        files: [GENUINE_DUMP_PATH],
      },
    ]);
  });
});
