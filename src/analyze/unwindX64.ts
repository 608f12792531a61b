import { RUNTIME_FUNCTION, UNWIND_INFO, UnwindFlags, UnwindOp, UnwindRegister } from '../format/index.js';
import type { ModuleRange } from './modules.js';
import type { VirtualMemory } from './memory.js';
import { u16At, u32At } from './memory.js';
import type { ImageCatalog, RuntimeFunction } from './pe.js';

/**
 * One step of x64 virtual unwinding with the image's own unwind data, the
 * way RtlVirtualUnwind does it (PE format spec, "x64 exception handling"):
 * find the RUNTIME_FUNCTION of rip in the image's exception directory,
 * undo the prolog operations its UNWIND_INFO lists (only those already
 * executed when rip is still inside the prolog), follow chained unwind
 * info, then pop the return address — or, for a machine frame, take rip and
 * rsp from the interrupt frame. A function without a RUNTIME_FUNCTION is a
 * leaf: its return address is at [rsp]. When rip sits in an epilog
 * (`add rsp, n` / pops / `ret`), the epilog is emulated instead.
 */

/** Registers by x64 encoding: 0 rax, 1 rcx, 2 rdx, 3 rbx, 4 rsp, 5 rbp, 6 rsi, 7 rdi, 8–15 r8–r15. */
export type X64Registers = (bigint | undefined)[];

export interface X64State {
  rip: bigint;
  rsp: bigint;
  /** Known register values (undefined = unknown, e.g. after a scanned frame). */
  regs: X64Registers;
}

export type UnwindResult =
  | { ok: true; state: X64State; machineFrame: boolean }
  /** `no-data`: the image or its exception directory is not in the dump; the caller may scan instead. */
  | { ok: false; reason: 'no-module' | 'no-data' | 'unreadable' | 'bad-unwind-info' | 'unknown-register' };

const RSP = UnwindRegister.RSP;
const { UNW_FLAG_CHAININFO } = UnwindFlags;
/** Chained unwind info deeper than this is corrupt (real images chain once or twice). */
const MAX_CHAIN = 32;

const {
  UWOP_PUSH_NONVOL,
  UWOP_ALLOC_LARGE,
  UWOP_ALLOC_SMALL,
  UWOP_SET_FPREG,
  UWOP_SAVE_NONVOL,
  UWOP_SAVE_NONVOL_FAR,
  UWOP_EPILOG,
  UWOP_SPARE_CODE,
  UWOP_SAVE_XMM128,
  UWOP_SAVE_XMM128_FAR,
  UWOP_PUSH_MACHFRAME,
} = UnwindOp;

/** Slots (2-byte UNWIND_CODEs) an operation occupies. */
function slots(op: number, info: number): number {
  switch (op) {
    case UWOP_ALLOC_LARGE:
      return info === 0 ? 2 : 3;
    case UWOP_SAVE_NONVOL:
    case UWOP_SAVE_XMM128:
    case UWOP_EPILOG:
      return 2;
    case UWOP_SAVE_NONVOL_FAR:
    case UWOP_SAVE_XMM128_FAR:
    case UWOP_SPARE_CODE:
      return 3;
    default:
      return 1;
  }
}

interface UnwindInfo {
  flags: number;
  sizeOfProlog: number;
  codes: number[];
  frameRegister: number;
  frameOffset: number;
  chained?: RuntimeFunction;
}

async function readUnwindInfo(memory: VirtualMemory, base: bigint, rva: number): Promise<UnwindInfo | undefined> {
  const head = await memory.read(base + BigInt(rva), UNWIND_INFO.size);
  if (head === undefined) return undefined;
  const version = head[0]! & 0x7;
  if (version !== 1 && version !== 2) return undefined;
  const flags = head[0]! >> 3;
  const count = head[2]!;
  const frame = head[3]!;
  const codeBytes = ((count + 1) & ~1) * 2;
  const chainedBytes = flags & UNW_FLAG_CHAININFO ? RUNTIME_FUNCTION.size : 0;
  const body = await memory.read(base + BigInt(rva + UNWIND_INFO.size), codeBytes + chainedBytes);
  if (body === undefined) return undefined;
  const codes: number[] = [];
  for (let i = 0; i < count; i++) codes.push(u16At(body, i * 2));
  const out: UnwindInfo = {
    flags,
    sizeOfProlog: head[1]!,
    codes,
    frameRegister: frame & 0xf,
    frameOffset: frame >> 4,
  };
  if (chainedBytes > 0) {
    const f = RUNTIME_FUNCTION.decode(body, codeBytes);
    out.chained = { begin: f.BeginAddress, end: f.EndAddress, unwindData: f.UnwindInfoAddress };
  }
  return out;
}

