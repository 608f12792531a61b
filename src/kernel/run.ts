import { KBugCheckBufferDumpState, hex } from '../format/index.js';
import { tagText, type Machine } from '../machine/index.js';
import type { BugCheckInfo, DumpSettings } from './crashDumpTarget.js';
import { type CallbackRunner, ViolationLog, type CallOutcome } from './dispatcher.js';
import { firstRepeat, linksSound, type ListWalk, type WalkedEntry } from './list.js';
import type { KernelMemory } from './memory.js';
import {
  readReason,
  readRecord,
  readRecordInto,
  readState,
  recordChecksum,
  recordSize,
  stateOffset,
  type RecordFields,
  type RecordLinks,
  type RecordKind,
} from './records.js';
import { Report, added, ownLists, reasonName, stateName, type CallbackReport } from './reports.js';
import type { BoundRoutine, RoutineTable } from './routines.js';
import { dumpSettingsOf, type KernelSettings } from './settings.js';
import { buildFeatures, dumpSettingsForBuild, type BuildFeatures } from './versions.js';
import type { ViolationKind } from './violations.js';
import type { PhaseStep } from './watchdog.js';

/** BugCheckRun.soleWalk before any report, and once reports come from more than one walk (or none). */
const NO_WALK = 0;
const MIXED_WALKS = -1;

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
interface RunEntry extends WalkedEntry, RecordFields {
  /** The record passed every check at this cache epoch, with these fields (State kept up to date by call()). */
  okEpoch: number;
  fields: RecordFields | undefined;
  report: CallbackReport | undefined;
  /** The routine bound at `fields.routine` (RecordFields.routine, the address, is the record's own field here). */
  bound: BoundRoutine | undefined;
  registered: boolean | undefined;
  registeredVersion: number | undefined;
  /** The cache epoch of the walk that found it: while it holds, the walk's link checks still stand. */
  walkEpoch: number;
  /** Which walk found it (a walk's entries are distinct records). */
  walkId: number;
  /** The record's 4 KiB page number and offset in it (numbers, made once per walk). */
  page: number;
  offset: number;
  /** Address of the record's State (made at its first call). */
  stateVa: bigint | undefined;
  /**
   * The walk read the record whole, when it lay in its LIST_ENTRY's page (one access for its links and
   * fields, kept in the entry's own RecordFields members): its first full check at the walk's epoch uses
   * them instead of reading it again.
   */
  walkRead: boolean;
  walkChecksum: bigint;
}

/**
 * A walked entry with every field present from the start (one object shape: the hot path stays monomorphic),
 * made by `new` rather than as a literal so that V8 never pretenures it (reports.ts says why).
 */
class Entry implements RunEntry {
  blinkOk = false;
  okEpoch = -1;
  fields: RecordFields | undefined = undefined;
  report: CallbackReport | undefined = undefined;
  bound: BoundRoutine | undefined = undefined;
  registered: boolean | undefined = undefined;
  registeredVersion: number | undefined = undefined;
  walkEpoch = -1;
  walkId = 0;
  stateVa: bigint | undefined = undefined;
  walkRead = false;
  walkChecksum = 0n;
  routine = 0n;
  component = 0n;
  state = 0;
  reason: number | null = null;
  buffer = 0n;
  length = 0;

  constructor(
    readonly address: bigint,
    readonly page: number,
    readonly offset: number,
  ) {}
}

function runEntry(address: bigint, page: number, offset: number): RunEntry {
  return new Entry(address, page, offset);
}

/** A LIST_ENTRY (Flink, Blink) read as one access: the head's, or a record's that crosses a page. */
const entryBytes = new Uint8Array(16);
const entryView = new DataView(entryBytes.buffer);
const walkLinks: RecordLinks = { checksum: 0n, flink: 0n, blink: 0n, flinkLow: 0, flinkHigh: 0 };

/**
 * list.ts's walkList made of RunEntry objects, as the walk goes (same stops, same order): a record that lies
 * in one page is read whole with its links (one access instead of Flink, Blink and later the record), and
 * each entry's page and offset are made from the 32-bit halves of the Flink that led to it (no bigint).
 */
