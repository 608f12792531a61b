import { BugcheckError } from '../format/index.js';

/** Stable codes of the viewer (src/view/README.md). */
export const ViewErrorCode = {
  /** The page's sources are missing (a broken install) or esbuild could not bundle them. */
  Page: 'E_VIEW_PAGE',
  /** The loopback server could not listen (port taken, not allowed). */
  Listen: 'E_VIEW_LISTEN',
  /** `--static DIR` could not be written. */
  Output: 'E_VIEW_OUTPUT',
} as const;
export type ViewErrorCode = (typeof ViewErrorCode)[keyof typeof ViewErrorCode];

export class ViewError extends BugcheckError {
  constructor(code: ViewErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}
