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

interface ContextJsonBase {
  /**
   * Where the CONTEXT came from: `KPRCB.Context (processor 0, triage PRCB copy)`,
   * `KPRCB.Context (processor 2, KiProcessorBlock[2])`, `header ContextRecord`,
   * or the bug check parameter that points at one (`BugCheckParameter4`).
   */
  source: string;
  /** Processor whose KPRCB led to this CONTEXT. */
  processor?: number;
  /** Address the CONTEXT was read from (absent for the header copy). */
  address?: string;
  contextFlags: string;
  /** Every integer register by its WinDbg name (x64: rax…r15, rip; ARM64: x0…x28, fp, lr, sp, pc). */
  registers: Record<string, string>;
  /** The 128-bit registers (x64: xmm0…xmm15 from FltSave; ARM64: v0…v31). */
  vectors: Record<string, string>;
}

export interface Amd64ContextJson extends ContextJsonBase {
  architecture: 'AMD64';
  rip: string;
  rsp: string;
  rbp: string;
  eflags: string;
  mxcsr: string;
  /** cs ds es fs gs ss. */
  segments: Record<string, string>;
}

export interface Arm64ContextJson extends ContextJsonBase {
  architecture: 'ARM64';
  pc: string;
  sp: string;
  /** x29. */
  fp: string;
  /** x30. */
  lr: string;
  cpsr: string;
  fpcr: string;
  fpsr: string;
}

export type ContextJson = Amd64ContextJson | Arm64ContextJson;

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
  /** Name as the dump records it (`\\SystemRoot\\System32\\drivers\\amdppm.sys`). */
  image: string;
  base: string;
  end: string;
  /** The faulting address (FAULTING_IP) and its offset in the module. */
  address: string;
  offset: string;
  /** `amdppm+0x334c`, or `devstate!MyDpcRoutine+0x10` when the image's export table names it. */
  symbol: string;
  /** `BugCheckParameter2`, `BugCheckParameter3 CONTEXT.Rip`, `stack frame 3`, `kernel (stack frame 0)`, … */
  source: string;
  /**
   * The function part of the bucket ids: `devstate!MyDpcRoutine` when the
   * export table names the function, else `amdppm+0x3290` (the function's
   * start from the unwind data, or the faulting offset when that is unknown).
   */
  function: string;
}

/** One line of STACK_TEXT. */
export interface StackFrameJson {
  /** 0 = the innermost frame (the context's own). */
  frame: number;
  /** Stack pointer of this frame (WinDbg's Child-SP). */
  sp: string;
  /** Where the frame executes (its Call Site): the context's pc for frame 0, else the return address the caller pushed. */
  pc: string;
  /** Where this frame returns to (the next frame's pc); null for the last frame when unknown. */
  returnAddress: string | null;
  /** WinDbg module name of `pc`, or null outside every listed module. */
  module: string | null;
  /** `nt!KeBugCheckEx`, `amdppm+0x334c`, or the bare address. */
  symbol: string;
  /** Offset of `pc` in its module (`0x334c`), or null. */
  offset: string | null;
  /**
   * How this frame was found: `context` (a CONTEXT's registers: frame 0, or an
   * exception/trap context met on the stack), `unwind` (UNWIND_INFO from the
   * image's exception directory), `frame-record` (ARM64 fp chain), `scan`
   * (a stack slot holding an address inside a loaded module).
   */
  method: 'context' | 'unwind' | 'frame-record' | 'scan';
  /** For `scan` frames: whether the bytes before the address are a call instruction (`call`) or not in the dump (`unverified`). */
  callSite?: 'call' | 'unverified';
  /** For `context` frames after frame 0: which context. */
  contextSource?: string;
}

/** How the memory-access bug checks describe the faulting access. */
export interface MemoryAccessJson {
  /** READ_ADDRESS, WRITE_ADDRESS or EXECUTE_ADDRESS, as WinDbg labels it. */
  kind: 'read' | 'write' | 'execute' | 'unknown';
  address: string;
  /** `BugCheckParameter1`, `EXCEPTION_RECORD.ExceptionInformation[1]`, … */
  source: string;
}

/** The crashing processor's state as the analysis found it. */
export interface CrashStateJson {
  /** Processor whose KPRCB was read (the triage PRCB copy, or the KiProcessorBlock entry chosen). */
  processor?: number;
  /** How that processor was chosen among KiProcessorBlock's (kernel/complete dumps). */
  processorChoice?: string;
  prcb?: string;
  currentThread?: string;
  process?: string;
  /** Stack bounds of the current thread, when its KTHREAD is in the dump. */
  stackBase?: string;
  stackLimit?: string;
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
  /** PROCESS_NAME: EPROCESS.ImageFileName of the current thread's process. */
  processName?: string;
  /** READ_ADDRESS / WRITE_ADDRESS of the memory-access bug checks (0xA, 0xD1, 0x50, 0x1E/0x7E/0x8E with 0xC0000005, …). */
  memoryAccess?: MemoryAccessJson;
  /** FAILURE_BUCKET_ID: `<CODE>_<module>!<function>` or `<CODE>_<module>+0x<offset>` (failureBucketId()). */
  failureBucketId?: string;
  /** BUCKET_ID: the same with the base code (`_M` bit dropped), as WinDbg's legacy bucket. */
  bucketId?: string;
  /**
   * The registers shown by default: the crashing processor's KPRCB.Context
   * (what WinDbg and rizin show: the KeBugCheckEx frame) when the dump has it,
   * else the header ContextRecord. `source` says which.
   */
  context?: ContextJson;
  /** The header's ContextRecord (WinDbg's `.cxr` context of the dump). */
  headerContext?: ContextJson;
  /** Where the crashing processor's structures are. */
  crashState?: CrashStateJson;
  /** STACK_TEXT, innermost frame first. */
  stack?: StackFrameJson[];
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
