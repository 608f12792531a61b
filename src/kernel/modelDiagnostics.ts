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
