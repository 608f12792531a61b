import {
  type KBUGCHECK_CALLBACK_RECORD,
  KBUGCHECK_REASON_CALLBACK_RECORD,
  KBUGCHECK_SECONDARY_DUMP_DATA_EX,
  KBugCheckBufferDumpState,
  KbCallbackReason,
  STATUS_SUCCESS,
  hex,
  type Layout,
} from '../format/index.js';
import { POOL_FLAG_NON_PAGED, type Machine } from '../machine/index.js';
import { executeBugCheck, type BugCheckHooks, type BugCheckResult } from './bugCheck.js';
import type { BugCheckInfo, CrashDumpWriterFactory } from './crashDumpTarget.js';
import { CallbackRunner } from './dispatcher.js';
import { KernelError, NestedBugCheckError } from './errors.js';
import { DISPATCH_LEVEL } from './irql.js';
import { ensureListHead, insertHeadList, insertTailList, removeEntryList } from './list.js';
import { KernelMemory } from './memory.js';
import { readState, recordSize, writeLegacyRecord, writeReasonRecord, writeState, type RecordKind } from './records.js';
import {
  RoutineTable,
  type KBugCheckCallbackRoutine,
  type KBugCheckReasonCallbackRoutine,
  type RoutineOptions,
} from './routines.js';
import { BugCheckRun, type KernelInternals, type ListId } from './run.js';
import { parseKernelSettings, type KernelSettings, type KernelSettingsInput } from './settings.js';
import { addTriageDumpDataBlock, initializeTriageDumpDataArray } from './triage.js';
import { StructView } from './views.js';
import type { ViolationKind } from './violations.js';
import type { Watchdog } from './watchdog.js';

const POOL_TAG = 'KeBc';
/** ntoskrnl's list of AddPages/RemovePages records (a global in its image, next to the other two heads). */
export const ADD_REMOVE_PAGES_LIST_HEAD = 'KeBugCheckAddRemovePagesCallbackListHead';
const PAGE_RECORD_REASONS: readonly number[] = [
  KbCallbackReason.KbCallbackAddPages,
  KbCallbackReason.KbCallbackRemovePages,
];
/** Reasons a driver may register for; the reserved values are the system's own. */
const REGISTRABLE_REASONS: readonly number[] = [
  KbCallbackReason.KbCallbackSecondaryDumpData,
  KbCallbackReason.KbCallbackDumpIo,
  KbCallbackReason.KbCallbackAddPages,
  KbCallbackReason.KbCallbackSecondaryMultiPartDumpData,
  KbCallbackReason.KbCallbackRemovePages,
  KbCallbackReason.KbCallbackTriageDumpData,
];

const NO_RECORDS: readonly bigint[] = [];

export type CallbackRecordLayout = typeof KBUGCHECK_REASON_CALLBACK_RECORD | typeof KBUGCHECK_CALLBACK_RECORD;

/** Why a Ke* call returned FALSE (Windows says nothing; the model tells). */
export interface KernelDiagnostic {
  api: string;
  record: bigint;
  message: string;
}

export interface RegisteredRecord {
  kind: RecordKind;
  record: bigint;
  routine: bigint;
  /** KbCallbackReason; null for legacy records. */
  reason: number | null;
  component: bigint;
  /** Registration sequence number. */
  sequence: number;
}

/**
 * The Windows bug check callback facility on a simulated machine: WDK-named
 * registration APIs over records kept in simulated nonpaged memory, and
 * KeBugCheckEx running every callback under HIGH_LEVEL rules while the dump
 * writer (a factory handed in, see crashDumpTarget.ts) produces the file.
 */
export class Kernel {
  readonly machine: Machine;
  readonly settings: KernelSettings;
  /** Index of the processor the calls are made on (the one that will bug check). */
  currentProcessor = 0;
  readonly diagnostics: KernelDiagnostic[] = [];
  /** Host-side observers of a bug check (e.g. a progress bar); see BugCheckHooks. */
  hooks: BugCheckHooks = {};

