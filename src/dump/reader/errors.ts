import { BugcheckError } from '../../format/index.js';

/** Stable codes of DumpError (documented in src/dump/README.md). */
export const DumpErrorCode = {
  Open: 'E_DUMP_OPEN',
  Read: 'E_DUMP_READ',
  Empty: 'E_DUMP_EMPTY',
  Truncated: 'E_DUMP_TRUNCATED',
  Signature: 'E_DUMP_SIGNATURE',
  Corrupt: 'E_DUMP_CORRUPT',
  NotInDump: 'E_DUMP_NOT_IN_DUMP',
  Unsupported: 'E_DUMP_UNSUPPORTED',
  Closed: 'E_DUMP_CLOSED',
  Argument: 'E_DUMP_ARGUMENT',
} as const;
export type DumpErrorCode = (typeof DumpErrorCode)[keyof typeof DumpErrorCode];

/** The only error the reader throws on purpose. */
export class DumpError extends BugcheckError {
  constructor(code: DumpErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}
