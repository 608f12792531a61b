import { LIST_ENTRY64, type ContextAmd64 } from '../format/index.js';
import { AddressSpace } from './addressSpace.js';
import { MachineError } from './errors.js';
import type { MachineGuard } from './guard.js';
import {
  captureCrash,
  resolveCallSite,
  type BugCheckCall,
  type BugCheckCallSite,
  type CrashCapture,
} from './crashState.js';
import { DbgPrintBuffer } from './dbgPrint.js';
import { buildKdDebuggerData, kdbgVariableFields } from './kdbg.js';
import { createKernelObjects, Ntoskrnl } from './kernelObjects.js';
import { buildKuserSharedData } from './kuser.js';
import {
  chooseKernelLayout,
  IOP_TRIAGE_DUMP_DATA_BLOCKS_MAX,
  KD_PRINT_BUFFER_SIZE,
  KE_TIME_INCREMENT,
  KUSER_SHARED_DATA_VA,
  MAXIMUM_PROCESSORS,
  NTOSKRNL_GLOBALS,
  NTOSKRNL_IMAGE_RANGES,
  NTOSKRNL_IMAGE_SIZE,
  POOL_TRACK_TABLE_SIZE,
  SYSTEM_PML4_PA,
  SYSTEM_PTE_REGION_BYTES,
  type KernelLayout,
} from './layout.js';
import { IoSpace, type IoSpaceAttributes } from './ioSpace.js';
import { buildFirmwareMemoryMap } from './memoryMap.js';
import {
  MI_UNLOADED_DRIVERS,
  ModuleList,
  UNLOADED_DRIVER_ENTRY_SIZE,
  type ImageRanges,
  type ImageRoutine,
} from './modules.js';
import { buildPfnDatabase, type PfnDatabaseSummary } from './pfnDatabase.js';
import { EPROCESS_OFFSETS } from './ntStructures.js';
import { PhysicalMemory } from './physical.js';
import { PoolAllocator, type PoolAllocation } from './pool.js';
import { POOL_FLAG_NON_PAGED, POOL_FLAG_RAISE_ON_FAILURE, poolTagValue } from './poolFlags.js';
import { writePoolTrackTable } from './poolTracker.js';
import { storeProcessorContext, type MachineProcessor } from './processors.js';
import { SeededRandom } from './random.js';
import { TriageDumpDataBlocks, type TriageDumpDataBlock } from './triageBlocks.js';
import type { FrameSpec } from './x64Code.js';
import type { KernelSymbols, LoadedModule, MachineOptions, Processor, UnloadedModule } from './types.js';
import { VirtualMemory } from './virtualMemory.js';

const MiB = 1024n * 1024n;
/** 2024-03-01 12:00:00 UTC as a FILETIME. */
export const DEFAULT_SYSTEM_TIME = 133_537_680_000_000_000n;
/** 1 h 23 min after boot, in 100 ns units. */
export const DEFAULT_SYSTEM_UP_TIME = 49_800_000_000n;
export const DEFAULT_SEED = 0x5eed;
/** Mixed into the seed for the system PTE region's own random stream (see chooseKernelLayout). */
const SYSTEM_PTE_STREAM = 0x10_5a_ce;
/** Mixed into the seed for the stream of kernel objects and stacks (processes, threads, PRCBs, crash stacks). */
const KERNEL_OBJECTS_STREAM = 0x0c_0ffe;

/**
 * Drivers a Windows 10 machine has loaded by the time anything interesting
 * happens, in load order after ntoskrnl.exe, with plausible image sizes.
 * `unloaded` ones are loaded and then unloaded during boot, as Windows does
 * with its early-launch drivers, so MmUnloadedDrivers is not empty.
 */
