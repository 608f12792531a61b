import {
  KBUGCHECK_CALLBACK_RECORD,
  KBugCheckBufferDumpState,
  LIST_ENTRY64,
  BugcheckError,
  DUMP_HEADER64,
  enumName,
  isPageFiller,
} from '../format/index.js';
import type { CrashDump, DumpProblem, MemoryRead, TriageModule } from '../dump/reader/index.js';
import { presenceFromStatus } from './hexdump.js';
import { findModule, moduleOffsetText } from './modules.js';
import { bytesHex, jsonHex, latin1 } from './text.js';

/**
 * WinDbg's `!bugdump`: the legacy KeRegisterBugCheckCallback records, found
 * by walking KDDEBUGGER_DATA64.KeBugCheckCallbackListHead through the dump's
 * memory, and each record's buffer as the dump holds it. Legacy routines run
 * after the dump is written (dumpformat.md §3.5), so the bytes are what the
 * buffer held before the crash, not what the routine wrote into it.
 */

/**
 * More records than this means a corrupt (or crafted) list; the walk stops.
 * Real systems register a handful of legacy callbacks.
 */
export const BUGDUMP_MAX_RECORDS = 4096;
/** Bytes of one buffer read by default; Length is a ULONG from the dump and is not trusted for allocation. */
export const BUGDUMP_DEFAULT_MAX_BUFFER_BYTES = 0x10000;
export const BUGDUMP_MAX_BUFFER_BYTES = 0x1000000;
/**
 * Buffer bytes held for all records together. Past it only the records'
 * fields (Length included) are kept, so a crafted list cannot make the walk
 * hold records × buffer size bytes.
 */
export const BUGDUMP_MAX_TOTAL_BUFFER_BYTES = 0x1000000;
/** Inconsistent Blinks reported one by one; the rest are counted in one problem. */
const BUGDUMP_MAX_BLINK_WARNINGS = 8;
/** Longest Component string read (it is a NUL-terminated ANSI string in nonpaged memory). */
export const BUGDUMP_MAX_COMPONENT_BYTES = 256;
const U64_MAX = (1n << 64n) - 1n;

export interface BugDumpRecord {
  /** Address of the KBUGCHECK_CALLBACK_RECORD (its Entry is at offset 0). */
  address: bigint;
  /** The Component string; null when its bytes are not in the dump. */
  component: string | null;
  componentAddress: bigint;
  callbackRoutine: bigint;
  /** `mydriver+0x1020` when the routine lies in a loaded module. */
  routineSymbol: string | null;
  buffer: bigint;
  length: number;
  checksum: bigint;
  state: number;
  stateName: string;
  /**
   * The buffer's bytes as in the dump (up to the read limits); null when
   * Buffer is NULL, Length 0, or the total limit was reached before it (`omitted`).
   */
  data: MemoryRead | null;
  /** Length was larger than the bytes read. */
  truncated: boolean;
  /** The buffer was not read at all: BUGDUMP_MAX_TOTAL_BUFFER_BYTES were already held. */
  omitted: boolean;
}

export interface BugDumpResult {
  /** False when the dump cannot hold the records (small dumps, no kernel memory, no KDBG); `reason` says why. */
  available: boolean;
  reason?: string;
  listHead: bigint | null;
  /** Every record on the list, in list order (or only those of the requested component). */
  records: BugDumpRecord[];
  /** Records on the list before the component filter. */
  totalRecords: number;
  problems: DumpProblem[];
}

export interface BugDumpOptions {
  /** Only records whose Component equals this (case-insensitive). */
  component?: string;
  /** Most bytes read per buffer (default 0x10000, at most 0x1000000). */
  maxBufferBytes?: number;
  /** Most buffer bytes held for all records together (default and at most BUGDUMP_MAX_TOTAL_BUFFER_BYTES). */
  maxTotalBufferBytes?: number;
}

function problem(message: string, severity: 'warning' | 'error' = 'warning'): DumpProblem {
  return { code: 'ANALYZE_BUGDUMP', severity, structure: 'KBUGCHECK_CALLBACK_RECORD', message };
}

/** A NUL-terminated ANSI string, read page by page; null when its first byte is not in the dump. */
async function readAnsi(dump: CrashDump, va: bigint, max: number): Promise<string | null> {
  if (va === 0n || va > U64_MAX - BigInt(max)) return null;
  const bytes: number[] = [];
  let cur = va;
  while (bytes.length < max) {
    const n = Math.min(max - bytes.length, 0x1000 - Number(cur & 0xfffn));
    const r = await dump.readVirtual(cur, n);
    const present = presenceFromStatus(cur, r.status);
    for (let i = 0; i < n; i++) {
      if (!present(i)) return bytes.length === 0 ? null : latin1(bytes);
      if (r.bytes[i] === 0) return latin1(bytes);
      bytes.push(r.bytes[i]!);
    }
    cur += BigInt(n);
  }
  return latin1(bytes);
}

