/**
 * The Node file behind openDump(path): the only file of the reader that uses
 * a Node module. The isomorphic part (index.ts and everything it imports)
 * loads it on demand, so a browser bundle never needs it.
 */
import { type BigIntStats, closeSync, constants, fstatSync, openSync, read, readSync, statSync } from 'node:fs';
import { checkOpenOptions, type CrashDump, openDumpSource } from './crashDump.js';
import { DumpError } from './errors.js';
import type { DumpSource } from './source.js';
import type { OpenDumpOptions } from './types.js';

function fileKind(st: BigIntStats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'an unknown kind of file';
}

/**
 * A regular file, read positionally: synchronously (the reader's fast path) or through the thread pool.
 * It holds a plain descriptor, opened, checked and closed synchronously like the reads of the fast path:
 * Node's promise API would start libuv's thread pool (four threads) for the open alone, a few ms of every
 * short command. Only reads larger than the reader's synchronous limit go through the pool.
 */
export class FileDumpSource implements DumpSource {
  private fd: number | undefined;
  /** Reads in the thread pool not yet ended. */
  private pending = 0;

  private constructor(
    readonly name: string,
    fd: number,
    readonly size: number,
  ) {
    this.fd = fd;
  }

  /**
   * Opening a FIFO for reading blocks until a writer appears (and a device
   * may never end), so the path is stat'ed first and anything but a regular
   * file is refused before it is opened. The open itself is non-blocking and
   * the descriptor is checked again, in case the path was swapped in between.
   */
  static async open(path: string): Promise<FileDumpSource> {
    let before: BigIntStats;
    try {
      before = statSync(path, { bigint: true });
    } catch (e) {
      throw new DumpError('E_DUMP_OPEN', `cannot open ${path}: ${(e as Error).message}`, { path });
    }
    if (!before.isFile())
      throw new DumpError('E_DUMP_OPEN', `${path} is not a regular file (${fileKind(before)})`, { path });
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    } catch (e) {
      throw new DumpError('E_DUMP_OPEN', `cannot open ${path}: ${(e as Error).message}`, { path });
    }
    try {
      const st = fstatSync(fd, { bigint: true });
      if (!st.isFile()) throw new DumpError('E_DUMP_OPEN', `${path} is not a regular file (${fileKind(st)})`, { path });
      if (st.size > BigInt(Number.MAX_SAFE_INTEGER))
        throw new DumpError('E_DUMP_OPEN', `${path} is ${st.size} bytes, more than the reader can address`, { path });
      return new FileDumpSource(path, fd, Number(st.size));
    } catch (e) {
      closeSync(fd);
      if (e instanceof DumpError) throw e;
      throw new DumpError('E_DUMP_OPEN', `cannot stat ${path}: ${(e as Error).message}`, { path });
    }
  }

  private closedError(): DumpError {
    return new DumpError('E_DUMP_CLOSED', `${this.name} is closed`, { path: this.name });
  }

  private descriptor(): number {
    if (this.fd === undefined) throw this.closedError();
    return this.fd;
  }

  readSync(target: Uint8Array, offset: number, length: number, position: number): number {
    return readSync(this.descriptor(), target, offset, length, position);
  }

  read(target: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    if (this.fd === undefined) return Promise.reject(this.closedError());
    const fd = this.fd;
    this.pending++;
    return new Promise<number>((resolve, reject) => {
      read(fd, target, offset, length, position, (err, bytesRead) => {
        this.pending--;
        if (this.pending === 0 && this.fd === undefined) closeSync(fd);
        if (err === null) resolve(bytesRead);
        else reject(err);
      });
    });
  }

  close(): Promise<void> {
    const fd = this.fd;
    this.fd = undefined;
    // A read still in the thread pool keeps the descriptor: the last one to end closes it.
    if (fd !== undefined && this.pending === 0) closeSync(fd);
    return Promise.resolve();
  }
}

/** The shape index.ts expects when it loads this module on demand. */
export function openFileSource(path: string): Promise<DumpSource> {
  return FileDumpSource.open(path);
}

/**
 * openDump for Node programs that import this module directly: the same
 * result, with the file source bound statically. A one-file bundle (the
 * CLI's per-command bundles) cannot resolve index.ts's run-time import of
 * this module beside itself, and a bundle without `import(` keeps its V8
 * code cache (bin/bugcheck.cjs).
 */
export async function openDumpFile(path: string, options?: OpenDumpOptions): Promise<CrashDump> {
  checkOpenOptions(options ?? {});
  return openDumpSource(await FileDumpSource.open(path), options);
}
