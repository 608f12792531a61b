import { BugcheckError } from '../format/index.js';

/** Stable codes of the run/demo/bugdump commands' own errors (exit 1; see src/cli/README.md). */
export const JobErrorCode = {
  /** `bugdump` on a dump that cannot hold legacy callback buffers (small dump, no memory, no KDBG). */
  NoLegacyBuffers: 'E_CLI_NO_LEGACY_BUFFERS',
  /** `bugdump DUMP COMPONENT`: no record carries that component. */
  NoSuchComponent: 'E_CLI_NO_SUCH_COMPONENT',
} as const;
export type JobErrorCode = (typeof JobErrorCode)[keyof typeof JobErrorCode];

export class JobError extends BugcheckError {
  constructor(code: JobErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}
