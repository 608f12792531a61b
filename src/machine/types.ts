import type { ContextAmd64 } from '../format/index.js';

export interface MachineOptions {
  /** RAM the machine claims (sparse: only touched pages cost memory). Default 512 MiB. */
  memoryBytes?: bigint;
  /** Default 4. */
  processors?: number;
  /** Windows build number (header MinorVersion), default 19045. */
  build?: number;
  /** Default 1 (VER_NT_WORKSTATION). */
  productType?: number;
  /** Default 0x110. */
  suiteMask?: number;
  /** FILETIME of "now"; default a fixed value so runs are deterministic. */
  systemTime?: bigint;
  /** 100 ns units since boot. */
  systemUpTime?: bigint;
  /** Drives every random-looking choice (self-map index, image bases); deterministic. */
  seed?: number;
}

export interface LoadedModule {
  /** e.g. 'mydriver.sys' */
  name: string;
  /** e.g. '\\SystemRoot\\System32\\drivers\\mydriver.sys' */
  fullName: string;
  base: bigint;
  size: number;
  entryPoint: bigint;
  timeDateStamp: number;
  checkSum: number;
  /** VA of its KLDR_DATA_TABLE_ENTRY in nonpaged memory. */
  ldrEntry: bigint;
}

export interface UnloadedModule {
  name: string;
  startAddress: bigint;
  endAddress: bigint;
  unloadTime: bigint;
}

/** VAs of kernel globals, all inside ntoskrnl's image (except KUSER_SHARED_DATA). */
export interface KernelSymbols {
  KernBase: bigint;
  PsLoadedModuleList: bigint;
  PsActiveProcessHead: bigint;
  MmPfnDatabase: bigint;
  KdDebuggerDataBlock: bigint;
  KeBugCheckCallbackListHead: bigint;
  KeBugCheckReasonCallbackListHead: bigint;
  KiBugCheckData: bigint;
  KeBugCheckEx: bigint;
  KiProcessorBlock: bigint;
  MmUnloadedDrivers: bigint;
  /** 0xFFFFF78000000000 */
  KUSER_SHARED_DATA: bigint;
}

export interface Processor {
  readonly index: number;
  /** Decoded CONTEXT_AMD64 (mutable). */
  context: ContextAmd64;
  /** Top (highest address) of its kernel stack, nonpaged, mapped. */
  readonly stackBase: bigint;
  /** Lowest address of its kernel stack. */
  readonly stackLimit: bigint;
  /** VA of a KPRCB-sized nonpaged block. */
  readonly prcb: bigint;
  /** Current IRQL (0 PASSIVE_LEVEL .. 15 HIGH_LEVEL). */
  irql: number;
  frozen: boolean;
}
