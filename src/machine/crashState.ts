import type { ContextAmd64 } from '../format/index.js';
import type { ChainFrame } from './callStack.js';
import { MachineError } from './errors.js';
import { chain, registersOf, stackValues, type Ntoskrnl } from './kernelObjects.js';
import type { ImageRoutine, ModuleList } from './modules.js';
import { KPCR_OFFSETS, KPRCB_OFFSETS, KTHREAD_OFFSETS, ThreadStateReady, ThreadStateRunning } from './ntStructures.js';
import { type MachineProcessor, kernelContext, storeProcessorContext } from './processors.js';
import type { SeededRandom } from './random.js';
import type { KernelThread } from './threads.js';
import type { LoadedModule } from './types.js';
import type { VirtualMemory } from './virtualMemory.js';

/**
 * Where a KeBugCheckEx was called from. Addresses may be a routine's start
 * (`driver.codeAddress('MyDpcRoutine')`) or any address inside a routine the
 * machine wrote (a C driver's function, an instruction in it).
 */
export interface BugCheckCallSite {
  /** The routine that called KeBugCheckEx. */
  caller?: bigint;
  /** The routines that led to the caller, innermost first (the caller's caller first). */
  callers?: readonly bigint[];
  /**
   * How the processor got there: 'thread' — a System worker thread
   * (KiStartSystemThread → PspSystemThreadStartup → ExpWorkerThread → …);
   * 'dpc' — a DPC the idle loop retires at DISPATCH_LEVEL (KiIdleLoop →
   * KiRetireDpcList → KiExecuteAllDpcs → …). Default: 'dpc' when
   * KeBugCheckEx is called at DISPATCH_LEVEL or above, or for 0xA/0xD1
   * whose P2 (the IRQL of the access) is DISPATCH_LEVEL or above; else
   * 'thread'.
   */
  path?: 'thread' | 'dpc';
}

/** The system routines below the scenario's frames, outermost first. */
export const CRASH_PATHS = {
  thread: ['KiStartSystemThread', 'PspSystemThreadStartup', 'ExpWorkerThread'],
  dpc: ['KiIdleLoop', 'KiRetireDpcList', 'KiExecuteAllDpcs'],
} as const;

const DISPATCH_LEVEL = 2;
const HIGH_LEVEL = 15;
const KDPC_SIZE = 0x40;

export interface CrashCaptureDeps {
  memory: VirtualMemory;
  modules: ModuleList;
  nt: Ntoskrnl;
  random: SeededRandom;
  allocatePool(bytes: number, tag: string): bigint;
}

export interface BugCheckCall {
  code: number;
  parameters: readonly bigint[];
  /** IRQL at the KeBugCheckEx call (before it raised to HIGH_LEVEL). */
  irql: number;
}

export interface CrashCapture {
  context: ContextAmd64;
  path: 'thread' | 'dpc';
  /** The routines of the crashing thread's stack, outermost first, ending with the caller of KeBugCheckEx. */
  frames: ChainFrame[];
  /** The caller's routine (null when none was named or found in the parameters). */
  caller: ImageRoutine | null;
  /** Why the scenario's frames are not on the stack, when they could not be written (else null). */
  note: string | null;
}

/** The routines a call site names, innermost first; throws E_MACHINE_CALL_SITE for an address that is not in one. */
/** Routines a call site may name (the caller and its callers): a chain that fits a kernel stack. */
export const MAX_CALL_SITE_ROUTINES = 64;

export function resolveCallSite(modules: ModuleList, site: BugCheckCallSite): ImageRoutine[] {
  const addresses = [...(site.caller !== undefined ? [site.caller] : []), ...(site.callers ?? [])];
  if (addresses.length > MAX_CALL_SITE_ROUTINES) {
    throw new MachineError(
      'E_MACHINE_CALL_SITE',
      `a call site names ${addresses.length} routines; at most ${MAX_CALL_SITE_ROUTINES} fit on a kernel stack`,
    );
  }
  return addresses.map((va, i) => {
    const hit = typeof va === 'bigint' ? modules.routineAt(va) : undefined;
    if (!hit) {
      throw new MachineError(
        'E_MACHINE_CALL_SITE',
        `${i === 0 && site.caller !== undefined ? 'caller' : `callers[${i - (site.caller !== undefined ? 1 : 0)}]`} ${
          typeof va === 'bigint' ? `0x${va.toString(16)}` : String(va)
        } is not inside a routine of a loaded image (use driver.codeAddress(label))`,
        { address: typeof va === 'bigint' ? va : String(va) },
      );
    }
    return hit.routine;
  });
}

