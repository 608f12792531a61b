/**
 * flightrec.sys — a DMF_CrashDump-style flight recorder (KbCallbackSecondaryDumpData).
 *
 * The driver keeps the last N fixed-size records of what it did in a ring
 * buffer in nonpaged pool. At a bug check it hands the ring to the kernel as
 * secondary dump data under FLIGHT_RECORDER_GUID, oldest record first, so
 * `bugcheck blob <dump> <guid>` shows the history leading up to the crash.
 *
 * Other components get rings of their own ("data sources", like DMF's
 * user-mode data sources): each has its own GUID, record size, record count
 * and its own bug check record, and is fed through FlightRecorderDataSourceWrite.
 *
 * Records are stored plainly (DMF XORs them with a GUID-derived key; that
 * hides nothing from anyone holding the dump and makes the blob unreadable
 * without the driver's tooling).
 */
import {
  KBUGCHECK_REASON_CALLBACK_RECORD,
  KBUGCHECK_SECONDARY_DUMP_DATA,
  KbCallbackReason,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
  ansi,
  guid,
  isGuid,
  parseGuid,
  struct,
  u32,
  u64,
  type DriverDefinition,
  type DriverObject,
  type GuidString,
} from '../../src/index.js';
import {
  CONTAINING_RECORD,
  FIELD_OFFSET,
  SampleDriverError,
  ansiBytes,
  getDeviceExtension,
  requireDeviceExtension,
  setDeviceExtension,
} from './wdk.js';

/** Tag of the driver's own ring (data source 0). */
export const FLIGHT_RECORDER_GUID: GuidString = 'f92a4697-fc39-4bf6-9099-cec3970dfd94';
/** Tags the sample set gives its two external data sources. */
export const FLIGHT_RECORDER_TELEMETRY_GUID: GuidString = '43f2c3a8-e748-4f44-b2b3-a299e9d7afa0';
export const FLIGHT_RECORDER_SERVICE_GUID: GuidString = '3eb0a132-03b3-43ee-a98b-41de44c54f93';

export const FLIGHT_RECORDER_DRIVER_NAME = 'flightrec.sys';
export const FLIGHT_RECORDER_COMPONENT = 'FlightRecorder';
/** DMF_CrashDump allows at most 8 data sources besides its own ring. */
export const FLIGHT_RECORDER_MAX_DATA_SOURCES = 8;
/** Data source 0 is the driver's own ring (DMF's RINGBUFFER_INDEX_SELF). */
export const FLIGHT_RECORDER_INDEX_SELF = 0;

const DATA_SOURCE_SIGNATURE = 0x7364_5246; // 'FRds'
const POOL_TAG = 'FRec';
const EXTENSION_KEY = 'flightRecorder';

/**
 * One data source, in nonpaged pool. The bug check record is its first
 * member, so the callback gets from the record to the data source with
 * CONTAINING_RECORD — the record pointer is the only context a callback gets.
 */
export const FLIGHT_RECORDER_DATA_SOURCE = struct('FLIGHT_RECORDER_DATA_SOURCE', {
  BugCheckRecord: KBUGCHECK_REASON_CALLBACK_RECORD,
  Signature: u32,
  Index: u32,
  Guid: guid,
  EntrySize: u32,
  EntryCount: u32,
  /** Slot the next record goes to. */
  WriteIndex: u32,
  /** Records held (≤ EntryCount). */
  ItemsInBuffer: u32,
  TotalWrites: u64,
  /** KSPIN_LOCK writers take; the bug check callback never does (the holder may be frozen). */
  SpinLock: u64,
  /** EntrySize × EntryCount bytes of nonpaged pool. */
  Buffer: u64,
});

/** The record format of the driver's own ring (FlightRecorderLogEvent). 64 bytes. */
export const FLIGHT_RECORDER_EVENT = struct('FLIGHT_RECORDER_EVENT', {
  Sequence: u32,
  EventId: u32,
  Argument: u64,
  Message: ansi(48),
});
export type FlightRecorderEvent = ReturnType<typeof FLIGHT_RECORDER_EVENT.decode>;

export interface DataSourceConfig {
  guid: GuidString;
  /** Bytes per record; a write may be shorter (the rest of the slot is zeroed). */
  entrySize: number;
  entryCount: number;
}

