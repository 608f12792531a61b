import { CONTEXT_AMD64, CONTEXT_ALL, type ContextAmd64 } from '../format/index.js';
import type { BugCheckCallSite } from './crashState.js';
import { KPRCB_OFFSETS } from './ntStructures.js';
import type { KernelStack, KernelThread } from './threads.js';
import type { Processor } from './types.js';
import type { VirtualMemory } from './virtualMemory.js';

export const INITIAL_MXCSR = 0x1f80;

/**
 * One processor: its KPCR/KPRCB, the thread it runs, its idle thread and the
 * system worker thread it may switch to, its DPC and ISR stacks and the
 * CONTEXT buffer KPRCB.Context points to. `stackBase`/`stackLimit` are the
 * current thread's, so a crash on a worker thread is read on the worker's
 * stack.
 */
export class MachineProcessor implements Processor {
  irql = 0;
  frozen = false;
  /** What the next KeBugCheckEx on this processor was called from (setBugCheckCallSite); read when the crash is captured. */
  callSite: BugCheckCallSite | null = null;
  /** The thread running on it (its idle thread until a bug check switches it to a worker). */
  thread: KernelThread;

  constructor(
    readonly index: number,
    public context: ContextAmd64,
    readonly prcb: bigint,
    /** KPCR containing the KPRCB (prcb − 0x180). */
    readonly pcr: bigint,
    readonly idleThread: KernelThread,
    readonly workerThread: KernelThread,
    /** The CONTEXT KPRCB.Context points to (inside a page that starts with the XSAVE area, KPRCB.ExtendedState). */
    readonly contextBuffer: bigint,
    readonly dpcStack: KernelStack,
    readonly isrStack: KernelStack,
  ) {
    this.thread = idleThread;
  }

  get stackBase(): bigint {
    return this.thread.stack.base;
  }

  get stackLimit(): bigint {
    return this.thread.stack.limit;
  }

  /** ETHREAD of the thread running on this processor. */
  get currentThread(): bigint {
    return this.thread.ethread;
  }
}

/** A CONTEXT with the segment registers, flags and FPU state of kernel code on x64 Windows, registers zero. */
export function kernelContext(): ContextAmd64 {
  const c: ContextAmd64 = {
    ...CONTEXT_AMD64.zero(),
    ContextFlags: CONTEXT_ALL,
    MxCsr: INITIAL_MXCSR,
    SegCs: 0x10,
    SegDs: 0x2b,
    SegEs: 0x2b,
    SegFs: 0x53,
    SegGs: 0x2b,
    SegSs: 0x18,
    EFlags: 0x246,
  };
  c.FltSave = { ...c.FltSave, ControlWord: 0x27f, MxCsr: INITIAL_MXCSR, MxCsr_Mask: 0xffff };
  return c;
}

/**
 * Writes the processor's context where debuggers look for it: the CONTEXT
 * buffer KPRCB.Context points to, and (for a processor that is not the one
 * crashing) KPRCB.ProcessorState.ContextFrame, where a frozen processor's
 * state is saved. The crashing processor's ContextFrame is zero, as in the
 * genuine 19041 dump.
 */
export function storeProcessorContext(memory: VirtualMemory, p: MachineProcessor, crashing = false): void {
  const bytes = CONTEXT_AMD64.encode(p.context);
  memory.writeUnguarded(p.contextBuffer, bytes);
  memory.writeUnguarded(
    p.prcb + BigInt(KPRCB_OFFSETS.ProcessorStateContextFrame),
    crashing ? new Uint8Array(bytes.length) : bytes,
  );
}
