import { type MachineContext, contextPointers } from './context.js';
import { NOT_CACHED, readNow, type VirtualMemory } from './memory.js';
import type { ModuleRange } from './modules.js';
import type { ImageCatalog } from './pe.js';
import { endsWithCall, type X64Registers, type X64State, unwindX64Frame } from './unwindX64.js';

/**
 * The crashing thread's stack, innermost frame first, as STACK_TEXT shows it.
 *
 * x64: each frame is unwound with the UNWIND_INFO of the image that holds
 * rip (read from the dump); where that image or its exception directory is
 * not in the dump (every driver of a triage dump), the stack is scanned from
 * the current rsp for the next slot holding an address inside a loaded
 * module's code — rejected when the bytes before it are in the dump and are
 * not a call instruction. A CONTEXT the analysis already knows (the
 * exception context of 0x7E/0x3B, the header ContextRecord) whose rsp the
 * scan reaches becomes a frame of its own, and the walk goes on from its
 * registers. ARM64: the frame-record chain, fp → { previous fp, lr }.
 */
export interface StackFrame {
  pc: bigint;
  sp: bigint;
  method: 'context' | 'unwind' | 'frame-record' | 'scan';
  callSite?: 'call' | 'unverified';
  contextSource?: string;
}

export interface StackWalkOptions {
  /** Where the walk may read: [lowest rsp, stackEnd). Default: 64 KiB above the context's sp; never more than STACK_MAX_SPAN above it. */
  stackEnd?: bigint;
  /** Contexts met on the way (exception/trap contexts) that become frames when the walk reaches their sp. */
  knownContexts?: { context: MachineContext; source: string }[];
  maxFrames?: number;
}

export const STACK_MAX_FRAMES = 256;
/** How far above the starting sp the walk reads when the thread's stack base is unknown. */
export const STACK_DEFAULT_SPAN = 0x10000n;
/**
 * A thread stack is never larger than this (kernel stacks are 24 KiB … a few
 * hundred KiB when expanded): the most a walk reads above its starting sp,
 * whatever end a hostile dump claims (each slot scanned is a read).
 */
export const STACK_MAX_SPAN = 0x100000n;
const STACK_PAGE = 0x1000n;

function x64Registers(c: MachineContext & { arch: 'AMD64' }): X64Registers {
  const r = c.raw;
  return [r.Rax, r.Rcx, r.Rdx, r.Rbx, r.Rsp, r.Rbp, r.Rsi, r.Rdi, r.R8, r.R9, r.R10, r.R11, r.R12, r.R13, r.R14, r.R15];
}

/** ARM64 return addresses may carry pointer-authentication bits above the kernel's 48-bit VA: put the kernel half back. */
function stripPointerAuthentication(address: bigint): bigint {
  return (address >> 55n) & 1n ? address | 0xffff000000000000n : address & 0x0000ffffffffffffn;
}

/**
 * Bytes that start a function rather than continue one after a call: the
 * x64 prolog forms MSVC emits first (homing an argument register, `mov rax,
 * rsp` / `mov r11, rsp` to address the frame) — a function pointer kept on
 * the stack, not a return address — or zeros, which no code path returns to.
 */
export function looksLikeFunctionEntry(code: Uint8Array): boolean {
  // Indexed, not destructured: destructuring iterates, an object per step in V8's interpreter.
  const b0 = code[0];
  const b1 = code[1];
  const b2 = code[2];
  const b3 = code[3];
  const b4 = code[4];
  // mov [rsp+8|10h|18h|20h], rcx/rdx/rbx/rbp/rsi/rdi (REX.W 89 /r with SIB rsp and disp8)
  if (b0 === 0x48 && b1 === 0x89 && b2 !== undefined && (b2 & 0xc7) === 0x44 && b3 === 0x24)
    return b4 === 0x08 || b4 === 0x10 || b4 === 0x18 || b4 === 0x20;
  // mov [rsp+…], r8/r9 (REX.WR)
  if (b0 === 0x4c && b1 === 0x89 && b2 !== undefined && (b2 & 0xc7) === 0x44 && b3 === 0x24)
    return b4 === 0x18 || b4 === 0x20;
  if (b0 === 0x48 && b1 === 0x8b && b2 === 0xc4) return true; // mov rax, rsp
  if (b0 === 0x4c && b1 === 0x8b && b2 === 0xdc) return true; // mov r11, rsp
  return b0 === 0 && b1 === 0 && b2 === 0 && b3 === 0;
}

