import { BlockWriter } from './blockWriter.js';
import { KPCR_SIZE } from './layout.js';
import {
  DpcObject,
  GDT_SELECTORS,
  GateObject,
  KPCR_OFFSETS as C,
  KPRCB_OFFSETS as P,
  TimerNotificationObject,
} from './ntStructures.js';
import type { SeededRandom } from './random.js';
import type { KernelStack, KernelThread } from './threads.js';

/**
 * The KPCR of one processor with its embedded KPRCB, written whole (the
 * 19041 layout): identity and topology, CPU description, the special
 * registers of ProcessorState, the queued spinlock array, the per-processor
 * pool lookaside lists, DPC data and stacks, the timer table, the dispatcher
 * ready lists, the DPC/timer objects a processor owns, cache descriptors,
 * counters, the Context/ExtendedState buffers and the ISR stack — the fields
 * analysts and debugger extensions read (`!prcb`, `!pcr`, `!dpcs`, `!timer`,
 * `!ready`), filled with the values a running Windows 10 machine shows.
 */
export interface PcrInputs {
  index: number;
  processors: number;
  pcr: bigint;
  prcb: bigint;
  idleThread: KernelThread;
  currentThread: KernelThread;
  irql: number;
  directoryTableBase: bigint;
  gdt: bigint;
  tss: bigint;
  idt: bigint;
  dpcStack: KernelStack;
  isrStack: KernelStack;
  /** CONTEXT buffer (KPRCB.Context) and the XSAVE area before it (KPRCB.ExtendedState). */
  contextBuffer: bigint;
  extendedState: bigint;
  /** The hyperthread sibling's KPRCB (processors pair up 0–1, 2–3, …). */
  pairPrcb: bigint;
  /** Per-processor lookaside lists (16 GENERAL_LOOKASIDE, 0x80 bytes each) in nonpaged pool. */
  perProcessorLookasides: bigint;
  /** ListEntry neighbours of this processor's 96 pool lookaside lists on ExPoolLookasideListHead. */
  lookasideLinks(list: number): { flink: bigint; blink: bigint };
  ntCode(label: string): bigint;
  ntData(label: string, size: number): bigint;
  random: SeededRandom;
  mhz: number;
  /** 100 ns units since boot (for tick and time counters). */
  upTime: bigint;
}

const GENERAL_LOOKASIDE_POOL_SIZE = 0x60;
const GENERAL_LOOKASIDE_SIZE = 0x80;
const NON_PAGED_POOL_NX = 0x200;
const PAGED_POOL = 1;
/** FeatureBits of a current x64 processor (the genuine 19041 dump's value). */
const FEATURE_BITS = 0x000f_8027_383b_3dffn;

/** KDPC fields: Type, Importance, Number, DeferredRoutine, DeferredContext. */
export function writeKdpc(w: BlockWriter, at: number, routine: bigint, context: bigint, number: number): void {
  w.u8(at, DpcObject)
    .u8(at + 1, 1)
    .u16(at + 2, number);
  w.u64(at + 0x18, routine).u64(at + 0x20, context);
}