const BOOT_MODULES: ReadonlyArray<{ name: string; size: number; unloaded?: boolean }> = [
  { name: 'hal.dll', size: 0x6000 },
  { name: 'kd.dll', size: 0xb000 },
  { name: 'mcupdate_GenuineIntel.dll', size: 0x1f000 },
  { name: 'CLFS.SYS', size: 0x6a000 },
  { name: 'tm.sys', size: 0x27000 },
  { name: 'PSHED.dll', size: 0x1a000 },
  { name: 'BOOTVID.dll', size: 0xb000 },
  { name: 'FLTMGR.SYS', size: 0x6f000 },
  { name: 'msrpc.sys', size: 0x62000 },
  { name: 'ksecdd.sys', size: 0x29000 },
  { name: 'clipsp.sys', size: 0x113000 },
  { name: 'cmimcext.sys', size: 0xe000 },
  { name: 'CI.dll', size: 0xd8000 },
  { name: 'cng.sys', size: 0xbb000 },
  { name: 'Wdf01000.sys', size: 0xe4000 },
  { name: 'WDFLDR.SYS', size: 0x13000 },
  { name: 'WdBoot.sys', size: 0x12000, unloaded: true },
  { name: 'ACPI.sys', size: 0xce000 },
  { name: 'WMILIB.SYS', size: 0xc000 },
  { name: 'pci.sys', size: 0x7b000 },
  { name: 'storport.sys', size: 0x106000 },
  { name: 'stornvme.sys', size: 0x31000 },
  { name: 'CLASSPNP.SYS', size: 0x6a000 },
  { name: 'disk.sys', size: 0x21000 },
  { name: 'crashdmp.sys', size: 0x1e000 },
  { name: 'Ntfs.sys', size: 0x2b4000 },
  { name: 'NDIS.SYS', size: 0x14a000 },
  { name: 'NETIO.SYS', size: 0x94000 },
  { name: 'tcpip.sys', size: 0x2d3000 },
  { name: 'dam.sys', size: 0x1c000, unloaded: true },
  { name: 'dump_storport.sys', size: 0x10000 },
  { name: 'dump_stornvme.sys', size: 0x2a000 },
];

export function resolveMachineOptions(options: MachineOptions = {}): Required<MachineOptions> {
  const resolved: Required<MachineOptions> = {
    memoryBytes: options.memoryBytes ?? 512n * MiB,
    processors: options.processors ?? 4,
    build: options.build ?? 19045,
    productType: options.productType ?? 1,
    suiteMask: options.suiteMask ?? 0x110,
    systemTime: options.systemTime ?? DEFAULT_SYSTEM_TIME,
    systemUpTime: options.systemUpTime ?? DEFAULT_SYSTEM_UP_TIME,
    seed: options.seed ?? DEFAULT_SEED,
  };
  const bad = (field: string, why: string): never => {
    throw new MachineError('E_MACHINE_OPTIONS', `machine option ${field} ${why}`, {
      field,
      value: String(resolved[field as keyof MachineOptions]),
    });
  };
  if (typeof resolved.memoryBytes !== 'bigint') bad('memoryBytes', 'must be a bigint');
  if (!Number.isInteger(resolved.processors) || resolved.processors < 1 || resolved.processors > MAXIMUM_PROCESSORS) {
    bad('processors', `must be an integer in 1..${MAXIMUM_PROCESSORS}`);
  }
  if (!Number.isInteger(resolved.build) || resolved.build < 1 || resolved.build > 0xffff)
    bad('build', 'must be an integer in 1..65535');
  if (![1, 2, 3].includes(resolved.productType)) bad('productType', 'must be 1, 2 or 3 (NT_PRODUCT_TYPE)');
  if (!Number.isInteger(resolved.suiteMask) || resolved.suiteMask < 0 || resolved.suiteMask > 0xffff_ffff)
    bad('suiteMask', 'must be a ULONG');
  if (typeof resolved.systemTime !== 'bigint' || resolved.systemTime < 0n || resolved.systemTime >= 1n << 63n)
    bad('systemTime', 'must be a FILETIME');
  if (
    typeof resolved.systemUpTime !== 'bigint' ||
    resolved.systemUpTime < 0n ||
    resolved.systemUpTime > resolved.systemTime
  ) {
    bad('systemUpTime', 'must be a non-negative bigint not after systemTime');
  }
  if (!Number.isInteger(resolved.seed)) bad('seed', 'must be an integer');
  return resolved;
}

/** A simulated x64 Windows 10 machine as the kernel sees it at the moment of a bug check. */
export class Machine {
  readonly options: Required<MachineOptions>;
  readonly physical: PhysicalMemory;
  readonly kernelSpace: AddressSpace;
  readonly symbols: KernelSymbols;
  readonly processors: readonly Processor[];
  readonly kdbg: bigint;
  /** The regions chosen for this machine (bases of pools, stacks, images; self-map index). */
  readonly layout: KernelLayout;
  /** EPROCESS-sized block of the System process, linked from PsActiveProcessHead. */
  readonly systemProcess: bigint;
  /** EPROCESS of the Idle process (PID 0, not on PsActiveProcessHead): the idle threads' process. */
  readonly idleProcess: bigint;
  guard: MachineGuard | null = null;

