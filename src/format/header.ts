import {
  DUMP_HEADER32_SIZE,
  DUMP_HEADER64_SIZE,
  DUMP_SIGNATURE,
  DUMP_VALID_DUMP32,
  DUMP_VALID_DUMP64,
  fillPagePattern,
  isPageFiller,
} from './constants.js';
import { CONTEXT_AMD64, type ContextAmd64 } from './context.js';
import { FormatError } from './errors.js';
import { EXCEPTION_RECORD32, EXCEPTION_RECORD64 } from './exception.js';
import { bytes, struct, u32, u64, u8 } from './layout.js';

/** Size of the PhysicalMemoryBlock union in both headers. */
export const PHYSICAL_MEMORY_BLOCK_SIZE = 700;
/** Size of the ContextRecord buffer of DUMP_HEADER64 (the x64 CONTEXT uses its first 0x4D0 bytes). */
export const DUMP_CONTEXT_RECORD64_SIZE = 3000;
export const DUMP_CONTEXT_RECORD32_SIZE = 1200;
export const DUMP_COMMENT_SIZE = 128;

/**
 * DUMP_HEADER64 (mindumpdef.h), the first 0x2000 bytes of an x64 dump.
 * PhysicalMemoryBlockBuffer is 8-aligned because the C union holds ULONG64s,
 * which puts ContextRecord at 0x348.
 */
export const DUMP_HEADER64 = struct(
  'DUMP_HEADER64',
  {
    Signature: u32,
    ValidDump: u32,
    MajorVersion: u32,
    MinorVersion: u32,
    DirectoryTableBase: u64,
    PfnDataBase: u64,
    PsLoadedModuleList: u64,
    PsActiveProcessHead: u64,
    MachineImageType: u32,
    NumberProcessors: u32,
    BugCheckCode: u32,
    BugCheckParameter1: u64,
    BugCheckParameter2: u64,
    BugCheckParameter3: u64,
    BugCheckParameter4: u64,
    VersionUser: bytes(32),
    KdDebuggerDataBlock: u64,
    PhysicalMemoryBlockBuffer: bytes(PHYSICAL_MEMORY_BLOCK_SIZE, 8),
    ContextRecord: bytes(DUMP_CONTEXT_RECORD64_SIZE, 8),
    Exception: EXCEPTION_RECORD64,
    DumpType: u32,
    RequiredDumpSpace: u64,
    SystemTime: u64,
    Comment: bytes(DUMP_COMMENT_SIZE),
    SystemUpTime: u64,
    MiniDumpFields: u32,
    SecondaryDataState: u32,
    ProductType: u32,
    SuiteMask: u32,
    WriterStatus: u32,
    Unused1: u8,
    KdSecondaryVersion: u8,
    Unused: bytes(2),
    Attributes: u32,
    BootId: u32,
  },
  { size: DUMP_HEADER64_SIZE },
);
export type DumpHeader64 = ReturnType<typeof DUMP_HEADER64.decode>;

/** DUMP_HEADER32 (mindumpdef.h), 0x1000 bytes, for 32-bit targets. Pointers are ULONGs. */
export const DUMP_HEADER32 = struct(
  'DUMP_HEADER32',
  {
    Signature: u32,
    ValidDump: u32,
    MajorVersion: u32,
    MinorVersion: u32,
    DirectoryTableBase: u32,
    PfnDataBase: u32,
    PsLoadedModuleList: u32,
    PsActiveProcessHead: u32,
    MachineImageType: u32,
    NumberProcessors: u32,
    BugCheckCode: u32,
    BugCheckParameter1: u32,
    BugCheckParameter2: u32,
    BugCheckParameter3: u32,
    BugCheckParameter4: u32,
    VersionUser: bytes(32),
    PaeEnabled: u8,
    KdSecondaryVersion: u8,
    Spare: bytes(2),
    KdDebuggerDataBlock: u32,
    PhysicalMemoryBlockBuffer: bytes(PHYSICAL_MEMORY_BLOCK_SIZE, 4),
    ContextRecord: bytes(DUMP_CONTEXT_RECORD32_SIZE, 4),
    Exception: EXCEPTION_RECORD32,
    Comment: bytes(DUMP_COMMENT_SIZE),
    Attributes: u32,
    BootId: u32,
    _reserved0: bytes(1760),
    DumpType: u32,
    MiniDumpFields: u32,
    SecondaryDataState: u32,
    ProductType: u32,
    SuiteMask: u32,
    WriterStatus: u32,
    RequiredDumpSpace: u64,
    _reserved2: bytes(16),
    SystemUpTime: u64,
    SystemTime: u64,
    _reserved3: bytes(56),
  },
  { size: DUMP_HEADER32_SIZE },
);
export type DumpHeader32 = ReturnType<typeof DUMP_HEADER32.decode>;

