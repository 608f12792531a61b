import type { DumpFileSink, DumpIoKind } from './dumpFileSink.js';

/** Largest buffer the writer ever holds for streaming, whatever ioChunkBytes says. */
export const MAX_STREAM_BUFFER = 4 * 1024 * 1024;

export type ProgressListener = (done: bigint, total: bigint) => void;

/**
 * Sequential writer over one reusable buffer: pieces are copied in and the
 * buffer goes to the sink whenever it is full, so memory stays at one
 * buffer however large the body is. Progress is reported after each flush.
 */
export class BodyStream {
  private readonly buffer: Uint8Array;
  private fill = 0;
  private flushedTo: bigint;

  constructor(
    private readonly sink: DumpFileSink,
    private readonly type: DumpIoKind,
    readonly start: bigint,
    private readonly total: bigint,
    private readonly progress?: ProgressListener,
  ) {
    this.buffer = new Uint8Array(Math.min(sink.chunkBytes, MAX_STREAM_BUFFER));
    this.flushedTo = start;
  }

  /** File offset of the next byte appended. */
  get position(): bigint {
    return this.flushedTo + BigInt(this.fill);
  }

  append(data: Uint8Array): void {
    if (data.length <= this.buffer.length - this.fill) {
      // The common case (a page into a partly filled buffer): no view allocated.
      this.buffer.set(data, this.fill);
      this.fill += data.length;
      if (this.fill === this.buffer.length) this.flush();
      return;
    }
    let done = 0;
    while (done < data.length) {
      const n = Math.min(this.buffer.length - this.fill, data.length - done);
      this.buffer.set(data.subarray(done, done + n), this.fill);
      this.fill += n;
      done += n;
      if (this.fill === this.buffer.length) this.flush();
    }
  }

  appendZeros(count: number | bigint): void {
    let left = BigInt(count);
    while (left > 0n) {
      const n = Math.min(
        this.buffer.length - this.fill,
        Number(left > BigInt(this.buffer.length) ? BigInt(this.buffer.length) : left),
      );
      this.buffer.fill(0, this.fill, this.fill + n);
      this.fill += n;
      left -= BigInt(n);
      if (this.fill === this.buffer.length) this.flush();
    }
  }

  /** Pads with zeros up to the next multiple of `alignment` (file offset). */
  alignTo(alignment: number): void {
    const rem = Number(this.position % BigInt(alignment));
    if (rem !== 0) this.appendZeros(alignment - rem);
  }

  flush(): void {
    if (this.fill === 0) return;
    this.sink.write(this.type, this.flushedTo, this.buffer.subarray(0, this.fill));
    this.flushedTo += BigInt(this.fill);
    this.fill = 0;
    this.progress?.(this.flushedTo - this.start, this.total);
  }
}
