import {
  BUGCHECK_MODEL_DIAGNOSTICS_FORMAT,
  BUGCHECK_MODEL_DIAGNOSTICS_VERSION,
  type ModelDiagnostics,
} from '../format/index.js';
import type { BugCheckInfo } from './crashDumpTarget.js';
import type { CallbackReport } from './reports.js';
import type { Violation } from './violations.js';
import { reasonName } from './reports.js';

const hex = (v: bigint | number): string => '0x' + (typeof v === 'bigint' ? v : BigInt(v)).toString(16);

function bugCheckJson(info: BugCheckInfo): ModelDiagnostics['bugCheck'] {
  const [p1, p2, p3, p4] = info.parameters;
  return { code: hex(info.code >>> 0), parameters: [hex(p1), hex(p2), hex(p3), hex(p4)] };
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
      record: v.record === null ? null : hex(v.record),
      reason: v.reason,
      reasonName: reasonName(v.reason),
      kind: v.kind,
      detail: v.detail,
      ...(v.address !== undefined ? { address: hex(v.address) } : {}),
    })),
    callbacks: callbacks
      .filter((c) => c.kind === 'reason')
      .map((c) => ({
        component: c.component,
        record: hex(c.record),
        reason: c.reason,
        reasonName: c.reasonName,
        routine: hex(c.routine),
        routineModule: c.routineModule,
        state: c.state,
        stateName: c.stateName,
        calls: c.calls,
        secondaryBlocks: c.contribution.secondaryData.length,
        secondaryBytes: c.contribution.secondaryData.reduce((n, b) => n + b.bytes, 0),
        dumpIoCalls: c.contribution.dumpIoCalls,
        pagesAdded: c.contribution.pagesAdded,
        pagesRemoved: c.contribution.pagesRemoved,
        triageRanges: c.contribution.triageRanges.length,
        skipped: [...c.skipped],
      })),
  };
}
