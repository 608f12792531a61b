import { struct, u16, u32, u64 } from './layout.js';

/** LIST_ENTRY on x64 (and LIST_ENTRY64 in dumps): forward and back links. */
export const LIST_ENTRY64 = struct('LIST_ENTRY64', {
  Flink: u64,
  Blink: u64,
});
export type ListEntry64 = ReturnType<typeof LIST_ENTRY64.decode>;

/** UNICODE_STRING on x64: Length/MaximumLength are byte counts; 4 bytes of padding before Buffer. */
export const UNICODE_STRING64 = struct('UNICODE_STRING64', {
  Length: u16,
  MaximumLength: u16,
  Buffer: u64,
});
export type UnicodeString64 = ReturnType<typeof UNICODE_STRING64.decode>;

/**
 * The loader entry as triage dumps copy it (0x88 bytes; the leading part of
 * the x64 LDR_DATA_TABLE_ENTRY with TimeDateStamp at 0x80). Newer kernels
 * have a longer KLDR_DATA_TABLE_ENTRY, but only this prefix is in the file.
 */
export const KLDR_DATA_TABLE_ENTRY = struct('KLDR_DATA_TABLE_ENTRY', {
  InLoadOrderLinks: LIST_ENTRY64,
  ExceptionTable: u64,
  ExceptionTableSize: u32,
  GpValue: u64,
  NonPagedDebugInfo: u64,
  DllBase: u64,
  EntryPoint: u64,
  SizeOfImage: u32,
  FullDllName: UNICODE_STRING64,
  BaseDllName: UNICODE_STRING64,
  Flags: u32,
  LoadCount: u16,
  TlsIndex: u16,
  SectionPointer: u64,
  CheckSum: u32,
  /** Padding in the LDR layout (CheckSum shares a union with a 16-byte LIST_ENTRY). */
  Reserved0: u32,
  TimeDateStamp: u32,
});
export type KldrDataTableEntry = ReturnType<typeof KLDR_DATA_TABLE_ENTRY.decode>;
