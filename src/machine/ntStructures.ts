/**
 * Offsets into the kernel's own structures (KPCR, KPRCB, KTHREAD, EPROCESS)
 * of a Windows 10 19041 x64 kernel — the values its KDDEBUGGER_DATA64
 * publishes for debuggers, plus the few EPROCESS fields a dump reader uses
 * to find the System process. The machine writes only these fields.
 */
export const KPCR_OFFSETS = { Self: 0x18, CurrentPrcb: 0x20, Prcb: 0x180 } as const;

export const KPRCB_OFFSETS = {
  MxCsr: 0x0,
  LegacyNumber: 0x4,
  CurrentThread: 0x8,
  IdleThread: 0x18,
  Number: 0x24,
  CpuType: 0x40,
  Mhz: 0x44,
  ProcessorStateSpecialRegisters: 0x100,
  ProcessorStateContextFrame: 0x1f0,
  DpcRoutineActive: 0x312a,
  NormalDpcState: 0x312c,
  DpcStack: 0x3110,
  VendorString: 0x8590,
  Context: 0x85c0,
  IsrStack: 0x85d8,
} as const;

export const KTHREAD_OFFSETS = {
  Type: 0x0,
  InitialStack: 0x28,
  StackLimit: 0x30,
  StackBase: 0x38,
  KernelStack: 0x58,
  ApcStateProcess: 0xb8,
  Teb: 0xf0,
  State: 0x184,
  NextProcessor: 0x218,
  WaitReason: 0x283,
  QueueListEntry: 0x208,
  IrpList: 0x4b0,
} as const;

export const EPROCESS_OFFSETS = {
  Type: 0x0,
  DirectoryTableBase: 0x28,
  UniqueProcessId: 0x440,
  ActiveProcessLinks: 0x448,
  InheritedFromUniqueProcessId: 0x540,
  Peb: 0x550,
  ImageFileName: 0x5a8,
} as const;

/** DISPATCHER_HEADER.Type values. */
export const ProcessObject = 3;
export const ThreadObject = 6;
/** KTHREAD_STATE Running. */
export const ThreadStateRunning = 2;

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
