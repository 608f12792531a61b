import { LIST_ENTRY64 } from './ldr.js';
import { guid, i32, struct, u32, u64, u8 } from './layout.js';

/**
 * The x64 images of the bug check callback structures (wdm.h; offsets by
 * natural alignment, see callbacks.md §3–4). The kernel model keeps these in
 * simulated memory, so they are byte layouts like any other. Enum fields are
 * 4-byte ints (i32); pointers are u64.
 */

export const KBUGCHECK_REASON_CALLBACK_RECORD = struct('KBUGCHECK_REASON_CALLBACK_RECORD', {
  Entry: LIST_ENTRY64,
  CallbackRoutine: u64,
  Component: u64,
  Checksum: u64,
  Reason: i32,
  State: u8,
});
export type KBugCheckReasonCallbackRecord = ReturnType<typeof KBUGCHECK_REASON_CALLBACK_RECORD.decode>;

export const KBUGCHECK_CALLBACK_RECORD = struct('KBUGCHECK_CALLBACK_RECORD', {
  Entry: LIST_ENTRY64,
  CallbackRoutine: u64,
  Buffer: u64,
  Length: u32,
  Component: u64,
  Checksum: u64,
  State: u8,
});
export type KBugCheckCallbackRecord = ReturnType<typeof KBUGCHECK_CALLBACK_RECORD.decode>;

export const KBUGCHECK_SECONDARY_DUMP_DATA = struct('KBUGCHECK_SECONDARY_DUMP_DATA', {
  InBuffer: u64,
  InBufferLength: u32,
  MaximumAllowed: u32,
  Guid: guid,
  OutBuffer: u64,
  OutBufferLength: u32,
});
export type KBugCheckSecondaryDumpData = ReturnType<typeof KBUGCHECK_SECONDARY_DUMP_DATA.decode>;

export const KBUGCHECK_SECONDARY_DUMP_DATA_EX = struct('KBUGCHECK_SECONDARY_DUMP_DATA_EX', {
  InBuffer: u64,
  InBufferLength: u32,
  MaximumAllowed: u32,
  Guid: guid,
  OutBuffer: u64,
  OutBufferLength: u32,
  Context: u64,
  Flags: u32,
  DumpType: u32,
  BugCheckCode: u32,
  BugCheckParameter1: u64,
  BugCheckParameter2: u64,
  BugCheckParameter3: u64,
  BugCheckParameter4: u64,
});
export type KBugCheckSecondaryDumpDataEx = ReturnType<typeof KBUGCHECK_SECONDARY_DUMP_DATA_EX.decode>;

export const KBUGCHECK_DUMP_IO = struct('KBUGCHECK_DUMP_IO', {
  Offset: u64,
  Buffer: u64,
  BufferLength: u32,
  Type: i32,
});
export type KBugCheckDumpIo = ReturnType<typeof KBUGCHECK_DUMP_IO.decode>;

/** KBUGCHECK_DUMP_IO.Offset for a sequential write (-1 as ULONG64). */
export const KBUGCHECK_DUMP_IO_SEQUENTIAL_OFFSET = 0xffffffffffffffffn;

export const KBUGCHECK_ADD_PAGES = struct('KBUGCHECK_ADD_PAGES', {
  Context: u64,
  Flags: u32,
  BugCheckCode: u32,
  Address: u64,
  Count: u64,
});
export type KBugCheckAddPages = ReturnType<typeof KBUGCHECK_ADD_PAGES.decode>;

export const KBUGCHECK_REMOVE_PAGES = struct('KBUGCHECK_REMOVE_PAGES', {
  Context: u64,
  Flags: u32,
  BugCheckCode: u32,
  Address: u64,
  Count: u64,
});
export type KBugCheckRemovePages = ReturnType<typeof KBUGCHECK_REMOVE_PAGES.decode>;

export const KBUGCHECK_TRIAGE_DUMP_DATA = struct('KBUGCHECK_TRIAGE_DUMP_DATA', {
  DataArray: u64,
  Flags: u32,
  MaxVirtMemSize: u32,
  BugCheckCode: u32,
  BugCheckParameter1: u64,
  BugCheckParameter2: u64,
  BugCheckParameter3: u64,
  BugCheckParameter4: u64,
});
export type KBugCheckTriageDumpData = ReturnType<typeof KBUGCHECK_TRIAGE_DUMP_DATA.decode>;

export const KADDRESS_RANGE = struct('KADDRESS_RANGE', {
  Address: u64,
  Size: u64,
});
export type KAddressRange = ReturnType<typeof KADDRESS_RANGE.decode>;

/** The fixed head of KTRIAGE_DUMP_DATA_ARRAY; Blocks (KADDRESS_RANGE[]) follow at 0x30. */
export const KTRIAGE_DUMP_DATA_ARRAY = struct('KTRIAGE_DUMP_DATA_ARRAY', {
  List: LIST_ENTRY64,
  NumBlocksUsed: u32,
  NumBlocksTotal: u32,
  DataSize: u32,
  MaxDataSize: u32,
  ComponentNameBufferLength: u32,
  ComponentName: u64,
});
export type KTriageDumpDataArray = ReturnType<typeof KTRIAGE_DUMP_DATA_ARRAY.decode>;

/** FIELD_OFFSET(KTRIAGE_DUMP_DATA_ARRAY, Blocks). */
export const KTRIAGE_DUMP_DATA_ARRAY_BLOCKS_OFFSET = KTRIAGE_DUMP_DATA_ARRAY.size;

/** Bytes of a KTRIAGE_DUMP_DATA_ARRAY buffer holding `blocks` ranges (how the WDK sample sizes it). */
export function ktriageDumpDataArraySize(blocks: number): number {
  return KTRIAGE_DUMP_DATA_ARRAY_BLOCKS_OFFSET + KADDRESS_RANGE.size * blocks;
}
