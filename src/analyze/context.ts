import { CONTEXT_AMD64, EXCEPTION_RECORD64, type ContextAmd64, type ExceptionRecord64 } from '../format/index.js';
import type { ContextJson, ExceptionRecordJson } from './analysis.js';
import { exceptionCodeName } from './exceptionCodes.js';
import { findModule, moduleOffsetText, type ModuleRange } from './modules.js';
import { jsonHex, padHex } from './text.js';

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

export function contextJson(context: ContextAmd64, source: string, address?: bigint): ContextJson {
  const registers: Record<string, string> = {};
  for (const r of GENERAL_REGISTERS) registers[r] = jsonHex(context[FIELD[r]] as bigint);
  const out: ContextJson = {
    source,
    ...(address === undefined ? {} : { address: jsonHex(address) }),
    contextFlags: jsonHex(context.ContextFlags),
    rip: jsonHex(context.Rip),
    rsp: jsonHex(context.Rsp),
    rbp: jsonHex(context.Rbp),
    eflags: jsonHex(context.EFlags),
    registers,
    segments: {
      cs: jsonHex(context.SegCs),
      ds: jsonHex(context.SegDs),
      es: jsonHex(context.SegEs),
      fs: jsonHex(context.SegFs),
      gs: jsonHex(context.SegGs),
      ss: jsonHex(context.SegSs),
    },
  };
  return out;
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

/** WinDbg `r` layout: three registers a line, then flags and segments. */
export function formatRegisters(c: ContextJson): string[] {
  const v = (name: string): string => padHex(BigInt(c.registers[name] ?? '0x0'), 16);
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
