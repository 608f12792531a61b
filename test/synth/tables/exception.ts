/** EXCEPTION_RECORD64/32, from dumpformat.md §4.2 (and §1.1 for the 32-bit size). */
import { table, u32, u32s, u64, u64s, type PatchOf, type ValuesOf } from './struct.js';

/** EXCEPTION_MAXIMUM_PARAMETERS: ExceptionInformation holds 15 entries (0x20–0x90 of the 64-bit record). */
export const EXCEPTION_PARAMETERS = 15;

/** dumpformat.md §4.2: 0x98 bytes; 4 bytes of alignment at 0x1C. */
export const EXCEPTION_RECORD64 = table('EXCEPTION_RECORD64', 0x98, {
  ExceptionCode: u32(0x00),
  ExceptionFlags: u32(0x04),
  ExceptionRecord: u64(0x08),
  ExceptionAddress: u64(0x10),
  NumberParameters: u32(0x18),
  ExceptionInformation: u64s(0x20, EXCEPTION_PARAMETERS),
});
export type ExceptionRecord64 = ValuesOf<typeof EXCEPTION_RECORD64>;
export type ExceptionRecord64Patch = PatchOf<typeof EXCEPTION_RECORD64>;

/** dumpformat.md §4.2 ("0x50 bytes, all u32") and §1.1 (at 0x7D0 of DUMP_HEADER32). */
export const EXCEPTION_RECORD32 = table('EXCEPTION_RECORD32', 0x50, {
  ExceptionCode: u32(0x00),
  ExceptionFlags: u32(0x04),
  ExceptionRecord: u32(0x08),
  ExceptionAddress: u32(0x0c),
  NumberParameters: u32(0x10),
  ExceptionInformation: u32s(0x14, EXCEPTION_PARAMETERS),
});
export type ExceptionRecord32Patch = PatchOf<typeof EXCEPTION_RECORD32>;
