/**
 * bulklog.sys — KbCallbackSecondaryMultiPartDumpData: more data than one block may hold.
 *
 * The driver keeps a large trace log (1 MiB by default) in nonpaged pool.
 * One secondary-data block may carry at most MaximumAllowed bytes, so the
 * multi-part callback hands the log over in parts: each call returns the next
 * piece (OutBuffer points straight into the log, nothing is copied), keeps
 * its position in Context — NULL on the first call, preserved by the kernel
 * between calls — and sets KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA while more
 * remains. Every part is a block tagged BULK_LOGGER_GUID; concatenated in
 * file order they are the log (`bugcheck enumtag` lists the parts).
 */
import {
  KBUGCHECK_SECONDARY_DUMP_DATA_EX,
  KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA,
  KbCallbackReason,
  struct,
  u32,
  u64,
  type DriverDefinition,
  type DriverObject,
  type GuidString,
} from '../../src/index.js';
import { SampleDriverError, getDeviceExtension, requireDeviceExtension, setDeviceExtension } from './wdk.js';

export const BULK_LOGGER_GUID: GuidString = '9905d862-30ee-4717-9e14-ed9f0662e491';
export const BULK_LOGGER_DRIVER_NAME = 'bulklog.sys';
export const BULK_LOGGER_COMPONENT = 'BulkLogger';
export const BULK_LOGGER_DEFAULT_BYTES = 0x100000;

const EXTENSION_KEY = 'bulkLogger';
const POOL_TAG = 'BLog';
const EXTENSION_SIGNATURE = 0x676f_4c42; // 'BLog'

/** The device extension (nonpaged). */
export const BULK_LOGGER_EXTENSION = struct('BULK_LOGGER_EXTENSION', {
  Signature: u32,
  /** Bytes of the log in use; the log is append-only and stops when full. */
  ValidLength: u32,
  BufferSize: u32,
  /** Bytes refused because the log was full. */
  DroppedBytes: u32,
  Buffer: u64,
});

export interface BulkLoggerOptions {
  name?: string;
  component?: string;
  /** Size of the log. Default 1 MiB. */
  logBytes?: number;
  /** Largest part the driver itself wants to hand over (besides MaximumAllowed). Default: no limit of its own. */
  maxPartBytes?: number;
}

export class BulkLoggerExtension {
  constructor(
    readonly extension: bigint,
    readonly buffer: bigint,
    readonly bufferSize: number,
  ) {}
}

export function bulkLoggerExtension(driver: DriverObject): BulkLoggerExtension | undefined {
  return getDeviceExtension(driver, EXTENSION_KEY, BulkLoggerExtension);
}

