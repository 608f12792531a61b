import { openDump, type CrashDump } from '../dump/reader/index.js';

/** Opens the dump, runs `work`, and closes the dump whatever happens (a failing close never hides the real error). */
export async function withDump<T>(path: string, work: (dump: CrashDump) => Promise<T>): Promise<T> {
  const dump = await openDump(path);
  try {
    return await work(dump);
  } finally {
    await dump.close().catch(() => undefined);
  }
}
