/**
 * The README's tutorial must run exactly as printed: the scenario block is
 * copied out of README.md into a file outside the repository, then the
 * README's commands are run on it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { json, runCli } from './cli/helpers.js';

const README = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md');

function tutorial(): { scenario: string; commands: string[][] } {
  const text = fs.readFileSync(README, 'utf8');
  const section = text.slice(text.indexOf('## Your first reason callback'));
  const blocks = [...section.matchAll(/```(ts|sh)\n([\s\S]*?)```/g)];
  const scenario = blocks.find((b) => b[1] === 'ts')?.[2];
  const shell = blocks.find((b) => b[1] === 'sh')?.[2];
  assert.ok(scenario && shell, 'the tutorial has a ts block and a sh block');
  const commands = shell
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.startsWith('npx bugcheck '))
    .map((line) => line.split(/\s+/).slice(2));
  return { scenario, commands };
}

test('README tutorial: the scenario, copied into a file anywhere, runs with the commands shown', async () => {
  const { scenario, commands } = tutorial();
  assert.equal(commands[0]?.[0], 'run');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bugcheck-readme-'));
  const cwd = process.cwd();
  try {
    fs.writeFileSync(path.join(dir, 'first-callback.ts'), scenario);
    process.chdir(dir);
    const outputs = [];
    for (const argv of commands) {
      const run = await runCli(argv);
      assert.equal(run.code, 0, `bugcheck ${argv.join(' ')} exited ${run.code}: ${run.stderr}`);
      outputs.push(run);
    }
    const [, enumtag, blob, analyze] = outputs;
    assert.match(enumtag!.stdout, /\{B8F1C3E2-5D4A-4E6F-9A7B-1C2D3E4F5A6B\} - 0x40 bytes/);
    assert.equal(blob!.stdoutBytes.subarray(0, 28).toString('latin1'), 'queue depth 3, last IRP 0x4a');
    assert.equal(blob!.stdoutBytes.length, 0x40);
    assert.match(analyze!.stdout, /IMAGE_NAME:\s+mydriver\.sys/);

    const analysis = json<{
      bugCheck: { code: string; name: string };
      secondaryData: { guid: string; size: number }[];
    }>(await runCli(['analyze', 'dumps/first-callback-kernel.dmp', '--json']));
    assert.equal(analysis.bugCheck.name, 'DRIVER_IRQL_NOT_LESS_OR_EQUAL');
    assert.deepEqual(analysis.secondaryData[0], { guid: 'b8f1c3e2-5d4a-4e6f-9a7b-1c2d3e4f5a6b', size: 0x40 });
  } finally {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
