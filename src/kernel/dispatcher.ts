import { KBugCheckBufferDumpState, hex } from '../format/index.js';
import { userLocationSuffix } from './errorLocation.js';
import { PageFault, type Machine, type MachineGuard, type MemoryAccess, type Processor } from '../machine/index.js';
import { HighLevelViolationError, NestedBugCheckError } from './errors.js';
import { HIGH_LEVEL } from './irql.js';
import type { KernelMemory } from './memory.js';
import { readState, writeState, type RecordKind } from './records.js';
import type { CallbackReport } from './reports.js';
import type { Violation, ViolationKind } from './violations.js';

/** Where violations go while a bug check runs. */
export class ViolationLog {
  readonly all: Violation[] = [];

  add(violation: Violation, report?: CallbackReport): Violation {
    this.all.push(violation);
    report?.violations.push(violation);
    return violation;
  }
}

interface ActiveCall {
  report: CallbackReport;
  /** A HIGH_LEVEL rule was broken during this call (even if the routine caught what we threw). */
  violated: boolean;
  /** KeBugCheckEx was called during this call (it never returns, so the call cannot have completed). */
  nested: boolean;
}

export type CallOutcome = 'finished' | 'incomplete' | 'deregistered';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}${userLocationSuffix(error)}`;
  try {
    return `non-Error value thrown: ${String(error)}`;
  } catch {
    return 'non-Error value thrown';
  }
}

/**
 * Runs one callback routine under the HIGH_LEVEL rules: installs the guard on
 * the machine, moves the record's State through Started to Finished or
 * Incomplete, and turns anything the routine does wrong into a violation
 * instead of letting it escape into the bug check. Every routine starts at
 * HIGH_LEVEL: whatever one does to the processor's IRQL is undone after it.
 */
export class CallbackRunner {
  private current: ActiveCall | null = null;
  log: ViolationLog | null = null;
  /** The processor the bug check runs on (set by the bug check once it has raised it to HIGH_LEVEL). */
  processor: Processor | null = null;

  readonly guard: MachineGuard = {
    onAccess: (address: bigint, length: number, access: MemoryAccess, pageable: boolean): void => {
      if (this.current === null || this.mem.privileged) return;
      if (pageable)
        this.raise('paged-memory', `${access} of ${length} byte(s) at ${hex(address)}, which is pageable`, address);
    },
    onAllocate: (flags: bigint, numberOfBytes: number, tag: number): void => {
      if (this.current === null || this.mem.privileged) return;
      this.raise('allocate', `pool allocation of ${numberOfBytes} byte(s), flags ${hex(flags)}, tag ${hex(tag)}`);
    },
    onFree: (address: bigint, tag: number): void => {
      if (this.current === null || this.mem.privileged) return;
      this.raise('free', `pool free of ${hex(address)}, tag ${hex(tag)}`, address);
    },
  };

  constructor(
    private readonly machine: Machine,
    private readonly mem: KernelMemory,
    /** Whether the record is still registered (false once deregistered, even from inside its own call). */
    private readonly isRegistered: (record: bigint) => boolean,
  ) {}

  /** The report of the routine running now, if any. */
  get activeReport(): CallbackReport | null {
    return this.current?.report ?? null;
  }

  /** Records a HIGH_LEVEL violation against the running routine and unwinds it. */
  raise(kind: ViolationKind, detail: string, address?: bigint): never {
    const call = this.current;
    const violation: Violation = {
      component: call?.report.component ?? '',
      record: call?.report.record ?? null,
      reason: call?.report.reason ?? null,
      kind,
      detail,
      ...(address !== undefined ? { address } : {}),
    };
    this.log?.add(violation, call?.report);
    if (call) call.violated = true;
    throw new HighLevelViolationError(violation);
  }

  /** KeBugCheckEx from inside a routine: note it; the caller throws NestedBugCheckError. */
  noteNestedBugCheck(detail: string): void {
    const call = this.current;
    if (call) call.nested = true;
    this.log?.add(
      {
        component: call?.report.component ?? '',
        record: call?.report.record ?? null,
        reason: call?.report.reason ?? null,
        kind: 'nested-bugcheck',
        detail,
      },
      call?.report,
    );
  }

  /** `registered` answers isRegistered(record) (the caller may know it more cheaply). */
  run(
    report: CallbackReport,
    kind: RecordKind,
    record: bigint,
    invoke: () => unknown,
    registered: () => boolean = () => this.isRegistered(record),
  ): CallOutcome {
    writeState(this.mem, kind, record, KBugCheckBufferDumpState.BufferStarted);
    report.calls++;
    const call: ActiveCall = { report, violated: false, nested: false };
    const previousGuard = this.machine.guard;
    this.machine.guard = this.guard;
    this.current = call;
    let returned: unknown;
    let threw = false;
    let thrown: unknown;
    try {
      returned = invoke();
    } catch (error) {
      threw = true;
      thrown = error;
    } finally {
      this.machine.guard = previousGuard;
      this.current = null;
    }
    this.restoreIrql(report, record, call);

    let failed = call.violated || call.nested;
    if (threw) {
      failed = true;
      this.recordThrow(report, thrown);
    } else if (isThenable(returned)) {
      failed = true;
      // A rejected promise must not surface later as an unhandled rejection.
      if (returned instanceof Promise) returned.catch(() => undefined);
      const v = this.log?.add(
        {
          component: report.component,
          record,
          reason: report.reason,
          kind: 'promise',
          detail: 'the routine returned a Promise/thenable; work after its first await runs after the bug check',
        },
        report,
      );
      report.faults.push({ call: report.calls, kind: 'promise', message: v?.detail ?? 'returned a thenable' });
    } else if (failed) {
      const first = [...report.violations].reverse().find((v) => v.kind !== 'limit');
      report.faults.push({
        call: report.calls,
        kind: call.nested ? 'nested-bugcheck' : (first?.kind ?? 'exception'),
        message: call.nested
          ? 'raised a nested bug check'
          : `caught the error raised for a HIGH_LEVEL violation (${first?.detail ?? ''})`,
      });
    }

    if (!registered() && readState(this.mem, kind, record) === KBugCheckBufferDumpState.BufferEmpty) {
      report.deregisteredDuringBugCheck = true;
      return 'deregistered';
    }
    writeState(
      this.mem,
      kind,
      record,
      failed ? KBugCheckBufferDumpState.BufferIncomplete : KBugCheckBufferDumpState.BufferFinished,
    );
    return failed ? 'incomplete' : 'finished';
  }

  /**
   * A routine that left the processor below (or above) HIGH_LEVEL by a path
   * the kernel did not see (KeReleaseSpinLock refuses at the call) broke the
   * rule all the same; the next routine must start at HIGH_LEVEL again.
   */
  private restoreIrql(report: CallbackReport, record: bigint, call: ActiveCall): void {
    const cpu = this.processor;
    if (cpu === null || cpu.irql === HIGH_LEVEL) return;
    const found = cpu.irql;
    cpu.irql = HIGH_LEVEL;
    call.violated = true;
    this.log?.add(
      {
        component: report.component,
        record,
        reason: report.reason,
        kind: 'irql',
        detail: `the routine returned at IRQL ${String(found)}; a bug check callback must leave the processor at HIGH_LEVEL (${HIGH_LEVEL}), which was restored`,
      },
      report,
    );
  }

  private recordThrow(report: CallbackReport, error: unknown): void {
    if (error instanceof HighLevelViolationError) {
      report.faults.push({ call: report.calls, kind: error.violation.kind, message: error.message });
      return;
    }
    if (error instanceof NestedBugCheckError) {
      report.faults.push({ call: report.calls, kind: 'nested-bugcheck', message: error.message });
      return;
    }
    const base = { component: report.component, record: report.record, reason: report.reason };
    if (error instanceof PageFault) {
      const v = this.log?.add({ ...base, kind: 'page-fault', detail: error.message, address: error.address }, report);
      report.faults.push({ call: report.calls, kind: 'page-fault', message: v?.detail ?? error.message });
      return;
    }
    const detail = describe(error);
    this.log?.add({ ...base, kind: 'exception', detail }, report);
    report.faults.push({ call: report.calls, kind: 'exception', message: detail });
  }
}