/**
 * Recognises rip inside an epilog — optional `add rsp, imm`, then `pop`s,
 * then `ret` or a tail `jmp` — and emulates it. Returns undefined when the
 * bytes at rip are not an epilog (or not in the dump).
 */
async function emulateEpilog(memory: VirtualMemory, state: X64State): Promise<X64State | undefined> {
  const code = await memory.read(state.rip, 32);
  if (code === undefined) return undefined;
  let i = 0;
  let rsp = state.rsp;
  const regs = [...state.regs];
  // add rsp, imm8 / imm32
  if (code[0] === 0x48 && code[1] === 0x83 && code[2] === 0xc4) {
    rsp += BigInt(code[3]!);
    i = 4;
  } else if (code[0] === 0x48 && code[1] === 0x81 && code[2] === 0xc4) {
    rsp += BigInt(u32At(code, 3));
    i = 7;
  }
  const pops: number[] = [];
  for (;;) {
    const b = code[i];
    if (b !== undefined && b >= 0x58 && b <= 0x5f) {
      pops.push(b - 0x58);
      i += 1;
    } else if (b === 0x41 && code[i + 1] !== undefined && code[i + 1]! >= 0x58 && code[i + 1]! <= 0x5f) {
      pops.push(code[i + 1]! - 0x58 + 8);
      i += 2;
    } else break;
  }
  const end = code[i];
  const isRet = end === 0xc3 || end === 0xc2;
  const isJmp =
    end === 0xe9 ||
    end === 0xeb ||
    (end === 0xff && code[i + 1] === 0x25) ||
    (end === 0x48 && code[i + 1] === 0xff && code[i + 2] === 0x25);
  if (!isRet && !(isJmp && (i > 0 || pops.length > 0))) return undefined;
  for (const r of pops) {
    const v = await memory.readU64(rsp);
    if (v === undefined) return undefined;
    regs[r] = v;
    rsp += 8n;
  }
  const rip = await memory.readU64(rsp);
  if (rip === undefined) return undefined;
  rsp += 8n;
  regs[RSP] = rsp;
  return { rip, rsp, regs };
}

