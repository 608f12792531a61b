/**
 * Numeric constants of the crash dump format and the bug check callback
 * facility (mindumpdef.h, wdm.h, winnt.h names). Four-character constants are
 * ULONGs whose little-endian bytes spell the text, e.g. 0x45474150 is `PAGE`.
 */

export const PAGE_SIZE = 0x1000;
export const PAGE_SHIFT = 12;

// ---- dump header ---------------------------------------------------------

export const DUMP_SIGNATURE = 0x45474150; // 'PAGE'
export const DUMP_VALID_DUMP64 = 0x34365544; // 'DU64'
export const DUMP_VALID_DUMP32 = 0x504d5544; // 'DUMP'
export const DUMP_HEADER64_SIZE = 0x2000;
export const DUMP_HEADER32_SIZE = 0x1000;

/** The header filler read as a ULONG64 (`PAGEPAGE`): readers treat a field still equal to it as "not written". */
export const DUMP_SIGNATURE_QWORD = 0x4547415045474150n;

/** True when a 32- or 64-bit header field still holds the `PAGE` filler. */
export function isPageFiller(value: number | bigint): boolean {
  return typeof value === 'bigint' ? value === DUMP_SIGNATURE_QWORD : value === DUMP_SIGNATURE;
}

const PAGE_BYTES = [0x50, 0x41, 0x47, 0x45] as const;

/**
 * Writes the repeating bytes `PAGE` into target[start, end). The pattern is
 * aligned to offset 0 of `target`, so a partial fill continues the phase a
 * whole-buffer fill would have (Windows fills the header before writing fields).
 */
export function fillPagePattern(target: Uint8Array, start = 0, end = target.length): void {
  const from = Math.max(0, Math.trunc(start));
  const to = Math.min(target.length, Math.trunc(end));
  for (let i = from; i < to; i++) target[i] = PAGE_BYTES[i & 3]!;
}

export const DumpType = {
  Invalid: -1,
  Unknown: 0,
  Full: 1,
  Summary: 2,
  Header: 3,
  Triage: 4,
  BitmapFull: 5,
  BitmapKernel: 6,
  Automatic: 7,
} as const;
export type DumpTypeValue = (typeof DumpType)[keyof typeof DumpType];

const DUMP_TYPE_NAMES: Readonly<Record<number, string>> = {
  [-1]: 'DUMP_TYPE_INVALID',
  0: 'DUMP_TYPE_UNKNOWN',
  1: 'DUMP_TYPE_FULL',
  2: 'DUMP_TYPE_SUMMARY',
  3: 'DUMP_TYPE_HEADER',
  4: 'DUMP_TYPE_TRIAGE',
  5: 'DUMP_TYPE_BITMAP_FULL',
  6: 'DUMP_TYPE_BITMAP_KERNEL',
  7: 'DUMP_TYPE_AUTOMATIC',
};

/** mindumpdef.h name of a DumpType; accepts the raw ULONG too (0xFFFFFFFF is DUMP_TYPE_INVALID). */
export function dumpTypeName(n: number): string {
  const key = n === 0xffffffff ? -1 : n;
  return DUMP_TYPE_NAMES[key] ?? `unknown (${hexNumber(n)})`;
}

// ---- bitmap dumps (DumpType 5/6) -------------------------------------------

export const DUMP_SUMMARY_SIGNATURE = 0x504d4453; // 'SDMP'
export const DUMP_FULL_SIGNATURE = 0x504d4446; // 'FDMP'
export const BITMAP_VALID_DUMP = 0x504d5544; // 'DUMP'
export const DUMP_SUMMARY_VALID_KERNEL_VA = 1;
export const DUMP_SUMMARY_VALID_CURRENT_USER_VA = 2;

// ---- triage dumps (DumpType 4) ---------------------------------------------

export const TRIAGE_DUMP_VALID = 0x44475254; // 'TRGD'

