import { constants, type BigIntStats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { hex } from '../../format/index.js';
import { DumpError } from './errors.js';

/** Largest single read the reader ever issues; callers split bigger requests. */
export const MAX_READ = 64 * 1024 * 1024;

/** Converts a file offset to a number for FileHandle.read, refusing anything past 2^53. */
export function toPosition(offset: bigint, what: string): number {
  if (offset < 0n || offset > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new DumpError('E_DUMP_CORRUPT', `${what}: file offset ${hex(offset)} is out of range`, { offset });
  }
  return Number(offset);
}

function fileKind(st: BigIntStats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'an unknown kind of file';
}

/**
 * Positional, bounds-checked reads from a dump file. The file is never read
 * whole: every read names its offset and length, and is checked against the
 * size measured at open, so a length taken from the file cannot make us
 * allocate more than the file holds.
 */
export class DumpFile {
  private constructor(
    readonly path: string,
    private handle: FileHandle | undefined,
    readonly size: bigint,
  ) {}

  /**
   * Opening a FIFO for reading blocks until a writer appears (and a device
   * may never end), so the path is stat'ed first and anything but a regular
   * file is refused before it is opened. The open itself is non-blocking and
   * the handle is checked again, in case the path was swapped in between.
   */
  static async open(path: string): Promise<DumpFile> {
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
      return new DumpFile(path, handle, st.size);
    } catch (e) {
      await handle.close().catch(() => undefined);
      if (e instanceof DumpError) throw e;
      throw new DumpError('E_DUMP_OPEN', `cannot stat ${path}: ${(e as Error).message}`, { path });
    }
  }

  get closed(): boolean {
    return this.handle === undefined;
  }

  /** True when [offset, offset+length) lies inside the file. */
  contains(offset: bigint, length: number | bigint): boolean {
    const len = BigInt(length);
    return offset >= 0n && len >= 0n && offset + len <= this.size;
  }

  /** Reads exactly `length` bytes at `offset`; throws E_DUMP_TRUNCATED naming `what` if they are not all in the file. */
  async read(offset: bigint, length: number, what: string): Promise<Uint8Array> {
    if (!Number.isSafeInteger(length) || length < 0 || length > MAX_READ) {
      throw new DumpError('E_DUMP_ARGUMENT', `${what}: read of ${length} bytes refused (limit ${MAX_READ})`, {
        length,
      });
    }
    if (!this.contains(offset, length)) {
      throw new DumpError(
        'E_DUMP_TRUNCATED',
        `${what} (${hex(length)} bytes at file offset ${hex(offset)}) runs past the end of the file (${hex(this.size)} bytes)`,
        { what, offset, length, fileSize: this.size },
      );
    }
    const out = new Uint8Array(length);
    await this.readInto(out, offset, what);
    return out;
  }

  /** Fills `target` from `offset`; the caller has checked the range. */
  async readInto(target: Uint8Array, offset: bigint, what: string): Promise<void> {
    const handle = this.handle;
    if (handle === undefined) throw new DumpError('E_DUMP_CLOSED', `${what}: the dump ${this.path} is closed`);
    let done = 0;
    while (done < target.length) {
      let n: number;
      try {
        ({ bytesRead: n } = await handle.read(
          target,
          done,
          target.length - done,
          toPosition(offset + BigInt(done), what),
        ));
      } catch (e) {
        throw new DumpError(
          'E_DUMP_READ',
          `${what}: read failed at ${hex(offset + BigInt(done))}: ${(e as Error).message}`,
        );
      }
      // The file shrank under us: report it as truncation, never loop forever.
      if (n === 0) {
        throw new DumpError('E_DUMP_TRUNCATED', `${what}: unexpected end of file at ${hex(offset + BigInt(done))}`, {
          offset,
        });
      }
      done += n;
    }
  }

  async close(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    if (h !== undefined) await h.close();
  }
}
