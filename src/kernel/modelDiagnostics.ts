import {
  BUGCHECK_MODEL_DIAGNOSTICS_FORMAT,
  BUGCHECK_MODEL_DIAGNOSTICS_VERSION,
  DIAGNOSTICS_MAX_PAGE_RANGES,
  type DiagnosticsCallback,
  type ModelDiagnostics,
} from '../format/index.js';
import type { BugCheckInfo } from './crashDumpTarget.js';
import { reasonName, type CallbackReport } from './reports.js';
import type { Violation } from './violations.js';

/**
 * The block spells numbers `0x` + lower-case hex (its decoder checks that); the format layer’s hex() spells them
 * upper-case. Values here are never negative (addresses, codes as ULONG).
 */
function blockHex(v: bigint | number): string {
  return `0x${v.toString(16)}`;
}

function bugCheckJson(info: BugCheckInfo): ModelDiagnostics['bugCheck'] {
  const [p1, p2, p3, p4] = info.parameters;
  return { code: blockHex(info.code >>> 0), parameters: [blockHex(p1), blockHex(p2), blockHex(p3), blockHex(p4)] };
}

/** The add/remove-pages ranges of a record (only members for records that returned some), so a viewer can mark the pages. */
export function pageRangesJson(c: CallbackReport): Pick<DiagnosticsCallback, 'pageRanges' | 'pageRangesOmitted'> {
  const all = c.contribution.pageRanges;
  if (all.length === 0) return {};
  const kept = all.slice(0, DIAGNOSTICS_MAX_PAGE_RANGES).map((r) => ({
    operation: r.operation,
    space: r.space,
    address: blockHex(r.address),
    count: blockHex(r.count),
    pages: r.pages,
  }));
  return all.length > kept.length
    ? { pageRanges: kept, pageRangesOmitted: all.length - kept.length }
    : { pageRanges: kept };
}

/**
 * What the kernel model saw during the bug check, as stored in bugcheck's own
 * secondary data block. Built after the data pass, so it covers every reason
 * callback; the legacy callbacks run after the dump and cannot be in it.
 */
export function buildModelDiagnostics(
  bugCheck: BugCheckInfo,
  nested: BugCheckInfo | null,
  violations: readonly Violation[],
  callbacks: readonly CallbackReport[],
): ModelDiagnostics {
  return {
    format: BUGCHECK_MODEL_DIAGNOSTICS_FORMAT,
    version: BUGCHECK_MODEL_DIAGNOSTICS_VERSION,
    bugCheck: bugCheckJson(bugCheck),
    nested: nested ? bugCheckJson(nested) : null,
    violations: violations.map((v) => ({
      component: v.component,
      record: v.record === null ? null : blockHex(v.record),
      reason: v.reason,
      reasonName: reasonName(v.reason),
      kind: v.kind,
      detail: v.detail,
      ...(v.address !== undefined ? { address: blockHex(v.address) } : {}),
    })),
    callbacks: callbacks
      .filter((c) => c.kind === 'reason')
      .map((c) => ({
        component: c.component,
        record: blockHex(c.record),
        reason: c.reason,
        reasonName: c.reasonName,
        routine: blockHex(c.routine),
        routineModule: c.routineModule,
        state: c.state,
        stateName: c.stateName,
        calls: c.calls,
        secondaryBlocks: c.contribution.secondaryData.length,
        secondaryBytes: sumBytes(c),
        dumpIoCalls: c.contribution.dumpIoCalls,
        pagesAdded: c.contribution.pagesAdded,
        pagesRemoved: c.contribution.pagesRemoved,
        triageRanges: c.contribution.triageRanges.length,
        skipped: c.skipped.length === 0 ? [] : [...c.skipped],
        ...pageRangesJson(c),
      })),
  };
}

function sumBytes(c: CallbackReport): number {
  let n = 0;
  const blocks = c.contribution.secondaryData;
  for (let i = 0; i < blocks.length; i++) n += blocks[i]!.bytes;
  return n;
}

/**
 * JSON text laid out straight into UTF-8 bytes, spelled exactly as
 * JSON.stringify spells it. The block of 10,000 records is 3.3 MB: what
 * counts is how little is allocated on the way (each scavenge during a bug
 * check copies every report still young), so the keys are copied from
 * bytes encoded once, small integers are written digit by digit, and
 * strings that need no escape (names, kinds) byte by byte; any other string
 * goes through JSON.stringify and TextEncoder.
 */
class JsonBytes {
  private buf: Uint8Array;
  private at = 0;

