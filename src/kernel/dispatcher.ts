import { KBugCheckBufferDumpState, hex } from '../format/index.js';
import { userLocationSuffix } from './errorLocation.js';
import { PageFault, type Machine, type MachineGuard, type MemoryAccess, type Processor } from '../machine/index.js';
import { HighLevelViolationError, NestedBugCheckError } from './errors.js';
import { HIGH_LEVEL } from './irql.js';
import type { KernelMemory } from './memory.js';
import { stateOffset, writeState, type RecordKind } from './records.js';
import { added, type CallbackReport } from './reports.js';
import type { Violation, ViolationKind } from './violations.js';
import { Watchdog } from './watchdog.js';

/** Where violations go while a bug check runs. */
export class ViolationLog {
  readonly all: Violation[] = [];

  add(violation: Violation, report?: CallbackReport): Violation {
    this.all.push(violation);
    if (report) report.violations = added(report.violations, violation);
    return violation;
  }
}

interface ActiveCall {
  report: CallbackReport;
  kind: RecordKind;
  record: bigint;
  /** The guard that was installed before this call (put back after it, or by abortActive). */
  previousGuard: MachineGuard | null;
  /** A HIGH_LEVEL rule was broken during this call (even if the routine caught what we threw). */
  violated: boolean;
  /** KeBugCheckEx was called during this call (it never returns, so the call cannot have completed). */
  nested: boolean;
  /** Page faults already logged for this call (so the one that escapes is not logged twice). */
  faults: PageFault[] | null;
  /** Module base of the routine's image, looked up at the first write into a record (undefined: none). */
  ownerBase: bigint | null | undefined;
  /** Records this call was already reported for touching. */
  tampered: Set<bigint> | undefined;
  returned: unknown;
  threw: boolean;
  thrown: unknown;
}

export type CallOutcome = 'finished' | 'incomplete' | 'deregistered';

/** What the runner needs to know about registered records to tell tampering from a driver's own business. */
export interface RecordOwnership {
  /** Registered records whose bytes overlap [address, address + length) (usually none: an empty array). */
  recordsAt(address: bigint, length: number): readonly bigint[];
  /** Base of the image holding the routine registered with `record` (null when it lies in no image). */
  ownerOf(record: bigint): bigint | null;
}

const NO_RECORDS: RecordOwnership = { recordsAt: () => [], ownerOf: () => null };

