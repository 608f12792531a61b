import { FormatError } from './errors.js';
import { struct, u32, u8 } from './layout.js';

/**
 * x64 exception-handling data (the PE exception directory, `.pdata`):
 * RUNTIME_FUNCTION entries sorted by BeginAddress, each pointing at an
 * UNWIND_INFO that describes the function's prologue as UNWIND_CODEs, so an
 * unwinder can undo it at any instruction and find the return address.
 * Layouts and operation numbers as in Microsoft's "x64 exception handling".
 */

/** RUNTIME_FUNCTION (IMAGE_RUNTIME_FUNCTION_ENTRY), 12 bytes, all image-relative. EndAddress is exclusive. */
export const RUNTIME_FUNCTION = struct('RUNTIME_FUNCTION', {
  BeginAddress: u32,
  EndAddress: u32,
  UnwindInfoAddress: u32,
});
export type RuntimeFunction = ReturnType<typeof RUNTIME_FUNCTION.decode>;

/**
 * The fixed head of UNWIND_INFO (4 bytes); the UNWIND_CODE array follows,
 * padded to an even count, then (with UNW_FLAG_EHANDLER/UHANDLER) a handler
 * RVA or (UNW_FLAG_CHAININFO) a chained RUNTIME_FUNCTION.
 * `VersionAndFlags` packs Version:3 | Flags:5; `FrameRegisterAndOffset`
 * packs FrameRegister:4 | FrameOffset:4 (offset in 16-byte units).
 */
export const UNWIND_INFO = struct('UNWIND_INFO', {
  VersionAndFlags: u8,
  SizeOfProlog: u8,
  CountOfCodes: u8,
  FrameRegisterAndOffset: u8,
});
export type UnwindInfoHead = ReturnType<typeof UNWIND_INFO.decode>;

/** UNWIND_CODE (2 bytes): prologue offset of the end of the instruction, then UnwindOp:4 | OpInfo:4. */
export const UNWIND_CODE = struct('UNWIND_CODE', {
  CodeOffset: u8,
  UnwindOpAndInfo: u8,
});
export type UnwindCodeSlot = ReturnType<typeof UNWIND_CODE.decode>;

export const UNWIND_INFO_VERSION = 1;

export const UnwindFlags = {
  UNW_FLAG_NHANDLER: 0x0,
  UNW_FLAG_EHANDLER: 0x1,
  UNW_FLAG_UHANDLER: 0x2,
  UNW_FLAG_CHAININFO: 0x4,
} as const;

/** UNWIND_CODE operations. */
export const UnwindOp = {
  UWOP_PUSH_NONVOL: 0,
  UWOP_ALLOC_LARGE: 1,
  UWOP_ALLOC_SMALL: 2,
  UWOP_SET_FPREG: 3,
  UWOP_SAVE_NONVOL: 4,
  UWOP_SAVE_NONVOL_FAR: 5,
  /** Version 2 only: an epilog location (two slots). */
  UWOP_EPILOG: 6,
  /** Version 2 only: reserved (three slots). */
  UWOP_SPARE_CODE: 7,
  UWOP_SAVE_XMM128: 8,
  UWOP_SAVE_XMM128_FAR: 9,
  UWOP_PUSH_MACHFRAME: 10,
} as const;

/** x64 integer register numbers as UNWIND_CODE OpInfo and FrameRegister use them. */
export const UnwindRegister = {
  RAX: 0,
  RCX: 1,
  RDX: 2,
  RBX: 3,
  RSP: 4,
  RBP: 5,
  RSI: 6,
  RDI: 7,
  R8: 8,
  R9: 9,
  R10: 10,
  R11: 11,
  R12: 12,
  R13: 13,
  R14: 14,
  R15: 15,
} as const;

/** One unwind operation, decoded (a large allocation or a far save takes more than one slot). */
export type UnwindCode =
  | { op: 'push'; offset: number; register: number }
  | { op: 'alloc'; offset: number; size: number }
  | { op: 'setfp'; offset: number }
  | { op: 'save'; offset: number; register: number; stackOffset: number }
  | { op: 'savexmm'; offset: number; register: number; stackOffset: number }
  | { op: 'machframe'; offset: number; errorCode: boolean };

export interface UnwindInfo {
  version: number;
  flags: number;
  sizeOfProlog: number;
  frameRegister: number;
  /** In bytes (the field holds it in 16-byte units). */
  frameOffset: number;
  /** In the order they are stored: the last prologue instruction first. */
  codes: UnwindCode[];
  /** Handler RVA (EHANDLER/UHANDLER) or undefined. */
  handler?: number;
  /** The chained RUNTIME_FUNCTION (CHAININFO) or undefined. */
  chained?: RuntimeFunction;
}

