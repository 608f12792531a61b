/**
 * Public API of the dump reader; see src/dump/README.md. Nothing imported
 * here uses a Node module, so the same reader runs in a browser
 * (openDumpSource with a BlobDumpSource). openDump(path) loads the Node file
 * source on demand.
 */
import { DumpError } from './errors.js';
import { checkOpenOptions, openDumpSource, type CrashDump } from './crashDump.js';
import type { DumpSource } from './source.js';
import type { OpenDumpOptions } from './types.js';

export { openDumpSource, CrashDump, DEFAULT_PAGE_CACHE } from './crashDump.js';
export { DumpError, DumpErrorCode } from './errors.js';
export { BlobDumpSource, BytesDumpSource, type DumpSource } from './source.js';
export { pageWalkerFor, x64Walker, type PageWalker, type EntryReader, type WalkResult } from './translate.js';
export type {
  OpenDumpOptions,
  DumpProblem,
  DumpHeaderInfo,
  DumpBody,
  PageStatus,
  PagingLevel,
  MemoryRead,
  MemoryFill,
  ReadVirtualOptions,
  Translation,
  SecondaryDataBlob,
  SecondaryDataScan,
  TriageModule,
  UnloadedDriverInfo,
  TriageDataBlockInfo,
  TriageInfo,
  ModuleList,
  PhysicalChunk,
  PhysicalChunkOptions,
} from './types.js';

/** What fileSource.ts provides; named here so this module needs no Node types. */
interface FileSourceModule {
  openFileSource(path: string): Promise<DumpSource>;
}

/** Resolved at run time, so neither the type checker nor a bundler follows it into the Node-only module. */
const FILE_SOURCE_MODULE = './fileSource.js';

/**
 * Opens a dump file (Node). Throws DumpError only when not even the header
 * can be read and recognised. Elsewhere, use openDumpSource with a
 * BlobDumpSource or BytesDumpSource.
 */
export async function openDump(path: string, options?: OpenDumpOptions): Promise<CrashDump> {
  checkOpenOptions(options ?? {});
  let files: FileSourceModule;
  try {
    files = (await import(FILE_SOURCE_MODULE)) as FileSourceModule;
  } catch (e) {
    throw new DumpError(
      'E_DUMP_OPEN',
      `cannot open ${path}: there is no file system here (${e instanceof Error ? e.message : String(e)}); use openDumpSource with a BlobDumpSource`,
      { path },
    );
  }
  return openDumpSource(await files.openFileSource(path), options);
}