export interface FlightRecorderOptions {
  name?: string;
  component?: string;
  /** Bytes per record of the driver's own ring; at least FLIGHT_RECORDER_EVENT.size. Default 64. */
  recordSize?: number;
  /** Records in the driver's own ring. Default 64. */
  recordCount?: number;
  /** Slots for external data sources (DMF's DataSourceCount), 0..8. Default 4. */
  dataSourceCount?: number;
  /** Largest ring (entrySize × entryCount) a data source may ask for (DMF's RingBufferMaximumSize). Default 1 MiB. */
  ringBufferMaximumSize?: number;
  /** Data sources created in DriverEntry, as a client configuring the module would. */
  dataSources?: DataSourceConfig[];
}

/** What DriverEntry keeps: pointers into nonpaged pool and the configuration. */
export class FlightRecorderExtension {
  /** Data sources in use (index 0 is the driver's own ring). */
  dataSourcesInUse = 0;
  constructor(
    /** Array of (1 + dataSourceCount) FLIGHT_RECORDER_DATA_SOURCE. */
    readonly dataSourceArray: bigint,
    readonly dataSourceSlots: number,
    readonly component: string,
    readonly ringBufferMaximumSize: number,
    readonly routine: (reason: number, record: bigint, data: bigint, length: number) => void,
  ) {}

  dataSource(index: number): bigint {
    return this.dataSourceArray + BigInt(index * FLIGHT_RECORDER_DATA_SOURCE.size);
  }
}

export function flightRecorderExtension(driver: DriverObject): FlightRecorderExtension | undefined {
  return getDeviceExtension(driver, EXTENSION_KEY, FlightRecorderExtension);
}

function checkRing(config: DataSourceConfig, maximum: number, what: string): void {
  if (!isGuid(config.guid))
    throw new SampleDriverError('E_SAMPLE_ARGUMENT', `${what}: ${String(config.guid)} is not a GUID`);
  if (!Number.isInteger(config.entrySize) || config.entrySize < 1)
    throw new SampleDriverError('E_SAMPLE_ARGUMENT', `${what}: entrySize ${config.entrySize} must be ≥ 1`);
  if (!Number.isInteger(config.entryCount) || config.entryCount < 1)
    throw new SampleDriverError('E_SAMPLE_ARGUMENT', `${what}: entryCount ${config.entryCount} must be ≥ 1`);
  if (config.entrySize * config.entryCount > maximum) {
    throw new SampleDriverError(
      'E_SAMPLE_ARGUMENT',
      `${what}: ${config.entryCount} × ${config.entrySize} bytes exceeds the ${maximum}-byte ring maximum`,
    );
  }
}

/**
 * Allocates the ring, fills in the data source and registers its record
 * (IRQL ≤ DISPATCH_LEVEL, before any crash: nothing may be allocated later).
 */
function createDataSource(
  driver: DriverObject,
  ext: FlightRecorderExtension,
  index: number,
  config: DataSourceConfig,
): void {
  const { kernel } = driver;
  const source = ext.dataSource(index);
  const buffer = driver.allocateNonPaged(config.entrySize * config.entryCount, POOL_TAG);
  driver.machine.writeVirtual(buffer, new Uint8Array(config.entrySize * config.entryCount));
  kernel.view(FLIGHT_RECORDER_DATA_SOURCE, source).assign({
    Signature: DATA_SOURCE_SIGNATURE,
    Index: index,
    Guid: config.guid,
    EntrySize: config.entrySize,
    EntryCount: config.entryCount,
    Buffer: buffer,
  });
  const record = source + FIELD_OFFSET(FLIGHT_RECORDER_DATA_SOURCE, 'BugCheckRecord');
  kernel.KeInitializeCallbackRecord(record);
  if (
    !kernel.KeRegisterBugCheckReasonCallback(
      record,
      ext.routine,
      KbCallbackReason.KbCallbackSecondaryDumpData,
      ext.component,
      { module: driver.module },
    )
  ) {
    kernel.ExFreePoolWithTag(buffer, POOL_TAG);
    kernel.view(FLIGHT_RECORDER_DATA_SOURCE, source).clear();
    throw new SampleDriverError(
      'E_SAMPLE_REGISTER',
      `${driver.name}: KeRegisterBugCheckReasonCallback failed for data source ${index}`,
    );
  }
}