  /** `expected`: a guess of the size (sized right, the buffer is never copied to grow). */
  constructor(expected: number) {
    this.buf = new Uint8Array(Math.max(0x1000, expected));
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.at + n));
    grown.set(this.buf.subarray(0, this.at));
    this.buf = grown;
  }

  /** Bytes encoded once (keys and punctuation: see ascii()). */
  put(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.buf.set(bytes, this.at);
    this.at += bytes.length;
  }

  /** ASCII text written as it is (rare pieces: numbers that are not small integers, hex). */
  raw(s: string): void {
    const n = s.length;
    this.room(n);
    const b = this.buf;
    let at = this.at;
    for (let i = 0; i < n; i++) b[at++] = s.charCodeAt(i);
    this.at = at;
  }

  /** A string literal, quoted and escaped as JSON.stringify does. */
  str(s: string): void {
    const n = s.length;
    this.room(n + 2);
    const b = this.buf;
    let at = this.at;
    b[at++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) {
        this.escaped(s);
        return;
      }
      b[at++] = c;
    }
    b[at++] = 0x22;
    this.at = at;
  }

  private escaped(s: string): void {
    const bytes = UTF8.encode(JSON.stringify(s));
    this.room(bytes.length);
    this.buf.set(bytes, this.at);
    this.at += bytes.length;
  }

  /** A string or null. */
  strOrNull(s: string | null): void {
    if (s === null) this.put(NULL);
    else this.str(s);
  }

  /** A number as JSON.stringify spells it (null when not finite), or null. */
  num(n: number | null): void {
    if (n === null || !Number.isFinite(n)) {
      this.put(NULL);
      return;
    }
    if (!Number.isSafeInteger(n) || n < 0) {
      this.raw(String(n));
      return;
    }
    // A non-negative integer (counts, states, reasons): its digits, with no string made.
    this.room(16);
    const b = this.buf;
    let digits = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    let at = this.at + digits;
    this.at = at;
    let rest = n;
    do {
      b[--at] = 0x30 + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
  }

  /** `"0x…"`, lower-case hex (blockHex). */
  hex(v: bigint | number): void {
    const digits = v.toString(16);
    this.room(digits.length + 4);
    const b = this.buf;
    let at = this.at;
    b[at++] = 0x22;
    b[at++] = 0x30;
    b[at++] = 0x78;
    for (let i = 0; i < digits.length; i++) b[at++] = digits.charCodeAt(i);
    b[at++] = 0x22;
    this.at = at;
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.at);
  }
}

/** ASCII text as bytes, encoded once. */
function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

const NULL = ascii('null');

function writeBugCheck(out: JsonBytes, info: BugCheckInfo): void {
  const [p1, p2, p3, p4] = info.parameters;
  out.raw('{"code":');
  out.hex(info.code >>> 0);
  out.raw(',"parameters":[');
  out.hex(p1);
  out.raw(',');
  out.hex(p2);
  out.raw(',');
  out.hex(p3);
  out.raw(',');
  out.hex(p4);
  out.raw(']}');
}

function writeViolation(out: JsonBytes, v: Violation): void {
  out.raw('{"component":');
  out.str(v.component);
  out.raw(',"record":');
  if (v.record === null) out.raw('null');
  else out.hex(v.record);
  out.raw(',"reason":');
  out.num(v.reason);
  out.raw(',"reasonName":');
  out.str(reasonName(v.reason));
  out.raw(',"kind":');
  out.str(v.kind);
  out.raw(',"detail":');
  out.str(v.detail);
  if (v.address !== undefined) {
    out.raw(',"address":');
    out.hex(v.address);
  }
  out.raw('}');
}

const QUIET_TAIL = ascii(',"dumpIoCalls":0,"pagesAdded":0,"pagesRemoved":0,"triageRanges":0,"skipped":[]}');
const K_COMPONENT = ascii('{"component":');
const K_RECORD = ascii(',"record":');
const K_REASON = ascii(',"reason":');
const K_REASON_NAME = ascii(',"reasonName":');
const K_ROUTINE = ascii(',"routine":');
const K_ROUTINE_MODULE = ascii(',"routineModule":');
const K_STATE = ascii(',"state":');
const K_STATE_NAME = ascii(',"stateName":');
const K_CALLS = ascii(',"calls":');
const K_SECONDARY_BLOCKS = ascii(',"secondaryBlocks":');
const K_SECONDARY_BYTES = ascii(',"secondaryBytes":');

/**
 * The bytes of the members between two per-record values that most records share with the record before
 * them (`,"reason":…,"reasonName":…,"routine":` and `,"routineModule":…` through `"secondaryBytes":…`),
 * written once by the same JsonBytes calls and then copied while the values repeat.
 */
class SharedPieces {
  private reason: number | null | undefined = undefined;
  private reasonName = '';
  private reasonBytes: Uint8Array = new Uint8Array(0);
  private routineModule: string | null | undefined = undefined;
  private state = -1;
  private stateName = '';
  private calls = -1;
  private blocks = -1;
  private blockBytes = -1;
  private stateBytes: Uint8Array = new Uint8Array(0);