function runWalk(
  mem: KernelMemory,
  kind: RecordKind,
  head: bigint,
  bound: number,
  epoch: number,
  walkId: number,
): ListWalk {
  const entries: RunEntry[] = [];
  if (mem.residency(head, 16) === 'not-mapped') return { entries, stopped: { reason: 'head-unreadable', at: head } };
  mem.readInto(head, entryBytes);
  let cur = entryView.getBigUint64(0, true);
  let low = entryView.getUint32(0, true);
  let high = entryView.getUint32(4, true);
  let prev = head;
  const size = recordSize(kind);
  const links = walkLinks;
  let stopped: ListWalk['stopped'] = null;
  while (cur !== head) {
    // No set of visited entries on the way: a cycle that misses the head runs into the bound, and only
    // then are the entries searched for the first one met twice (where a walk that kept the set stops).
    if (entries.length >= bound) {
      const repeat = firstRepeat(entries);
      if (repeat) {
        entries.length = repeat.entries.length;
        stopped = repeat.stopped;
      } else stopped = { reason: 'bound', at: cur };
      break;
    }
    const offset = low & 0xfff;
    const residency = offset <= 0x1000 - 16 ? mem.residencyInPage(cur) : mem.residency(cur, 16);
    if (residency === 'not-mapped') {
      stopped = { reason: 'unreadable', at: cur };
      break;
    }
    const e = runEntry(cur, high * 0x100000 + (low >>> 12), offset);
    entries.push(e);
    const before = prev;
    prev = cur;
    if (offset + size <= 0x1000) {
      // The record's page is the LIST_ENTRY's: what residency found for the links holds for the whole record.
      readRecordInto(mem, kind, cur, e, links);
      e.blinkOk = links.blink === before;
      // Kept for the record's check, which then needs no link but Blink (a Blink of 0, or a pageable record, is
      // checked the long way).
      if (links.blink !== 0n && residency === 'resident') {
        e.walkRead = true;
        e.walkChecksum = links.checksum;
      }
      cur = links.flink;
      low = links.flinkLow;
      high = links.flinkHigh;
    } else {
      mem.readInto(cur, entryBytes);
      e.blinkOk = entryView.getBigUint64(8, true) === before;
      cur = entryView.getBigUint64(0, true);
      low = entryView.getUint32(0, true);
      high = entryView.getUint32(4, true);
    }
  }
  // A walk that stopped early did not follow the last entry's Flink: no shortcut for any of its entries.
  const walkEpoch = stopped ? -1 : epoch;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    e.walkEpoch = walkEpoch;
    e.walkId = walkId;
  }
  return { entries, stopped };
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
    if (old.bound !== undefined) entry.bound = old.bound;
    if (old.registeredVersion !== undefined) {
      entry.registered = old.registered;
      entry.registeredVersion = old.registeredVersion;
    }
    if (old.fields !== undefined) {
      entry.okEpoch = old.okEpoch;
      entry.fields = old.fields;
    }
  }
}

interface WalkMemo {
  head: bigint;
  bound: number;
  /** The record cache epoch when the walk was made. */
  generation: number;
  walk: ListWalk;
  reasons: (number | null | undefined)[] | null;
}

/** What call() answers for a record it called. */
export interface CallResult {
  outcome: CallOutcome;
  report: CallbackReport;
}

