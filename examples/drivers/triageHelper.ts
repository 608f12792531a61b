/**
 * triagehlp.sys — KbCallbackTriageDumpData: the driver's structures in a small dump.
 *
 * A small (triage) dump carries the stop code, the crashing thread and stack,
 * the module list — and not a byte of any driver's own state. This driver
 * keeps a KTRIAGE_DUMP_DATA_ARRAY listing its key structures: the device
 * extension and the device configuration are added at start-up (their
 * addresses never change; their contents may), and the request in flight is
 * added inside the callback, because only at crash time is it known which
 * request that is. The ranges come back as ordinary virtual memory in the
 * small dump: `bugcheck read <dump> <va>` reads them like any other address.
 */
import {
  KBUGCHECK_TRIAGE_DUMP_DATA,
  KB_TRIAGE_DUMP_DATA_FLAG_BUGCHECK_ACTIVE,
  KTRIAGE_DUMP_DATA_ARRAY,
  KbCallbackReason,
  STATUS_SUCCESS,
  ansi,
  i32,
  ktriageDumpDataArraySize,
  ntSuccess,
  struct,
  u32,
  u64,
  hex,
  type DriverDefinition,
  type DriverObject,
} from '../../src/index.js';
import { SampleDriverError, getDeviceExtension, requireDeviceExtension, setDeviceExtension } from './wdk.js';

export const TRIAGE_HELPER_DRIVER_NAME = 'triagehlp.sys';
export const TRIAGE_HELPER_COMPONENT = 'TriageHelper';

const EXTENSION_KEY = 'triageHelper';
const POOL_TAG = 'TrgH';
const EXTENSION_SIGNATURE = 0x4867_7254; // 'TrgH'
export const TRIAGE_REQUEST_SIGNATURE = 0x7165_5254; // 'TReq'
/** Triage array slots: two at start-up, one at crash time, room to spare. */
const TRIAGE_BLOCKS = 8;

export const TRIAGE_HELPER_DEVICE_EXTENSION = struct('TRIAGE_HELPER_DEVICE_EXTENSION', {
  Signature: u32,
  DeviceState: u32,
  RequestsStarted: u32,
  RequestsCompleted: u32,
  /** The request in flight, or NULL. */
  CurrentRequest: u64,
  RequestPool: u64,
  Configuration: u64,
  TriageArray: u64,
  LastStatus: i32,
});

export const TRIAGE_HELPER_CONFIGURATION = struct('TRIAGE_HELPER_CONFIGURATION', {
  DeviceName: ansi(32),
  FirmwareVersion: u32,
  QueueDepth: u32,
  MaxTransferLength: u32,
  Features: u32,
});

export const TRIAGE_REQUEST = struct('TRIAGE_REQUEST', {
  Signature: u32,
  RequestId: u32,
  MajorFunction: u32,
  Status: i32,
  Offset: u64,
  Length: u32,
  Description: ansi(36),
});

export interface TriageHelperOptions {
  name?: string;
  component?: string;
  /** Request slots in the request pool. Default 16. */
  queueDepth?: number;
}

export class TriageHelperExtension {
  constructor(
    readonly extension: bigint,
    readonly configuration: bigint,
    readonly requestPool: bigint,
    readonly queueDepth: number,
    readonly triageArray: bigint,
  ) {}

  request(slot: number): bigint {
    return this.requestPool + BigInt(slot * TRIAGE_REQUEST.size);
  }
}

export function triageHelperExtension(driver: DriverObject): TriageHelperExtension | undefined {
  return getDeviceExtension(driver, EXTENSION_KEY, TriageHelperExtension);
}

