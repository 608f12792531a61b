import {
  DUMP_HEADER64,
  DUMP_HEADER64_SIZE,
  DUMP_SIGNATURE,
  DUMP_VALID_DUMP64,
  EXCEPTION_RECORD64,
  ImageFileMachine,
  encodeContextRecord64,
  encodePhysicalMemoryDescriptor64,
  fillPagePattern,
  type ContextAmd64,
  type ExceptionRecord64,
} from '../../format/index.js';
import type { CrashDumpPlan } from '../../kernel/crashDumpTarget.js';
import type { Machine, PhysicalRun } from '../../machine/index.js';

/** MajorVersion of a free (retail) build. */
export const DUMP_MAJOR_VERSION_FREE = 0xf;
/** KdSecondaryVersion as the genuine 19041 sample has it (0: default). */
export const DUMP_KD_SECONDARY_VERSION = 0;

export interface HeaderFields {
  dumpType: number;
  requiredDumpSpace: bigint;
  /** DumpType 1 only: the runs of the body. */
  runs?: readonly PhysicalRun[];
  /** DumpType 4 only. */
  miniDumpFields?: number;
}

/**
 * DUMP_HEADER64: 0x2000 bytes of repeating 'PAGE' with the fields written
 * over it. Anything the writer has nothing to say about (VersionUser,
 * Comment, SecondaryDataState, BootId, padding, unused exception slots,
 * PhysicalMemoryBlock of non-runs dumps) stays 'PAGE' like genuine dumps.
 */
export function buildDumpHeader(machine: Machine, plan: CrashDumpPlan, fields: HeaderFields): Uint8Array {
  const header = new Uint8Array(DUMP_HEADER64_SIZE);
  fillPagePattern(header);
  const o = machine.options;
  DUMP_HEADER64.encodeInto(header, 0, {
    Signature: DUMP_SIGNATURE,
    ValidDump: DUMP_VALID_DUMP64,
    MajorVersion: DUMP_MAJOR_VERSION_FREE,
    MinorVersion: o.build,
    DirectoryTableBase: machine.kernelSpace.directoryTableBase,
    PfnDataBase: machine.symbols.MmPfnDatabase,
    PsLoadedModuleList: machine.symbols.PsLoadedModuleList,
    PsActiveProcessHead: machine.symbols.PsActiveProcessHead,
    MachineImageType: ImageFileMachine.AMD64,
    NumberProcessors: machine.processors.length,
    BugCheckCode: plan.bugCheck.code,
    BugCheckParameter1: plan.bugCheck.parameters[0],
    BugCheckParameter2: plan.bugCheck.parameters[1],
    BugCheckParameter3: plan.bugCheck.parameters[2],
    BugCheckParameter4: plan.bugCheck.parameters[3],
    KdDebuggerDataBlock: machine.symbols.KdDebuggerDataBlock,
    ContextRecord: encodeContext(plan.context),
    DumpType: fields.dumpType,
    RequiredDumpSpace: fields.requiredDumpSpace,
    SystemTime: o.systemTime,
    SystemUpTime: o.systemUpTime,
    ProductType: o.productType,
    SuiteMask: o.suiteMask,
    WriterStatus: 0,
    KdSecondaryVersion: DUMP_KD_SECONDARY_VERSION,
    Attributes: 0,
    ...(fields.miniDumpFields === undefined ? {} : { MiniDumpFields: fields.miniDumpFields }),
  });
  writeException(header, DUMP_HEADER64.offsets.Exception, plan.exception);
  if (fields.runs !== undefined) writeRuns(header, DUMP_HEADER64.offsets.PhysicalMemoryBlockBuffer, fields.runs);
  return header;
}

/**
 * The CONTEXT record padded to the 3000-byte ContextRecord field with
 * zeros (as genuine dumps do). FltSave.MxCsr is forced to equal MxCsr:
 * they are one register, and kdmp-parser rejects a dump where they differ.
 */
function encodeContext(context: ContextAmd64): Uint8Array {
  return encodeContextRecord64({ ...context, FltSave: { ...context.FltSave, MxCsr: context.MxCsr } });
}

/**
 * EXCEPTION_RECORD64 with only the NumberParameters used
 * ExceptionInformation slots written; the rest, and the alignment dword
 * after NumberParameters, stay 'PAGE' (as in genuine dumps).
 */
function writeException(header: Uint8Array, at: number, exception: ExceptionRecord64): void {
  const { ExceptionInformation, ...head } = exception;
  EXCEPTION_RECORD64.encodeInto(header, at, head);
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const used = Math.min(exception.NumberParameters >>> 0, 15, ExceptionInformation.length);
  for (let i = 0; i < used; i++) {
    view.setBigUint64(
      at + EXCEPTION_RECORD64.offsets.ExceptionInformation + 8 * i,
      BigInt.asUintN(64, ExceptionInformation[i]!),
      true,
    );
  }
}

/** The descriptor head and the runs; unused run slots (and the head's padding) are 'PAGE'. */
function writeRuns(header: Uint8Array, at: number, runs: readonly PhysicalRun[]): void {
  header.set(encodePhysicalMemoryDescriptor64(runs.map((r) => ({ BasePage: r.basePage, PageCount: r.pageCount }))), at);
}
