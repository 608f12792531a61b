/**
 * devstate.sys — KbCallbackAddPages: put device memory into a kernel dump.
 *
 * A kernel dump holds the memory the kernel owns. The frames of this
 * driver's (fictional) device are not the kernel's: its receive ring and its
 * firmware trace buffer are device memory the kernel address space does not
 * map at all, and its mailbox — the structure driver and firmware share — is
 * device memory mapped into system space with MmMapIoSpaceEx. None of that
 * would be in MEMORY.DMP. The add-pages callback names those pages, one run
 * per call (physical runs by physical address, the mailbox by virtual
 * address), so after a crash the debugger can read them like any other
 * memory: `bugcheck read <dump> --physical <pa>` for the rings, the mailbox
 * by its VA.
 */
import {
  KBUGCHECK_ADD_PAGES,
  KB_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST,
  KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS,
  KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS,
  KbCallbackReason,
  array,
  struct,
  u32,
  u64,
  type DriverDefinition,
  type DriverObject,
} from '../../src/index.js';
import {
  BYTES_TO_PAGES,
  MmMapIoSpaceEx,
  MmUnmapIoSpace,
  PAGE_SIZE,
  SampleDriverError,
  getDeviceExtension,
  setDeviceExtension,
} from './wdk.js';

export const DEVICE_STATE_SAVER_DRIVER_NAME = 'devstate.sys';
export const DEVICE_STATE_SAVER_COMPONENT = 'DeviceStateSaver';

const EXTENSION_KEY = 'deviceStateSaver';
const POOL_TAG = 'DvSt';
const EXTENSION_SIGNATURE = 0x7453_7644; // 'DvSt'
const MAX_RANGES = 8;

/** One run of pages the callback reports. */
export const DEVICE_STATE_RANGE = struct('DEVICE_STATE_RANGE', {
  Address: u64,
  PageCount: u64,
  /** KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS or KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS. */
  Flags: u32,
});

/** The device extension (nonpaged): the table the callback walks, filled in before any crash. */
export const DEVICE_STATE_SAVER_EXTENSION = struct('DEVICE_STATE_SAVER_EXTENSION', {
  Signature: u32,
  RangeCount: u32,
  Ranges: array(DEVICE_STATE_RANGE, MAX_RANGES),
});

/** The mailbox the driver and the device's firmware share (first bytes of the mapped page). */
export const DEVICE_MAILBOX = struct('DEVICE_MAILBOX', {
  Signature: u32,
  FirmwareState: u32,
  InterruptCount: u64,
  LastCommand: u32,
  LastStatus: u32,
  ReceiveProducer: u32,
  ReceiveConsumer: u32,
});

export const DEVICE_MAILBOX_SIGNATURE = 0x786f_424d; // 'MBox'
/** Bytes of one receive descriptor the simulated device writes. */
export const RECEIVE_DESCRIPTOR_SIZE = 0x40;

export interface DeviceStateSaverOptions {
  name?: string;
  component?: string;
  /** Pages of the receive ring (device memory, never mapped). Default 4. */
  receiveRingPages?: number;
  /** Pages of the firmware trace buffer (device memory, never mapped). Default 2. */
  traceBufferPages?: number;
}

export class DeviceStateSaverExtension {
  constructor(
    /** DEVICE_STATE_SAVER_EXTENSION in nonpaged pool. */
    readonly extension: bigint,
    /** Physical address and size of the receive ring. */
    readonly receiveRing: { pa: bigint; bytes: number },
    readonly traceBuffer: { pa: bigint; bytes: number },
    /** The mailbox: its device frame and where it is mapped. */
    readonly mailbox: { pa: bigint; va: bigint; bytes: number },
  ) {}
}

export function deviceStateSaverExtension(driver: DriverObject): DeviceStateSaverExtension | undefined {
  return getDeviceExtension(driver, EXTENSION_KEY, DeviceStateSaverExtension);
}

