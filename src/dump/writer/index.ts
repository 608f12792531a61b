/** Public API of the dump writer; see README.md beside this file. */
export { createCrashDumpWriter, openCrashDumpWriter, DEFAULT_IO_CHUNK_BYTES } from './crashDumpWriter.js';
export type { DumpWriterSession, DumpWriterSummary } from './crashDumpWriter.js';
export { DumpWriterError, DumpWriterErrorCode } from './errors.js';
export type { TriageRangeProblem, TriageRangeProblemReason } from './triageDataBlocks.js';
