import { KDBG_OWNER_TAG, KDDEBUGGER_DATA64, KDDEBUGGER_DATA64_SIZE, type KdDebuggerData64 } from '../format/index.js';
import {
  EPROCESS_BLOCK_SIZE,
  ETHREAD_BLOCK_SIZE,
  KPCR_SIZE,
  KPCR_PRCB_OFFSET,
  KPRCB_SIZE,
  type NTOSKRNL_GLOBALS,
  RETPOLINE_STUB_SIZE,
  RETPOLINE_STUB_TABLE_SIZE,
} from './layout.js';
import { EPROCESS_OFFSETS, GDT_SELECTORS, KPCR_OFFSETS, KPRCB_OFFSETS, KTHREAD_OFFSETS } from './ntStructures.js';

/** The structure-description part of KDDEBUGGER_DATA64: offsets and sizes that match the blocks the machine builds. */
export const KDBG_STRUCTURE_FIELDS: Partial<KdDebuggerData64> = {
  PaeEnabled: 1,
  MmPageSize: 0x1000n,
  OffsetKThreadNextProcessor: KTHREAD_OFFSETS.NextProcessor,
  OffsetKThreadTeb: KTHREAD_OFFSETS.Teb,
  OffsetKThreadKernelStack: KTHREAD_OFFSETS.KernelStack,
  OffsetKThreadInitialStack: KTHREAD_OFFSETS.InitialStack,
  OffsetKThreadApcProcess: KTHREAD_OFFSETS.ApcStateProcess,
  OffsetKThreadState: KTHREAD_OFFSETS.State,
  SizeEProcess: EPROCESS_BLOCK_SIZE,
  OffsetEprocessPeb: EPROCESS_OFFSETS.Peb,
  OffsetEprocessParentCID: EPROCESS_OFFSETS.InheritedFromUniqueProcessId,
  OffsetEprocessDirectoryTableBase: EPROCESS_OFFSETS.DirectoryTableBase,
  SizePrcb: KPRCB_SIZE,
  OffsetPrcbDpcRoutine: KPRCB_OFFSETS.DpcRoutineActive,
  OffsetPrcbCurrentThread: KPRCB_OFFSETS.CurrentThread,
  OffsetPrcbMhz: KPRCB_OFFSETS.Mhz,
  OffsetPrcbCpuType: KPRCB_OFFSETS.CpuType,
  OffsetPrcbVendorString: KPRCB_OFFSETS.VendorString,
  OffsetPrcbProcStateContext: KPRCB_OFFSETS.ProcessorStateContextFrame,
  OffsetPrcbNumber: KPRCB_OFFSETS.Number,
  SizeEThread: ETHREAD_BLOCK_SIZE,
  SizePcr: KPCR_SIZE,
  OffsetPcrSelfPcr: KPCR_OFFSETS.Self,
  OffsetPcrCurrentPrcb: KPCR_OFFSETS.CurrentPrcb,
  OffsetPcrContainedPrcb: KPCR_PRCB_OFFSET,
  OffsetPrcbProcStateSpecialReg: KPRCB_OFFSETS.ProcessorStateSpecialRegisters,
  GdtR0Code: GDT_SELECTORS.R0Code,
  GdtR0Data: GDT_SELECTORS.R0Data,
  GdtR3Code: GDT_SELECTORS.R3Code,
  GdtR3Data: GDT_SELECTORS.R3Data,
  GdtTss: GDT_SELECTORS.Tss,
  Gdt64R3CmCode: GDT_SELECTORS.R3CmCode,
  Gdt64R3CmTeb: GDT_SELECTORS.R3CmTeb,
  OffsetPrcbContext: KPRCB_OFFSETS.Context,
  OffsetKThreadStackLimit: KTHREAD_OFFSETS.StackLimit,
  OffsetKThreadStackBase: KTHREAD_OFFSETS.StackBase,
  OffsetKThreadQueueListEntry: KTHREAD_OFFSETS.QueueListEntry,
  OffsetEThreadIrpList: KTHREAD_OFFSETS.IrpList,
  OffsetPrcbIdleThread: KPRCB_OFFSETS.IdleThread,
  OffsetPrcbNormalDpcState: KPRCB_OFFSETS.NormalDpcState,
  OffsetPrcbDpcStack: KPRCB_OFFSETS.DpcStack,
  OffsetPrcbIsrStack: KPRCB_OFFSETS.IsrStack,
  SizeKDPC_STACK_FRAME: 0x50,
  OffsetKPriQueueThreadListHead: 0x2a0,
  OffsetKThreadWaitReason: KTHREAD_OFFSETS.WaitReason,
  RetpolineStubFunctionTableSize: RETPOLINE_STUB_TABLE_SIZE,
  RetpolineStubSize: RETPOLINE_STUB_SIZE,
};

/** KDDEBUGGER_DATA64 fields that hold the address of an ntoskrnl variable of the same name. */
const VARIABLE_FIELDS = [
  'PspCidTable',
  'ExpSystemResourcesList',
  'KeTimeIncrement',
  'IopErrorLogListHead',
  'ObpRootDirectoryObject',
  'ObpTypeObjectType',
  'MmSizeOfPagedPoolInBytes',
  'MmPagedPoolCommit',
  'PoolTrackTable',
  'KdPrintCircularBuffer',
  'KdPrintCircularBufferEnd',
  'KdPrintWritePointer',
  'KdPrintRolloverCount',
  'MmTriageActionTaken',
  'MmSpecialPoolTag',
  'KernelVerifier',
  'MmVerifierData',
  'CmNtCSDVersion',
  'KdPrintCircularBufferPtr',
  'KdPrintBufferSize',
  'KeLoaderBlock',
  'IopNumTriageDumpDataBlocks',
  'IopTriageDumpDataBlocks',
  'EtwpDebuggerData',
  'RetpolineStubFunctionTable',
] as const satisfies readonly (keyof typeof NTOSKRNL_GLOBALS & keyof KdDebuggerData64)[];

/** The variable addresses of VARIABLE_FIELDS, from `global` (KernBase + the NTOSKRNL_GLOBALS offset). */
export function kdbgVariableFields(global: (name: keyof typeof NTOSKRNL_GLOBALS) => bigint): Partial<KdDebuggerData64> {
  return Object.fromEntries(VARIABLE_FIELDS.map((name) => [name, global(name)])) as Partial<KdDebuggerData64>;
}

/**
 * The decoded (plain) KDDEBUGGER_DATA64 block. Real kernels keep it encoded
 * in memory (KdpDataBlockEncoded) and decode it when crashing; the model keeps
 * the decoded form, which is what a dump must carry.
 */
export function buildKdDebuggerData(listHead: bigint, values: Partial<KdDebuggerData64>): Uint8Array {
  return KDDEBUGGER_DATA64.encode({
    ...KDBG_STRUCTURE_FIELDS,
    ...values,
    Header: { List: { Flink: listHead, Blink: listHead }, OwnerTag: KDBG_OWNER_TAG, Size: KDDEBUGGER_DATA64_SIZE },
  });
}
