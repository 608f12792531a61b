import { KBugCheckBufferDumpState, hex } from '../format/index.js';
import { tagText, type Machine } from '../machine/index.js';
import type { BugCheckInfo, DumpSettings } from './crashDumpTarget.js';
import { type CallbackRunner, ViolationLog, type CallOutcome } from './dispatcher.js';
import { linksSound, walkList, type ListWalk, type WalkedEntry } from './list.js';
import type { KernelMemory } from './memory.js';
import {
  readReason,
  readRecord,
  readState,
  recordChecksum,
  recordSize,
  type RecordFields,
  type RecordKind,
} from './records.js';
import { emptyContribution, reasonName, stateName, type CallbackReport } from './reports.js';
import type { BoundRoutine, RoutineTable } from './routines.js';
import { dumpSettingsOf, type KernelSettings } from './settings.js';
import { buildFeatures, dumpSettingsForBuild, type BuildFeatures } from './versions.js';
import type { ViolationKind } from './violations.js';
import type { PhaseStep } from './watchdog.js';

/** The three lists of bug check records: reason records, AddPages/RemovePages records (ntoskrnl keeps them apart), legacy records. */
export type ListId = 'reason' | 'addRemovePages' | 'legacy';
const LISTS: readonly ListId[] = ['reason', 'addRemovePages', 'legacy'];
const LIST_NAMES: Record<ListId, string> = {
  reason: 'KeBugCheckReasonCallbackListHead',
  addRemovePages: 'KeBugCheckAddRemovePagesCallbackListHead',
  legacy: 'KeBugCheckCallbackListHead',
};

export function recordKindOf(list: ListId): RecordKind {
  return list === 'legacy' ? 'legacy' : 'reason';
}

/**
 * A phase's calls as a resumable sequence: `from` is the first entry to do,
 * `at.index` the entry being worked on (the watchdog's culprit if it fires).
 * Yield after every routine call; yield an action to have it run outside
 * the watchdog (a dump write while DumpIo callbacks watch).
 */
export type PhaseSteps = (from: number, at: { index: number }) => Iterator<PhaseStep>;

/** What the bug check phases need from the Kernel (kept narrow so each phase file stays small). */
export interface KernelInternals {
  readonly machine: Machine;
  readonly mem: KernelMemory;
  readonly runner: CallbackRunner;
  readonly routines: RoutineTable;
  readonly settings: KernelSettings;
  isRegistered(record: bigint): boolean;
  registeredCount(list: ListId): number;
  /** Changes whenever a record is registered or deregistered. */
  registryVersion(): number;
  listHead(list: ListId): bigint;
  /** Nonpaged block (0x100 bytes) that holds the reason-specific structure of every call. */
  readonly reasonData: bigint;
  /** Nonpaged system buffer handed out as KBUGCHECK_SECONDARY_DUMP_DATA.InBuffer. */
  readonly inBuffer: bigint;
  readonly inBufferLength: number;
  /** Nonpaged buffer DumpIo writes are copied into (allocated before the crash). */
  dumpIoBuffer(): { address: bigint; size: number };
  /** That buffer if a DumpIo record ever made the kernel allocate it. */
  dumpIoBufferIfAllocated(): { address: bigint; size: number } | null;
}

/**
 * A walked entry with what the run learnt about its record, kept on the
 * entry itself: a bug check with thousands of records spends its time on
 * memory traffic, and a map lookup per record per phase is most of it.
 */
interface RunEntry extends WalkedEntry {
  report?: CallbackReport;
  routineAddress?: bigint;
  routine?: BoundRoutine;
  registered?: boolean;
  registeredVersion?: number;
}

function poolIndex(machine: Machine): { starts: bigint[]; ends: bigint[]; tags: number[] } {
  const starts: bigint[] = [];
  const ends: bigint[] = [];
  const tags: number[] = [];
  // poolAllocations() is in address order.
  for (const a of machine.poolAllocations()) {
    starts.push(a.va);
    ends.push(a.va + BigInt(a.numberOfBytes));
    tags.push(a.tag);
  }
  return { starts, ends, tags };
}

