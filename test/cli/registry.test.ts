import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMANDS, commandsFor, loadCommands, type CliCommand } from '../../src/cli/main.js';
import { buildProgram } from '../../src/cli/program.js';
import { CliContext } from '../../src/cli/context.js';

describe('command registry', () => {
  it('registers each command under its own name', async () => {
    const sink = { write: () => true };
    const program = buildProgram(new CliContext({ stdout: sink, stderr: sink, env: {} }), await loadCommands());
    assert.deepEqual(
      program.commands.map((c) => c.name()),
      COMMANDS.map((c) => c.name),
    );
    assert.deepEqual(
      COMMANDS.map((c) => c.name),
      ['analyze', 'enumtag', 'blob', 'read', 'header', 'modules', 'run', 'bugdump', 'demo', 'bucket', 'view'],
    );
  });

  it('loads only the command a command line names; help and unknown words need them all', () => {
    const names = (argv: string[]): string[] => commandsFor(argv).map((c) => c.name);
    assert.deepEqual(names(['analyze', 'x.dmp', '--json']), ['analyze']);
    assert.deepEqual(names(['run', '--help']), ['run']);
    assert.deepEqual(names(['--help']), names([]));
    assert.equal(names(['help', 'analyze']).length, COMMANDS.length);
    assert.equal(names(['analyse']).length, COMMANDS.length);
  });

  it('takes extra commands, which share output and exit-code handling', async () => {
    const out: string[] = [];
    const sink = { write: (s: string | Uint8Array) => out.push(String(s)) };
    const ctx = new CliContext({ stdout: sink, stderr: sink, env: {} });
    const extra: CliCommand = {
      name: 'extra',
      register(program, c) {
        program
          .command('extra')
          .option('--json')
          .action(() => {
            c.print('extra ran');
            c.exitCode = 3;
          });
      },
    };
    const program = buildProgram(ctx, [...(await loadCommands()), extra]);
    await program.parseAsync(['extra'], { from: 'user' });
    assert.deepEqual(out, ['extra ran\n']);
    assert.equal(ctx.exitCode, 3);
  });
});
