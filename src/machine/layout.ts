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
} as const;

/** ntoskrnl's code addresses (allocateCodeAddress) come from this range of the image, clear of its globals. */
export const NTOSKRNL_CODE_RANGE = { start: 0x20_0000, end: 0xa0_0000 } as const;
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
