import {
  BUGCHECK_MODEL_DIAGNOSTICS_GUID,
  BugcheckError,
  EXCEPTION_NONCONTINUABLE,
  EXCEPTION_RECORD64,
  STATUS_BREAKPOINT,
  type ContextAmd64,
  type ExceptionRecord64,
} from '../format/index.js';
import type {
  BugCheckInfo,
  CrashDumpPlan,
  CrashDumpSession,
  CrashDumpSummary,
  CrashDumpWriterFactory,
} from './crashDumpTarget.js';
import { KernelError, KernelErrorCode } from './errors.js';
import { createDumpIoListener } from './dumpIo.js';
import { secondaryDataAreaEstimate } from './dumpSpace.js';
import { HIGH_LEVEL } from './irql.js';
import { encodeModelDiagnosticsBlock } from './modelDiagnostics.js';
import { pagesPass } from './pages.js';
import type { CallbackReport } from './reports.js';
import type { BugCheckRun } from './run.js';
import { secondaryDataPass, secondarySizePass } from './secondary.js';
import { triagePass } from './triage.js';
import { pageDumpKinds } from './versions.js';
import type { Violation } from './violations.js';

export type DumpStatus = 'written' | 'disabled' | 'no-writer' | 'failed';
export type DumpStage = 'create' | 'primary' | 'secondary' | 'complete';

export interface BugCheckResult {
  /** The bug check as KeBugCheckEx was called. */
  bugCheck: BugCheckInfo;
  /** The first KeBugCheckEx raised from inside a callback, if any (no second dump is written). */
  nested: BugCheckInfo | null;
  /** The stop code the blue screen ends up showing: the last one raised. */
  displayed: BugCheckInfo;
  processorIndex: number;
  /** The crashing processor's CONTEXT as captured (what the dump header carries). */
  context: ContextAmd64;
  /** Synthetic STATUS_BREAKPOINT at KeBugCheckEx, as in genuine dumps. */
  exception: ExceptionRecord64;
  dumpStatus: DumpStatus;
  /** From the writer's complete(); null unless dumpStatus is 'written'. */
  dump: CrashDumpSummary | null;
  dumpError: { stage: DumpStage; code: string; message: string } | null;
  /** What the writer was (or would have been) given; null when dumps are disabled. */
  plan: CrashDumpPlan | null;
  /** Every record seen, in the order first met (reason list, then legacy list). */
  callbacks: CallbackReport[];
  /** Every violation of every callback, plus corrupt-record skips, in order. */
  violations: Violation[];
}

export function syntheticException(keBugCheckEx: bigint): ExceptionRecord64 {
  const record = EXCEPTION_RECORD64.zero();
  record.ExceptionCode = STATUS_BREAKPOINT;
  record.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
  record.ExceptionRecord = 0n;
  record.ExceptionAddress = keBugCheckEx;
  record.NumberParameters = 0;
  return record;
}

function errorInfo(stage: DumpStage, error: unknown): { stage: DumpStage; code: string; message: string } {
  if (error instanceof BugcheckError) return { stage, code: error.code, message: error.message };
  return { stage, code: 'E_DUMP_WRITER', message: error instanceof Error ? error.message : String(error) };
}

/** Observers a host (CLI, tests) may attach; never called with anything a callback controls. */
export interface BugCheckHooks {
  /** Body bytes written so far / in total, as the writer reports them. */
  onDumpProgress?: (done: bigint, total: bigint) => void;
}

/**
 * The order of a bug check (callbacks.md §5.7): raise to HIGH_LEVEL and freeze
 * the other processors, record the code, capture the context; then, if dumps
 * are enabled, the secondary size pass, add/remove pages, triage, the primary
 * write, the secondary data pass, completion; the legacy callbacks last.
 */
