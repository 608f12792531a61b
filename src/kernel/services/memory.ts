/**
 * Reading and writing the memory C code hands a service: the calling
 * driver's window directly when its pages allow it, the machine (translated,
 * guarded, faulting) otherwise. Also memcpy, memmove, memset, memcmp,
 * strlen, wcslen and RtlCompareMemory.
 */
import type { CServiceContext } from './context.js';
import { ret64, u64 } from './context.js';
import type { FormatMemory } from './format.js';

const CHUNK = 0x10000;
/** Longest string a service reads before it gives up looking for the NUL. */
export const MAX_STRING = 0x100000;

export function readBytes(ctx: CServiceContext, va: bigint, length: number): Uint8Array {
  if (length === 0) return new Uint8Array(0);
  const direct = ctx.window.direct(va, length, false);
  if (direct) return direct.slice();
  const out = new Uint8Array(length);
  for (let done = 0; done < length; done += CHUNK)
    out.set(ctx.machine.readVirtual(va + BigInt(done), Math.min(CHUNK, length - done)), done);
  return out;
}

export function writeBytes(ctx: CServiceContext, va: bigint, bytes: Uint8Array): void {
  if (bytes.length === 0) return;
  const direct = ctx.window.direct(va, bytes.length, true);
  if (direct) {
    direct.set(bytes);
    ctx.machine.physical.noteDirectWrite();
    return;
  }
  for (let done = 0; done < bytes.length; done += CHUNK)
    ctx.machine.writeVirtual(va + BigInt(done), bytes.subarray(done, Math.min(bytes.length, done + CHUNK)));
}

export function writeU64(ctx: CServiceContext, va: bigint, value: bigint): void {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
  writeBytes(ctx, va, b);
}

export function writeU32(ctx: CServiceContext, va: bigint, value: number): void {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, value >>> 0, true);
  writeBytes(ctx, va, b);
}

export function readU64(ctx: CServiceContext, va: bigint): bigint {
  const b = readBytes(ctx, va, 8);
  return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
}

/**
 * Length in units (1 or 2 bytes) of the NUL-terminated string at `va`,
 * looking at most `max` units; null if no NUL within them. Reads page by
 * page, so a string that ends before an unmapped page is fine.
 */
export function stringLength(ctx: CServiceContext, va: bigint, unit: 1 | 2, max = MAX_STRING): number | null {
  let length = 0;
  let cursor = va;
  while (length < max) {
    const inPage = 0x1000 - Number(cursor & 0xfffn);
    const take = Math.min(Math.floor(inPage / unit) || 1, max - length);
    const bytes = readBytes(ctx, cursor, take * unit);
    for (let i = 0; i < take; i++) {
      const value = unit === 1 ? bytes[i]! : bytes[i * 2]! | (bytes[i * 2 + 1]! << 8);
      if (value === 0) return length + i;
    }
    length += take;
    cursor += BigInt(take * unit);
  }
  return null;
}

export function readAnsi(ctx: CServiceContext, va: bigint, max = MAX_STRING): string {
  const length = stringLength(ctx, va, 1, max) ?? max;
  return Buffer.from(readBytes(ctx, va, length)).toString('latin1');
}

export function readWide(ctx: CServiceContext, va: bigint, max = MAX_STRING): string {
  const length = stringLength(ctx, va, 2, max) ?? max;
  return Buffer.from(readBytes(ctx, va, length * 2)).toString('utf16le');
}

export function ansiBytes(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}

export function wideBytes(text: string): Uint8Array {
  return Buffer.from(text, 'utf16le');
}

/** FormatMemory over the driver's view of memory. */
export function formatMemory(ctx: CServiceContext): FormatMemory {
  return {
    ansiString: (va) => readAnsi(ctx, va, 0x10000),
    wideString: (va) => readWide(ctx, va, 0x8000),
    countedString: (va, wide) => {
      const head = readBytes(ctx, va, 16);
      const dv = new DataView(head.buffer, head.byteOffset, 16);
      const length = dv.getUint16(0, true);
      const buffer = dv.getBigUint64(8, true);
      if (buffer === 0n || length === 0) return '';
      const bytes = readBytes(ctx, buffer, length);
      return Buffer.from(bytes).toString(wide ? 'utf16le' : 'latin1');
    },
  };
}

function copy(ctx: CServiceContext, dest: bigint, src: bigint, length: number): void {
  if (length <= 0) return;
  const from = ctx.window.direct(src, length, false);
  const to = ctx.window.direct(dest, length, true);
  if (from && to) {
    to.set(from);
    ctx.machine.physical.noteDirectWrite();
    return;
  }
  writeBytes(ctx, dest, readBytes(ctx, src, length));
}

function size(value: unknown): number {
  const n = u64(value);
  if (n > 0x4000_0000n) throw new RangeError(`a length of ${n} bytes is beyond what the model copies (1 GiB)`);
  return Number(n);
}

export function memoryServices(ctx: CServiceContext): Record<string, (...args: never[]) => unknown> {
  return {
    memcpy: (dest: bigint, src: bigint, length: bigint): bigint => {
      copy(ctx, u64(dest), u64(src), size(length));
      return dest;
    },
    memmove: (dest: bigint, src: bigint, length: bigint): bigint => {
      copy(ctx, u64(dest), u64(src), size(length));
      return dest;
    },
    memset: (dest: bigint, fill: number, length: bigint): bigint => {
      const n = size(length);
      const to = ctx.window.direct(u64(dest), n, true);
      if (to) {
        to.fill(fill & 0xff);
        ctx.machine.physical.noteDirectWrite();
      } else writeBytes(ctx, u64(dest), new Uint8Array(n).fill(fill & 0xff));
      return dest;
    },
    memcmp: (a: bigint, b: bigint, length: bigint): number => {
      const n = size(length);
      const x = readBytes(ctx, u64(a), n);
      const y = readBytes(ctx, u64(b), n);
      for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
      return 0;
    },
    RtlCompareMemory: (a: bigint, b: bigint, length: bigint): bigint => {
      const n = size(length);
      const x = readBytes(ctx, u64(a), n);
      const y = readBytes(ctx, u64(b), n);
      let i = 0;
      while (i < n && x[i] === y[i]) i++;
      return ret64(BigInt(i));
    },
    strlen: (s: bigint): bigint => ret64(BigInt(stringLength(ctx, u64(s), 1) ?? MAX_STRING)),
    wcslen: (s: bigint): bigint => ret64(BigInt(stringLength(ctx, u64(s), 2) ?? MAX_STRING)),
  };
}
