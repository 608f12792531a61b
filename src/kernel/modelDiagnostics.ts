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
 * A JSON string literal, exactly as JSON.stringify spells it. Most strings
 * the block holds (names, hex, kinds) need no escape: they are quoted as they
 * are, without a call into the generic serializer.
 */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
function jsonString(s: string): string {
  return PLAIN.test(s) ? `"${s}"` : JSON.stringify(s);
}

function jsonNumberOrNull(n: number | null): string {
  return n === null || !Number.isFinite(n) ? 'null' : String(n);
}

function bugCheckText(info: BugCheckInfo): string {
  const b = bugCheckJson(info);
  const [p1, p2, p3, p4] = b.parameters;
  return `{"code":"${b.code}","parameters":["${p1}","${p2}","${p3}","${p4}"]}`;
}

function violationText(v: Violation): string {
  let s = `{"component":${jsonString(v.component)},"record":${v.record === null ? 'null' : `"${blockHex(v.record)}"`},"reason":${jsonNumberOrNull(v.reason)},"reasonName":${jsonString(reasonName(v.reason))},"kind":${jsonString(v.kind)},"detail":${jsonString(v.detail)}`;
  if (v.address !== undefined) s += `,"address":"${blockHex(v.address)}"`;
  return `${s}}`;
}

function callbackText(c: CallbackReport): string {
  const k = c.contribution;
  let skipped = '[]';
  if (c.skipped.length > 0) {
    skipped = '[';
    for (let i = 0; i < c.skipped.length; i++) skipped += (i > 0 ? ',' : '') + jsonString(c.skipped[i]!);
    skipped += ']';
  }
  let s = `{"component":${jsonString(c.component)},"record":"${blockHex(c.record)}","reason":${jsonNumberOrNull(c.reason)},"reasonName":${jsonString(c.reasonName)},"routine":"${blockHex(c.routine)}","routineModule":${c.routineModule === null ? 'null' : jsonString(c.routineModule)},"state":${c.state},"stateName":${jsonString(c.stateName)},"calls":${c.calls},"secondaryBlocks":${k.secondaryData.length},"secondaryBytes":${sumBytes(c)},"dumpIoCalls":${k.dumpIoCalls},"pagesAdded":${k.pagesAdded},"pagesRemoved":${k.pagesRemoved},"triageRanges":${k.triageRanges.length},"skipped":${skipped}`;
  if (k.pageRanges.length > 0) {
    // Rare (add/remove-pages records only): the generic serializer, inside braces that are dropped.
    const ranges = JSON.stringify(pageRangesJson(c));
    s += `,${ranges.slice(1, -1)}`;
  }
  return `${s}}`;
}

/**
 * The diagnostics block's bytes, straight from the reports: byte for byte
 * `encodeModelDiagnostics(buildModelDiagnostics(…))` (the format and its
 * decoder are src/format/diagnostics.ts), without building the object tree
 * first — with 10,000 records that tree and its generic serialisation were
 * most of what the block cost.
 */
export function encodeModelDiagnosticsBlock(
  bugCheck: BugCheckInfo,
  nested: BugCheckInfo | null,
  violations: readonly Violation[],
  callbacks: readonly CallbackReport[],
): Uint8Array {
  const parts: string[] = [
    `{"format":${jsonString(BUGCHECK_MODEL_DIAGNOSTICS_FORMAT)},"version":${BUGCHECK_MODEL_DIAGNOSTICS_VERSION},"bugCheck":${bugCheckText(bugCheck)},"nested":${nested ? bugCheckText(nested) : 'null'},"violations":[`,
  ];
  for (let i = 0; i < violations.length; i++) parts.push((i > 0 ? ',' : '') + violationText(violations[i]!));
  parts.push('],"callbacks":[');
  let first = true;
  for (const c of callbacks) {
    if (c.kind !== 'reason') continue;
    parts.push((first ? '' : ',') + callbackText(c));
    first = false;
  }
  parts.push(']}');
  return UTF8.encode(parts.join(''));
}

const UTF8 = new TextEncoder();
