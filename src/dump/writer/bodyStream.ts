import type { DumpIoKind, DumpOutput } from './dumpOutput.js';

/** Largest buffer the writer ever holds for streaming, whatever ioChunkBytes says. */
export const MAX_STREAM_BUFFER = 4 * 1024 * 1024;

export type ProgressListener = (done: bigint, total: bigint) => void;

/** Zeros shared by every stream that gathers: never written to. */
let sharedZeros = new Uint8Array(0);
function zeros(length: number): Uint8Array {
  if (sharedZeros.length < length) sharedZeros = new Uint8Array(length);
  return sharedZeros.subarray(0, length);
}

/**
 * Sequential writer of the primary body, in writes of `limit` bytes
 * (min(ioChunkBytes, 4 MiB)) at fixed file offsets start, start + limit, …
 * whatever the pieces appended, so the DumpIo calls do not depend on how the
 * body was assembled.
 *
 * While a DumpIo listener is reporting, every piece is copied into one
 * reusable buffer when appended, and the buffer is written and reported when
 * full (a report is one contiguous buffer, and bytes are taken when appended,
 * before the listener — which may change memory — sees earlier writes).
 * When nobody listens, `appendView` keeps a reference instead and each write
 * is gathered straight from the pieces (the machine's page storage, shared
 * zeros): no copy at all. Memory stays at one buffer however large the body
 * is. Progress is reported after each write.
 */
export class BodyStream {
  private readonly limit: number;
  /** Reporting mode: the bytes of the current write. Gathering mode: small copied pieces (headers, the bitmap). */
  private readonly buffer: Uint8Array;
  private fill = 0;
  /** Gathering mode: the pieces of the current write, in order. */
  private readonly pieces: Uint8Array[] = [];
  /** Bytes of the current write so far (both modes). */
  private pending = 0;
  /** Gathering mode: where the copied pieces not yet in `pieces` start in `buffer`. */
  private copiedFrom = 0;
  private flushedTo: number;

  constructor(
    private readonly out: DumpOutput,
    private readonly type: DumpIoKind,
    readonly start: bigint,
    private readonly total: bigint,
    private readonly progress?: ProgressListener,
  ) {
    this.limit = Math.min(out.chunkBytes, MAX_STREAM_BUFFER);
    this.buffer = new Uint8Array(this.limit);
    this.flushedTo = Number(start);
  }

  /** File offset of the next byte appended. */
  get position(): bigint {
    return BigInt(this.flushedTo + this.pending);
  }

  /** Appends a copy of `data` (the caller may reuse it at once). */
  append(data: Uint8Array): void {
    let done = 0;
    while (done < data.length) {
      const n = Math.min(this.limit - this.pending, data.length - done);
      this.buffer.set(done === 0 && n === data.length ? data : data.subarray(done, done + n), this.fill);
      this.fill += n;
      this.pending += n;
      done += n;
      if (this.pending === this.limit) this.flush();
    }
  }

  /**
   * Appends `data` without copying it when nobody listens to the writes:
   * it must then stay unchanged until the body is flushed. Used for page
   * storage, which nothing changes while the dump is written.
   */
  appendView(data: Uint8Array): void {
    if (this.out.reporting) {
      this.append(data);
      return;
    }
    this.closeCopied();
    let done = 0;
    while (done < data.length) {
      const n = Math.min(this.limit - this.pending, data.length - done);
      this.pieces.push(done === 0 && n === data.length ? data : data.subarray(done, done + n));
      this.pending += n;
      done += n;
      if (this.pending === this.limit) this.flush();
    }
  }

  appendZeros(count: number | bigint): void {
    let left = Number(count);
    while (left > 0) {
      const n = Math.min(this.limit - this.pending, left);
      if (this.out.reporting) {
        this.buffer.fill(0, this.fill, this.fill + n);
        this.fill += n;
      } else {
        this.closeCopied();
        this.pieces.push(zeros(n));
      }
      this.pending += n;
      left -= n;
      if (this.pending === this.limit) this.flush();
    }
  }

  /** Pads with zeros up to the next multiple of `alignment` (file offset). */
  alignTo(alignment: number): void {
    const rem = Number(this.position % BigInt(alignment));
    if (rem !== 0) this.appendZeros(alignment - rem);
  }

  flush(): void {
    if (this.pending === 0) return;
    if (this.out.reporting) {
      this.out.write(this.type, this.flushedTo, this.buffer.subarray(0, this.fill));
    } else {
      this.closeCopied();
      this.out.writeGathered(this.flushedTo, this.pieces, this.pending);
      this.pieces.length = 0;
    }
    this.flushedTo += this.pending;
    this.pending = 0;
    this.fill = 0;
    this.copiedFrom = 0;
    this.progress?.(BigInt(this.flushedTo) - this.start, this.total);
  }

  /** Gathering mode: turns the bytes copied since the last piece into a piece of their own. */
  private closeCopied(): void {
    if (this.fill > this.copiedFrom) {
      this.pieces.push(this.buffer.subarray(this.copiedFrom, this.fill));
      this.copiedFrom = this.fill;
    }
  }
}