/** IRQL_NOT_LESS_OR_EQUAL and DRIVER_IRQL_NOT_LESS_OR_EQUAL: P2 is the IRQL of the faulting access. */
const IRQL_IN_P2 = new Set([0x0a, 0xd1]);

/** 'dpc' when the call is at DISPATCH_LEVEL or above, or the code says the fault was (0xA/0xD1 with P2 ≥ 2). */
function defaultPath(bug: BugCheckCall): 'thread' | 'dpc' {
  if (bug.irql >= DISPATCH_LEVEL) return 'dpc';
  const p2 = bug.parameters[1];
  return IRQL_IN_P2.has(bug.code >>> 0) && p2 !== undefined && p2 >= BigInt(DISPATCH_LEVEL) && p2 <= 0xfn
    ? 'dpc'
    : 'thread';
}

/** With no call site: the first parameter that is inside a routine of a driver (not ntoskrnl), e.g. 0xD1's P4. */
function inferCaller(modules: ModuleList, ntoskrnl: LoadedModule, parameters: readonly bigint[]): ImageRoutine[] {
  for (const p of parameters) {
    const hit = modules.routineAt(p);
    if (hit && hit.module.base !== ntoskrnl.base) return [hit.routine];
  }
  return [];
}

/**
 * Leaves the crashing processor as Windows leaves it for a KeBugCheckEx call:
 * the chosen thread's stack holds the chain from its start routine through
 * the scenario's routines to the caller, whose frame calls KeBugCheckEx with
 * the code and parameters homed; the processor runs that thread at
 * HIGH_LEVEL (IRQL at the call saved in DebuggerSavedIRQL); the context is
 * KeBugCheckEx's entry (Rip = KeBugCheckEx, Rsp at the return address, Rcx =
 * code, Rdx/R8/R9 = P1–P3) and is stored behind KPRCB.Context.
 */
export function captureCrash(d: CrashCaptureDeps, p: MachineProcessor, bug: BugCheckCall): CrashCapture {
  let scenario: ImageRoutine[];
  try {
    scenario = p.callSite ? resolveCallSite(d.modules, p.callSite) : [];
  } catch {
    // The named routine's driver was unloaded since; fall back to what the parameters say.
    scenario = [];
  }
  if (scenario.length === 0) scenario = inferCaller(d.modules, d.nt.module, bug.parameters);
  const path = p.callSite?.path ?? defaultPath(bug);
  const thread = path === 'thread' ? p.workerThread : p.idleThread;
  const keBugCheckEx = d.nt.code('KeBugCheckEx');
  const [code, p1 = 0n, p2 = 0n, p3 = 0n, p4 = 0n] = [BigInt(bug.code >>> 0), ...bug.parameters];
  const build = (routines: readonly ImageRoutine[]) =>
    chain(
      d,
      d.nt,
      thread,
      CRASH_PATHS[path],
      { kind: 'call', target: keBugCheckEx, homedArguments: [code, p1, p2, p3, p4] },
      stackValues(d.random, p.prcb, thread),
      [...routines].reverse(),
    );
  let result: ReturnType<typeof build>;
  let note: string | null = null;
  try {
    result = build(scenario);
  } catch (error) {
    // A chain that does not fit (the stack, or a routine with no call site left) must not stop the bug check.
    if (!(error instanceof MachineError)) throw error;
    note = `the scenario's frames were left out: ${error.message}`;
    scenario = [];
    result = build(scenario);
  }
  const caller = scenario[0] ?? null;

  const context: ContextAmd64 = {
    ...kernelContext(),
    ...registersOf(result),
    EFlags: 0x286,
    Rip: keBugCheckEx,
    Rsp: result.rsp,
    Rcx: code,
    Rdx: p1,
    R8: p2,
    R9: p3,
    Rax: result.rsp + 0x838n,
    R10: p3,
    R11: result.rsp - 0x100n,
  };
  switchThread(d.memory, p, thread, result.frames);
  const prcb = p.prcb;
  const w8 = (va: bigint, v: number): void => d.memory.writeUnguarded(va, Uint8Array.of(v));
  const w64 = (va: bigint, v: bigint): void => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
    d.memory.writeUnguarded(va, b);
  };
  // A DPC runs at DISPATCH_LEVEL whatever the model's processor said.
  w8(prcb + BigInt(KPRCB_OFFSETS.DebuggerSavedIRQL), path === 'dpc' ? Math.max(bug.irql, DISPATCH_LEVEL) : bug.irql);
  w8(p.pcr + BigInt(KPCR_OFFSETS.Irql), HIGH_LEVEL);
  if (path === 'dpc') {
    const routine = caller?.va ?? 0n;
    const dpc = dpcObject(d, caller);
    if (dpc !== 0n) d.memory.writeUnguarded(dpc, kdpcBytes(routine, p.index));
    w64(prcb + BigInt(KPRCB_OFFSETS.CurrentDpcRoutine), routine);
    w64(prcb + BigInt(KPRCB_OFFSETS.DpcData + 0x20), dpc); // DpcData[DPC_NORMAL].ActiveDpc
    w8(prcb + BigInt(KPRCB_OFFSETS.DpcRoutineActive), 1);
    w8(prcb + BigInt(KPRCB_OFFSETS.NormalDpcState), 1); // DpcNormalProcessingActive
  }
  p.context = context;
  storeProcessorContext(d.memory, p, true);
  return { context, path, frames: result.frames, caller, note };
}