export function createTriageHelperDriver(options: TriageHelperOptions = {}): DriverDefinition {
  const queueDepth = options.queueDepth ?? 16;
  if (!Number.isInteger(queueDepth) || queueDepth < 1 || queueDepth > 1024)
    throw new SampleDriverError('E_SAMPLE_ARGUMENT', `queueDepth ${queueDepth} must be 1..1024`);
  const component = options.component ?? TRIAGE_HELPER_COMPONENT;

  return {
    name: options.name ?? TRIAGE_HELPER_DRIVER_NAME,

    DriverEntry(driver) {
      const { kernel } = driver;
      const extension = driver.allocateNonPaged(TRIAGE_HELPER_DEVICE_EXTENSION.size, POOL_TAG);
      const configuration = driver.allocateNonPaged(TRIAGE_HELPER_CONFIGURATION.size, POOL_TAG);
      const requestPool = driver.allocateNonPaged(queueDepth * TRIAGE_REQUEST.size, POOL_TAG);
      driver.machine.writeVirtual(requestPool, new Uint8Array(queueDepth * TRIAGE_REQUEST.size));
      const arraySize = ktriageDumpDataArraySize(TRIAGE_BLOCKS);
      const triageArray = driver.allocateNonPaged(arraySize, POOL_TAG);

      kernel.view(TRIAGE_HELPER_CONFIGURATION, configuration).assign({
        DeviceName: `\\Device\\TriageHelper0`,
        FirmwareVersion: 0x0203_0011,
        QueueDepth: queueDepth,
        MaxTransferLength: 0x20000,
        Features: 0b1011,
      });
      kernel.view(TRIAGE_HELPER_DEVICE_EXTENSION, extension).assign({
        Signature: EXTENSION_SIGNATURE,
        DeviceState: 1,
        RequestPool: requestPool,
        Configuration: configuration,
        TriageArray: triageArray,
        LastStatus: STATUS_SUCCESS,
      });

      // The array must be nonpaged and ready before any crash; ranges whose
      // address stays valid for the driver's lifetime go in now.
      const check = (status: number, what: string): void => {
        if (!ntSuccess(status))
          throw new SampleDriverError('E_SAMPLE_TRIAGE', `${driver.name}: ${what} failed with ${hex(status >>> 0)}`);
      };
      check(kernel.KeInitializeTriageDumpDataArray(triageArray, arraySize), 'KeInitializeTriageDumpDataArray');
      check(
        kernel.KeAddTriageDumpDataBlock(triageArray, extension, TRIAGE_HELPER_DEVICE_EXTENSION.size),
        'KeAddTriageDumpDataBlock(device extension)',
      );
      check(
        kernel.KeAddTriageDumpDataBlock(triageArray, configuration, TRIAGE_HELPER_CONFIGURATION.size),
        'KeAddTriageDumpDataBlock(configuration)',
      );
      setDeviceExtension(
        driver,
        EXTENSION_KEY,
        new TriageHelperExtension(extension, configuration, requestPool, queueDepth, triageArray),
      );

      /**
       * KBUGCHECK_REASON_CALLBACK_ROUTINE for KbCallbackTriageDumpData. Only
       * during a bug check (BUGCHECK_ACTIVE) may it probe memory with
       * MmIsAddressValid; then it adds the request in flight, if that still
       * looks like a request, and returns its array.
       */
      const TriageHelperTriageCallback = (
        reason: number,
        _record: bigint,
        reasonSpecificData: bigint,
        reasonSpecificDataLength: number,
      ): void => {
        if (
          reason !== KbCallbackReason.KbCallbackTriageDumpData ||
          reasonSpecificDataLength < KBUGCHECK_TRIAGE_DUMP_DATA.size
        )
          return;
        const triage = kernel.view(KBUGCHECK_TRIAGE_DUMP_DATA, reasonSpecificData);
        const { Flags, MaxVirtMemSize } = triage.read();
        if ((Flags & KB_TRIAGE_DUMP_DATA_FLAG_BUGCHECK_ACTIVE) === 0) return;
        if (!kernel.MmIsAddressValid(extension) || !kernel.MmIsAddressValid(triageArray)) return;
        const ext = kernel.view(TRIAGE_HELPER_DEVICE_EXTENSION, extension);
        if (ext.get('Signature') !== EXTENSION_SIGNATURE) return;

        const current = ext.get('CurrentRequest');
        const inPool =
          current >= requestPool &&
          current + BigInt(TRIAGE_REQUEST.size) <= requestPool + BigInt(queueDepth * TRIAGE_REQUEST.size);
        const already = kernel.view(KTRIAGE_DUMP_DATA_ARRAY, triageArray).get('DataSize');
        if (
          current !== 0n &&
          inPool &&
          kernel.MmIsAddressValid(current) &&
          kernel.view(TRIAGE_REQUEST, current).get('Signature') === TRIAGE_REQUEST_SIGNATURE &&
          already + TRIAGE_REQUEST.size <= MaxVirtMemSize
        ) {
          // A failure only costs this range; the ones added earlier still count.
          ext.set('LastStatus', kernel.KeAddTriageDumpDataBlock(triageArray, current, TRIAGE_REQUEST.size));
        }
        triage.set('DataArray', triageArray);
      };

      driver.registerReasonCallback(TriageHelperTriageCallback, KbCallbackReason.KbCallbackTriageDumpData, component);
    },

    DriverUnload(driver) {
      const ext = triageHelperExtension(driver);
      if (!ext) return;
      driver.deregisterAll();
      for (const va of [ext.triageArray, ext.requestPool, ext.configuration, ext.extension])
        driver.kernel.ExFreePoolWithTag(va, POOL_TAG);
      delete driver.extension[EXTENSION_KEY];
    },
  };
}