/** The module whose code `value` could return into: past the image's first page (the headers). */
function returnModule(catalog: ImageCatalog, value: bigint): ModuleRange | undefined {
  const module = catalog.moduleAt(value);
  return module === undefined || value - module.base < 0x1000n ? undefined : module;
}

/** The byte counts of the x64 call forms endsWithCall knows, longest first. */
const CALL_WINDOWS = [7, 6, 5, 3, 2] as const;

type CallSite = 'call' | 'unverified' | undefined;

/** memory.read(), answered at once when the memory already holds the bytes. */
function cachedOrRead(
  memory: VirtualMemory,
  va: bigint,
  length: number,
): Uint8Array | undefined | Promise<Uint8Array | undefined> {
  const now = readNow(memory, va, length);
  return now === NOT_CACHED ? memory.read(va, length) : now;
}

async function isReturnAddressAsync(catalog: ImageCatalog, module: ModuleRange, value: bigint): Promise<CallSite> {
  if ((await catalog.isExecutable(module, value)) === false) return undefined;
  const memory = catalog.memory;
  // Usually the 7 bytes before and the 5 from the address are all in the dump: one read answers both.
  let around = cachedOrRead(memory, value - 7n, 12);
  if (around instanceof Promise) around = await around;
  if (around !== undefined) return callSiteOf(around);
  let at = cachedOrRead(memory, value, 5);
  if (at instanceof Promise) at = await at;
  if (at !== undefined && looksLikeFunctionEntry(at)) return undefined;
  // The longest call form is 7 bytes; try shorter windows when the start is missing (a data block may begin there).
  for (let i = 0; i < CALL_WINDOWS.length; i++) {
    const n = CALL_WINDOWS[i]!;
    let before = cachedOrRead(memory, value - BigInt(n), n);
    if (before instanceof Promise) before = await before;
    if (before === undefined) continue;
    if (endsWithCall(before)) return 'call';
    if (n === 7 || n === 6) return undefined;
  }
  return 'unverified';
}

/** The verdict on a candidate whose 7 bytes before and 5 from it (`around`) are all in the dump. */
function callSiteOf(around: Uint8Array): CallSite {
  if (looksLikeFunctionEntry(around.subarray(7))) return undefined;
  return endsWithCall(around.subarray(0, 7)) ? 'call' : undefined;
}

/**
 * isReturnAddressAsync answered at once where the image's sections and the bytes it needs are
 * already held (most candidates of a scan after the first few): the same reads, from the cache, and
 * the asynchronous path from the start as soon as one of them is not held.
 */
function isReturnAddress(catalog: ImageCatalog, module: ModuleRange, value: bigint): CallSite | Promise<CallSite> {
  const executable = catalog.isExecutableNow(module, value);
  if (executable === NOT_CACHED) return isReturnAddressAsync(catalog, module, value);
  if (executable === false) return undefined;
  const memory = catalog.memory;
  const around = readNow(memory, value - 7n, 12);
  if (around === NOT_CACHED) return isReturnAddressAsync(catalog, module, value);
  if (around !== undefined) return callSiteOf(around);
  const at = readNow(memory, value, 5);
  if (at === NOT_CACHED) return isReturnAddressAsync(catalog, module, value);
  if (at !== undefined && looksLikeFunctionEntry(at)) return undefined;
  for (let i = 0; i < CALL_WINDOWS.length; i++) {
    const n = CALL_WINDOWS[i]!;
    const before = readNow(memory, value - BigInt(n), n);
    if (before === NOT_CACHED) return isReturnAddressAsync(catalog, module, value);
    if (before === undefined) continue;
    if (endsWithCall(before)) return 'call';
    if (n === 7 || n === 6) return undefined;
  }
  return 'unverified';
}

/** What StackSlots.read answers for a slot outside the page it read last. */
const NOT_READ = Symbol('not read');

/**
 * The stack's slots as the scan reads them: a page of the stack at a time (a
 * scan reads hundreds of slots, most of them not in any module), slot by
 * slot where the page is not wholly in the dump.
 */
class StackSlots {
  private view: DataView | undefined;
  private viewVa = 0n;
  private viewEnd = 0n;
  /** Below this address the page could not be read whole: slots are read one by one. */
  private slotBySlotBelow = 0n;

