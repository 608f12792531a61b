import { BugcheckError, type KdDebuggerData64 } from '../format/index.js';
import type { CrashDump, DumpProblem } from '../dump/reader/index.js';
import type { CrashStateJson } from './analysis.js';
import {
  type Architecture,
  type ContextOrigin,
  type MachineContext,
  argumentRegisters,
  contextPointers,
  contextSize,
  decodeMachineContext,
} from './context.js';
import { type VirtualMemory, u16At, u32At, u64At } from './memory.js';
import { jsonHex } from './text.js';

/**
 * The crashing processor's state the way a debugger finds it: its KPRCB
 * (the triage dump's PRCB copy, or the KiProcessorBlock entry of the
 * processor that called KeBugCheckEx), the CONTEXT KPRCB.Context points at
 * (the KeBugCheckEx frame: what WinDbg and rizin show as the registers), the
 * current thread and its process, and the thread's stack bounds. Offsets of
 * the build come from KDDEBUGGER_DATA64 (OffsetPrcbContext,
 * OffsetPrcbCurrentThread, …); EPROCESS.ImageFileName is not among them, so
 * it comes from a per-build table (PROCESS_IMAGE_FILE_NAME_OFFSETS).
 */

/** KiProcessorBlock entries looked at, at most (Windows supports 2048 logical processors). */
const MAX_PROCESSORS = 2048;
/** Bytes of a triage dump's PRCB/process/thread copies read, at most. */
const MAX_COPY_BYTES = 0x20000;
/** EPROCESS.ImageFileName is UCHAR[15]. */
const IMAGE_FILE_NAME_BYTES = 15;

/**
 * EPROCESS.ImageFileName offsets per architecture and build (public kernel
 * symbol layouts; ARM64 22000 checked on the genuine ARM64 triage dump).
 */
export const PROCESS_IMAGE_FILE_NAME_OFFSETS: readonly {
  arch: Architecture;
  from: number;
  to: number;
  offset: number;
}[] = [
  { arch: 'AMD64', from: 7600, to: 7601, offset: 0x2e0 },
  { arch: 'AMD64', from: 10240, to: 10240, offset: 0x448 },
  { arch: 'AMD64', from: 10586, to: 18363, offset: 0x450 },
  { arch: 'AMD64', from: 19041, to: 22631, offset: 0x5a8 },
  { arch: 'ARM64', from: 22000, to: 22000, offset: 0x560 },
];

export function imageFileNameOffset(arch: Architecture, build: number): number | undefined {
  return PROCESS_IMAGE_FILE_NAME_OFFSETS.find((e) => e.arch === arch && build >= e.from && build <= e.to)?.offset;
}

/** ImageFileName as stored: printable ASCII up to the first NUL, else undefined. */
function imageFileName(bytes: Uint8Array | undefined): string | undefined {
  if (bytes === undefined) return undefined;
  let text = '';
  for (const b of bytes) {
    if (b === 0) break;
    if (b < 0x20 || b > 0x7e) return undefined;
    text += String.fromCharCode(b);
  }
  return text.length > 0 ? text : undefined;
}

export interface CrashState {
  /** The KPRCB.Context registers of the crashing processor, when found. */
  prcbContext?: { context: MachineContext; origin: ContextOrigin };
  processName?: string;
  json: CrashStateJson;
}

/** A little-endian field of a byte copy, or undefined when it lies outside it. */
function field(bytes: Uint8Array | undefined, offset: number, width: 2 | 4 | 8): bigint | undefined {
  if (bytes === undefined || offset <= 0 || offset + width > bytes.length) return undefined;
  if (width === 2) return BigInt(u16At(bytes, offset));
  if (width === 4) return BigInt(u32At(bytes, offset));
  return u64At(bytes, offset);
}

async function readRawSafe(dump: CrashDump, offset: number, length: number): Promise<Uint8Array | undefined> {
  if (offset <= 0 || length <= 0) return undefined;
  const n = Math.min(length, MAX_COPY_BYTES);
  if (BigInt(offset + n) > dump.fileSize) return undefined;
  try {
    return await dump.readRaw(BigInt(offset), n);
  } catch (err) {
    if (err instanceof BugcheckError) return undefined;
    throw err;
  }
}

async function readContext(
  memory: VirtualMemory,
  arch: Architecture,
  va: bigint | undefined,
): Promise<MachineContext | undefined> {
  if (va === undefined || va === 0n) return undefined;
  const bytes = await memory.read(va, contextSize(arch));
  return bytes === undefined ? undefined : decodeMachineContext(arch, bytes);
}

