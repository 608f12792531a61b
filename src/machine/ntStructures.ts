/**
 * Offsets into the kernel's own structures (KPCR, KPRCB, KTHREAD/ETHREAD,
 * KPROCESS/EPROCESS) that the machine fills, per supported build. Windows 10
 * 2004 to 22H2 (builds 19041–19045) share one kernel structure layout, taken
 * from the public symbol-derived headers of that family and cross-checked
 * against the genuine 19041 dump (its KDDEBUGGER_DATA64 offsets and its
 * KPRCB, EPROCESS and ETHREAD copies). Other builds use the same layout
 * (docs/model.md says so): the structures are what debuggers read through
 * KDDEBUGGER_DATA64, which carries these very offsets, so a reader that
 * follows the KDBG finds them whatever the build number says.
 */

/** x64 KPCR (0xB080 bytes on 19041); the KPRCB is embedded at Prcb. */
export const KPCR_OFFSETS = {
  GdtBase: 0x0,
  TssBase: 0x8,
  UserRsp: 0x10,
  Self: 0x18,
  CurrentPrcb: 0x20,
  LockArray: 0x28,
  Used_Self: 0x30,
  IdtBase: 0x38,
  Irql: 0x50,
  SecondLevelCacheAssociativity: 0x51,
  ObsoleteNumber: 0x52,
  MajorVersion: 0x60,
  MinorVersion: 0x62,
  StallScaleFactor: 0x64,
  SecondLevelCacheSize: 0xbc,
  KdVersionBlock: 0x108,
  Prcb: 0x180,
} as const;

/** KPRCB (0xAF00 bytes on 19041). */
export const KPRCB_OFFSETS = {
  MxCsr: 0x0,
  LegacyNumber: 0x4,
  InterruptRequest: 0x6,
  IdleHalt: 0x7,
  CurrentThread: 0x8,
  NextThread: 0x10,
  IdleThread: 0x18,
  NestingLevel: 0x20,
  ClockOwner: 0x21,
  IdleState: 0x23,
  Number: 0x24,
  RspBase: 0x28,
  PrcbLock: 0x30,
  PriorityState: 0x38,
  CpuType: 0x40,
  CpuID: 0x41,
  CpuStep: 0x42,
  Mhz: 0x44,
  MinorVersion: 0x88,
  MajorVersion: 0x8a,
  BuildType: 0x8c,
  CpuVendor: 0x8d,
  CoresPerPhysicalProcessor: 0x8e,
  LogicalProcessorsPerCore: 0x8f,
  TscFrequency: 0x90,
  ParentNode: 0xc0,
  GroupSetMember: 0xc8,
  Group: 0xd0,
  GroupIndex: 0xd1,
  InitialApicId: 0xd4,
  ScbOffset: 0xd8,
  ApicMask: 0xdc,
  CFlushSize: 0xe8,
  BpbState: 0xf8,
  ProcessorStateSpecialRegisters: 0x100,
  ProcessorStateContextFrame: 0x1f0,
  ProcessorSignature: 0x6c8,
  LockQueue: 0x6f0,
  PPLookasideList: 0x800,
  PPNxPagedLookasideList: 0x900,
  PPNPagedLookasideList: 0x1500,
  PPPagedLookasideList: 0x2100,
  MmPageFaultCount: 0x2d10,
  KeSystemCalls: 0x2d38,
  KeContextSwitches: 0x2d3c,
  IoReadOperationCount: 0x2d5c,
  IoReadTransferCount: 0x2d68,
  IpiFrozen: 0x2d88,
  PairPrcb: 0x2db0,
  StaticAffinity: 0x2db8,
  CurrentDpcRoutine: 0x30a0,
  CurrentDpcStartTime: 0x30b0,
  DpcData: 0x30c0,
  DpcStack: 0x3110,
  MaximumDpcQueueDepth: 0x3118,
  MinimumDpcRate: 0x3120,
  ThreadDpcEnable: 0x3128,
  DpcRoutineActive: 0x312a,
  NormalDpcState: 0x312c,
  LastTick: 0x3134,
  ClockInterrupts: 0x3138,
  TimerTable: 0x3940,
  TimerTableEntries: 0x3b40,
  DpcGate: 0x7b80,
  CallDpc: 0x7ba0,
  DpcWatchdogPeriod: 0x7be8,
  WaitListHead: 0x7c00,
  QueueIndex: 0x7c20,
  TimerExpirationDpc: 0x7c30,
  DispatcherReadyListHead: 0x7c80,
  InterruptCount: 0x7e80,
  KernelTime: 0x7e84,
  DpcTime: 0x7e8c,
  InterruptTime: 0x7e90,
  AdjustDpcThreshold: 0x7e94,
  DebuggerSavedIRQL: 0x7e98,
  DpcTimeLimit: 0x7ea0,
  CycleTime: 0x7f38,
  ScbList: 0x8208,
  ForceIdleDpc: 0x8218,
  DpcWatchdogDpc: 0x8258,
  DpcWatchdogTimer: 0x8298,
  Cache: 0x82d8,
  CacheCount: 0x8314,
  PackageProcessorSet: 0x8390,
  CoreProcessorSet: 0x8458,
  LLCMask: 0x8468,
  FsCounters: 0x8580,
  VendorString: 0x8590,
  FeatureBits: 0x85a0,
  UpdateSignature: 0x85a8,
  Context: 0x85c0,
  ContextFlagsInit: 0x85c8,
  ExtendedState: 0x85d0,
  IsrStack: 0x85d8,
  EntropyTimingState: 0x85e0,
  AbDpc: 0x8780,
  LocalSharedReadyQueue: 0x8880,
  TimerExpirationTrace: 0x8b08,
  Mailbox: 0x8c40,
  RequestMailbox: 0xaec0,
} as const;

