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

/** Misuse of the machine model itself (bad argument, exhausted RAM, double free, ...). */
export class MachineError extends BugcheckError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}