function slots(code: UnwindCode): number {
  switch (code.op) {
    case 'push':
    case 'setfp':
    case 'machframe':
      return 1;
    case 'alloc':
      if (code.size <= 128) return 1;
      return code.size <= 0x7fff8 ? 2 : 3;
    case 'save':
    case 'savexmm': {
      const scale = code.op === 'save' ? 8 : 16;
      return code.stackOffset / scale <= 0xffff ? 2 : 3;
    }
  }
}

function bad(message: string, offset?: number): never {
  throw new FormatError(
    message,
    offset === undefined ? { structure: 'UNWIND_INFO' } : { structure: 'UNWIND_INFO', offset },
  );
}

/** Encodes an UNWIND_INFO with its code slots (padded to an even count) and optional handler or chain. */
export function encodeUnwindInfo(info: UnwindInfo): Uint8Array {
  const count = info.codes.reduce((n, c) => n + slots(c), 0);
  if (count > 255) bad(`UNWIND_INFO has ${count} code slots (at most 255)`);
  if (info.sizeOfProlog < 0 || info.sizeOfProlog > 255) bad(`SizeOfProlog ${info.sizeOfProlog} does not fit a byte`);
  if (info.frameOffset % 16 !== 0 || info.frameOffset < 0 || info.frameOffset > 240)
    bad(`FrameOffset ${info.frameOffset} is not a multiple of 16 in 0..240`);
  const padded = count + (count & 1);
  const tail = info.handler !== undefined ? 4 : info.chained !== undefined ? RUNTIME_FUNCTION.size : 0;
  const out = new Uint8Array(UNWIND_INFO.size + padded * 2 + tail);
  const v = new DataView(out.buffer);
  UNWIND_INFO.encodeInto(out, 0, {
    VersionAndFlags: (info.version & 7) | ((info.flags & 0x1f) << 3),
    SizeOfProlog: info.sizeOfProlog,
    CountOfCodes: count,
    FrameRegisterAndOffset: (info.frameRegister & 0xf) | ((info.frameOffset / 16) << 4),
  });
  let at = UNWIND_INFO.size;
  const slot = (offset: number, op: number, opInfo: number): void => {
    if (offset < 0 || offset > 255) bad(`unwind code offset ${offset} does not fit a byte`);
    out[at] = offset;
    out[at + 1] = (op & 0xf) | ((opInfo & 0xf) << 4);
    at += 2;
  };
  const extra16 = (n: number): void => {
    v.setUint16(at, n, true);
    at += 2;
  };
  const extra32 = (n: number): void => {
    v.setUint32(at, n >>> 0, true);
    at += 4;
  };
  for (const c of info.codes) {
    switch (c.op) {
      case 'push':
        slot(c.offset, UnwindOp.UWOP_PUSH_NONVOL, c.register);
        break;
      case 'setfp':
        slot(c.offset, UnwindOp.UWOP_SET_FPREG, 0);
        break;
      case 'machframe':
        slot(c.offset, UnwindOp.UWOP_PUSH_MACHFRAME, c.errorCode ? 1 : 0);
        break;
      case 'alloc':
        if (c.size % 8 !== 0 || c.size < 8) bad(`allocation of ${c.size} bytes is not a positive multiple of 8`);
        if (c.size <= 128) slot(c.offset, UnwindOp.UWOP_ALLOC_SMALL, c.size / 8 - 1);
        else if (c.size <= 0x7fff8) {
          slot(c.offset, UnwindOp.UWOP_ALLOC_LARGE, 0);
          extra16(c.size / 8);
        } else {
          slot(c.offset, UnwindOp.UWOP_ALLOC_LARGE, 1);
          extra32(c.size);
        }
        break;
      case 'save':
      case 'savexmm': {
        const scale = c.op === 'save' ? 8 : 16;
        if (c.stackOffset % scale !== 0) bad(`save offset ${c.stackOffset} is not a multiple of ${scale}`);
        const near = c.stackOffset / scale <= 0xffff;
        const op =
          c.op === 'save'
            ? near
              ? UnwindOp.UWOP_SAVE_NONVOL
              : UnwindOp.UWOP_SAVE_NONVOL_FAR
            : near
              ? UnwindOp.UWOP_SAVE_XMM128
              : UnwindOp.UWOP_SAVE_XMM128_FAR;
        slot(c.offset, op, c.register);
        if (near) extra16(c.stackOffset / scale);
        else extra32(c.stackOffset);
        break;
      }
    }
  }
  at = UNWIND_INFO.size + padded * 2;
  if (info.handler !== undefined) v.setUint32(at, info.handler >>> 0, true);
  else if (info.chained !== undefined) RUNTIME_FUNCTION.encodeInto(out, at, info.chained);
  return out;
}