export const TRIAGE_DUMP_CONTEXT = 0x1;
export const TRIAGE_DUMP_EXCEPTION = 0x2;
export const TRIAGE_DUMP_PRCB = 0x4;
export const TRIAGE_DUMP_PROCESS = 0x8;
export const TRIAGE_DUMP_THREAD = 0x10;
export const TRIAGE_DUMP_STACK = 0x20;
export const TRIAGE_DUMP_DRIVER_LIST = 0x40;
export const TRIAGE_DUMP_BROKEN_DRIVER = 0x80;
export const TRIAGE_DUMP_BASIC_INFO = 0xff;
export const TRIAGE_DUMP_MMINFO = 0x100;
export const TRIAGE_DUMP_DATAPAGE = 0x200;
export const TRIAGE_DUMP_DEBUGGER_DATA = 0x400;
export const TRIAGE_DUMP_DATA_BLOCKS = 0x800;

/** Header MiniDumpFields flags, by name (single bits only; BASIC_INFO is their union). */
export const TriageDumpField = {
  TRIAGE_DUMP_CONTEXT,
  TRIAGE_DUMP_EXCEPTION,
  TRIAGE_DUMP_PRCB,
  TRIAGE_DUMP_PROCESS,
  TRIAGE_DUMP_THREAD,
  TRIAGE_DUMP_STACK,
  TRIAGE_DUMP_DRIVER_LIST,
  TRIAGE_DUMP_BROKEN_DRIVER,
  TRIAGE_DUMP_MMINFO,
  TRIAGE_DUMP_DATAPAGE,
  TRIAGE_DUMP_DEBUGGER_DATA,
  TRIAGE_DUMP_DATA_BLOCKS,
} as const;

/** DUMP_FILE_ATTRIBUTES bits (header Attributes at 0x1050). */
export const DumpFileAttribute = {
  HiberCrash: 0x1,
  DumpDevicePowerOff: 0x2,
  InsufficientDumpfileSize: 0x4,
  KernelGeneratedTriageDump: 0x8,
  LiveDumpGeneratedDump: 0x10,
  DumpIsGeneratedOffline: 0x20,
  FilterDumpFile: 0x40,
  EarlyBootCrash: 0x80,
  EncryptedDumpData: 0x100,
  DecryptedDump: 0x200,
} as const;

