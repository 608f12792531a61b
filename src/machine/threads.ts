import type { AddressSpace } from './addressSpace.js';
import { BlockWriter } from './blockWriter.js';
import { ETHREAD_BLOCK_SIZE, KERNEL_STACK_PAGES } from './layout.js';
import {
  KTHREAD_OFFSETS as T,
  ThreadObject,
  ThreadStateRunning,
  ThreadStateWaiting,
  TimerNotificationObject,
  WaitReason,
} from './ntStructures.js';
import type { PhysicalMemory } from './physical.js';
import type { SeededRandom } from './random.js';
import type { VirtualMemory } from './virtualMemory.js';

const PAGE = 0x1000;
/** Stacks are spaced so that an unmapped guard page sits below each one. */
export const STACK_STRIDE = BigInt((KERNEL_STACK_PAGES + 2) * PAGE);
/**
 * InitialStack sits this far below StackBase (the genuine 19041 dump:
 * StackBase …3000, InitialStack …2C90): the area above it holds the
 * thread's KERNEL_STACK_CONTROL and extended-state save area.
 */
export const INITIAL_STACK_RESERVE = 0x370n;
/** Stack slots of the kernel stack region: idle threads, worker threads, DPC stacks, ISR stacks (64 of each). */
export const StackSlot = { idle: 0, worker: 64, dpc: 128, isr: 192 } as const;

export interface KernelStack {
  /** Top (exclusive). */
  readonly base: bigint;
  /** Lowest mapped address. */
  readonly limit: bigint;
}

/** Maps a 6-page nonpaged stack (with an unmapped guard page below it) at slot `slot` of the stack region. */
export function mapKernelStack(
  physical: PhysicalMemory,
  space: AddressSpace,
  kernelStackBase: bigint,
  slot: number,
): KernelStack {
  const limit = kernelStackBase + BigInt(slot) * STACK_STRIDE + BigInt(PAGE);
  const base = limit + BigInt(KERNEL_STACK_PAGES * PAGE);
  for (let va = limit; va < base; va += BigInt(PAGE)) {
    space.map4K(va, physical.allocateFrame('kernel') << 12n, { writable: true, noExecute: true });
  }
  return { base, limit };
}

export type ThreadKind = 'idle' | 'worker';

/** A kernel thread of the model: its ETHREAD and its kernel stack. */
export interface KernelThread {
  readonly kind: ThreadKind;
  readonly processorIndex: number;
  readonly ethread: bigint;
  readonly stack: KernelStack;
  /** Where its first frame starts (StackBase − INITIAL_STACK_RESERVE). */
  readonly initialStack: bigint;
  readonly process: bigint;
  readonly processId: number;
  readonly threadId: number;
  /** The routine it was started at (ETHREAD.StartAddress / Win32StartAddress). */
  readonly startAddress: bigint;
  readonly createTime: bigint;
}

export interface ThreadState {
  running: boolean;
  /** KTHREAD.KernelStack: rsp saved at its last switch (any address on its stack when running). */
  kernelStack: bigint;
  processor: number;
}

export interface ThreadDeps {
  memory: VirtualMemory;
  random: SeededRandom;
  /** An ntoskrnl routine's address. */
  code(label: string): bigint;
}

/**
 * Writes the whole ETHREAD of `thread` (0x898 bytes, the 19041 layout): the
 * dispatcher header, stack bounds, ApcState and its process, wait blocks and
 * timer, list heads, affinity, times, Cid, start addresses, and the thread's
 * links into its process's two thread lists (`links`). Fields the model has
 * no use for stay zero, as in a thread that never did that.
 */