/** Unwinds one frame. Registers the unwind data restores become known; the others keep their values. */
export async function unwindX64Frame(catalog: ImageCatalog, state: X64State): Promise<UnwindResult> {
  const memory = catalog.memory;
  const module: ModuleRange | undefined = catalog.moduleAt(state.rip);
  if (module === undefined) return { ok: false, reason: 'no-module' };
  const rva = Number(state.rip - module.base);
  const found = await catalog.runtimeFunction(module, rva);
  if (found === 'no-data') return { ok: false, reason: 'no-data' };
  const regs = [...state.regs];
  let rsp = state.rsp;
  if (found === undefined) {
    // Leaf function: no prolog, the return address is on top of the stack.
    const rip = await memory.readU64(rsp);
    if (rip === undefined) return { ok: false, reason: 'unreadable' };
    regs[RSP] = rsp + 8n;
    return { ok: true, state: { rip, rsp: rsp + 8n, regs }, machineFrame: false };
  }
  const epilog = await emulateEpilog(memory, state);
  if (epilog !== undefined) return { ok: true, state: epilog, machineFrame: false };

  let fn: RuntimeFunction = found;
  let primary = true;
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    const info = await readUnwindInfo(memory, module.base, fn.unwindData);
    if (info === undefined) return { ok: false, reason: primary ? 'unreadable' : 'bad-unwind-info' };
    const offsetInFunction = primary ? rva - fn.begin : Number.MAX_SAFE_INTEGER;
    const executed = (codeOffset: number): boolean =>
      !primary || offsetInFunction >= info.sizeOfProlog || codeOffset <= offsetInFunction;
    // The frame base the SAVE_* offsets are relative to: the frame register, once the prolog has set it.
    let frame = rsp;
    if (info.frameRegister !== 0) {
      const setFp = info.codes.find((c) => ((c >> 8) & 0xf) === UWOP_SET_FPREG);
      if (setFp === undefined || executed(setFp & 0xff)) {
        const fpValue = regs[info.frameRegister];
        if (fpValue === undefined) return { ok: false, reason: 'unknown-register' };
        frame = fpValue - BigInt(info.frameOffset * 16);
      }
    }
    for (let i = 0; i < info.codes.length; ) {
      const code = info.codes[i]!;
      const op = (code >> 8) & 0xf;
      const opInfo = code >> 12;
      const size = slots(op, opInfo);
      const next = (k: number): number => info.codes[i + k] ?? 0;
      if (i + size > info.codes.length) return { ok: false, reason: 'bad-unwind-info' };
      if (!executed(code & 0xff)) {
        i += size;
        continue;
      }
      switch (op) {
        case UWOP_PUSH_NONVOL: {
          const v = await memory.readU64(rsp);
          if (v === undefined) return { ok: false, reason: 'unreadable' };
          regs[opInfo] = v;
          rsp += 8n;
          break;
        }
        case UWOP_ALLOC_LARGE:
          rsp += opInfo === 0 ? BigInt(next(1) * 8) : BigInt(next(1) + next(2) * 0x10000);
          break;
        case UWOP_ALLOC_SMALL:
          rsp += BigInt(opInfo * 8 + 8);
          break;
        case UWOP_SET_FPREG:
          rsp = frame;
          break;
        case UWOP_SAVE_NONVOL:
        case UWOP_SAVE_NONVOL_FAR: {
          const offset = op === UWOP_SAVE_NONVOL ? next(1) * 8 : next(1) + next(2) * 0x10000;
          const v = await memory.readU64(frame + BigInt(offset));
          if (v === undefined) return { ok: false, reason: 'unreadable' };
          regs[opInfo] = v;
          break;
        }
        case UWOP_PUSH_MACHFRAME: {
          // The processor pushed SS, RSP, EFLAGS, CS, RIP (and an error code when OpInfo is 1).
          const at = rsp + (opInfo === 1 ? 8n : 0n);
          const rip = await memory.readU64(at);
          const oldRsp = await memory.readU64(at + 24n);
          if (rip === undefined || oldRsp === undefined) return { ok: false, reason: 'unreadable' };
          regs[RSP] = oldRsp;
          return { ok: true, state: { rip, rsp: oldRsp, regs }, machineFrame: true };
        }
        default:
          // XMM saves and version-2 epilog descriptors change no integer register.
          break;
      }
      i += size;
    }
    if (info.chained === undefined || (info.flags & UNW_FLAG_CHAININFO) === 0) break;
    fn = info.chained;
    primary = false;
    if (depth === MAX_CHAIN - 1) return { ok: false, reason: 'bad-unwind-info' };
  }
  const rip = await memory.readU64(rsp);
  if (rip === undefined) return { ok: false, reason: 'unreadable' };
  rsp += 8n;
  regs[RSP] = rsp;
  return { ok: true, state: { rip, rsp, regs }, machineFrame: false };
}

/** The function a RUNTIME_FUNCTION belongs to: its own begin, or the begin of the entry its unwind info chains to. */
export async function functionStart(
  catalog: ImageCatalog,
  module: ModuleRange,
  rva: number,
): Promise<number | undefined> {
  const found = await catalog.runtimeFunction(module, rva);
  if (found === undefined || found === 'no-data') return undefined;
  let fn = found;
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    const info = await readUnwindInfo(catalog.memory, module.base, fn.unwindData);
    if (info?.chained === undefined) return fn.begin;
    fn = info.chained;
  }
  return fn.begin;
}

/** `call` forms that can end right before a return address: rel32, and FF /2 with each ModRM/SIB/displacement length. */
export function endsWithCall(before: Uint8Array): boolean {
  const n = before.length;
  // E8 rel32
  if (n >= 5 && before[n - 5] === 0xe8) return true;
  // FF /2 (optionally with a REX prefix): check every instruction length 2..7 ending at the return address.
  for (let len = 2; len <= 7 && len <= n; len++) {
    const at = n - len;
    let op = at;
    if (before[op]! >= 0x40 && before[op]! <= 0x4f) op += 1;
    if (before[op] !== 0xff || op + 1 >= n) continue;
    const modrm = before[op + 1]!;
    if (((modrm >> 3) & 7) !== 2) continue;
    const mod = modrm >> 6;
    const rm = modrm & 7;
    let size = op + 2 - at;
    if (mod !== 3 && rm === 4) size += 1; // SIB
    if (mod === 0 && rm === 5)
      size += 4; // rip-relative disp32
    else if (mod === 0 && rm === 4 && op + 2 < n && (before[op + 2]! & 7) === 5)
      size += 4; // SIB with no base
    else if (mod === 1) size += 1;
    else if (mod === 2) size += 4;
    if (size === len) return true;
  }
  return false;
}
