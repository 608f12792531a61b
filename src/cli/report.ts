import { CommanderError } from 'commander';
import { BugcheckError } from '../format/index.js';
import { jsonHex, printable } from '../analyze/index.js';
import { type CliContext, toJson } from './context.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './errors.js';

/** One line, and no control characters: messages can quote strings read from a dump. */
function oneLine(text: string): string {
  return printable(text.replace(/\s*\n\s*/g, ' ').trim());
}

/** `[structure TRIAGE_DUMP64, field SizeOfDump, file offset 0x2004]` from an error's details, leaving out what the message already says. */
function whereText(message: string, details: Record<string, unknown>): string {
  const parts: string[] = [];
  const structure = details.structure;
  if (typeof structure === 'string' && !message.includes(structure)) parts.push(structure);
  const field = details.field;
  if (typeof field === 'string' && !message.includes(field)) parts.push(`field ${field}`);
  const offset = details.offset;
  if (typeof offset === 'number' || typeof offset === 'bigint') {
    const text = jsonHex(offset);
    if (!message.toLowerCase().includes(text) && !message.includes(String(offset))) parts.push(`file offset ${text}`);
  }
  return parts.length > 0 ? ` [${parts.join(', ')}]` : '';
}

function toUsageError(err: CommanderError): UsageError {
  return new UsageError(oneLine(err.message.replace(/^error:\s*/, '')), { commanderCode: err.code });
}

/**
 * Turns anything a command threw into output and an exit code: commander's
 * help/version exits are success, its parse errors and UsageError are 2,
 * BugcheckError is 1, anything else is an internal error (1). Always a single
 * line on stderr, or `{ "error": … }` on stdout under --json; never a stack
 * trace unless BUGCHECK_DEBUG is set.
 */
export function reportError(err: unknown, ctx: CliContext, jsonRequested: boolean): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT_OK;
    // `help <command>` ends with exit code 0; help shown because no command was given, with 1.
    if (err.code === 'commander.help') return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    return emit(toUsageError(err), ctx, jsonRequested, EXIT_USAGE);
  }
  if (err instanceof UsageError) return emit(err, ctx, jsonRequested, EXIT_USAGE);
  if (err instanceof BugcheckError) return emit(err, ctx, jsonRequested, EXIT_FAILURE);
  const internal = new BugcheckError(
    'E_INTERNAL',
    `internal error: ${err instanceof Error ? err.message : String(err)}`,
  );
  const env = ctx.io.env ?? process.env;
  if (env.BUGCHECK_DEBUG && err instanceof Error && err.stack) ctx.io.stderr.write(`${err.stack}\n`);
  return emit(internal, ctx, jsonRequested, EXIT_FAILURE);
}

function emit(err: BugcheckError, ctx: CliContext, jsonRequested: boolean, exitCode: number): number {
  if (jsonRequested) {
    ctx.io.stdout.write(`${toJson({ error: err.toJSON() })}\n`);
    return exitCode;
  }
  const message = oneLine(err.message);
  const hint = exitCode === EXIT_USAGE ? " (see 'bugcheck --help')" : '';
  ctx.io.stderr.write(
    `bugcheck: ${ctx.errorColors.red('error')}: ${message}${whereText(message, err.details)} (${err.code})${hint}\n`,
  );
  return exitCode;
}
