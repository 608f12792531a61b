import { CONTEXT_AMD64, CONTEXT_ALL, type ContextAmd64 } from '../format/index.js';
import type { AddressSpace } from './addressSpace.js';
import { KERNEL_STACK_PAGES, KPCR_SIZE, ETHREAD_BLOCK_SIZE } from './layout.js';
import {
  GDT_SELECTORS,
  KPCR_OFFSETS,
  KPRCB_OFFSETS,
  KTHREAD_OFFSETS,
  ThreadObject,
  ThreadStateRunning,
} from './ntStructures.js';
import type { PhysicalMemory } from './physical.js';
import type { SeededRandom } from './random.js';
import type { Processor } from './types.js';
import type { VirtualMemory } from './virtualMemory.js';

const PAGE = 0x1000;
/** Stacks are spaced so that an unmapped guard page sits below each one. */
const STACK_STRIDE = BigInt((KERNEL_STACK_PAGES + 2) * PAGE);
const INITIAL_MXCSR = 0x1f80;

export class MachineProcessor implements Processor {
  irql = 0;
  frozen = false;

  constructor(
    readonly index: number,
    public context: ContextAmd64,
    readonly stackBase: bigint,
    readonly stackLimit: bigint,
    readonly prcb: bigint,
    /** KPCR containing the KPRCB (prcb − 0x180). */
    readonly pcr: bigint,
    /** ETHREAD-sized block of the thread running on this processor (its idle thread). */
    readonly currentThread: bigint,
  ) {}
}

export interface ProcessorDeps {
  physical: PhysicalMemory;
  space: AddressSpace;
  memory: VirtualMemory;
  random: SeededRandom;
  kernelStackBase: bigint;
  allocatePages(pages: number): bigint;
  /** A code address inside ntoskrnl for a routine name. */
  ntoskrnlCode(label: string): bigint;
  systemProcess: bigint;
}

/** Routines a resting processor's stack returns through, innermost last. */
const IDLE_CALL_CHAIN = ['KiSystemStartup', 'KiInitializeKernel', 'KiIdleLoop', 'PoIdle', 'PpmIdleExecuteTransition'];

export function createProcessor(index: number, deps: ProcessorDeps): MachineProcessor {
  const slot = deps.kernelStackBase + BigInt(index) * STACK_STRIDE;
  const stackLimit = slot + BigInt(PAGE);
  const stackBase = stackLimit + BigInt(KERNEL_STACK_PAGES * PAGE);
  for (let va = stackLimit; va < stackBase; va += BigInt(PAGE)) {
    deps.space.map4K(va, deps.physical.allocateFrame('kernel') << 12n, { writable: true, noExecute: true });
  }

  const pcr = deps.allocatePages(Math.ceil(KPCR_SIZE / PAGE));
  const prcb = pcr + BigInt(KPCR_OFFSETS.Prcb);
  const thread = deps.allocatePages(Math.ceil(ETHREAD_BLOCK_SIZE / PAGE));
  const { rsp, returnAddresses } = writeIdleStack(deps, stackBase, prcb);

  const r = deps.random;
  const context: ContextAmd64 = {
    ...CONTEXT_AMD64.zero(),
    ContextFlags: CONTEXT_ALL,
    MxCsr: INITIAL_MXCSR,
    SegCs: GDT_SELECTORS.R0Code,
    SegDs: GDT_SELECTORS.R3Data,
    SegEs: GDT_SELECTORS.R3Data,
    SegFs: GDT_SELECTORS.R3CmTeb,
    SegGs: GDT_SELECTORS.R3Data,
    SegSs: GDT_SELECTORS.R0Data,
    EFlags: 0x246,
    Dr6: 0xffff0ff0n,
    Dr7: 0x400n,
    Rax: BigInt(r.below(0x100)),
    Rcx: prcb,
    Rdx: BigInt(r.below(0x20)),
    Rbx: prcb,
    Rsp: rsp,
    Rbp: rsp + 0x80n,
    Rsi: thread,
    Rdi: BigInt(index),
    R8: BigInt(r.below(0x10000)),
    R9: BigInt(r.below(0x100)),
    R10: returnAddresses[0]!,
    R11: rsp - 0x40n,
    R12: 0n,
    R13: 0n,
    R14: thread,
    R15: BigInt(r.below(0x40)),
    Rip: deps.ntoskrnlCode('PpmIdleExecuteTransition') + 4n,
  };
  context.FltSave = { ...context.FltSave, ControlWord: 0x27f, MxCsr: INITIAL_MXCSR, MxCsr_Mask: 0xffff };

  const p = new MachineProcessor(index, context, stackBase, stackLimit, prcb, pcr, thread);
  writePcr(deps, p);
  writeThread(deps, p, rsp);
  return p;
}