/**
 * The ring with its oldest record at slot 0 (DMF_RingBuffer_Reorder). Done in
 * place, so both passes agree and a second call changes nothing. A C driver
 * rotates with three reversals; here one read and two writes do the same.
 */
function reorderOldestFirst(driver: DriverObject, source: bigint): void {
  const view = driver.kernel.view(FLIGHT_RECORDER_DATA_SOURCE, source);
  const { EntrySize, EntryCount, WriteIndex, ItemsInBuffer, Buffer } = view.read();
  const oldest = ItemsInBuffer < EntryCount ? 0 : WriteIndex % EntryCount;
  if (oldest !== 0) {
    const ring = driver.machine.readVirtual(Buffer, EntrySize * EntryCount);
    const split = oldest * EntrySize;
    driver.machine.writeVirtual(Buffer, ring.subarray(split));
    driver.machine.writeVirtual(Buffer + BigInt(ring.length - split), ring.subarray(0, split));
  }
  view.set('WriteIndex', ItemsInBuffer % EntryCount);
}

/** Creates the flight recorder driver. */
export function createFlightRecorderDriver(options: FlightRecorderOptions = {}): DriverDefinition {
  const recordSize = options.recordSize ?? 64;
  const recordCount = options.recordCount ?? 64;
  const dataSourceCount = options.dataSourceCount ?? 4;
  const ringBufferMaximumSize = options.ringBufferMaximumSize ?? 0x100000;
  const component = options.component ?? FLIGHT_RECORDER_COMPONENT;
  if (recordSize < FLIGHT_RECORDER_EVENT.size)
    throw new SampleDriverError(
      'E_SAMPLE_ARGUMENT',
      `recordSize ${recordSize} is below the ${FLIGHT_RECORDER_EVENT.size}-byte event record`,
    );
  if (!Number.isInteger(dataSourceCount) || dataSourceCount < 0 || dataSourceCount > FLIGHT_RECORDER_MAX_DATA_SOURCES) {
    throw new SampleDriverError(
      'E_SAMPLE_ARGUMENT',
      `dataSourceCount ${dataSourceCount} must be 0..${FLIGHT_RECORDER_MAX_DATA_SOURCES}`,
    );
  }
  if ((options.dataSources?.length ?? 0) > dataSourceCount) {
    throw new SampleDriverError(
      'E_SAMPLE_ARGUMENT',
      `${options.dataSources?.length} data sources configured but only ${dataSourceCount} slots`,
    );
  }

  return {
    name: options.name ?? FLIGHT_RECORDER_DRIVER_NAME,

    DriverEntry(driver) {
      const { kernel } = driver;

      /**
       * KBUGCHECK_REASON_CALLBACK_ROUTINE, one for every data source. Runs at
       * HIGH_LEVEL: no allocation, no lock (a writer frozen on another
       * processor may hold the data source's spin lock), and the data source
       * is checked before it is trusted.
       */
      const FlightRecorderBugCheckCallback = (
        reason: number,
        record: bigint,
        reasonSpecificData: bigint,
        reasonSpecificDataLength: number,
      ): void => {
        if (reason !== KbCallbackReason.KbCallbackSecondaryDumpData) return;
        if (reasonSpecificDataLength < KBUGCHECK_SECONDARY_DUMP_DATA.size) return;
        const source = CONTAINING_RECORD(record, FLIGHT_RECORDER_DATA_SOURCE, 'BugCheckRecord');
        if (
          !kernel.MmIsAddressValid(source) ||
          kernel.view(FLIGHT_RECORDER_DATA_SOURCE, source).get('Signature') !== DATA_SOURCE_SIGNATURE
        )
          return;
        const secondary = kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, reasonSpecificData);
        const { OutBuffer, MaximumAllowed } = secondary.read();
        const dataPass = OutBuffer !== 0n;

        const state = kernel.view(FLIGHT_RECORDER_DATA_SOURCE, source).read();
        let start = 0n;
        let length = 0;
        if (state.ItemsInBuffer > 0 && kernel.MmIsAddressValid(state.Buffer)) {
          reorderOldestFirst(driver, source);
          // Whole records only, and if the ring is larger than allowed, the newest
          // ones: what happened just before the crash matters most.
          const records = Math.min(state.ItemsInBuffer, Math.floor(MaximumAllowed / state.EntrySize));
          length = records * state.EntrySize;
          start = state.Buffer + BigInt((state.ItemsInBuffer - records) * state.EntrySize);
          if (length === 0) start = 0n;
        }
        // Size pass: say how much. Data pass: the same, plus the tag. The ring
        // itself is the output buffer, so nothing is copied into InBuffer.
        secondary.write(
          dataPass
            ? { Guid: state.Guid, OutBuffer: start, OutBufferLength: length }
            : { OutBuffer: start, OutBufferLength: length },
        );
      };

      const slots = 1 + dataSourceCount;
      const array = driver.allocateNonPaged(slots * FLIGHT_RECORDER_DATA_SOURCE.size, POOL_TAG);
      driver.machine.writeVirtual(array, new Uint8Array(slots * FLIGHT_RECORDER_DATA_SOURCE.size));
      const ext = setDeviceExtension(
        driver,
        EXTENSION_KEY,
        new FlightRecorderExtension(array, slots, component, ringBufferMaximumSize, FlightRecorderBugCheckCallback),
      );

      try {
        const self: DataSourceConfig = { guid: FLIGHT_RECORDER_GUID, entrySize: recordSize, entryCount: recordCount };
        checkRing(self, Number.MAX_SAFE_INTEGER, `${driver.name} own ring`);
        createDataSource(driver, ext, FLIGHT_RECORDER_INDEX_SELF, self);
        ext.dataSourcesInUse = 1;
        for (const config of options.dataSources ?? []) FlightRecorderDataSourceCreate(driver, config);
      } catch (error) {
        // A failed DriverEntry must leave no record registered behind it.
        teardown(driver);
        throw error;
      }
    },

    DriverUnload: teardown,
  };
}

