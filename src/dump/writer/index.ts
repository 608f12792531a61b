/** Public API of the dump writer; see README.md beside this file. */
export {
  createCrashDumpWriter,
  crashDumpWriterFactory,
  openCrashDumpWriter,
  DEFAULT_IO_CHUNK_BYTES,
} from './crashDumpWriter.js';
export type { DumpWriterOptions, DumpWriterSession, DumpWriterSummary } from './crashDumpWriter.js';
export { FileDumpSink, MemoryDumpSink, fileDumpSink } from './sinks.js';
export type { DumpSink, DumpSinkFactory } from './sinks.js';
export { DumpWriterError, DumpWriterErrorCode } from './errors.js';
export type { TriageRangeProblem, TriageRangeProblemReason } from './triageDataBlocks.js';