/**
 * Decodes an UNWIND_INFO from `source` at `offset` (the bytes must include
 * the code array and any handler or chain). Throws FormatError on an unknown
 * operation or a code array that runs past the bytes given.
 */
export function decodeUnwindInfo(source: Uint8Array, offset = 0): UnwindInfo {
  const head = UNWIND_INFO.decode(source, offset);
  const version = head.VersionAndFlags & 7;
  const flags = head.VersionAndFlags >> 3;
  const count = head.CountOfCodes;
  const codesEnd = offset + UNWIND_INFO.size + count * 2;
  if (codesEnd > source.length) bad(`UNWIND_INFO at ${offset}: ${count} code slots run past the data`, offset);
  const v = new DataView(source.buffer, source.byteOffset, source.byteLength);
  const codes: UnwindCode[] = [];
  let i = 0;
  const at = (k: number): number => offset + UNWIND_INFO.size + k * 2;
  const need = (n: number): void => {
    if (i + n > count) bad(`UNWIND_INFO at ${offset}: code ${i} needs ${n} slots, only ${count - i} left`, offset);
  };
  while (i < count) {
    const codeOffset = source[at(i)]!;
    const byte = source[at(i) + 1]!;
    const op = byte & 0xf;
    const opInfo = byte >> 4;
    switch (op) {
      case UnwindOp.UWOP_PUSH_NONVOL:
        codes.push({ op: 'push', offset: codeOffset, register: opInfo });
        i += 1;
        break;
      case UnwindOp.UWOP_ALLOC_SMALL:
        codes.push({ op: 'alloc', offset: codeOffset, size: opInfo * 8 + 8 });
        i += 1;
        break;
      case UnwindOp.UWOP_ALLOC_LARGE:
        if (opInfo === 0) {
          need(2);
          codes.push({ op: 'alloc', offset: codeOffset, size: v.getUint16(at(i + 1), true) * 8 });
          i += 2;
        } else if (opInfo === 1) {
          need(3);
          codes.push({ op: 'alloc', offset: codeOffset, size: v.getUint32(at(i + 1), true) });
          i += 3;
        } else bad(`UNWIND_INFO at ${offset}: UWOP_ALLOC_LARGE with OpInfo ${opInfo}`, offset);
        break;
      case UnwindOp.UWOP_SET_FPREG:
        codes.push({ op: 'setfp', offset: codeOffset });
        i += 1;
        break;
      case UnwindOp.UWOP_SAVE_NONVOL:
      case UnwindOp.UWOP_SAVE_XMM128: {
        need(2);
        const scale = op === UnwindOp.UWOP_SAVE_NONVOL ? 8 : 16;
        const stackOffset = v.getUint16(at(i + 1), true) * scale;
        codes.push({
          op: op === UnwindOp.UWOP_SAVE_NONVOL ? 'save' : 'savexmm',
          offset: codeOffset,
          register: opInfo,
          stackOffset,
        });
        i += 2;
        break;
      }
      case UnwindOp.UWOP_SAVE_NONVOL_FAR:
      case UnwindOp.UWOP_SAVE_XMM128_FAR:
        need(3);
        codes.push({
          op: op === UnwindOp.UWOP_SAVE_NONVOL_FAR ? 'save' : 'savexmm',
          offset: codeOffset,
          register: opInfo,
          stackOffset: v.getUint32(at(i + 1), true),
        });
        i += 3;
        break;
      case UnwindOp.UWOP_PUSH_MACHFRAME:
        codes.push({ op: 'machframe', offset: codeOffset, errorCode: opInfo === 1 });
        i += 1;
        break;
      default:
        bad(`UNWIND_INFO at ${offset}: unknown unwind operation ${op}`, offset);
    }
  }
  const info: UnwindInfo = {
    version,
    flags,
    sizeOfProlog: head.SizeOfProlog,
    frameRegister: head.FrameRegisterAndOffset & 0xf,
    frameOffset: (head.FrameRegisterAndOffset >> 4) * 16,
    codes,
  };
  const tail = offset + UNWIND_INFO.size + (count + (count & 1)) * 2;
  if (flags & UnwindFlags.UNW_FLAG_CHAININFO) info.chained = RUNTIME_FUNCTION.decode(source, tail);
  else if (flags & (UnwindFlags.UNW_FLAG_EHANDLER | UnwindFlags.UNW_FLAG_UHANDLER)) {
    if (tail + 4 > source.length) bad(`UNWIND_INFO at ${offset}: handler RVA runs past the data`, offset);
    info.handler = v.getUint32(tail, true);
  }
  return info;
}

/** Bytes an UNWIND_INFO with `codeSlots` code slots occupies (without handler or chain). */
export function unwindInfoSize(codeSlots: number): number {
  return UNWIND_INFO.size + (codeSlots + (codeSlots & 1)) * 2;
}
