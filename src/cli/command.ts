import type { Command } from 'commander';
import type { CliContext } from './context.js';

/**
 * One `bugcheck` subcommand. `register` adds it to the program; its action
 * must set `ctx.json` from its --json option before doing any work (so
 * errors come out as JSON) and may set `ctx.exitCode`; failures are thrown
 * and turned into output by main().
 */
export interface CliCommand {
  readonly name: string;
  register(program: Command, ctx: CliContext): void;
}
