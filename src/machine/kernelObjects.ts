import type { AddressSpace } from './addressSpace.js';
import { KERNEL_ROUTINE_FRAMES, writeCallChain, type ChainOptions, type ChainResult } from './callStack.js';
import { EPROCESS_BLOCK_SIZE, ETHREAD_BLOCK_SIZE, KPCR_SIZE } from './layout.js';
import type { ImageRoutine, ModuleList } from './modules.js';
import { EPROCESS_OFFSETS, KPCR_OFFSETS, KPRCB_OFFSETS, KTHREAD_OFFSETS } from './ntStructures.js';
import type { PhysicalMemory } from './physical.js';
import { buildGdt, buildIdt, buildPcr, buildTss } from './prcb.js';
import { circularLinks, writeProcess } from './processes.js';
import { MachineProcessor, kernelContext, storeProcessorContext } from './processors.js';
import type { SeededRandom } from './random.js';
import {
  INITIAL_STACK_RESERVE,
  StackSlot,
  mapKernelStack,
  writeThread,
  type KernelStack,
  type KernelThread,
} from './threads.js';
import type { LoadedModule } from './types.js';
import type { VirtualMemory } from './virtualMemory.js';
import { STANDARD_FRAME, type NonVolatileRegister } from './x64Code.js';

/** Offset of the CONTEXT inside its page (the XSAVE area, KPRCB.ExtendedState, comes first), as in the genuine dump. */
export const CONTEXT_BUFFER_OFFSET = 0x340n;
/** Thread ids of the per-processor worker threads: 0x108, 0x10C, … (the genuine dump's crashing worker is 0x108). */
const FIRST_WORKER_THREAD_ID = 0x108;
export const SYSTEM_PROCESS_ID = 4;
const PROCESSOR_MHZ = 3600;

/** How the machine reaches ntoskrnl's routines and globals and its other services. */
export interface KernelObjectsDeps {
  physical: PhysicalMemory;
  space: AddressSpace;
  memory: VirtualMemory;
  modules: ModuleList;
  ntoskrnl: LoadedModule;
  random: SeededRandom;
  kernelStackBase: bigint;
  allocatePages(pages: number): bigint;
  allocatePool(bytes: number, tag: string): bigint;
  processors: number;
  systemTime: bigint;
  systemUpTime: bigint;
  directoryTableBase: bigint;
  activeProcessHead: bigint;
}

/** ntoskrnl's code and data, with the realistic frames of the routines that appear on stacks. */
export class Ntoskrnl {
  constructor(
    private readonly modules: ModuleList,
    readonly module: LoadedModule,
  ) {}

  code(label: string): bigint {
    return this.modules.codeAddress(this.module, label, KERNEL_ROUTINE_FRAMES[label] ?? STANDARD_FRAME);
  }

  routine(label: string): ImageRoutine {
    return this.modules.routineAt(this.code(label))!.routine;
  }

  data(label: string, size: number): bigint {
    return this.modules.dataAddress(this.module, label, size);
  }
}

export interface KernelObjects {
  processors: MachineProcessor[];
  systemProcess: bigint;
  idleProcess: bigint;
}

/** Chain of a waiting system worker thread, outermost first (it sleeps in KiSwapThread → KiSwapContext). */
export const WORKER_WAIT_CHAIN = [
  'KiStartSystemThread',
  'PspSystemThreadStartup',
  'ExpWorkerThread',
  'KeRemovePriQueue',
  'KiCommitThreadWait',
  'KiSwapThread',
] as const;
/** Chain of a processor resting in its idle loop (its context is inside PpmIdleExecuteTransition). */
export const IDLE_CHAIN = ['KiIdleLoop', 'PoIdle', 'PpmIdleExecuteTransition'] as const;

/**
 * Builds the kernel's processes, threads and processors: the System process
 * (PID 4, linked from PsActiveProcessHead) with one worker thread per
 * processor, the Idle process (PID 0, not on the list) with the idle
 * threads, and per processor a KPCR/KPRCB, GDT/TSS/IDT, CONTEXT buffer, DPC
 * and ISR stacks, an idle stack resting in the idle loop and a worker stack
 * waiting for work — every stack a chain of real frames (callStack.ts).
 */