/** Gives the entries of a new walk what is known about the same records from the previous walk. */
function carryOver(previous: RunEntry[], next: RunEntry[]): void {
  let byAddress: Map<bigint, RunEntry> | undefined;
  for (let i = 0; i < next.length; i++) {
    const entry = next[i]!;
    let old: RunEntry | undefined = previous[i];
    if (old === undefined || old.address !== entry.address) {
      // The list changed shape: fall back to a lookup by address.
      byAddress ??= new Map(previous.map((p) => [p.address, p]));
      old = byAddress.get(entry.address);
    }
    if (old === undefined) continue;
    if (old.report !== undefined) entry.report = old.report;
    if (old.routine !== undefined) {
      entry.routine = old.routine;
      entry.routineAddress = old.routineAddress;
    }
    if (old.registeredVersion !== undefined) {
      entry.registered = old.registered;
      entry.registeredVersion = old.registeredVersion;
    }
  }
}

interface WalkMemo {
  head: bigint;
  bound: number;
  /** PhysicalMemory.contentGeneration when the walk was made. */
  generation: number;
  walk: ListWalk;
  reasons: (number | null | undefined)[] | null;
}

type Check =
  | { ok: true; fields: RecordFields; routine: BoundRoutine }
  | { ok: false; problem: string | null; fields?: RecordFields };

/** A buffer's owner as the kernel can tell it: the pool allocation or image the address lies in. */
export interface OwnedExtent {
  start: bigint;
  end: bigint;
  what: string;
}

/** State of one KeBugCheckEx: the reports, the violations, and record enumeration/calls. */
export class BugCheckRun {
  readonly log = new ViolationLog();
  readonly nested: BugCheckInfo[] = [];
  /** What the machine's Windows build does (versions.ts). */
  readonly features: BuildFeatures;
  /** The dump as this build writes it. */
  readonly dumpSettings: DumpSettings;
  /** Bytes of the secondary data area reserved for multi-part records (set with the size estimate). */
  multiPartReserve = 0;
  private readonly reports = new Map<bigint, CallbackReport>();
  private readonly walks = new Map<ListId, WalkMemo>();
  /** Live pool allocations by address, built at the first ownership question (nothing allocates at HIGH_LEVEL). */
  private pool: { starts: bigint[]; ends: bigint[]; tags: number[] } | null = null;

  constructor(
    readonly k: KernelInternals,
    readonly bugCheck: BugCheckInfo,
  ) {
    this.features = buildFeatures(k.machine.options.build);
    this.dumpSettings = dumpSettingsForBuild(dumpSettingsOf(k.settings), this.features);
  }

