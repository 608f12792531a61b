/**
 * dumpmirror.sys — a KbCallbackDumpIo driver that mirrors the crash dump.
 *
 * Every time the kernel writes to the dump file it calls the DumpIo routine
 * with the bytes and their file offset (or -1 for "next in sequence"). This
 * driver copies each write, at the same place, into a second file, so the
 * mirror ends up byte-identical to the dump. A real driver would send the
 * bytes to a device the OS does not use for paging — a hypervisor channel,
 * a debug port, a management controller — since the disk stack may be the
 * very thing that crashed.
 *
 * The routine runs at HIGH_LEVEL with the other processors frozen: it uses
 * synchronous fs calls only (nothing may wait on another thread), opens its
 * "device" in DriverEntry and keeps its statistics in nonpaged memory.
 */
import * as fs from 'node:fs';
import {
  KBUGCHECK_DUMP_IO,
  KBUGCHECK_DUMP_IO_SEQUENTIAL_OFFSET,
  KbCallbackReason,
  KbDumpIoType,
  STATUS_SUCCESS,
  array,
  i32,
  struct,
  u32,
  u64,
  type DriverDefinition,
  type DriverObject,
} from '../../src/index.js';
import { getDeviceExtension, setDeviceExtension } from './wdk.js';

export const DUMP_MIRROR_DRIVER_NAME = 'dumpmirror.sys';
export const DUMP_MIRROR_COMPONENT = 'DumpMirror';
/** STATUS_IO_DEVICE_ERROR: the mirror device failed; mirroring stops, the dump goes on. */
export const STATUS_IO_DEVICE_ERROR = 0xc0000185;

const EXTENSION_KEY = 'dumpMirror';
const POOL_TAG = 'DMir';
const MIRROR_SIGNATURE = 0x7269_4d44; // 'DMir'

/** The driver's statistics, in nonpaged pool (so they are in the dump too, as of the moment each page was written). */
export const DUMP_MIRROR_EXTENSION = struct('DUMP_MIRROR_EXTENSION', {
  Signature: u32,
  /** NTSTATUS of the mirror device: STATUS_SUCCESS until a write fails. */
  MirrorStatus: i32,
  /** Calls per KBUGCHECK_DUMP_IO_TYPE (index = Type, 0..4). */
  CallsByType: array(u32, 5),
  /** Calls with Offset = -1. */
  SequentialCalls: u32,
  /** Calls that arrived after KbDumpIoComplete (the protocol says none do). */
  CallsAfterComplete: u32,
  FirstType: i32,
  LastType: i32,
  BytesMirrored: u64,
  /** Where the next Offset = -1 write goes: just past the previous write. */
  SequentialCursor: u64,
});
export type DumpMirrorStatistics = ReturnType<typeof DUMP_MIRROR_EXTENSION.decode>;

export interface DumpMirrorOptions {
  /** The mirror file (the "device"). Opened, and truncated, in DriverEntry. */
  mirrorPath: string;
  name?: string;
  component?: string;
}

export class DumpMirrorExtension {
  constructor(
    readonly statistics: bigint,
    readonly mirrorPath: string,
    /** The open mirror, or null once closed (after Complete, on failure, at unload). */
    public fd: number | null,
  ) {}
}

export function dumpMirrorExtension(driver: DriverObject): DumpMirrorExtension | undefined {
  return getDeviceExtension(driver, EXTENSION_KEY, DumpMirrorExtension);
}

/** The statistics as they are now in the driver's nonpaged extension. */
export function DumpMirrorQueryStatistics(driver: DriverObject): DumpMirrorStatistics | undefined {
  const ext = dumpMirrorExtension(driver);
  return ext
    ? DUMP_MIRROR_EXTENSION.decode(driver.machine.readVirtual(ext.statistics, DUMP_MIRROR_EXTENSION.size), 0)
    : undefined;
}