  reasonPiece(c: CallbackReport): Uint8Array {
    if (c.reason !== this.reason || c.reasonName !== this.reasonName) {
      const out = new JsonBytes(0x100);
      out.put(K_REASON);
      out.num(c.reason);
      out.put(K_REASON_NAME);
      out.str(c.reasonName);
      out.put(K_ROUTINE);
      this.reasonBytes = out.bytes();
      this.reason = c.reason;
      this.reasonName = c.reasonName;
    }
    return this.reasonBytes;
  }

  /** `,"routineModule":…` up to `"secondaryBytes":…` (the record's blocks and their bytes counted by the caller). */
  statePiece(c: CallbackReport, blocks: number, blockBytes: number): Uint8Array {
    if (
      c.routineModule !== this.routineModule ||
      c.state !== this.state ||
      c.stateName !== this.stateName ||
      c.calls !== this.calls ||
      blocks !== this.blocks ||
      blockBytes !== this.blockBytes
    ) {
      const out = new JsonBytes(0x100);
      out.put(K_ROUTINE_MODULE);
      out.strOrNull(c.routineModule);
      out.put(K_STATE);
      out.num(c.state);
      out.put(K_STATE_NAME);
      out.str(c.stateName);
      out.put(K_CALLS);
      out.num(c.calls);
      out.put(K_SECONDARY_BLOCKS);
      out.num(blocks);
      out.put(K_SECONDARY_BYTES);
      out.num(blockBytes);
      this.stateBytes = out.bytes();
      this.routineModule = c.routineModule;
      this.state = c.state;
      this.stateName = c.stateName;
      this.calls = c.calls;
      this.blocks = blocks;
      this.blockBytes = blockBytes;
    }
    return this.stateBytes;
  }
}

function writeCallback(out: JsonBytes, c: CallbackReport, shared: SharedPieces): void {
  const k = c.contribution;
  out.put(K_COMPONENT);
  out.str(c.component);
  out.put(K_RECORD);
  out.hex(c.record);
  out.put(shared.reasonPiece(c));
  out.hex(c.routine);
  out.put(shared.statePiece(c, k.secondaryData.length, sumBytes(c)));
  if (
    k.dumpIoCalls === 0 &&
    k.pagesAdded === 0 &&
    k.pagesRemoved === 0 &&
    k.triageRanges.length === 0 &&
    c.skipped.length === 0 &&
    k.pageRanges.length === 0
  ) {
    // What most records end with, as one piece.
    out.put(QUIET_TAIL);
    return;
  }
  out.raw(',"dumpIoCalls":');
  out.num(k.dumpIoCalls);
  out.raw(',"pagesAdded":');
  out.num(k.pagesAdded);
  out.raw(',"pagesRemoved":');
  out.num(k.pagesRemoved);
  out.raw(',"triageRanges":');
  out.num(k.triageRanges.length);
  out.raw(',"skipped":[');
  for (let i = 0; i < c.skipped.length; i++) {
    if (i > 0) out.raw(',');
    out.str(c.skipped[i]!);
  }
  out.raw(']');
  if (k.pageRanges.length > 0) {
    // Rare (add/remove-pages records only): the generic serializer, inside braces that are dropped.
    out.raw(',');
    const ranges = JSON.stringify(pageRangesJson(c));
    out.raw(ranges.slice(1, -1));
  }
  out.raw('}');
}

/**
 * The diagnostics block's bytes, straight from the reports: byte for byte
 * `encodeModelDiagnostics(buildModelDiagnostics(…))` (the format and its
 * decoder are src/format/diagnostics.ts), without building the object tree
 * and a JSON string first — with 10,000 records those were most of what the
 * block cost.
 */
export function encodeModelDiagnosticsBlock(
  bugCheck: BugCheckInfo,
  nested: BugCheckInfo | null,
  violations: readonly Violation[],
  callbacks: readonly CallbackReport[],
): Uint8Array {
  // About 340 bytes per record and 300 per violation in the usual case.
  const out = new JsonBytes(0x200 + 400 * callbacks.length + 320 * violations.length);
  out.raw('{"format":');
  out.str(BUGCHECK_MODEL_DIAGNOSTICS_FORMAT);
  out.raw(`,"version":${BUGCHECK_MODEL_DIAGNOSTICS_VERSION},"bugCheck":`);
  writeBugCheck(out, bugCheck);
  out.raw(',"nested":');
  if (nested) writeBugCheck(out, nested);
  else out.raw('null');
  out.raw(',"violations":[');
  for (let i = 0; i < violations.length; i++) {
    if (i > 0) out.raw(',');
    writeViolation(out, violations[i]!);
  }
  out.raw('],"callbacks":[');
  let first = true;
  const shared = new SharedPieces();
  for (let i = 0; i < callbacks.length; i++) {
    const c = callbacks[i]!;
    if (c.kind !== 'reason') continue;
    if (!first) out.raw(',');
    writeCallback(out, c, shared);
    first = false;
  }
  out.raw(']}');
  return out.bytes();
}

const UTF8 = new TextEncoder();
