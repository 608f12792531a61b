import { BugcheckError } from '../format/index.js';

/** Stable codes of the CLI's own errors (documented in src/cli/README.md). */
export const CliErrorCode = {
  /** Bad command line (exit 2). */
  Usage: 'E_USAGE',
  /** No secondary-data blob with the requested GUID/index (exit 1). */
  NoSuchBlob: 'E_CLI_NO_SUCH_BLOB',
  /** None of the requested bytes is in the dump (exit 1). */
  NotInDump: 'E_CLI_NOT_IN_DUMP',
  /** An output file could not be written (exit 1). */
  Output: 'E_CLI_OUTPUT',
  /** More bytes than --json prints as hex (JSON_HEX_MAX_BYTES); write them with -o instead (exit 1). */
  TooLargeForJson: 'E_CLI_TOO_LARGE_FOR_JSON',
} as const;
export type CliErrorCode = (typeof CliErrorCode)[keyof typeof CliErrorCode];

/** A request the dump cannot satisfy, or an output that cannot be written: exit code 1. */
export class CliError extends BugcheckError {
  constructor(code: Exclude<CliErrorCode, 'E_USAGE'>, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

/** A command line that cannot be understood: exit code 2. */
export class UsageError extends BugcheckError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(CliErrorCode.Usage, message, details);
  }
}

/**
 * Most data bytes one --json output carries as hex (`blob --json`,
 * `enumtag --full --json`): twice that in characters stays far below the
 * longest string V8 can build, and such a document is still usable.
 */
export const JSON_HEX_MAX_BYTES = 16 * 1024 * 1024;

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
