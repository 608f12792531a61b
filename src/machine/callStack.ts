import { MachineError } from './errors.js';
import type { ImageRoutine, ModuleList } from './modules.js';
import { NON_VOLATILE_REGISTERS, type FrameSpec, type NonVolatileRegister } from './x64Code.js';
import type { VirtualMemory } from './virtualMemory.js';

/**
 * Kernel call stacks as x64 code leaves them: for each routine of a chain,
 * outermost first, the return address into its caller, the non-volatile
 * registers its prologue pushed (holding its caller's values), its locals and
 * outgoing-argument area, and the `call` instruction in its body that the
 * next return address follows. The routines' UNWIND_INFO describes these
 * very prologues, so unwinding from the innermost frame restores every
 * caller's rsp, rip and non-volatile registers exactly.
 */

/** ntoskrnl routines that appear on the model's stacks, with realistic frame sizes (return address included). */
export const KERNEL_ROUTINE_FRAMES: Readonly<Record<string, FrameSpec>> = Object.freeze({
  // Thread start: KiStartSystemThread (0x30) → PspSystemThreadStartup (0x50) → ExpWorkerThread (0xA0),
  // the frame sizes of the genuine 19041 dump's stack.
  KiStartSystemThread: { pushes: [], alloc: 0x28 },
  PspSystemThreadStartup: { pushes: ['rbx', 'rsi'], alloc: 0x38 },
  // Room for the wait it rests in, a work routine, and a direct KeBugCheckEx (when no caller is named).
  ExpWorkerThread: { pushes: ['rbx', 'rsi', 'rdi', 'r14'], alloc: 0x78, callSites: 4 },
  // The idle loop and the DPC path it runs (DPCs retired on the idle thread at DISPATCH_LEVEL).
  KiIdleLoop: { pushes: ['rbx', 'rbp', 'rsi', 'rdi', 'r12', 'r13', 'r14', 'r15'], alloc: 0x98 },
  KiRetireDpcList: { pushes: ['rbx', 'rbp', 'rsi', 'rdi', 'r12', 'r13', 'r14', 'r15'], alloc: 0x1f8 },
  KiExecuteAllDpcs: { pushes: ['rbx', 'rbp', 'rsi', 'rdi', 'r12', 'r13', 'r14', 'r15'], alloc: 0x168, callSites: 4 },
  PoIdle: { pushes: ['rbx', 'rbp', 'rsi', 'rdi', 'r14'], alloc: 0xd0 },
  PpmIdleExecuteTransition: { pushes: ['rbx', 'rsi', 'rdi', 'r12', 'r13', 'r14', 'r15'], alloc: 0x80 },
  // Homes its four register parameters, then sets up a frame (the genuine body starts with the same four movs).
  KeBugCheckEx: { homeParameters: true, pushes: [], alloc: 0x38, callSites: 1 },
  KeBugCheck2: { pushes: ['rbx', 'rbp', 'rsi', 'rdi', 'r12', 'r13', 'r14', 'r15'], alloc: 0x1a8, callSites: 1 },
});

export type RegisterFile = Record<NonVolatileRegister, bigint>;

export function zeroRegisters(): RegisterFile {
  return Object.fromEntries(NON_VOLATILE_REGISTERS.map((r) => [r, 0n])) as RegisterFile;
}

export interface ChainFrame {
  routine: ImageRoutine;
  /** rsp when the routine was entered ([rsp] = its return address). */
  entryRsp: bigint;
  /** rsp after its prologue. */
  bodyRsp: bigint;
  /** Its return address (0 for the thread's first routine). */
  returnAddress: bigint;
}

export interface ChainResult {
  frames: ChainFrame[];
  /**
   * With `end.kind === 'call'`: rsp at the callee's entry ([rsp] = the return
   * address into the innermost routine). With 'inside': rsp after the
   * innermost routine's prologue.
   */
  rsp: bigint;
  /** The callee's address, or the innermost routine's first instruction after its prologue. */
  rip: bigint;
  /** Non-volatile registers at that point. */
  registers: RegisterFile;
}