/** DriverUnload (and a failed DriverEntry): deregister every record before its memory goes. */
function teardown(driver: DriverObject): void {
  const ext = flightRecorderExtension(driver);
  if (!ext) return;
  const { kernel } = driver;
  for (let i = 0; i < ext.dataSourcesInUse; i++) {
    const source = ext.dataSource(i);
    kernel.KeDeregisterBugCheckReasonCallback(source + FIELD_OFFSET(FLIGHT_RECORDER_DATA_SOURCE, 'BugCheckRecord'));
    kernel.ExFreePoolWithTag(kernel.view(FLIGHT_RECORDER_DATA_SOURCE, source).get('Buffer'), POOL_TAG);
  }
  kernel.ExFreePoolWithTag(ext.dataSourceArray, POOL_TAG);
  ext.dataSourcesInUse = 0;
  delete driver.extension[EXTENSION_KEY];
}

/**
 * DMF_CrashDump's IOCTL_DATA_SOURCE_CREATE: a new ring under its own GUID
 * with its own bug check record. Returns the data source index.
 */
export function FlightRecorderDataSourceCreate(driver: DriverObject, config: DataSourceConfig): number {
  const ext = requireDeviceExtension(driver, EXTENSION_KEY, FlightRecorderExtension);
  checkRing(config, ext.ringBufferMaximumSize, `${driver.name} data source`);
  if (ext.dataSourcesInUse >= ext.dataSourceSlots) {
    throw new SampleDriverError(
      'E_SAMPLE_DATA_SOURCES',
      `${driver.name}: all ${ext.dataSourceSlots - 1} data source slots are in use`,
    );
  }
  for (let i = 0; i < ext.dataSourcesInUse; i++) {
    if (driver.kernel.view(FLIGHT_RECORDER_DATA_SOURCE, ext.dataSource(i)).get('Guid') === parseGuid(config.guid)) {
      throw new SampleDriverError(
        'E_SAMPLE_DATA_SOURCES',
        `${driver.name}: a data source with GUID ${config.guid} exists (index ${i})`,
      );
    }
  }
  const index = ext.dataSourcesInUse;
  createDataSource(driver, ext, index, { ...config, guid: parseGuid(config.guid) });
  ext.dataSourcesInUse = index + 1;
  return index;
}

/** The index of the data source tagged `guid`, or -1 (DMF's IOCTL_DATA_SOURCE_OPEN). */
export function FlightRecorderDataSourceOpen(driver: DriverObject, dataSourceGuid: GuidString): number {
  const ext = requireDeviceExtension(driver, EXTENSION_KEY, FlightRecorderExtension);
  for (let i = 0; i < ext.dataSourcesInUse; i++) {
    if (driver.kernel.view(FLIGHT_RECORDER_DATA_SOURCE, ext.dataSource(i)).get('Guid') === parseGuid(dataSourceGuid))
      return i;
  }
  return -1;
}

