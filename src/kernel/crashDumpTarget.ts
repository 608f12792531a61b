/**
 * The seam between the kernel's bug check sequence and the dump writer.
 * The kernel owns the order of events (callbacks, passes); the writer owns
 * the bytes. The writer lives in src/dump and implements these types; the
 * kernel never imports it (data flows kernel → dump), it receives a factory.
 */
import type { Machine } from '../machine/index.js';
import type { ContextAmd64, ExceptionRecord64 } from '../format/index.js';
import type { GuidString } from '../format/guid.js';

export type CrashDumpKind = 'complete' | 'kernel' | 'small';

export interface DumpSettings {
  kind: CrashDumpKind;
  /** Complete dumps only: 'bitmap' writes DumpType 5 with an FDMP header (default); 'runs' writes DumpType 1. */
  completeFormat: 'bitmap' | 'runs';
  /** Output file path. */
  path: string;
  /** Largest single write, in bytes; each write is one KbCallbackDumpIo call. Default 0x100000. */
  ioChunkBytes: number;
}

export interface BugCheckInfo {
  code: number;
  parameters: readonly [bigint, bigint, bigint, bigint];
}

/** What the kernel hands the writer once every pre-write callback has run. */
export interface CrashDumpPlan {
  settings: DumpSettings;
  bugCheck: BugCheckInfo;
  /** Index of the processor that called KeBugCheckEx. */
  processorIndex: number;
  /** Crashing processor's context and the synthetic exception record Windows stores with it. */
  context: ContextAmd64;
  exception: ExceptionRecord64;
  /** PFNs added by KbCallbackAddPages (virtual ranges already translated by the kernel). */
  addedPages: ReadonlySet<bigint>;
  /** PFNs removed by KbCallbackRemovePages. Removal wins over addition. */
  removedPages: ReadonlySet<bigint>;
  /** Small dumps: extra virtual ranges to carry as triage data blocks (KbCallbackTriageDumpData). */
  triageRanges: readonly { address: bigint; size: number }[];
  /**
   * Upper bound of the secondary data area in bytes, headers and padding included (DumpBlob file header,
   * every blob header, data and padding; 0 when no block will be written). The writer sets RequiredDumpSpace
   * = end of the primary body + this, in the header it writes first, and never rewrites it.
   */
  secondaryDataSizeEstimate: number;
}

/** One report per write; `offset` is the file offset, or -1n for a sequential write; `data` is null for Complete. */
export type DumpIoListener = (type: number, offset: bigint, data: Uint8Array | null) => void;

/**
 * The listener a kernel hands the writer when no KbCallbackDumpIo record is
 * registered: nobody sees the writes, so the writer may gather each one from
 * the machine's page storage instead of assembling it in one buffer.
 */
export const SILENT_DUMP_IO_LISTENER: DumpIoListener = () => undefined;

export interface CrashDumpSession {
  /** Writes the header then the primary body; `progress` is told bytes done/total of the body. */
  writePrimary(progress?: (done: bigint, total: bigint) => void): void;
  /** Appends one tagged block to the secondary data area. */
  writeSecondaryData(guid: GuidString, data: Uint8Array): void;
  /** Flushes and closes the file, then reports KbDumpIoComplete (data null, length 0). */
  complete(): CrashDumpSummary;
  /** Closes the file without completing (used only when the writer itself failed). */
  abort(): void;
}

export interface CrashDumpSummary {
  path: string;
  dumpType: number;
  fileSize: bigint;
  primaryBodyEnd: bigint;
  secondaryDataOffset: bigint;
  blobCount: number;
  pagesWritten: bigint;
}

export type CrashDumpWriterFactory = (machine: Machine, plan: CrashDumpPlan, io: DumpIoListener) => CrashDumpSession;
