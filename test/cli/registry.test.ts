import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMANDS, buildProgram, type CliCommand } from '../../src/cli/main.js';
import { CliContext } from '../../src/cli/context.js';

describe('command registry', () => {
  it('registers each command under its own name', () => {
    const sink = { write: () => true };
    const program = buildProgram(new CliContext({ stdout: sink, stderr: sink, env: {} }));
    assert.deepEqual(
      program.commands.map((c) => c.name()),
      COMMANDS.map((c) => c.name),
    );
    assert.deepEqual(
      COMMANDS.map((c) => c.name),
      ['analyze', 'enumtag', 'blob', 'read', 'header', 'modules', 'run', 'bugdump', 'demo', 'bucket', 'view'],
    );
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
    const program = buildProgram(ctx, [...COMMANDS, extra]);
    await program.parseAsync(['extra'], { from: 'user' });
    assert.deepEqual(out, ['extra ran\n']);
    assert.equal(ctx.exitCode, 3);
  });
});
