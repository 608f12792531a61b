/**
 * legacydev.sys — KeRegisterBugCheckCallback: put the device in a known state.
 *
 * The old-style bug check callback (KBUGCHECK_CALLBACK_ROUTINE) gets the
 * buffer it was registered with and runs AFTER the dump has been written
 * (Windows XP SP1 on). That makes it the place to stop a device — here: halt
 * DMA and reset it through its registers, so it does not scribble over
 * memory while the machine reboots — and the wrong place to save anything:
 * what it writes into its buffer is not in the dump. The dump shows the
 * buffer as it was before the reset.
 *
 * To prove the order it also registers a KbCallbackDumpIo routine that notes
 * when the dump is complete (the trick virtio's pvpanic driver uses to tell
 * "crashed and dumped" from "crashed, no dump").
 */
import {
  KBUGCHECK_DUMP_IO,
  KbCallbackReason,
  KbDumpIoType,
  ansi,
  struct,
  u32,
  type DriverDefinition,
  type DriverObject,
} from '../../src/index.js';
import {
  MmMapIoSpaceEx,
  MmUnmapIoSpace,
  PAGE_SIZE,
  READ_REGISTER_ULONG,
  WRITE_REGISTER_ULONG,
  getDeviceExtension,
  requireDeviceExtension,
  setDeviceExtension,
} from './wdk.js';

export const LEGACY_DEVICE_DRIVER_NAME = 'legacydev.sys';
export const LEGACY_DEVICE_COMPONENT = 'LegacyDevice';

const EXTENSION_KEY = 'legacyDevice';
const POOL_TAG = 'LgDv';
const STATE_SIGNATURE = 0x7644_674c; // 'LgDv'

export const LegacyDeviceState = { Stopped: 0, Running: 1, Reset: 2 } as const;

/** The buffer registered with KeRegisterBugCheckCallback (nonpaged): `!bugdump LegacyDevice` territory. */
export const LEGACY_DEVICE_STATE = struct('LEGACY_DEVICE_STATE', {
  Signature: u32,
  State: u32,
  CommandsIssued: u32,
  LastCommand: u32,
  /** Set by the DumpIo routine when KbDumpIoComplete arrives. */
  DumpComplete: u32,
  /** Set by the legacy routine: DumpComplete as it found it (1 = it ran after the dump). */
  ResetAfterDump: u32,
  Marker: ansi(16),
});
export type LegacyDeviceStateValue = ReturnType<typeof LEGACY_DEVICE_STATE.decode>;

/** The device's register block (one page of device memory, mapped). */
export const LEGACY_DEVICE_REGISTERS = {
  CONTROL: 0x00n,
  STATUS: 0x04n,
  DMA_ADDRESS: 0x08n,
  RESET_COUNT: 0x0cn,
} as const;
export const CONTROL_RUN = 0x1;
export const CONTROL_DMA_ENABLE = 0x2;
export const CONTROL_RESET = 0x8000_0000;
export const STATUS_READY = 0x1;
export const STATUS_HALTED = 0x80;

export interface LegacyDeviceOptions {
  name?: string;
  component?: string;
}

export class LegacyDeviceExtension {
  constructor(
    readonly state: bigint,
    /** Physical address of the register page, and where it is mapped. */
    readonly registersPhysical: bigint,
    readonly registers: bigint,
  ) {}
}

export function legacyDeviceExtension(driver: DriverObject): LegacyDeviceExtension | undefined {
  return getDeviceExtension(driver, EXTENSION_KEY, LegacyDeviceExtension);
}

