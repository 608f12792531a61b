/** Public API of the analyzer; see src/analyze/README.md. */
export { analyzeDump } from './analyzeDump.js';
export { formatAnalysis, stackLines } from './formatAnalysis.js';
export { failureBucketId, bucketId } from './bucket.js';
export { walkStack, STACK_MAX_FRAMES, type StackFrame, type StackWalkOptions } from './stack.js';
export { ImageCatalog, readImageHeaders, type ModuleImage, type ImageHeaders } from './pe.js';
export { symbolize, bucketFunction, type CodeSymbol } from './symbols.js';
export { DumpMemory, type VirtualMemory } from './memory.js';
export { findCrashState, imageFileNameOffset, PROCESS_IMAGE_FILE_NAME_OFFSETS, type CrashState } from './crashState.js';
export { memoryAccess, memoryAccessLabel, FAULTING_IP_PARAMETER } from './facts.js';
export type {
  DumpAnalysis,
  BugCheckJson,
  BugCheckParameterMeaning,
  ContextJson,
  Amd64ContextJson,
  Arm64ContextJson,
  StackFrameJson,
  MemoryAccessJson,
  CrashStateJson,
  ExceptionRecordJson,
  FaultingModuleJson,
  SecondaryDataJson,
  ProblemJson,
} from './analysis.js';
export { formatHexdump, presenceFromStatus, type HexdumpOptions } from './hexdump.js';
export {
  formatEnumtag,
  formatEnumtagBytes,
  formatEnumtagHeading,
  formatEnumtagRest,
  type TaggedBlock,
} from './enumtag.js';
export { dumpHeaderListing, formatHeaderListing, type HeaderListing } from './headerListing.js';
export {
  listStructure,
  isFillerBytes,
  type ListedField,
  type ListedStructure,
  type FieldNoter,
} from './structureListing.js';
export {
  formatRegisters,
  contextJson,
  machineContextJson,
  decodeMachineContext,
  architectureOf,
  exceptionJson,
  GENERAL_REGISTERS,
  type Architecture,
  type MachineContext,
} from './context.js';
export { exceptionCodeName } from './exceptionCodes.js';
export { debuggerModuleName, findModule, moduleFileName, moduleOffsetText, type ModuleRange } from './modules.js';
export {
  walkBugCheckCallbacks,
  bugDumpJson,
  BUGDUMP_MAX_RECORDS,
  BUGDUMP_DEFAULT_MAX_BUFFER_BYTES,
  BUGDUMP_MAX_BUFFER_BYTES,
  BUGDUMP_MAX_TOTAL_BUFFER_BYTES,
  BUGDUMP_MAX_COMPONENT_BYTES,
  type BugDumpRecord,
  type BugDumpResult,
  type BugDumpOptions,
  type BugDumpJson,
  type BugDumpRecordJson,
} from './bugdump.js';
export { formatBugdump, formatBugdumpHeading, formatBugdumpRecord } from './formatBugdump.js';
export { readModelDiagnostics, formatModelDiagnostics } from './diagnostics.js';
export { plainStyle, type TextStyle } from './style.js';
export {
  capProblems,
  hiddenProblemsText,
  problemLine,
  PROBLEM_LINES_PER_CODE,
  type CappedProblems,
  type HiddenProblems,
  type ProblemKind,
} from './problems.js';
export { asciiChar, jsonHex, offsetHex, padHex, padVisible, printable, sizeHex, windbgAddress } from './text.js';
export { fileTimeToIso, formatUptime, linkTimestampIso, uptimeSeconds } from './time.js';
export {
  BUG_CHECK_CODES,
  lookupBugCheck,
  bugCheckName,
  describeBugCheckParameters,
  type BugCheckCodeInfo,
  type BugCheckParameterInfo,
  type BugCheckCaseInfo,
} from './bugcodes.js';