/**
 * A DUMP_HEADER64 the way Windows writes one: the whole 0x2000 bytes filled
 * with `PAGE`, then the given fields written over it (fields left out stay
 * `PAGE`, including padding). Signature and ValidDump default to PAGE/DU64.
 */
export function encodeDumpHeader64(fields: Partial<DumpHeader64>): Uint8Array {
  const out = new Uint8Array(DUMP_HEADER64_SIZE);
  fillPagePattern(out);
  DUMP_HEADER64.encodeInto(out, 0, { Signature: DUMP_SIGNATURE, ValidDump: DUMP_VALID_DUMP64, ...fields });
  return out;
}

/** As encodeDumpHeader64, for the 0x1000-byte 32-bit header (defaults PAGE/DUMP). */
export function encodeDumpHeader32(fields: Partial<DumpHeader32>): Uint8Array {
  const out = new Uint8Array(DUMP_HEADER32_SIZE);
  fillPagePattern(out);
  DUMP_HEADER32.encodeInto(out, 0, { Signature: DUMP_SIGNATURE, ValidDump: DUMP_VALID_DUMP32, ...fields });
  return out;
}

/** A ContextRecord buffer (3000 bytes): the CONTEXT at its start, the rest zero as in genuine dumps. */
export function encodeContextRecord64(context: Partial<ContextAmd64>): Uint8Array {
  const out = new Uint8Array(DUMP_CONTEXT_RECORD64_SIZE);
  out.set(CONTEXT_AMD64.encode(context));
  return out;
}

/** The x64 CONTEXT held at the start of a header's ContextRecord. */
export function headerContext64(header: Pick<DumpHeader64, 'ContextRecord'>): ContextAmd64 {
  return CONTEXT_AMD64.decode(header.ContextRecord, 0);
}

// ---- PHYSICAL_MEMORY_DESCRIPTOR64 (the PhysicalMemoryBlock of a DumpType 1 dump) ----

export const PHYSICAL_MEMORY_RUN64 = struct('PHYSICAL_MEMORY_RUN64', {
  BasePage: u64,
  PageCount: u64,
});
export type PhysicalMemoryRun64 = ReturnType<typeof PHYSICAL_MEMORY_RUN64.decode>;

/** The fixed head of the descriptor; Run[] follows at 0x10. */
export const PHYSICAL_MEMORY_DESCRIPTOR64 = struct('PHYSICAL_MEMORY_DESCRIPTOR64', {
  NumberOfRuns: u32,
  NumberOfPages: u64,
});
export type PhysicalMemoryDescriptor64 = ReturnType<typeof PHYSICAL_MEMORY_DESCRIPTOR64.decode>;

/** Offset of Run[0] within the descriptor. */
export const PHYSICAL_MEMORY_RUNS_OFFSET = PHYSICAL_MEMORY_DESCRIPTOR64.size;
/** Runs that fit in the 700-byte union after the 16-byte head. */
export const MAX_PHYSICAL_MEMORY_RUNS64 = Math.floor(
  (PHYSICAL_MEMORY_BLOCK_SIZE - PHYSICAL_MEMORY_RUNS_OFFSET) / PHYSICAL_MEMORY_RUN64.size,
);

/** Highest PFN a 52-bit physical address space allows, + 1. */
const PFN_LIMIT = 1n << 40n;

/**
 * Encodes the PhysicalMemoryBlockBuffer (700 bytes): head, runs, and `PAGE`
 * filler after the last run (the header around it is filler too).
 * NumberOfPages is the sum of PageCount. Throws FormatError for more than 42
 * runs or a run outside the 52-bit physical address space.
 */