  private readonly memory: VirtualMemory;
  private readonly nt: Ntoskrnl;
  private readonly kernelRandom: SeededRandom;
  private readonly dbgPrintBuffer: DbgPrintBuffer;
  private readonly triageBlocks: TriageDumpDataBlocks;
  private readonly poolTrackTable: bigint;
  private crash: CrashCapture | null = null;
  private crashProcessor = -1;
  private pfnDatabaseSummary: PfnDatabaseSummary | null = null;
  private readonly pool: PoolAllocator;
  private readonly moduleList: ModuleList;
  private readonly ioSpace: IoSpace;
  private driverCursor: bigint;

  constructor(options: MachineOptions = {}) {
    this.options = Object.freeze(resolveMachineOptions(options));
    const o = this.options;
    const random = new SeededRandom(o.seed);

    this.physical = new PhysicalMemory(buildFirmwareMemoryMap(o.memoryBytes, random), 0x200n);
    this.physical.claimFrame(SYSTEM_PML4_PA >> 12n, 'pagetable');
    this.layout = chooseKernelLayout(random, new SeededRandom(o.seed ^ SYSTEM_PTE_STREAM));
    this.kernelSpace = new AddressSpace(this.physical, SYSTEM_PML4_PA, this.layout.selfMapIndex);
    this.memory = new VirtualMemory(this.physical, this.kernelSpace, () => this.guard);
    this.pool = new PoolAllocator(
      this.physical,
      this.kernelSpace,
      this.memory,
      this.layout.nonPagedPoolBase,
      this.layout.pagedPoolBase,
    );
    this.ioSpace = new IoSpace(this.physical, this.kernelSpace, this.layout.systemPteBase, SYSTEM_PTE_REGION_BYTES);

    const kernBase = this.layout.kernBase;
    const global = (name: keyof typeof NTOSKRNL_GLOBALS): bigint => kernBase + BigInt(NTOSKRNL_GLOBALS[name]);
    const unloadedRing = this.allocateSystemPool(MI_UNLOADED_DRIVERS * UNLOADED_DRIVER_ENTRY_SIZE);
    this.moduleList = new ModuleList({
      physical: this.physical,
      space: this.kernelSpace,
      memory: this.memory,
      allocateNonPaged: (n, tag) => this.ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_RAISE_ON_FAILURE, n, tag),
      freePool: (va, tag) => this.ExFreePoolWithTag(va, tag),
      listHead: global('PsLoadedModuleList'),
      unloadedRing,
      lastUnloadedVariable: global('MmLastUnloadedDriver'),
    });
    const ntoskrnl = this.moduleList.load('ntoskrnl.exe', NTOSKRNL_IMAGE_SIZE, kernBase, {
      ...imageStamp('ntoskrnl.exe', NTOSKRNL_IMAGE_SIZE, o.seed),
      largePages: true,
      entryLabel: 'KiSystemStartup',
      ranges: NTOSKRNL_IMAGE_RANGES,
    });
    this.nt = new Ntoskrnl(this.moduleList, ntoskrnl);
    this.kernelRandom = new SeededRandom(o.seed ^ KERNEL_OBJECTS_STREAM);
    const code = (label: string): bigint => this.nt.code(label);

