import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { CliCommand } from './command.js';
import { CliContext, type CliIo } from './context.js';
import { reportError } from './report.js';
import { analyzeCommand } from './commands/analyze.js';
import { enumtagCommand } from './commands/enumtag.js';
import { blobCommand } from './commands/blob.js';
import { readCommand } from './commands/read.js';
import { headerCommand } from './commands/header.js';
import { modulesCommand } from './commands/modules.js';
import { runCommand } from './commands/run.js';
import { bugdumpCommand } from './commands/bugdump.js';
import { demoCommand } from './commands/demo.js';
import { bucketCommand } from './commands/bucket.js';
import { viewCommand } from './commands/view.js';

export type { CliIo, OutputStream } from './context.js';
export type { CliCommand } from './command.js';

/** Every subcommand, in the order `bugcheck --help` lists them. New commands are added here. */
export const COMMANDS: CliCommand[] = [
  analyzeCommand,
  enumtagCommand,
  blobCommand,
  readCommand,
  headerCommand,
  modulesCommand,
  runCommand,
  bugdumpCommand,
  demoCommand,
  bucketCommand,
  viewCommand,
];

function packageVersion(): string {
  // main.ts runs from src/cli (tsx) or dist/src/cli (built): package.json is two or three levels up.
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'bugcheck' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
}

export function buildProgram(ctx: CliContext, commands: readonly CliCommand[] = COMMANDS): Command {
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

/**
 * Runs `bugcheck` with `argv` (the arguments after the program name) and
 * returns the exit code. Output goes to `io` (default: the process's
 * streams), so tests can run it without spawning.
 */
export async function main(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const ctx = new CliContext(io);
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    return reportError(err, ctx, ctx.json || argv.includes('--json'));
  }
}