function closeMirror(ext: DumpMirrorExtension, flush: boolean): void {
  if (ext.fd === null) return;
  const fd = ext.fd;
  ext.fd = null;
  try {
    if (flush) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function createDumpMirrorDriver(options: DumpMirrorOptions): DriverDefinition {
  const component = options.component ?? DUMP_MIRROR_COMPONENT;
  return {
    name: options.name ?? DUMP_MIRROR_DRIVER_NAME,

    DriverEntry(driver) {
      const { kernel, machine } = driver;
      const statistics = driver.allocateNonPaged(DUMP_MIRROR_EXTENSION.size, POOL_TAG);
      kernel.view(DUMP_MIRROR_EXTENSION, statistics).assign({
        Signature: MIRROR_SIGNATURE,
        MirrorStatus: STATUS_SUCCESS,
        FirstType: KbDumpIoType.KbDumpIoInvalid,
        LastType: KbDumpIoType.KbDumpIoInvalid,
      });
      // The device is made ready now: at crash time nothing may be opened, allocated or waited for.
      const ext = setDeviceExtension(
        driver,
        EXTENSION_KEY,
        new DumpMirrorExtension(statistics, options.mirrorPath, fs.openSync(options.mirrorPath, 'w')),
      );

      /** KBUGCHECK_REASON_CALLBACK_ROUTINE for KbCallbackDumpIo: all fields are inputs. */
      const DumpMirrorDumpIoCallback = (
        reason: number,
        _record: bigint,
        reasonSpecificData: bigint,
        reasonSpecificDataLength: number,
      ): void => {
        if (reason !== KbCallbackReason.KbCallbackDumpIo || reasonSpecificDataLength < KBUGCHECK_DUMP_IO.size) return;
        const io = kernel.view(KBUGCHECK_DUMP_IO, reasonSpecificData).read();
        const stats = kernel.view(DUMP_MIRROR_EXTENSION, statistics);
        const s = stats.read();
        const byType = [...s.CallsByType];
        if (io.Type >= 0 && io.Type < byType.length) byType[io.Type] = (byType[io.Type] ?? 0) + 1;
        const update: Partial<DumpMirrorStatistics> = {
          CallsByType: byType,
          FirstType: s.FirstType === KbDumpIoType.KbDumpIoInvalid ? io.Type : s.FirstType,
          LastType: io.Type,
          CallsAfterComplete: s.CallsAfterComplete + ((s.CallsByType[KbDumpIoType.KbDumpIoComplete] ?? 0) > 0 ? 1 : 0),
          SequentialCalls: s.SequentialCalls + (io.Offset === KBUGCHECK_DUMP_IO_SEQUENTIAL_OFFSET ? 1 : 0),
        };

        if (io.Type === KbDumpIoType.KbDumpIoComplete) {
          // The dump is whole: flush the device. Nothing else will come.
          try {
            closeMirror(ext, true);
          } catch {
            update.MirrorStatus = STATUS_IO_DEVICE_ERROR;
          }
        } else if (ext.fd !== null && io.Buffer !== 0n && io.BufferLength > 0) {
          // Buffer is the kernel's, valid only during this call: copy now.
          const bytes = machine.readVirtual(io.Buffer, io.BufferLength);
          const offset = io.Offset === KBUGCHECK_DUMP_IO_SEQUENTIAL_OFFSET ? s.SequentialCursor : io.Offset;
          try {
            if (offset > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('offset beyond the mirror device');
            fs.writeSync(ext.fd, bytes, 0, bytes.length, Number(offset));
            update.BytesMirrored = s.BytesMirrored + BigInt(bytes.length);
            update.SequentialCursor = offset + BigInt(bytes.length);
          } catch {
            // A failing device must not take the dump with it: stop mirroring, remember why.
            update.MirrorStatus = STATUS_IO_DEVICE_ERROR;
            try {
              closeMirror(ext, false);
            } catch {
              // already failing; the status says so
            }
          }
        }
        stats.write(update);
      };

      try {
        driver.registerReasonCallback(DumpMirrorDumpIoCallback, KbCallbackReason.KbCallbackDumpIo, component);
      } catch (error) {
        closeMirror(ext, false);
        throw error;
      }
    },

    DriverUnload(driver) {
      const ext = dumpMirrorExtension(driver);
      if (!ext) return;
      driver.deregisterAll();
      closeMirror(ext, false);
      driver.kernel.ExFreePoolWithTag(ext.statistics, POOL_TAG);
      delete driver.extension[EXTENSION_KEY];
    },
  };
}