export function createLegacyDeviceDriver(options: LegacyDeviceOptions = {}): DriverDefinition {
  const component = options.component ?? LEGACY_DEVICE_COMPONENT;
  return {
    name: options.name ?? LEGACY_DEVICE_DRIVER_NAME,

    DriverEntry(driver) {
      const { kernel, machine } = driver;
      const registersPhysical = machine.allocateDeviceMemory(1);
      const registers = MmMapIoSpaceEx(driver, registersPhysical, PAGE_SIZE);
      const state = driver.allocateNonPaged(LEGACY_DEVICE_STATE.size, POOL_TAG);
      kernel
        .view(LEGACY_DEVICE_STATE, state)
        .assign({ Signature: STATE_SIGNATURE, State: LegacyDeviceState.Running, Marker: 'RUNNING' });
      setDeviceExtension(driver, EXTENSION_KEY, new LegacyDeviceExtension(state, registersPhysical, registers));
      // Start the device.
      WRITE_REGISTER_ULONG(driver, registers + LEGACY_DEVICE_REGISTERS.CONTROL, CONTROL_RUN | CONTROL_DMA_ENABLE);
      WRITE_REGISTER_ULONG(driver, registers + LEGACY_DEVICE_REGISTERS.STATUS, STATUS_READY);

      /**
       * KBUGCHECK_CALLBACK_ROUTINE: (Buffer, Length) as registered. Runs after
       * the dump; only the HAL register routines and the buffer are touched.
       */
      const LegacyDeviceBugCheckCallback = (buffer: bigint, length: number): void => {
        if (length < LEGACY_DEVICE_STATE.size || !kernel.MmIsAddressValid(buffer)) return;
        const view = kernel.view(LEGACY_DEVICE_STATE, buffer);
        if (view.get('Signature') !== STATE_SIGNATURE) return;
        // Stop DMA first, then reset: a device still writing to memory during reboot is the danger.
        WRITE_REGISTER_ULONG(driver, registers + LEGACY_DEVICE_REGISTERS.CONTROL, 0);
        WRITE_REGISTER_ULONG(driver, registers + LEGACY_DEVICE_REGISTERS.CONTROL, CONTROL_RESET);
        WRITE_REGISTER_ULONG(driver, registers + LEGACY_DEVICE_REGISTERS.STATUS, STATUS_HALTED);
        WRITE_REGISTER_ULONG(
          driver,
          registers + LEGACY_DEVICE_REGISTERS.RESET_COUNT,
          READ_REGISTER_ULONG(driver, registers + LEGACY_DEVICE_REGISTERS.RESET_COUNT) + 1,
        );
        // Written after the dump: visible on a live debugger, never in MEMORY.DMP.
        view.write({ State: LegacyDeviceState.Reset, ResetAfterDump: view.get('DumpComplete'), Marker: 'RESET' });
      };

      /** KbCallbackDumpIo: only watches for the end of the dump. */
      const LegacyDeviceDumpIoCallback = (
        reason: number,
        _record: bigint,
        reasonSpecificData: bigint,
        reasonSpecificDataLength: number,
      ): void => {
        if (reason !== KbCallbackReason.KbCallbackDumpIo || reasonSpecificDataLength < KBUGCHECK_DUMP_IO.size) return;
        if (kernel.view(KBUGCHECK_DUMP_IO, reasonSpecificData).get('Type') === KbDumpIoType.KbDumpIoComplete) {
          kernel.view(LEGACY_DEVICE_STATE, state).set('DumpComplete', 1);
        }
      };

      try {
        driver.registerBugCheckCallback(LegacyDeviceBugCheckCallback, state, LEGACY_DEVICE_STATE.size, component);
        driver.registerReasonCallback(LegacyDeviceDumpIoCallback, KbCallbackReason.KbCallbackDumpIo, component);
      } catch (error) {
        MmUnmapIoSpace(driver, registers, PAGE_SIZE);
        throw error;
      }
    },

    DriverUnload(driver) {
      const ext = legacyDeviceExtension(driver);
      if (!ext) return;
      driver.deregisterAll();
      WRITE_REGISTER_ULONG(driver, ext.registers + LEGACY_DEVICE_REGISTERS.CONTROL, 0);
      MmUnmapIoSpace(driver, ext.registers, PAGE_SIZE);
      driver.kernel.ExFreePoolWithTag(ext.state, POOL_TAG);
      delete driver.extension[EXTENSION_KEY];
    },
  };
}

/** Issues a command to the device (the driver's normal work). */
export function LegacyDeviceIssueCommand(driver: DriverObject, command: number): void {
  const ext = requireDeviceExtension(driver, EXTENSION_KEY, LegacyDeviceExtension);
  const view = driver.kernel.view(LEGACY_DEVICE_STATE, ext.state);
  view.write({ CommandsIssued: view.get('CommandsIssued') + 1, LastCommand: command });
  WRITE_REGISTER_ULONG(driver, ext.registers + LEGACY_DEVICE_REGISTERS.DMA_ADDRESS, 0x1000_0000 + command * 0x200);
}

/** The state buffer as it is now in memory. */
export function LegacyDeviceQueryState(driver: DriverObject): LegacyDeviceStateValue | undefined {
  const ext = legacyDeviceExtension(driver);
  return ext
    ? LEGACY_DEVICE_STATE.decode(driver.machine.readVirtual(ext.state, LEGACY_DEVICE_STATE.size), 0)
    : undefined;
}

/** One step of activity: a command. */
export function legacyDeviceRun(driver: DriverObject, step: number): void {
  if (!legacyDeviceExtension(driver)) return;
  LegacyDeviceIssueCommand(driver, 0x20 + (step % 8));
}
