import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { tempPath } from '../analyze/helpers.js';
import { requireGenuineDump } from '../genuineDump.js';
import { tempFolder } from '../scenario/helpers.js';
import { runCli } from './helpers.js';

const LAUNCHER = fileURLToPath(new URL('../../bin/bugcheck.cjs', import.meta.url));

function spawn(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [LAUNCHER, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bin/bugcheck.cjs', () => {
  it('runs the CLI: --help exits 0 with the command list', () => {
    const r = spawn(['--help']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Usage: bugcheck \[options\] \[command\]/);
    assert.match(r.stdout, /^ {2}analyze /m);
    assert.equal(r.stderr, '');
  });

  it('passes the exit code through: 2 for usage, 1 for a missing dump', async () => {
    assert.equal(spawn(['analyze']).status, 2);
    const missing = spawn(['analyze', await tempPath('missing')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^bugcheck: error: .*\(E_DUMP_OPEN\)\n$/);
    assert.match(missing.stderr, /ENOENT/, 'the file source is there (built bundles too), the file is not');
  });

  it('opens and analyzes a real dump (the built bundles carry the Node file source)', (t) => {
    const genuine = requireGenuineDump(t);
    if (genuine === undefined) return;
    const r = spawn(['header', genuine]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /DUMP_TYPE_TRIAGE|TRIAGE_DUMP64/);
    // Batch analysis opens its dumps in the same bundle.
    const batch = spawn(['analyze', genuine, genuine, '--json']);
    assert.equal(batch.status, 0, batch.stderr);
    const lines = batch.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { error?: unknown; file: string });
    assert.equal(lines.length, 2);
    for (const l of lines) assert.equal(l.error, undefined, JSON.stringify(l.error));
  });
  it('the launcher writes the same demo dump, byte for byte, as the CLI run from the sources', async () => {
    // The built bundle must not change what the model writes: routine export names come from the
    // functions' names, which a minifying bundler can drop.
    const fromLauncher = await tempFolder('launcher-demo');
    const fromSources = await tempFolder('sources-demo');
    const r = spawn(['demo', '--out', fromLauncher, '--dump-type', 'kernel']);
    assert.equal(r.status, 0, r.stderr);
    const run = await runCli(['demo', '--out', fromSources, '--dump-type', 'kernel']);
    assert.equal(run.code, 0, run.stderr);
    const a = readFileSync(join(fromLauncher, 'demo-kernel.dmp'));
    const b = readFileSync(join(fromSources, 'demo-kernel.dmp'));
    assert.ok(a.includes('SloppyBugCheckSecondaryDumpDataCallback'), 'the routine keeps its name in the image exports');
    assert.equal(a.length, b.length);
    assert.ok(a.equals(b), 'identical dumps');
  });
});
