/**
 * The dump headers and the PhysicalMemoryBlock of a DumpType 1 dump, from
 * dumpformat.md §0 (quick reference), §1 (DUMP_HEADER64 and the
 * PHYSICAL_MEMORY_DESCRIPTOR64 note) and §1.1 (DUMP_HEADER32).
 */
import { EXCEPTION_RECORD32, EXCEPTION_RECORD64 } from './exception.js';
import { bytes, fourCC, nested, table, u32, u64, u8, writeStruct, type PatchOf } from './struct.js';

export const PAGE_SIZE = 0x1000;
/** §0: `PAGE` — also the filler of every header byte no field overwrites. */
export const DUMP_SIGNATURE = fourCC('PAGE');
export const DUMP_VALID_DUMP64 = fourCC('DU64');
export const DUMP_VALID_DUMP32 = fourCC('DUMP');
/** §1: the PhysicalMemoryBlock union (700 bytes) in both headers. */
export const PHYSICAL_MEMORY_BLOCK_SIZE = 700;
/** §1: ContextRecord is a 3000-byte buffer with the CONTEXT at its start, the rest zero. */
export const CONTEXT_RECORD64_SIZE = 3000;

/** §1, every named field (the 0x3C/0xF9C alignment and _reserved0 are left out: they stay `PAGE`). */
export const DUMP_HEADER64 = table('DUMP_HEADER64', 0x2000, {
  Signature: u32(0x000),
  ValidDump: u32(0x004),
  MajorVersion: u32(0x008),
  MinorVersion: u32(0x00c),
  DirectoryTableBase: u64(0x010),
  PfnDataBase: u64(0x018),
  PsLoadedModuleList: u64(0x020),
  PsActiveProcessHead: u64(0x028),
  MachineImageType: u32(0x030),
  NumberProcessors: u32(0x034),
  BugCheckCode: u32(0x038),
  BugCheckParameter1: u64(0x040),
  BugCheckParameter2: u64(0x048),
  BugCheckParameter3: u64(0x050),
  BugCheckParameter4: u64(0x058),
  VersionUser: bytes(0x060, 32),
  KdDebuggerDataBlock: u64(0x080),
  PhysicalMemoryBlockBuffer: bytes(0x088, PHYSICAL_MEMORY_BLOCK_SIZE),
  ContextRecord: bytes(0x348, CONTEXT_RECORD64_SIZE),
  Exception: nested(0xf00, EXCEPTION_RECORD64),
  DumpType: u32(0xf98),
  RequiredDumpSpace: u64(0xfa0),
  SystemTime: u64(0xfa8),
  Comment: bytes(0xfb0, 128),
  SystemUpTime: u64(0x1030),
  MiniDumpFields: u32(0x1038),
  SecondaryDataState: u32(0x103c),
  ProductType: u32(0x1040),
  SuiteMask: u32(0x1044),
  WriterStatus: u32(0x1048),
  Unused1: u8(0x104c),
  KdSecondaryVersion: u8(0x104d),
  Unused: bytes(0x104e, 2),
  Attributes: u32(0x1050),
  BootId: u32(0x1054),
});
export type DumpHeader64Patch = PatchOf<typeof DUMP_HEADER64>;

/** §1.1: 0x1000 bytes, pointers are ULONGs; every named field. */
export const DUMP_HEADER32 = table('DUMP_HEADER32', 0x1000, {
  Signature: u32(0x000),
  ValidDump: u32(0x004),
  MajorVersion: u32(0x008),
  MinorVersion: u32(0x00c),
  DirectoryTableBase: u32(0x010),
  PfnDataBase: u32(0x014),
  PsLoadedModuleList: u32(0x018),
  PsActiveProcessHead: u32(0x01c),
  MachineImageType: u32(0x020),
  NumberProcessors: u32(0x024),
  BugCheckCode: u32(0x028),
  BugCheckParameter1: u32(0x02c),
  BugCheckParameter2: u32(0x030),
  BugCheckParameter3: u32(0x034),
  BugCheckParameter4: u32(0x038),
  VersionUser: bytes(0x03c, 32),
  PaeEnabled: u8(0x05c),
  KdSecondaryVersion: u8(0x05d),
  Spare: bytes(0x05e, 2),
  KdDebuggerDataBlock: u32(0x060),
  PhysicalMemoryBlockBuffer: bytes(0x064, PHYSICAL_MEMORY_BLOCK_SIZE),
  ContextRecord: bytes(0x320, 1200),
  Exception: nested(0x7d0, EXCEPTION_RECORD32),
  Comment: bytes(0x820, 128),
  Attributes: u32(0x8a0),
  BootId: u32(0x8a4),
  DumpType: u32(0xf88),
  MiniDumpFields: u32(0xf8c),
  SecondaryDataState: u32(0xf90),
  ProductType: u32(0xf94),
  SuiteMask: u32(0xf98),
  WriterStatus: u32(0xf9c),
  RequiredDumpSpace: u64(0xfa0),
  SystemUpTime: u64(0xfb8),
  SystemTime: u64(0xfc0),
});
export type DumpHeader32Patch = PatchOf<typeof DUMP_HEADER32>;

