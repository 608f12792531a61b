import { BugcheckError } from '../../format/index.js';

/** Stable codes of DumpWriterError (documented in src/dump/writer/README.md). */
export const DumpWriterErrorCode = {
  /** DumpSettings or CrashDumpPlan values the writer cannot use (bad chunk size, unknown kind, bad path). */
  Settings: 'E_DUMP_WRITER_SETTINGS',
  /** A session method called out of order (secondary data before the body, anything after complete/abort). */
  State: 'E_DUMP_WRITER_STATE',
  /** The operating system refused to open, write, sync or close the dump file. */
  Io: 'E_DUMP_WRITE_IO',
  /** A piece of the dump does not fit its format (triage offsets past 4 GiB, a blob over 4 GiB). */
  Limit: 'E_DUMP_WRITER_LIMIT',
} as const;
export type DumpWriterErrorCode = (typeof DumpWriterErrorCode)[keyof typeof DumpWriterErrorCode];

/** The only error the dump writer throws on purpose. */
export class DumpWriterError extends BugcheckError {
  constructor(code: DumpWriterErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}
