import { KbDumpIoType } from '../../format/index.js';
import type { DumpIoListener } from '../../kernel/crashDumpTarget.js';
import { DumpWriterError, DumpWriterErrorCode } from './errors.js';
import type { DumpSink } from './sinks.js';

export type DumpIoKind =
  | typeof KbDumpIoType.KbDumpIoHeader
  | typeof KbDumpIoType.KbDumpIoBody
  | typeof KbDumpIoType.KbDumpIoSecondaryData;

/**
 * The one door every byte of a dump goes through, to its sink. Writes are
 * positional and synchronous (KeBugCheckEx cannot wait for a promise), never
 * larger than `chunkBytes`, and each one is reported to the DumpIo listener
 * with its file offset once it is on its way to the sink. The reported
 * buffer is only valid during the call, as with KBUGCHECK_DUMP_IO.Buffer:
 * the writer reuses it. When nobody listens (`reporting` false) a write may
 * be gathered from several buffers (`writeGathered`), which nobody sees.
 */
export class DumpOutput {
  private highWater = 0;
  private written = 0;
  private writes = 0;

  constructor(
    private readonly sink: DumpSink,
    readonly chunkBytes: number,
    private readonly listener: DumpIoListener,
    /** False when the listener does nothing: writes then need not be contiguous buffers. */
    readonly reporting: boolean,
  ) {
    if (!Number.isSafeInteger(chunkBytes) || chunkBytes <= 0) {
      throw new DumpWriterError(
        DumpWriterErrorCode.Settings,
        `ioChunkBytes must be a positive integer, got ${String(chunkBytes)}`,
        { ioChunkBytes: chunkBytes },
      );
    }
  }

  get label(): string {
    return this.sink.label;
  }

  open(): void {
    this.sink.open();
  }

  /** One past the highest byte written so far: the file size. */
  get end(): bigint {
    return BigInt(this.highWater);
  }

  get bytesWritten(): bigint {
    return BigInt(this.written);
  }

  get writeCount(): number {
    return this.writes;
  }

  /** Writes `data` at `offset`, split into chunks of at most `chunkBytes`, reporting each chunk. */
  write(type: DumpIoKind, offset: number, data: Uint8Array): void {
    if (offset < 0) throw new DumpWriterError(DumpWriterErrorCode.State, `negative file offset ${offset}`, { offset });
    // Zero-length writes are not writes: nothing is reported for them.
    for (let done = 0; done < data.length; ) {
      const piece =
        done === 0 && data.length <= this.chunkBytes
          ? data
          : data.subarray(done, Math.min(data.length, done + this.chunkBytes));
      const at = offset + done;
      this.sink.write(at, piece);
      this.count(at, piece.length);
      if (this.reporting) this.listener(type, BigInt(at), piece);
      done += piece.length;
    }
  }

  /**
   * One write of `length` bytes (≤ chunkBytes) gathered from `pieces`, back to
   * back from `offset`: no copy on the way to the sink. Only when nobody
   * listens, since a DumpIo report is one contiguous buffer.
   */
  writeGathered(offset: number, pieces: readonly Uint8Array[], length: number): void {
    if (this.reporting || length > this.chunkBytes)
      throw new DumpWriterError(DumpWriterErrorCode.State, 'a gathered write must be unreported and fit one chunk', {
        offset,
        length,
      });
    if (length === 0) return;
    if (pieces.length === 1) this.sink.write(offset, pieces[0]!);
    else this.sink.writev(offset, pieces);
    this.count(offset, length);
  }

  sync(): void {
    this.sink.sync();
  }

  close(): void {
    this.sink.close();
  }

  /** KbDumpIoComplete: no buffer, no offset. Only after the sink is closed. */
  reportComplete(): void {
    this.listener(KbDumpIoType.KbDumpIoComplete, -1n, null);
  }

  private count(offset: number, length: number): void {
    this.written += length;
    this.writes++;
    if (offset + length > this.highWater) this.highWater = offset + length;
  }
}
