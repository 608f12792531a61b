import { Command } from 'commander';
import type { CliCommand } from './command.js';
import { CliContext, type CliIo } from './context.js';
import { reportError } from './report.js';
import { packageVersion } from './version.js';

export function buildProgram(ctx: CliContext, commands: readonly CliCommand[]): Command {
  const program = new Command('bugcheck')
    .description(
      'Read and analyse Windows kernel crash dumps (and the secondary data bug check callbacks leave in them).',
    )
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
      // main() prints commander's parse errors itself, in the same one-line form as every other error.
      outputError: () => undefined,
    })
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 bad dump or unsatisfiable request, 2 usage error.\nEvery command takes --json; NO_COLOR turns colours off.',
    );
  for (const command of commands) command.register(program, ctx);
  return program;
}

/** Runs `argv` against the program made of `commands` and returns the exit code (see main()). */
export async function runProgram(
  commands: readonly CliCommand[],
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const ctx = new CliContext(io);
  const program = buildProgram(ctx, commands);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    return reportError(err, ctx, ctx.json || argv.includes('--json'));
  }
}
