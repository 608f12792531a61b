import {
  CONTEXT_AMD64,
  CONTEXT_ARM64,
  EXCEPTION_RECORD64,
  ImageFileMachine,
  type ContextAmd64,
  type ContextArm64,
  type ExceptionRecord64,
  type M128a,
} from '../format/index.js';
import type { Amd64ContextJson, Arm64ContextJson, ContextJson, ExceptionRecordJson } from './analysis.js';
import { exceptionCodeName } from './exceptionCodes.js';
import { findModule, moduleOffsetText, type ModuleRange } from './modules.js';
import { jsonHex, padHex } from './text.js';

/** The processor architectures whose CONTEXT the analyzer decodes. */
export type Architecture = 'AMD64' | 'ARM64';

/** A decoded CONTEXT of either architecture. */
export type MachineContext = { arch: 'AMD64'; raw: ContextAmd64 } | { arch: 'ARM64'; raw: ContextArm64 };

/** The architecture of a dump's MachineImageType, when its CONTEXT is one we decode. */
export function architectureOf(machineImageType: number): Architecture | undefined {
  if (machineImageType === ImageFileMachine.AMD64) return 'AMD64';
  if (machineImageType === ImageFileMachine.ARM64) return 'ARM64';
  return undefined;
}

/** Bytes of a CONTEXT of this architecture. */
export function contextSize(arch: Architecture): number {
  return arch === 'AMD64' ? CONTEXT_AMD64.size : CONTEXT_ARM64.size;
}

export function decodeMachineContext(arch: Architecture, bytes: Uint8Array): MachineContext {
  return arch === 'AMD64'
    ? { arch, raw: CONTEXT_AMD64.decode(bytes, 0) }
    : { arch, raw: CONTEXT_ARM64.decode(bytes, 0) };
}

/** Program counter, stack pointer and frame pointer of a context. */
export function contextPointers(c: MachineContext): { pc: bigint; sp: bigint; fp: bigint } {
  return c.arch === 'AMD64'
    ? { pc: c.raw.Rip, sp: c.raw.Rsp, fp: c.raw.Rbp }
    : { pc: c.raw.Pc, sp: c.raw.Sp, fp: c.raw.Fp };
}

/**
 * The integer argument registers a function receives its first four
 * parameters in (x64: rcx, rdx, r8, r9; ARM64: x0–x3). KeBugCheckEx's
 * context still holds its arguments there: code, P1, P2, P3.
 */
export function argumentRegisters(c: MachineContext): [bigint, bigint, bigint, bigint] {
  if (c.arch === 'AMD64') return [c.raw.Rcx, c.raw.Rdx, c.raw.R8, c.raw.R9];
  const x = c.raw.X;
  return [x[0] ?? 0n, x[1] ?? 0n, x[2] ?? 0n, x[3] ?? 0n];
}

export const GENERAL_REGISTERS = [
  'rax',
  'rbx',
  'rcx',
  'rdx',
  'rsi',
  'rdi',
  'rsp',
  'rbp',
  'r8',
  'r9',
  'r10',
  'r11',
  'r12',
  'r13',
  'r14',
  'r15',
  'rip',
] as const;

const FIELD: Record<(typeof GENERAL_REGISTERS)[number], keyof ContextAmd64> = {
  rax: 'Rax',
  rbx: 'Rbx',
  rcx: 'Rcx',
  rdx: 'Rdx',
  rsi: 'Rsi',
  rdi: 'Rdi',
  rsp: 'Rsp',
  rbp: 'Rbp',
  r8: 'R8',
  r9: 'R9',
  r10: 'R10',
  r11: 'R11',
  r12: 'R12',
  r13: 'R13',
  r14: 'R14',
  r15: 'R15',
  rip: 'Rip',
};

/** A 128-bit register as one `0x…` value. */
function vectorHex(v: M128a): string {
  return jsonHex((v.High << 64n) | v.Low);
}

/** Where a context came from, as the JSON and the text label it. */
export interface ContextOrigin {
  /** `KPRCB.Context (processor 0, …)`, `header ContextRecord`, `BugCheckParameter4`… */
  source: string;
  /** Address the CONTEXT was read from (absent for the header copy). */
  address?: bigint;
  /** Processor whose KPRCB led to it. */
  processor?: number;
}

function amd64Json(context: ContextAmd64, origin: ContextOrigin): Amd64ContextJson {
  const registers: Record<string, string> = {};
  for (const r of GENERAL_REGISTERS) registers[r] = jsonHex(context[FIELD[r]] as bigint);
  const vectors: Record<string, string> = {};
  for (const [i, v] of context.FltSave.XmmRegisters.entries()) vectors[`xmm${i}`] = vectorHex(v);
  return {
    source: origin.source,
    architecture: 'AMD64',
    ...(origin.processor === undefined ? {} : { processor: origin.processor }),
    ...(origin.address === undefined ? {} : { address: jsonHex(origin.address) }),
    contextFlags: jsonHex(context.ContextFlags),
    rip: jsonHex(context.Rip),
    rsp: jsonHex(context.Rsp),
    rbp: jsonHex(context.Rbp),
    eflags: jsonHex(context.EFlags),
    mxcsr: jsonHex(context.MxCsr),
    registers,
    segments: {
      cs: jsonHex(context.SegCs),
      ds: jsonHex(context.SegDs),
      es: jsonHex(context.SegEs),
      fs: jsonHex(context.SegFs),
      gs: jsonHex(context.SegGs),
      ss: jsonHex(context.SegSs),
    },
    vectors,
  };
}