export function writeThread(
  deps: ThreadDeps,
  thread: KernelThread,
  state: ThreadState,
  links: { kthread: { flink: bigint; blink: bigint }; ethread: { flink: bigint; blink: bigint } },
): void {
  const r = deps.random;
  const w = new BlockWriter(thread.ethread, ETHREAD_BLOCK_SIZE);
  w.dispatcherHeader(T.Type, ThreadObject, 0x28);
  w.u64(0x20, BigInt(0x9c00_0000 + r.below(0x100_0000))); // QuantumTarget
  w.u64(T.InitialStack, thread.initialStack);
  w.u64(T.StackLimit, thread.stack.limit);
  w.u64(T.StackBase, thread.stack.base);
  w.u64(T.CycleTime, BigInt(0x4000_0000 + r.below(0x4000_0000)));
  w.u32(0x50, r.below(0x20_0000)); // CurrentRunTime
  w.u64(T.KernelStack, state.kernelStack);
  w.u64(0x60, thread.initialStack + 0x30n); // StateSaveArea
  w.u32(0x70, 0x100); // WaitRegister: the thread waits with a wait block registered
  w.u8(T.Running, state.running ? 1 : 0);
  w.u32(T.MiscFlags, 0x0000_4409); // AutoAlignment, Alertable … as a system thread has them
  w.u32(T.ThreadFlags, 0x0003_0044);
  w.listHeads(T.ApcStateListHead, 2);
  w.u64(T.ApcStateProcess, thread.process);
  w.u8(T.Priority, thread.kind === 'idle' ? 0 : 13);
  w.u64(T.WaitBlockList, thread.ethread + BigInt(T.WaitBlock));
  w.listHead(T.WaitListEntry);
  // The thread's own timer (KTIMER: DueTime, TimerListEntry, Processor) and its four wait blocks (KWAIT_BLOCK 0x30:
  // WaitListEntry, WaitType/BlockState/WaitKey, Thread at +0x18, Object at +0x20).
  w.dispatcherHeader(T.Timer, TimerNotificationObject, 0xa2);
  w.u64(T.Timer + 0x18, BigInt(0x2880_0000 + r.below(0x10_0000)));
  w.listHead(T.Timer + 0x20);
  w.u32(T.Timer + 0x38, state.processor);
  for (let k = 0; k < 4; k++) {
    const block = T.WaitBlock + k * 0x30;
    w.u8(block + 0x10, 1)
      .u8(block + 0x11, 4)
      .u16(block + 0x12, k); // WaitAny, BlockState, WaitKey
    w.u64(block + 0x18, thread.ethread);
  }
  w.u64(T.WaitBlock + 3 * 0x30 + 0x20, thread.ethread + BigInt(T.Timer)); // WaitBlock[3] waits on the timer
  w.u32(T.ContextSwitches, 0x100 + r.below(0x4000));
  w.u8(T.State, state.running ? ThreadStateRunning : ThreadStateWaiting);
  w.u8(T.WaitMode, 0);
  w.u32(T.WaitTime, r.below(0x10000));
  w.u32(T.NextProcessor, state.processor);
  w.u64(T.Process, thread.process);
  w.u64(T.UserAffinity, thread.kind === 'idle' ? 1n << BigInt(thread.processorIndex) : 0xffffn);
  w.u8(T.BasePriority, thread.kind === 'idle' ? 0 : 13);
  w.u64(T.Affinity, thread.kind === 'idle' ? 1n << BigInt(thread.processorIndex) : 0xffffn);
  w.u32(T.IdealProcessor, thread.processorIndex);
  w.u64(0x238, 0x40n); // AffinityVersion
  w.u64(0x250, 4n); // NpxState
  w.listHeads(T.SavedApcStateListHead, 2);
  w.u8(T.WaitReason, thread.kind === 'idle' ? WaitReason.Executive : WaitReason.WrQueue);
  w.u32(T.KernelTime, r.below(0x8000));
  // SchedulerApc (KAPC): Type 0x12, Size 0x58, Thread, the kernel's scheduler APC routines.
  w.u8(0x288, 0x12).u8(0x28a, 0x58).u64(0x290, thread.ethread);
  w.u64(0x2a8, deps.code('KiSchedulerApcTerminate')).u64(0x2b0, deps.code('KiSchedulerApcTerminate'));
  w.u64(0x2b8, deps.code('KiSchedulerApc')).u64(0x2c0, thread.ethread);
  w.dispatcherHeader(T.SuspendEvent, 1, 6);
  w.link(T.ThreadListEntry, links.kthread.flink, links.kthread.blink);
  w.listHead(T.MutantListHead);
  w.u8(0x318, 0x3f); // AbEntrySummary: all six lock entries free
  w.u64(0x320, thread.ethread + BigInt(T.LockEntries));
  w.u64(0x3e0, BigInt(r.below(0x100))); // KernelWaitTime
  // ETHREAD
  w.u64(T.CreateTime, thread.createTime);
  w.listHead(T.KeyedWaitChain);
  w.u64(T.StartAddress, thread.startAddress);
  w.listHead(T.ActiveTimerListHead);
  w.u64(T.Cid, BigInt(thread.processId));
  w.u64(T.Cid + 8, BigInt(thread.threadId));
  w.dispatcherHeader(T.KeyedWaitSemaphore, 5, 8);
  w.listHead(T.IrpList);
  w.u32(0x508, 7); // ReadClusterSize
  w.u64(T.Win32StartAddress, thread.startAddress);
  w.link(T.EThreadListEntry, links.ethread.flink, links.ethread.blink);
  w.u32(T.CrossThreadFlags, 0x5402); // ThreadInserted, system-thread I/O and page priorities
  w.u32(T.SameThreadPassiveFlags, thread.kind === 'worker' ? 1 : 0); // ActiveExWorker
  w.listHeads(T.BoostList, 2);
  w.listHead(T.PropertySet);
  w.listHead(T.OwnerEntryListHead);
  w.listHead(T.DisownedOwnerEntryListHead);
  for (let i = 0; i < 6; i++) {
    // KLOCK_ENTRY[6]: EntryOffset (its index), empty SessionState marker.
    const e = T.LockEntries + i * 0x60;
    w.u8(e + 0x18, 0x65 + i * 6);
    w.u32(e + 0x28, 0xffff_ffff);
  }
  deps.memory.writeUnguarded(thread.ethread, w.bytes);
}