/** Makes `thread` the processor's running thread in the model and in memory (KPRCB and both KTHREADs). */
function switchThread(memory: VirtualMemory, p: MachineProcessor, thread: KernelThread, frames: ChainFrame[]): void {
  const previous = p.thread;
  const setU8 = (va: bigint, v: number): void => memory.writeUnguarded(va, Uint8Array.of(v));
  const setU64 = (va: bigint, v: bigint): void => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, v, true);
    memory.writeUnguarded(va, b);
  };
  if (previous !== thread) {
    setU8(previous.ethread + BigInt(KTHREAD_OFFSETS.State), ThreadStateReady);
    setU8(previous.ethread + BigInt(KTHREAD_OFFSETS.Running), 0);
  }
  setU8(thread.ethread + BigInt(KTHREAD_OFFSETS.State), ThreadStateRunning);
  setU8(thread.ethread + BigInt(KTHREAD_OFFSETS.Running), 1);
  // KernelStack is where the thread last switched; a running thread's is stale: inside its outer frames.
  const outer = frames[Math.min(2, frames.length - 1)]!;
  setU64(thread.ethread + BigInt(KTHREAD_OFFSETS.KernelStack), outer.bodyRsp);
  setU64(p.prcb + BigInt(KPRCB_OFFSETS.CurrentThread), thread.ethread);
  setU64(p.prcb + BigInt(KPRCB_OFFSETS.RspBase), thread.initialStack);
  p.thread = thread;
}

/** The KDPC being run on the DPC path: a global of the caller's driver (its .data), or nonpaged pool. */
function dpcObject(d: CrashCaptureDeps, caller: ImageRoutine | null): bigint {
  if (caller) {
    const hit = d.modules.routineAt(caller.va);
    if (hit) {
      try {
        return d.modules.dataAddress(hit.module, `${caller.label}Dpc`, KDPC_SIZE);
      } catch {
        // No .data room in that image: the DPC object lives in pool instead.
      }
    }
  }
  try {
    return d.allocatePool(KDPC_SIZE, 'Kdpc');
  } catch {
    return 0n; // no memory left: the DPC object is not modelled
  }
}

function kdpcBytes(routine: bigint, processor: number): Uint8Array {
  const out = new Uint8Array(KDPC_SIZE);
  const v = new DataView(out.buffer);
  v.setUint8(0, 0x13); // DpcObject
  v.setUint8(1, 1); // MediumImportance
  v.setUint16(2, processor, true);
  v.setBigUint64(0x18, routine, true); // DeferredRoutine
  return out;
}
