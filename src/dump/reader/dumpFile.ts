import { hex } from '../../format/index.js';
import { DumpError, isEngineFailure } from './errors.js';
import type { DumpSource } from './source.js';

/** Largest single read the reader ever issues; callers split bigger requests. */
export const MAX_READ = 64 * 1024 * 1024;
/**
 * Reads up to this size go through a source's readSync when it has one: no
 * promise and no thread-pool hop per read. Bigger ones stay asynchronous so a
 * 64 MiB blob read does not hold the event loop.
 */
export const SYNC_READ_LIMIT = 16 * 1024 * 1024;

/** Converts a file offset to a number for a positional read, refusing anything past 2^53. */
export function toPosition(offset: bigint, what: string): number {
  if (offset < 0n || offset > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new DumpError('E_DUMP_CORRUPT', `${what}: file offset ${hex(offset)} is out of range`, { offset });
  }
  return Number(offset);
}

/**
 * Positional, bounds-checked reads from a dump source. The dump is never
 * read whole: every read names its offset and length, and is checked against
 * the size known at open, so a length taken from the file cannot make us
 * allocate more than the file holds.
 */
export class DumpFile {
  readonly path: string;
  readonly size: bigint;
  /** `size` as a number (sources are at most 2^53 bytes). */
  readonly byteSize: number;
  /** The source has synchronous reads: the reader's fast path. */
  readonly canReadSync: boolean;
  private isClosed = false;
  /** Reads issued to the source and the bytes they returned (for the benchmark's reads-per-page figure). */
  reads = 0;
  bytesRead = 0;

  constructor(private readonly source: DumpSource) {
    if (!Number.isSafeInteger(source.size) || source.size < 0) {
      throw new DumpError('E_DUMP_ARGUMENT', `dump source ${source.name}: size ${String(source.size)} is not valid`);
    }
    this.path = source.name;
    this.byteSize = source.size;
    this.size = BigInt(source.size);
    this.canReadSync = typeof source.readSync === 'function';
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** True when [offset, offset+length) lies inside the file. */
  contains(offset: bigint, length: number | bigint): boolean {
    const len = BigInt(length);
    return offset >= 0n && len >= 0n && offset + len <= this.size;
  }

  /**
   * Reads exactly `length` bytes at `offset`; throws E_DUMP_TRUNCATED naming
   * `what` if they are not all in the file. `streaming` reads go through the
   * source's asynchronous read even where it has a synchronous one, so a
   * stream of chunks yields to the event loop between them.
   */
  async read(offset: bigint, length: number, what: string, streaming = false): Promise<Uint8Array> {
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
    if (streaming) await this.fillAsync(out, 0, length, toPosition(offset, what), what);
    else await this.readInto(out, offset, what);
    return out;
  }

  /** Fills `target` from `offset`; the caller has checked the range. */
  readInto(target: Uint8Array, offset: bigint, what: string): Promise<void> {
    return this.fill(target, 0, target.length, toPosition(offset, what), what);
  }

  /** Fills target[at, at+length) from `position`, synchronously where the source allows. */
  async fill(target: Uint8Array, at: number, length: number, position: number, what: string): Promise<void> {
    if (this.canReadSync && length <= SYNC_READ_LIMIT) this.fillSync(target, at, length, position, what);
    else await this.fillAsync(target, at, length, position, what);
  }

  /** Synchronous fill; only for sources with readSync (canReadSync). */
  fillSync(target: Uint8Array, at: number, length: number, position: number, what: string): void {
    this.checkOpen(what);
    const source = this.source;
    let done = 0;
    while (done < length) {
      let n: number;
      try {
        n = source.readSync!(target, at + done, length - done, position + done);
      } catch (e) {
        throw this.readError(e, position + done, what);
      }
      if (n <= 0) throw this.endError(position + done, what);
      done += n;
    }
    this.reads++;
    this.bytesRead += length;
  }

  async fillAsync(target: Uint8Array, at: number, length: number, position: number, what: string): Promise<void> {
    this.checkOpen(what);
    let done = 0;
    while (done < length) {
      let n: number;
      try {
        n = await this.source.read(target, at + done, length - done, position + done);
      } catch (e) {
        throw this.readError(e, position + done, what);
      }
      if (n <= 0) throw this.endError(position + done, what);
      done += n;
    }
    this.reads++;
    this.bytesRead += length;
  }

  private checkOpen(what: string): void {
    if (this.isClosed) throw new DumpError('E_DUMP_CLOSED', `${what}: the dump ${this.path} is closed`);
  }

  private readError(e: unknown, position: number, what: string): DumpError {
    if (e instanceof DumpError) return e;
    if (isEngineFailure(e)) throw e;
    return new DumpError(
      'E_DUMP_READ',
      `${what}: read failed at ${hex(position)}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }

  /** The file shrank under us: report it as truncation, never loop forever. */
  private endError(position: number, what: string): DumpError {
    return new DumpError('E_DUMP_TRUNCATED', `${what}: unexpected end of file at ${hex(position)}`, {
      offset: BigInt(position),
    });
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    await this.source.close?.();
  }
}
