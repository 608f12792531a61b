/**
 * Public types of the dump reader (see src/dump/README.md). The shapes here
 * are the contract the analyzer and CLI code against; change them only with
 * the lead's agreement.
 */
import type {
  ContextAmd64,
  DumpMmStorage64,
  ExceptionRecord64,
  GuidString,
  KdDebuggerData64,
  TriageDump64,
} from '../../format/index.js';

export type { ContextAmd64, DumpMmStorage64, ExceptionRecord64, GuidString, KdDebuggerData64, TriageDump64 };

export interface OpenDumpOptions {
  /** Data pages kept in the page cache (4 KiB each, allocated as used); default 16384 (64 MiB). 0 disables it. */
  pageCacheSize?: number;
}

/** physicalChunks(): where the bytes go. */
export interface PhysicalChunkOptions {
  /** The buffer every chunk is read into (whole pages of it are used); default a new one of `chunkBytes`. */
  buffer?: Uint8Array;
  /** Size of the buffer to allocate when none is given: 4 KiB..64 MiB, default 4 MiB. */
  chunkBytes?: number;
}

/** A piece of the dump's physical memory as stored: consecutive file bytes and the pages they hold. */
export interface PhysicalChunk {
  /** The file bytes [fileOffset, fileOffset + bytes.length): a view of the buffer, overwritten by the next chunk. */
  bytes: Uint8Array;
  fileOffset: bigint;
  /** Runs of consecutive PFNs, in file order: run r holds pfn … pfn + pageCount - 1 at bytes[byteOffset…]. */
  runs: { pfn: bigint; pageCount: number; byteOffset: number }[];
}

/** Something wrong or unusual found while reading; the reader goes on where it can. */
export interface DumpProblem {
  code: string;
  severity: 'warning' | 'error';
  message: string;
  structure?: string;
  offset?: bigint;
}

/** Normalised view of DUMP_HEADER64 / DUMP_HEADER32. */
export interface DumpHeaderInfo {
  is64: boolean;
  signature: number;
  validDump: number;
  majorVersion: number;
  minorVersion: number;
  directoryTableBase: bigint;
  pfnDataBase: bigint;
  psLoadedModuleList: bigint;
  psActiveProcessHead: bigint;
  machineImageType: number;
  numberProcessors: number;
  bugCheckCode: number;
  bugCheckParameters: [bigint, bigint, bigint, bigint];
  kdDebuggerDataBlock: bigint;
  dumpType: number;
  requiredDumpSpace: bigint;
  systemTime: bigint;
  systemUpTime: bigint;
  comment: string | undefined;
  miniDumpFields: number;
  secondaryDataState: number;
  productType: number;
  suiteMask: number;
  writerStatus: number;
  kdSecondaryVersion: number;
  attributes: number;
  bootId: number;
}

export type DumpBody =
  | {
      kind: 'full';
      runs: { basePage: bigint; pageCount: bigint }[];
      numberOfPages: bigint;
      firstPageOffset: bigint;
      end: bigint;
    }
  | {
      kind: 'bitmap';
      signature: 'SDMP' | 'FDMP' | string;
      dumpOptions: number;
      firstPageOffset: bigint;
      pages: bigint;
      bitmapSize: bigint;
      end: bigint;
    }
  | { kind: 'triage'; sizeOfDump: bigint; end: bigint }
  /** Header-only / unsupported type / 32-bit: header + secondary data only. */
  | { kind: 'none'; reason: string };

export type PageStatus = 'present' | 'not-mapped' | 'not-in-dump';

export interface MemoryRead {
  address: bigint;
  /** Bytes that are not present read as 0. */
  bytes: Uint8Array;
  status: { address: bigint; length: number; status: PageStatus }[];
  complete: boolean;
}

/** Options of readVirtual (readVirtualInto and translate take `directoryTableBase` only). */
export interface ReadVirtualOptions {
  /** Translate through this DirectoryTableBase instead of the header's. */
  directoryTableBase?: bigint;
  /**
   * `bytes` may be the reader's own memory instead of a new array: a view of
   * the cached page when the range lies in one page, or of a scratch buffer.
   * Valid until the next call on this dump, and not to be written: copy what
   * you keep. Saves allocating fresh memory on every read of a hot set.
   */
  shared?: boolean;
}

/** What readVirtualInto / readPhysicalInto report: a MemoryRead whose bytes are in the caller's buffer. */
export type MemoryFill = Omit<MemoryRead, 'bytes'>;

/** x64 entry names, and ARM64's levels (translateArm64.ts). */
export type PagingLevel = 'PML4E' | 'PDPTE' | 'PDE' | 'PTE' | 'L0' | 'L1' | 'L2' | 'L3';

export type Translation =
  | { status: 'mapped'; pa: bigint; pageSize: number; inDump: boolean }
  | { status: 'not-mapped'; level: PagingLevel }
  | { status: 'not-in-dump'; level: PagingLevel; tablePa: bigint }
  | { status: 'non-canonical' }
  /** Triage dumps: the VA is served from a data block at this file offset. */
  | { status: 'triage'; fileOffset: bigint }
  | { status: 'unsupported'; reason: string };

export interface SecondaryDataBlob {
  index: number;
  guid: GuidString;
  size: number;
  /** File offset of the data. */
  offset: bigint;
  headerOffset: bigint;
  prePad: number;
  postPad: number;
}

export interface SecondaryDataScan {
  areaOffset: bigint | undefined;
  buildNumber: number | undefined;
  blobs: SecondaryDataBlob[];
  problems: DumpProblem[];
  endsAtEof: boolean;
}

export interface TriageModule {
  name: string;
  base: bigint;
  size: number;
  timeDateStamp: number;
  checkSum: number;
  /** File offset (triage) or virtual address (full/bitmap) of the entry. */
  entryOffset: bigint;
}

export interface UnloadedDriverInfo {
  name: string;
  startAddress: bigint;
  endAddress: bigint;
}

export interface TriageDataBlockInfo {
  virtualAddress: bigint;
  offset: bigint;
  size: number;
}

export interface TriageInfo {
  fields: TriageDump64;
  drivers: TriageModule[];
  unloadedDrivers: UnloadedDriverInfo[];
  /** The data blocks that lie inside the file, in table order (built when first read). */
  dataBlocks: TriageDataBlockInfo[];
  /** How many there are, and their bytes (without building the list). */
  dataBlockCount: number;
  dataBlockBytes: number;
  mmInfo: DumpMmStorage64 | undefined;
  stack: { topOfStack: bigint; offset: bigint; size: number };
}

export interface ModuleList {
  loaded: TriageModule[];
  unloaded: UnloadedDriverInfo[];
  problems: DumpProblem[];
}
