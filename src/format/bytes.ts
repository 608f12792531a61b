import { FormatError } from './errors.js';

/**
 * Bounds-checked little-endian reads over a byte array, for variable-length
 * data (string pools, tables) that fixed layouts cannot describe. Every
 * failure names what was being read and where.
 */
export class ByteReader {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly what = 'buffer',
    readonly base = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private check(offset: number, size: number, field: string): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + size > this.bytes.length) {
      throw new FormatError(
        `${this.what}: ${field} at offset ${this.base + offset} runs past the end (${this.bytes.length} bytes)`,
        {
          structure: this.what,
          field,
          offset: this.base + offset,
        },
      );
    }
  }

  u8(offset: number, field = 'u8'): number {
    this.check(offset, 1, field);
    return this.view.getUint8(offset);
  }
  u16(offset: number, field = 'u16'): number {
    this.check(offset, 2, field);
    return this.view.getUint16(offset, true);
  }
  u32(offset: number, field = 'u32'): number {
    this.check(offset, 4, field);
    return this.view.getUint32(offset, true);
  }
  u64(offset: number, field = 'u64'): bigint {
    this.check(offset, 8, field);
    return this.view.getBigUint64(offset, true);
  }
  slice(offset: number, length: number, field = 'bytes'): Uint8Array {
    this.check(offset, length, field);
    return this.bytes.subarray(offset, offset + length);
  }
  utf16(offset: number, chars: number, field = 'string'): string {
    this.check(offset, chars * 2, field);
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + offset, chars * 2).toString('utf16le');
  }
}

/** Little-endian writes into a growable buffer, for building variable-length areas. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(x: number): this {
    this.ensure(1);
    this.view.setUint8(this.length, x);
    this.length += 1;
    return this;
  }
  u16(x: number): this {
    this.ensure(2);
    this.view.setUint16(this.length, x, true);
    this.length += 2;
    return this;
  }
  u32(x: number): this {
    this.ensure(4);
    this.view.setUint32(this.length, x >>> 0, true);
    this.length += 4;
    return this;
  }
  u64(x: bigint): this {
    this.ensure(8);
    this.view.setBigUint64(this.length, BigInt.asUintN(64, x), true);
    this.length += 8;
    return this;
  }
  raw(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  utf16(s: string): this {
    return this.raw(Buffer.from(s, 'utf16le'));
  }
  pad(alignment: number, fill = 0): this {
    while (this.length % alignment !== 0) this.u8(fill);
    return this;
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
