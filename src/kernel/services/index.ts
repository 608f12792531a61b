/**
 * The kernel services C drivers import (see README.md beside this file for
 * each one and its IRQL rule). `kernelServices(ctx)` builds the functions a
 * WebAssembly instance imports; `KERNEL_SERVICE_NAMES` is the list a module's
 * imports are checked against before it runs.
 */
import type { CServiceContext } from './context.js';
import { debugServices } from './debug.js';
import { executiveServices } from './executive.js';
import { facilityServices } from './facility.js';
import { memoryServices } from './memory.js';
import { mmServices } from './mm.js';
import { modelServices } from './model.js';
import { stringServices } from './strings.js';

export type KernelServiceFunction = (...args: never[]) => unknown;

export function kernelServices(ctx: CServiceContext): Record<string, KernelServiceFunction> {
  return {
    ...facilityServices(ctx),
    ...executiveServices(ctx),
    ...mmServices(ctx),
    ...memoryServices(ctx),
    ...stringServices(ctx),
    ...debugServices(ctx),
    ...modelServices(ctx),
  };
}

export { KeBugCheckUnwind } from './facility.js';
export type {
  CServiceContext,
  DbgPrintMessage,
  HostChannel,
} from './context.js';
export { recordDbgPrint, dbgPrintOutput, dbgPrintExShown, type DbgPrintEntry } from './dbgPrint.js';
export { formatMessage, WasmVaList, type VaArgs, type FormatMemory } from './format.js';
