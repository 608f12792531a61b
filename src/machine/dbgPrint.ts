import type { VirtualMemory } from './virtualMemory.js';

/** Longest message DbgPrint passes on (bytes); longer ones are cut, as the kernel does. */
export const DBG_PRINT_MAX_MESSAGE = 512;

export interface DbgPrintVariables {
  /** KdPrintCircularBufferPtr: the variable holding the buffer's address. */
  bufferPointer: bigint;
  /** KdPrintBufferSize: ULONG size of the buffer. */
  bufferSize: bigint;
  /** KdPrintWritePointer: the variable holding where the next byte goes. */
  writePointer: bigint;
  /** KdPrintRolloverCount: ULONG count of wraps. */
  rolloverCount: bigint;
}

/**
 * The kernel's DbgPrint circular buffer: messages are appended as they are
 * (no prefix, no added newline) at KdPrintWritePointer; at the end of the
 * buffer writing wraps to its start and KdPrintRolloverCount goes up — the
 * variables `!dbgprint` reads through KDDEBUGGER_DATA64.
 */
export class DbgPrintBuffer {
  private cursor: bigint;
  private rollovers = 0;

  constructor(
    private readonly memory: VirtualMemory,
    private readonly vars: DbgPrintVariables,
    readonly buffer: bigint,
    readonly size: number,
  ) {
    this.cursor = buffer;
    this.writeU64(vars.bufferPointer, buffer);
    this.writeU32(vars.bufferSize, size);
    this.writeU64(vars.writePointer, buffer);
    this.writeU32(vars.rolloverCount, 0);
  }

  /** Appends one message (Latin-1 bytes of `text`, at most DBG_PRINT_MAX_MESSAGE); returns the bytes written. */
  print(text: string | Uint8Array): number {
    const raw = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
    let data = raw.subarray(0, DBG_PRINT_MAX_MESSAGE);
    const written = data.length;
    const end = this.buffer + BigInt(this.size);
    while (data.length > 0) {
      const room = Number(end - this.cursor);
      const piece = data.subarray(0, room);
      this.memory.writeUnguarded(this.cursor, piece);
      this.cursor += BigInt(piece.length);
      data = data.subarray(piece.length);
      if (this.cursor === end) {
        this.cursor = this.buffer;
        this.rollovers++;
      }
    }
    this.writeU64(this.vars.writePointer, this.cursor);
    this.writeU32(this.vars.rolloverCount, this.rollovers);
    return written;
  }

  /** The buffer's text in order, as `!dbgprint` shows it (oldest first). */
  text(): string {
    const all = Buffer.from(this.memory.readUnguarded(this.buffer, this.size));
    const at = Number(this.cursor - this.buffer);
    const ordered = this.rollovers > 0 ? Buffer.concat([all.subarray(at), all.subarray(0, at)]) : all.subarray(0, at);
    return ordered.toString('latin1').replace(/\0+/g, '');
  }

  private writeU64(va: bigint, v: bigint): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, v, true);
    this.memory.writeUnguarded(va, b);
  }

  private writeU32(va: bigint, v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    this.memory.writeUnguarded(va, b);
  }
}
