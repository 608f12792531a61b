import { FormatError } from './errors.js';
import type { GuidString } from './guid.js';

/**
 * bugcheck's own secondary data block: what the kernel model saw while the
 * callbacks ran (HIGH_LEVEL violations, each record's outcome). Written by the
 * kernel as the last block of the data pass, so any dump reader — ours via
 * `bugcheck analyze`, or WinDbg's `.enumtag` — can show it. UTF-8 JSON.
 */
export const BUGCHECK_MODEL_DIAGNOSTICS_GUID: GuidString = '8e040bfb-600e-4ccd-8769-ac168bbe980e';
export const BUGCHECK_MODEL_DIAGNOSTICS_FORMAT = 'bugcheck-model-diagnostics';
export const BUGCHECK_MODEL_DIAGNOSTICS_VERSION = 1;
/** Decoding refuses anything larger: the block is ours and small. */
export const BUGCHECK_MODEL_DIAGNOSTICS_MAX_BYTES = 4 * 1024 * 1024;

export interface DiagnosticsViolation {
  component: string;
  /** Hex address of the callback record, or null. */
  record: string | null;
  reason: number | null;
  reasonName: string;
  kind: string;
  detail: string;
  address?: string;
}

export interface DiagnosticsCallback {
  component: string;
  record: string;
  reason: number | null;
  reasonName: string;
  routine: string;
  routineModule: string | null;
  state: number;
  stateName: string;
  calls: number;
  secondaryBlocks: number;
  secondaryBytes: number;
  dumpIoCalls: number;
  pagesAdded: number;
  pagesRemoved: number;
  triageRanges: number;
  skipped: string[];
}

export interface ModelDiagnostics {
  format: typeof BUGCHECK_MODEL_DIAGNOSTICS_FORMAT;
  version: number;
  bugCheck: { code: string; parameters: [string, string, string, string] };
  nested: { code: string; parameters: [string, string, string, string] } | null;
  violations: DiagnosticsViolation[];
  callbacks: DiagnosticsCallback[];
}

export function encodeModelDiagnostics(diagnostics: ModelDiagnostics): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(diagnostics));
}

/** Parses and shape-checks the block; throws FormatError naming what is wrong. */
export function decodeModelDiagnostics(bytes: Uint8Array): ModelDiagnostics {
  const fail = (why: string): never => {
    throw new FormatError(`bugcheck model diagnostics block: ${why}`, { structure: 'ModelDiagnostics' });
  };
  if (bytes.length > BUGCHECK_MODEL_DIAGNOSTICS_MAX_BYTES) fail(`${bytes.length} bytes is more than the ${BUGCHECK_MODEL_DIAGNOSTICS_MAX_BYTES} allowed`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    return fail(`not UTF-8 JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null) return fail('not a JSON object');
  const v = value as Record<string, unknown>;
  if (v.format !== BUGCHECK_MODEL_DIAGNOSTICS_FORMAT) fail(`format is ${JSON.stringify(v.format)}, expected "${BUGCHECK_MODEL_DIAGNOSTICS_FORMAT}"`);
  if (typeof v.version !== 'number') fail('version is missing');
  if (!Array.isArray(v.violations)) fail('violations is not an array');
  if (!Array.isArray(v.callbacks)) fail('callbacks is not an array');
  if (typeof v.bugCheck !== 'object' || v.bugCheck === null) fail('bugCheck is missing');
  return v as unknown as ModelDiagnostics;
}