  /**
   * The pool allocation (its requested size) or module image holding
   * `address`; null when the kernel cannot tell who owns it (a mapping of
   * device memory, a stack, the kernel's own buffers).
   */
  ownedExtent(address: bigint): OwnedExtent | null {
    this.pool ??= poolIndex(this.k.machine);
    const { starts, ends, tags } = this.pool;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (address < starts[mid]!) hi = mid - 1;
      else if (address >= ends[mid]!) lo = mid + 1;
      else
        return {
          start: starts[mid]!,
          end: ends[mid]!,
          what: `its pool allocation (${hex(starts[mid]!)}, ${ends[mid]! - starts[mid]!} bytes, tag ${tagText(tags[mid]!)})`,
        };
    }
    const module = this.k.machine.findModuleByAddress(address);
    return module
      ? { start: module.base, end: module.base + BigInt(module.size), what: `the image of ${module.name}` }
      : null;
  }

  get callbackReports(): CallbackReport[] {
    return [...this.reports.values()];
  }

  /**
   * The records of one list, in call order, optionally only those of some reasons.
   * Each phase takes its own snapshot, as Windows walks the list for each
   * phase. A walk reads only simulated memory, so while no byte of RAM has
   * changed since the previous walk of the same list (no callback ran, nothing
   * was registered or written) that walk is the answer and is reused.
   */
  snapshot(list: ListId, reasons?: readonly number[]): WalkedEntry[] {
    const kind = recordKindOf(list);
    const memo = this.walkOf(list);
    const walk = memo.walk;
    if (walk.stopped) {
      const detail = `${LIST_NAMES[list]} walk stopped (${walk.stopped.reason}) at ${hex(walk.stopped.at)}`;
      if (!this.log.all.some((v) => v.kind === 'corrupt-record' && v.detail === detail)) {
        this.log.add({
          component: '',
          record: walk.stopped.at,
          reason: null,
          kind: 'corrupt-record',
          detail,
          address: walk.stopped.at,
        });
      }
    }
    if (!reasons) return walk.entries.slice();
    if (kind !== 'reason') return walk.entries.slice();
    // Reason of each entry (undefined: not resident, kept so that the call reports why it is skipped).
    if (!memo.reasons) {
      const recordBytes = recordSize(kind);
      memo.reasons = walk.entries.map((e) =>
        this.k.mem.isResident(e.address, recordBytes) ? readReason(this.k.mem, e.address) : undefined,
      );
    }
    const kept: WalkedEntry[] = [];
    for (let i = 0; i < walk.entries.length; i++) {
      const reason = memo.reasons[i];
      if (reason === undefined || (reason !== null && reasons.includes(reason))) kept.push(walk.entries[i]!);
    }
    return kept;
  }

  private walkOf(list: ListId): WalkMemo {
    const head = this.k.listHead(list);
    const bound = this.k.registeredCount(list) + 64;
    const generation = this.k.machine.physical.contentGeneration;
    const memo = this.walks.get(list);
    if (memo && memo.head === head && memo.bound === bound && memo.generation === generation) return memo;
    const fresh: WalkMemo = { head, bound, generation, walk: walkList(this.k.mem, head, bound), reasons: null };
    if (memo) carryOver(memo.walk.entries as RunEntry[], fresh.walk.entries as RunEntry[]);
    this.walks.set(list, fresh);
    return fresh;
  }

  /** Walks every list once and reports every record that will be skipped. */
  audit(): void {
    for (const list of LISTS) {
      const kind = recordKindOf(list);
      for (const entry of this.snapshot(list)) {
        const check = this.check(kind, entry);
        if (check.ok) this.entryReport(kind, entry, check.fields);
        else if (check.problem) this.skip(kind, entry.address, check.problem, check.fields);
      }
    }
  }

  /**
   * Runs a phase's calls under the watchdog (src/kernel/watchdog.ts). When
   * it fires, the routine that was running is reported (`timeout`), its
   * record left Incomplete, and the phase goes on with the next entry.
   */
  guarded(list: ListId, entries: readonly WalkedEntry[], steps: PhaseSteps): void {
    const { watchdog } = this.k.runner;
    let from = 0;
    while (from < entries.length) {
      const at = { index: from };
      if (watchdog.drive(steps(from, at)) === 'done') return;
      const entry = entries[at.index];
      if (this.k.runner.abortActive() === null && entry !== undefined) {
        // The timer fired between calls, in the kernel's own work for this record: still charged to it.
        const report = this.report(recordKindOf(list), entry.address);
        this.violation(
          report,
          'timeout',
          `the bug check's work for this record ran past the watchdog budget (${watchdog.budgetMs} ms)`,
        );
      }
      from = at.index + 1;
    }
  }

  /** Calls the record's routine if the record is sound; null when it was skipped. */
  call(
    kind: RecordKind,
    entry: WalkedEntry,
    invoke: (routine: BoundRoutine, fields: RecordFields) => unknown,
  ): { outcome: CallOutcome; report: CallbackReport } | null {
    const check = this.check(kind, entry);
    if (!check.ok) {
      if (check.problem) this.skip(kind, entry.address, check.problem, check.fields);
      return null;
    }
    const report = this.entryReport(kind, entry, check.fields);
    const outcome = this.k.runner.run(
      report,
      kind,
      entry.address,
      () => invoke(check.routine, check.fields),
      () => this.entryRegistered(entry),
    );
    return { outcome, report };
  }

  /**
   * call() for a reason record: its routine is handed (Reason, record, the
   * reason-specific structure the phase wrote at reasonData, dataLength).
   */
  callReason(entry: WalkedEntry, dataLength: number): { outcome: CallOutcome; report: CallbackReport } | null {
    const reasonData = this.k.reasonData;
    return this.call('reason', entry, (routine, fields) =>
      routine.kind === 'reason' ? routine.fn(fields.reason ?? 0, entry.address, reasonData, dataLength) : undefined,
    );
  }

  /** isRegistered for a walked entry, remembered on it while no record is registered or deregistered. */
  private entryRegistered(entry: WalkedEntry): boolean {
    const e = entry as RunEntry;
    const version = this.k.registryVersion();
    if (e.registeredVersion !== version) {
      e.registered = this.k.isRegistered(entry.address);
      e.registeredVersion = version;
    }
    return e.registered === true;
  }

  /** A problem found in what a callback handed back (after it returned). */
  violation(report: CallbackReport, kind: ViolationKind, detail: string, address?: bigint): void {
    this.log.add(
      {
        component: report.component,
        record: report.record,
        reason: report.reason,
        kind,
        detail,
        ...(address !== undefined ? { address } : {}),
      },
      report,
    );
  }

  /** report() for a walked entry, remembered on the entry (reports are never dropped, so it stays the record's report). */
  private entryReport(kind: RecordKind, entry: WalkedEntry, fields: RecordFields): CallbackReport {
    const e = entry as RunEntry;
    if (e.report !== undefined) return e.report;
    const r = this.report(kind, entry.address, fields);
    e.report = r;
    return r;
  }

  report(kind: RecordKind, record: bigint, fields?: RecordFields): CallbackReport {
    let r = this.reports.get(record);
    if (r) return r;
    const f =
      fields ?? (this.k.mem.isResident(record, recordSize(kind)) ? readRecord(this.k.mem, kind, record) : undefined);
    const component = f ? (this.k.mem.readAnsi(f.component) ?? '') : '';
    const routine = f?.routine ?? 0n;
    let routineModule: string | null = null;
    try {
      routineModule = routine !== 0n ? (this.k.machine.findModuleByAddress(routine)?.name ?? null) : null;
    } catch {
      routineModule = null;
    }
    r = {
      record,
      kind,
      component,
      componentAddress: f?.component ?? 0n,
      reason: kind === 'reason' ? (f?.reason ?? null) : null,
      reasonName: reasonName(kind === 'reason' ? (f?.reason ?? 0) : null),
      routine,
      routineModule,
      state: f?.state ?? 0,
      stateName: stateName(f?.state ?? 0),
      calls: 0,
      contribution: emptyContribution(),
      violations: [],
      faults: [],
      skipped: [],
      deregisteredDuringBugCheck: false,
    };
    this.reports.set(record, r);
    return r;
  }

  /** Reads every record's final State into its report. */
  finalizeReports(): void {
    for (const r of this.reports.values()) {
      if (!this.k.mem.isResident(r.record, recordSize(r.kind))) continue;
      const state = readState(this.k.mem, r.kind, r.record);
      r.state = state;
      r.stateName = stateName(state);
    }
  }

  private skip(kind: RecordKind, record: bigint, problem: string, fields?: RecordFields): void {
    const report = this.report(kind, record, fields);
    if (report.skipped.includes(problem)) return;
    report.skipped.push(problem);
    this.violation(report, 'corrupt-record', `record ${hex(record)} skipped: ${problem}`, record);
  }

  private check(kind: RecordKind, entry: WalkedEntry): Check {
    const { mem } = this.k;
    const residency = mem.residency(entry.address, recordSize(kind));
    if (residency === 'not-mapped') return { ok: false, problem: 'record is not mapped' };
    if (residency === 'pageable') return { ok: false, problem: 'record is in pageable memory' };
    const fields = readRecord(mem, kind, entry.address);
    const S = KBugCheckBufferDumpState;
    if (fields.state === S.BufferEmpty) {
      return this.entryRegistered(entry)
        ? { ok: false, problem: 'State is BufferEmpty although the record is registered', fields }
        : { ok: false, problem: null, fields };
    }
    if (fields.state === S.BufferIncomplete) return { ok: false, problem: null, fields };
    if (fields.state !== S.BufferInserted && fields.state !== S.BufferFinished) {
      return { ok: false, problem: `State is ${stateName(fields.state)}`, fields };
    }
    const expected = recordChecksum(kind, fields);
    if (expected !== fields.checksum) {
      return {
        ok: false,
        problem: `checksum mismatch (stored ${hex(fields.checksum)}, computed ${hex(expected)})`,
        fields,
      };
    }
    // The record (and so its LIST_ENTRY) was found resident above and its links were read with it.
    if (!entry.blinkOk || !linksSound(mem, entry.address, fields.flink, fields.blink)) {
      return { ok: false, problem: 'list links are corrupt (Flink/Blink do not point back)', fields };
    }
    // A routine address, once bound, always means the same routine: remembered per entry.
    const e = entry as RunEntry;
    let routine: BoundRoutine | undefined;
    if (e.routine !== undefined && e.routineAddress === fields.routine) {
      routine = e.routine;
    } else {
      routine = this.k.routines.resolve(fields.routine);
      if (routine) {
        e.routine = routine;
        e.routineAddress = fields.routine;
      }
    }
    if (!routine || routine.kind !== kind) {
      return {
        ok: false,
        problem: `CallbackRoutine ${hex(fields.routine)} is not a known ${kind} callback routine`,
        fields,
      };
    }
    return { ok: true, fields, routine };
  }
}
