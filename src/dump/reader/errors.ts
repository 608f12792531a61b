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

/**
 * Engine failures that are never the dump's fault: a blown stack or an
 * allocation the engine refused. The reader lets them through as they are
 * instead of wrapping them as a corrupt or unreadable dump, so a defect of
 * ours (unbounded recursion, a huge array) cannot hide behind a typed error.
 */
export const ENGINE_FAILURE_MESSAGE =
  /Maximum call stack size exceeded|Invalid array length|Array buffer allocation failed|out of memory|Invalid typed array length/i;

export function isEngineFailure(e: unknown): boolean {
  return e instanceof RangeError && ENGINE_FAILURE_MESSAGE.test(e.message);
}
