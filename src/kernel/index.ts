export { Kernel, type CallbackRecordLayout, type KernelDiagnostic, type RegisteredRecord } from './kernel.js';
export { HIGH_LEVEL, DISPATCH_LEVEL } from './irql.js';
export {
  syntheticException,
  type BugCheckResult,
  type BugCheckHooks,
  type DumpStatus,
  type DumpStage,
} from './bugCheck.js';
export {
  kernelSettingsSchema,
  parseKernelSettings,
  defaultKernelSettings,
  dumpSettingsOf,
  type KernelSettings,
  type KernelSettingsInput,
} from './settings.js';
export { KernelError, KernelErrorCode, HighLevelViolationError, NestedBugCheckError } from './errors.js';
export type { Violation, ViolationKind } from './violations.js';
export type {
  CallbackReport,
  CallbackContribution,
  CallbackFault,
  SecondaryBlockReport,
  PageRangeReport,
} from './reports.js';
export type { KBugCheckReasonCallbackRoutine, KBugCheckCallbackRoutine, RoutineOptions } from './routines.js';
export { StructView, type VirtualAccessor } from './views.js';
export { recordChecksum, type RecordKind } from './records.js';
export { dumpTypeFor } from './secondary.js';
export type {
  CrashDumpKind,
  DumpSettings,
  BugCheckInfo,
  CrashDumpPlan,
  DumpIoListener,
  CrashDumpSession,
  CrashDumpSummary,
  CrashDumpWriterFactory,
} from './crashDumpTarget.js';
export { buildModelDiagnostics, encodeModelDiagnosticsBlock } from './modelDiagnostics.js';