async function readOrProblem(
  dump: CrashDump,
  va: bigint,
  length: number,
  problems: DumpProblem[],
): Promise<MemoryRead | undefined> {
  try {
    return await dump.readVirtual(va, length);
  } catch (err) {
    if (!(err instanceof BugcheckError)) throw err;
    problems.push(problem(`reading ${jsonHex(length)} bytes at ${jsonHex(va)}: ${err.message}`));
    return undefined;
  }
}

/**
 * Walks KeBugCheckCallbackListHead in the dump (bounded by
 * BUGDUMP_MAX_RECORDS and a visited set, so a looping list ends) and
 * decodes every KBUGCHECK_CALLBACK_RECORD. Never throws for what the dump
 * holds: missing or inconsistent pieces become problems.
 */
export async function walkBugCheckCallbacks(dump: CrashDump, options: BugDumpOptions = {}): Promise<BugDumpResult> {
  const problems: DumpProblem[] = [];
  const unavailable = (reason: string, listHead: bigint | null = null): BugDumpResult => ({
    available: false,
    reason,
    listHead,
    records: [],
    totalRecords: 0,
    problems,
  });
  if (dump.body.kind === 'triage') {
    return unavailable(
      'this is a small memory dump (DUMP_TYPE_TRIAGE): legacy bug check callback records and buffers are not in small dumps; use a kernel or complete dump',
    );
  }
  if (dump.body.kind === 'none') return unavailable(`this dump holds no memory (${dump.body.reason})`);
  let kd: Awaited<ReturnType<CrashDump['kdDebuggerData']>>;
  try {
    kd = await dump.kdDebuggerData();
  } catch (err) {
    if (!(err instanceof BugcheckError)) throw err;
    // A hostile KdDebuggerDataBlock (near 2^64, say): a problem naming the header field, not a lost command.
    problems.push({
      code: err.code,
      severity: 'error',
      structure: 'DUMP_HEADER64.KdDebuggerDataBlock',
      offset: BigInt(DUMP_HEADER64.offsets.KdDebuggerDataBlock),
      message: `KDDEBUGGER_DATA64 (DUMP_HEADER64.KdDebuggerDataBlock ${jsonHex(dump.header.kdDebuggerDataBlock)}) could not be read: ${err.message}`,
    });
    kd = undefined;
  }
  if (kd === undefined) {
    // The reader records why (a KdDebuggerDataBlock that leads nowhere is located at its header field).
    problems.push(...dump.problems.filter((p) => p.code === 'E_DUMP_KDBG'));
    return unavailable(
      'the dump has no readable KDDEBUGGER_DATA64 (KdDebuggerDataBlock), so KeBugCheckCallbackListHead is unknown',
    );
  }
  const head = kd.KeBugCheckCallbackListHead;
  if (head === 0n || isPageFiller(head))
    return unavailable(`KDDEBUGGER_DATA64.KeBugCheckCallbackListHead is ${jsonHex(head)}, not an address`);

  const clamp = (value: number | undefined, fallback: number, max: number): number =>
    Math.min(Math.max(value ?? fallback, 0), max);
  const maxBuffer = clamp(options.maxBufferBytes, BUGDUMP_DEFAULT_MAX_BUFFER_BYTES, BUGDUMP_MAX_BUFFER_BYTES);
  const totalLimit = clamp(options.maxTotalBufferBytes, BUGDUMP_MAX_TOTAL_BUFFER_BYTES, BUGDUMP_MAX_TOTAL_BUFFER_BYTES);
  let budget = totalLimit;
  const wanted = options.component?.toLowerCase();
  let modules: readonly TriageModule[] = [];
  try {
    modules = (await dump.modules()).loaded;
  } catch (err) {
    if (!(err instanceof BugcheckError)) throw err;
    problems.push({
      code: err.code,
      severity: 'warning',
      structure: 'DUMP_HEADER64.PsLoadedModuleList',
      offset: BigInt(DUMP_HEADER64.offsets.PsLoadedModuleList),
      message: `the loaded-module list could not be walked (routines are shown without module names): ${err.message}`,
    });
  }
  const headRead = await readOrProblem(dump, head, LIST_ENTRY64.size, problems);
  if (headRead === undefined || !headRead.complete) {
    return unavailable(`KeBugCheckCallbackListHead at ${jsonHex(head)} is not in the dump`, head);
  }

  // Only the records asked for are kept (and only their buffers read); the others are counted.
  const records: BugDumpRecord[] = [];
  let total = 0;
  let omitted = 0;
  let badBlinks = 0;
  const seen = new Set<bigint>([head]);
  let previous = head;
  let link = LIST_ENTRY64.decode(headRead.bytes).Flink;
  while (link !== head) {
    if (total >= BUGDUMP_MAX_RECORDS) {
      problems.push(
        problem(`more than ${BUGDUMP_MAX_RECORDS} records on KeBugCheckCallbackListHead; the walk stops`, 'error'),
      );
      break;
    }
    if (seen.has(link)) {
      problems.push(
        problem(
          `KeBugCheckCallbackListHead loops back to ${jsonHex(link)} without returning to its head; the walk stops after ${total} records`,
          'error',
        ),
      );
      break;
    }
    seen.add(link);
    const r = await readOrProblem(dump, link, KBUGCHECK_CALLBACK_RECORD.size, problems);
    if (r === undefined || !r.complete) {
      problems.push(
        problem(`the record at ${jsonHex(link)} is not in the dump; the walk stops after ${total} records`, 'error'),
      );
      break;
    }
    const rec = KBUGCHECK_CALLBACK_RECORD.decode(r.bytes);
    if (rec.Entry.Blink !== previous) {
      if (badBlinks < BUGDUMP_MAX_BLINK_WARNINGS) {
        problems.push(
          problem(
            `record ${jsonHex(link)}: Entry.Blink is ${jsonHex(rec.Entry.Blink)}, expected ${jsonHex(previous)} (the list is inconsistent)`,
          ),
        );
      }
      badBlinks++;
    }
    total++;
    previous = link;
    const address = link;
    link = rec.Entry.Flink;
    const component = await readAnsi(dump, rec.Component, BUGDUMP_MAX_COMPONENT_BYTES);
    if (wanted !== undefined && component?.toLowerCase() !== wanted) continue;

    let data: MemoryRead | null = null;
    let truncated = false;
    let skipped = false;
    if (rec.Buffer !== 0n && rec.Length > 0) {
      const length = Math.min(rec.Length, maxBuffer, budget);
      truncated = length < rec.Length;
      if (length === 0) {
        skipped = true;
        omitted++;
      } else {
        budget -= length;
        data = (await readOrProblem(dump, rec.Buffer, length, problems)) ?? null;
      }
    }
    const module = findModule(modules, rec.CallbackRoutine);
    records.push({
      address,
      component,
      componentAddress: rec.Component,
      callbackRoutine: rec.CallbackRoutine,
      routineSymbol: module === undefined ? null : moduleOffsetText(module, rec.CallbackRoutine),
      buffer: rec.Buffer,
      length: rec.Length,
      checksum: rec.Checksum,
      state: rec.State,
      stateName: enumName(KBugCheckBufferDumpState, rec.State),
      data,
      truncated,
      omitted: skipped,
    });
  }
  if (badBlinks > BUGDUMP_MAX_BLINK_WARNINGS) {
    problems.push(
      problem(
        `${badBlinks - BUGDUMP_MAX_BLINK_WARNINGS} more records have an Entry.Blink that does not point back (${badBlinks} in all)`,
      ),
    );
  }
  if (omitted > 0) {
    problems.push(
      problem(
        `the buffers add up to more than ${jsonHex(totalLimit)} bytes: ${omitted} record${omitted === 1 ? '' : 's'} shown without ${omitted === 1 ? 'its buffer' : 'their buffers'} (Length only)`,
      ),
    );
  }
  return { available: true, listHead: head, records, totalRecords: total, problems };
}

