import { BugcheckError } from '../format/index.js';

/** Stable codes of scenario errors (documented in src/scenario/README.md). Every one means exit code 1 for the CLI. */
export const ScenarioErrorCode = {
  /** The scenario file does not exist or is not a file. */
  NotFound: 'E_SCENARIO_NOT_FOUND',
  /** The file could not be loaded as a module (syntax error, unsupported extension, an import that fails). */
  Load: 'E_SCENARIO_LOAD',
  /** The module does not export a scenario (no default export, no run function, unknown members). */
  Shape: 'E_SCENARIO_SHAPE',
  /** An option is unknown or has a bad value. */
  Options: 'E_SCENARIO_OPTIONS',
  /** The scenario's run function threw (or its promise rejected). */
  Failed: 'E_SCENARIO_FAILED',
  /** The run function returned without calling KeBugCheckEx. */
  NoBugCheck: 'E_SCENARIO_NO_BUGCHECK',
} as const;
export type ScenarioErrorCode = (typeof ScenarioErrorCode)[keyof typeof ScenarioErrorCode];

/** Anything wrong with a scenario: a user error, reported in one line. */
export class ScenarioError extends BugcheckError {
  constructor(code: ScenarioErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

/**
 * The informative line of an error's message: loaders print code frames on
 * the following lines, and esbuild (inside tsx) starts with a
 * "Transform failed with N errors:" line before the `file:line:col: ERROR: …` one.
 */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const line =
    /^Transform failed with \d+ errors?:?$/.test(lines[0] ?? '') && lines.length > 1 ? lines[1]! : (lines[0] ?? text);
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
}
