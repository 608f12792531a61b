import { BugcheckError } from '../format/index.js';

/** Stable codes of the fleet layer (documented in src/fleet/README.md). */
export const FleetErrorCode = {
  /** A folder given on the command line could not be listed. */
  Directory: 'E_FLEET_DIRECTORY',
  /** None of the paths given holds a `.dmp` file. */
  NoDumps: 'E_FLEET_NO_DUMPS',
  /** A worker thread stopped without answering (it crashed or ran out of memory). */
  Worker: 'E_FLEET_WORKER',
  /** Something that is neither an error object nor a BugcheckError was thrown while analysing one dump. */
  Internal: 'E_INTERNAL',
} as const;
export type FleetErrorCode = (typeof FleetErrorCode)[keyof typeof FleetErrorCode];

export class FleetError extends BugcheckError {
  constructor(code: FleetErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

/** The `error` member of a failed dump's line: a BugcheckError's toJSON(), or an internal error in the same shape. */
export interface FleetErrorJson {
  name: string;
  code: string;
  message: string;
  details: Record<string, unknown>;
}

export function errorJson(error: unknown): FleetErrorJson {
  if (error instanceof BugcheckError) return error.toJSON();
  const message = error instanceof Error ? error.message : String(error);
  return new FleetError(FleetErrorCode.Internal, `internal error: ${message}`).toJSON();
}