export interface ChainOptions {
  /** The thread's InitialStack: the outermost routine is entered with rsp = initialStack − 8 and no return address. */
  initialStack: bigint;
  stackLimit: bigint;
  /** Outermost first. */
  chain: readonly ImageRoutine[];
  /** Call `target` with up to 5 integer arguments (4 homed by the callee, the 5th on the stack), or stop inside the last routine. */
  end: { kind: 'call'; target: bigint; homedArguments: readonly bigint[] } | { kind: 'inside' };
  /** A plausible value for a stack slot of a routine's frame (locals and home area). */
  local(routine: ImageRoutine, slot: bigint, index: number): bigint;
  /** The value a routine leaves in a non-volatile register it saved (what its callees see). */
  register(routine: ImageRoutine, register: NonVolatileRegister): bigint;
  /** Register values at the thread's start (default all zero). */
  initialRegisters?: RegisterFile;
}

/** Writes the chain onto the stack (one write, from the final rsp to the initial stack) and returns the frames. */
export function writeCallChain(memory: VirtualMemory, modules: ModuleList, o: ChainOptions): ChainResult {
  if (o.chain.length === 0) throw new MachineError('E_MACHINE_ARGUMENT', 'a call chain needs at least one routine');
  const top = o.initialStack;
  const values = new Map<bigint, bigint>();
  const put = (va: bigint, v: bigint): void => {
    if (va < o.stackLimit || va + 8n > top) {
      throw new MachineError('E_MACHINE_STACK_OVERFLOW', 'the call chain does not fit on the thread stack', {
        va,
        stackLimit: o.stackLimit,
      });
    }
    values.set(va, v);
  };
  const registers: RegisterFile = { ...(o.initialRegisters ?? zeroRegisters()) };
  const frames: ChainFrame[] = [];
  let entryRsp = top - 8n;
  let returnAddress = 0n;
  put(entryRsp, returnAddress);
  let rip = 0n;
  for (let i = 0; i < o.chain.length; i++) {
    const routine = o.chain[i]!;
    const frame = routine.frame;
    frame.pushes.forEach((r, k) => {
      put(entryRsp - BigInt(8 * (k + 1)), registers[r]);
    });
    const bodyRsp = entryRsp - BigInt(frame.pushes.length * 8 + frame.alloc);
    for (let s = 0; s < frame.alloc / 8; s++) {
      const slot = bodyRsp + BigInt(s * 8);
      put(slot, o.local(routine, slot, s));
    }
    for (const r of frame.pushes) registers[r] = o.register(routine, r);
    frames.push({ routine, entryRsp, bodyRsp, returnAddress });
    const next = o.chain[i + 1];
    const last = next === undefined;
    if (last && o.end.kind === 'inside') {
      rip = routine.va + BigInt(routine.body.prologSize);
      entryRsp = bodyRsp;
      break;
    }
    const target = next ? next.va : (o.end as { target: bigint }).target;
    returnAddress = modules.callSite(routine, target);
    entryRsp = bodyRsp - 8n;
    put(entryRsp, returnAddress);
    if (last) {
      rip = target;
      const args = (o.end as { homedArguments: readonly bigint[] }).homedArguments;
      if (args.length > 5) throw new MachineError('E_MACHINE_ARGUMENT', 'at most 5 arguments are modelled');
      if (args.length > 4 && frame.alloc < 0x28) {
        throw new MachineError('E_MACHINE_ARGUMENT', `${routine.label} has no room for a fifth argument`);
      }
      for (const [k, v] of args.entries()) put(entryRsp + 8n + BigInt(8 * k), v);
    }
  }
  const low = entryRsp;
  const bytes = new Uint8Array(Number(top - low));
  const view = new DataView(bytes.buffer);
  for (const [va, v] of values) view.setBigUint64(Number(va - low), BigInt.asUintN(64, v), true);
  memory.writeUnguarded(low, bytes);
  return { frames, rsp: entryRsp, rip, registers };
}