/**
 * DMF_CrashDump_DataSourceWrite: appends one record (≤ EntrySize bytes; the
 * rest of the slot is zeroed) to a data source, overwriting the oldest when
 * full. IRQL ≤ DISPATCH_LEVEL: it takes the data source's spin lock.
 */
export function FlightRecorderDataSourceWrite(driver: DriverObject, index: number, data: Uint8Array): number {
  const ext = requireDeviceExtension(driver, EXTENSION_KEY, FlightRecorderExtension);
  if (!Number.isInteger(index) || index < 0 || index >= ext.dataSourcesInUse) return STATUS_INVALID_PARAMETER;
  const { kernel } = driver;
  const source = ext.dataSource(index);
  const view = kernel.view(FLIGHT_RECORDER_DATA_SOURCE, source);
  const lock = view.addressOf('SpinLock');
  const oldIrql = kernel.KeAcquireSpinLock(lock);
  try {
    const { EntrySize, EntryCount, WriteIndex, ItemsInBuffer, TotalWrites, Buffer } = view.read();
    if (data.length > EntrySize) return STATUS_INVALID_PARAMETER;
    const slot = new Uint8Array(EntrySize);
    slot.set(data);
    driver.machine.writeVirtual(Buffer + BigInt(WriteIndex * EntrySize), slot);
    view.write({
      WriteIndex: (WriteIndex + 1) % EntryCount,
      ItemsInBuffer: Math.min(ItemsInBuffer + 1, EntryCount),
      TotalWrites: TotalWrites + 1n,
    });
    return STATUS_SUCCESS;
  } finally {
    kernel.KeReleaseSpinLock(lock, oldIrql);
  }
}

/** DMF_CrashDump_DataSourceWriteSelf: a record into the driver's own ring. */
export function FlightRecorderWriteSelf(driver: DriverObject, data: Uint8Array): number {
  return FlightRecorderDataSourceWrite(driver, FLIGHT_RECORDER_INDEX_SELF, data);
}

/** Logs one FLIGHT_RECORDER_EVENT (Sequence = the ring's write count) into the driver's own ring. */
export function FlightRecorderLogEvent(
  driver: DriverObject,
  eventId: number,
  argument: bigint,
  message: string,
): number {
  const ext = requireDeviceExtension(driver, EXTENSION_KEY, FlightRecorderExtension);
  const sequence = Number(
    driver.kernel.view(FLIGHT_RECORDER_DATA_SOURCE, ext.dataSource(FLIGHT_RECORDER_INDEX_SELF)).get('TotalWrites') &
      0xffffffffn,
  );
  return FlightRecorderWriteSelf(
    driver,
    FLIGHT_RECORDER_EVENT.encode({ Sequence: sequence, EventId: eventId, Argument: argument, Message: message }),
  );
}

/** Decodes a blob of the driver's own ring into events (for tests and tools). */
export function decodeFlightRecorderEvents(blob: Uint8Array, recordSize = 64): FlightRecorderEvent[] {
  const events: FlightRecorderEvent[] = [];
  for (let offset = 0; offset + recordSize <= blob.length; offset += recordSize)
    events.push(FLIGHT_RECORDER_EVENT.decode(blob, offset));
  return events;
}

/** A few steps of made-up driver activity: events in the own ring, samples in the data sources. */
export function flightRecorderRun(driver: DriverObject, step: number): void {
  const ext = flightRecorderExtension(driver);
  if (!ext) return;
  const events = ['IRP_MJ_READ completed', 'IRP_MJ_WRITE queued', 'DPC: interrupt serviced', 'Power: D0 entry'];
  FlightRecorderLogEvent(
    driver,
    0x100 + (step % events.length),
    BigInt(step),
    `${events[step % events.length]} #${step}`,
  );
  for (let i = 1; i < ext.dataSourcesInUse; i++) {
    const entrySize = driver.kernel.view(FLIGHT_RECORDER_DATA_SOURCE, ext.dataSource(i)).get('EntrySize');
    FlightRecorderDataSourceWrite(driver, i, ansiBytes(`source ${i} sample ${step}`, Math.min(entrySize, 32)));
  }
}
