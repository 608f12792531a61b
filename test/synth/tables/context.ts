/**
 * The x64 CONTEXT fields the builder sets, from dumpformat.md §4.1 (0x4D0
 * bytes; the header keeps one at 0x348). Only the integer, segment, debug
 * and control registers and the FXSAVE words a debugger checks are listed;
 * the x87/XMM/vector register files are left zero.
 */
import { nested, table, u16, u32, u64, u8, type PatchOf, type ValuesOf } from './struct.js';

/** XMM_SAVE_AREA32 (FltSave, at CONTEXT+0x100): §4.1's offsets minus 0x100. */
export const XMM_SAVE_AREA32 = table('XMM_SAVE_AREA32', 0x200, {
  ControlWord: u16(0x00),
  StatusWord: u16(0x02),
  TagWord: u8(0x04),
  ErrorOpcode: u16(0x06),
  ErrorOffset: u32(0x08),
  ErrorSelector: u16(0x0c),
  DataOffset: u32(0x10),
  DataSelector: u16(0x14),
  /** Must equal CONTEXT.MxCsr (kdmp-parser rejects the dump otherwise). */
  MxCsr: u32(0x18),
  MxCsr_Mask: u32(0x1c),
});

export const CONTEXT_AMD64 = table('CONTEXT_AMD64', 0x4d0, {
  P1Home: u64(0x00),
  P2Home: u64(0x08),
  P3Home: u64(0x10),
  P4Home: u64(0x18),
  P5Home: u64(0x20),
  P6Home: u64(0x28),
  ContextFlags: u32(0x30),
  MxCsr: u32(0x34),
  SegCs: u16(0x38),
  SegDs: u16(0x3a),
  SegEs: u16(0x3c),
  SegFs: u16(0x3e),
  SegGs: u16(0x40),
  SegSs: u16(0x42),
  EFlags: u32(0x44),
  Dr0: u64(0x48),
  Dr1: u64(0x50),
  Dr2: u64(0x58),
  Dr3: u64(0x60),
  Dr6: u64(0x68),
  Dr7: u64(0x70),
  Rax: u64(0x78),
  Rcx: u64(0x80),
  Rdx: u64(0x88),
  Rbx: u64(0x90),
  Rsp: u64(0x98),
  Rbp: u64(0xa0),
  Rsi: u64(0xa8),
  Rdi: u64(0xb0),
  R8: u64(0xb8),
  R9: u64(0xc0),
  R10: u64(0xc8),
  R11: u64(0xd0),
  R12: u64(0xd8),
  R13: u64(0xe0),
  R14: u64(0xe8),
  R15: u64(0xf0),
  Rip: u64(0xf8),
  FltSave: nested(0x100, XMM_SAVE_AREA32),
  VectorControl: u64(0x4a0),
  DebugControl: u64(0x4a8),
  LastBranchToRip: u64(0x4b0),
  LastBranchFromRip: u64(0x4b8),
  LastExceptionToRip: u64(0x4c0),
  LastExceptionFromRip: u64(0x4c8),
});
export type ContextAmd64 = ValuesOf<typeof CONTEXT_AMD64>;
export type ContextAmd64Patch = PatchOf<typeof CONTEXT_AMD64>;

/** §4.1: CONTEXT_AMD64 | CONTROL | INTEGER | SEGMENTS | FLOATING_POINT | DEBUG_REGISTERS. */
export const CONTEXT_ALL = 0x10001f;
