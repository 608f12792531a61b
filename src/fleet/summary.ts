import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { analyzeDump, type DumpAnalysis } from '../analyze/index.js';
import { openDumpFile } from '../dump/reader/fileSource.js';
import { BytesDumpSource, type CrashDump, openDumpSource } from '../dump/reader/index.js';
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

/**
 * Dumps up to this size are read whole, in one read, before they are parsed: a triage dump (~100 KB)
 * is then five system calls (stat, open, fstat, read, close) instead of an asynchronous open, stat and
 * close and a read per structure. Bigger dumps (kernel, complete) are read in place by the file source.
 */
export const WHOLE_FILE_LIMIT = 8 * 1024 * 1024;

/**
 * The bytes of a regular file of at most WHOLE_FILE_LIMIT bytes, read synchronously; undefined for
 * anything else (missing, not a regular file, bigger, unreadable), which openDumpFile then opens and
 * reports as it does for one dump. Like the file source, it stats the path before opening it (a FIFO
 * or a device is never opened) and checks the open handle again.
 */
export function smallFileBytes(path: string): Uint8Array | undefined {
  let fd: number;
  try {
    const before = statSync(path, { throwIfNoEntry: false });
    if (before === undefined || !before.isFile() || before.size > WHOLE_FILE_LIMIT) return undefined;
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > WHOLE_FILE_LIMIT) return undefined;
    const bytes = new Uint8Array(st.size);
    let filled = 0;
    while (filled < bytes.length) {
      const n = readSync(fd, bytes, filled, bytes.length - filled, filled);
      if (n === 0) break; // shorter than it was a moment ago: the reader sees what is there
      filled += n;
    }
    return filled === bytes.length ? bytes : bytes.subarray(0, filled);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** A small dump from its bytes read whole, anything else through the file source. */
async function openForAnalysis(file: string): Promise<CrashDump> {
  const bytes = smallFileBytes(file);
  return bytes === undefined ? openDumpFile(file) : openDumpSource(new BytesDumpSource(bytes, file));
}

/** Opens, analyses and closes one dump; whatever goes wrong becomes the outcome's `error`, never a throw. */
export async function analyzeDumpFile(
  file: string,
): Promise<{ file: string; analysis: DumpAnalysis } | { file: string; error: FleetErrorJson }> {
  try {
    const dump = await openForAnalysis(file);
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