export function createKernelObjects(d: KernelObjectsDeps): KernelObjects {
  const nt = new Ntoskrnl(d.modules, d.ntoskrnl);
  const r = d.random;
  const bootTime = d.systemTime - d.systemUpTime;
  const systemProcess = d.allocatePages(Math.ceil(EPROCESS_BLOCK_SIZE / 0x1000));
  const idleProcess = d.allocatePages(Math.ceil(EPROCESS_BLOCK_SIZE / 0x1000));
  const stack = (slot: number): KernelStack => mapKernelStack(d.physical, d.space, d.kernelStackBase, slot);
  const thread = (kind: 'idle' | 'worker', index: number): KernelThread => {
    const s = stack((kind === 'idle' ? StackSlot.idle : StackSlot.worker) + index);
    return {
      kind,
      processorIndex: index,
      ethread: d.allocatePages(Math.ceil(ETHREAD_BLOCK_SIZE / 0x1000)),
      stack: s,
      initialStack: s.base - INITIAL_STACK_RESERVE,
      process: kind === 'idle' ? idleProcess : systemProcess,
      processId: kind === 'idle' ? 0 : SYSTEM_PROCESS_ID,
      threadId: kind === 'idle' ? 0 : FIRST_WORKER_THREAD_ID + index * 4,
      startAddress: nt.code(kind === 'idle' ? 'KiIdleLoop' : 'ExpWorkerThread'),
      createTime: bootTime + BigInt(kind === 'idle' ? 0 : 2_000_000 + index * 1000),
    };
  };

  interface Parts {
    index: number;
    pcr: bigint;
    idle: KernelThread;
    worker: KernelThread;
    contextPage: bigint;
    descriptors: bigint;
    dpcStack: KernelStack;
    isrStack: KernelStack;
    lookasides: bigint;
  }
  const parts: Parts[] = [];
  for (let i = 0; i < d.processors; i++) {
    const pcr = d.allocatePages(Math.ceil(KPCR_SIZE / 0x1000));
    parts.push({
      index: i,
      pcr,
      idle: thread('idle', i),
      worker: thread('worker', i),
      contextPage: d.allocatePages(1),
      descriptors: d.allocatePages(2),
      dpcStack: stack(StackSlot.dpc + i),
      isrStack: stack(StackSlot.isr + i),
      lookasides: d.allocatePool(16 * 0x80, 'LooP'),
    });
  }
  const prcbOf = (i: number): bigint => parts[i]!.pcr + BigInt(KPCR_OFFSETS.Prcb);

  // Processes and their thread lists. The System token: an opaque nonpaged block (EX_FAST_REF with references in the low bits).
  const systemToken = d.allocatePool(0x4a0, 'Toke');
  writeProcess(d.memory, r, {
    eprocess: systemProcess,
    processId: SYSTEM_PROCESS_ID,
    parentId: 0,
    imageFileName: 'System',
    directoryTableBase: d.directoryTableBase,
    activeLinks: { flink: d.activeProcessHead, blink: d.activeProcessHead },
    threads: parts.map((p) => p.worker.ethread),
    createTime: bootTime,
    processors: d.processors,
    objectTable: 0n,
    token: systemToken | 0xen,
    quotaBlock: nt.data('PspDefaultQuotaBlock', 0x80),
  });
  const idleLinks = idleProcess + BigInt(EPROCESS_OFFSETS.ActiveProcessLinks);
  writeProcess(d.memory, r, {
    eprocess: idleProcess,
    processId: 0,
    parentId: 0,
    imageFileName: 'Idle',
    directoryTableBase: d.directoryTableBase,
    activeLinks: { flink: idleLinks, blink: idleLinks },
    threads: parts.map((p) => p.idle.ethread),
    createTime: 0n,
    processors: d.processors,
    objectTable: 0n,
    token: 0n,
    quotaBlock: nt.data('PspDefaultQuotaBlock', 0x80),
  });
  const threadLinks = (process: bigint, threads: readonly KernelThread[]) => ({
    k: circularLinks(
      process + BigInt(EPROCESS_OFFSETS.KThreadListHead),
      threads.map((t) => t.ethread + BigInt(KTHREAD_OFFSETS.ThreadListEntry)),
    ).entries,
    e: circularLinks(
      process + BigInt(EPROCESS_OFFSETS.ThreadListHead),
      threads.map((t) => t.ethread + BigInt(KTHREAD_OFFSETS.EThreadListEntry)),
    ).entries,
  });
  const workerLinks = threadLinks(
    systemProcess,
    parts.map((p) => p.worker),
  );
  const idleThreadLinks = threadLinks(
    idleProcess,
    parts.map((p) => p.idle),
  );

  // Every pool lookaside list of every processor on ExPoolLookasideListHead.
  const lookasideHead = nt.data('ExPoolLookasideListHead', 16);
  const lookasideEntries: bigint[] = [];
  const listOffsets = [
    KPRCB_OFFSETS.PPNxPagedLookasideList,
    KPRCB_OFFSETS.PPNPagedLookasideList,
    KPRCB_OFFSETS.PPPagedLookasideList,
  ];
  for (let i = 0; i < d.processors; i++) {
    for (const base of listOffsets) {
      for (let k = 0; k < 32; k++) lookasideEntries.push(prcbOf(i) + BigInt(base + k * 0x60 + 0x40));
    }
  }
  const lookasideLinks = circularLinks(lookasideHead, lookasideEntries);
  d.memory.writeUnguarded(lookasideHead, u64Pair(lookasideLinks.head.flink, lookasideLinks.head.blink));

  const processors: MachineProcessor[] = [];
  for (const p of parts) {
    const prcb = prcbOf(p.index);
    const idt = p.descriptors;
    const tss = p.descriptors + 0x1e00n;
    const gdt = p.descriptors + 0x1f00n;
    d.memory.writeUnguarded(
      idt,
      buildIdt((label) => nt.code(label)),
    );
    d.memory.writeUnguarded(tss, buildTss(p.idle.initialStack, p.isrStack.base));
    d.memory.writeUnguarded(gdt, buildGdt(tss));

    // The idle thread rests in the idle loop (its context is the processor's); the worker waits for work.
    const values = stackValues(r, prcb, p.idle);
    const idle = chain(d, nt, p.idle, IDLE_CHAIN, { kind: 'inside' }, values);
    const context = { ...kernelContext(), Rsp: idle.rsp, Rip: idle.rip, ...registersOf(idle) };
    context.Rax = BigInt(r.below(0x100));
    context.Rcx = prcb;
    context.Rdx = BigInt(r.below(0x20));
    context.R8 = BigInt(r.below(0x10000));
    context.R9 = BigInt(r.below(0x100));
    context.R10 = idle.frames[idle.frames.length - 1]!.returnAddress;
    context.R11 = idle.rsp - 0x40n;
    const workerValues = stackValues(r, prcb, p.worker);
    const wait = chain(
      d,
      nt,
      p.worker,
      WORKER_WAIT_CHAIN,
      { kind: 'call', target: nt.code('KiSwapContext'), homedArguments: [] },
      workerValues,
    );
    writeSwitchFrame(d.memory, wait);

    writeThread(
      { memory: d.memory, random: r, code: (label: string) => nt.code(label) },
      p.idle,
      { running: true, kernelStack: idle.rsp, processor: p.index },
      {
        kthread: { flink: idleThreadLinks.k[p.index]!.flink, blink: idleThreadLinks.k[p.index]!.blink },
        ethread: { flink: idleThreadLinks.e[p.index]!.flink, blink: idleThreadLinks.e[p.index]!.blink },
      },
    );
    writeThread(
      { memory: d.memory, random: r, code: (label: string) => nt.code(label) },
      p.worker,
      { running: false, kernelStack: wait.rsp - SWITCH_FRAME_RETURN, processor: p.index },
      {
        kthread: { flink: workerLinks.k[p.index]!.flink, blink: workerLinks.k[p.index]!.blink },
        ethread: { flink: workerLinks.e[p.index]!.flink, blink: workerLinks.e[p.index]!.blink },
      },
    );

    const processor = new MachineProcessor(
      p.index,
      context,
      prcb,
      p.pcr,
      p.idle,
      p.worker,
      p.contextPage + CONTEXT_BUFFER_OFFSET,
      p.dpcStack,
      p.isrStack,
    );
    d.memory.writeUnguarded(
      p.pcr,
      buildPcr({
        index: p.index,
        processors: d.processors,
        pcr: p.pcr,
        prcb,
        idleThread: p.idle,
        currentThread: p.idle,
        irql: 0,
        directoryTableBase: d.directoryTableBase,
        gdt,
        tss,
        idt,
        dpcStack: p.dpcStack,
        isrStack: p.isrStack,
        contextBuffer: processor.contextBuffer,
        extendedState: p.contextPage,
        pairPrcb: (p.index ^ 1) < d.processors ? prcbOf(p.index ^ 1) : 0n,
        perProcessorLookasides: p.lookasides,
        lookasideLinks: (list) => lookasideLinks.entries[p.index * 96 + list]!,
        ntCode: (label) => nt.code(label),
        ntData: (label, size) => nt.data(label, size),
        random: r,
        mhz: PROCESSOR_MHZ,
        upTime: d.systemUpTime,
      }),
    );
    // XSAVE area header: XSTATE_BV / XCOMP_BV of x87, SSE, AVX.
    d.memory.writeUnguarded(p.contextPage + 0x200n, u64Pair(7n, 0x8000_0000_0000_0007n));
    storeProcessorContext(d.memory, processor);
    processors.push(processor);
  }
  return { processors, systemProcess, idleProcess };
}