export function executeBugCheck(
  run: BugCheckRun,
  processorIndex: number,
  createDumpWriter: CrashDumpWriterFactory | undefined,
  hooks: BugCheckHooks = {},
): BugCheckResult {
  const { machine, mem, settings } = run.k;
  const cpu = machine.processors[processorIndex];
  if (!cpu) throw new KernelError(KernelErrorCode.Processor, `no processor ${processorIndex} on this machine`);
  const callerIrql = cpu.irql;
  cpu.irql = HIGH_LEVEL;
  run.k.runner.processor = cpu;
  for (const other of machine.processors) if (other.index !== cpu.index) other.frozen = true;

  const { code, parameters } = run.bugCheck;
  const kiBugCheckData = machine.symbols.KiBugCheckData;
  if (kiBugCheckData !== 0n && mem.isResident(kiBugCheckData, 40)) {
    for (const [i, v] of [BigInt(code), ...parameters].entries()) mem.writeU64(kiBugCheckData + BigInt(8 * i), v);
  }
  // The stack, the running thread and the CONTEXT of KeBugCheckEx's entry (behind KPRCB.Context, and in the header).
  const context = machine.captureBugCheck(cpu, { code, parameters, irql: callerIrql });
  const exception = syntheticException(machine.symbols.KeBugCheckEx);

  run.audit();

  let dumpStatus: DumpStatus = 'disabled';
  let dump: CrashDumpSummary | null = null;
  let dumpError: BugCheckResult['dumpError'] = null;
  let plan: CrashDumpPlan | null = null;

  if (settings.dump.enabled) {
    const kind = settings.dump.kind;
    const sizePassBytes = secondarySizePass(run);
    const addedPages = new Set<bigint>();
    const removedPages = new Set<bigint>();
    const triageRanges: { address: bigint; size: number }[] = [];
    // What runs also depends on the machine's Windows build (versions.ts).
    const pageKinds = pageDumpKinds(settings, run.features);
    if (pageKinds.add.includes(kind)) pagesPass(run, 'add', addedPages);
    if (pageKinds.remove.includes(kind)) pagesPass(run, 'remove', removedPages);
    if (run.features.triageCallbacks && settings.triage.dumpKinds.includes(kind)) triagePass(run, triageRanges);
    machine.recordTriageDumpDataBlocks(triageRanges);
    const secondaryDataSizeEstimate = secondaryDataAreaEstimate(run, sizePassBytes);
    plan = {
      settings: run.dumpSettings,
      bugCheck: run.bugCheck,
      processorIndex: cpu.index,
      context,
      exception,
      addedPages,
      removedPages,
      triageRanges,
      secondaryDataSizeEstimate,
    };

    if (!createDumpWriter) {
      // Nothing is written, so there is no DumpIo; the data pass still runs and its blocks are reported.
      dumpStatus = 'no-writer';
      secondaryDataPass(run, () => undefined);
    } else {
      const { listener, records: dumpIoRecords } = createDumpIoListener(run);
      let session: CrashDumpSession | undefined;
      let stage: DumpStage = 'create';
      try {
        session = createDumpWriter(machine, plan, listener);
        stage = 'primary';
        session.writePrimary(hooks.onDumpProgress);
        stage = 'secondary';
        const writer = session;
        secondaryDataPass(run, (guid, data) => writer.writeSecondaryData(guid, data), dumpIoRecords > 0);
        if (settings.dump.modelDiagnostics) {
          run.finalizeReports(false);
          const block = encodeModelDiagnosticsBlock(
            run.bugCheck,
            run.nested[0] ?? null,
            run.log.all,
            run.callbackReports,
          );
          writer.writeSecondaryData(BUGCHECK_MODEL_DIAGNOSTICS_GUID, block);
        }
        stage = 'complete';
        dump = session.complete();
        dumpStatus = 'written';
      } catch (error) {
        dumpStatus = 'failed';
        dumpError = errorInfo(stage, error);
        try {
          session?.abort();
        } catch {
          // The writer already failed; closing it is best effort.
        }
      }
    }
  }

  const legacy = run.snapshot('legacy');
  run.guarded('legacy', legacy, function* (from, at) {
    for (let i = from; i < legacy.length; i++) {
      at.index = i;
      run.call('legacy', legacy[i]!);
      yield undefined;
    }
  });

  run.finalizeReports();
  const nested = run.nested[0] ?? null;
  return {
    bugCheck: run.bugCheck,
    nested,
    displayed: run.nested[run.nested.length - 1] ?? run.bugCheck,
    processorIndex: cpu.index,
    context,
    exception,
    dumpStatus,
    dump,
    dumpError,
    plan,
    callbacks: run.callbackReports,
    violations: run.log.all,
  };
}
