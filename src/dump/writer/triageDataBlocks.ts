import {
  KBUGCHECK_CALLBACK_RECORD,
  KBUGCHECK_REASON_CALLBACK_RECORD,
  KDDEBUGGER_DATA64,
  KE_MAX_TRIAGE_DUMP_DATA_MEMORY_SIZE,
  KLDR_DATA_TABLE_ENTRY,
  UNICODE_STRING64,
  isCanonical,
  type ContextAmd64,
} from '../../format/index.js';
import type { Machine } from '../../machine/index.js';
import type { SystemMemoryReader, VaSegment } from './systemMemory.js';

/** Plan ranges beyond this count are not considered (the table would outgrow any real small dump). */
export const MAX_TRIAGE_RANGES = 0x10000;
/** Walks of in-memory lists stop after this many entries (a corrupt list must not hang the bug check). */
export const MAX_LIST_WALK = 1024;
/** Bytes kept around each register value that points into readable kernel memory. */
export const REGISTER_WINDOW = 0x100n;
/** Bytes of a callback Component string carried (its NUL included when shorter). */
const MAX_COMPONENT_NAME = 0x100;
const KERNEL_SPACE_START = 0xffff_8000_0000_0000n;
const PAGE_BYTES = 0x1000n;

export type TriageRangeProblemReason = 'invalid' | 'unreadable' | 'over-limit' | 'too-many';

/** A part of a requested triage range that is not in the dump, and why. */
export interface TriageRangeProblem {
  /** The range as the plan asked for it. */
  requested: { address: bigint; size: number };
  /** The part left out. */
  address: bigint;
  size: number;
  reason: TriageRangeProblemReason;
}

export interface TriageBlockPlan {
  /** Disjoint, ascending, readable VA intervals; each becomes one TRIAGE_DATA_BLOCK64. */
  blocks: VaSegment[];
  problems: TriageRangeProblem[];
  /** Bytes of the plan's ranges that made it into blocks (before merging with the defaults). */
  requestedBytesKept: number;
}

/**
 * The data blocks of a small dump: the plan's triage ranges (validated,
 * capped at KE_MAX_TRIAGE_DUMP_DATA_MEMORY_SIZE in total, unreadable parts
 * cut out and reported) together with the writer's defaults, merged into
 * disjoint ascending blocks so a VA maps to exactly one place in the file.
 */
export function planTriageDataBlocks(
  machine: Machine,
  reader: SystemMemoryReader,
  ranges: readonly { address: bigint; size: number }[],
  context: ContextAmd64,
  prcbSize: number,
): TriageBlockPlan {
  const problems: TriageRangeProblem[] = [];
  const segments: VaSegment[] = [];
  let budget = BigInt(KE_MAX_TRIAGE_DUMP_DATA_MEMORY_SIZE);
  let kept = 0;

  ranges.forEach((range, index) => {
    const requested = { address: range.address, size: range.size };
    if (index >= MAX_TRIAGE_RANGES) {
      problems.push({ requested, address: range.address, size: range.size, reason: 'too-many' });
      return;
    }
    if (!isValidRange(range)) {
      problems.push({ requested, address: range.address, size: range.size, reason: 'invalid' });
      return;
    }
    let size = BigInt(range.size);
    if (size > budget) {
      problems.push({ requested, address: range.address + budget, size: Number(size - budget), reason: 'over-limit' });
      size = budget;
    }
    if (size === 0n) return;
    budget -= size;
    const readable = reader.readableSegments(range.address, size);
    let cursor = range.address;
    for (const seg of readable) {
      if (seg.start > cursor)
        problems.push({ requested, address: cursor, size: Number(seg.start - cursor), reason: 'unreadable' });
      segments.push(seg);
      kept += Number(seg.end - seg.start);
      cursor = seg.end;
    }
    const end = range.address + size;
    if (cursor < end) problems.push({ requested, address: cursor, size: Number(end - cursor), reason: 'unreadable' });
  });

  for (const d of defaultTriageRanges(machine, reader, context, prcbSize)) {
    segments.push(...reader.readableSegments(d.start, d.end - d.start));
  }
  // IopTriageDumpDataBlocks (each processor's KPRCB.Context CONTEXT among them, as in genuine small
  // dumps); the callbacks' own ranges are listed there too, but only the budgeted copy above counts.
  const requested = new Set(ranges.map((r) => `${r.address}:${r.size}`));
  for (const b of machine.triageDumpDataBlocks) {
    if (requested.has(`${b.address}:${b.size}`)) continue;
    segments.push(...reader.readableSegments(b.address, BigInt(b.size)));
  }
  return { blocks: mergeSegments(segments), problems, requestedBytesKept: kept };
}