/** The record being called and what its routine is handed. */
interface Calling {
  entry: WalkedEntry;
  routine: BoundRoutine;
  fields: RecordFields;
  dataLength: number;
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
  /**
   * The reports by record, filled lazily: `reportList[0, indexed)` are in it. While every report was made
   * for an entry of one walk (`soleWalk`), a new entry of that walk has no report yet (its entries are
   * distinct records) and none is looked up: with thousands of records, a map keyed by bigint grown one
   * record at a time was a fifth of the audit. Any other way of making or finding a report indexes first.
   */
  private readonly reports = new Map<bigint, CallbackReport>();
  private indexed = 0;
  /** The walk whose entries hold every report made so far; NO_WALK before the first, MIXED_WALKS after another. */
  private soleWalk = NO_WALK;
  private walkCount = 0;
  /** The reports in the order they were made. */
  private readonly reportList: CallbackReport[] = [];
  /**
   * The walked entry each report of `reportList` was made for, at the same index (its cached State is the
   * record's while the cache holds); an array beside the list rather than a map: one per record.
   */
  private readonly reportEntries: (RunEntry | undefined)[] = [];
  /** The entry of a report that was already made when a walked entry first asked for it (rare; wins over the above). */
  private readonly lateEntries = new Map<CallbackReport, RunEntry>();
  private readonly walks = new Map<ListId, WalkMemo>();
  /** Live pool allocations by address, built at the first ownership question (nothing allocates at HIGH_LEVEL). */
  private pool: { starts: bigint[]; ends: bigint[]; tags: number[] } | null = null;
  /**
   * Record cache (see "Cost of a bug check with many records" in the README).
   * A walk and each record's checks stay valid while the epoch is unchanged;
   * it moves when a record is registered or deregistered, a page table
   * changes, or a routine writes into a list head or a record on a list.
   */
  private epoch = 0;
  private seenRegistry = -1;
  private seenPageTables = -1;
  /** Some record overlaps a buffer the kernel itself writes: every check then rereads memory. */
  private strict = false;
  private seenContent = -1;
  /** Watched ranges (list heads, records met on a walk) by 4 KiB page number, as [start, end) offsets in the page. */
  private readonly watched = new Map<number, number[]>();
  /** What fullCheck reads besides a record's fields (one object for the run: a check keeps none of it). */
  private readonly links: RecordLinks = { checksum: 0n, flink: 0n, blink: 0n, flinkLow: 0, flinkHigh: 0 };
  /** check()'s answer for a record that passed (one object for the run: callers take its fields at once). */
  private readonly passed: { ok: true; fields: RecordFields; routine: BoundRoutine } = {
    ok: true,
    fields: undefined as unknown as RecordFields,
    routine: undefined as unknown as BoundRoutine,
  };
  /** A routine wrote into the InBuffer since the kernel last zeroed it. */
  inBufferDirty = true;

  constructor(
    readonly k: KernelInternals,
    readonly bugCheck: BugCheckInfo,
  ) {
    this.features = buildFeatures(k.machine.options.build);
    this.dumpSettings = dumpSettingsForBuild(dumpSettingsOf(k.settings), this.features);
    k.runner.onRoutineWrite = (address, length) => this.noteWrite(address, length);
    for (const list of LISTS) this.watch(k.listHead(list), 0x10);
  }

  /** The cache epoch, moved on if the registry or the page tables changed since it was last asked. */
  private syncEpoch(): number {
    const registry = this.k.registryVersion();
    const pageTables = this.k.machine.physical.pageTableGeneration;
    if (registry !== this.seenRegistry || pageTables !== this.seenPageTables) {
      this.seenRegistry = registry;
      this.seenPageTables = pageTables;
      this.epoch++;
    }
    if (this.strict) {
      const content = this.k.machine.physical.contentGeneration;
      if (content !== this.seenContent) {
        this.seenContent = content;
        this.epoch++;
      }
    }
    return this.epoch;
  }

  /** Forgets every cached walk and check (the watchdog unwound a call: nothing it touched is known). */
  invalidate(): void {
    this.epoch++;
  }

  private watch(address: bigint, length: number): void {
    this.watchRange(address, address + BigInt(length));
  }

  /**
   * Watches [address, end): each page it touches gets the range's part inside that page, as offsets (numbers:
   * a page number fits a double, and a walk of thousands of records then makes no bigint per record).
   */
  private watchRange(address: bigint, end: bigint): void {
    const first = Number(address >> 12n);
    const last = Number((end - 1n) >> 12n);
    const startOffset = Number(address & 0xfffn);
    const endOffset = Number((end - 1n) & 0xfffn) + 1;
    for (let page = first; page <= last; page++)
      this.watchInPage(page, page === first ? startOffset : 0, page === last ? endOffset : 0x1000);
  }

  private watchInPage(page: number, start: number, end: number): void {
    const ranges = this.watched.get(page);
    if (ranges === undefined) this.watched.set(page, [start, end]);
    else ranges.push(start, end);
  }