export function buildPcr(i: PcrInputs): Uint8Array {
  const w = new BlockWriter(i.pcr, KPCR_SIZE);
  const r = i.random;
  const pb = C.Prcb;
  const ticks = Number(i.upTime / 156_250n);
  // ---- KPCR
  w.u64(C.GdtBase, i.gdt).u64(C.TssBase, i.tss).u64(C.Self, i.pcr).u64(C.CurrentPrcb, i.prcb);
  w.u64(C.LockArray, i.prcb + BigInt(P.LockQueue)).u64(C.IdtBase, i.idt);
  w.u8(C.Irql, i.irql).u8(C.SecondLevelCacheAssociativity, 16).u8(C.ObsoleteNumber, i.index);
  w.u16(C.MajorVersion, 1).u16(C.MinorVersion, 1).u32(C.StallScaleFactor, i.mhz);
  w.u32(C.SecondLevelCacheSize, 0x10_0000);
  // ---- KPRCB: identity, threads, CPU
  w.u32(pb + P.MxCsr, 0x1f80).u8(pb + P.LegacyNumber, i.index);
  w.u64(pb + P.CurrentThread, i.currentThread.ethread).u64(pb + P.IdleThread, i.idleThread.ethread);
  w.u8(pb + P.ClockOwner, i.index === 0 ? 1 : 0).u32(pb + P.Number, i.index);
  w.u64(pb + P.RspBase, i.currentThread.initialStack);
  w.u64(pb + P.PriorityState, i.prcb + BigInt(P.LocalSharedReadyQueue + 0x210));
  w.u8(pb + P.CpuType, 6)
    .u8(pb + P.CpuID, 1)
    .u8(pb + P.CpuStep, 0x0d)
    .u8(pb + P.CpuStep + 1, 0x9e);
  w.u32(pb + P.Mhz, i.mhz);
  w.u16(pb + P.MinorVersion, 1)
    .u16(pb + P.MajorVersion, 1)
    .u8(pb + P.BuildType, 0);
  w.u8(pb + P.CpuVendor, 2); // CPU_INTEL
  w.u8(pb + P.CoresPerPhysicalProcessor, Math.max(1, i.processors >> 1)).u8(pb + P.LogicalProcessorsPerCore, 2);
  w.u64(pb + P.TscFrequency, BigInt(i.mhz) * 1_000_000n);
  w.u64(pb + P.ParentNode, i.ntData('KiNodeInit', 0x200));
  w.u64(pb + P.GroupSetMember, 1n << BigInt(i.index)).u8(pb + P.GroupIndex, i.index);
  w.u32(pb + P.InitialApicId, i.index)
    .u32(pb + P.ApicMask, 0xffff_fffe)
    .u32(pb + P.CFlushSize, 0x40);
  w.u8(pb + P.BpbState + 1, 0x06); // BpbEnabled | BpbSmep
  // ---- ProcessorState.SpecialRegisters (KSPECIAL_REGISTERS)
  const sr = pb + P.ProcessorStateSpecialRegisters;
  w.u64(sr + 0x00, 0x8005_0033n); // Cr0: PE MP ET NE WP AM PG
  w.u64(sr + 0x10, i.directoryTableBase); // Cr3
  w.u64(sr + 0x18, 0x0035_0ef8n); // Cr4 (the genuine dump's)
  w.u64(sr + 0x40, 0xffff_0ff0n).u64(sr + 0x48, 0x400n); // KernelDr6, KernelDr7
  w.u16(sr + 0x56, 0x57).u64(sr + 0x58, i.gdt); // Gdtr
  w.u16(sr + 0x66, 0xfff).u64(sr + 0x68, i.idt); // Idtr
  w.u16(sr + 0x70, GDT_SELECTORS.Tss).u32(sr + 0x74, 0x1f80);
  w.u64(sr + 0xa8, i.pcr); // MsrGsBase
  w.u64(sr + 0xb8, 0x0023_0010_0000_0000n); // MsrStar: user CS 0x23, kernel CS 0x10
  w.u64(sr + 0xc0, i.ntCode('KiSystemCall64')).u64(sr + 0xc8, i.ntCode('KiSystemCall32'));
  w.u64(sr + 0xd0, 0x4700n).u64(sr + 0xd8, 7n); // MsrSyscallMask, Xcr0 (x87 | SSE | AVX)
  w.u32(pb + P.ProcessorSignature, 0x0009_06ed);
  // ---- Queued spinlocks: each LockQueue entry points at its global lock.
  const locks = i.ntData('KiQueuedSpinLocks', 17 * 8);
  for (let k = 0; k < 17; k++) w.u64(pb + P.LockQueue + k * 16 + 8, locks + BigInt(k * 8));
  // ---- Lookaside lists
  const systemLookasides = i.ntData('ExpSystemLookasides', 16 * GENERAL_LOOKASIDE_SIZE);
  for (let k = 0; k < 16; k++) {
    w.u64(pb + P.PPLookasideList + k * 16, i.perProcessorLookasides + BigInt(k * GENERAL_LOOKASIDE_SIZE));
    w.u64(pb + P.PPLookasideList + k * 16 + 8, systemLookasides + BigInt(k * GENERAL_LOOKASIDE_SIZE));
  }
  const allocateEx = i.ntCode('ExAllocatePoolWithTag');
  const freeEx = i.ntCode('ExFreePool');
  const pools = [
    { at: P.PPNxPagedLookasideList, type: NON_PAGED_POOL_NX },
    { at: P.PPNPagedLookasideList, type: NON_PAGED_POOL_NX },
    { at: P.PPPagedLookasideList, type: PAGED_POOL },
  ];
  pools.forEach((pool, p) => {
    for (let k = 0; k < 32; k++) {
      const at = pb + pool.at + k * GENERAL_LOOKASIDE_POOL_SIZE;
      const allocates = r.below(0x4000);
      w.u16(at + 0x10, 4).u16(at + 0x12, 0x100); // Depth, MaximumDepth
      w.u32(at + 0x14, allocates).u32(at + 0x18, allocates >> 3); // TotalAllocates, AllocateMisses
      w.u32(at + 0x1c, allocates - r.below(8)).u32(at + 0x20, allocates >> 4);
      w.u32(at + 0x24, pool.type)
        .u32(at + 0x28, 0x4c6f_6f50)
        .u32(at + 0x2c, (k + 1) * 16); // Type, Tag 'PooL', Size
      w.u64(at + 0x30, allocateEx).u64(at + 0x38, freeEx);
      const links = i.lookasideLinks(p * 32 + k);
      w.link(at + 0x40, links.flink, links.blink);
      w.u32(at + 0x50, allocates);
    }
  });
  // ---- Memory manager, I/O and system call counters
  const counter = (at: number, scale: number): void => {
    w.u32(pb + at, Math.min(0xffff_ffff, Math.floor(ticks * scale) + r.below(0x100)));
  };
  counter(P.MmPageFaultCount, 3);
  counter(P.KeSystemCalls, 40);
  counter(P.KeContextSwitches, 6);
  counter(P.IoReadOperationCount, 0.4);
  w.u64(pb + P.IoReadTransferCount, BigInt(ticks) * 0x2000n + BigInt(r.below(0x10000)));
  w.u64(pb + P.PairPrcb, i.pairPrcb);
  for (let k = 0; k < 4; k++) w.u16(pb + P.StaticAffinity + k * 0xa8, 1).u16(pb + P.StaticAffinity + k * 0xa8 + 2, 20);
  // ---- DPC data and the DPC stack
  for (let k = 0; k < 2; k++) w.u32(pb + P.DpcData + k * 0x28 + 0x1c, Math.floor(ticks / (k + 2)) + r.below(0x40));
  w.u64(pb + P.DpcStack, i.dpcStack.base);
  w.u32(pb + P.MaximumDpcQueueDepth, 4)
    .u32(pb + P.MinimumDpcRate, 3)
    .u8(pb + P.ThreadDpcEnable, 1);
  w.u32(pb + P.LastTick, ticks).u32(pb + P.ClockInterrupts, ticks + r.below(0x100));
  // ---- Timer table: every list of TimerEntries[256][2] empty, with its due time.
  for (let k = 0; k < 512; k++) {
    const at = pb + P.TimerTableEntries + k * 0x20;
    w.listHead(at + 8);
    w.u64(at + 0x18, BigInt(ticks + k) * 156_250n + BigInt(r.below(0x10000)));
  }
  // ---- Dispatcher objects the processor owns
  w.dispatcherHeader(pb + P.DpcGate, GateObject, 0);
  writeKdpc(w, pb + P.CallDpc, 0n, 0n, i.index);
  w.u32(pb + P.DpcWatchdogPeriod, 0x1e00).u32(pb + P.DpcWatchdogPeriod + 4, 0x1e00);
  w.listHead(pb + P.WaitListHead);
  w.u32(pb + P.QueueIndex, 1);
  writeKdpc(w, pb + P.TimerExpirationDpc, i.ntCode('KiTimerExpirationDpc'), 0n, i.index);
  w.listHeads(pb + P.DispatcherReadyListHead, 32);
  w.u32(pb + P.InterruptCount, ticks * 3 + r.below(0x100)).u32(pb + P.KernelTime, ticks >> 1);
  w.u32(pb + P.DpcTime, ticks >> 6).u32(pb + P.InterruptTime, ticks >> 7);
  w.u32(pb + P.AdjustDpcThreshold, 20).u32(pb + P.DpcTimeLimit, 0x500);
  w.u64(pb + P.CycleTime, BigInt(ticks) * BigInt(i.mhz) * 15_625n);
  w.listHead(pb + P.ScbList);
  writeKdpc(w, pb + P.ForceIdleDpc, 0n, 0n, i.index);
  writeKdpc(w, pb + P.DpcWatchdogDpc, i.ntCode('KiDpcWatchdog'), 0n, i.index);
  const timer = pb + P.DpcWatchdogTimer;
  w.dispatcherHeader(timer, TimerNotificationObject, 0);
  w.u64(timer + 0x18, BigInt(ticks + 0x100) * 156_250n);
  w.listHead(timer + 0x20);
  w.u64(timer + 0x30, i.prcb + BigInt(P.DpcWatchdogDpc)).u32(timer + 0x38, i.index);
  // ---- Caches: L1 data, L1 instruction, L2, L3 (CACHE_DESCRIPTOR: Level, Associativity, LineSize, Size, Type)
  const caches: [number, number, number, number][] = [
    [1, 8, 0x8000, 2],
    [1, 8, 0x8000, 1],
    [2, 4, 0x4_0000, 0],
    [3, 16, 0x80_0000, 0],
  ];
  caches.forEach(([level, ways, size, type], k) => {
    const at = pb + P.Cache + k * 12;
    w.u8(at, level)
      .u8(at + 1, ways)
      .u16(at + 2, 64)
      .u32(at + 4, size)
      .u32(at + 8, type);
  });
  w.u32(pb + P.CacheCount, caches.length);
  const all = (1n << BigInt(i.processors)) - 1n;
  w.u16(pb + P.PackageProcessorSet, 1)
    .u16(pb + P.PackageProcessorSet + 2, 20)
    .u64(pb + P.PackageProcessorSet + 8, all);
  w.u64(pb + P.CoreProcessorSet, 3n << BigInt(i.index & ~1)).u64(pb + P.LLCMask, all);
  w.u64(pb + P.FsCounters, BigInt(ticks) * 0x1_2000n).u64(pb + P.FsCounters + 8, BigInt(ticks) * 0x4000n);
  // ---- CPU identity, context buffers, ISR stack, entropy
  w.ascii(pb + P.VendorString, 'GenuineIntel');
  w.u64(pb + P.FeatureBits, FEATURE_BITS).u64(pb + P.UpdateSignature, 0xde_0000_0000n);
  w.u64(pb + P.Context, i.contextBuffer).u32(pb + P.ContextFlagsInit, 0x10_004b);
  w.u64(pb + P.ExtendedState, i.extendedState).u64(pb + P.IsrStack, i.isrStack.base);
  for (let k = 0; k < 0x100; k += 4) w.u32(pb + P.EntropyTimingState + k, r.nextU32());
  writeKdpc(w, pb + P.AbDpc, 0n, 0n, i.index);
  const srq = pb + P.LocalSharedReadyQueue;
  w.listHeads(srq + 0x10, 32);
  w.u8(srq + 0x250, 1)
    .u8(srq + 0x253, 1)
    .u64(srq + 0x268, 1n << BigInt(i.index));
  for (let k = 0; k < 16; k++) {
    const at = pb + P.TimerExpirationTrace + k * 16;
    w.u64(at, (BigInt(ticks - 16 + k) * 156_250n) & 0xffff_ffff_ffffn).u64(at + 8, BigInt(ticks - 16 + k) * 10_000n);
  }
  w.u64(pb + P.Mailbox, i.prcb + BigInt(P.RequestMailbox));
  return w.bytes;
}

