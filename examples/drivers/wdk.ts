/**
 * The few WDK idioms the sample drivers share, written once: CONTAINING_RECORD,
 * typed device extensions, MmMapIoSpace, WRITE_REGISTER_ULONG. Everything else
 * the samples use is the public API of the package (src/index.ts).
 */
import { BugcheckError, hex, type Layout } from '../../src/index.js';
import type { DriverObject, Machine } from '../../src/index.js';

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
export function getDeviceExtension<T extends object>(driver: DriverObject, key: string, type: abstract new (...args: never[]) => T): T | undefined {
  const value = driver.extension[key];
  return value instanceof type ? value : undefined;
}

/** Like getDeviceExtension, but misuse of a driver's API is an error naming the driver. */
export function requireDeviceExtension<T extends object>(driver: DriverObject, key: string, type: abstract new (...args: never[]) => T): T {
  const extension = getDeviceExtension(driver, key, type);
  if (!extension) throw new SampleDriverError('E_SAMPLE_NOT_THIS_DRIVER', `${driver.name} is not a ${key} driver (no ${key} device extension)`);
  return extension;
}

// ---- I/O space ---------------------------------------------------------------------------

/**
 * The machine has no system-PTE allocator, so mapped I/O space gets its own
 * PML4 slot, chosen away from every slot the machine's layout uses (self-map,
 * pools, stacks, PFN database, images). Per machine: cursor of the next VA.
 */
const IO_SPACE_SLOTS = { first: 0x1a0, last: 0x1bf } as const;
const ioSpaceCursor = new WeakMap<Machine, bigint>();

function signExtend48(va: bigint): bigint {
  return (va & (1n << 47n)) !== 0n ? va | 0xffff_0000_0000_0000n : va;
}

function pml4Slot(va: bigint): number {
  return Number((va >> 39n) & 0x1ffn);
}

function ioSpaceBase(machine: Machine): bigint {
  const { layout } = machine;
  const used = new Set([
    layout.selfMapIndex,
    pml4Slot(layout.kernBase),
    pml4Slot(layout.bootDriverBase),
    pml4Slot(layout.driverBase),
    pml4Slot(layout.nonPagedPoolBase),
    pml4Slot(layout.pagedPoolBase),
    pml4Slot(layout.kernelStackBase),
    pml4Slot(layout.pfnDatabase),
  ]);
  for (let slot = IO_SPACE_SLOTS.first; slot <= IO_SPACE_SLOTS.last; slot++) {
    if (!used.has(slot)) return signExtend48(BigInt(slot) << 39n);
  }
  throw new SampleDriverError('E_SAMPLE_IO_SPACE', 'no free PML4 slot for mapped I/O space');
}

/**
 * MmMapIoSpaceEx(PhysicalAddress, NumberOfBytes, PAGE_READWRITE | PAGE_NOCACHE):
 * maps device memory into system space. The frames stay the device's, so a
 * kernel dump leaves them out unless a driver adds them (KbCallbackAddPages).
 */
export function MmMapIoSpaceEx(driver: DriverObject, physicalAddress: bigint, numberOfBytes: number): bigint {
  if (!Number.isInteger(numberOfBytes) || numberOfBytes <= 0) {
    throw new SampleDriverError('E_SAMPLE_ARGUMENT', `MmMapIoSpaceEx: NumberOfBytes ${numberOfBytes} must be positive`);
  }
  const { machine } = driver;
  const pageOffset = physicalAddress & 0xfffn;
  const pages = BYTES_TO_PAGES(Number(pageOffset) + numberOfBytes);
  let va = ioSpaceCursor.get(machine) ?? ioSpaceBase(machine);
  // Skip anything already mapped there (someone may have mapped by hand); bounded by the slot's size.
  const isFree = (base: bigint): boolean => {
    for (let i = 0; i < pages; i++) if (machine.kernelSpace.translate(base + BigInt(i * PAGE_SIZE)) !== undefined) return false;
    return true;
  };
  for (let tries = 0; !isFree(va); tries++) {
    if (tries >= 0x10000) throw new SampleDriverError('E_SAMPLE_IO_SPACE', 'no free system VA range for mapped I/O space');
    va += BigInt(PAGE_SIZE);
  }
  for (let i = 0; i < pages; i++) {
    const pa = (physicalAddress & ~0xfffn) + BigInt(i * PAGE_SIZE);
    machine.kernelSpace.map4K(va + BigInt(i * PAGE_SIZE), pa, { writable: true, noExecute: true });
  }
  // One unmapped guard page between mappings, as system PTE ranges have.
  ioSpaceCursor.set(machine, va + BigInt((pages + 1) * PAGE_SIZE));
  return va + pageOffset;
}

/** MmUnmapIoSpace(BaseAddress, NumberOfBytes). */
export function MmUnmapIoSpace(driver: DriverObject, baseAddress: bigint, numberOfBytes: number): void {
  const first = baseAddress & ~0xfffn;
  const pages = BYTES_TO_PAGES(Number(baseAddress & 0xfffn) + numberOfBytes);
  for (let i = 0; i < pages; i++) {
    const va = first + BigInt(i * PAGE_SIZE);
    if (driver.machine.kernelSpace.translate(va) === undefined) {
      throw new SampleDriverError('E_SAMPLE_ARGUMENT', `MmUnmapIoSpace: ${hex(va)} is not mapped`);
    }
    driver.machine.kernelSpace.unmap(va);
  }
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
