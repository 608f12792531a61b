/**
 * The README's C tutorial runs exactly as printed: the driver block is the
 * shipped example, copied into a folder outside the repository and run with
 * the README's commands; the node:test example runs too (only its
 * `from 'bugcheck'` is pointed at this checkout).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { json, runCli } from '../cli/helpers.js';
import { REPO } from './helpers.js';

function section(): { c: string; shell: string[][]; example: string } {
  const text = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const start = text.indexOf('## Your first reason callback in C');
  const body = text.slice(start, text.indexOf('\n## ', start + 10));
  const blocks = [...body.matchAll(/```(c|sh|ts)\n([\s\S]*?)```/g)];
  const c = blocks.find((b) => b[1] === 'c')?.[2];
  const sh = blocks.find((b) => b[1] === 'sh')?.[2];
  const example = blocks.find((b) => b[1] === 'ts')?.[2];
  assert.ok(c && sh && example, 'the C tutorial has a c, a sh and a ts block');
  const shell = sh
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.startsWith('npx bugcheck '))
    .map((line) => line.split(/\s+/).slice(2));
  return { c, shell, example };
}

test('README C tutorial: the driver is examples/drivers-c/mydriver.c and the commands shown work on it', async () => {
  const { c, shell } = section();
  assert.equal(c, fs.readFileSync(path.join(REPO, 'examples', 'drivers-c', 'mydriver.c'), 'utf8'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bugcheck-readme-c-'));
  const cwd = process.cwd();
  try {
    fs.writeFileSync(path.join(dir, 'mydriver.c'), c);
    process.chdir(dir);
    const outputs = [];
    for (const argv of shell) {
      const run = await runCli(argv);
      assert.equal(run.code, 0, `bugcheck ${argv.join(' ')} exited ${run.code}: ${run.stderr}`);
      outputs.push(run);
    }
    const [run, enumtag, blob, analyze] = outputs;
    assert.match(run!.stdout, /^ {2}MyDriver {2}KbCallbackSecondaryDumpData {2}BufferFinished {2}2 calls/m);
    assert.match(run!.stdout, /^ {2}\[mydriver\.sys\] mydriver: loaded at FFFFF808[0-9A-F]{8}, record at /m);
    assert.match(run!.stdout, /^ {2}\[mydriver\.sys\] mydriver: 64 bytes of state for the dump$/m);
    assert.match(enumtag!.stdout, /\{B8F1C3E2-5D4A-4E6F-9A7B-1C2D3E4F5A6B\} - 0x40 bytes/);
    assert.equal(blob!.stdoutBytes.subarray(0, 28).toString('latin1'), 'queue depth 3, last IRP 0x4a');
    assert.equal(blob!.stdoutBytes.length, 0x40);
    assert.match(analyze!.stdout, /MANUALLY_INITIATED_CRASH/);
    const modules = json<{ loaded: { name: string; base: string; size: number }[] }>(
      await runCli(['modules', 'dumps/mydriver-kernel.dmp', '--json']),
    );
    const mine = modules.loaded.find((m) => m.name === 'mydriver');
    assert.ok(mine, 'modules lists mydriver.sys');
    assert.ok(mine.size >= 0x4000);
  } finally {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('README C tutorial: the node:test example passes as printed', () => {
  const { c, example } = section();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bugcheck-readme-c-test-'));
  try {
    fs.writeFileSync(path.join(dir, 'mydriver.c'), c);
    const file = path.join(dir, 'mydriver.test.ts');
    const index = path.join(REPO, 'src', 'index.ts');
    fs.writeFileSync(file, example.replace("from 'bugcheck'", `from ${JSON.stringify(index)}`));
    // A fresh test runner of its own (not a child reporting to this one).
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
    delete env.NODE_TEST_CONTEXT;
    const child = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), '--test', file], {
      cwd: dir,
      encoding: 'utf8',
      env,
    });
    assert.equal(child.status, 0, `${child.stdout}\n${child.stderr}`);
    assert.match(child.stdout, /# pass 1/);
    assert.ok(fs.existsSync(path.join(dir, 'test.dmp')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