/** GDT (0x58 bytes, limit 0x57) of an x64 Windows kernel: null, R0 code/data, R3 compat code, R3 data/code, TSS, R3 compat TEB. */
export function buildGdt(tss: bigint): Uint8Array {
  const w = new BlockWriter(0n, 0x58);
  w.u64(GDT_SELECTORS.R0Code, 0x0020_9b00_0000_0000n);
  w.u64(GDT_SELECTORS.R0Data, 0x00cf_9300_0000_ffffn);
  w.u64(0x20, 0x00cf_fb00_0000_ffffn); // KGDT64_R3_CMCODE
  w.u64(0x28, 0x00cf_f300_0000_ffffn); // KGDT64_R3_DATA
  w.u64(0x30, 0x0020_fb00_0000_0000n); // KGDT64_R3_CODE
  const low =
    0x67n |
    ((tss & 0xff_ffffn) << 16n) |
    (0x8bn << 40n) | // present, busy 64-bit TSS
    (((tss >> 24n) & 0xffn) << 56n);
  w.u64(GDT_SELECTORS.Tss, low).u64(GDT_SELECTORS.Tss + 8, tss >> 32n);
  w.u64(0x50, 0x0040_f300_0000_3c00n); // KGDT64_R3_CMTEB
  return w.bytes;
}

