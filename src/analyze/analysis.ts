/**
 * The result of analyzeDump: a plain JSON value (what `bugcheck analyze
 * --json` prints). Numbers that are addresses, codes or raw field values are
 * `0x…` lower-case hex strings; counts and sizes are numbers; GUIDs are
 * lower-case. Optional members are absent when the dump cannot tell.
 */
import type { ModelDiagnostics } from '../format/index.js';

export interface ProblemJson {
  code: string;
  severity: 'warning' | 'error';
  message: string;
  structure?: string;
  /** File offset, `0x…`. */
  offset?: string;
}

export interface BugCheckParameterMeaning {
  name: string;
  meaning: string;
}

export interface BugCheckJson {
  /** `0x1000007e`. */
  code: string;
  /** Symbolic name from the public reference, or `UNKNOWN_BUGCHECK_CODE_0x…`. */
  name: string;
  summary?: string;
  /** BugCheckParameter1..4. */
  parameters: [string, string, string, string];
  /** What each parameter means for this code (and the selected case). */
  parameterMeanings?: [
    BugCheckParameterMeaning,
    BugCheckParameterMeaning,
    BugCheckParameterMeaning,
    BugCheckParameterMeaning,
  ];
  /** The case one parameter (P1 unless the code says otherwise) selects. */
  case?: { parameter: number; value: string; description: string };
  /** Module+offset of parameters that point into a loaded module (null where they do not). */
  parameterSymbols?: (string | null)[];
  /** For codes whose P1 is an exception code: that code and its NTSTATUS name. */
  exceptionCode?: { code: string; name?: string };
}

export interface ContextJson {
  /** Where the CONTEXT came from: the dump header, or the bug check parameter that points at one. */
  source: string;
  /** Address the CONTEXT was read from (absent for the header copy). */
  address?: string;
  contextFlags: string;
  rip: string;
  rsp: string;
  rbp: string;
  eflags: string;
  /** rax rbx rcx rdx rsi rdi rsp rbp r8–r15 rip. */
  registers: Record<string, string>;
  /** cs ds es fs gs ss. */
  segments: Record<string, string>;
}

export interface ExceptionRecordJson {
  source: string;
  address?: string;
  code: string;
  codeName?: string;
  flags: string;
  /** ExceptionAddress. */
  exceptionAddress: string;
  /** Module+offset of ExceptionAddress when it falls in a module. */
  exceptionSymbol?: string;
  /** ExceptionInformation[0 .. NumberParameters-1] (at most 15). */
  parameters: string[];
}

export interface FaultingModuleJson {
  /** WinDbg module name: `amdppm`, `nt` for the kernel. */
  name: string;
  /** Name as the dump records it (`\SystemRoot\System32\drivers\amdppm.sys`). */
  image: string;
  base: string;
  end: string;
  /** The address that falls in the module and what it was. */
  address: string;
  offset: string;
  /** `amdppm+0x334c`. */
  symbol: string;
  /** `BugCheckParameter2`, `ContextRecord.Rip`, … */
  source: string;
}

export interface SecondaryDataJson {
  guid: string;
  size: number;
}

export interface DumpAnalysis {
  file: string;
  fileSize: number;
  dumpType: number;
  /** mindumpdef.h name, `DUMP_TYPE_TRIAGE`. */
  dumpTypeName: string;
  is64: boolean;
  /** `AMD64`, `I386`, `ARM64`, `unknown (0x…)`. */
  machine: string;
  machineType: string;
  processors: number;
  /** OS build number (header MinorVersion). */
  build: number;
  majorVersion: number;
  /** `Free` (MajorVersion 0xF), `Checked` (0xC), else `unknown (0x…)`. */
  buildType: string;
  productType: number;
  /** ISO 8601 UTC from the header's FILETIME; absent when not written. */
  systemTime?: string;
  /** Time since boot at the crash. */
  systemUpTime?: { seconds: number; text: string };
  /** DUMP_FILE_ATTRIBUTES names (absent when the field was not written). */
  attributes?: string[];
  body: { kind: string; end?: string; reason?: string };
  bugCheck: BugCheckJson;
  faultingModule?: FaultingModuleJson;
  /** Header ContextRecord: the processor state at the crash. */
  context?: ContextJson;
  /** Header Exception: the record the dump writer stored with the context. */
  exception?: ExceptionRecordJson;
  /** EXCEPTION_RECORD a bug check parameter points at (e.g. 0x7E P3), when the dump holds it. */
  bugCheckExceptionRecord?: ExceptionRecordJson;
  /** CONTEXT a bug check parameter points at (e.g. 0x7E P4), when the dump holds it. */
  bugCheckContext?: ContextJson;
  modules: { loaded: number; unloaded: number };
  triage?: {
    drivers: number;
    unloadedDrivers: number;
    dataBlocks: number;
    dataBlockBytes: number;
    topOfStack: string;
    stackBytes: number;
    miniDumpFields: string[];
  };
  secondaryData: SecondaryDataJson[];
  secondaryDataSummary: { count: number; totalBytes: number; areaOffset?: string };
  /**
   * bugcheck's own model-diagnostics block (GUID 8e040bfb-…), decoded: HIGH_LEVEL
   * violations and each callback's outcome. Absent for dumps without it (genuine Windows dumps).
   */
  modelDiagnostics?: ModelDiagnostics;
  problems: ProblemJson[];
}
