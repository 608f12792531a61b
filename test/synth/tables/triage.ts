/**
 * The small memory dump (DumpType 4) pieces, from dumpformat.md §2.4:
 * TRIAGE_DUMP64 at 0x2000, the MM info, the unloaded-driver list, the driver
 * list and its string pool, and the data-block table.
 */
import { KLDR_DATA_TABLE_ENTRY, UNICODE_STRING64 } from './ldr.js';
import { bytes, fourCC, nested, table, u32, u64, wchars, type PatchOf, type ValuesOf } from './struct.js';

/** ValidOffset (= SizeOfDump − 4) holds `TRGD`. */
export const TRIAGE_DUMP_VALID = fourCC('TRGD');

/** Every *Offset is an absolute file offset; SizeOfDump counts from file offset 0. */
export const TRIAGE_DUMP64 = table('TRIAGE_DUMP64', 0x80, {
  ServicePackBuild: u32(0x00),
  SizeOfDump: u32(0x04),
  ValidOffset: u32(0x08),
  ContextOffset: u32(0x0c),
  ExceptionOffset: u32(0x10),
  MmOffset: u32(0x14),
  UnloadedDriversOffset: u32(0x18),
  PrcbOffset: u32(0x1c),
  ProcessOffset: u32(0x20),
  ThreadOffset: u32(0x24),
  CallStackOffset: u32(0x28),
  SizeOfCallStack: u32(0x2c),
  DriverListOffset: u32(0x30),
  DriverCount: u32(0x34),
  StringPoolOffset: u32(0x38),
  StringPoolSize: u32(0x3c),
  BrokenDriverOffset: u32(0x40),
  TriageOptions: u32(0x44),
  TopOfStack: u64(0x48),
  /** IA-64 only; zero on x64. */
  ArchitectureSpecific: bytes(0x50, 16),
  DataPageAddress: u64(0x60),
  DataPageOffset: u32(0x68),
  DataPageSize: u32(0x6c),
  DebuggerDataOffset: u32(0x70),
  DebuggerDataSize: u32(0x74),
  DataBlocksOffset: u32(0x78),
  DataBlocksCount: u32(0x7c),
});
export type TriageDump64 = ValuesOf<typeof TRIAGE_DUMP64>;
export type TriageDump64Patch = PatchOf<typeof TRIAGE_DUMP64>;

/** "MM info", 0x50 bytes: six ULONGs then seven ULONG64s. */
export const DUMP_MM_STORAGE64 = table('DUMP_MM_STORAGE64', 0x50, {
  Version: u32(0x00),
  Size: u32(0x04),
  MmSpecialPoolTag: u32(0x08),
  MiTriageActionTaken: u32(0x0c),
  MmVerifyDriverLevel: u32(0x10),
  KernelVerifier: u32(0x14),
  MmMaximumNonPagedPool: u64(0x18),
  MmAllocatedNonPagedPool: u64(0x20),
  PagedPoolMaximum: u64(0x28),
  PagedPoolAllocated: u64(0x30),
  CommittedPages: u64(0x38),
  CommittedPagesPeak: u64(0x40),
  CommitLimitMaximum: u64(0x48),
});
export type DumpMmStorage64Patch = PatchOf<typeof DUMP_MM_STORAGE64>;

/** "Unloaded drivers": a u64 count, then these 0x38-byte entries. */
export const UNLOADED_DRIVERS_COUNT_SIZE = 8;
export const DUMP_UNLOADED_DRIVER64 = table('DUMP_UNLOADED_DRIVER64', 0x38, {
  Name: nested(0x00, UNICODE_STRING64),
  DriverName: wchars(0x10, 12),
  StartAddress: u64(0x28),
  EndAddress: u64(0x30),
});

/** "Driver list": DriverNameOffset u32 (file offset of a string-pool entry), pad u32, then the KLDR image. */
export const DUMP_DRIVER_ENTRY64 = table('DUMP_DRIVER_ENTRY64', 0x90, {
  DriverNameOffset: u32(0x00),
  LdrEntry: nested(0x08, KLDR_DATA_TABLE_ENTRY),
});

/** "Data blocks": {VirtualAddress u64, Offset u32, Size u32}. */
export const TRIAGE_DATA_BLOCK64 = table('TRIAGE_DATA_BLOCK64', 0x10, {
  VirtualAddress: u64(0x0),
  Offset: u32(0x8),
  Size: u32(0xc),
});

/** "String pool": {Length u32 (WCHARs), WCHAR[Length], WCHAR 0}, padded to 8 bytes. */
export function encodeStringPoolEntry(text: string): Uint8Array {
  const out = new Uint8Array(Math.ceil((4 + text.length * 2 + 2) / 8) * 8);
  const view = new DataView(out.buffer);
  view.setUint32(0, text.length, true);
  for (let i = 0; i < text.length; i++) view.setUint16(4 + i * 2, text.charCodeAt(i), true);
  return out;
}