function arm64Json(context: ContextArm64, origin: ContextOrigin): Arm64ContextJson {
  const registers: Record<string, string> = {};
  for (const [i, x] of context.X.entries()) registers[`x${i}`] = jsonHex(x);
  registers.fp = jsonHex(context.Fp);
  registers.lr = jsonHex(context.Lr);
  registers.sp = jsonHex(context.Sp);
  registers.pc = jsonHex(context.Pc);
  const vectors: Record<string, string> = {};
  for (const [i, v] of context.V.entries()) vectors[`v${i}`] = vectorHex(v);
  return {
    source: origin.source,
    architecture: 'ARM64',
    ...(origin.processor === undefined ? {} : { processor: origin.processor }),
    ...(origin.address === undefined ? {} : { address: jsonHex(origin.address) }),
    contextFlags: jsonHex(context.ContextFlags),
    pc: jsonHex(context.Pc),
    sp: jsonHex(context.Sp),
    fp: jsonHex(context.Fp),
    lr: jsonHex(context.Lr),
    cpsr: jsonHex(context.Cpsr),
    fpcr: jsonHex(context.Fpcr),
    fpsr: jsonHex(context.Fpsr),
    registers,
    vectors,
  };
}

/** The JSON of a CONTEXT of either architecture. */
export function machineContextJson(c: MachineContext, origin: ContextOrigin): ContextJson {
  return c.arch === 'AMD64' ? amd64Json(c.raw, origin) : arm64Json(c.raw, origin);
}

/** The JSON of an x64 CONTEXT (kept for callers that only have an AMD64 one). */
export function contextJson(context: ContextAmd64, source: string, address?: bigint): ContextJson {
  return amd64Json(context, address === undefined ? { source } : { source, address });
}

/** Program counter of a context's JSON (rip or pc). */
export function contextJsonPc(c: ContextJson): bigint {
  return BigInt(c.architecture === 'AMD64' ? c.rip : c.pc);
}

export function exceptionJson(
  record: ExceptionRecord64,
  source: string,
  modules: readonly ModuleRange[],
  address?: bigint,
): ExceptionRecordJson {
  const count = Math.min(record.NumberParameters, record.ExceptionInformation.length);
  const name = exceptionCodeName(record.ExceptionCode);
  const module = findModule(modules, record.ExceptionAddress);
  return {
    source,
    ...(address === undefined ? {} : { address: jsonHex(address) }),
    code: jsonHex(record.ExceptionCode),
    ...(name === undefined ? {} : { codeName: name }),
    flags: jsonHex(record.ExceptionFlags),
    exceptionAddress: jsonHex(record.ExceptionAddress),
    ...(module === undefined ? {} : { exceptionSymbol: moduleOffsetText(module, record.ExceptionAddress) }),
    parameters: record.ExceptionInformation.slice(0, count).map((v) => jsonHex(v)),
  };
}

export function decodeContext(bytes: Uint8Array): ContextAmd64 {
  return CONTEXT_AMD64.decode(bytes, 0);
}

export function decodeExceptionRecord(bytes: Uint8Array): ExceptionRecord64 {
  return EXCEPTION_RECORD64.decode(bytes, 0);
}

/** WinDbg `r` layout: x64 three registers a line, then flags and segments; ARM64 four a line, then cpsr/fpcr/fpsr. */
export function formatRegisters(c: ContextJson): string[] {
  const v = (name: string): string => padHex(BigInt(c.registers[name] ?? '0x0'), 16);
  if (c.architecture === 'ARM64') {
    const row = (names: string[]): string => names.map((n) => `${n.padStart(3)}=${v(n)}`).join(' ');
    const lines: string[] = [];
    for (let i = 0; i < 28; i += 4) lines.push(row([`x${i}`, `x${i + 1}`, `x${i + 2}`, `x${i + 3}`]));
    lines.push(row(['x28', 'fp', 'lr', 'sp']));
    lines.push(
      ` pc=${v('pc')} cpsr=${padHex(BigInt(c.cpsr), 8)} fpcr=${padHex(BigInt(c.fpcr), 8)} fpsr=${padHex(BigInt(c.fpsr), 8)}`,
    );
    return lines;
  }
  const row = (names: string[]): string => names.map((n) => `${n.padStart(3)}=${v(n)}`).join(' ');
  const seg = (name: string): string => `${name}=${padHex(BigInt(c.segments[name] ?? '0x0'), 4)}`;
  return [
    row(['rax', 'rbx', 'rcx']),
    row(['rdx', 'rsi', 'rdi']),
    row(['rip', 'rsp', 'rbp']),
    row(['r8', 'r9', 'r10']),
    row(['r11', 'r12', 'r13']),
    row(['r14', 'r15']),
    `${['cs', 'ss', 'ds', 'es', 'fs', 'gs'].map(seg).join(' ')}             efl=${padHex(BigInt(c.eflags), 8)}`,
  ];
}
