import {
  DUMP_BLOB_FILE_HEADER,
  DUMP_BLOB_HEADER,
  DUMP_BLOB_SIGNATURE1,
  DUMP_BLOB_SIGNATURE2,
  KbDumpIoType,
} from '../../format/index.js';
import type { GuidString } from '../../format/guid.js';
import type { DumpOutput } from './dumpOutput.js';
import { DumpWriterError, DumpWriterErrorCode } from './errors.js';

/** NtBuildNumber style: 0xF0000000 marks a free build. */
export const BLOB_BUILD_NUMBER_FREE = 0xf000_0000;
const MAX_BLOB_DATA = 0xffff_ffff;
const ZEROS = new Uint8Array(8);

/**
 * The secondary data area that follows the primary body: a DUMP_BLOB_FILE_HEADER
 * ("DumpBlob"), then per block a DUMP_BLOB_HEADER, the data and PostPad zero
 * bytes so the next header is 8-aligned relative to the start of the area.
 * The file header is written with the first blob; a dump without secondary
 * data has no area at all. A blob that fits one chunk (with the file header
 * for the first one) goes out as one write; a larger one as header, data
 * (split by the sink) and padding.
 */
export class SecondaryDataArea {
  private cursor: number;
  private started = false;
  private count = 0;
  /** Reused for coalesced blobs; never larger than the sink's chunk size. The sink's listener may only use it during the call. */
  private buffer = new Uint8Array(0);

  constructor(
    private readonly sink: DumpOutput,
    readonly start: bigint,
    private readonly build: number,
  ) {
    this.cursor = Number(start);
  }

  get blobCount(): number {
    return this.count;
  }

  /** One past the last byte of the area (== start while empty). */
  get end(): bigint {
    return BigInt(this.cursor);
  }

  /** A view of exactly `length` bytes of the reusable buffer (grown in powers of two, capped at the chunk size). */
  private scratch(length: number): Uint8Array {
    if (this.buffer.length < length)
      this.buffer = new Uint8Array(Math.min(this.sink.chunkBytes, Math.max(0x1000, 2 ** Math.ceil(Math.log2(length)))));
    return this.buffer.subarray(0, length);
  }

  append(guid: GuidString, data: Uint8Array): void {
    if (data.length > MAX_BLOB_DATA) {
      throw new DumpWriterError(
        DumpWriterErrorCode.Limit,
        `secondary data block of ${data.length} bytes does not fit DUMP_BLOB_HEADER.DataSize`,
        { size: data.length, guid },
      );
    }
    const type = KbDumpIoType.KbDumpIoSecondaryData;
    // Encoded before anything is written, so a bad GUID leaves the file untouched.
    const postPad = (8 - (data.length % 8)) % 8;
    const header = DUMP_BLOB_HEADER.encode({
      HeaderSize: DUMP_BLOB_HEADER.size,
      Tag: guid,
      DataSize: data.length,
      PrePad: 0,
      PostPad: postPad,
    });
    const fileHeader = this.started
      ? undefined
      : DUMP_BLOB_FILE_HEADER.encode({
          Signature1: DUMP_BLOB_SIGNATURE1,
          Signature2: DUMP_BLOB_SIGNATURE2,
          HeaderSize: DUMP_BLOB_FILE_HEADER.size,
          BuildNumber: (BLOB_BUILD_NUMBER_FREE | this.build) >>> 0,
        });
    const total = (fileHeader?.length ?? 0) + header.length + data.length + postPad;
    if (total <= this.sink.chunkBytes) {
      // One write (one DumpIo report) for the whole blob: a block costs one system call, not three.
      const out = this.scratch(total);
      let at = 0;
      if (fileHeader) {
        out.set(fileHeader, at);
        at += fileHeader.length;
      }
      out.set(header, at);
      at += header.length;
      out.set(data, at);
      at += data.length;
      out.fill(0, at, total);
      this.sink.write(type, this.cursor, out);
      this.cursor += total;
      this.started = true;
    } else {
      if (fileHeader) {
        this.sink.write(type, this.cursor, fileHeader);
        this.cursor += fileHeader.length;
        this.started = true;
      }
      this.sink.write(type, this.cursor, header);
      this.cursor += header.length;
      this.sink.write(type, this.cursor, data);
      this.cursor += data.length;
      if (postPad > 0) {
        this.sink.write(type, this.cursor, ZEROS.subarray(0, postPad));
        this.cursor += postPad;
      }
    }
    this.count++;
  }
}