/** KTHREAD (0x430 bytes) followed by the rest of ETHREAD (0x898 bytes on 19041). */
export const KTHREAD_OFFSETS = {
  Type: 0x0,
  Size: 0x2,
  WaitListHead: 0x8,
  InitialStack: 0x28,
  StackLimit: 0x30,
  StackBase: 0x38,
  CycleTime: 0x48,
  KernelStack: 0x58,
  Running: 0x71,
  MiscFlags: 0x74,
  ThreadFlags: 0x78,
  ApcStateListHead: 0x98,
  ApcStateProcess: 0xb8,
  Priority: 0xc3,
  WaitBlockList: 0xd0,
  WaitListEntry: 0xd8,
  Teb: 0xf0,
  Timer: 0x100,
  WaitBlock: 0x140,
  ContextSwitches: 0x154,
  State: 0x184,
  WaitIrql: 0x186,
  WaitMode: 0x187,
  WaitTime: 0x1b4,
  CombinedApcDisable: 0x1e4,
  QueueListEntry: 0x208,
  NextProcessor: 0x218,
  Process: 0x220,
  UserAffinity: 0x228,
  PreviousMode: 0x232,
  BasePriority: 0x233,
  Affinity: 0x240,
  IdealProcessor: 0x24c,
  SavedApcStateListHead: 0x258,
  WaitReason: 0x283,
  KernelTime: 0x28c,
  SuspendEvent: 0x2e0,
  ThreadListEntry: 0x2f8,
  MutantListHead: 0x308,
  // ETHREAD
  CreateTime: 0x430,
  KeyedWaitChain: 0x438,
  StartAddress: 0x450,
  ActiveTimerListHead: 0x468,
  Cid: 0x478,
  KeyedWaitSemaphore: 0x488,
  IrpList: 0x4b0,
  Win32StartAddress: 0x4d0,
  EThreadListEntry: 0x4e8,
  RundownProtect: 0x4f8,
  CrossThreadFlags: 0x510,
  SameThreadPassiveFlags: 0x514,
  BoostList: 0x560,
  DeboostList: 0x570,
  PropertySet: 0x5c8,
  OwnerEntryListHead: 0x628,
  DisownedOwnerEntryListHead: 0x640,
  LockEntries: 0x650,
} as const;