function isValidRange(range: { address: bigint; size: number }): boolean {
  if (!Number.isSafeInteger(range.size) || range.size <= 0) return false;
  if (typeof range.address !== 'bigint' || range.address < 0n) return false;
  const last = range.address + BigInt(range.size) - 1n;
  if (last > 0xffff_ffff_ffff_ffffn) return false;
  return (
    isCanonical(range.address) &&
    isCanonical(last) &&
    range.address >= KERNEL_SPACE_START === last >= KERNEL_SPACE_START
  );
}

/** Sorted, with overlapping or touching intervals joined. */
export function mergeSegments(segments: readonly VaSegment[]): VaSegment[] {
  const sorted = [...segments]
    .filter((s) => s.end > s.start)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: VaSegment[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && s.start <= last.end) {
      if (s.end > last.end) last.end = s.end;
    } else {
      out.push({ start: s.start, end: s.end });
    }
  }
  return out;
}

/**
 * What the writer always tries to carry, so a debugger reading the small
 * dump as virtual memory finds the usual anchors: the debugger data block,
 * KiBugCheckData, the module and process list heads, every processor's
 * KPRCB, KUSER_SHARED_DATA, both bug check callback lists (heads, records
 * and Component strings), every loaded module's KLDR_DATA_TABLE_ENTRY and
 * name buffers, and a small window around each register of the crash
 * context that points into kernel memory. (The ranges the kernel lists in
 * IopTriageDumpDataBlocks are added by planTriageDataBlocks.)
 */
export function defaultTriageRanges(
  machine: Machine,
  reader: SystemMemoryReader,
  context: ContextAmd64,
  prcbSize: number,
): VaSegment[] {
  const s = machine.symbols;
  const out: VaSegment[] = [];
  const add = (va: bigint, size: bigint | number): void => {
    if (va !== 0n) out.push({ start: va, end: va + BigInt(size) });
  };

  add(s.KdDebuggerDataBlock, KDDEBUGGER_DATA64.size);
  add(s.KiBugCheckData, 5 * 8);
  add(s.PsLoadedModuleList, 0x10);
  add(s.PsActiveProcessHead, 0x10);
  add(s.KUSER_SHARED_DATA, PAGE_BYTES);
  for (const p of machine.processors) add(p.prcb, prcbSize);

  for (const record of walkList(reader, s.KeBugCheckCallbackListHead)) {
    add(record, KBUGCHECK_CALLBACK_RECORD.size);
    addComponent(record + BigInt(KBUGCHECK_CALLBACK_RECORD.offsets.Component));
  }
  add(s.KeBugCheckCallbackListHead, 0x10);
  for (const record of walkList(reader, s.KeBugCheckReasonCallbackListHead)) {
    add(record, KBUGCHECK_REASON_CALLBACK_RECORD.size);
    addComponent(record + BigInt(KBUGCHECK_REASON_CALLBACK_RECORD.offsets.Component));
  }
  add(s.KeBugCheckReasonCallbackListHead, 0x10);

  for (const m of machine.modules) {
    add(m.ldrEntry, KLDR_DATA_TABLE_ENTRY.size);
    for (const field of [KLDR_DATA_TABLE_ENTRY.offsets.FullDllName, KLDR_DATA_TABLE_ENTRY.offsets.BaseDllName]) {
      const at = m.ldrEntry + BigInt(field);
      if (reader.readablePrefix(at, UNICODE_STRING64.size) < UNICODE_STRING64.size) continue;
      const name = UNICODE_STRING64.decode(reader.read(at, UNICODE_STRING64.size));
      if (name.Buffer !== 0n && name.MaximumLength > 0) add(name.Buffer, name.MaximumLength);
    }
  }

  const registers = [
    context.Rax,
    context.Rcx,
    context.Rdx,
    context.Rbx,
    context.Rbp,
    context.Rsi,
    context.Rdi,
    context.R8,
    context.R9,
    context.R10,
    context.R11,
    context.R12,
    context.R13,
    context.R14,
    context.R15,
    context.Rip,
  ];
  for (const value of registers) {
    if (value < KERNEL_SPACE_START || !isCanonical(value)) continue;
    const start = value & ~(REGISTER_WINDOW - 1n);
    if (reader.isReadable(start)) add(start, REGISTER_WINDOW);
  }
  return out;

  function addComponent(pointerVa: bigint): void {
    const component = reader.readU64(pointerVa);
    if (component === undefined || component === 0n) return;
    const size = reader.ansiStringSize(component, MAX_COMPONENT_NAME);
    if (size !== undefined) add(component, size);
  }
}

/** Entries of a LIST_ENTRY64 list in machine memory (Flink chain), bounded and cycle-safe. */
function* walkList(reader: SystemMemoryReader, head: bigint): Iterable<bigint> {
  if (head === 0n) return;
  const seen = new Set<bigint>([head]);
  let entry = reader.readU64(head);
  while (entry !== undefined && entry !== head && !seen.has(entry) && seen.size <= MAX_LIST_WALK) {
    seen.add(entry);
    yield entry;
    entry = reader.readU64(entry);
  }
}