/** KSWITCH_FRAME: KTHREAD.KernelStack points at it; Rbp at +0x28 and the return address at +0x30. */
export const SWITCH_FRAME_RETURN = 0x30n;

/** The switch frame below a waiting thread's last return address (`wait.rsp` holds it). */
export function writeSwitchFrame(memory: VirtualMemory, wait: ChainResult): void {
  memory.writeUnguarded(wait.rsp - SWITCH_FRAME_RETURN + 0x28n, u64Pair(wait.registers.rbp, 0n).subarray(0, 8));
}

export interface StackValues {
  local: ChainOptions['local'];
  register: ChainOptions['register'];
}

/**
 * Plausible contents for stack slots and saved registers: zeros, small
 * counts and flags, and pointers to the objects a kernel routine works with
 * (its thread, process, PRCB, addresses on its own stack). Never code
 * addresses: only return addresses point into images, as a debugger's
 * heuristic stack scan expects.
 */
export function stackValues(r: SeededRandom, prcb: bigint, t: KernelThread): StackValues {
  const pick = (slot: bigint): bigint => {
    const n = r.below(100);
    if (n < 35) return 0n;
    if (n < 55) return BigInt(r.below(0x200));
    if (n < 75) return slot + BigInt(0x10 + r.below(0x20) * 8);
    if (n < 85) return t.ethread;
    if (n < 93) return prcb;
    return t.process;
  };
  return {
    local: (_routine, slot) => {
      const v = pick(slot);
      return v >= t.initialStack ? 0n : v;
    },
    register: (_routine, reg: NonVolatileRegister) => {
      const n = r.below(100);
      if (reg === 'rbp' && n < 50) return t.initialStack - BigInt(0x100 + r.below(0x40) * 0x10);
      if (n < 30) return 0n;
      if (n < 50) return BigInt(r.below(0x100));
      if (n < 70) return t.ethread;
      if (n < 85) return prcb;
      return t.process;
    },
  };
}