  /** A routine's write: into a watched range it moves the epoch; into the InBuffer it makes that dirty. */
  private noteWrite(address: bigint, length: number): void {
    const end = address + BigInt(length);
    const { inBuffer, inBufferLength } = this.k;
    if (address < inBuffer + BigInt(inBufferLength) && inBuffer < end) this.inBufferDirty = true;
    const first = Number(address >> 12n);
    const last = Number((end - 1n) >> 12n);
    const startOffset = Number(address & 0xfffn);
    const endOffset = Number((end - 1n) & 0xfffn) + 1;
    for (let page = first; page <= last; page++) {
      const ranges = this.watched.get(page);
      if (ranges === undefined) continue;
      const from = page === first ? startOffset : 0;
      const to = page === last ? endOffset : 0x1000;
      for (let i = 0; i < ranges.length; i += 2) {
        if (from < ranges[i + 1]! && ranges[i]! < to) {
          this.epoch++;
          return;
        }
      }
    }
  }

  /**
   * Watches the records of a fresh walk. A record that overlaps a buffer the
   * kernel writes itself (a hostile record placed there) turns the cache off:
   * the kernel's own writes are not watched.
   */
  private watchWalk(list: ListId, walk: ListWalk): void {
    const size = recordSize(recordKindOf(list));
    const big = BigInt(size);
    const k = this.k;
    // [start - record size, end) pairs, flat: a record at `address` overlaps [start, end) when
    // start - size < address < end (no bigint made per record).
    const own: bigint[] = [
      k.reasonData - big,
      k.reasonData + 0x100n,
      k.inBuffer - big,
      k.inBuffer + BigInt(Math.max(1, k.inBufferLength)),
    ];
    const io = k.dumpIoBufferIfAllocated();
    if (io) own.push(io.address - big, io.address + BigInt(io.size));
    const entries = walk.entries as RunEntry[];
    for (let n = 0; n < entries.length; n++) {
      const entry = entries[n]!;
      const address = entry.address;
      const end = entry.offset + size;
      if (end <= 0x1000) this.watchInPage(entry.page, entry.offset, end);
      else this.watchRange(address, address + big);
      if (this.strict) continue;
      for (let i = 0; i < own.length; i += 2) {
        if (address < own[i + 1]! && own[i]! < address) {
          this.strict = true;
          break;
        }
      }
    }
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
    return this.reportList.slice();
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
      const epoch = this.syncEpoch();
      memo.reasons = (walk.entries as RunEntry[]).map((e) =>
        e.okEpoch === epoch && e.fields !== undefined
          ? e.fields.reason
          : this.k.mem.isResident(e.address, recordBytes)
            ? readReason(this.k.mem, e.address)
            : undefined,
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
    const generation = this.syncEpoch();
    const memo = this.walks.get(list);
    if (memo && memo.head === head && memo.bound === bound && memo.generation === generation) return memo;
    const fresh: WalkMemo = {
      head,
      bound,
      generation,
      walk: runWalk(this.k.mem, recordKindOf(list), head, bound, generation, ++this.walkCount),
      reasons: null,
    };
    this.watchWalk(list, fresh.walk);
    if (memo) carryOver(memo.walk.entries as RunEntry[], fresh.walk.entries as RunEntry[]);
    this.walks.set(list, fresh);
    return fresh;
  }

  /** Walks every list once and reports every record that will be skipped. */
  audit(): void {
    for (const list of LISTS) {
      const kind = recordKindOf(list);
      const entries = this.snapshot(list);
      // Indexed: audit runs once per bug check, its loop mostly before it is optimized (no iterator result per record).
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i]!;
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
      // Whatever the unwound work had touched is no longer known; no call of this run is still running.
      this.invalidate();
      this.calling = null;
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

  /**
   * Calls the record's routine if the record is sound; null when it was skipped. `into`, when given, is
   * filled and returned instead of a new object (a pass that reads the answer before its next call).
   */
  call(kind: RecordKind, entry: WalkedEntry, dataLength = 0, into?: CallResult): CallResult | null {
    const check = this.check(kind, entry);
    if (!check.ok) {
      if (check.problem) this.skip(kind, entry.address, check.problem, check.fields);
      return null;
    }
    // check()'s answer is shared by every check of the run: taken apart before anything else runs.
    const { fields, routine } = check;
    const report = this.entryReport(kind, entry, fields);
    // What invokeNow/registeredNow use (saved and restored: a call may come from inside another one). The
    // outermost call fills one object kept for the whole run.
    const outer = this.calling;
    const calling: Calling = outer === null ? this.callingSlot : { entry, routine, fields, dataLength };
    calling.entry = entry;
    calling.routine = routine;
    calling.fields = fields;
    calling.dataLength = dataLength;
    this.calling = calling;
    const e = entry as RunEntry;
    e.stateVa ??= entry.address + stateOffset(kind);
    let outcome: CallOutcome;
    try {
      outcome = this.k.runner.run(report, kind, entry.address, this.invokeNow, this.registeredNow, e.stateVa);
    } finally {
      this.calling = outer;
    }
    // The runner wrote the State: the cached fields follow it (the kernel's own writes are not watched).
    fields.state =
      outcome === 'finished'
        ? KBugCheckBufferDumpState.BufferFinished
        : outcome === 'incomplete'
          ? KBugCheckBufferDumpState.BufferIncomplete
          : KBugCheckBufferDumpState.BufferEmpty;
    if (into === undefined) return { outcome, report };
    into.outcome = outcome;
    into.report = report;
    return into;
  }

  /**
   * call() for a reason record: its routine is handed (Reason, record, the
   * reason-specific structure the phase wrote at reasonData, dataLength).
   */
  callReason(entry: WalkedEntry, dataLength: number, into?: CallResult): CallResult | null {
    return this.call('reason', entry, dataLength, into);
  }

  private calling: Calling | null = null;
  private readonly callingSlot: Calling = {
    entry: { address: 0n, blinkOk: false },
    routine: undefined as unknown as BoundRoutine,
    fields: undefined as unknown as RecordFields,
    dataLength: 0,
  };

  /** The routine of the record being called, with the arguments its kind takes (made once: no closure per call). */
  private readonly invokeNow = (): unknown => {
    const c = this.calling!;
    return c.routine.kind === 'reason'
      ? c.routine.fn(c.fields.reason ?? 0, c.entry.address, this.k.reasonData, c.dataLength)
      : c.routine.fn(c.fields.buffer, c.fields.length);
  };

  private readonly registeredNow = (): boolean => this.entryRegistered(this.calling!.entry);

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
    const made = this.reportList.length;
    let r: CallbackReport;
    if (this.soleWalk === e.walkId || this.soleWalk === NO_WALK) {
      this.soleWalk = e.walkId;
      r = this.newReport(kind, entry.address, fields);
    } else {
      r = this.report(kind, entry.address, fields); // which leaves soleWalk MIXED_WALKS
    }
    e.report = r;
    // The usual case: report() has just made it, as the last of the list.
    if (this.reportList.length === made + 1) this.reportEntries[made] = e;
    else this.lateEntries.set(r, e);
    return r;
  }

  report(kind: RecordKind, record: bigint, fields?: RecordFields): CallbackReport {
    this.soleWalk = MIXED_WALKS;
    const list = this.reportList;
    for (let i = this.indexed; i < list.length; i++) this.reports.set(list[i]!.record, list[i]!);
    this.indexed = list.length;
    const r = this.reports.get(record);
    if (r) return r;
    const made = this.newReport(kind, record, fields);
    this.reports.set(record, made);
    this.indexed = list.length;
    return made;
  }

  /** A report for a record that has none yet. */
  private newReport(kind: RecordKind, record: bigint, fields?: RecordFields): CallbackReport {
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
    // Made by `new`, not as a literal: see reports.ts (allocation sites and pretenuring).
    const r = new Report(
      record,
      kind,
      component,
      f?.component ?? 0n,
      kind === 'reason' ? (f?.reason ?? null) : null,
      reasonName(kind === 'reason' ? (f?.reason ?? 0) : null),
      routine,
      routineModule,
      f?.state ?? 0,
      stateName(f?.state ?? 0),
    );
    this.reportList.push(r);
    this.reportEntries.push(undefined);
    return r;
  }

  /**
   * Reads every record's final State into its report; `last` (the reports are handed out next) also gives
   * each report arrays of its own for the lists it shares empty (reports.ts).
   */
  finalizeReports(last = true): void {
    const epoch = this.syncEpoch();
    const reports = this.reportList;
    for (let i = 0; i < reports.length; i++) {
      const r = reports[i]!;
      if (last) ownLists(r);
      const e = (this.lateEntries.size > 0 ? this.lateEntries.get(r) : undefined) ?? this.reportEntries[i];
      if (e !== undefined && e.okEpoch === epoch && e.fields !== undefined) {
        // Unchanged since it was last checked, apart from the States the kernel wrote (which the cache follows).
        r.state = e.fields.state;
        r.stateName = stateName(r.state);
        continue;
      }
      if (!this.k.mem.isResident(r.record, recordSize(r.kind))) continue;
      const state = readState(this.k.mem, r.kind, r.record);
      r.state = state;
      r.stateName = stateName(state);
    }
  }

  private skip(kind: RecordKind, record: bigint, problem: string, fields?: RecordFields): void {
    const report = this.report(kind, record, fields);
    if (report.skipped.includes(problem)) return;
    report.skipped = added(report.skipped, problem);
    this.violation(report, 'corrupt-record', `record ${hex(record)} skipped: ${problem}`, record);
  }

  /** The record's checks, from the cache while it holds. A pass is one object shared by the whole run: take its fields at once. */
  private check(kind: RecordKind, entry: WalkedEntry): Check {
    const e = entry as RunEntry;
    const epoch = this.syncEpoch();
    // Nothing that could change the record happened since it last passed every check: no memory to read.
    if (e.okEpoch === epoch && e.fields !== undefined && e.bound !== undefined) {
      const state = e.fields.state;
      if (state === KBugCheckBufferDumpState.BufferInserted || state === KBugCheckBufferDumpState.BufferFinished) {
        const passed = this.passed;
        passed.fields = e.fields;
        passed.routine = e.bound;
        return passed;
      }
      if (state === KBugCheckBufferDumpState.BufferIncomplete) return { ok: false, problem: null, fields: e.fields };
    }
    const checked = this.fullCheck(kind, entry);
    if (checked.ok) {
      e.okEpoch = epoch;
      e.fields = checked.fields;
    }
    return checked;
  }

  /** The record's reason as last checked, or read from memory (undefined: not resident). */
  reasonOf(entry: WalkedEntry): number | null {
    const e = entry as RunEntry;
    if (e.okEpoch === this.syncEpoch() && e.fields !== undefined) return e.fields.reason;
    return this.k.mem.isResident(entry.address, recordSize('reason')) ? readReason(this.k.mem, entry.address) : null;
  }

  private fullCheck(kind: RecordKind, entry: WalkedEntry): Check {
    const { mem } = this.k;
    const e = entry as RunEntry;
    const links = this.links;
    let fields: RecordFields;
    // The record (and so its LIST_ENTRY) is resident and its links were read with it. A walk made at this epoch
    // already saw its predecessor point at it, its Blink point back (blinkOk) and its Flink lead on.
    let fresh: boolean;
    if (e.walkRead && e.walkEpoch === this.epoch) {
      // Nothing that could change the record happened since the walk read it whole (the epoch would have moved).
      e.walkRead = false;
      fields = e;
      links.checksum = e.walkChecksum;
      e.walkChecksum = 0n;
      fresh = true;
    } else {
      const residency = mem.residency(entry.address, recordSize(kind));
      if (residency === 'not-mapped') return { ok: false, problem: 'record is not mapped' };
      if (residency === 'pageable') return { ok: false, problem: 'record is in pageable memory' };
      fields = readRecord(mem, kind, entry.address, links);
      fresh = e.walkEpoch === this.epoch && links.blink !== 0n;
    }
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
    if (expected !== links.checksum) {
      return {
        ok: false,
        problem: `checksum mismatch (stored ${hex(links.checksum)}, computed ${hex(expected)})`,
        fields,
      };
    }
    if (!entry.blinkOk || (!fresh && !linksSound(mem, entry.address, links.flink, links.blink))) {
      return { ok: false, problem: 'list links are corrupt (Flink/Blink do not point back)', fields };
    }
    // A routine address, once bound, always means the same routine: remembered per entry.
    let routine: BoundRoutine | undefined;
    if (e.bound !== undefined && e.bound.address === fields.routine) {
      routine = e.bound;
    } else {
      routine = this.k.routines.resolve(fields.routine);
      if (routine) e.bound = routine;
    }
    if (!routine || routine.kind !== kind) {
      return {
        ok: false,
        problem: `CallbackRoutine ${hex(fields.routine)} is not a known ${kind} callback routine`,
        fields,
      };
    }
    const passed = this.passed;
    passed.fields = fields;
    passed.routine = routine;
    return passed;
  }
}