/** Violations that are recorded but do not make a call fail. */
const NON_FATAL: ReadonlySet<ViolationKind> = new Set<ViolationKind>(['limit', 'tamper']);

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
  /** See takeCall. */
  private spare: ActiveCall | null = null;
  log: ViolationLog | null = null;
  /** The processor the bug check runs on (set by the bug check once it has raised it to HIGH_LEVEL). */
  processor: Processor | null = null;
  /** Stops routines that never return (settings.routineTimeoutMs). */
  readonly watchdog: Watchdog;
  /** Told of every write a running routine makes (the bug check's record cache listens). */
  onRoutineWrite: ((address: bigint, length: number) => void) | null = null;

  readonly guard: MachineGuard = {
    onAccess: (address: bigint, length: number, access: MemoryAccess, pageable: boolean): void => {
      const call = this.current;
      if (call === null || this.mem.privileged) return;
      if (pageable)
        this.raise('paged-memory', `${access} of ${length} byte(s) at ${hex(address)}, which is pageable`, address);
      if (access === 'write') {
        this.onRoutineWrite?.(address, length);
        const hit = this.records.recordsAt(address, length);
        if (hit.length > 0) this.noteRecordWrite(call, hit, address, length);
      }
    },
    onFault: (fault: PageFault): void => {
      const call = this.current;
      if (call === null || this.mem.privileged) return;
      // A page fault at HIGH_LEVEL is fatal on Windows: the call has failed even if the routine catches the error.
      call.violated = true;
      call.faults ??= [];
      call.faults.push(fault);
      this.log?.add(
        {
          component: call.report.component,
          record: call.record,
          reason: call.report.reason,
          kind: 'page-fault',
          detail: fault.message,
          address: fault.address,
        },
        call.report,
      );
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
    routineTimeoutMs = 0,
    private readonly records: RecordOwnership = NO_RECORDS,
  ) {
    this.watchdog = new Watchdog(routineTimeoutMs);
  }

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

  /**
   * A rule broken by the running routine that does not stop it (the act is
   * done, as on Windows): recorded against it, the call goes on.
   */
  note(kind: ViolationKind, detail: string, address?: bigint): void {
    const call = this.current;
    if (call === null) return;
    this.log?.add(
      {
        component: call.report.component,
        record: call.record,
        reason: call.report.reason,
        kind,
        detail,
        ...(address !== undefined ? { address } : {}),
      },
      call.report,
    );
  }

  /** Module base of the running routine's image (null when it lies in no image, or nothing runs). */
  activeOwner(): bigint | null {
    const call = this.current;
    if (call === null) return null;
    if (call.ownerBase === undefined)
      call.ownerBase = this.machine.findModuleByAddress(call.report.routine)?.base ?? null;
    return call.ownerBase;
  }

  /** A write by the running routine into registered records: another driver's record is tampering. */
  private noteRecordWrite(call: ActiveCall, records: readonly bigint[], address: bigint, length: number): void {
    const own = this.activeOwner();
    for (const record of records) {
      if (record === call.record || call.tampered?.has(record)) continue;
      const owner = this.records.ownerOf(record);
      if (owner !== null && owner === own) continue;
      call.tampered ??= new Set();
      call.tampered.add(record);
      this.note(
        'tamper',
        `wrote ${length} byte(s) at ${hex(address)} into callback record ${hex(record)}, registered by another driver`,
        address,
      );
    }
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

  /**
   * Calls one routine under the HIGH_LEVEL guard and the watchdog: State
   * Started, the call, then Finished or Incomplete (or left Empty when the
   * routine deregistered its own record). Works for any callable: inside a
   * phase the watchdog chunk running the phase covers the call; otherwise it
   * gets a chunk of its own. `registered` answers isRegistered(record) (the
   * caller may know it more cheaply).
   */
  run(
    report: CallbackReport,
    kind: RecordKind,
    record: bigint,
    invoke: () => unknown,
    registered?: () => boolean,
    /** The record's State address, when the caller has it at hand. */
    stateVa: bigint = record + stateOffset(kind),
  ): CallOutcome {
    // No default closure for `registered`: one capturing `record` would make a context for every call.
    const mem = this.mem;
    mem.writeU8(stateVa, KBugCheckBufferDumpState.BufferStarted);
    report.calls++;
    const call = this.takeCall(report, kind, record);
    this.machine.guard = this.guard;
    this.current = call;
    if (this.watchdog.enabled && !this.watchdog.inChunk) {
      if (this.attemptTimed(call, invoke)) {
        this.abortActive(call);
        return 'incomplete';
      }
    } else {
      this.attempt(call, invoke);
    }
    const { returned, threw, thrown } = call;
    this.restoreIrql(report, record, call);

    let failed = call.violated || call.nested;
    if (threw) {
      failed = true;
      this.recordThrow(report, thrown, call);
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
      report.faults = added(report.faults, {
        call: report.calls,
        kind: 'promise',
        message: v?.detail ?? 'returned a thenable',
      });
    } else if (failed) {
      const first = [...report.violations].reverse().find((v) => !NON_FATAL.has(v.kind));
      report.faults = added(report.faults, {
        call: report.calls,
        kind: call.nested ? 'nested-bugcheck' : (first?.kind ?? 'exception'),
        message: call.nested
          ? 'raised a nested bug check'
          : `caught the error raised for a HIGH_LEVEL violation (${first?.detail ?? ''})`,
      });
    }

    this.giveBack(call);
    // State first: it is Started unless the routine deregistered its record, and reading it is cheaper than asking
    // the registry (a lookup keyed by the record's address).
    if (
      mem.readU8(stateVa) === KBugCheckBufferDumpState.BufferEmpty &&
      !(registered === undefined ? this.isRegistered(record) : registered())
    ) {
      report.deregisteredDuringBugCheck = true;
      return 'deregistered';
    }
    mem.writeU8(stateVa, failed ? KBugCheckBufferDumpState.BufferIncomplete : KBugCheckBufferDumpState.BufferFinished);
    return failed ? 'incomplete' : 'finished';
  }

  /**
   * An ActiveCall for a new call: the one the last call that ended normally gave back, else a new one. A call
   * the watchdog stopped is never given back, and a call made while another runs finds none to take.
   */
  private takeCall(report: CallbackReport, kind: RecordKind, record: bigint): ActiveCall {
    const call = this.spare;
    if (call === null) {
      return {
        report,
        kind,
        record,
        previousGuard: this.machine.guard,
        violated: false,
        nested: false,
        faults: null,
        ownerBase: undefined,
        tampered: undefined,
        returned: undefined,
        threw: false,
        thrown: undefined,
      };
    }
    this.spare = null;
    call.report = report;
    call.kind = kind;
    call.record = record;
    call.previousGuard = this.machine.guard;
    call.violated = false;
    call.nested = false;
    call.faults = null;
    call.ownerBase = undefined;
    call.tampered = undefined;
    call.returned = undefined;
    call.threw = false;
    call.thrown = undefined;
    return call;
  }

  /** A call that has ended and been accounted for, kept for the next one (one object per bug check, not per call). */
  private giveBack(call: ActiveCall): void {
    // Nothing the routine returned or threw stays reachable from the runner.
    call.returned = undefined;
    call.thrown = undefined;
    this.spare = call;
  }

  /**
   * attempt() in a watchdog chunk of its own; true when the watchdog stopped it. A method of its own: the closure
   * inside run() would make a context for `invoke` on every call, even the ones a phase's chunk covers.
   */
  private attemptTimed(call: ActiveCall, invoke: () => unknown): boolean {
    return this.watchdog.call(() => this.attempt(call, invoke)).timedOut;
  }

  /** The call itself; what it returned or threw is kept on `call` (no closure per call: this is on every record's path). */
  private attempt(call: ActiveCall, invoke: () => unknown): void {
    try {
      call.returned = invoke();
    } catch (error) {
      call.threw = true;
      call.thrown = error;
    } finally {
      this.machine.guard = call.previousGuard;
      this.current = null;
    }
  }

  /**
   * The watchdog stopped the bug check while a routine ran (or, with `call`
   * given, while this one ran): its stack was unwound without any finally
   * block, so the guard, the kernel's privilege and the IRQL are put back
   * here, and the routine is reported as a `timeout` and its record left
   * Incomplete. Returns the report blamed, or null when no routine was running.
   */
  abortActive(call: ActiveCall | null = this.current): CallbackReport | null {
    this.mem.resetAfterAbort();
    if (call === null) return null;
    this.machine.guard = call.previousGuard;
    this.current = null;
    const cpu = this.processor;
    if (cpu !== null) cpu.irql = HIGH_LEVEL;
    const { report } = call;
    const detail = `the routine did not return within ${this.watchdog.budgetMs} ms; stopped by the watchdog (routineTimeoutMs)`;
    this.log?.add(
      { component: report.component, record: call.record, reason: report.reason, kind: 'timeout', detail },
      report,
    );
    report.faults = added(report.faults, { call: report.calls, kind: 'timeout', message: detail });
    if (this.isRegistered(call.record))
      writeState(this.mem, call.kind, call.record, KBugCheckBufferDumpState.BufferIncomplete);
    return report;
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

  private recordThrow(report: CallbackReport, error: unknown, call: ActiveCall): void {
    if (error instanceof HighLevelViolationError) {
      report.faults = added(report.faults, { call: report.calls, kind: error.violation.kind, message: error.message });
      return;
    }
    if (error instanceof NestedBugCheckError) {
      report.faults = added(report.faults, { call: report.calls, kind: 'nested-bugcheck', message: error.message });
      return;
    }
    const base = { component: report.component, record: report.record, reason: report.reason };
    if (error instanceof PageFault) {
      // Logged when it was raised (onFault), unless it came from somewhere the guard does not see.
      if (!call.faults?.includes(error))
        this.log?.add({ ...base, kind: 'page-fault', detail: error.message, address: error.address }, report);
      report.faults = added(report.faults, { call: report.calls, kind: 'page-fault', message: error.message });
      return;
    }
    const detail = describe(error);
    this.log?.add({ ...base, kind: 'exception', detail }, report);
    report.faults = added(report.faults, { call: report.calls, kind: 'exception', message: detail });
  }
}
