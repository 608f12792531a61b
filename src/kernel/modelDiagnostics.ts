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
  for (const b of c.contribution.secondaryData) n += b.bytes;
  return n;
}

/**
 * JSON text laid out as short ASCII-or-not strings and encoded into UTF-8
 * bytes in batches by TextEncoder.encodeInto, spelled exactly as
 * JSON.stringify spells it (strings go through JSON.stringify itself). A byte
 * loop per character, or one big string joined and encoded at the end, each
 * cost several times more with 10,000 records (3.3 MB): encodeInto of a
 * one-byte string is a copy.
 */
class JsonBytes {
  private buf: Uint8Array;
  private at = 0;
  /** Text not yet encoded (flushed every FLUSH_CHARS). */
  private pending = '';

  /** `expected`: a guess of the size (sized right, the buffer is never copied to grow). */
  constructor(expected: number) {
    this.buf = new Uint8Array(Math.max(0x1000, expected));
  }

  private flush(): void {
    const s = this.pending;
    this.pending = '';
    // At most 3 UTF-8 bytes per UTF-16 unit (a surrogate pair takes 4 for 2).
    const need = this.at + 3 * s.length;
    if (need > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, need));
      grown.set(this.buf.subarray(0, this.at));
      this.buf = grown;
    }
    this.at += UTF8.encodeInto(s, this.buf.subarray(this.at)).written;
  }

  /** Text written as it is (keys, punctuation, numbers, hex, strings already quoted). */
  raw(s: string): void {
    this.pending += s;
    if (this.pending.length >= FLUSH_CHARS) this.flush();
  }

  /** A string literal, quoted and escaped as JSON.stringify does. */
  str(s: string): void {
    this.raw(JSON.stringify(s));
  }

  /** A string or null. */
  strOrNull(s: string | null): void {
    this.raw(s === null ? 'null' : JSON.stringify(s));
  }

  /** A number as JSON.stringify spells it (null when not finite), or null. */
  num(n: number | null): void {
    this.raw(numText(n));
  }

  /** `"0x…"`, lower-case hex (blockHex). */
  hex(v: bigint | number): void {
    this.raw(`"0x${v.toString(16)}"`);
  }

  bytes(): Uint8Array {
    this.flush();
    return this.buf.subarray(0, this.at);
  }
}

/** Characters of text gathered before one encodeInto (small enough to stay in the young generation). */
const FLUSH_CHARS = 0x4000;

function numText(n: number | null): string {
  return n === null || !Number.isFinite(n) ? 'null' : String(n);
}

/** The kernel's own names (reason, state), quoted once: a few distinct values for thousands of records. */
const quotedNames = new Map<string, string>();
function quotedName(s: string): string {
  let q = quotedNames.get(s);
  if (q === undefined) {
    q = JSON.stringify(s);
    if (quotedNames.size < 256) quotedNames.set(s, q);
  }
  return q;
}

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

const QUIET_TAIL = ',"dumpIoCalls":0,"pagesAdded":0,"pagesRemoved":0,"triageRanges":0,"skipped":[]}';

function writeCallback(out: JsonBytes, c: CallbackReport): void {
  const k = c.contribution;
  // The members every record has, as one piece of text.
  out.raw(
    `{"component":${JSON.stringify(c.component)},"record":"0x${c.record.toString(16)}","reason":${numText(c.reason)}` +
      `,"reasonName":${quotedName(c.reasonName)},"routine":"0x${c.routine.toString(16)}"` +
      `,"routineModule":${c.routineModule === null ? 'null' : JSON.stringify(c.routineModule)}` +
      `,"state":${numText(c.state)},"stateName":${quotedName(c.stateName)},"calls":${numText(c.calls)}` +
      `,"secondaryBlocks":${k.secondaryData.length},"secondaryBytes":${numText(sumBytes(c))}`,
  );
  if (
    k.dumpIoCalls === 0 &&
    k.pagesAdded === 0 &&
    k.pagesRemoved === 0 &&
    k.triageRanges.length === 0 &&
    c.skipped.length === 0 &&
    k.pageRanges.length === 0
  ) {
    // What most records end with, as one piece.
    out.raw(QUIET_TAIL);
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
  for (const c of callbacks) {
    if (c.kind !== 'reason') continue;
    if (!first) out.raw(',');
    writeCallback(out, c);
    first = false;
  }
  out.raw(']}');
  return out.bytes();
}

const UTF8 = new TextEncoder();
