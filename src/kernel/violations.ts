/**
 * Everything a bug check callback did that a HIGH_LEVEL routine must not do,
 * and everything the kernel found wrong with what it handed back. Collected,
 * never thrown out of KeBugCheckEx: one bad driver costs only its own part.
 */
export type ViolationKind =
  /** ExAllocatePool2 (or any pool allocation) while running at HIGH_LEVEL. */
  | 'allocate'
  /** Lowered (or otherwise changed) the processor's IRQL from HIGH_LEVEL, e.g. KeReleaseSpinLock(lock, PASSIVE_LEVEL). */
  | 'irql'
  /** ExFreePoolWithTag at HIGH_LEVEL. */
  | 'free'
  /** KeWaitForSingleObject / KeAcquireSpinLock at HIGH_LEVEL (would deadlock). */
  | 'wait'
  /** The routine returned a Promise or other thenable: its work did not finish synchronously. */
  | 'promise'
  /** Touched pageable memory, or handed the kernel a buffer in pageable memory. */
  | 'paged-memory'
  /** Touched memory that is not mapped (a nested page fault on Windows). */
  | 'page-fault'
  /** The routine threw. */
  | 'exception'
  /** Exceeded MaximumAllowed, MaxVirtMemSize, a part/range bound or a page budget. */
  | 'limit'
  /** Add/remove-pages flags with neither or both of VIRTUAL/PHYSICAL, or unknown bits. */
  | 'invalid-flags'
  /** An address range that is not mapped / not backed by RAM / wraps around. */
  | 'invalid-address'
  /** OutBuffer / DataArray that cannot be read as a resident buffer. */
  | 'invalid-buffer'
  /** A secondary data block tagged with the all-zero GUID. */
  | 'null-guid'
  /** The data pass returned more bytes than the size pass announced. */
  | 'size-mismatch'
  /** KeBugCheckEx called from inside a bug check callback. */
  | 'nested-bugcheck'
  /** A record skipped because its checksum, state or list links are corrupt. */
  | 'corrupt-record'
  /** Triage ranges from a record registered without a component name. */
  | 'missing-component'
  /** The routine did not return within routineTimeoutMs; the watchdog stopped it. */
  | 'timeout'
  /** Wrote into, or deregistered, a callback record another driver registered. */
  | 'tamper'
  /** A RemovePages range that would take page tables, the KDBG, the module list or the bug check's own data out of the dump. */
  | 'protected-page'
  /** OutBuffer/OutBufferLength running past the end of the pool allocation or image the buffer lies in. */
  | 'overread';

export interface Violation {
  /** Component name given at registration ('' when none or unreadable). */
  component: string;
  /** Address of the callback record, when one is known. */
  record: bigint | null;
  /** KbCallbackReason of the record; null for a legacy KBUGCHECK_CALLBACK_RECORD or when unknown. */
  reason: number | null;
  kind: ViolationKind;
  detail: string;
  /** The address involved (buffer, range start, faulting address), when there is one. */
  address?: bigint;
}
