import { signExtend } from './addressSpace.js';
import type { SeededRandom } from './random.js';

/** Physical address of the system process's PML4 (what a Windows 10 dump header shows as DirectoryTableBase). */
export const SYSTEM_PML4_PA = 0x1ad000n;
/** KUSER_SHARED_DATA's fixed kernel address on x64. */
export const KUSER_SHARED_DATA_VA = 0xfffff78000000000n;
/** ntoskrnl.exe of a 19041-era kernel: its SizeOfImage, mapped with 2 MiB pages. */
export const NTOSKRNL_IMAGE_SIZE = 0x1046000;
/** x64 KERNEL_STACK_SIZE, with one unmapped guard page below each stack. */
export const KERNEL_STACK_PAGES = 6;
/** KPCR of a 19041 kernel (KDBG SizePcr); the KPRCB sits inside it at OffsetPcrContainedPrcb. */
export const KPCR_SIZE = 0xb080;
export const KPCR_PRCB_OFFSET = 0x180;
/** KPRCB size of a 19041 kernel (KDBG SizePrcb; what a triage dump copies). */
export const KPRCB_SIZE = 0xaf00;
/** Size of the ETHREAD-like block given to each processor's current thread (KDBG SizeEThread). */
export const ETHREAD_BLOCK_SIZE = 0x898;
/** Size of the EPROCESS-like block of the System process. */
export const EPROCESS_BLOCK_SIZE = 0xa40;

/** PML4 slots whose use is fixed on x64 Windows: KUSER_SHARED_DATA (0x1EF) and the kernel images (0x1F0). */
const FIXED_PML4_SLOTS = [0x1ef, 0x1f0];

/**
 * Where ntoskrnl keeps its globals, as offsets from KernBase. They sit in the
 * image's data area at the places a 19041 kernel has them, so addresses look
 * familiar next to a real dump.
 */
export const NTOSKRNL_GLOBALS = {
  KdDebuggerDataBlock: 0xc00b20,
  PsActiveProcessHead: 0xc1e200,
  MmUnloadedDrivers: 0xc2a308,
  MmLastUnloadedDriver: 0xc2a310,
  PsLoadedModuleList: 0xc2a390,
  KiBugCheckData: 0xc31480,
  KeBugCheckReasonCallbackListHead: 0xc32030,
  KeBugCheckCallbackListHead: 0xc32050,
  KdpDebuggerDataListHead: 0xc40770,
  MmPfnDatabase: 0xcfc500,
  KiProcessorBlock: 0xcfdc80,
  MmHighestUserAddress: 0xc21440,
  MmSystemRangeStart: 0xc21448,
  MmUserProbeAddress: 0xc21438,
  NtBuildLab: 0xc4c0a0,
  MmPhysicalMemoryBlock: 0xcfc4a8,
  // The variables KDDEBUGGER_DATA64 points at that the genuine 19041 dump sets, at its offsets.
  KdPrintCircularBufferPtr: 0xc04e60,
  KdPrintWritePointer: 0xc04e68,
  EtwpDebuggerData: 0xc10d58,
  KdPrintBufferSize: 0xc11f8c,
  ExpSystemResourcesList: 0xc16890,
  PoolTrackTable: 0xc168a8,
  /** Not in KDDEBUGGER_DATA64; the model keeps the table's entry count next to its pointer. */
  PoolTrackTableSize: 0xc168b0,
  MmTriageActionTaken: 0xc1ca90,
  KernelVerifier: 0xc1ca94,
  ObpTypeObjectType: 0xc251e8,
  ObpRootDirectoryObject: 0xc251f0,
  MmVerifierData: 0xc2a7a0,
  KdPrintRolloverCount: 0xc320f8,
  KdPrintCircularBuffer: 0xc32100,
  KdPrintCircularBufferEnd: 0xc33100,
  KeLoaderBlock: 0xc40798,
  IopErrorLogListHead: 0xc45c30,
  IopNumTriageDumpDataBlocks: 0xc45fa8,
  IopTriageDumpDataBlocks: 0xc45fc0,
  CmNtCSDVersion: 0xc4c078,
  MmPagedPoolCommit: 0xc4eda8,
  KeTimeIncrement: 0xcfc468,
  MmSpecialPoolTag: 0xcfc558,
  PspCidTable: 0xcfc5c8,
  MmSizeOfPagedPoolInBytes: 0xcfc7e8,
  RetpolineStubFunctionTable: 0xe01a70,
} as const;

