import type { MemoryAccess, PageFault } from './errors.js';

/**
 * Installed by the kernel while bug check callbacks run (HIGH_LEVEL rules).
 * The machine calls it before touching memory or allocating pool; a guard
 * forbids by throwing.
 */
export interface MachineGuard {
  onAccess(address: bigint, length: number, access: MemoryAccess, pageable: boolean): void;
  onAllocate(flags: bigint, numberOfBytes: number, tag: number): void;
  /** Optional: consulted by ExFreePoolWithTag before it frees (freeing is as forbidden at HIGH_LEVEL as allocating). */
  onFree?(address: bigint, tag: number): void;
  /** Optional: told of every page fault just before it is thrown (a routine that catches it still faulted). Must not throw. */
  onFault?(fault: PageFault): void;
}