  private readonly mem: KernelMemory;
  private readonly routines: RoutineTable;
  private readonly runner: CallbackRunner;
  private readonly registry = new Map<bigint, RegisteredRecord>();
  /** Registry entries per list, kept with the registry (each bug check phase asks for the bound of its walk). */
  private readonly registeredByList: Record<ListId, number> = { reason: 0, addRemovePages: 0, legacy: 0 };
  /** Registered records by 4 KiB page of their bytes (the guard's test for a write into a record). */
  private readonly recordPages = new Map<number, bigint[]>();
  /** VA of KeBugCheckAddRemovePagesCallbackListHead inside ntoskrnl's image. */
  readonly addRemovePagesListHead: bigint;
  /** Bumped by every registration and deregistration (lets a bug check remember isRegistered answers). */
  private registryVersion = 0;
  private readonly createDumpWriter: CrashDumpWriterFactory | undefined;
  private readonly internals: KernelInternals;
  private sequence = 0;
  private activeRun: BugCheckRun | null = null;
  private result: BugCheckResult | null = null;
  private dumpIo: { address: bigint; size: number } | null = null;

  constructor(machine: Machine, settings: KernelSettingsInput = {}, createDumpWriter?: CrashDumpWriterFactory) {
    this.machine = machine;
    this.settings = parseKernelSettings(settings);
    this.createDumpWriter = createDumpWriter;
    this.mem = new KernelMemory(machine);
    this.routines = new RoutineTable(machine);
    this.runner = new CallbackRunner(
      machine,
      this.mem,
      (record) => this.registry.has(record),
      this.settings.routineTimeoutMs,
      {
        recordsAt: (address, length) => this.recordsAt(address, length),
        ownerOf: (record) => this.ownerOf(record),
      },
    );
    this.addRemovePagesListHead = this.mem.run(() =>
      machine.allocateImageData(machine.ntoskrnl, ADD_REMOVE_PAGES_LIST_HEAD, 0x10),
    );
    ensureListHead(this.mem, machine.symbols.KeBugCheckReasonCallbackListHead);
    ensureListHead(this.mem, machine.symbols.KeBugCheckCallbackListHead);
    ensureListHead(this.mem, this.addRemovePagesListHead);

    // Everything the callbacks are handed at crash time is allocated now, before the crash, in nonpaged pool.
    // Large enough for the biggest reason-specific structure (KBUGCHECK_SECONDARY_DUMP_DATA_EX, 0x68).
    const reasonData = this.allocate(Math.max(0x100, KBUGCHECK_SECONDARY_DUMP_DATA_EX.size));
    const inBufferLength = this.settings.secondaryData.inBufferLength;
    const inBuffer = this.allocate(Math.max(inBufferLength, 0x10));

    this.internals = {
      machine,
      mem: this.mem,
      runner: this.runner,
      routines: this.routines,
      settings: this.settings,
      isRegistered: (record) => this.registry.has(record),
      registeredCount: (list) => this.registeredByList[list],
      registryVersion: () => this.registryVersion,
      listHead: (list) => this.listHead(list),
      reasonData,
      inBuffer,
      inBufferLength,
      dumpIoBuffer: () => this.dumpIoBuffer(),
      dumpIoBufferIfAllocated: () => this.dumpIo,
    };
  }

  // ---- records ---------------------------------------------------------------------------

  /** KeInitializeCallbackRecord: State = BufferEmpty. Pass the legacy layout for a KBUGCHECK_CALLBACK_RECORD. */
  KeInitializeCallbackRecord(record: bigint, layout: CallbackRecordLayout = KBUGCHECK_REASON_CALLBACK_RECORD): void {
    this.machine.writeU8(record + BigInt(layout.offsets.State), KBugCheckBufferDumpState.BufferEmpty);
  }

  KeRegisterBugCheckReasonCallback(
    record: bigint,
    routine: KBugCheckReasonCallbackRoutine | bigint,
    reason: number,
    component: bigint | string,
    options?: RoutineOptions,
  ): boolean {
    const api = 'KeRegisterBugCheckReasonCallback';
    if (!Number.isInteger(reason) || !REGISTRABLE_REASONS.includes(reason))
      return this.refuse(api, record, `Reason ${reason} is not a reason a driver may register for`);
    if (!this.canRegister(api, 'reason', record)) return false;
    const address = this.routineAddress(api, record, 'reason', routine, options);
    if (address === null) return false;
    const componentAddress = this.componentAddress(component);
    // The buffer DumpIo writes are copied into must exist before the crash, like every buffer used at HIGH_LEVEL.
    if (reason === KbCallbackReason.KbCallbackDumpIo) this.dumpIoBuffer();
    writeReasonRecord(this.mem, record, address, reason, componentAddress);
    const list = this.listOf('reason', reason);
    // ntoskrnl links triage records at the tail and every other record at the head.
    this.link(list, 'reason', record, reason === KbCallbackReason.KbCallbackTriageDumpData);
    this.enter({
      kind: 'reason',
      record,
      routine: address,
      reason,
      component: componentAddress,
      sequence: this.sequence++,
    });
    return true;
  }

