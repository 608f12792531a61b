import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DumpType } from '../../src/format/index.js';
import { genuineDump, readAt, synthKernelDump, writeTemp } from '../analyze/helpers.js';
import { fitLine } from '../../src/cli/context.js';
import { json, runCli } from './helpers.js';

describe('every command reports what analyze reports about the dump', () => {
  it('a truncated dump: header, modules, enumtag, read, blob and analyze say so and exit 1', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const blobs = json<{ guid: string }[]>(await runCli(['enumtag', path, '--json']));
    const cut = await writeTemp(await readAt(path, 0, 0x100000), 'truncated');
    const truncated = /^bugcheck: error: .*\(E_DUMP_TRUNCATED\)$/m;
    for (const argv of [
      ['header', cut],
      ['modules', cut],
      ['enumtag', cut],
      ['read', cut, 'fffff8047ba00000', '-n', '10'],
    ]) {
      const run = await runCli(argv);
      assert.equal(run.code, 1, `${argv[0]}: ${run.stderr}`);
      assert.match(run.stderr, truncated, argv[0]);
    }
    const enumtag = await runCli(['enumtag', cut]);
    assert.match(
      enumtag.stdout,
      /^The secondary data area would start at file offset 0x13a28c, past the end of the file \(0x100000 bytes\): the file is truncated\.$/m,
    );
    assert.doesNotMatch(enumtag.stdout, /No secondary data/);
    const header = await runCli(['header', cut, '--json']);
    assert.equal(header.code, 1);
    assert.ok(json<{ problems: { code: string }[] }>(header).problems.some((p) => p.code === 'E_DUMP_TRUNCATED'));
    const blob = await runCli(['blob', cut, blobs[0]!.guid]);
    assert.equal(blob.code, 1, 'the blob is past the end');
    const analyze = await runCli(['analyze', cut]);
    assert.equal(analyze.code, 1);
    assert.match(analyze.stdout, /error: .*\(E_DUMP_TRUNCATED\)$/m);
  });

  it('a user-mode minidump is named as such', async () => {
    const bytes = new Uint8Array(0x2000);
    bytes.set(new TextEncoder().encode('MDMP'), 0);
    bytes.set([0x93, 0xa7, 0x00, 0x00], 4);
    const path = await writeTemp(bytes, 'usermode');
    for (const command of ['analyze', 'header', 'enumtag', 'modules']) {
      const run = await runCli([command, path]);
      assert.equal(run.code, 1);
      assert.match(
        run.stderr,
        /^bugcheck: error: .* is a user-mode minidump \(MDMP\); bugcheck reads kernel dumps \(PAGEDU64 \/ PAGEDUMP\) \(E_DUMP_SIGNATURE\)$/m,
      );
    }
    const asJson = json<{ error: { code: string; message: string } }>(await runCli(['analyze', path, '--json']));
    assert.equal(asJson.error.code, 'E_DUMP_SIGNATURE');
    assert.match(asJson.error.message, /user-mode minidump/);
  });
});

describe('text fits the terminal width', () => {
  it('COLUMNS wraps analyze’s long lines (continuations indented) and leaves JSON alone', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const narrow = await runCli(['analyze', path], { COLUMNS: '60' });
    assert.equal(narrow.code, 0, narrow.stderr);
    const lines = narrow.stdout.split('\n');
    assert.ok(
      lines.every((l) => l.length <= 60),
      lines.filter((l) => l.length > 60).join('\n'),
    );
    assert.ok(lines.some((l) => l.startsWith('    ')));
    const wide = await runCli(['analyze', path]);
    assert.ok(
      wide.stdout.split('\n').some((l) => l.length > 60),
      'no wrapping into a pipe',
    );
    const asJson = await runCli(['analyze', path, '--json'], { COLUMNS: '60' });
    assert.equal(asJson.stdout, (await runCli(['analyze', path, '--json'])).stdout);
  });

  it('modules elides the image column to fit instead of wrapping rows', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const run = await runCli(['modules', path], { COLUMNS: '100' });
    const rows = run.stdout.split('\n').filter((l) => /^[0-9a-f]{16} /.test(l));
    assert.ok(rows.length > 100);
    assert.ok(rows.every((l) => l.length <= 100));
    assert.ok(rows.some((l) => l.endsWith('…')));
  });

  it('fitLine wraps at words and hard-breaks a word longer than the line', () => {
    assert.equal(fitLine('short', 40), 'short');
    const wrapped = fitLine(`Arg1: ${'word '.repeat(20)}end`, 40).split('\n');
    assert.ok(wrapped.length > 2);
    assert.ok(wrapped.slice(1).every((l) => l.startsWith('    ') && l.length <= 40));
    assert.ok(
      fitLine('x'.repeat(100), 40)
        .split('\n')
        .every((l) => l.length <= 40),
    );
  });

  it('a synthetic kernel dump with no problems exits 0 for every command', async () => {
    const path = await writeTemp(synthKernelDump(DumpType.BitmapKernel, new Uint8Array(0x1000)), 'clean');
    for (const command of ['header', 'modules', 'enumtag', 'analyze']) {
      const run = await runCli([command, path]);
      assert.equal(run.stderr, '', command);
      assert.equal(run.code, 0, command);
    }
  });
});