export function encodePhysicalMemoryDescriptor64(runs: readonly PhysicalMemoryRun64[]): Uint8Array {
  if (runs.length > MAX_PHYSICAL_MEMORY_RUNS64) {
    throw new FormatError(
      `PHYSICAL_MEMORY_DESCRIPTOR64: ${runs.length} runs do not fit; the header holds at most ${MAX_PHYSICAL_MEMORY_RUNS64}`,
      { structure: 'PHYSICAL_MEMORY_DESCRIPTOR64', field: 'NumberOfRuns' },
    );
  }
  let pages = 0n;
  runs.forEach((run, i) => {
    if (run.BasePage < 0n || run.PageCount < 0n || run.BasePage + run.PageCount > PFN_LIMIT) {
      throw new FormatError(
        `PHYSICAL_MEMORY_DESCRIPTOR64: Run[${i}] (BasePage ${run.BasePage}, PageCount ${run.PageCount}) is outside physical memory`,
        {
          structure: 'PHYSICAL_MEMORY_DESCRIPTOR64',
          field: `Run[${i}]`,
          offset: PHYSICAL_MEMORY_RUNS_OFFSET + i * PHYSICAL_MEMORY_RUN64.size,
        },
      );
    }
    pages += run.PageCount;
  });
  const out = new Uint8Array(PHYSICAL_MEMORY_BLOCK_SIZE);
  fillPagePattern(out);
  PHYSICAL_MEMORY_DESCRIPTOR64.encodeInto(out, 0, { NumberOfRuns: runs.length, NumberOfPages: pages });
  for (const [i, run] of runs.entries())
    PHYSICAL_MEMORY_RUN64.encodeInto(out, PHYSICAL_MEMORY_RUNS_OFFSET + i * PHYSICAL_MEMORY_RUN64.size, run);
  return out;
}

export interface DecodedPhysicalMemoryDescriptor64 {
  /** NumberOfRuns exactly as stored. */
  numberOfRuns: number;
  /** NumberOfPages exactly as stored. */
  numberOfPages: bigint;
  /** The runs actually decoded: at most MAX_PHYSICAL_MEMORY_RUNS64, never beyond the 700 bytes. */
  runs: PhysicalMemoryRun64[];
  /** Sum of PageCount over `runs`. */
  pageSum: bigint;
  /** What is wrong with the descriptor, one sentence each; empty when it is consistent. */
  problems: string[];
}

/**
 * Decodes a PhysicalMemoryBlockBuffer. Reads only the first 700 bytes of
 * `block` and never trusts NumberOfRuns for a size: a count beyond 42 (e.g.
 * the `PAGE` filler of a non-full dump) is reported in `problems` and only
 * the runs that fit are decoded. Throws FormatError only if `block` is
 * shorter than 700 bytes.
 */
export function decodePhysicalMemoryDescriptor64(block: Uint8Array): DecodedPhysicalMemoryDescriptor64 {
  if (block.length < PHYSICAL_MEMORY_BLOCK_SIZE) {
    throw new FormatError(
      `PHYSICAL_MEMORY_DESCRIPTOR64 needs ${PHYSICAL_MEMORY_BLOCK_SIZE} bytes, got ${block.length}`,
      {
        structure: 'PHYSICAL_MEMORY_DESCRIPTOR64',
      },
    );
  }
  const area = block.subarray(0, PHYSICAL_MEMORY_BLOCK_SIZE);
  const head = PHYSICAL_MEMORY_DESCRIPTOR64.decode(area, 0);
  const problems: string[] = [];
  if (isPageFiller(head.NumberOfRuns))
    problems.push(`NumberOfRuns is the 'PAGE' filler: the descriptor was never written`);
  let count = head.NumberOfRuns;
  if (count > MAX_PHYSICAL_MEMORY_RUNS64) {
    problems.push(
      `NumberOfRuns ${count} exceeds the ${MAX_PHYSICAL_MEMORY_RUNS64} runs that fit in the header; only ${MAX_PHYSICAL_MEMORY_RUNS64} were read`,
    );
    count = MAX_PHYSICAL_MEMORY_RUNS64;
  }
  const runs: PhysicalMemoryRun64[] = [];
  let pageSum = 0n;
  let previousEnd = -1n;
  for (let i = 0; i < count; i++) {
    const run = PHYSICAL_MEMORY_RUN64.decode(area, PHYSICAL_MEMORY_RUNS_OFFSET + i * PHYSICAL_MEMORY_RUN64.size);
    if (run.BasePage + run.PageCount > PFN_LIMIT)
      problems.push(
        `Run[${i}] (BasePage 0x${run.BasePage.toString(16)}, PageCount 0x${run.PageCount.toString(16)}) is beyond a 52-bit physical address space`,
      );
    if (run.BasePage < previousEnd)
      problems.push(
        `Run[${i}] starts at PFN 0x${run.BasePage.toString(16)}, before the end of the previous run (overlapping or unsorted)`,
      );
    previousEnd = run.BasePage + run.PageCount;
    pageSum += run.PageCount;
    runs.push(run);
  }
  if (pageSum !== head.NumberOfPages)
    problems.push(
      `NumberOfPages 0x${head.NumberOfPages.toString(16)} differs from the sum of the runs' PageCount 0x${pageSum.toString(16)}`,
    );
  return { numberOfRuns: head.NumberOfRuns, numberOfPages: head.NumberOfPages, runs, pageSum, problems };
}
