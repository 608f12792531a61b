import { FormatError } from './errors.js';
import { KLDR_DATA_TABLE_ENTRY, UNICODE_STRING64 } from './ldr.js';
import { bytes, decodeUtf16le, struct, u32, u64, wchars } from './layout.js';

/**
 * TRIAGE_DUMP64 at file offset 0x2000 of a small memory dump (DumpType 4).
 * Every *Offset is an absolute file offset; SizeOfDump counts from offset 0
 * and ValidOffset (= SizeOfDump - 4) holds `TRGD`.
 */
export const TRIAGE_DUMP64 = struct('TRIAGE_DUMP64', {
  ServicePackBuild: u32,
  SizeOfDump: u32,
  ValidOffset: u32,
  ContextOffset: u32,
  ExceptionOffset: u32,
  MmOffset: u32,
  UnloadedDriversOffset: u32,
  PrcbOffset: u32,
  ProcessOffset: u32,
  ThreadOffset: u32,
  CallStackOffset: u32,
  SizeOfCallStack: u32,
  DriverListOffset: u32,
  DriverCount: u32,
  StringPoolOffset: u32,
  StringPoolSize: u32,
  BrokenDriverOffset: u32,
  TriageOptions: u32,
  TopOfStack: u64,
  /** IA-64 only (BStoreOffset, SizeOfBStore, LimitOfBStore); zero on x64. */
  ArchitectureSpecific: bytes(16, 8),
  DataPageAddress: u64,
  DataPageOffset: u32,
  DataPageSize: u32,
  DebuggerDataOffset: u32,
  DebuggerDataSize: u32,
  DataBlocksOffset: u32,
  DataBlocksCount: u32,
});
export type TriageDump64 = ReturnType<typeof TRIAGE_DUMP64.decode>;

/** Memory-manager snapshot at TRIAGE_DUMP64.MmOffset (Version 1, Size 0x50). */
export const DUMP_MM_STORAGE64 = struct('DUMP_MM_STORAGE64', {
  Version: u32,
  Size: u32,
  MmSpecialPoolTag: u32,
  MiTriageActionTaken: u32,
  MmVerifyDriverLevel: u32,
  KernelVerifier: u32,
  MmMaximumNonPagedPool: u64,
  MmAllocatedNonPagedPool: u64,
  PagedPoolMaximum: u64,
  PagedPoolAllocated: u64,
  CommittedPages: u64,
  CommittedPagesPeak: u64,
  CommitLimitMaximum: u64,
});
export type DumpMmStorage64 = ReturnType<typeof DUMP_MM_STORAGE64.decode>;
export const DUMP_MM_STORAGE64_VERSION = 1;

/** One unloaded driver; the list at UnloadedDriversOffset is a u64 count then these entries. */
export const DUMP_UNLOADED_DRIVER64 = struct('DUMP_UNLOADED_DRIVER64', {
  Name: UNICODE_STRING64,
  DriverName: wchars(12),
  StartAddress: u64,
  EndAddress: u64,
});
export type DumpUnloadedDriver64 = ReturnType<typeof DUMP_UNLOADED_DRIVER64.decode>;
/** Size of the count that precedes the unloaded-driver entries. */
export const DUMP_UNLOADED_DRIVERS_COUNT_SIZE = 8;

/** One loaded driver at DriverListOffset + i × 0x90; DriverNameOffset points into the string pool. */
export const DUMP_DRIVER_ENTRY64 = struct('DUMP_DRIVER_ENTRY64', {
  DriverNameOffset: u32,
  LdrEntry: KLDR_DATA_TABLE_ENTRY,
});
export type DumpDriverEntry64 = ReturnType<typeof DUMP_DRIVER_ENTRY64.decode>;

/** One kernel VA range carried by the dump: Size bytes at file offset Offset. */
export const TRIAGE_DATA_BLOCK64 = struct('TRIAGE_DATA_BLOCK64', {
  VirtualAddress: u64,
  Offset: u32,
  Size: u32,
});
export type TriageDataBlock64 = ReturnType<typeof TRIAGE_DATA_BLOCK64.decode>;

// ---- string pool: {Length u32 (WCHARs), WCHAR[Length], WCHAR 0}, each entry padded to 8 ----

/** Bytes one string-pool entry of `chars` UTF-16 units occupies, padding included. */
export function triageStringEntrySize(chars: number): number {
  return Math.ceil((4 + chars * 2 + 2) / 8) * 8;
}

/** Encodes one string-pool entry (zero padding to 8 bytes). */
export function encodeTriageStringEntry(text: string): Uint8Array {
  const out = new Uint8Array(triageStringEntrySize(text.length));
  const view = new DataView(out.buffer);
  view.setUint32(0, text.length, true);
  for (let i = 0; i < text.length; i++) view.setUint16(4 + i * 2, text.charCodeAt(i), true);
  return out;
}

export interface TriageStringEntry {
  text: string;
  /** Bytes the entry occupies including padding (the next entry starts this far on). */
  size: number;
}

/**
 * Decodes the string-pool entry at `offset` of `source`. The stored Length is
 * checked against the bytes available (and `maxChars`) before anything is
 * read; a bad entry is a FormatError naming its offset.
 */
export function decodeTriageStringEntry(source: Uint8Array, offset: number, maxChars = 0x7fff): TriageStringEntry {
  const fail = (why: string): never => {
    throw new FormatError(`triage string-pool entry at offset ${offset}: ${why}`, {
      structure: 'TRIAGE_STRING',
      offset,
    });
  };
  if (!Number.isInteger(offset) || offset < 0 || offset + 4 > source.length)
    fail(`no room for its Length (pool is ${source.length} bytes)`);
  const view = new DataView(source.buffer, source.byteOffset, source.byteLength);
  const chars = view.getUint32(offset, true);
  if (chars > maxChars) fail(`Length ${chars} exceeds the limit of ${maxChars} characters`);
  if (offset + 4 + chars * 2 > source.length)
    fail(`Length ${chars} runs past the end of the pool (${source.length} bytes)`);
  return {
    text: decodeUtf16le(source.subarray(offset + 4, offset + 4 + chars * 2)),
    size: triageStringEntrySize(chars),
  };
}
