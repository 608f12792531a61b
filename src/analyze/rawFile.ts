import { open, type FileHandle } from 'node:fs/promises';
import { DumpError } from '../dump/reader/index.js';

/**
 * Positional read of `length` bytes at `offset` of a file, for the listings
 * that show structures exactly as stored (the reader hands out decoded
 * values, not raw header bytes). Returns fewer bytes at end of file; never
 * reads more than asked. Offsets must stay below 2^53 (8 PiB).
 */
export async function readFileRange(path: string, offset: bigint, length: number): Promise<Uint8Array> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new DumpError('E_DUMP_OPEN', `cannot open ${path}: ${err instanceof Error ? err.message : String(err)}`, { path });
  }
  try {
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(out, done, length - done, Number(offset) + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return out.subarray(0, done);
  } finally {
    await handle.close();
  }
}
