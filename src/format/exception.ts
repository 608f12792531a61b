import { EXCEPTION_MAXIMUM_PARAMETERS } from './constants.js';
import { array, struct, u32, u64 } from './layout.js';

/** EXCEPTION_RECORD64 (winnt.h), 0x98 bytes; the dump header keeps one at 0xF00. */
export const EXCEPTION_RECORD64 = struct('EXCEPTION_RECORD64', {
  ExceptionCode: u32,
  ExceptionFlags: u32,
  ExceptionRecord: u64,
  ExceptionAddress: u64,
  NumberParameters: u32,
  ExceptionInformation: array(u64, EXCEPTION_MAXIMUM_PARAMETERS),
});
export type ExceptionRecord64 = ReturnType<typeof EXCEPTION_RECORD64.decode>;

/** EXCEPTION_RECORD32, 0x50 bytes (DUMP_HEADER32 at 0x7D0). */
export const EXCEPTION_RECORD32 = struct('EXCEPTION_RECORD32', {
  ExceptionCode: u32,
  ExceptionFlags: u32,
  ExceptionRecord: u32,
  ExceptionAddress: u32,
  NumberParameters: u32,
  ExceptionInformation: array(u32, EXCEPTION_MAXIMUM_PARAMETERS),
});
export type ExceptionRecord32 = ReturnType<typeof EXCEPTION_RECORD32.decode>;