  KeDeregisterBugCheckReasonCallback(record: bigint): boolean {
    return this.deregister('KeDeregisterBugCheckReasonCallback', 'reason', record);
  }

  KeRegisterBugCheckCallback(
    record: bigint,
    routine: KBugCheckCallbackRoutine | bigint,
    buffer: bigint,
    length: number,
    component: bigint | string,
    options?: RoutineOptions,
  ): boolean {
    const api = 'KeRegisterBugCheckCallback';
    if (!Number.isInteger(length) || length < 0 || length > 0xffffffff)
      return this.refuse(api, record, `Length ${length} is not a ULONG`);
    if (!this.canRegister(api, 'legacy', record)) return false;
    if (!this.bufferResident(api, record, buffer, length)) return false;
    const address = this.routineAddress(api, record, 'legacy', routine, options);
    if (address === null) return false;
    const componentAddress = this.componentAddress(component);
    writeLegacyRecord(this.mem, record, address, buffer, length, componentAddress);
    this.link('legacy', 'legacy', record, false);
    this.enter({
      kind: 'legacy',
      record,
      routine: address,
      reason: null,
      component: componentAddress,
      sequence: this.sequence++,
    });
    return true;
  }

  KeDeregisterBugCheckCallback(record: bigint): boolean {
    return this.deregister('KeDeregisterBugCheckCallback', 'legacy', record);
  }

  /** Records currently registered, in registration order. */
  registeredRecords(): RegisteredRecord[] {
    return [...this.registry.values()].sort((a, b) => a.sequence - b.sequence);
  }

  /**
   * Gives a routine its code address (inside `options.module`, or ntoskrnl)
   * ahead of registration, e.g. to register by address.
   */
  bindRoutine(kind: 'reason', fn: KBugCheckReasonCallbackRoutine, options?: RoutineOptions): bigint;
  bindRoutine(kind: 'legacy', fn: KBugCheckCallbackRoutine, options?: RoutineOptions): bigint;
  bindRoutine(
    kind: 'reason' | 'legacy',
    fn: KBugCheckReasonCallbackRoutine | KBugCheckCallbackRoutine,
    options?: RoutineOptions,
  ): bigint {
    return kind === 'reason'
      ? this.routines.bind('reason', fn as KBugCheckReasonCallbackRoutine, options)
      : this.routines.bind('legacy', fn as KBugCheckCallbackRoutine, options);
  }

  // ---- triage data array ------------------------------------------------------------------

  KeInitializeTriageDumpDataArray(array: bigint, size: number): number {
    return initializeTriageDumpDataArray(this.mem, array, size);
  }

  KeAddTriageDumpDataBlock(array: bigint, address: bigint, size: bigint | number): number {
    return addTriageDumpDataBlock(this.mem, array, address, size, this.settings.triage.zeroSizeBlock);
  }

  // ---- the bug check ----------------------------------------------------------------------

  /**
   * Runs the whole bug check synchronously and returns what happened. Called
   * from inside a callback, it records the nested bug check and unwinds that
   * callback (KeBugCheckEx never returns); no second dump is written.
   */
  KeBugCheckEx(code: number, p1: bigint = 0n, p2: bigint = 0n, p3: bigint = 0n, p4: bigint = 0n): BugCheckResult {
    const info: BugCheckInfo = {
      code: code >>> 0,
      parameters: [BigInt.asUintN(64, p1), BigInt.asUintN(64, p2), BigInt.asUintN(64, p3), BigInt.asUintN(64, p4)],
    };
    if (this.activeRun) {
      this.activeRun.nested.push(info);
      this.runner.noteNestedBugCheck(
        `KeBugCheckEx(${hex(info.code)}, ${info.parameters.map((p) => hex(p)).join(', ')}) during the bug check`,
      );
      throw new NestedBugCheckError(info.code);
    }
    if (this.result)
      throw new KernelError(
        'E_KERNEL_HALTED',
        `the machine already bug checked (stop code ${hex(this.result.displayed.code)}); it does not run any more`,
      );
    const run = new BugCheckRun(this.internals, info);
    this.activeRun = run;
    this.runner.log = run.log;
    try {
      this.result = executeBugCheck(run, this.currentProcessor, this.createDumpWriter, this.hooks);
    } finally {
      this.activeRun = null;
      this.runner.log = null;
      this.runner.onRoutineWrite = null;
    }
    return this.result;
  }

