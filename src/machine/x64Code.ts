import { UNWIND_INFO_VERSION, UnwindFlags, UnwindRegister, type UnwindCode, type UnwindInfo } from '../format/index.js';
import { MachineError } from './errors.js';

/**
 * Routine bodies the machine writes into images: real x64 instructions for a
 * prologue (optional parameter homing, pushes of non-volatile registers, one
 * stack allocation), an optional call, and the matching epilogue, together
 * with the UNWIND_INFO that describes exactly that prologue. A debugger that
 * disassembles a routine or unwinds through it finds the two agree.
 */

export type NonVolatileRegister = 'rbx' | 'rbp' | 'rsi' | 'rdi' | 'r12' | 'r13' | 'r14' | 'r15';
export const NON_VOLATILE_REGISTERS: readonly NonVolatileRegister[] = [
  'rbx',
  'rbp',
  'rsi',
  'rdi',
  'r12',
  'r13',
  'r14',
  'r15',
];

/** How a routine sets up its frame. */
export interface FrameSpec {
  /** `mov [rsp+8..20h], rcx/rdx/r8/r9` first (parameter homing into the caller's home space). */
  homeParameters?: boolean;
  /** Non-volatile registers pushed, in push order. */
  pushes: readonly NonVolatileRegister[];
  /** `sub rsp, alloc` after the pushes: a multiple of 8 that keeps rsp 16-byte aligned at calls. */
  alloc: number;
  /** Distinct routines it may call (room is reserved for that many call instructions); default 2. */
  callSites?: number;
}

/** The frame every routine gets unless it asks for another: push rbx / sub rsp,30h (room for 5 outgoing arguments). */
export const STANDARD_FRAME: FrameSpec = Object.freeze({ pushes: Object.freeze(['rbx'] as const), alloc: 0x30 });

export interface RoutineBody {
  bytes: Uint8Array;
  unwind: UnwindInfo;
  /** Offset of the first instruction after the prologue. */
  prologSize: number;
  /** Per call target, in order: the offset just past its call instruction (the return address it pushes). */
  returnOffsets: number[];
  /** Bytes the prologue moves rsp down by (pushes and allocation), not counting the return address. */
  frameBytes: number;
}

const REGISTER_NUMBER: Record<NonVolatileRegister, number> = {
  rbx: UnwindRegister.RBX,
  rbp: UnwindRegister.RBP,
  rsi: UnwindRegister.RSI,
  rdi: UnwindRegister.RDI,
  r12: UnwindRegister.R12,
  r13: UnwindRegister.R13,
  r14: UnwindRegister.R14,
  r15: UnwindRegister.R15,
};

/** mov [rsp+8], rcx / mov [rsp+10h], rdx / mov [rsp+18h], r8 / mov [rsp+20h], r9 */
const HOME_PARAMETERS = Uint8Array.of(
  0x48,
  0x89,
  0x4c,
  0x24,
  0x08,
  0x48,
  0x89,
  0x54,
  0x24,
  0x10,
  0x4c,
  0x89,
  0x44,
  0x24,
  0x18,
  0x4c,
  0x89,
  0x4c,
  0x24,
  0x20,
);
const NOP5 = Uint8Array.of(0x0f, 0x1f, 0x44, 0x00, 0x00);
const RET = 0xc3;
const INT3 = 0xcc;

export function checkFrameSpec(spec: FrameSpec): void {
  const aligned = (8 + spec.pushes.length * 8 + spec.alloc) % 16 === 0;
  if (!Number.isInteger(spec.alloc) || spec.alloc < 8 || spec.alloc % 8 !== 0 || spec.alloc > 0x7fff8 || !aligned) {
    throw new MachineError(
      'E_MACHINE_ARGUMENT',
      `frame allocation ${spec.alloc} with ${spec.pushes.length} pushes does not keep rsp 16-byte aligned`,
      { alloc: spec.alloc },
    );
  }
  if (new Set(spec.pushes).size !== spec.pushes.length) {
    throw new MachineError('E_MACHINE_ARGUMENT', 'a register is pushed twice', { pushes: spec.pushes.join(',') });
  }
}