/** KPROCESS (0x438 bytes) followed by the rest of EPROCESS (0xA40 bytes on 19041). */
export const EPROCESS_OFFSETS = {
  Type: 0x0,
  Size: 0x2,
  WaitListHead: 0x8,
  ProfileListHead: 0x18,
  DirectoryTableBase: 0x28,
  KThreadListHead: 0x30,
  Affinity: 0x50,
  ReadyListHead: 0x158,
  ActiveProcessors: 0x170,
  ProcessFlags: 0x278,
  BasePriority: 0x280,
  QuantumReset: 0x281,
  ProcessListEntry: 0x350,
  CycleTime: 0x360,
  KernelTime: 0x37c,
  UserDirectoryTableBase: 0x388,
  ProcessLock: 0x438,
  UniqueProcessId: 0x440,
  ActiveProcessLinks: 0x448,
  RundownProtect: 0x458,
  Flags2: 0x460,
  Flags: 0x464,
  CreateTime: 0x468,
  PeakVirtualSize: 0x490,
  VirtualSize: 0x498,
  SessionProcessLinks: 0x4a0,
  Token: 0x4b8,
  NumberOfPrivatePages: 0x4f8,
  InheritedFromUniqueProcessId: 0x540,
  Peb: 0x550,
  QuotaBlock: 0x568,
  ObjectTable: 0x570,
  ImageFileName: 0x5a8,
  PriorityClass: 0x5b7,
  JobLinks: 0x5c8,
  HighestUserAddress: 0x5d8,
  ThreadListHead: 0x5e0,
  ActiveThreads: 0x5f0,
  ReadOperationCount: 0x610,
  CommitCharge: 0x648,
  CommitChargePeak: 0x650,
  VmWorkingSetSize: 0x680 + 0x88,
  VmPeakWorkingSetSize: 0x680 + 0xa0,
  MmProcessLinks: 0x7c0,
  VadCount: 0x7e8,
  AlpcContextViewListHead: 0x808,
  TimerResolutionLink: 0x820,
  ActiveThreadsHighWatermark: 0x858,
  SignatureLevel: 0x878,
  SectionSignatureLevel: 0x879,
  Protection: 0x87a,
  Flags3: 0x87c,
  SvmProcessDeviceListHead: 0x8a0,
  SequenceNumber: 0x8f8,
  CreateInterruptTime: 0x900,
  SharedCommitLinks: 0x938,
  VirtualTimerListHead: 0x990,
  MitigationFlags: 0x9d0,
} as const;

/** DISPATCHER_HEADER.Type values. */
export const ProcessObject = 3;
export const ThreadObject = 6;
export const GateObject = 7;
export const TimerNotificationObject = 8;
export const DpcObject = 0x13;
/** KTHREAD_STATE. */
export const ThreadStateReady = 1;
export const ThreadStateRunning = 2;
export const ThreadStateWaiting = 5;
/** KWAIT_REASON values used by the model. */
export const WaitReason = { Executive: 0, WrQueue: 15 } as const;

/** GDT selectors of an x64 Windows kernel (KGDT64_*), as KDBG reports them. */
export const GDT_SELECTORS = {
  R0Code: 0x10,
  R0Data: 0x18,
  R3CmCode: 0x23,
  R3Data: 0x2b,
  R3Code: 0x33,
  Tss: 0x40,
  R3CmTeb: 0x53,
} as const;

/** The layouts one build uses; see the file comment for which builds share them. */
export interface NtStructureOffsets {
  family: string;
  kpcr: typeof KPCR_OFFSETS;
  kprcb: typeof KPRCB_OFFSETS;
  kthread: typeof KTHREAD_OFFSETS;
  eprocess: typeof EPROCESS_OFFSETS;
}

const VB_FAMILY: NtStructureOffsets = Object.freeze({
  family: '19041 (Windows 10 2004–22H2)',
  kpcr: KPCR_OFFSETS,
  kprcb: KPRCB_OFFSETS,
  kthread: KTHREAD_OFFSETS,
  eprocess: EPROCESS_OFFSETS,
});

/** The structure offsets the machine uses for `build` (one family today; docs/model.md). */
export function ntStructuresFor(_build: number): NtStructureOffsets {
  return VB_FAMILY;
}