/** Starts a request in the next pool slot and makes it the one in flight; returns its address. */
export function TriageHelperStartRequest(
  driver: DriverObject,
  majorFunction: number,
  offset: bigint,
  length: number,
  description: string,
): bigint {
  const ext = requireDeviceExtension(driver, EXTENSION_KEY, TriageHelperExtension);
  const view = driver.kernel.view(TRIAGE_HELPER_DEVICE_EXTENSION, ext.extension);
  const started = view.get('RequestsStarted');
  const request = ext.request(started % ext.queueDepth);
  driver.kernel.view(TRIAGE_REQUEST, request).assign({
    Signature: TRIAGE_REQUEST_SIGNATURE,
    RequestId: started + 1,
    MajorFunction: majorFunction,
    Status: 0x103, // STATUS_PENDING
    Offset: offset,
    Length: length,
    Description: description,
  });
  view.write({ RequestsStarted: started + 1, CurrentRequest: request });
  return request;
}

/** Completes the request in flight. */
export function TriageHelperCompleteRequest(driver: DriverObject, status: number): void {
  const ext = requireDeviceExtension(driver, EXTENSION_KEY, TriageHelperExtension);
  const view = driver.kernel.view(TRIAGE_HELPER_DEVICE_EXTENSION, ext.extension);
  const { CurrentRequest, RequestsCompleted } = view.read();
  if (CurrentRequest === 0n) return;
  driver.kernel.view(TRIAGE_REQUEST, CurrentRequest).set('Status', status);
  view.write({ CurrentRequest: 0n, RequestsCompleted: RequestsCompleted + 1, LastStatus: status });
}

/** One step of activity: complete the request in flight, start the next (left in flight). */
export function triageHelperRun(driver: DriverObject, step: number): void {
  if (!triageHelperExtension(driver)) return;
  TriageHelperCompleteRequest(driver, STATUS_SUCCESS);
  const read = step % 3 !== 0;
  TriageHelperStartRequest(
    driver,
    read ? 3 : 4,
    BigInt(step) * 0x1000n,
    0x1000 << (step % 3),
    `${read ? 'IRP_MJ_READ' : 'IRP_MJ_WRITE'} lba ${step * 8}`,
  );
}
