/**
 * The bug check callback facility for C drivers: the records live in the
 * driver's memory, the routines are its function pointers (registered at
 * their own addresses, inside the driver's image), the component name is
 * the driver's string. Any IRQL, as on Windows. KeBugCheckEx runs the whole
 * bug check and then unwinds the C code (it never returns).
 */
import type { BugCheckResult } from '../bugCheck.js';
import { type CServiceContext, ret32, u32, u64 } from './context.js';

/**
 * Thrown through the C code after KeBugCheckEx has run the bug check: the
 * machine has stopped, and nothing after the call may run. Control flow,
 * not an error: whoever called into the driver catches it.
 */
export class KeBugCheckUnwind extends Error {
  constructor(readonly result: BugCheckResult) {
    super(`the machine bug checked (stop code 0x${result.displayed.code.toString(16).toUpperCase()})`);
    this.name = 'KeBugCheckUnwind';
  }
}

export function facilityServices(ctx: CServiceContext): Record<string, (...args: never[]) => unknown> {
  const { kernel, module } = ctx;
  const options = (pointer: bigint) => {
    const label = ctx.functionName(pointer);
    return { module, address: pointer, ...(label ? { label } : {}) };
  };
  const bugCheck = (code: number, p1: bigint, p2: bigint, p3: bigint, p4: bigint): never => {
    // Inside a callback this throws NestedBugCheckError (recorded); otherwise it runs to the end.
    const result = kernel.KeBugCheckEx(u32(code), u64(p1), u64(p2), u64(p3), u64(p4));
    throw new KeBugCheckUnwind(result);
  };
  return {
    KeRegisterBugCheckReasonCallback: (record: bigint, routine: bigint, reason: number, component: bigint): number =>
      kernel.KeRegisterBugCheckReasonCallback(
        u64(record),
        ctx.reasonRoutine(u64(routine)),
        u32(reason),
        u64(component),
        options(u64(routine)),
      )
        ? 1
        : 0,
    KeDeregisterBugCheckReasonCallback: (record: bigint): number =>
      kernel.KeDeregisterBugCheckReasonCallback(u64(record)) ? 1 : 0,
    KeRegisterBugCheckCallback: (
      record: bigint,
      routine: bigint,
      buffer: bigint,
      length: number,
      component: bigint,
    ): number =>
      kernel.KeRegisterBugCheckCallback(
        u64(record),
        ctx.legacyRoutine(u64(routine)),
        u64(buffer),
        u32(length),
        u64(component),
        options(u64(routine)),
      )
        ? 1
        : 0,
    KeDeregisterBugCheckCallback: (record: bigint): number =>
      kernel.KeDeregisterBugCheckCallback(u64(record)) ? 1 : 0,
    KeInitializeTriageDumpDataArray: (array: bigint, size: number): number =>
      ret32(kernel.KeInitializeTriageDumpDataArray(u64(array), u32(size))),
    KeAddTriageDumpDataBlock: (array: bigint, address: bigint, size: bigint): number =>
      ret32(kernel.KeAddTriageDumpDataBlock(u64(array), u64(address), u64(size))),
    KeBugCheckEx: (code: number, p1: bigint, p2: bigint, p3: bigint, p4: bigint): never =>
      bugCheck(code, p1, p2, p3, p4),
    KeBugCheck: (code: number): never => bugCheck(code, 0n, 0n, 0n, 0n),
  };
}