  constructor(
    private readonly memory: VirtualMemory,
    private readonly end: bigint,
  ) {}

  /** The slot's value when the page read last holds it (no await: most slots), else NOT_READ. */
  read(slot: bigint): bigint | typeof NOT_READ {
    const view = this.view;
    return view !== undefined && slot >= this.viewVa && slot + 8n <= this.viewEnd
      ? view.getBigUint64(Number(slot - this.viewVa), true)
      : NOT_READ;
  }

  /**
   * From `slot`, the first slot the page read last does not hold, that is not below `before`, that
   * would pass `end`, or whose value's high half, biased (see highHalves), lies in [minHi, maxHi]:
   * the slots passed over hold values no module can contain, and are passed over without a bigint
   * each (a scan reads hundreds of them, most pool or stack addresses).
   */
  skip(slot: bigint, end: bigint, before: bigint | undefined, minHi: number, maxHi: number): bigint {
    const view = this.view;
    if (view === undefined || slot < this.viewVa || slot >= this.viewEnd) return slot;
    let lastOff = Math.min(view.byteLength, Number(end - this.viewVa)) - 8;
    if (before !== undefined) lastOff = Math.min(lastOff, Number(before - this.viewVa) - 1);
    const first = Number(slot - this.viewVa);
    let off = first;
    while (off <= lastOff) {
      const h = view.getInt32(off + 4, true) ^ BIAS;
      if (h >= minHi && h <= maxHi) break;
      off += 8;
    }
    return off === first ? slot : this.viewVa + BigInt(off);
  }

  /** A slot read() did not answer: the rest of its page is read (or the slot alone, where that fails). */
  async load(slot: bigint): Promise<bigint | undefined> {
    if (slot >= this.slotBySlotBelow) {
      const pageEnd = (slot | (STACK_PAGE - 1n)) + 1n;
      const limit = pageEnd < this.end ? pageEnd : this.end;
      const length = Number((limit - slot) / 8n) * 8;
      if (length > 8) {
        const bytes = await this.memory.read(slot, length);
        if (bytes !== undefined) {
          this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          this.viewVa = slot;
          this.viewEnd = slot + BigInt(length);
          return this.view.getBigUint64(0, true);
        }
        this.view = undefined;
        this.slotBySlotBelow = pageEnd;
      }
    }
    return this.memory.readU64(slot);
  }
}

/** x ^ BIAS turns a 32-bit number's unsigned order into the order of small (signed) integers. */
const BIAS = -0x8000_0000;

/** The biased high halves a value in [lowest, end) can have, as [min, max]; min > max when none. */
function highHalves(span: { lowest: bigint; end: bigint }): [number, number] {
  if (span.end <= span.lowest || span.lowest < 0n) return [1, 0];
  const last = span.end - 1n < 1n << 64n ? span.end - 1n : (1n << 64n) - 1n;
  return [Number(span.lowest >> 32n) ^ BIAS, Number(last >> 32n) ^ BIAS];
}