  /** The watchdog that stops routines that never return (settings.routineTimeoutMs); `chunks` counts timer arms. */
  get watchdog(): Watchdog {
    return this.runner.watchdog;
  }

  /** The result of the bug check, once there has been one. */
  get bugCheckResult(): BugCheckResult | null {
    return this.result;
  }

  get bugCheckInProgress(): boolean {
    return this.activeRun !== null;
  }

  // ---- services a callback may (or may not) call ------------------------------------------

  KeGetCurrentIrql(): number {
    return this.processor().irql;
  }

  /** MmIsAddressValid: never faults, never counts as an access. */
  MmIsAddressValid(va: bigint): boolean {
    return this.machine.isAddressValid(va);
  }

  ExAllocatePool2(flags: bigint, numberOfBytes: number, tag: number | string): bigint {
    this.requireDispatchOrBelow('ExAllocatePool2', 'allocate', `ExAllocatePool2(${hex(flags)}, ${numberOfBytes})`);
    return this.machine.ExAllocatePool2(flags, numberOfBytes, tag);
  }

  ExFreePoolWithTag(va: bigint, tag: number | string): void {
    this.requireDispatchOrBelow('ExFreePoolWithTag', 'free', `ExFreePoolWithTag(${hex(va)})`);
    this.machine.ExFreePoolWithTag(va, tag);
  }

  /** The object is always taken as signaled (nothing else runs in this model); forbidden at HIGH_LEVEL. */
  KeWaitForSingleObject(
    object: bigint,
    _waitReason = 0,
    _waitMode = 0,
    _alertable = false,
    _timeout: bigint | null = null,
  ): number {
    this.requireDispatchOrBelow(
      'KeWaitForSingleObject',
      'wait',
      `KeWaitForSingleObject(${hex(object)}): the other processors are frozen, nothing can signal it`,
    );
    return STATUS_SUCCESS;
  }

  /** Raises to DISPATCH_LEVEL and returns the previous IRQL; forbidden at HIGH_LEVEL (would deadlock). */
  KeAcquireSpinLock(lock: bigint): number {
    this.requireDispatchOrBelow(
      'KeAcquireSpinLock',
      'wait',
      `KeAcquireSpinLock(${hex(lock)}): its owner may be frozen; spinning forever`,
    );
    const cpu = this.processor();
    const old = cpu.irql;
    cpu.irql = Math.max(old, DISPATCH_LEVEL);
    return old;
  }

  /**
   * Releases the lock and returns to `oldIrql`. Inside a bug check callback
   * that would lower the processor from HIGH_LEVEL (letting interrupts run on
   * a machine that must stay uninterrupted), so any change of IRQL there is an
   * `irql` violation and the IRQL stays where it is.
   */
  KeReleaseSpinLock(lock: bigint, oldIrql: number): void {
    const cpu = this.processor();
    if (this.runner.activeReport && oldIrql !== cpu.irql) {
      this.runner.raise(
        'irql',
        `KeReleaseSpinLock(${hex(lock)}, ${String(oldIrql)}) would take the processor to IRQL ${String(oldIrql)}; a bug check callback runs at HIGH_LEVEL (${cpu.irql}) throughout`,
        lock,
      );
    }
    cpu.irql = oldIrql;
  }

  // ---- for services other layers implement (C drivers: src/kernel/services) ---------------

  /** Whether a bug check callback routine is running now (its HIGH_LEVEL rules apply). */
  get inCallback(): boolean {
    return this.runner.activeReport !== null;
  }

  /** Records a violation against the routine running now and unwinds it (only inside a callback). */
  raiseViolation(kind: ViolationKind, detail: string, address?: bigint): never {
    return this.runner.raise(kind, detail, address);
  }

  /** The rule of a service callable at IRQL ≤ DISPATCH_LEVEL (a violation of `kind` inside a callback). */
  requireDispatchOrBelow(api: string, kind: ViolationKind, detail: string): void {
    if (this.runner.activeReport) this.runner.raise(kind, detail);
    const irql = this.processor().irql;
    if (irql > DISPATCH_LEVEL) {
      throw new KernelError('E_IRQL_NOT_LESS_OR_EQUAL', `${api} called at IRQL ${irql} (> DISPATCH_LEVEL)`, {
        api,
        irql,
      });
    }
  }

