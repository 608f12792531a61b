/**
 * The package as people get it: `npm pack` (which builds dist/ through
 * `prepare`) in a copy of the project, the tarball installed into an empty
 * folder (no prepare runs there), then `npx bugcheck …` from that folder.
 * The copy keeps the build away from this checkout's dist/, which the
 * launcher would otherwise pick up while other test files run.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { GENUINE_DUMP_PATH, genuineDumpSkip } from '../genuineDump.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** What a clone has that `npm pack` needs (node_modules is linked, not copied). */
const PROJECT_FILES = [
  'package.json',
  'package-lock.json',
  'README.md',
  'LICENSE',
  'tsconfig.json',
  'tsconfig.build.json',
];
const PROJECT_FOLDERS = ['bin', 'src', 'examples', 'docs', 'include', 'scripts'];

let work: string;
let tarball: string;
let entries: string[];
let project: string;

async function npx(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run('npx', ['--no-install', 'bugcheck', ...args], {
      cwd: project,
      env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : -1 };
  }
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'bugcheck-pack-'));
  const copy = join(work, 'clone');
  await mkdir(copy);
  for (const f of PROJECT_FILES) await cp(join(ROOT, f), join(copy, f));
  for (const d of PROJECT_FOLDERS) await cp(join(ROOT, d), join(copy, d), { recursive: true });
  await symlink(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: copy,
    maxBuffer: 64 * 1024 * 1024,
  });
  const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as {
    filename: string;
    files: { path: string }[];
  }[];
  tarball = join(work, info[0]!.filename);
  entries = info[0]!.files.map((f) => f.path);
  project = join(work, 'empty project');
  await mkdir(project);
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'uses-bugcheck', private: true }));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], {
    cwd: project,
    maxBuffer: 64 * 1024 * 1024,
  });
});
after(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe('the packed package', { timeout: 600_000 }, () => {
  it('holds the built CLI, the sources, LICENSE and README, and no tests', () => {
    for (const needed of [
      'package.json',
      'LICENSE',
      'README.md',
      'bin/bugcheck.cjs',
      'dist/src/cli/main.js',
      'dist/src/index.d.ts',
      'src/view/page/main.ts',
    ])
      assert.ok(entries.includes(needed), needed);
    assert.deepEqual(
      entries.filter((e) => /(^|\/)test\/|\.test\.|^bench\//.test(e)),
      [],
      'no tests or benchmarks',
    );
  });

  it('installs into an empty folder; npx bugcheck analyze reads the genuine dump there', {
    skip: genuineDumpSkip(),
  }, async () => {
    const text = await npx(['analyze', GENUINE_DUMP_PATH]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M/);
    const asJson = await npx(['analyze', GENUINE_DUMP_PATH, '--json']);
    assert.equal(asJson.code, 0, asJson.stderr);
    assert.equal(
      (JSON.parse(asJson.stdout) as { failureBucketId: string }).failureBucketId,
      '0x1000007E_amdppm+0x334c',
    );
    const batch = await npx(['analyze', GENUINE_DUMP_PATH, GENUINE_DUMP_PATH]);
    assert.match(batch.stdout, /^ {2}npx bugcheck bucket /m, 'try-next lines name npx bugcheck, which works here');
    // Two files, two worker threads, from the built code.
    const bucket = await npx(['bucket', GENUINE_DUMP_PATH, GENUINE_DUMP_PATH, '--jobs', '2', '--json']);
    assert.equal(bucket.code, 0, bucket.stderr);
    const report = JSON.parse(bucket.stdout) as { buckets: { failureBucketId: string; count: number }[] };
    assert.deepEqual(
      report.buckets.map((b) => [b.failureBucketId, b.count]),
      [['0x1000007E_amdppm+0x334c', 2]],
    );
  });

  it('the installed copy runs the built code and bundles the viewer page from its sources', async () => {
    const installed = join(project, 'node_modules', 'bugcheck');
    assert.ok((await readFile(join(installed, 'dist', 'src', 'cli', 'main.js'), 'utf8')).length > 0);
    const page = await npx(['view', '--static', 'page', '--json']);
    assert.equal(page.code, 0, page.stderr);
    const html = await readFile(join(project, 'page', 'index.html'), 'utf8');
    assert.match(html, /connect-src 'none'/);
    assert.ok(html.length > 100_000);
    const version = await npx(['--version']);
    assert.equal(version.stdout.trim(), JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).version);
  });
});