    // Kernel globals that start out as empty lists or plain values.
    for (const head of [
      'KeBugCheckCallbackListHead',
      'KeBugCheckReasonCallbackListHead',
      'ExpSystemResourcesList',
      'IopErrorLogListHead',
    ] as const) {
      this.memory.writeUnguarded(global(head), LIST_ENTRY64.encode({ Flink: global(head), Blink: global(head) }));
    }
    this.writeU32Internal(global('KeTimeIncrement'), KE_TIME_INCREMENT);
    this.writeU64Internal(global('MmSizeOfPagedPoolInBytes'), 0x80_0000_0000n);
    this.dbgPrintBuffer = new DbgPrintBuffer(
      this.memory,
      {
        bufferPointer: global('KdPrintCircularBufferPtr'),
        bufferSize: global('KdPrintBufferSize'),
        writePointer: global('KdPrintWritePointer'),
        rolloverCount: global('KdPrintRolloverCount'),
      },
      global('KdPrintCircularBuffer'),
      KD_PRINT_BUFFER_SIZE,
    );
    this.triageBlocks = new TriageDumpDataBlocks(
      this.memory,
      global('IopNumTriageDumpDataBlocks'),
      global('IopTriageDumpDataBlocks'),
      IOP_TRIAGE_DUMP_DATA_BLOCKS_MAX,
    );
    this.writeU64Internal(global('MmUnloadedDrivers'), unloadedRing);
    this.writeU64Internal(global('MmPfnDatabase'), this.layout.pfnDatabase);
    this.writeU64Internal(global('MmHighestUserAddress'), 0x7fff_fffe_ffffn);
    this.writeU64Internal(global('MmSystemRangeStart'), 0xffff_8000_0000_0000n);
    this.writeU64Internal(global('MmUserProbeAddress'), 0x7fff_ffff_0000n);
    this.memory.writeUnguarded(
      global('NtBuildLab'),
      new TextEncoder().encode(`${o.build}.1.amd64fre.vb_release.191206-1406\0`),
    );
    this.writeU64Internal(global('MmPhysicalMemoryBlock'), this.writePhysicalMemoryBlock());

    this.kernelSpace.map4K(KUSER_SHARED_DATA_VA, this.physical.allocateFrame('kernel') << 12n, {
      writable: true,
      noExecute: true,
    });
    this.memory.writeUnguarded(
      KUSER_SHARED_DATA_VA,
      buildKuserSharedData({
        build: o.build,
        productType: o.productType,
        suiteMask: o.suiteMask,
        systemTime: o.systemTime,
        systemUpTime: o.systemUpTime,
        numberOfPhysicalPages: this.physical.totalPages,
        processors: o.processors,
      }),
    );

    // Boot drivers are packed below the kernel; a few are unloaded again during boot.
    let bootCursor = this.layout.bootDriverBase;
    const bootTime = o.systemTime - o.systemUpTime;
    const unloadLater: LoadedModule[] = [];
    for (const spec of BOOT_MODULES) {
      const m = this.moduleList.load(spec.name, spec.size, bootCursor, imageStamp(spec.name, spec.size, o.seed));
      bootCursor = alignUp(bootCursor + BigInt(spec.size), 0x10000n);
      if (spec.unloaded) unloadLater.push(m);
    }
    for (const [i, m] of unloadLater.entries()) this.moduleList.unload(m, bootTime + BigInt(i + 3) * 10_000_000n);
    this.driverCursor = this.layout.driverBase;

    // Processes, threads and processors (kernelObjects.ts), with their own random stream.
    const objects = createKernelObjects({
      physical: this.physical,
      space: this.kernelSpace,
      memory: this.memory,
      modules: this.moduleList,
      ntoskrnl,
      random: this.kernelRandom,
      kernelStackBase: this.layout.kernelStackBase,
      allocatePages: (pages) => this.pool.allocatePages(pages),
      allocatePool: (bytes, tag) => this.allocateSystemPool(bytes, tag),
      processors: o.processors,
      systemTime: o.systemTime,
      systemUpTime: o.systemUpTime,
      directoryTableBase: this.kernelSpace.directoryTableBase,
      activeProcessHead: global('PsActiveProcessHead'),
    });
    this.systemProcess = objects.systemProcess;
    this.idleProcess = objects.idleProcess;
    const links = this.systemProcess + BigInt(EPROCESS_OFFSETS.ActiveProcessLinks);
    this.memory.writeUnguarded(global('PsActiveProcessHead'), LIST_ENTRY64.encode({ Flink: links, Blink: links }));
    objects.processors.forEach((p, i) => {
      this.writeU64Internal(global('KiProcessorBlock') + BigInt(i * 8), p.prcb);
      // The kernel lists each processor's crash CONTEXT among its triage blocks.
      this.triageBlocks.add(p.contextBuffer, 0x4d0);
    });
    this.processors = Object.freeze(objects.processors);
    this.poolTrackTable = this.allocateSystemPool(POOL_TRACK_TABLE_SIZE * 0x28, 'PoTr');
    this.writeU64Internal(global('PoolTrackTable'), this.poolTrackTable);
    this.writeU32Internal(global('PoolTrackTableSize'), POOL_TRACK_TABLE_SIZE);

