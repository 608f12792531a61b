/**
 * The Node file behind openDump(path): the only file of the reader that uses
 * a Node module. The isomorphic part (index.ts and everything it imports)
 * loads it on demand, so a browser bundle never needs it.
 */
import { constants, readSync, type BigIntStats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { DumpError } from './errors.js';
import type { DumpSource } from './source.js';

function fileKind(st: BigIntStats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'an unknown kind of file';
}

/** A regular file, read positionally: synchronously (the reader's fast path) or through the thread pool. */
export class FileDumpSource implements DumpSource {
  private constructor(
    readonly name: string,
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  /**
   * Opening a FIFO for reading blocks until a writer appears (and a device
   * may never end), so the path is stat'ed first and anything but a regular
   * file is refused before it is opened. The open itself is non-blocking and
   * the handle is checked again, in case the path was swapped in between.
   */
  static async open(path: string): Promise<FileDumpSource> {
    let before: BigIntStats;
    try {
      before = await stat(path, { bigint: true });
    } catch (e) {
      throw new DumpError('E_DUMP_OPEN', `cannot open ${path}: ${(e as Error).message}`, { path });
    }
    if (!before.isFile())
      throw new DumpError('E_DUMP_OPEN', `${path} is not a regular file (${fileKind(before)})`, { path });
    let handle: FileHandle;
    try {
      handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    } catch (e) {
      throw new DumpError('E_DUMP_OPEN', `cannot open ${path}: ${(e as Error).message}`, { path });
    }
    try {
      const st = await handle.stat({ bigint: true });
      if (!st.isFile()) throw new DumpError('E_DUMP_OPEN', `${path} is not a regular file (${fileKind(st)})`, { path });
      if (st.size > BigInt(Number.MAX_SAFE_INTEGER))
        throw new DumpError('E_DUMP_OPEN', `${path} is ${st.size} bytes, more than the reader can address`, { path });
      return new FileDumpSource(path, handle, Number(st.size));
    } catch (e) {
      await handle.close().catch(() => undefined);
      if (e instanceof DumpError) throw e;
      throw new DumpError('E_DUMP_OPEN', `cannot stat ${path}: ${(e as Error).message}`, { path });
    }
  }

  readSync(target: Uint8Array, offset: number, length: number, position: number): number {
    return readSync(this.handle.fd, target, offset, length, position);
  }

  async read(target: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return (await this.handle.read(target, offset, length, position)).bytesRead;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** The shape index.ts expects when it loads this module on demand. */
export function openFileSource(path: string): Promise<DumpSource> {
  return FileDumpSource.open(path);
}
