import * as fs from 'node:fs';
import { KbDumpIoType } from '../../format/index.js';
import type { DumpIoListener } from '../../kernel/crashDumpTarget.js';
import { DumpWriterError, DumpWriterErrorCode } from './errors.js';

export type DumpIoKind =
  | typeof KbDumpIoType.KbDumpIoHeader
  | typeof KbDumpIoType.KbDumpIoBody
  | typeof KbDumpIoType.KbDumpIoSecondaryData;

/**
 * The one door every byte of a dump goes through. Writes are positional and
 * synchronous (KeBugCheckEx cannot wait for a promise), never larger than
 * `chunkBytes`, and each one is reported to the DumpIo listener with its
 * file offset once it is on its way to disk. The reported buffer is only
 * valid during the call, as with KBUGCHECK_DUMP_IO.Buffer: the writer reuses it.
 */
export class DumpFileSink {
  private fd: number | undefined;
  private closed = false;
  private highWater = 0n;
  private written = 0n;
  private writes = 0;

  constructor(
    readonly path: string,
    readonly chunkBytes: number,
    private readonly listener: DumpIoListener,
  ) {
    if (!Number.isSafeInteger(chunkBytes) || chunkBytes <= 0) {
      throw new DumpWriterError(
        DumpWriterErrorCode.Settings,
        `ioChunkBytes must be a positive integer, got ${String(chunkBytes)}`,
        { ioChunkBytes: chunkBytes },
      );
    }
  }

  /** Creates (or truncates) the dump file. */
  open(): void {
    if (this.fd !== undefined || this.closed)
      throw new DumpWriterError(DumpWriterErrorCode.State, 'dump file sink opened twice', { path: this.path });
    try {
      this.fd = fs.openSync(this.path, 'w');
    } catch (err) {
      throw ioError('open', this.path, undefined, err);
    }
  }

  get isOpen(): boolean {
    return this.fd !== undefined;
  }

  /** One past the highest byte written so far: the file size. */
  get end(): bigint {
    return this.highWater;
  }

  get bytesWritten(): bigint {
    return this.written;
  }

  get writeCount(): number {
    return this.writes;
  }

  /** Writes `data` at `offset`, split into chunks of at most `chunkBytes`, reporting each chunk. */
  write(type: DumpIoKind, offset: bigint, data: Uint8Array): void {
    const fd = this.requireOpen();
    if (offset < 0n) throw new DumpWriterError(DumpWriterErrorCode.State, `negative file offset ${offset}`, { offset });
    // Zero-length writes are not writes: nothing is reported for them.
    for (let done = 0; done < data.length; ) {
      const piece =
        done === 0 && data.length <= this.chunkBytes
          ? data
          : data.subarray(done, Math.min(data.length, done + this.chunkBytes));
      const at = offset + BigInt(done);
      writeFully(fd, piece, at, this.path);
      this.written += BigInt(piece.length);
      this.writes++;
      const pieceEnd = at + BigInt(piece.length);
      if (pieceEnd > this.highWater) this.highWater = pieceEnd;
      this.listener(type, at, piece);
      done += piece.length;
    }
  }

  /** Flushes to stable storage (a crash dump is only useful if it survives the reboot). */
  sync(): void {
    const fd = this.requireOpen();
    try {
      fs.fsyncSync(fd);
    } catch (err) {
      throw ioError('sync', this.path, undefined, err);
    }
  }

  /** Closes the file; safe to call more than once. */
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
      throw ioError('close', this.path, undefined, err);
    }
  }

  /** KbDumpIoComplete: no buffer, no offset. Only after the file is closed. */
  reportComplete(): void {
    this.listener(KbDumpIoType.KbDumpIoComplete, -1n, null);
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

function writeFully(fd: number, piece: Uint8Array, offset: bigint, path: string): void {
  let done = 0;
  while (done < piece.length) {
    let n: number;
    const position = Number(offset) + done;
    try {
      n = fs.writeSync(fd, piece, done, piece.length - done, position);
    } catch (err) {
      throw ioError('write', path, BigInt(position), err);
    }
    if (n <= 0) throw ioError('write', path, BigInt(position), new Error('no progress'));
    done += n;
  }
}

function ioError(operation: string, path: string, offset: bigint | undefined, cause: unknown): DumpWriterError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new DumpWriterError(
    DumpWriterErrorCode.Io,
    `cannot ${operation} dump file ${path}${offset === undefined ? '' : ` at offset 0x${offset.toString(16)}`}: ${message}`,
    {
      path,
      operation,
      ...(offset === undefined ? {} : { offset }),
      ...(code === undefined ? {} : { errno: code }),
    },
  );
}