export function createDeviceStateSaverDriver(options: DeviceStateSaverOptions = {}): DriverDefinition {
  const receiveRingPages = options.receiveRingPages ?? 4;
  const traceBufferPages = options.traceBufferPages ?? 2;
  for (const [what, pages] of [
    ['receiveRingPages', receiveRingPages],
    ['traceBufferPages', traceBufferPages],
  ] as const) {
    if (!Number.isInteger(pages) || pages < 1 || pages > 0x1000)
      throw new SampleDriverError('E_SAMPLE_ARGUMENT', `${what} ${pages} must be 1..4096`);
  }
  const component = options.component ?? DEVICE_STATE_SAVER_COMPONENT;

  return {
    name: options.name ?? DEVICE_STATE_SAVER_DRIVER_NAME,

    DriverEntry(driver) {
      const { kernel, machine } = driver;
      // What the PnP manager would hand over as the device's resources: three
      // separate pieces of device memory.
      const receiveRing = { pa: machine.allocateDeviceMemory(receiveRingPages), bytes: receiveRingPages * PAGE_SIZE };
      const traceBuffer = { pa: machine.allocateDeviceMemory(traceBufferPages), bytes: traceBufferPages * PAGE_SIZE };
      const mailboxPa = machine.allocateDeviceMemory(1);
      const mailbox = { pa: mailboxPa, va: MmMapIoSpaceEx(driver, mailboxPa, PAGE_SIZE), bytes: PAGE_SIZE };
      kernel.view(DEVICE_MAILBOX, mailbox.va).assign({ Signature: DEVICE_MAILBOX_SIGNATURE, FirmwareState: 1 });

      const extension = driver.allocateNonPaged(DEVICE_STATE_SAVER_EXTENSION.size, POOL_TAG);
      const ranges = [
        { Address: receiveRing.pa, PageCount: BigInt(receiveRingPages), Flags: KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS },
        { Address: traceBuffer.pa, PageCount: BigInt(traceBufferPages), Flags: KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS },
        {
          Address: mailbox.va,
          PageCount: BigInt(BYTES_TO_PAGES(mailbox.bytes)),
          Flags: KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS,
        },
      ];
      const padded = [
        ...ranges,
        ...Array.from({ length: MAX_RANGES - ranges.length }, () => DEVICE_STATE_RANGE.zero()),
      ];
      kernel
        .view(DEVICE_STATE_SAVER_EXTENSION, extension)
        .assign({ Signature: EXTENSION_SIGNATURE, RangeCount: ranges.length, Ranges: padded });
      setDeviceExtension(
        driver,
        EXTENSION_KEY,
        new DeviceStateSaverExtension(extension, receiveRing, traceBuffer, mailbox),
      );

      /**
       * KBUGCHECK_REASON_CALLBACK_ROUTINE for KbCallbackAddPages. One run per
       * call; Context (NULL on the first call, then whatever we left) is the
       * index of the next run, and ADDITIONAL_RANGES_EXIST asks for another call.
       */
      const DeviceStateSaverAddPagesCallback = (
        reason: number,
        _record: bigint,
        reasonSpecificData: bigint,
        reasonSpecificDataLength: number,
      ): void => {
        if (reason !== KbCallbackReason.KbCallbackAddPages || reasonSpecificDataLength < KBUGCHECK_ADD_PAGES.size)
          return;
        const addPages = kernel.view(KBUGCHECK_ADD_PAGES, reasonSpecificData);
        const table = kernel.view(DEVICE_STATE_SAVER_EXTENSION, extension);
        // Memory may be damaged at crash time: trust the table only if it still looks like one.
        if (!kernel.MmIsAddressValid(extension) || table.get('Signature') !== EXTENSION_SIGNATURE) {
          addPages.write({ Flags: KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS, Address: 0n, Count: 0n });
          return;
        }
        const count = Math.min(table.get('RangeCount'), MAX_RANGES);
        let index = Number(addPages.get('Context'));
        let range = index < count ? table.get('Ranges')[index] : undefined;
        // A virtual run must still be mapped, or the kernel would fault walking it: skip it.
        while (range && range.Flags === KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS && !kernel.MmIsAddressValid(range.Address)) {
          index++;
          range = index < count ? table.get('Ranges')[index] : undefined;
        }
        if (!range) {
          addPages.write({ Flags: KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS, Address: 0n, Count: 0n });
          return;
        }
        const more = index + 1 < count ? KB_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST : 0;
        addPages.write({
          Context: BigInt(index + 1),
          Flags: (range.Flags | more) >>> 0,
          Address: range.Address,
          Count: range.PageCount,
        });
      };

      driver.registerReasonCallback(DeviceStateSaverAddPagesCallback, KbCallbackReason.KbCallbackAddPages, component);
    },

    DriverUnload(driver) {
      const ext = deviceStateSaverExtension(driver);
      if (!ext) return;
      driver.deregisterAll();
      MmUnmapIoSpace(driver, ext.mailbox.va, ext.mailbox.bytes);
      driver.kernel.ExFreePoolWithTag(ext.extension, POOL_TAG);
      delete driver.extension[EXTENSION_KEY];
    },
  };
}

/**
 * One step of device activity: the device DMAs a receive descriptor into its
 * ring and a line into its trace buffer (physical writes — the device, not
 * the CPU), then the driver's interrupt handler updates the mailbox.
 */
export function deviceStateSaverRun(driver: DriverObject, step: number): void {
  const ext = deviceStateSaverExtension(driver);
  if (!ext) return;
  const { machine, kernel } = driver;
  const slots = ext.receiveRing.bytes / RECEIVE_DESCRIPTOR_SIZE;
  const descriptor = new Uint8Array(RECEIVE_DESCRIPTOR_SIZE);
  const dv = new DataView(descriptor.buffer);
  dv.setUint32(0, 0x4452_5852, true); // 'RXRD'
  dv.setUint32(4, step, true);
  dv.setUint32(8, 60 + ((step * 37) % 1400), true);
  descriptor.set(Buffer.from(`frame ${step}`, 'latin1'), 16);
  machine.physical.write(ext.receiveRing.pa + BigInt((step % slots) * RECEIVE_DESCRIPTOR_SIZE), descriptor);

  const line = Buffer.from(`[fw ${String(step).padStart(6, '0')}] rx ok\n`, 'latin1');
  const lineSlots = Math.floor(ext.traceBuffer.bytes / line.length);
  machine.physical.write(ext.traceBuffer.pa + BigInt((step % lineSlots) * line.length), line);

  const mailbox = kernel.view(DEVICE_MAILBOX, ext.mailbox.va);
  const state = mailbox.read();
  mailbox.write({
    InterruptCount: state.InterruptCount + 1n,
    LastCommand: 0x10 + (step % 4),
    LastStatus: 0,
    ReceiveProducer: (step + 1) % slots,
    ReceiveConsumer: step % slots,
  });
}