export interface BugDumpRecordJson {
  address: string;
  component: string | null;
  componentAddress: string;
  callbackRoutine: string;
  routineSymbol: string | null;
  buffer: string;
  length: number;
  checksum: string;
  state: number;
  stateName: string;
  /** Bytes shown (Length, or less when truncated). */
  bytesShown: number;
  truncated: boolean;
  /** The buffer was not read: the walk already held its total limit of buffer bytes. */
  omitted: boolean;
  /** Every shown byte is in the dump. */
  complete: boolean;
  /** Hex of the shown bytes; bytes not in the dump read as 00 (see pages). */
  bytes: string;
  pages: { address: string; length: number; status: string }[];
}

export interface BugDumpJson {
  available: boolean;
  reason?: string;
  listHead: string | null;
  totalRecords: number;
  records: BugDumpRecordJson[];
  problems: { code: string; severity: string; message: string }[];
}

export function bugDumpJson(result: BugDumpResult): BugDumpJson {
  const out: BugDumpJson = {
    available: result.available,
    listHead: result.listHead === null ? null : jsonHex(result.listHead),
    totalRecords: result.totalRecords,
    records: result.records.map((r) => ({
      address: jsonHex(r.address),
      component: r.component,
      componentAddress: jsonHex(r.componentAddress),
      callbackRoutine: jsonHex(r.callbackRoutine),
      routineSymbol: r.routineSymbol,
      buffer: jsonHex(r.buffer),
      length: r.length,
      checksum: jsonHex(r.checksum),
      state: r.state,
      stateName: r.stateName,
      bytesShown: r.data?.bytes.length ?? 0,
      truncated: r.truncated,
      omitted: r.omitted,
      complete: r.data?.complete ?? true,
      bytes: r.data === null ? '' : bytesHex(r.data.bytes),
      pages:
        r.data === null
          ? []
          : r.data.status.map((s) => ({ address: jsonHex(s.address), length: s.length, status: s.status })),
    })),
    problems: result.problems.map((p) => ({ code: p.code, severity: p.severity, message: p.message })),
  };
  if (result.reason !== undefined) out.reason = result.reason;
  return out;
}