/** Writes the processor's current context into its KPRCB (ProcessorState.ContextFrame), where debuggers look for it. */
export function storeProcessorContext(memory: VirtualMemory, p: MachineProcessor): void {
  memory.writeUnguarded(p.prcb + BigInt(KPRCB_OFFSETS.ProcessorStateContextFrame), CONTEXT_AMD64.encode(p.context));
}

/**
 * A resting kernel stack: return addresses into ntoskrnl interleaved with
 * spilled registers and home-space values, topped by the zeroed frame a new
 * thread starts from.
 */
function writeIdleStack(
  deps: ProcessorDeps,
  stackBase: bigint,
  prcb: bigint,
): { rsp: bigint; returnAddresses: bigint[] } {
  const slotsPerFrame = 6;
  const frames = IDLE_CALL_CHAIN.length;
  const used = 0x30 + frames * slotsPerFrame * 8;
  const rsp = (stackBase - BigInt(used)) & ~0xfn;
  const bytes = new Uint8Array(Number(stackBase - rsp));
  const view = new DataView(bytes.buffer);
  const returnAddresses: bigint[] = [];
  // Innermost frame first (lowest address): each frame's last slot returns into its caller.
  for (let f = 0; f < frames; f++) {
    const caller = IDLE_CALL_CHAIN[frames - 2 - f];
    for (let s = 0; s < slotsPerFrame; s++) {
      const at = (f * slotsPerFrame + s) * 8;
      let value: bigint;
      if (s === slotsPerFrame - 1) {
        value = caller ? deps.ntoskrnlCode(caller) + 9n : 0n;
        if (caller) returnAddresses.push(value);
      } else if (s === 1) value = prcb;
      else value = BigInt(deps.random.below(0x100));
      view.setBigUint64(at, value, true);
    }
  }
  deps.memory.writeUnguarded(rsp, bytes);
  return { rsp, returnAddresses };
}

function writePcr(deps: ProcessorDeps, p: MachineProcessor): void {
  const u64 = (va: bigint, v: bigint): void => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, v, true);
    deps.memory.writeUnguarded(va, b);
  };
  const u32 = (va: bigint, v: number): void => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    deps.memory.writeUnguarded(va, b);
  };
  const o = KPRCB_OFFSETS;
  u64(p.pcr + BigInt(KPCR_OFFSETS.Self), p.pcr);
  u64(p.pcr + BigInt(KPCR_OFFSETS.CurrentPrcb), p.prcb);
  u32(p.prcb + BigInt(o.MxCsr), INITIAL_MXCSR);
  deps.memory.writeUnguarded(p.prcb + BigInt(o.LegacyNumber), Uint8Array.of(p.index & 0xff));
  u64(p.prcb + BigInt(o.CurrentThread), p.currentThread);
  u64(p.prcb + BigInt(o.IdleThread), p.currentThread);
  u32(p.prcb + BigInt(o.Number), p.index);
  deps.memory.writeUnguarded(p.prcb + BigInt(o.CpuType), Uint8Array.of(6));
  u32(p.prcb + BigInt(o.Mhz), 3600);
  deps.memory.writeUnguarded(p.prcb + BigInt(o.VendorString), new TextEncoder().encode('GenuineIntel\0'));
  u64(p.prcb + BigInt(o.Context), p.prcb + BigInt(o.ProcessorStateContextFrame));
  storeProcessorContext(deps.memory, p);
}

function writeThread(deps: ProcessorDeps, p: MachineProcessor, rsp: bigint): void {
  const block = new Uint8Array(ETHREAD_BLOCK_SIZE);
  const v = new DataView(block.buffer);
  const o = KTHREAD_OFFSETS;
  v.setUint8(o.Type, ThreadObject);
  v.setBigUint64(o.InitialStack, p.stackBase, true);
  v.setBigUint64(o.StackLimit, p.stackLimit, true);
  v.setBigUint64(o.StackBase, p.stackBase, true);
  v.setBigUint64(o.KernelStack, rsp, true);
  v.setBigUint64(o.ApcStateProcess, deps.systemProcess, true);
  v.setUint8(o.State, ThreadStateRunning);
  v.setUint32(o.NextProcessor, p.index, true);
  // Empty list heads point at themselves.
  v.setBigUint64(o.IrpList, p.currentThread + BigInt(o.IrpList), true);
  v.setBigUint64(o.IrpList + 8, p.currentThread + BigInt(o.IrpList), true);
  deps.memory.writeUnguarded(p.currentThread, block);
}