    this.symbols = Object.freeze({
      KernBase: kernBase,
      PsLoadedModuleList: global('PsLoadedModuleList'),
      PsActiveProcessHead: global('PsActiveProcessHead'),
      MmPfnDatabase: global('MmPfnDatabase'),
      KdDebuggerDataBlock: global('KdDebuggerDataBlock'),
      KeBugCheckCallbackListHead: global('KeBugCheckCallbackListHead'),
      KeBugCheckReasonCallbackListHead: global('KeBugCheckReasonCallbackListHead'),
      KiBugCheckData: global('KiBugCheckData'),
      KeBugCheckEx: code('KeBugCheckEx'),
      KiProcessorBlock: global('KiProcessorBlock'),
      MmUnloadedDrivers: global('MmUnloadedDrivers'),
      KUSER_SHARED_DATA: KUSER_SHARED_DATA_VA,
    });
    this.kdbg = this.symbols.KdDebuggerDataBlock;
    const kdbgListHead = global('KdpDebuggerDataListHead');
    this.memory.writeUnguarded(kdbgListHead, LIST_ENTRY64.encode({ Flink: this.kdbg, Blink: this.kdbg }));
    this.memory.writeUnguarded(
      this.kdbg,
      buildKdDebuggerData(kdbgListHead, {
        KernBase: kernBase,
        BreakpointWithStatus: code('RtlpBreakWithStatusInstruction'),
        KiCallUserMode: code('KiCallUserMode'),
        PsLoadedModuleList: this.symbols.PsLoadedModuleList,
        PsActiveProcessHead: this.symbols.PsActiveProcessHead,
        KeBugCheckCallbackListHead: this.symbols.KeBugCheckCallbackListHead,
        KiBugcheckData: this.symbols.KiBugCheckData,
        MmPfnDatabase: this.symbols.MmPfnDatabase,
        MmHighestUserAddress: global('MmHighestUserAddress'),
        MmSystemRangeStart: global('MmSystemRangeStart'),
        MmUserProbeAddress: global('MmUserProbeAddress'),
        NtBuildLab: global('NtBuildLab'),
        KiProcessorBlock: this.symbols.KiProcessorBlock,
        MmUnloadedDrivers: this.symbols.MmUnloadedDrivers,
        MmLastUnloadedDriver: global('MmLastUnloadedDriver'),
        MmPhysicalMemoryBlock: global('MmPhysicalMemoryBlock'),
        MmNonPagedPoolStart: 0n,
        PteBase: this.kernelSpace.pteBase,
        ...kdbgVariableFields(global),
      }),
    );
    this.moduleList.flushTables();
  }

  /** Loaded modules in load order (ntoskrnl.exe, hal.dll, ...). */
  get modules(): readonly LoadedModule[] {
    return this.moduleList.loaded;
  }

  get unloadedModules(): readonly UnloadedModule[] {
    return this.moduleList.unloaded;
  }

  get ntoskrnl(): LoadedModule {
    return this.moduleList.loaded[0]!;
  }

  // ---- virtual memory of the system address space ----

  readVirtual(va: bigint, length: number): Uint8Array {
    return this.memory.read(va, length);
  }

  writeVirtual(va: bigint, data: Uint8Array): void {
    this.memory.write(va, data);
  }

  /** Reads `target.length` bytes at `va` into `target`: one access, like readVirtual, without a new buffer. */
  readVirtualInto(va: bigint, target: Uint8Array): void {
    this.memory.readInto(va, target);
  }

  readU8(va: bigint): number {
    return this.memory.readU8(va);
  }
  /** See VirtualMemory.directByte: a byte's frame storage, for repeated unguarded accesses while it holds. */
  directByte(va: bigint, into: { bytes: Uint8Array; index: number }): boolean {
    return this.memory.directByte(va, into);
  }
  readU16(va: bigint): number {
    return this.memory.readU16(va);
  }
  readU32(va: bigint): number {
    return this.memory.readU32(va);
  }
  readU64(va: bigint): bigint {
    return this.memory.readU64(va);
  }
  writeU8(va: bigint, v: number): void {
    this.memory.writeU8(va, v);
  }
  writeU16(va: bigint, v: number): void {
    const b = new Uint8Array(2);
    view(b).setUint16(0, v & 0xffff, true);
    this.memory.write(va, b);
  }
  writeU32(va: bigint, v: number): void {
    this.memory.writeU32(va, v);
  }
  writeU64(va: bigint, v: bigint): void {
    this.memory.writeU64(va, v);
  }

  /** Reads bytes up to the first NUL (or maxLength bytes), page by page, each page a guarded access. */
  readAnsiString(va: bigint, maxLength = 0x1000): string {
    if (!Number.isInteger(maxLength) || maxLength < 0 || maxLength > 0x100000) {
      throw new MachineError('E_MACHINE_ARGUMENT', `bad maxLength ${maxLength}`, { maxLength });
    }
    let text = '';
    let cursor = va;
    while (text.length < maxLength) {
      const chunk = Math.min(0x1000 - Number(cursor & 0xfffn), maxLength - text.length);
      const piece = this.memory.readAnsiPiece(cursor, chunk);
      text += piece.text;
      if (piece.terminated) break;
      cursor += BigInt(chunk);
    }
    return text;
  }

  /** A NUL-terminated copy of `text` in nonpaged pool (tag 'Strg'). */
  allocateAnsiString(text: string): bigint {
    const bytes = Buffer.from(`${text}\0`, 'latin1');
    const va = this.ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_RAISE_ON_FAILURE, bytes.length, 'Strg');
    this.memory.writeUnguarded(va, bytes);
    return va;
  }

  /** MmIsAddressValid: would touching `va` fault? Never consults the guard. */
  isAddressValid(va: bigint): boolean {
    return this.memory.isValid(va);
  }

  // ---- pool ----

  ExAllocatePool2(flags: bigint, numberOfBytes: number, tag: number | string): bigint {
    const tagValue = poolTagValue(tag);
    this.guard?.onAllocate(flags, numberOfBytes, tagValue);
    return this.pool.allocate(flags, numberOfBytes, tagValue);
  }

  ExFreePoolWithTag(va: bigint, tag: number | string): void {
    const tagValue = poolTagValue(tag);
    this.guard?.onFree?.(va, tagValue);
    this.pool.free(va, tagValue);
  }

  isPagedPool(va: bigint): boolean {
    return this.pool.isPaged(va);
  }

  /** Live pool allocations in address order (what `!poolused`-style tools would list). */
  poolAllocations(): Iterable<PoolAllocation> {
    return this.pool.allocations();
  }

  /** Physical frames owned by a device, not mapped in the kernel address space. Returns the PA of the first page. */
  allocateDeviceMemory(pages: number): bigint {
    if (!Number.isInteger(pages) || pages <= 0 || pages > 0x10000) {
      throw new MachineError('E_MACHINE_ARGUMENT', `device memory must be 1..65536 pages, got ${pages}`, { pages });
    }
    return this.physical.allocateContiguousFrames(pages, 'device') << 12n;
  }

  /**
   * MmMapIoSpace: maps the frames covering [physicalAddress, +numberOfBytes)
   * at fresh page-aligned VAs of the system PTE region (one unmapped page after
   * each mapping) and returns the VA of `physicalAddress` itself. PTEs are
   * nonpaged and no-execute, writable unless `attrs.writable` is false; the
   * frames keep their owner. Page-table frames are refused.
   */
  mapIoSpace(physicalAddress: bigint, numberOfBytes: number, attrs: IoSpaceAttributes = {}): bigint {
    return this.ioSpace.map(physicalAddress, numberOfBytes, attrs);
  }

  /** MmUnmapIoSpace: `va` and `numberOfBytes` must cover exactly the pages one mapIoSpace call mapped. */
  unmapIoSpace(va: bigint, numberOfBytes: number): void {
    this.ioSpace.unmap(va, numberOfBytes);
  }

  // ---- modules ----

  loadModule(
    name: string,
    sizeOfImage: number,
    opts: { timeDateStamp?: number; checkSum?: number; base?: bigint; ranges?: ImageRanges } = {},
  ): LoadedModule {
    const stamp = imageStamp(name, sizeOfImage, this.options.seed);
    const base = opts.base ?? this.driverCursor;
    const module = this.moduleList.load(name, sizeOfImage, base, {
      timeDateStamp: opts.timeDateStamp ?? stamp.timeDateStamp,
      checkSum: opts.checkSum ?? stamp.checkSum,
      // h-cdriver hook: a C driver's image is placed in its WebAssembly window (src/machine/wasmWindow.ts).
      ...(opts.ranges ? { ranges: opts.ranges } : {}),
    });
    if (opts.base === undefined) this.driverCursor = alignUp(base + BigInt(sizeOfImage), 0x10000n);
    return module;
  }

  unloadModule(module: LoadedModule): void {
    this.moduleList.unload(module, this.options.systemTime);
  }

  findModuleByAddress(va: bigint): LoadedModule | undefined {
    return this.moduleList.findByAddress(va);
  }

  /** A routine's address inside the image (same label, same address); `frame` shapes its prologue the first time. */
  allocateCodeAddress(module: LoadedModule, label: string, frame?: FrameSpec): bigint {
    return this.moduleList.codeAddress(module, label, frame);
  }

  /** A zeroed, writable, nonpaged global of `size` bytes inside the image (same label, same address). */
  allocateImageData(module: LoadedModule, label: string, size: number): bigint {
    return this.moduleList.dataAddress(module, label, size);
  }

  /**
   * Copies a processor's (possibly updated) context where debuggers read it:
   * the CONTEXT behind KPRCB.Context, and KPRCB.ProcessorState.ContextFrame
   * (left zero on the processor that captured a crash, as Windows leaves it).
   */
  storeProcessorContext(processor: Processor): void {
    const p = this.machineProcessor(processor);
    storeProcessorContext(this.memory, p, this.crash !== null && p.index === this.crashProcessor);
  }

  // ---- the crash --------------------------------------------------------------------------

  /**
   * Names where the next KeBugCheckEx on processor `index` is called from:
   * `caller` (an address inside a routine of a loaded image, e.g.
   * `driver.codeAddress('MyDpcRoutine')` or a C function's address), the
   * routines that led to it (`callers`, innermost first) and the path
   * ('thread' or 'dpc'). Throws E_MACHINE_CALL_SITE for an address that is
   * not inside a routine. `null` clears it.
   */
  setBugCheckCallSite(index: number, site: BugCheckCallSite | null): void {
    const p = this.processors[index] as MachineProcessor | undefined;
    if (!p) throw new MachineError('E_MACHINE_ARGUMENT', `no processor ${index} on this machine`, { index });
    if (site !== null) {
      if (site.path !== undefined && site.path !== 'thread' && site.path !== 'dpc') {
        throw new MachineError(
          'E_MACHINE_CALL_SITE',
          `call site path must be 'thread' or 'dpc', got ${String(site.path)}`,
        );
      }
      resolveCallSite(this.moduleList, site);
    }
    p.callSite = site === null ? null : { ...site, ...(site.callers ? { callers: [...site.callers] } : {}) };
  }

  /**
   * The crash state a debugger finds, built when KeBugCheckEx starts (the
   * kernel calls this once, before anything else of the bug check runs): the
   * crashing thread's stack from its start routine to the caller of
   * KeBugCheckEx, the processor switched to that thread at HIGH_LEVEL, the
   * CONTEXT of KeBugCheckEx's entry behind KPRCB.Context (and returned), the
   * images' export and exception tables, PoolTrackTable, MmPagedPoolCommit
   * and the PFN database.
   */
  captureBugCheck(processor: Processor, call: BugCheckCall): ContextAmd64 {
    const p = this.machineProcessor(processor);
    if (this.crash) throw new MachineError('E_MACHINE_ARGUMENT', 'the crash state was already captured');
    this.crash = captureCrash(
      {
        memory: this.memory,
        modules: this.moduleList,
        nt: this.nt,
        random: this.kernelRandom,
        allocatePool: (bytes, tag) => this.allocateSystemPool(bytes, tag),
      },
      p,
      call,
    );
    this.crashProcessor = p.index;
    this.moduleList.flushTables();
    writePoolTrackTable(this.memory, this.poolTrackTable, POOL_TRACK_TABLE_SIZE, this.pool.tagStatistics);
    const global = (name: keyof typeof NTOSKRNL_GLOBALS): bigint =>
      this.layout.kernBase + BigInt(NTOSKRNL_GLOBALS[name]);
    this.writeU64Internal(global('MmPagedPoolCommit'), BigInt(this.pool.pagedPoolPages));
    this.pfnDatabaseSummary = buildPfnDatabase(this.physical, this.kernelSpace, this.layout.pfnDatabase);
    return structuredClone(p.context);
  }

  /** What captureBugCheck built: the path, the frames of the crashing stack and the caller (null before a crash). */
  get crashCapture(): Readonly<CrashCapture> | null {
    return this.crash;
  }

  /** The PFN database's extent once built (null before a crash). */
  get pfnDatabase(): Readonly<PfnDatabaseSummary> | null {
    return this.pfnDatabaseSummary;
  }

  /**
   * DbgPrint: appends `text` (at most 512 bytes, Latin-1) to the kernel's
   * DbgPrint circular buffer, where `!dbgprint` finds it. Never consults
   * the guard: DbgPrint may be called at any IRQL.
   */
  dbgPrint(text: string | Uint8Array): number {
    return this.dbgPrintBuffer.print(text);
  }

  /** The DbgPrint buffer's text, oldest first (what `!dbgprint` shows). */
  dbgPrintText(): string {
    return this.dbgPrintBuffer.text();
  }

  /**
   * Lists a range in IopTriageDumpDataBlocks (the kernel's ranges for
   * triage dumps); false when the list is full or the range is empty.
   */
  addTriageDumpDataBlock(address: bigint, size: number): boolean {
    return this.triageBlocks.add(address, size);
  }

  /** Lists each range (see addTriageDumpDataBlock); returns how many were listed. */
  recordTriageDumpDataBlocks(ranges: Iterable<TriageDumpDataBlock>): number {
    let n = 0;
    for (const r of ranges) if (this.triageBlocks.add(r.address, r.size)) n++;
    return n;
  }

  /** The ranges IopTriageDumpDataBlocks lists, in order. */
  get triageDumpDataBlocks(): readonly TriageDumpDataBlock[] {
    return this.triageBlocks.list;
  }

  /** The routine the machine wrote at or around `va` (its label, address, frame and module), if any. */
  routineAt(va: bigint): { module: LoadedModule; routine: ImageRoutine } | undefined {
    return this.moduleList.routineAt(va);
  }

  /** Writes the images' export and exception tables now (the machine does it lazily, and at every crash capture). */
  flushImageTables(): void {
    this.moduleList.flushTables();
  }

  private machineProcessor(processor: Processor): MachineProcessor {
    const p = this.processors.find((x) => x === processor);
    if (!p) throw new MachineError('E_MACHINE_ARGUMENT', 'not a processor of this machine', { index: processor.index });
    return p as MachineProcessor;
  }

  // ---- construction helpers ----

  /** Nonpaged pool for the machine's own structures, without a guard in the way. */
  private allocateSystemPool(numberOfBytes: number, tag = 'MmLd'): bigint {
    return this.pool.allocate(POOL_FLAG_NON_PAGED | POOL_FLAG_RAISE_ON_FAILURE, numberOfBytes, poolTagValue(tag));
  }

  private writeU64Internal(va: bigint, value: bigint): void {
    const b = new Uint8Array(8);
    view(b).setBigUint64(0, value, true);
    this.memory.writeUnguarded(va, b);
  }

  private writeU32Internal(va: bigint, value: number): void {
    const b = new Uint8Array(4);
    view(b).setUint32(0, value >>> 0, true);
    this.memory.writeUnguarded(va, b);
  }

  /** PHYSICAL_MEMORY_DESCRIPTOR (NumberOfRuns, NumberOfPages, Run[]) in nonpaged pool, as MmPhysicalMemoryBlock points to it. */
  private writePhysicalMemoryBlock(): bigint {
    const runs = this.physical.runs;
    const bytes = new Uint8Array(0x10 + runs.length * 0x10);
    const v = view(bytes);
    v.setUint32(0, runs.length, true);
    v.setBigUint64(8, this.physical.totalPages, true);
    runs.forEach((r, i) => {
      v.setBigUint64(0x10 + i * 0x10, r.basePage, true);
      v.setBigUint64(0x18 + i * 0x10, r.pageCount, true);
    });
    const va = this.allocateSystemPool(bytes.length, 'MmPm');
    this.memory.writeUnguarded(va, bytes);
    return va;
  }
}

export function createX64Machine(options: MachineOptions = {}): Machine {
  return new Machine(options);
}

/** Deterministic TimeDateStamp/CheckSum for an image: a function of its name, size and the seed only. */
function imageStamp(name: string, size: number, seed: number): { timeDateStamp: number; checkSum: number } {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (const ch of name.toLowerCase()) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  const r = new SeededRandom(h);
  return { timeDateStamp: 0x4000_0000 + r.below(0x6000_0000), checkSum: (size + r.below(size)) >>> 0 };
}

function alignUp(n: bigint, a: bigint): bigint {
  return ((n + a - 1n) / a) * a;
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}
