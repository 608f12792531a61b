import { BugcheckError } from '../format/index.js';
import { openDumpFile } from '../dump/reader/fileSource.js';
import { type CrashDump, DumpError, type DumpProblem } from '../dump/reader/index.js';

/** 'MDMP' read as a little-endian u32: the signature of a user-mode minidump. */
const MINIDUMP_SIGNATURE = 0x504d444d;

/**
 * A file that is not a kernel dump is named for what it is when we can tell:
 * a user-mode minidump (`MDMP`, what WinDbg opens for a crashed process) is
 * the usual mistake.
 */
function explainOpenError(path: string, err: unknown): unknown {
  if (err instanceof BugcheckError && err.code === 'E_DUMP_SIGNATURE' && err.details.signature === MINIDUMP_SIGNATURE) {
    return new DumpError(
      'E_DUMP_SIGNATURE',
      `${path} is a user-mode minidump (MDMP); bugcheck reads kernel dumps (PAGEDU64 / PAGEDUMP)`,
      err.details,
    );
  }
  return err;
}

/** Opens the dump, runs `work`, and closes the dump whatever happens (a failing close never hides the real error). */
export async function withDump<T>(path: string, work: (dump: CrashDump) => Promise<T>): Promise<T> {
  let dump: CrashDump;
  try {
    dump = await openDumpFile(path);
  } catch (err) {
    throw explainOpenError(path, err);
  }
  try {
    return await work(dump);
  } finally {
    await dump.close().catch(() => undefined);
  }
}

/**
 * What is wrong with the dump as a whole (found at open, or by later scans)
 * plus a command's own problems, each once: the reader appends the problems
 * of secondaryData()/modules() to `dump.problems` and also returns them.
 */
export function dumpProblems(dump: CrashDump, ...more: readonly (readonly DumpProblem[])[]): DumpProblem[] {
  const seen = new Set<string>();
  const out: DumpProblem[] = [];
  for (const list of [dump.problems, ...more])
    for (const p of list) {
      const key = `${p.severity}\u0000${p.code}\u0000${p.message}\u0000${p.offset ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(p);
    }
  return out;
}
