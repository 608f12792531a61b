export { Machine, createX64Machine } from './machine.js';
export type { MachineOptions, LoadedModule, UnloadedModule, KernelSymbols, Processor } from './types.js';
export { PhysicalMemory, type FrameOwner, type PhysicalRun } from './physical.js';
export { AddressSpace, type MappingAttributes, type Translation } from './addressSpace.js';
export { PageFault, MachineError, type MemoryAccess } from './errors.js';
export type { MachineGuard } from './guard.js';
export {
  POOL_FLAG_USE_QUOTA,
  POOL_FLAG_UNINITIALIZED,
  POOL_FLAG_CACHE_ALIGNED,
  POOL_FLAG_RAISE_ON_FAILURE,
  POOL_FLAG_NON_PAGED,
  POOL_FLAG_NON_PAGED_EXECUTE,
  POOL_FLAG_PAGED,
  poolTagValue,
} from './poolFlags.js';
