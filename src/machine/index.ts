export {
  Machine,
  createX64Machine,
  resolveMachineOptions,
  DEFAULT_SEED,
  DEFAULT_SYSTEM_TIME,
  DEFAULT_SYSTEM_UP_TIME,
} from './machine.js';
export type { MachineOptions, LoadedModule, UnloadedModule, KernelSymbols, Processor } from './types.js';
export { PhysicalMemory, type FrameOwner, type PhysicalRun } from './physical.js';
export { AddressSpace, signExtend, type MappingAttributes, type Translation } from './addressSpace.js';
export { PageFault, MachineError, MachineErrorCode, type MemoryAccess } from './errors.js';
export type { MachineGuard } from './guard.js';
export { MAX_IO_SPACE_BYTES, type IoSpaceAttributes } from './ioSpace.js';
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
export { PoolError, POOL_SMALL_LIMIT, tagText, type PoolAllocation, type PoolKind } from './pool.js';
export { MachineProcessor } from './processors.js';
export {
  SYSTEM_PML4_PA,
  KUSER_SHARED_DATA_VA,
  NTOSKRNL_IMAGE_SIZE,
  NTOSKRNL_GLOBALS,
  KERNEL_STACK_PAGES,
  KPRCB_SIZE,
  KPCR_SIZE,
  SYSTEM_PTE_REGION_BYTES,
  type KernelLayout,
} from './layout.js';
export { KPRCB_OFFSETS, KTHREAD_OFFSETS, EPROCESS_OFFSETS, KPCR_OFFSETS } from './ntStructures.js';
export { MI_UNLOADED_DRIVERS, UNLOADED_DRIVER_ENTRY_SIZE } from './modules.js';
export { ntStructuresFor, type NtStructureOffsets } from './ntStructures.js';
export { CRASH_PATHS, type BugCheckCallSite, type BugCheckCall, type CrashCapture } from './crashState.js';
export { KERNEL_ROUTINE_FRAMES, type ChainFrame } from './callStack.js';
export { STANDARD_FRAME, type FrameSpec, type NonVolatileRegister } from './x64Code.js';
export type { ImageRoutine } from './modules.js';
export { DBG_PRINT_MAX_MESSAGE } from './dbgPrint.js';
export type { TriageDumpDataBlock } from './triageBlocks.js';
export type { PfnDatabaseSummary } from './pfnDatabase.js';
export { CONTEXT_BUFFER_OFFSET } from './kernelObjects.js';
export type { KernelThread, KernelStack } from './threads.js';
export {
  WasmWindow,
  PAGE_READ,
  PAGE_WRITE,
  WINDOW_ALIGNMENT,
  type WasmWindowLayout,
  type WindowRegion,
} from './wasmWindow.js';
export { Wasm, type WasmApi, type WasmMemory, type WasmGlobal, type WasmTable, type WasmInstance } from './wasmApi.js';