/** A 64-bit TSS (0x68 bytes): Rsp0 and the interrupt stacks (IST 1–3 for double fault, NMI, machine check). */
export function buildTss(rsp0: bigint, ist: bigint): Uint8Array {
  const w = new BlockWriter(0n, 0x68);
  w.u64(0x4, rsp0);
  for (let k = 1; k <= 3; k++) w.u64(0x24 + (k - 1) * 8, ist);
  w.u16(0x66, 0x68);
  return w.bytes;
}

/** Interrupt vectors the IDT names (the rest go to the unexpected-interrupt handler). */
const IDT_HANDLERS: ReadonlyMap<number, string> = new Map([
  [0x00, 'KiDivideErrorFault'],
  [0x01, 'KiDebugTrapOrFault'],
  [0x02, 'KiNmiInterrupt'],
  [0x03, 'KiBreakpointTrap'],
  [0x04, 'KiOverflowTrap'],
  [0x05, 'KiBoundFault'],
  [0x06, 'KiInvalidOpcodeFault'],
  [0x07, 'KiNpxNotAvailableFault'],
  [0x08, 'KiDoubleFaultAbort'],
  [0x0a, 'KiInvalidTssFault'],
  [0x0b, 'KiSegmentNotPresentFault'],
  [0x0c, 'KiStackFault'],
  [0x0d, 'KiGeneralProtectionFault'],
  [0x0e, 'KiPageFault'],
  [0x10, 'KiFloatingErrorFault'],
  [0x11, 'KiAlignmentFault'],
  [0x12, 'KiMcheckAbort'],
  [0x13, 'KiXmmException'],
  [0x1f, 'KiApcInterrupt'],
  [0x29, 'KiRaiseSecurityCheckFailure'],
  [0x2c, 'KiRaiseAssertion'],
  [0x2d, 'KiDebugServiceTrap'],
  [0x2f, 'KiDpcInterrupt'],
  [0xe1, 'KiIpiInterrupt'],
]);

/** The IDT (256 interrupt gates, 0x1000 bytes) pointing into ntoskrnl. */
export function buildIdt(ntCode: (label: string) => bigint): Uint8Array {
  const w = new BlockWriter(0n, 0x1000);
  const unexpected = ntCode('KiUnexpectedInterrupt');
  for (let v = 0; v < 256; v++) {
    const name = IDT_HANDLERS.get(v);
    const handler = name ? ntCode(name) : unexpected;
    const ist = v === 0x08 ? 1 : v === 0x02 ? 2 : v === 0x12 ? 3 : 0;
    const dpl = v === 0x03 || v === 0x04 || v === 0x29 || v === 0x2c || v === 0x2d ? 3 : 0;
    const low =
      (handler & 0xffffn) |
      (BigInt(GDT_SELECTORS.R0Code) << 16n) |
      (BigInt(ist) << 32n) |
      (BigInt(0x8e | (dpl << 5)) << 40n) |
      (((handler >> 16n) & 0xffffn) << 48n);
    w.u64(v * 16, low).u64(v * 16 + 8, handler >> 32n);
  }
  return w.bytes;
}
