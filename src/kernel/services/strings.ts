/**
 * ntstrsafe.h's RtlStringCb… and RtlStringCch… functions (Printf, VPrintf, Copy, CopyN,
 * Cat, Length; ANSI and wide). Results are always NUL-terminated; a result
 * that does not fit is truncated and returns STATUS_BUFFER_OVERFLOW; a
 * destination of size 0 or above NTSTRSAFE_MAX_CCH is STATUS_INVALID_PARAMETER.
 * Any IRQL (the strings must be resident at DISPATCH_LEVEL and above, which
 * the guard checks as for any access).
 */
import {
  type CServiceContext,
  STATUS_BUFFER_OVERFLOW,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
  u64,
} from './context.js';
import { formatMessage, WasmVaList } from './format.js';
import {
  ansiBytes,
  formatMemory,
  readAnsi,
  readBytes,
  readWide,
  stringLength,
  wideBytes,
  writeBytes,
  writeU64,
} from './memory.js';

const NTSTRSAFE_MAX_CCH = 2147483647;

interface Kind {
  unit: 1 | 2;
  read(ctx: CServiceContext, va: bigint, max: number): string;
  encode(text: string): Uint8Array;
}

const ANSI: Kind = { unit: 1, read: readAnsi, encode: ansiBytes };
const WIDE: Kind = { unit: 2, read: readWide, encode: wideBytes };

/** Capacity in characters from a Cb (bytes) or Cch (characters) argument; null when invalid. */
function capacity(kind: Kind, value: bigint, bytes: boolean): number | null {
  const n = bytes ? value / BigInt(kind.unit) : value;
  if (n === 0n || n > BigInt(NTSTRSAFE_MAX_CCH)) return null;
  return Number(n);
}

/** Writes `text` (truncated to cch - 1 characters) plus NUL; returns the NTSTATUS. */
function store(ctx: CServiceContext, kind: Kind, dest: bigint, cch: number, text: string): number {
  const fits = text.length <= cch - 1;
  const body = fits ? text : text.slice(0, cch - 1);
  const bytes = kind.encode(`${body}\0`);
  writeBytes(ctx, dest, bytes);
  return fits ? STATUS_SUCCESS : STATUS_BUFFER_OVERFLOW;
}

function printf(ctx: CServiceContext, kind: Kind, bytes: boolean) {
  return (dest: bigint, size: bigint, format: bigint, va: bigint): number => {
    const cch = capacity(kind, u64(size), bytes);
    if (cch === null || u64(dest) === 0n) return STATUS_INVALID_PARAMETER;
    if (u64(format) === 0n) {
      store(ctx, kind, u64(dest), cch, '');
      return STATUS_INVALID_PARAMETER;
    }
    const text = formatMessage(
      kind.read(ctx, u64(format), NTSTRSAFE_MAX_CCH),
      new WasmVaList((a, n) => readBytes(ctx, a, n), u64(va)),
      formatMemory(ctx),
      kind.unit === 2,
    );
    return store(ctx, kind, u64(dest), cch, text);
  };
}

function copyN(ctx: CServiceContext, kind: Kind, bytes: boolean, limited: boolean) {
  return (dest: bigint, size: bigint, src: bigint, toCopy: bigint = 0n): number => {
    const cch = capacity(kind, u64(size), bytes);
    if (cch === null || u64(dest) === 0n) return STATUS_INVALID_PARAMETER;
    const wanted = bytes ? u64(toCopy) / BigInt(kind.unit) : u64(toCopy);
    const max = limited && wanted < BigInt(cch) ? Number(wanted) : cch;
    const text = u64(src) === 0n ? '' : kind.read(ctx, u64(src), max);
    return store(ctx, kind, u64(dest), cch, text.slice(0, max));
  };
}

function cat(ctx: CServiceContext, kind: Kind, bytes: boolean) {
  return (dest: bigint, size: bigint, src: bigint): number => {
    const cch = capacity(kind, u64(size), bytes);
    if (cch === null || u64(dest) === 0n) return STATUS_INVALID_PARAMETER;
    const used = stringLength(ctx, u64(dest), kind.unit, cch);
    if (used === null) return STATUS_INVALID_PARAMETER;
    const text = u64(src) === 0n ? '' : kind.read(ctx, u64(src), cch);
    return store(ctx, kind, u64(dest) + BigInt(used * kind.unit), cch - used, text);
  };
}

function length(ctx: CServiceContext, kind: Kind, bytes: boolean) {
  return (s: bigint, max: bigint, out: bigint): number => {
    const cch = capacity(kind, u64(max), bytes);
    if (cch === null || u64(s) === 0n) {
      if (u64(out) !== 0n) writeU64(ctx, u64(out), 0n);
      return STATUS_INVALID_PARAMETER;
    }
    const n = stringLength(ctx, u64(s), kind.unit, cch);
    if (u64(out) !== 0n) writeU64(ctx, u64(out), n === null ? 0n : BigInt(bytes ? n * kind.unit : n));
    return n === null ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
  };
}

export function stringServices(ctx: CServiceContext): Record<string, (...args: never[]) => unknown> {
  return {
    RtlStringCbPrintfA: printf(ctx, ANSI, true),
    RtlStringCchPrintfA: printf(ctx, ANSI, false),
    RtlStringCbVPrintfA: printf(ctx, ANSI, true),
    RtlStringCchVPrintfA: printf(ctx, ANSI, false),
    RtlStringCbPrintfW: printf(ctx, WIDE, true),
    RtlStringCchPrintfW: printf(ctx, WIDE, false),
    RtlStringCbCopyA: copyN(ctx, ANSI, true, false),
    RtlStringCchCopyA: copyN(ctx, ANSI, false, false),
    RtlStringCbCopyW: copyN(ctx, WIDE, true, false),
    RtlStringCchCopyW: copyN(ctx, WIDE, false, false),
    RtlStringCbCopyNA: copyN(ctx, ANSI, true, true),
    RtlStringCchCopyNA: copyN(ctx, ANSI, false, true),
    RtlStringCbCatA: cat(ctx, ANSI, true),
    RtlStringCchCatA: cat(ctx, ANSI, false),
    RtlStringCbCatW: cat(ctx, WIDE, true),
    RtlStringCchCatW: cat(ctx, WIDE, false),
    RtlStringCbLengthA: length(ctx, ANSI, true),
    RtlStringCchLengthA: length(ctx, ANSI, false),
    RtlStringCbLengthW: length(ctx, WIDE, true),
    RtlStringCchLengthW: length(ctx, WIDE, false),
  };
}