export function chain(
  d: { memory: VirtualMemory; modules: ModuleList },
  nt: Ntoskrnl,
  t: KernelThread,
  labels: readonly string[],
  end: ChainOptions['end'],
  values: StackValues,
  extra: readonly ImageRoutine[] = [],
): ChainResult {
  return writeCallChain(d.memory, d.modules, {
    initialStack: t.initialStack,
    stackLimit: t.stack.limit,
    chain: [...labels.map((l) => nt.routine(l)), ...extra],
    end,
    local: values.local,
    register: values.register,
  });
}

export function registersOf(c: ChainResult): {
  Rbx: bigint;
  Rbp: bigint;
  Rsi: bigint;
  Rdi: bigint;
  R12: bigint;
  R13: bigint;
  R14: bigint;
  R15: bigint;
} {
  const g = c.registers;
  return { Rbx: g.rbx, Rbp: g.rbp, Rsi: g.rsi, Rdi: g.rdi, R12: g.r12, R13: g.r13, R14: g.r14, R15: g.r15 };
}

export function u64Pair(a: bigint, b: bigint): Uint8Array {
  const out = new Uint8Array(16);
  const v = new DataView(out.buffer);
  v.setBigUint64(0, BigInt.asUintN(64, a), true);
  v.setBigUint64(8, BigInt.asUintN(64, b), true);
  return out;
}
