import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { genuineDump, readAt, tempPath } from '../analyze/helpers.js';
import { json, runCli } from './helpers.js';

describe('bugcheck blob', () => {
  it('writes exactly the blob bytes to stdout', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const entries = json<{ guid: string; size: number; offset: string }[]>(await runCli(['enumtag', path, '--json']));
    for (const e of entries.filter((x) => x.size > 0)) {
      const run = await runCli(['blob', path, e.guid]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdoutBytes.length, e.size);
      assert.deepEqual(new Uint8Array(run.stdoutBytes), await readAt(path, Number(e.offset), e.size), e.guid);
    }
  });

  it('accepts braced upper-case GUIDs, writes to a file with -o, and --json describes it', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const out = await tempPath('blob', '.bin');
    const run = await runCli(['blob', path, '{BF2297DC-34BA-11DC-868A-E19155D89593}', '-o', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '');
    const written = await readFile(out);
    assert.equal(written.length, 0xd4bb);
    assert.equal(written.subarray(0, 4).toString('latin1'), 'NVCD');
    const meta = json<Record<string, unknown>>(
      await runCli(['blob', path, 'bf2297dc-34ba-11dc-868a-e19155d89593', '--json']),
    );
    assert.equal(meta.guid, 'bf2297dc-34ba-11dc-868a-e19155d89593');
    assert.equal(meta.size, 0xd4bb);
    assert.equal(meta.data, written.toString('hex'));
  });

  it('--index is the position among all blobs, as enumtag --json and blob --json count; unknown GUIDs exit 1', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const listed = json<{ index: number; guid: string; size: number }[]>(await runCli(['enumtag', path, '--json']));
    const second = listed.find((b) => b.guid === '67fc721a-2853-4f62-a3b1-2afc53953777')!;
    assert.equal(second.index, 2);
    const picked = await runCli(['blob', path, second.guid, '--index', String(second.index), '--json']);
    assert.equal(picked.code, 0, picked.stderr);
    assert.equal(json<{ index: number }>(picked).index, second.index);
    assert.equal(json<{ size: number }>(picked).size, second.size);
    const zero = await runCli(['blob', path, '00000000-0000-0000-0000-000000000000', '--index', '14']);
    assert.equal(zero.code, 0, zero.stderr);
    assert.equal(zero.stdoutBytes.length, 0);
    const past = await runCli(['blob', path, '00000000-0000-0000-0000-000000000000', '--index', '1']);
    assert.equal(past.code, 1);
    assert.match(
      past.stderr,
      /^bugcheck: error: blob 1 has the tag \{67FC721A-2852-4F62-A3B1-2AFC53953777\}, not \{00000000-0000-0000-0000-000000000000\}; \{00000000-0000-0000-0000-000000000000\} is at index 14 \(E_CLI_NO_SUCH_BLOB\)\n$/,
    );
    const beyond = await runCli(['blob', path, '00000000-0000-0000-0000-000000000000', '--index', '20']);
    assert.match(beyond.stderr, /no blob at --index 20 \(20 blobs in the dump/);
    const unknown = await runCli(['blob', path, '12345678-1234-1234-1234-123456789abc']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stdout, '');
    assert.equal(unknown.stderr.split('\n').length, 2, 'one line');
    assert.match(unknown.stderr, /no secondary data blob has the tag \{12345678-1234-1234-1234-123456789ABC\}/);
    const asJson = await runCli(['blob', path, '12345678-1234-1234-1234-123456789abc', '--json']);
    assert.equal(asJson.code, 1);
    assert.deepEqual(Object.keys(json<{ error: Record<string, unknown> }>(asJson).error), [
      'name',
      'code',
      'message',
      'details',
    ]);
    assert.equal(json<{ error: { code: string } }>(asJson).error.code, 'E_CLI_NO_SUCH_BLOB');
  });
});
