/**
 * bugcheck — the package's public API. One import gives the whole pipeline:
 * machine → kernel (bug check facility) → dump writer → file → reader → analysis.
 */
export {
  createMachine,
  SimulatedSystem,
  DriverObject,
  SystemError,
  type CreateMachineOptions,
  type DriverDefinition,
  type CDriverDefinition,
  type CDriverSourceDefinition,
} from './system.js';

// C drivers: compile C against our wdm.h, load it, call it (src/cdriver/README.md).
export * from './cdriver/index.js';
export { dbgPrintOutput, type DbgPrintEntry } from './kernel/services/index.js';

// Scenarios: what `bugcheck run` loads (ScenarioDefinition, runScenario, …).
export * from './scenario/index.js';

// Reading and analysing dumps (ours or genuine Windows ones).
export * from './dump/reader/index.js';
export * from './analyze/index.js';
export { BUG_CHECK_CODES, lookupBugCheck, bugCheckName, describeBugCheckParameters } from './analyze/bugcodes.js';
export type { BugCheckCodeInfo, BugCheckParameterInfo } from './analyze/bugcodes.js';

// The kernel facility and the machine it runs on.
export * from './kernel/index.js';
export {
  createX64Machine,
  Machine,
  PhysicalMemory,
  AddressSpace,
  PageFault,
  MachineError,
  type MachineOptions,
  type LoadedModule,
  type UnloadedModule,
  type KernelSymbols,
  type Processor,
  type MachineGuard,
  WasmWindow,
  WINDOW_ALIGNMENT,
  type WasmWindowLayout,
} from './machine/index.js';
export { createCrashDumpWriter, DumpWriterError } from './dump/writer/index.js';

// Structure layouts, constants and the GUID codec.
export * from './format/index.js';
