/**
 * Kernel list and loader structures the builder places in memory and in the
 * triage driver list: LIST_ENTRY (callbacks.md §0.1), UNICODE_STRING64 and
 * the 0x88-byte KLDR_DATA_TABLE_ENTRY image (dumpformat.md §2.4, "Unloaded
 * drivers" and "Driver list").
 */
import { nested, table, u16, u32, u64, type PatchOf } from './struct.js';

/** callbacks.md §0.1: Flink, Blink pointers, 16 bytes. */
export const LIST_ENTRY64 = table('LIST_ENTRY64', 0x10, {
  Flink: u64(0x0),
  Blink: u64(0x8),
});

/** dumpformat.md §2.4: {Length u16, MaximumLength u16, pad u32, Buffer u64}, 16 bytes. */
export const UNICODE_STRING64 = table('UNICODE_STRING64', 0x10, {
  Length: u16(0x0),
  MaximumLength: u16(0x2),
  Buffer: u64(0x8),
});

/**
 * dumpformat.md §2.4 "Driver list": the KLDR part of a driver entry. The
 * spec gives offsets; the widths (Flags ULONG, LoadCount USHORT, CheckSum and
 * TimeDateStamp ULONG) are those of the public LDR_DATA_TABLE_ENTRY.
 */
export const KLDR_DATA_TABLE_ENTRY = table('KLDR_DATA_TABLE_ENTRY', 0x88, {
  InLoadOrderLinks: nested(0x00, LIST_ENTRY64),
  DllBase: u64(0x30),
  EntryPoint: u64(0x38),
  SizeOfImage: u32(0x40),
  FullDllName: nested(0x48, UNICODE_STRING64),
  BaseDllName: nested(0x58, UNICODE_STRING64),
  Flags: u32(0x68),
  LoadCount: u16(0x6c),
  CheckSum: u32(0x78),
  TimeDateStamp: u32(0x80),
});
export type KldrDataTableEntryPatch = PatchOf<typeof KLDR_DATA_TABLE_ENTRY>;