async function walkX64(
  catalog: ImageCatalog,
  start: MachineContext & { arch: 'AMD64' },
  options: StackWalkOptions,
): Promise<StackFrame[]> {
  const max = options.maxFrames ?? STACK_MAX_FRAMES;
  const stackEnd = options.stackEnd ?? start.raw.Rsp + STACK_DEFAULT_SPAN;
  const pending = (options.knownContexts ?? [])
    .filter((k): k is { context: MachineContext & { arch: 'AMD64' }; source: string } => k.context.arch === 'AMD64')
    .filter((k) => k.context.raw.Rsp > start.raw.Rsp && k.context.raw.Rsp < stackEnd)
    // The same registers twice (0x7E's P4 CONTEXT is usually the header's too): one frame.
    .filter(
      (k, i, all) =>
        all.findIndex((o) => o.context.raw.Rsp === k.context.raw.Rsp && o.context.raw.Rip === k.context.raw.Rip) === i,
    )
    .sort((a, b) => (a.context.raw.Rsp < b.context.raw.Rsp ? -1 : 1));
  const frames: StackFrame[] = [{ pc: start.raw.Rip, sp: start.raw.Rsp, method: 'context' }];
  let state: X64State = { rip: start.raw.Rip, rsp: start.raw.Rsp, regs: x64Registers(start) };
  const slots = new StackSlots(catalog.memory, stackEnd);
  const [minHi, maxHi] = highHalves(catalog.span);

  while (frames.length < max) {
    const unwound = await unwindX64Frame(catalog, state);
    if (unwound.ok) {
      const next = unwound.state;
      if (next.rsp <= state.rsp || next.rsp > stackEnd || next.rip === 0n) break;
      frames.push({ pc: next.rip, sp: next.rsp, method: 'unwind' });
      state = next;
      if (catalog.moduleAt(next.rip) === undefined) break;
      continue;
    }
    if (unwound.reason !== 'no-data' && unwound.reason !== 'unknown-register' && unwound.reason !== 'no-module') break;
    // Scan from rsp for the next return address, or the next known context.
    let found = false;
    for (let slot = state.rsp; slot + 8n <= stackEnd; slot += 8n) {
      const k = pending[0];
      if (k !== undefined && k.context.raw.Rsp <= slot) {
        pending.shift();
        if (k.context.raw.Rsp < state.rsp) continue;
        frames.push({ pc: k.context.raw.Rip, sp: k.context.raw.Rsp, method: 'context', contextSource: k.source });
        state = { rip: k.context.raw.Rip, rsp: k.context.raw.Rsp, regs: x64Registers(k.context) };
        found = true;
        break;
      }
      const skipTo = slots.skip(slot, stackEnd, k?.context.raw.Rsp, minHi, maxHi);
      if (skipTo !== slot) {
        slot = skipTo - 8n; // the loop's step brings it to skipTo
        continue;
      }
      const cached = slots.read(slot);
      const value = cached === NOT_READ ? await slots.load(slot) : cached;
      if (value === undefined) break;
      const module = returnModule(catalog, value);
      if (module === undefined) continue;
      const verdict = isReturnAddress(catalog, module, value);
      const callSite = verdict instanceof Promise ? await verdict : verdict;
      if (callSite === undefined) continue;
      frames.push({ pc: value, sp: slot + 8n, method: 'scan', callSite });
      // Nothing but rsp is known in the caller: its non-volatile registers were not recovered.
      const regs: X64Registers = new Array<bigint | undefined>(16).fill(undefined);
      regs[4] = slot + 8n;
      state = { rip: value, rsp: slot + 8n, regs };
      found = true;
      break;
    }
    if (!found) break;
  }
  return frames;
}

async function walkArm64(
  catalog: ImageCatalog,
  start: MachineContext & { arch: 'ARM64' },
  options: StackWalkOptions,
): Promise<StackFrame[]> {
  const max = options.maxFrames ?? STACK_MAX_FRAMES;
  const stackEnd = options.stackEnd ?? start.raw.Sp + STACK_DEFAULT_SPAN;
  const frames: StackFrame[] = [{ pc: start.raw.Pc, sp: start.raw.Sp, method: 'context' }];
  let fp = start.raw.Fp;
  let lowest = start.raw.Sp;
  while (frames.length < max) {
    if (fp === 0n || fp < lowest || fp + 16n > stackEnd || (fp & 0x7n) !== 0n) break;
    const record = await catalog.memory.read(fp, 16);
    if (record === undefined) break;
    const view = new DataView(record.buffer, record.byteOffset, 16);
    const previous = view.getBigUint64(0, true);
    const lr = stripPointerAuthentication(view.getBigUint64(8, true));
    if (lr === 0n) break;
    frames.push({ pc: lr, sp: fp + 16n, method: 'frame-record' });
    if (previous !== 0n && previous <= fp) break;
    lowest = fp + 16n;
    fp = previous;
  }
  return frames;
}

/** The frames from `context` outwards (at most maxFrames; never reads outside [sp, min(stackEnd, sp + STACK_MAX_SPAN))). */
export async function walkStack(
  catalog: ImageCatalog,
  context: MachineContext,
  options: StackWalkOptions = {},
): Promise<StackFrame[]> {
  const sp = stackStart(context);
  const claimed = options.stackEnd ?? sp + STACK_DEFAULT_SPAN;
  const bounded = { ...options, stackEnd: claimed - sp > STACK_MAX_SPAN ? sp + STACK_MAX_SPAN : claimed };
  if (context.arch === 'AMD64') return walkX64(catalog, context, bounded);
  return walkArm64(catalog, context, bounded);
}

/** The stack pointer a walk starts from. */
export function stackStart(context: MachineContext): bigint {
  return contextPointers(context).sp;
}
