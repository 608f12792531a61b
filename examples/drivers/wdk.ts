/**
 * The few WDK idioms the sample drivers share, written once: CONTAINING_RECORD,
 * typed device extensions, MmMapIoSpace, WRITE_REGISTER_ULONG. Everything else
 * the samples use is the public API of the package (src/index.ts).
 */
import { BugcheckError, hex, MachineError, type Layout } from '../../src/index.js';
import type { DriverObject } from '../../src/index.js';

export const PAGE_SIZE = 0x1000;

/** Errors a sample driver raises on purpose (bad options, misuse of its exported API). */
export class SampleDriverError extends BugcheckError {}

/** FIELD_OFFSET(Type, Field). */
export function FIELD_OFFSET<T>(layout: Layout<T>, field: keyof T & string): bigint {
  const offset = layout.offsets[field];
  if (offset === undefined) throw new SampleDriverError('E_SAMPLE_FIELD', `${layout.name} has no field ${field}`);
  return BigInt(offset);
}

/**
 * CONTAINING_RECORD(Address, Type, Field): a bug check callback gets only its
 * record pointer, so drivers embed the record in a larger structure and walk
 * back to it (KMDF does exactly this).
 */
export function CONTAINING_RECORD<T>(address: bigint, layout: Layout<T>, field: keyof T & string): bigint {
  return address - FIELD_OFFSET(layout, field);
}

/** BYTES_TO_PAGES. */
export function BYTES_TO_PAGES(bytes: number): number {
  return Math.ceil(bytes / PAGE_SIZE);
}

/**
 * What a driver keeps in its device extension. In C this is a struct at a
 * fixed place; here the TypeScript side holds the addresses (the pointers)
 * and everything the dump should show lives in simulated nonpaged memory.
 */
export function setDeviceExtension<T extends object>(driver: DriverObject, key: string, extension: T): T {
  driver.extension[key] = extension;
  return extension;
}

/** The device extension stored under `key` if it is an instance of `type`, else undefined. */
export function getDeviceExtension<T extends object>(
  driver: DriverObject,
  key: string,
  type: abstract new (...args: never[]) => T,
): T | undefined {
  const value = driver.extension[key];
  return value instanceof type ? value : undefined;
}

/** Like getDeviceExtension, but misuse of a driver's API is an error naming the driver. */
export function requireDeviceExtension<T extends object>(
  driver: DriverObject,
  key: string,
  type: abstract new (...args: never[]) => T,
): T {
  const extension = getDeviceExtension(driver, key, type);
  if (!extension)
    throw new SampleDriverError(
      'E_SAMPLE_NOT_THIS_DRIVER',
      `${driver.name} is not a ${key} driver (no ${key} device extension)`,
    );
  return extension;
}

// ---- I/O space ---------------------------------------------------------------------------

/** The machine's own MachineError for a bad call, restated as this sample API's argument error. */
function asSampleArgumentError<T>(api: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (
      error instanceof MachineError &&
      (error.code === 'E_MACHINE_ARGUMENT' || error.code === 'E_MACHINE_NOT_MAPPED')
    ) {
      throw new SampleDriverError('E_SAMPLE_ARGUMENT', `${api}: ${error.message}`, {
        cause: error.code,
        ...error.details,
      });
    }
    throw error;
  }
}

/**
 * MmMapIoSpaceEx(PhysicalAddress, NumberOfBytes, PAGE_READWRITE | PAGE_NOCACHE):
 * maps device memory into the machine's system PTE region (Machine.mapIoSpace).
 * The frames stay the device's, so a kernel dump leaves them out unless a
 * driver adds them (KbCallbackAddPages).
 */
export function MmMapIoSpaceEx(driver: DriverObject, physicalAddress: bigint, numberOfBytes: number): bigint {
  return asSampleArgumentError('MmMapIoSpaceEx', () =>
    driver.machine.mapIoSpace(physicalAddress, numberOfBytes, { writable: true }),
  );
}

/** MmUnmapIoSpace(BaseAddress, NumberOfBytes): exactly what one MmMapIoSpaceEx mapped (Machine.unmapIoSpace). */
export function MmUnmapIoSpace(driver: DriverObject, baseAddress: bigint, numberOfBytes: number): void {
  asSampleArgumentError('MmUnmapIoSpace', () => driver.machine.unmapIoSpace(baseAddress, numberOfBytes));
}

/** WRITE_REGISTER_ULONG: one 32-bit store to a mapped device register (allowed at HIGH_LEVEL). */
export function WRITE_REGISTER_ULONG(driver: DriverObject, register: bigint, value: number): void {
  driver.machine.writeU32(register, value);
}

/** READ_REGISTER_ULONG. */
export function READ_REGISTER_ULONG(driver: DriverObject, register: bigint): number {
  return driver.machine.readU32(register);
}

/** An ANSI string as bytes, NUL-padded or truncated to `size`. */
export function ansiBytes(text: string, size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(Buffer.from(text, 'latin1').subarray(0, size));
  return out;
}

/** MmGetPhysicalAddress: the physical address behind a mapped system VA. */
export function MmGetPhysicalAddress(driver: DriverObject, va: bigint): bigint {
  const translation = driver.machine.kernelSpace.translate(va);
  if (!translation) throw new SampleDriverError('E_SAMPLE_ARGUMENT', `MmGetPhysicalAddress: ${hex(va)} is not mapped`);
  return translation.pa;
}
