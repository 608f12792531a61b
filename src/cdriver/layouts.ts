/**
 * x64 layouts the C driver loader writes and our wdm.h declares, beside the
 * facility's own in src/format (the header layout test checks both).
 */
import { array, struct, u16, u32, u64, u8, UNICODE_STRING64 } from '../format/index.js';

/** IRP_MJ_MAXIMUM_FUNCTION + 1 dispatch routines. */
export const IRP_MJ_COUNT = 0x1c;

/** DRIVER_OBJECT (0x150 bytes on x64). */
export const DRIVER_OBJECT = struct('DRIVER_OBJECT', {
  Type: u16,
  Size: u16,
  DeviceObject: u64,
  Flags: u32,
  DriverStart: u64,
  DriverSize: u32,
  DriverSection: u64,
  DriverExtension: u64,
  DriverName: UNICODE_STRING64,
  HardwareDatabase: u64,
  FastIoDispatch: u64,
  DriverInit: u64,
  DriverStartIo: u64,
  DriverUnload: u64,
  MajorFunction: array(u64, IRP_MJ_COUNT),
});

/** IO_TYPE_DRIVER */
export const IO_TYPE_DRIVER = 4;

/** KLOCK_QUEUE_HANDLE: LockQueue { Next, Lock }, OldIrql. */
export const KLOCK_QUEUE_HANDLE = struct('KLOCK_QUEUE_HANDLE', {
  Next: u64,
  Lock: u64,
  OldIrql: u8,
});

/** PROCESSOR_NUMBER */
export const PROCESSOR_NUMBER = struct('PROCESSOR_NUMBER', { Group: u16, Number: u8, Reserved: u8 });