function pushBytes(r: NonVolatileRegister): number[] {
  const n = REGISTER_NUMBER[r];
  return n >= 8 ? [0x41, 0x50 + (n - 8)] : [0x50 + n];
}

function popBytes(r: NonVolatileRegister): number[] {
  const n = REGISTER_NUMBER[r];
  return n >= 8 ? [0x41, 0x58 + (n - 8)] : [0x58 + n];
}

/** sub rsp, n (0x83 /5 ib when n fits a signed byte, else 0x81 /5 id); add rsp, n likewise (/0). */
function rspArith(n: number, sub: boolean): number[] {
  const modrm = sub ? 0xec : 0xc4;
  if (n <= 0x7f) return [0x48, 0x83, modrm, n];
  return [0x48, 0x81, modrm, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
}

/**
 * The bytes and unwind data of one routine. Its body is the prologue, then
 * one `call rel32` per target in `calls.targets` (from `calls.at`, the
 * routine's own address; targets must be within ±2 GiB, as they always are
 * between kernel images) — or a 5-byte nop when there is none — then the
 * epilogue.
 */
export function buildRoutineBody(spec: FrameSpec, calls?: { at: bigint; targets: readonly bigint[] }): RoutineBody {
  checkFrameSpec(spec);
  const out: number[] = [];
  const codes: UnwindCode[] = [];
  if (spec.homeParameters) out.push(...HOME_PARAMETERS);
  for (const r of spec.pushes) {
    out.push(...pushBytes(r));
    codes.unshift({ op: 'push', offset: out.length, register: REGISTER_NUMBER[r] });
  }
  out.push(...rspArith(spec.alloc, true));
  codes.unshift({ op: 'alloc', offset: out.length, size: spec.alloc });
  const prologSize = out.length;
  const returnOffsets: number[] = [];
  for (const target of calls?.targets ?? []) {
    const after = calls!.at + BigInt(out.length + 5);
    const rel = target - after;
    if (rel < -0x8000_0000n || rel > 0x7fff_ffffn) {
      throw new MachineError('E_MACHINE_ARGUMENT', 'call target is out of rel32 range', { from: calls!.at, target });
    }
    const r = Number(BigInt.asUintN(32, rel));
    out.push(0xe8, r & 0xff, (r >> 8) & 0xff, (r >> 16) & 0xff, (r >>> 24) & 0xff);
    returnOffsets.push(out.length);
  }
  if (returnOffsets.length === 0) out.push(...NOP5);
  out.push(...rspArith(spec.alloc, false));
  for (const r of [...spec.pushes].reverse()) out.push(...popBytes(r));
  out.push(RET);
  return {
    bytes: Uint8Array.from(out),
    unwind: {
      version: UNWIND_INFO_VERSION,
      flags: UnwindFlags.UNW_FLAG_NHANDLER,
      sizeOfProlog: prologSize,
      frameRegister: 0,
      frameOffset: 0,
      codes,
    },
    prologSize,
    returnOffsets,
    frameBytes: spec.pushes.length * 8 + spec.alloc,
  };
}

/** Bytes a routine with this frame needs with all its call sites used, rounded up to 16 (at least 0x20). */
export function routineSlotSize(spec: FrameSpec): number {
  const targets = Array.from({ length: spec.callSites ?? 2 }, (_, i) => BigInt(0x100 + i));
  const body = buildRoutineBody(spec, { at: 0n, targets });
  return Math.max(0x20, Math.ceil(body.bytes.length / 16) * 16);
}

/** A body padded with int 3 to its slot. */
export function padRoutine(body: Uint8Array, slotSize: number): Uint8Array {
  const out = new Uint8Array(slotSize).fill(INT3);
  out.set(body.subarray(0, slotSize));
  return out;
}
