import { BugcheckError } from '../format/errors.js';

export type MemoryAccess = 'read' | 'write';

/** A virtual access the page tables cannot satisfy (what a real CPU would raise as #PF). */
export class PageFault extends BugcheckError {
  readonly address: bigint;
  readonly access: MemoryAccess;
  readonly reason: 'not-mapped' | 'non-canonical' | 'read-only';

  constructor(address: bigint, access: MemoryAccess, reason: 'not-mapped' | 'non-canonical' | 'read-only') {
    super('E_PAGE_FAULT', `page fault: ${access} of 0x${address.toString(16)} (${reason})`, {
      address,
      access,
      reason,
    });
    this.address = address;
    this.access = access;
    this.reason = reason;
  }
}

/** Stable codes of MachineError and its subclasses (documented in src/machine/README.md). */
export const MachineErrorCode = {
  /** A bad argument to a machine service (length, alignment, address type, range). */
  Argument: 'E_MACHINE_ARGUMENT',
  /** Bad machine options (memory size, processor count, build…). */
  Options: 'E_MACHINE_OPTIONS',
  /** A firmware memory map that is empty, unordered or overlapping. */
  MemoryMap: 'E_MACHINE_MEMORY_MAP',
  /** A mapping that is not canonical, not aligned, already present or inside the self-map. */
  Mapping: 'E_MACHINE_MAPPING',
  /** An unmap of a virtual address that is not mapped. */
  NotMapped: 'E_MACHINE_NOT_MAPPED',
  /** No free physical frames (or none contiguous enough). */
  OutOfMemory: 'E_MACHINE_OUT_OF_MEMORY',
  /** A frame claimed twice. */
  FrameInUse: 'E_MACHINE_FRAME_IN_USE',
  /** A frame freed that was not allocated. */
  FrameFree: 'E_MACHINE_FRAME_FREE',
  /** Physical pages outside the memory map's RAM runs. */
  PhysicalNotBacked: 'E_PHYSICAL_NOT_BACKED',
  /** The system PTE region has no free range of the size asked. */
  IoSpaceExhausted: 'E_MACHINE_IO_SPACE_EXHAUSTED',
  /** A module of that name is already loaded. */
  ModuleExists: 'E_MACHINE_MODULE_EXISTS',
  /** The module is not (or no longer) loaded, or cannot be unloaded. */
  ModuleNotLoaded: 'E_MACHINE_MODULE_NOT_LOADED',
  /** An image has no room left for another routine or global (or a routine for another call site). */
  ImageFull: 'E_MACHINE_IMAGE_FULL',
  /** A call chain (a bug check's stack) does not fit on the thread's kernel stack. */
  StackOverflow: 'E_MACHINE_STACK_OVERFLOW',
  /** A bug check call site that names no routine of a loaded image. */
  CallSite: 'E_MACHINE_CALL_SITE',
  /** ExFreePoolWithTag of a block that is not a live allocation with that tag (bug check 0xC2). */
  BadPoolCaller: 'E_BAD_POOL_CALLER',
  /** An allocation with POOL_FLAG_RAISE_ON_FAILURE that could not be met (STATUS_INSUFFICIENT_RESOURCES). */
  PoolAllocationFailed: 'E_POOL_ALLOCATION_FAILED',
} as const;
export type MachineErrorCode = (typeof MachineErrorCode)[keyof typeof MachineErrorCode];

/** Misuse of the machine model itself (bad argument, exhausted RAM, double free, ...). */
export class MachineError extends BugcheckError {
  constructor(code: MachineErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}
