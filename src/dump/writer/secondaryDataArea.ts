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

/** Bytes of blobs gathered into one write when nobody listens to the writes (at most the sink's chunk size). */
const BATCH_BYTES = 0x100000;
const DATA_SIZE = DUMP_BLOB_HEADER.offsets.DataSize;
const POST_PAD = DUMP_BLOB_HEADER.offsets.PostPad;

function putUint32(out: Uint8Array, at: number, value: number): void {
  out[at] = value & 0xff;
  out[at + 1] = (value >>> 8) & 0xff;
  out[at + 2] = (value >>> 16) & 0xff;
  out[at + 3] = value >>> 24;
}

/**
 * The secondary data area that follows the primary body: a DUMP_BLOB_FILE_HEADER
 * ("DumpBlob"), then per block a DUMP_BLOB_HEADER, the data and PostPad zero
 * bytes so the next header is 8-aligned relative to the start of the area.
 * The file header is written with the first blob; a dump without secondary
 * data has no area at all.
 *
 * While DumpIo listens (`sink.reporting`), a blob that fits one chunk (with
 * the file header for the first one) goes out as one write, reported at once;
 * a larger one as header, data (split by the sink) and padding. While nobody
 * listens, blobs are laid out back to back in one buffer and written when it
 * is full, before a blob too large for it, and by `flush` (the session
 * flushes before it syncs): the same bytes at the same offsets, one system
 * call for many blobs instead of one each.
 */
export class SecondaryDataArea {
  private cursor: number;
  private started = false;
  private count = 0;
  /** Reused for coalesced blobs; never larger than the sink's chunk size. The sink's listener may only use it during the call. */
  private buffer = new Uint8Array(0);
  /** Blobs laid out but not written yet (only while nobody listens): `pendingLength` bytes from file offset `pendingStart`. */
  private pending = new Uint8Array(0);
  private pendingStart = 0;
  private pendingLength = 0;
  private readonly batchBytes: number;
  /** The last blob header encoded (its GUID checked), with DataSize and PostPad 0: most blocks repeat a tag. */
  private lastGuid: GuidString | undefined;
  private lastHeader: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly sink: DumpOutput,
    readonly start: bigint,
    private readonly build: number,
  ) {
    this.cursor = Number(start);
    this.batchBytes = sink.reporting ? 0 : Math.min(sink.chunkBytes, BATCH_BYTES);
  }

  get blobCount(): number {
    return this.count;
  }

  /** One past the last byte of the area (== start while empty), counting blobs not flushed yet. */
  get end(): bigint {
    return BigInt(this.cursor);
  }

  /** A view of exactly `length` bytes of the reusable buffer (grown in powers of two, capped at the chunk size). */
  private scratch(length: number): Uint8Array {
    if (this.buffer.length < length)
      this.buffer = new Uint8Array(Math.min(this.sink.chunkBytes, Math.max(0x1000, 2 ** Math.ceil(Math.log2(length)))));
    return this.buffer.subarray(0, length);
  }

  /** The blob header for `guid` with DataSize and PostPad zero (encoding checks the GUID: throws before any write). */
  private headerTemplate(guid: GuidString): Uint8Array {
    if (guid !== this.lastGuid) {
      this.lastHeader = DUMP_BLOB_HEADER.encode({
        HeaderSize: DUMP_BLOB_HEADER.size,
        Tag: guid,
        DataSize: 0,
        PrePad: 0,
        PostPad: 0,
      });
      this.lastGuid = guid;
    }
    return this.lastHeader;
  }

  /** Lays one blob out at `out[at…]`: the file header before the first, its header, data and zero padding. */
  private layOut(out: Uint8Array, at: number, template: Uint8Array, data: Uint8Array, postPad: number): number {
    if (!this.started) {
      out.set(this.fileHeader(), at);
      at += DUMP_BLOB_FILE_HEADER.size;
    }
    // The header (32 bytes) by hand too: TypedArray set and fill are builtin calls whose checks cost more than
    // copying a few bytes, and an empty block (most of them, with thousands of records) has nothing else.
    const headerLength = template.length;
    for (let i = 0; i < headerLength; i++) out[at + i] = template[i]!;
    // Little-endian by hand: a DataView per blob was most of what laying out an empty block allocated.
    putUint32(out, at + DATA_SIZE, data.length);
    putUint32(out, at + POST_PAD, postPad);
    at += headerLength;
    if (data.length <= 64) for (let i = 0; i < data.length; i++) out[at + i] = data[i]!;
    else out.set(data, at);
    at += data.length;
    for (let i = 0; i < postPad; i++) out[at + i] = 0;
    return at + postPad;
  }

  private fileHeader(): Uint8Array {
    return DUMP_BLOB_FILE_HEADER.encode({
      Signature1: DUMP_BLOB_SIGNATURE1,
      Signature2: DUMP_BLOB_SIGNATURE2,
      HeaderSize: DUMP_BLOB_FILE_HEADER.size,
      BuildNumber: (BLOB_BUILD_NUMBER_FREE | this.build) >>> 0,
    });
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
    const template = this.headerTemplate(guid);
    const postPad = (8 - (data.length % 8)) % 8;
    const total = (this.started ? 0 : DUMP_BLOB_FILE_HEADER.size) + template.length + data.length + postPad;
    if (total <= this.batchBytes) {
      // Nobody listens: gathered with the blobs before it, written later in one piece.
      if (this.pendingLength + total > this.batchBytes) this.flush();
      if (this.pendingLength === 0) this.pendingStart = this.cursor;
      const need = this.pendingLength + total;
      if (this.pending.length < need) {
        const grown = new Uint8Array(Math.min(this.batchBytes, Math.max(0x1000, 2 ** Math.ceil(Math.log2(need)))));
        grown.set(this.pending.subarray(0, this.pendingLength));
        this.pending = grown;
      }
      this.pendingLength = this.layOut(this.pending, this.pendingLength, template, data, postPad);
      this.cursor += total;
      this.started = true;
      this.count++;
      return;
    }
    // Written now: whatever was gathered goes first, so the file is written front to back.
    this.flush();
    if (total <= this.sink.chunkBytes) {
      // One write (one DumpIo report) for the whole blob: a block costs one system call, not three.
      const out = this.scratch(total);
      this.layOut(out, 0, template, data, postPad);
      this.sink.write(type, this.cursor, out);
      this.cursor += total;
      this.started = true;
    } else {
      if (!this.started) {
        this.sink.write(type, this.cursor, this.fileHeader());
        this.cursor += DUMP_BLOB_FILE_HEADER.size;
        this.started = true;
      }
      const header = template.slice();
      const view = new DataView(header.buffer);
      view.setUint32(DATA_SIZE, data.length, true);
      view.setUint32(POST_PAD, postPad, true);
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

  /** Writes the blobs gathered so far (nothing when none are waiting). */
  flush(): void {
    if (this.pendingLength === 0) return;
    const length = this.pendingLength;
    // Cleared first: a failed write is not retried by a later flush (the session is failed by then).
    this.pendingLength = 0;
    this.sink.write(KbDumpIoType.KbDumpIoSecondaryData, this.pendingStart, this.pending.subarray(0, length));
  }
}