/** KeBugCheckEx(code, P1, P2, P3) leaves its arguments in the argument registers of the captured context. */
function holdsBugCheckArguments(
  c: MachineContext,
  code: number,
  parameters: readonly [bigint, bigint, bigint, bigint],
): boolean {
  const [a0, a1, a2, a3] = argumentRegisters(c);
  const low = BigInt.asUintN(32, a0);
  const codeMatches = low === BigInt(code >>> 0) || low === BigInt((code & 0x0fffffff) >>> 0);
  return codeMatches && a1 === parameters[0] && a2 === parameters[1] && a3 === parameters[2];
}

export interface CrashStateInput {
  dump: CrashDump;
  memory: VirtualMemory;
  arch: Architecture;
  kd: KdDebuggerData64 | undefined;
  headerContext: MachineContext | undefined;
  problems: DumpProblem[];
}

/** Finds the crashing processor's KPRCB.Context, current thread, process name and stack bounds. */
export async function findCrashState(input: CrashStateInput): Promise<CrashState> {
  const { dump, memory, arch, kd, headerContext, problems } = input;
  const state: CrashState = { json: {} };
  if (kd === undefined) return state;
  const nameOffset = imageFileNameOffset(arch, dump.header.minorVersion);
  const warn = (message: string): void => {
    problems.push({ code: 'ANALYZE_CRASH_STATE', severity: 'warning', structure: 'KPRCB', message });
  };

  let prcbBytes: Uint8Array | undefined;
  let threadBytes: Uint8Array | undefined;
  let processBytes: Uint8Array | undefined;
  let prcbVa: bigint | undefined;
  let processor: number | undefined;
  let context: MachineContext | undefined;
  let contextVa: bigint | undefined;
  let via = '';

  const t = dump.triage;
  if (t !== undefined) {
    // The triage dump's own copies of the crashing processor's KPRCB, the current EPROCESS and ETHREAD.
    const f = t.fields;
    const size = (from: number, to: number, fallback: number): number => (to > from ? to - from : fallback);
    prcbBytes = await readRawSafe(dump, f.PrcbOffset, size(f.PrcbOffset, f.ProcessOffset, kd.SizePrcb));
    processBytes = await readRawSafe(dump, f.ProcessOffset, size(f.ProcessOffset, f.ThreadOffset, kd.SizeEProcess));
    threadBytes = await readRawSafe(dump, f.ThreadOffset, size(f.ThreadOffset, f.CallStackOffset, kd.SizeEThread));
    via = 'triage PRCB copy';
    const number = field(prcbBytes, kd.OffsetPrcbNumber, 2);
    if (number !== undefined) processor = Number(number);
    contextVa = field(prcbBytes, kd.OffsetPrcbContext, 8);
    context = await readContext(memory, arch, contextVa);
    if (context === undefined && prcbBytes !== undefined && kd.OffsetPrcbProcStateContext > 0) {
      const at = kd.OffsetPrcbProcStateContext;
      if (at + contextSize(arch) <= prcbBytes.length) {
        context = decodeMachineContext(arch, prcbBytes.subarray(at, at + contextSize(arch)));
        via = 'triage PRCB copy, ProcessorState.ContextFrame';
        contextVa = undefined;
      }
    }
  } else if (kd.KiProcessorBlock !== 0n && dump.body.kind !== 'none') {
    const count = Math.min(dump.header.numberProcessors, MAX_PROCESSORS);
    const candidates: {
      index: number;
      prcb: bigint;
      contextVa: bigint | undefined;
      context: MachineContext | undefined;
    }[] = [];
    for (let i = 0; i < count; i++) {
      const prcb = await memory.readU64(kd.KiProcessorBlock + BigInt(i * 8));
      if (prcb === undefined || prcb === 0n) continue;
      const ctxVa = kd.OffsetPrcbContext > 0 ? await memory.readU64(prcb + BigInt(kd.OffsetPrcbContext)) : undefined;
      let ctx = await readContext(memory, arch, ctxVa);
      let at = ctxVa;
      if (ctx === undefined && kd.OffsetPrcbProcStateContext > 0) {
        at = prcb + BigInt(kd.OffsetPrcbProcStateContext);
        ctx = await readContext(memory, arch, at);
      }
      candidates.push({ index: i, prcb, contextVa: at, context: ctx });
    }
    const code = dump.header.bugCheckCode;
    const params = dump.header.bugCheckParameters;
    let chosen = candidates.find((c) => c.context !== undefined && holdsBugCheckArguments(c.context, code, params));
    let choice = 'its KPRCB.Context holds the KeBugCheckEx arguments (code, P1, P2, P3)';
    if (chosen === undefined && headerContext !== undefined) {
      const h = contextPointers(headerContext);
      chosen = candidates.find((c) => {
        if (c.context === undefined) return false;
        const p = contextPointers(c.context);
        return p.sp === h.sp && p.pc === h.pc;
      });
      choice = 'its KPRCB.Context has the pc and sp of the header ContextRecord';
    }
    if (chosen === undefined && candidates.length === 1) {
      chosen = candidates[0];
      choice = 'the only processor in KiProcessorBlock';
    }
    if (chosen === undefined) {
      if (candidates.length > 0)
        warn(
          `none of the ${candidates.length} KPRCBs in KiProcessorBlock (${jsonHex(kd.KiProcessorBlock)}) has a Context that is the KeBugCheckEx frame; the header ContextRecord is shown`,
        );
    } else {
      processor = chosen.index;
      prcbVa = chosen.prcb;
      context = chosen.context;
      contextVa = chosen.contextVa;
      via = `KiProcessorBlock[${chosen.index}]`;
      state.json.processorChoice = choice;
      prcbBytes = await memory.read(
        prcbVa,
        Math.min(Math.max(kd.SizePrcb, kd.OffsetPrcbCurrentThread + 8), MAX_COPY_BYTES),
      );
      if (prcbBytes === undefined) {
        const thread = await memory.readU64(prcbVa + BigInt(kd.OffsetPrcbCurrentThread));
        if (thread !== undefined) {
          prcbBytes = new Uint8Array(kd.OffsetPrcbCurrentThread + 8);
          new DataView(prcbBytes.buffer).setBigUint64(kd.OffsetPrcbCurrentThread, thread, true);
        }
      }
    }
  }

  if (processor !== undefined) state.json.processor = processor;
  if (prcbVa !== undefined) state.json.prcb = jsonHex(prcbVa);
  if (context !== undefined) {
    const origin: ContextOrigin = {
      source: `KPRCB.Context (processor ${processor ?? '?'}, ${via})`,
    };
    if (processor !== undefined) origin.processor = processor;
    if (contextVa !== undefined) origin.address = contextVa;
    state.prcbContext = { context, origin };
  } else if (prcbBytes !== undefined && t !== undefined) {
    warn(
      `KPRCB.Context (${contextVa === undefined ? 'no pointer' : jsonHex(contextVa)}) is not in the dump; the header ContextRecord is shown`,
    );
  }

  // Current thread → its process → ImageFileName; the thread's stack bounds.
  const thread = field(prcbBytes, kd.OffsetPrcbCurrentThread, 8);
  if (thread !== undefined && thread !== 0n) {
    state.json.currentThread = jsonHex(thread);
    threadBytes ??= await memory.read(
      thread,
      Math.max(kd.OffsetKThreadApcProcess, kd.OffsetKThreadStackBase, kd.OffsetKThreadStackLimit) + 8,
    );
  }
  const stackBase = field(threadBytes, kd.OffsetKThreadStackBase, 8);
  const stackLimit = field(threadBytes, kd.OffsetKThreadStackLimit, 8);
  if (stackBase !== undefined && stackBase !== 0n) state.json.stackBase = jsonHex(stackBase);
  if (stackLimit !== undefined && stackLimit !== 0n) state.json.stackLimit = jsonHex(stackLimit);
  const process = field(threadBytes, kd.OffsetKThreadApcProcess, 8);
  if (process !== undefined && process !== 0n) state.json.process = jsonHex(process);
  if (nameOffset !== undefined) {
    const nameBytes =
      processBytes !== undefined && nameOffset + IMAGE_FILE_NAME_BYTES <= processBytes.length
        ? processBytes.subarray(nameOffset, nameOffset + IMAGE_FILE_NAME_BYTES)
        : process !== undefined && process !== 0n
          ? await memory.read(process + BigInt(nameOffset), IMAGE_FILE_NAME_BYTES)
          : undefined;
    const name = imageFileName(nameBytes);
    if (name !== undefined) state.processName = name;
  }
  return state;
}
