import { array, bytes, struct, u16, u32, u64, u8 } from './layout.js';

/** M128A: one 128-bit register image, 16-byte aligned as in winnt.h. */
export const M128A = struct('M128A', { Low: u64, High: u64 }, { align: 16 });
export type M128a = ReturnType<typeof M128A.decode>;

/** XMM_SAVE_AREA32: the FXSAVE image (512 bytes) inside CONTEXT.FltSave. */
export const XMM_SAVE_AREA32 = struct(
  'XMM_SAVE_AREA32',
  {
    ControlWord: u16,
    StatusWord: u16,
    TagWord: u8,
    Reserved1: u8,
    ErrorOpcode: u16,
    ErrorOffset: u32,
    ErrorSelector: u16,
    Reserved2: u16,
    DataOffset: u32,
    DataSelector: u16,
    Reserved3: u16,
    MxCsr: u32,
    MxCsr_Mask: u32,
    FloatRegisters: array(M128A, 8),
    XmmRegisters: array(M128A, 16),
    Reserved4: bytes(96),
  },
  { align: 16 },
);
export type XmmSaveArea32 = ReturnType<typeof XMM_SAVE_AREA32.decode>;

/**
 * The x64 CONTEXT (winnt.h), 0x4D0 bytes, 16-byte aligned. The header copy
 * at 0x348 must carry the same MxCsr at 0x34 and in FltSave (0x118):
 * kdmp-parser rejects a dump where they differ.
 */
export const CONTEXT_AMD64 = struct(
  'CONTEXT_AMD64',
  {
    P1Home: u64,
    P2Home: u64,
    P3Home: u64,
    P4Home: u64,
    P5Home: u64,
    P6Home: u64,
    ContextFlags: u32,
    MxCsr: u32,
    SegCs: u16,
    SegDs: u16,
    SegEs: u16,
    SegFs: u16,
    SegGs: u16,
    SegSs: u16,
    EFlags: u32,
    Dr0: u64,
    Dr1: u64,
    Dr2: u64,
    Dr3: u64,
    Dr6: u64,
    Dr7: u64,
    Rax: u64,
    Rcx: u64,
    Rdx: u64,
    Rbx: u64,
    Rsp: u64,
    Rbp: u64,
    Rsi: u64,
    Rdi: u64,
    R8: u64,
    R9: u64,
    R10: u64,
    R11: u64,
    R12: u64,
    R13: u64,
    R14: u64,
    R15: u64,
    Rip: u64,
    FltSave: XMM_SAVE_AREA32,
    VectorRegister: array(M128A, 26),
    VectorControl: u64,
    DebugControl: u64,
    LastBranchToRip: u64,
    LastBranchFromRip: u64,
    LastExceptionToRip: u64,
    LastExceptionFromRip: u64,
  },
  { align: 16 },
);
export type ContextAmd64 = ReturnType<typeof CONTEXT_AMD64.decode>;
