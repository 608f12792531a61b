/**
 * Builds a kernel structure in a byte buffer before one write to simulated
 * memory: scalar fields, pointers and list heads, addressed by their offset
 * in the structure. `base` is the structure's virtual address, so list heads
 * can point at themselves.
 */
export class BlockWriter {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(
    readonly base: bigint,
    size: number,
  ) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  u8(offset: number, value: number): this {
    this.view.setUint8(offset, value & 0xff);
    return this;
  }

  u16(offset: number, value: number): this {
    this.view.setUint16(offset, value & 0xffff, true);
    return this;
  }

  u32(offset: number, value: number): this {
    this.view.setUint32(offset, value >>> 0, true);
    return this;
  }

  u64(offset: number, value: bigint): this {
    this.view.setBigUint64(offset, BigInt.asUintN(64, value), true);
    return this;
  }

  /** An empty LIST_ENTRY: Flink = Blink = its own address. */
  listHead(offset: number): this {
    const self = this.base + BigInt(offset);
    return this.u64(offset, self).u64(offset + 8, self);
  }

  /** `count` empty LIST_ENTRYs every `stride` bytes from `offset`. */
  listHeads(offset: number, count: number, stride = 16): this {
    for (let i = 0; i < count; i++) this.listHead(offset + i * stride);
    return this;
  }

  link(offset: number, flink: bigint, blink: bigint): this {
    return this.u64(offset, flink).u64(offset + 8, blink);
  }

  /** A DISPATCHER_HEADER: Type, Size (in 4-byte units… as the object's own convention), empty WaitListHead. */
  dispatcherHeader(offset: number, type: number, size: number, signalState = 0): this {
    this.u8(offset, type)
      .u8(offset + 2, size)
      .u32(offset + 4, signalState);
    return this.listHead(offset + 8);
  }

  ascii(offset: number, text: string): this {
    this.bytes.set(Buffer.from(text, 'latin1'), offset);
    return this;
  }

  set(offset: number, data: Uint8Array): this {
    this.bytes.set(data, offset);
    return this;
  }

  at(offset: number): bigint {
    return this.base + BigInt(offset);
  }
}
