import { analyzeDump, type DumpAnalysis } from '../analyze/index.js';
import { openDumpFile } from '../dump/reader/fileSource.js';
import { errorJson, type FleetErrorJson } from './errors.js';

/** What bucketing needs of one dump's analysis: a few strings, so a worker's answer stays small. */
export interface DumpSummary {
  file: string;
  /** FAILURE_BUCKET_ID of the analysis (`0xD1_devstate!MyDpcRoutine`). */
  failureBucketId: string;
  /** Bug check code, `0x…` lower-case as in the analysis JSON. */
  code: string;
  /** Faulting module's debugger name, when one was found. */
  module: string | null;
  /** SystemTime of the header (ISO 8601), when the dump has one. */
  systemTime: string | null;
  /** Problems of severity `error` the analysis reported. */
  errors: number;
}

/** One dump's result: its summary, or why it could not be read. */
export type DumpOutcome = { file: string; summary: DumpSummary } | { file: string; error: FleetErrorJson };

export function summaryOf(file: string, analysis: DumpAnalysis): DumpSummary {
  return {
    file,
    failureBucketId: analysis.failureBucketId ?? `${analysis.bugCheck.code.toUpperCase().replace('0X', '0x')}_UNKNOWN`,
    code: analysis.bugCheck.code,
    module: analysis.faultingModule?.name ?? null,
    systemTime: analysis.systemTime ?? null,
    errors: analysis.problems.filter((p) => p.severity === 'error').length,
  };
}

/** Opens, analyses and closes one dump; whatever goes wrong becomes the outcome's `error`, never a throw. */
export async function analyzeDumpFile(
  file: string,
): Promise<{ file: string; analysis: DumpAnalysis } | { file: string; error: FleetErrorJson }> {
  try {
    const dump = await openDumpFile(file);
    try {
      return { file, analysis: await analyzeDump(dump) };
    } finally {
      await dump.close().catch(() => undefined);
    }
  } catch (error) {
    return { file, error: errorJson(error) };
  }
}

/** analyzeDumpFile reduced to the summary bucketing keeps. */
export async function summarizeDumpFile(file: string): Promise<DumpOutcome> {
  const result = await analyzeDumpFile(file);
  return 'error' in result ? result : { file, summary: summaryOf(file, result.analysis) };
}
