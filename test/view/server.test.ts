import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseRange, startViewServer } from '../../src/view/index.js';
import { json, runCli } from '../cli/helpers.js';
import { GENUINE_DUMP_PATH, genuineDumpSkip } from '../genuineDump.js';
import { tempFolder } from '../scenario/helpers.js';

const LAUNCHER = fileURLToPath(new URL('../../bin/bugcheck.cjs', import.meta.url));

async function fileBytes(path: string, start: number, end: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(end - start + 1);
    await handle.read(buffer, 0, buffer.length, start);
    return buffer;
  } finally {
    await handle.close();
  }
}

describe('view server', () => {
  it('parseRange: the forms browsers send, and the unsatisfiable ones', () => {
    assert.deepEqual(parseRange('bytes=0-99', 1000), [0, 99]);
    assert.deepEqual(parseRange('bytes=900-', 1000), [900, 999]);
    assert.deepEqual(parseRange('bytes=-100', 1000), [900, 999]);
    assert.deepEqual(parseRange('bytes=990-2000', 1000), [990, 999]);
    assert.equal(parseRange('bytes=1000-1001', 1000), undefined);
    assert.equal(parseRange('bytes=5-1', 1000), undefined);
    assert.equal(parseRange('bytes=0-1,5-6', 1000), undefined);
    assert.equal(parseRange('items=0-1', 1000), undefined);
  });

  it('serves the page and the dump by ranges on 127.0.0.1 only; nothing else', {
    skip: genuineDumpSkip(),
  }, async () => {
    const server = await startViewServer(GENUINE_DUMP_PATH, 0);
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await fetch(server.url);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /"mode":"served","dumpUrl":"\/dump","name":"triage_x64\.dmp","size":1444532/);
      assert.match(html, /connect-src 'self'/);
      const part = await fetch(`${server.url}dump`, { headers: { Range: 'bytes=4096-8191' } });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('content-range'), 'bytes 4096-8191/1444532');
      assert.deepEqual(Buffer.from(await part.arrayBuffer()), await fileBytes(GENUINE_DUMP_PATH, 4096, 8191));
      const head = await fetch(`${server.url}dump`, { method: 'HEAD' });
      assert.equal(head.headers.get('content-length'), '1444532');
      assert.equal((await fetch(`${server.url}dump`, { headers: { Range: 'bytes=2000000-' } })).status, 416);
      assert.equal((await fetch(`${server.url}etc/passwd`)).status, 404);
      assert.equal((await fetch(`${server.url}dump`, { method: 'POST' })).status, 405);
    } finally {
      await server.close();
    }
  });

  it('bugcheck view DUMP --json: one line with the URL, serves until SIGTERM, then exits 0', {
    skip: genuineDumpSkip(),
  }, async () => {
    const child = spawn(process.execPath, [LAUNCHER, 'view', GENUINE_DUMP_PATH, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', () => reject(new Error('exited before printing the URL')));
    });
    const started = JSON.parse(first) as { url: string; port: number; dump: string };
    assert.equal(started.dump, GENUINE_DUMP_PATH);
    assert.equal(started.url, `http://127.0.0.1:${started.port}/`);
    assert.equal((await fetch(started.url)).status, 200);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  it('bugcheck view on a file that is not a dump fails at once, like every command', async () => {
    const dir = await tempFolder('notdump');
    const path = join(dir, 'x.dmp');
    await (await open(path, 'w')).close();
    const run = await runCli(['view', path, '--json']);
    assert.equal(run.code, 1);
    assert.match(json<{ error: { code: string } }>(run).error.code, /^E_DUMP_/);
  });

  it('bugcheck view --static DIR writes one self-contained page; DUMP with --static, or nothing, is a usage error', async () => {
    const dir = await tempFolder('static');
    const run = await runCli(['view', '--static', dir, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const out = json<{ page: string; url: string; bytes: number }>(run);
    assert.equal(out.page, join(dir, 'index.html'));
    const html = await readFile(out.page, 'utf8');
    assert.equal(Buffer.byteLength(html), out.bytes);
    assert.match(html, /"mode":"static"/);
    assert.match(html, /default-src 'none'; script-src 'unsafe-inline'; .*connect-src 'none'/);
    assert.doesNotMatch(html, /<script src=|<link /, 'nothing loaded from elsewhere');
    assert.equal((await runCli(['view', 'a.dmp', '--static', dir])).code, 2);
    assert.equal((await runCli(['view'])).code, 2);
  });
});
