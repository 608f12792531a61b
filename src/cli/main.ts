import type { CliCommand } from './command.js';
import type { CliIo } from './context.js';

export type { CliIo, OutputStream } from './context.js';
export type { CliCommand } from './command.js';

/** A subcommand known by name; its module (and all it imports) is loaded only when it is needed. */
export interface CommandEntry {
  readonly name: string;
  load(): Promise<CliCommand>;
}

/**
 * Every subcommand, in the order `bugcheck --help` lists them. New commands
 * are added here, with a dynamic import, so `bugcheck analyze` never loads
 * what `run` needs (the scenario layer, tsx, zod, progress bars) and the
 * reverse.
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'analyze', load: async () => (await import('./commands/analyze.js')).analyzeCommand },
  { name: 'enumtag', load: async () => (await import('./commands/enumtag.js')).enumtagCommand },
  { name: 'blob', load: async () => (await import('./commands/blob.js')).blobCommand },
  { name: 'read', load: async () => (await import('./commands/read.js')).readCommand },
  { name: 'header', load: async () => (await import('./commands/header.js')).headerCommand },
  { name: 'modules', load: async () => (await import('./commands/modules.js')).modulesCommand },
  { name: 'run', load: async () => (await import('./commands/run.js')).runCommand },
  { name: 'bugdump', load: async () => (await import('./commands/bugdump.js')).bugdumpCommand },
  { name: 'demo', load: async () => (await import('./commands/demo.js')).demoCommand },
  { name: 'bucket', load: async () => (await import('./commands/bucket.js')).bucketCommand },
  { name: 'view', load: async () => (await import('./commands/view.js')).viewCommand },
];

/** Loads the modules of `entries` (default: every command), in order. */
export function loadCommands(entries: readonly CommandEntry[] = COMMANDS): Promise<CliCommand[]> {
  return Promise.all(entries.map((entry) => entry.load()));
}

/**
 * The commands a command line needs: the one it names when its first word is
 * a command (`bugcheck analyze …`, `bugcheck analyze --help`); otherwise all
 * of them (`--help`, `help analyze`, a misspelt command, which commander
 * answers with the full list or a suggestion).
 */
export function commandsFor(argv: readonly string[], entries: readonly CommandEntry[] = COMMANDS): CommandEntry[] {
  const named = entries.find((entry) => entry.name === argv[0]);
  return named === undefined ? [...entries] : [named];
}

/**
 * Runs `bugcheck` with `argv` (the arguments after the program name) and
 * returns the exit code. Output goes to `io` (default: the process's
 * streams), so tests can run it without spawning. Only the command named in
 * `argv` is loaded; `--version` alone loads none. (The built CLI, bin/ and
 * dist/cli, goes further: one bundle per command; see scripts/bundleCli.mjs.)
 */
export async function main(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    const { packageVersion } = await import('./version.js');
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const [{ runProgram }, commands] = await Promise.all([import('./program.js'), loadCommands(commandsFor(argv))]);
  return runProgram(commands, argv, io);
}