/** Names of the bits of `flags` found in `table`, plus `0x…` for bits it does not name. */
export function flagNames(flags: number, table: Readonly<Record<string, number>>): string[] {
  const names: string[] = [];
  let rest = flags >>> 0;
  for (const [name, bit] of Object.entries(table)) {
    if ((rest & bit) !== 0 && (bit & (bit - 1)) === 0) {
      names.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest !== 0) names.push(hexNumber(rest));
  return names;
}

// ---- secondary data ----------------------------------------------------------

export const DUMP_BLOB_SIGNATURE1 = 0x706d7544; // 'Dump'
export const DUMP_BLOB_SIGNATURE2 = 0x626f6c42; // 'Blob'

// ---- machine ---------------------------------------------------------------

export const ImageFileMachine = { I386: 0x014c, AMD64: 0x8664, ARM64: 0xaa64 } as const;

export function machineName(n: number): string {
  for (const [name, value] of Object.entries(ImageFileMachine)) if (value === n) return name;
  return `unknown (${hexNumber(n)})`;
}

// ---- CONTEXT flags (winnt.h, AMD64) -----------------------------------------

export const CONTEXT_AMD64_FLAG = 0x100000;
export const CONTEXT_CONTROL = CONTEXT_AMD64_FLAG | 0x1;
export const CONTEXT_INTEGER = CONTEXT_AMD64_FLAG | 0x2;
export const CONTEXT_SEGMENTS = CONTEXT_AMD64_FLAG | 0x4;
export const CONTEXT_FLOATING_POINT = CONTEXT_AMD64_FLAG | 0x8;
export const CONTEXT_DEBUG_REGISTERS = CONTEXT_AMD64_FLAG | 0x10;
export const CONTEXT_FULL = CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_FLOATING_POINT; // 0x10000B
export const CONTEXT_ALL =
  CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_SEGMENTS | CONTEXT_FLOATING_POINT | CONTEXT_DEBUG_REGISTERS; // 0x10001F

/** Power-on / Windows default MXCSR (all exceptions masked). */
export const INITIAL_MXCSR = 0x1f80;

// ---- exception records ---------------------------------------------------------

export const EXCEPTION_MAXIMUM_PARAMETERS = 15;
export const EXCEPTION_NONCONTINUABLE = 0x1;

// ---- bug check callbacks (wdm.h) ------------------------------------------------

export const KbCallbackReason = {
  KbCallbackInvalid: 0,
  KbCallbackReserved1: 1,
  KbCallbackSecondaryDumpData: 2,
  KbCallbackDumpIo: 3,
  KbCallbackAddPages: 4,
  KbCallbackSecondaryMultiPartDumpData: 5,
  KbCallbackRemovePages: 6,
  KbCallbackTriageDumpData: 7,
  KbCallbackReserved2: 8,
  KbCallbackReserved3: 9,
} as const;
export type KbCallbackReasonValue = (typeof KbCallbackReason)[keyof typeof KbCallbackReason];

export const KBugCheckBufferDumpState = {
  BufferEmpty: 0,
  BufferInserted: 1,
  BufferStarted: 2,
  BufferFinished: 3,
  BufferIncomplete: 4,
} as const;
export type KBugCheckBufferDumpStateValue = (typeof KBugCheckBufferDumpState)[keyof typeof KBugCheckBufferDumpState];

export const KbDumpIoType = {
  KbDumpIoInvalid: 0,
  KbDumpIoHeader: 1,
  KbDumpIoBody: 2,
  KbDumpIoSecondaryData: 3,
  KbDumpIoComplete: 4,
} as const;
export type KbDumpIoTypeValue = (typeof KbDumpIoType)[keyof typeof KbDumpIoType];

/** Enumerator name of a value in one of the enum objects above, or `unknown (n)`. */
export function enumName(table: Readonly<Record<string, number>>, n: number): string {
  for (const [name, value] of Object.entries(table)) if (value === n) return name;
  return `unknown (${n})`;
}

export const KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS = 0x1;
export const KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS = 0x2;
export const KB_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST = 0x80000000;
export const KB_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS = 0x1;
export const KB_REMOVE_PAGES_FLAG_PHYSICAL_ADDRESS = 0x2;
export const KB_REMOVE_PAGES_FLAG_ADDITIONAL_RANGES_EXIST = 0x80000000;
export const KB_ADD_PAGES_FEATURE_SHIFT = 4;
export const KB_REMOVE_PAGES_FEATURE_SHIFT = 4;
export const KB_ADD_PAGES_FEATURE_MASK = 0xf0;
export const KB_REMOVE_PAGES_FEATURE_MASK = 0xf00;
export const KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA = 0x1;
export const KB_SECONDARY_DATA_FLAG_NO_DEVICE_ACCESS = 0x2;
export const KB_TRIAGE_DUMP_DATA_FLAG_BUGCHECK_ACTIVE = 0x1;
export const KE_MAX_TRIAGE_DUMP_DATA_MEMORY_SIZE = 0x02000000;

// ---- NTSTATUS (as unsigned 32-bit numbers) ---------------------------------------

export const STATUS_SUCCESS = 0x00000000;
export const STATUS_BREAKPOINT = 0x80000003;
export const STATUS_NOT_IMPLEMENTED = 0xc0000002;
export const STATUS_INVALID_PARAMETER = 0xc000000d;
export const STATUS_BUFFER_TOO_SMALL = 0xc0000023;
export const STATUS_INSUFFICIENT_RESOURCES = 0xc000009a;

/** NT_SUCCESS: severity bits 00 or 01 (values below 0x80000000 as unsigned). */
export function ntSuccess(status: number): boolean {
  return status >>> 0 < 0x80000000;
}

function hexNumber(n: number): string {
  if (!Number.isInteger(n)) return String(n);
  return `0x${(n >>> 0).toString(16).toUpperCase().padStart(2, '0')}`;
}
