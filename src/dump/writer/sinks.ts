import * as fs from 'node:fs';
import { DumpWriterError, DumpWriterErrorCode } from './errors.js';

/**
 * Where the bytes of a dump go. The writer calls `open` once, then positional
 * writes (never overlapping, mostly ascending), `sync` once the dump is
 * complete, and `close` (also after a failure; it must be safe to call
 * twice). Every method is synchronous: KeBugCheckEx cannot wait for a promise.
 * A sink reports failures as DumpWriterError E_DUMP_WRITE_IO.
 */
export interface DumpSink {
  /** Names the destination in errors and in the summary (a file path, `memory`). */
  readonly label: string;
  open(): void;
  /** Writes all of `data` at `offset`. `data` is only valid during the call. */
  write(offset: number, data: Uint8Array): void;
  /** Writes `pieces` back to back from `offset` (one system call where the sink can). */
  writev(offset: number, pieces: readonly Uint8Array[]): void;
  /** Makes what was written durable. */
  sync(): void;
  close(): void;
}

/** Creates the sink of one dump from the dump settings' path. */
export type DumpSinkFactory = (path: string) => DumpSink;

/** A file, created or truncated by `open`; `sync` is fdatasync (the data and the size, as `dd conv=fdatasync`). */
export class FileDumpSink implements DumpSink {
  private fd: number | undefined;
  private closed = false;

  constructor(readonly path: string) {}

  get label(): string {
    return this.path;
  }

  open(): void {
    if (this.fd !== undefined || this.closed)
      throw new DumpWriterError(DumpWriterErrorCode.State, 'dump file sink opened twice', { path: this.path });
    try {
      this.fd = fs.openSync(this.path, 'w');
    } catch (err) {
      throw sinkError('open', this.path, undefined, err);
    }
  }

  write(offset: number, data: Uint8Array): void {
    const fd = this.requireOpen();
    let done = 0;
    while (done < data.length) {
      let n: number;
      try {
        n = fs.writeSync(fd, data, done, data.length - done, offset + done);
      } catch (err) {
        throw sinkError('write', this.path, offset + done, err);
      }
      if (n <= 0) throw sinkError('write', this.path, offset + done, new Error('no progress'));
      done += n;
    }
  }

  writev(offset: number, pieces: readonly Uint8Array[]): void {
    const fd = this.requireOpen();
    let total = 0;
    for (const piece of pieces) total += piece.length;
    let n: number;
    try {
      n = fs.writevSync(fd, pieces as Uint8Array[], offset);
    } catch (err) {
      throw sinkError('write', this.path, offset, err);
    }
    if (n === total) return;
    // A short vectored write (a full disk, a signal): finish piece by piece, so the error names the offset.
    let at = 0;
    for (const piece of pieces) {
      const end = at + piece.length;
      if (end > n) {
        const skip = Math.max(0, n - at);
        this.write(offset + at + skip, piece.subarray(skip));
      }
      at = end;
    }
  }

  sync(): void {
    const fd = this.requireOpen();
    try {
      fs.fdatasyncSync(fd);
    } catch (err) {
      throw sinkError('sync', this.path, undefined, err);
    }
  }

  close(): void {
    if (this.fd === undefined) {
      this.closed = true;
      return;
    }
    const fd = this.fd;
    this.fd = undefined;
    this.closed = true;
    try {
      fs.closeSync(fd);
    } catch (err) {
      throw sinkError('close', this.path, undefined, err);
    }
  }

  private requireOpen(): number {
    if (this.fd === undefined) {
      throw new DumpWriterError(
        DumpWriterErrorCode.State,
        this.closed ? 'dump file is already closed' : 'dump file is not open',
        { path: this.path },
      );
    }
    return this.fd;
  }
}

/** Bytes per piece of a MemoryDumpSink: a dump of any size is held without one huge allocation. */
const MEMORY_PIECE_BYTES = 0x100000;

/**
 * A dump held in memory, in 1 MiB pieces (for tests, tools and hosts without
 * a file system). `size` is one past the highest byte written; bytes never
 * written read as zeros. `bytes()` joins everything into one array (below
 * 2 GiB); `read` copies a range out.
 */
export class MemoryDumpSink implements DumpSink {
  readonly label: string;
  private readonly pieces: (Uint8Array | undefined)[] = [];
  private length = 0;
  private state: 'new' | 'open' | 'closed' = 'new';
  /** How many times `sync` was called (a complete dump syncs once). */
  syncs = 0;

  constructor(label = 'memory') {
    this.label = label;
  }

  get size(): number {
    return this.length;
  }

  get isClosed(): boolean {
    return this.state === 'closed';
  }

  open(): void {
    if (this.state !== 'new')
      throw new DumpWriterError(DumpWriterErrorCode.State, 'dump sink opened twice', { path: this.label });
    this.state = 'open';
  }

  write(offset: number, data: Uint8Array): void {
    this.requireOpen();
    let done = 0;
    while (done < data.length) {
      const at = offset + done;
      const index = Math.floor(at / MEMORY_PIECE_BYTES);
      const within = at - index * MEMORY_PIECE_BYTES;
      const n = Math.min(data.length - done, MEMORY_PIECE_BYTES - within);
      let piece = this.pieces[index];
      if (piece === undefined) {
        piece = new Uint8Array(MEMORY_PIECE_BYTES);
        this.pieces[index] = piece;
      }
      piece.set(data.subarray(done, done + n), within);
      done += n;
    }
    this.length = Math.max(this.length, offset + data.length);
  }

  writev(offset: number, pieces: readonly Uint8Array[]): void {
    let at = offset;
    for (const piece of pieces) {
      this.write(at, piece);
      at += piece.length;
    }
  }

  sync(): void {
    this.requireOpen();
    this.syncs++;
  }

  close(): void {
    this.state = 'closed';
  }

  /** A copy of `length` bytes from `offset` (clipped to the size). */
  read(offset: number, length: number): Uint8Array {
    const end = Math.min(this.length, offset + length);
    const out = new Uint8Array(Math.max(0, end - offset));
    for (let at = offset; at < end; ) {
      const index = Math.floor(at / MEMORY_PIECE_BYTES);
      const within = at - index * MEMORY_PIECE_BYTES;
      const n = Math.min(end - at, MEMORY_PIECE_BYTES - within);
      const piece = this.pieces[index];
      if (piece !== undefined) out.set(piece.subarray(within, within + n), at - offset);
      at += n;
    }
    return out;
  }

  /** Everything written, as one array. */
  bytes(): Uint8Array {
    return this.read(0, this.length);
  }

  private requireOpen(): void {
    if (this.state !== 'open') {
      throw new DumpWriterError(
        DumpWriterErrorCode.State,
        this.state === 'closed' ? 'dump sink is already closed' : 'dump sink is not open',
        { path: this.label },
      );
    }
  }
}

/** The default: a file at the dump settings' path. */
export const fileDumpSink: DumpSinkFactory = (path) => new FileDumpSink(path);

export function sinkError(
  operation: string,
  path: string,
  offset: number | undefined,
  cause: unknown,
): DumpWriterError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new DumpWriterError(
    DumpWriterErrorCode.Io,
    `cannot ${operation} dump file ${path}${offset === undefined ? '' : ` at offset 0x${offset.toString(16)}`}: ${message}`,
    {
      path,
      operation,
      ...(offset === undefined ? {} : { offset: BigInt(offset) }),
      ...(code === undefined ? {} : { errno: code }),
    },
  );
}
