import { array, struct, u32, u64 } from './layout.js';
import { M128A } from './context.js';

/** ARM64_MAX_BREAKPOINTS / ARM64_MAX_WATCHPOINTS of winnt.h. */
export const ARM64_MAX_BREAKPOINTS = 8;
export const ARM64_MAX_WATCHPOINTS = 2;

/**
 * The ARM64 CONTEXT (winnt.h `ARM64_NT_CONTEXT`), 0x390 bytes, 16-byte
 * aligned: Cpsr at 0x4, X0–X28 from 0x8, Fp (x29) 0xF0, Lr (x30) 0xF8,
 * Sp 0x100, Pc 0x108, the 32 NEON registers V0–V31 from 0x110, Fpcr 0x310,
 * Fpsr 0x314, then the hardware breakpoint and watchpoint registers. A dump
 * of an ARM64 machine stores it at the header's ContextRecord (0x348), and
 * KPRCB.Context points at one.
 */
export const CONTEXT_ARM64 = struct(
  'CONTEXT_ARM64',
  {
    ContextFlags: u32,
    Cpsr: u32,
    X: array(u64, 29),
    Fp: u64,
    Lr: u64,
    Sp: u64,
    Pc: u64,
    V: array(M128A, 32),
    Fpcr: u32,
    Fpsr: u32,
    Bcr: array(u32, ARM64_MAX_BREAKPOINTS),
    Bvr: array(u64, ARM64_MAX_BREAKPOINTS),
    Wcr: array(u32, ARM64_MAX_WATCHPOINTS),
    Wvr: array(u64, ARM64_MAX_WATCHPOINTS),
  },
  { align: 16 },
);
export type ContextArm64 = ReturnType<typeof CONTEXT_ARM64.decode>;