/** The default DbgPrint circular buffer (KdPrintCircularBuffer … KdPrintCircularBufferEnd). */
export const KD_PRINT_BUFFER_SIZE = 0x1000;
/** Entries IopTriageDumpDataBlocks has room for (the genuine dump uses 31; the capacity is the model's). */
export const IOP_TRIAGE_DUMP_DATA_BLOCKS_MAX = 128;
/** POOL_TRACKER_TABLE entries (PoolTrackTableSize). */
export const POOL_TRACK_TABLE_SIZE = 0x800;
/** KeTimeIncrement: 15.625 ms in 100 ns units. */
export const KE_TIME_INCREMENT = 156_250;
/** RetpolineStubFunctionTableSize and RetpolineStubSize of the genuine 19041 dump. */
export const RETPOLINE_STUB_TABLE_SIZE = 0x120;
export const RETPOLINE_STUB_SIZE = 0x1000;

/**
 * How ntoskrnl's image is used: routines from 0x200000 up, the export and
 * exception tables at the top of `.text` (below 0xB00000), the fixed globals
 * at 0xC00000–0xE02000 (NTOSKRNL_GLOBALS), data slots (allocateImageData)
 * from the end of the image down to 0xE02000.
 */
export const NTOSKRNL_IMAGE_RANGES = {
  codeStart: 0x20_0000,
  textEnd: 0xb0_0000,
  dataFloor: 0xe0_2000,
  dataTop: 0x104_6000,
} as const;
/** KiProcessorBlock has room for this many KPRCB pointers. */
export const MAXIMUM_PROCESSORS = 64;

/** Size of the system PTE region (mapped I/O space): 16 GiB, so a seeded GiB offset keeps it inside one PML4 slot. */
export const SYSTEM_PTE_REGION_BYTES = 0x4_0000_0000n;

/** Where code addresses handed out inside an image start (past the headers). */
export const IMAGE_CODE_START = 0x1000;

/** The kernel address-space layout chosen for one machine. */
export interface KernelLayout {
  selfMapIndex: number;
  /** ntoskrnl.exe base (2 MiB aligned). */
  kernBase: bigint;
  /** hal.dll and the boot drivers are packed upwards from here (below the kernel, as on Windows 10). */
  bootDriverBase: bigint;
  /** Drivers loaded later (loadModule) go upwards from here. */
  driverBase: bigint;
  nonPagedPoolBase: bigint;
  pagedPoolBase: bigint;
  kernelStackBase: bigint;
  /** Value of the MmPfnDatabase variable (the MMPFN array is not modelled, so it is not mapped). */
  pfnDatabase: bigint;
  /** System PTE region (SYSTEM_PTE_REGION_BYTES): where mapIoSpace (MmMapIoSpace) maps device frames. */
  systemPteBase: bigint;
}

/**
 * `systemPteRandom` is a stream of its own: the system PTE region came after
 * the others, and drawing it from `random` would have moved every address and
 * register value seeded after the layout.
 */
export function chooseKernelLayout(random: SeededRandom, systemPteRandom: SeededRandom): KernelLayout {
  const taken = new Set(FIXED_PML4_SLOTS);
  let selfMapIndex: number;
  do selfMapIndex = 0x100 + random.below(0xff);
  while (taken.has(selfMapIndex));
  taken.add(selfMapIndex);

  // One PML4 slot per region, picked from the family Windows 10 tends to use, then a random GiB inside it.
  const region = (firstSlot: number, slots: number, from = random): bigint => {
    let slot: number;
    do slot = firstSlot + from.below(slots);
    while (taken.has(slot));
    taken.add(slot);
    return signExtend(BigInt(slot) << 39n) + BigInt(from.below(0x1f0)) * 0x4000_0000n;
  };

  const kernBase = 0xfffff805_4000_0000n + BigInt(random.below(0x200)) * 0x20_0000n;
  const nonPagedPoolBase = region(0x160, 0x10);
  const pagedPoolBase = region(0x140, 0x10);
  const kernelStackBase = region(0x108, 0x08);
  const pfnDatabase = region(0x1c0, 0x10);
  return {
    selfMapIndex,
    kernBase,
    bootDriverBase: kernBase - 0x260_0000n,
    driverBase: kernBase + 0x1000_0000n,
    nonPagedPoolBase,
    pagedPoolBase,
    kernelStackBase,
    pfnDatabase,
    systemPteBase: region(0x1a0, 0x10, systemPteRandom),
  };
}