export function createBulkLoggerDriver(options: BulkLoggerOptions = {}): DriverDefinition {
  const logBytes = options.logBytes ?? BULK_LOGGER_DEFAULT_BYTES;
  const maxPartBytes = options.maxPartBytes ?? 0xffffffff;
  if (!Number.isInteger(logBytes) || logBytes < 1 || logBytes > 0x4000000)
    throw new SampleDriverError('E_SAMPLE_ARGUMENT', `logBytes ${logBytes} must be 1..64 MiB`);
  if (!Number.isInteger(maxPartBytes) || maxPartBytes < 1)
    throw new SampleDriverError('E_SAMPLE_ARGUMENT', `maxPartBytes ${maxPartBytes} must be ≥ 1`);
  const component = options.component ?? BULK_LOGGER_COMPONENT;

  return {
    name: options.name ?? BULK_LOGGER_DRIVER_NAME,

    DriverEntry(driver) {
      const { kernel } = driver;
      const buffer = driver.allocateNonPaged(logBytes, POOL_TAG);
      const extension = driver.allocateNonPaged(BULK_LOGGER_EXTENSION.size, POOL_TAG);
      kernel
        .view(BULK_LOGGER_EXTENSION, extension)
        .assign({ Signature: EXTENSION_SIGNATURE, BufferSize: logBytes, Buffer: buffer });
      setDeviceExtension(driver, EXTENSION_KEY, new BulkLoggerExtension(extension, buffer, logBytes));

      /**
       * KBUGCHECK_REASON_CALLBACK_ROUTINE for KbCallbackSecondaryMultiPartDumpData.
       * Context = bytes handed over so far. A part is never empty unless the
       * whole log is, and the flag is cleared with the last part, so the
       * kernel stops calling.
       */
      const BulkLoggerMultiPartCallback = (
        reason: number,
        _record: bigint,
        reasonSpecificData: bigint,
        reasonSpecificDataLength: number,
      ): void => {
        if (
          reason !== KbCallbackReason.KbCallbackSecondaryMultiPartDumpData ||
          reasonSpecificDataLength < KBUGCHECK_SECONDARY_DUMP_DATA_EX.size
        )
          return;
        const data = kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA_EX, reasonSpecificData);
        const { Context, MaximumAllowed } = data.read();
        const log = kernel.view(BULK_LOGGER_EXTENSION, extension);
        if (!kernel.MmIsAddressValid(extension) || log.get('Signature') !== EXTENSION_SIGNATURE) {
          data.write({ OutBuffer: 0n, OutBufferLength: 0, Flags: 0 });
          return;
        }
        const { ValidLength, BufferSize, Buffer } = log.read();
        const valid = Math.min(ValidLength, BufferSize);
        const offset = Context > BigInt(valid) ? valid : Number(Context);
        const part = Math.min(valid - offset, MaximumAllowed, maxPartBytes);
        const more = part > 0 && offset + part < valid;
        data.write({
          Guid: BULK_LOGGER_GUID,
          OutBuffer: part > 0 ? Buffer + BigInt(offset) : 0n,
          OutBufferLength: part,
          Context: BigInt(offset + part),
          Flags: more ? KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA : 0,
        });
      };

      driver.registerReasonCallback(
        BulkLoggerMultiPartCallback,
        KbCallbackReason.KbCallbackSecondaryMultiPartDumpData,
        component,
      );
    },

    DriverUnload(driver) {
      const ext = bulkLoggerExtension(driver);
      if (!ext) return;
      driver.deregisterAll();
      driver.kernel.ExFreePoolWithTag(ext.buffer, POOL_TAG);
      driver.kernel.ExFreePoolWithTag(ext.extension, POOL_TAG);
      delete driver.extension[EXTENSION_KEY];
    },
  };
}

/** Appends to the log; returns the bytes taken (fewer when the log fills up). IRQL ≤ DISPATCH_LEVEL. */
export function BulkLoggerAppend(driver: DriverObject, data: Uint8Array): number {
  const ext = requireDeviceExtension(driver, EXTENSION_KEY, BulkLoggerExtension);
  const view = driver.kernel.view(BULK_LOGGER_EXTENSION, ext.extension);
  const { ValidLength, BufferSize, DroppedBytes } = view.read();
  const taken = Math.min(data.length, BufferSize - ValidLength);
  if (taken > 0) driver.machine.writeVirtual(ext.buffer + BigInt(ValidLength), data.subarray(0, taken));
  view.write({
    ValidLength: ValidLength + taken,
    DroppedBytes: Math.min(0xffffffff, DroppedBytes + data.length - taken),
  });
  return taken;
}

/** One step of activity: a burst of 128 trace lines (about 4.4 KiB), so some 240 steps fill the default log. */
export function bulkLoggerRun(driver: DriverObject, step: number): void {
  if (!bulkLoggerExtension(driver)) return;
  const lines: string[] = [];
  for (let i = 0; i < 128; i++) {
    const n = step * 128 + i;
    lines.push(`${String(n).padStart(8, '0')} q=${n % 7} lba=${(n * 2654435761) >>> 8} len=${512 << (n % 4)}\n`);
  }
  BulkLoggerAppend(driver, Buffer.from(lines.join(''), 'latin1'));
}
