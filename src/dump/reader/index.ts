/** Public API of the dump reader; see src/dump/README.md. */
export { openDump, CrashDump } from './crashDump.js';
export { DumpError, DumpErrorCode } from './errors.js';
export type {
  OpenDumpOptions,
  DumpProblem,
  DumpHeaderInfo,
  DumpBody,
  PageStatus,
  PagingLevel,
  MemoryRead,
  Translation,
  SecondaryDataBlob,
  SecondaryDataScan,
  TriageModule,
  UnloadedDriverInfo,
  TriageDataBlockInfo,
  TriageInfo,
  ModuleList,
} from './types.js';