/** §1 note: NumberOfRuns u32 @0, 4 bytes pad, NumberOfPages u64 @8; Run[] at 0x10. */
export const PHYSICAL_MEMORY_DESCRIPTOR64 = table('PHYSICAL_MEMORY_DESCRIPTOR64', 0x10, {
  NumberOfRuns: u32(0x0),
  NumberOfPages: u64(0x8),
});
/** §1 note: BasePage (PFN) u64 + PageCount u64. */
export const PHYSICAL_MEMORY_RUN64 = table('PHYSICAL_MEMORY_RUN64', 0x10, {
  BasePage: u64(0x0),
  PageCount: u64(0x8),
});
/** §1 note: 700 bytes hold the head and 42 runs. */
export const MAX_RUNS64 = 42;

/** §1.1: NumberOfRuns u32, NumberOfPages u32; runs follow at 8. */
export const PHYSICAL_MEMORY_DESCRIPTOR32 = table('PHYSICAL_MEMORY_DESCRIPTOR32', 0x8, {
  NumberOfRuns: u32(0x0),
  NumberOfPages: u32(0x4),
});
/** §1.1: BasePage u32, PageCount u32. */
export const PHYSICAL_MEMORY_RUN32 = table('PHYSICAL_MEMORY_RUN32', 0x8, {
  BasePage: u32(0x0),
  PageCount: u32(0x4),
});

const FILLER = new TextEncoder().encode('PAGE');

/** §0: the repeating bytes `PAGE` over [start, end), in phase with offset 0 of `target`. */
export function fillPage(target: Uint8Array, start = 0, end = target.length): void {
  for (let i = start; i < end; i++) target[i] = FILLER[i & 3]!;
}

/** §0/§1: a DUMP_HEADER64 filled with `PAGE`, then Signature/ValidDump and the given fields written over it. */
export function encodeHeader64(fields: DumpHeader64Patch): Uint8Array {
  const out = new Uint8Array(DUMP_HEADER64.size);
  fillPage(out);
  writeStruct(out, 0, DUMP_HEADER64, { Signature: DUMP_SIGNATURE, ValidDump: DUMP_VALID_DUMP64, ...fields });
  return out;
}

/** §1.1: the same for the 0x1000-byte 32-bit header (`PAGE` `DUMP`). */
export function encodeHeader32(fields: DumpHeader32Patch): Uint8Array {
  const out = new Uint8Array(DUMP_HEADER32.size);
  fillPage(out);
  writeStruct(out, 0, DUMP_HEADER32, { Signature: DUMP_SIGNATURE, ValidDump: DUMP_VALID_DUMP32, ...fields });
  return out;
}

export interface Run {
  basePage: bigint;
  pageCount: bigint;
}

/** The 700-byte PhysicalMemoryBlockBuffer: `PAGE` filler, then the descriptor head and each run over it. */
function physicalMemoryBlock(
  runs: readonly Run[],
  writeHead: (out: Uint8Array, pages: bigint) => void,
  writeRun: (out: Uint8Array, index: number, run: Run) => void,
): Uint8Array {
  const out = new Uint8Array(PHYSICAL_MEMORY_BLOCK_SIZE);
  fillPage(out);
  writeHead(
    out,
    runs.reduce((n, r) => n + r.pageCount, 0n),
  );
  for (const [i, r] of runs.entries()) writeRun(out, i, r);
  return out;
}

/** §1 note: the block of a DumpType 1 dump — NumberOfPages is the sum of PageCount, `PAGE` after the last run. */
export function encodePhysicalMemoryBlock64(runs: readonly Run[]): Uint8Array {
  if (runs.length > MAX_RUNS64) throw new Error(`synth: ${runs.length} runs; the header holds at most ${MAX_RUNS64}`);
  return physicalMemoryBlock(
    runs,
    (out, pages) =>
      writeStruct(out, 0, PHYSICAL_MEMORY_DESCRIPTOR64, { NumberOfRuns: runs.length, NumberOfPages: pages }),
    (out, i, r) =>
      writeStruct(out, PHYSICAL_MEMORY_DESCRIPTOR64.size + i * PHYSICAL_MEMORY_RUN64.size, PHYSICAL_MEMORY_RUN64, {
        BasePage: r.basePage,
        PageCount: r.pageCount,
      }),
  );
}

/** §1.1: the 32-bit block (ULONG counts and runs). */
export function encodePhysicalMemoryBlock32(runs: readonly Run[]): Uint8Array {
  return physicalMemoryBlock(
    runs,
    (out, pages) =>
      writeStruct(out, 0, PHYSICAL_MEMORY_DESCRIPTOR32, { NumberOfRuns: runs.length, NumberOfPages: Number(pages) }),
    (out, i, r) =>
      writeStruct(out, PHYSICAL_MEMORY_DESCRIPTOR32.size + i * PHYSICAL_MEMORY_RUN32.size, PHYSICAL_MEMORY_RUN32, {
        BasePage: Number(r.basePage),
        PageCount: Number(r.pageCount),
      }),
  );
}
