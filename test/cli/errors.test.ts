import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DumpAnalysis } from '../../src/analyze/index.js';
import { genuineDump, readAt, tempPath, writeTemp } from '../analyze/helpers.js';
import { json, runCli, type CliRun } from './helpers.js';

function assertOneErrorLine(run: CliRun, pattern: RegExp): void {
  const lines = run.stderr.split('\n');
  assert.equal(lines.length, 2, `exactly one line on stderr:\n${run.stderr}`);
  assert.equal(lines[1], '');
  assert.match(lines[0]!, /^bugcheck: error: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
}

describe('usage errors exit 2', () => {
  for (const argv of [
    [],
    ['nonsense'],
    ['analyze'],
    ['analyze', 'a.dmp', '--bogus'],
    ['blob', 'a.dmp'],
    ['blob', 'a.dmp', 'not-a-guid'],
    ['blob', 'a.dmp', '00000000-0000-0000-0000-000000000000', '--index', '-1'],
    ['read', 'a.dmp'],
    ['enumtag', 'a.dmp', 'extra'],
  ]) {
    it(`bugcheck ${argv.join(' ')}`, async () => {
      const run = await runCli(argv);
      assert.equal(run.code, 2, run.stderr);
      if (argv.length === 0) {
        assert.match(run.stderr, /^Usage: bugcheck/, 'no command: help on stderr');
        return;
      }
      assertOneErrorLine(run, /\(E_USAGE\) \(see 'bugcheck --help'\)$/);
    });
  }

  it('with --json the usage error is { error } on stdout', async () => {
    const run = await runCli(['blob', 'a.dmp', 'not-a-guid', '--json']);
    assert.equal(run.code, 2);
    const body = json<{ error: { name: string; code: string; message: string } }>(run);
    assert.equal(body.error.name, 'UsageError');
    assert.equal(body.error.code, 'E_USAGE');
    assert.match(body.error.message, /not a GUID/);
    assert.equal(run.stderr, '');
  });

  it('--help and --version exit 0 and print to stdout', async () => {
    for (const argv of [['--help'], ['analyze', '--help'], ['help', 'read'], ['--version']]) {
      const run = await runCli(argv);
      assert.equal(run.code, 0, argv.join(' '));
      assert.notEqual(run.stdout, '');
      assert.equal(run.stderr, '');
    }
    const help = await runCli(['--help']);
    for (const name of ['analyze', 'enumtag', 'blob', 'read', 'header', 'modules'])
      assert.match(help.stdout, new RegExp(`^  ${name} `, 'm'));
    for (const name of ['analyze', 'enumtag', 'blob', 'read', 'header', 'modules'])
      assert.match((await runCli([name, '--help'])).stdout, /--json/);
  });
});

describe('bad dumps exit 1 with one line', () => {
  const cases: { name: string; bytes: () => Promise<Uint8Array>; pattern: RegExp }[] = [
    { name: 'empty file', bytes: async () => new Uint8Array(0), pattern: /\(E_DUMP_EMPTY\)$/ },
    {
      name: 'random bytes',
      bytes: async () => Uint8Array.from({ length: 100 }, (_, i) => (i * 37 + 11) & 0xff),
      pattern: /not a Windows kernel crash dump.*\(E_DUMP_SIGNATURE\)$/,
    },
    {
      name: 'PAGEDU64 then nothing',
      bytes: async () => new Uint8Array(Buffer.from('PAGEDU64')),
      pattern: /DUMP_HEADER64.*\(E_DUMP_TRUNCATED\)$/,
    },
  ];

  for (const c of cases) {
    for (const command of [
      ['analyze'],
      ['enumtag'],
      ['header'],
      ['modules'],
      ['read', '{path}', '1000'],
      ['blob', '{path}', '00000000-0000-0000-0000-000000000000'],
    ]) {
      it(`${c.name}: bugcheck ${command[0]}`, async () => {
        const path = await writeTemp(await c.bytes(), 'bad');
        const argv = command.length === 1 ? [command[0]!, path] : command.map((a) => (a === '{path}' ? path : a));
        const run = await runCli(argv);
        assert.equal(run.code, 1);
        assert.equal(run.stdout, '');
        assertOneErrorLine(run, c.pattern);
        const asJson = await runCli([...argv, '--json']);
        assert.equal(asJson.code, 1);
        assert.equal(asJson.stderr, '');
        const error = json<{ error: { code: string; message: string; details: Record<string, unknown> } }>(
          asJson,
        ).error;
        assert.match(error.code, /^E_DUMP_/);
      });
    }
  }

  it('a missing file', async () => {
    const run = await runCli(['analyze', await tempPath('missing')]);
    assert.equal(run.code, 1);
    assertOneErrorLine(run, /\(E_DUMP_OPEN\)$/);
  });

  it('the genuine dump with a wrong signature', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const head = await readAt(path, 0, 0x3000);
    head.set(Buffer.from('XXXX'), 0);
    const run = await runCli(['analyze', await writeTemp(head)]);
    assert.equal(run.code, 1);
    assertOneErrorLine(run, /0x58585858.*\(E_DUMP_SIGNATURE\)$/);
  });

  it('the genuine dump truncated inside the triage body: the analysis is printed, problems name TRIAGE_DUMP64, exit 1', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const cut = await writeTemp(await readAt(path, 0, 0x3000));
    const run = await runCli(['analyze', cut, '--json']);
    assert.equal(run.code, 1);
    const a = json<DumpAnalysis>(run);
    assert.equal(a.bugCheck.code, '0x1000007e', 'the header is still readable');
    const sizeProblem = a.problems.find((p) => p.structure === 'TRIAGE_DUMP64' && p.severity === 'error');
    assert.ok(sizeProblem, JSON.stringify(a.problems));
    assert.equal(sizeProblem.offset, '0x2004', 'SizeOfDump is at 0x2004');
  });

  it('the genuine dump cut inside the secondary data: enumtag lists what it can and exits 1', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const full = json<{ guid: string; size: number; offset: string }[]>(await runCli(['enumtag', path, '--json']));
    const last = full.at(-1)!;
    const cut = await writeTemp(await readAt(path, 0, Number(last.offset) + 8));
    const run = await runCli(['enumtag', cut]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout.split('\n').filter((l) => l.startsWith('{')).length, 19);
    assertOneErrorLine(run, /DUMP_BLOB_HEADER.*\(E_DUMP_CORRUPT\)$/);
    // The blobs before the damage are still extractable; the damage is still reported, and an
    // `error:` line never ends in exit 0 (issue #8).
    const blob = await runCli(['blob', cut, full[0]!.guid]);
    assert.equal(blob.code, 1);
    assert.equal(blob.stdoutBytes.length, full[0]!.size);
    assert.match(blob.stderr, /^bugcheck: error: .*\(E_DUMP_CORRUPT\)$/m);
  });
});