  /** A typed view of a structure in simulated memory; reads/writes go through the machine (and the HIGH_LEVEL guard). */
  view<T>(layout: Layout<T>, address: bigint): StructView<T> {
    // A view holds nothing but its accessor, layout and address: a routine that asks for the structure it was
    // handed (the same one each call) gets the view made for the previous one.
    const last = this.lastView;
    if (last !== null && last.layout === layout && last.address === address) return last as StructView<T>;
    const made = new StructView(this.machine, layout, address);
    this.lastView = made as StructView<unknown>;
    return made;
  }
  private lastView: StructView<unknown> | null = null;

  // ---- internals --------------------------------------------------------------------------

  private processor(): Machine['processors'][number] {
    const cpu = this.machine.processors[this.currentProcessor];
    if (!cpu) throw new KernelError('E_KERNEL_PROCESSOR', `no processor ${this.currentProcessor} on this machine`);
    return cpu;
  }

  private allocate(bytes: number): bigint {
    const va = this.mem.run(() => this.machine.ExAllocatePool2(POOL_FLAG_NON_PAGED, bytes, POOL_TAG));
    if (va === 0n)
      throw new KernelError(
        'E_KERNEL_NO_MEMORY',
        `could not allocate ${bytes} bytes of nonpaged pool for the bug check buffers`,
      );
    return va;
  }

  private dumpIoBuffer(): { address: bigint; size: number } {
    this.dumpIo ??= { address: this.allocate(this.settings.dump.ioChunkBytes), size: this.settings.dump.ioChunkBytes };
    return this.dumpIo;
  }

  private refuse(api: string, record: bigint, message: string): false {
    this.diagnostics.push({ api, record, message });
    return false;
  }

  private canRegister(api: string, kind: RecordKind, record: bigint): boolean {
    const residency = this.mem.residency(record, recordSize(kind));
    if (residency === 'not-mapped') return this.refuse(api, record, `record ${hex(record)} is not mapped`);
    if (residency === 'pageable')
      return this.refuse(api, record, `record ${hex(record)} is in pageable memory; it must be resident`);
    if (this.registry.has(record)) return this.refuse(api, record, `record ${hex(record)} is already registered`);
    const state = readState(this.mem, kind, record);
    if (state !== KBugCheckBufferDumpState.BufferEmpty) {
      return this.refuse(
        api,
        record,
        `record State is ${state}, not BufferEmpty (already registered, or not initialised with KeInitializeCallbackRecord)`,
      );
    }
    return true;
  }

  /**
   * The legacy Buffer is optional (NULL, or a Length of 0, has nothing to
   * check); otherwise all of it "must be resident" [DOC], like the record, and
   * is refused the same way. Memory freed or paged out after registration is
   * caught by the guard when the routine touches it.
   */
  private bufferResident(api: string, record: bigint, buffer: bigint, length: number): boolean {
    if (buffer < 0n || buffer >= 1n << 64n)
      return this.refuse(api, record, `Buffer ${String(buffer)} is not a pointer`);
    if (buffer === 0n || length === 0) return true;
    const residency = this.mem.residency(buffer, length);
    if (residency === 'not-mapped')
      return this.refuse(api, record, `Buffer ${hex(buffer)} (${length} bytes) is not mapped; it must be resident`);
    if (residency === 'pageable')
      return this.refuse(
        api,
        record,
        `Buffer ${hex(buffer)} (${length} bytes) is in pageable memory; it must be resident`,
      );
    return true;
  }

  private routineAddress(
    api: string,
    record: bigint,
    kind: 'reason' | 'legacy',
    routine: KBugCheckReasonCallbackRoutine | KBugCheckCallbackRoutine | bigint,
    options: RoutineOptions | undefined,
  ): bigint | null {
    if (typeof routine === 'bigint') {
      const bound = this.routines.resolve(routine);
      if (!bound || bound.kind !== kind) {
        this.refuse(api, record, `CallbackRoutine ${hex(routine)} is not a bound ${kind} routine (use bindRoutine)`);
        return null;
      }
      return routine;
    }
    return kind === 'reason'
      ? this.routines.bind('reason', routine as KBugCheckReasonCallbackRoutine, options)
      : this.routines.bind('legacy', routine as KBugCheckCallbackRoutine, options);
  }

  private componentAddress(component: bigint | string): bigint {
    if (typeof component === 'bigint') return component;
    return this.mem.run(() => this.machine.allocateAnsiString(component));
  }

  private listHead(list: ListId): bigint {
    if (list === 'legacy') return this.machine.symbols.KeBugCheckCallbackListHead;
    return list === 'addRemovePages'
      ? this.addRemovePagesListHead
      : this.machine.symbols.KeBugCheckReasonCallbackListHead;
  }

  /** The list a record of this kind and reason lives on. */
  private listOf(kind: RecordKind, reason: number | null): ListId {
    if (kind === 'legacy') return 'legacy';
    return this.settings.addRemovePagesList === 'separate' && reason !== null && PAGE_RECORD_REASONS.includes(reason)
      ? 'addRemovePages'
      : 'reason';
  }

  /** 'lifo' links at the head (ntoskrnl), except records ntoskrnl appends (`atTail`); 'fifo' always at the tail. */
  private link(list: ListId, kind: RecordKind, record: bigint, atTail: boolean): void {
    const head = this.listHead(list);
    if (this.settings.callbackOrder === 'lifo' && !atTail) insertHeadList(this.mem, head, record);
    else insertTailList(this.mem, head, record);
    writeState(this.mem, kind, record, KBugCheckBufferDumpState.BufferInserted);
  }

  private enter(entry: RegisteredRecord): void {
    this.registry.set(entry.record, entry);
    this.registeredByList[this.listOf(entry.kind, entry.reason)]++;
    this.registryVersion++;
    this.forEachPage(entry.record, recordSize(entry.kind), (page) => {
      const list = this.recordPages.get(page);
      if (list) list.push(entry.record);
      else this.recordPages.set(page, [entry.record]);
    });
  }

  private leave(entry: RegisteredRecord): void {
    this.registry.delete(entry.record);
    this.registeredByList[this.listOf(entry.kind, entry.reason)]--;
    this.registryVersion++;
    this.forEachPage(entry.record, recordSize(entry.kind), (page) => {
      const rest = this.recordPages.get(page)?.filter((r) => r !== entry.record) ?? [];
      if (rest.length > 0) this.recordPages.set(page, rest);
      else this.recordPages.delete(page);
    });
  }

  private forEachPage(address: bigint, length: number, visit: (page: number) => void): void {
    const last = Number((address + BigInt(Math.max(1, length)) - 1n) >> 12n);
    for (let page = Number(address >> 12n); page <= last; page++) visit(page);
  }

  /** Registered records overlapping [address, address + length). */
  private recordsAt(address: bigint, length: number): readonly bigint[] {
    if (this.recordPages.size === 0 || length <= 0) return NO_RECORDS;
    const hits: bigint[] = [];
    const end = address + BigInt(length);
    this.forEachPage(address, Math.min(length, 0x1000000), (page) => {
      for (const record of this.recordPages.get(page) ?? NO_RECORDS) {
        const entry = this.registry.get(record);
        if (!entry || hits.includes(record)) continue;
        if (record < end && address < record + BigInt(recordSize(entry.kind))) hits.push(record);
      }
    });
    return hits;
  }

  /** Base of the image holding the routine registered with `record`. */
  private ownerOf(record: bigint): bigint | null {
    const entry = this.registry.get(record);
    return entry ? (this.machine.findModuleByAddress(entry.routine)?.base ?? null) : null;
  }

  private deregister(api: string, kind: RecordKind, record: bigint): boolean {
    const entry = this.registry.get(record);
    if (!entry || entry.kind !== kind)
      return this.refuse(api, record, `record ${hex(record)} is not registered as a ${kind} callback`);
    if (readState(this.mem, kind, record) === KBugCheckBufferDumpState.BufferEmpty) {
      return this.refuse(api, record, `record ${hex(record)} has State BufferEmpty`);
    }
    if (!removeEntryList(this.mem, record))
      return this.refuse(api, record, `record ${hex(record)}: list links are corrupt; not removed`);
    const caller = this.runner.activeReport;
    if (caller && caller.record !== record && this.ownerOf(record) !== this.runner.activeOwner()) {
      // Windows lets it happen; the model names the driver that took another driver's callback away.
      this.runner.note(
        'tamper',
        `${api}(${hex(record)}): deregistered a callback record another driver registered`,
        record,
      );
    }
    writeState(this.mem, kind, record, KBugCheckBufferDumpState.BufferEmpty);
    this.leave(entry);
    return true;
  }
}
