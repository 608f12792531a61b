/*
 * How large the secondary data area may grow, as the kernel can tell before
 * the data pass: the writer puts RequiredDumpSpace = end of the primary body
 * + this estimate into the header it writes first and never revisits it
 * (a header rewrite after the secondary data would break the DumpIo order
 * Header → Body → SecondaryData → Complete). Overstating is harmless —
 * genuine triage dumps carry a RequiredDumpSpace larger than the file —
 * understating is possible only when callbacks break the protocol (docs/model.md).
 */

import {
  BUGCHECK_MODEL_DIAGNOSTICS_FORMAT,
  DUMP_BLOB_FILE_HEADER,
  DUMP_BLOB_HEADER,
  KBugCheckBufferDumpState,
  KbCallbackReason,
  type DiagnosticsCallback,
  type DiagnosticsViolation,
  type ModelDiagnostics,
} from '../format/index.js';
import { pageRangesJson } from './modelDiagnostics.js';
import { reasonName, type CallbackReport } from './reports.js';
import type { BugCheckRun } from './run.js';

/** Bytes one blob of `dataLength` bytes takes in the area: DUMP_BLOB_HEADER, data, PostPad to 8. */
export function blobSpace(dataLength: number): number {
  return DUMP_BLOB_HEADER.size + Math.ceil(dataLength / 8) * 8;
}

/**
 * What the size pass announced, as area bytes: per record one blob of
 * min(OutBufferLength, MaximumAllowed) — the data pass may return less, never
 * more without a size-mismatch violation — or nothing when a record announced
 * 0 and empty blocks are skipped.
 */
export function sizePassSpace(announced: number, maximumAllowed: number, emptyBlocks: 'write' | 'skip'): number {
  if (announced === 0 && emptyBlocks === 'skip') return 0;
  return blobSpace(Math.min(announced, maximumAllowed));
}

/**
 * Multi-part records have no size pass. Before the dump is written the kernel
 * reserves `secondaryData.multiPartAreaBytes` of the area for all of them
 * together, and each part's MaximumAllowed is capped by what is left of it
 * (secondary.ts), so that reservation is a true bound; it is reserved only
 * when such a record is registered, and never more than the loop bound
 * (records × multiPartMaxParts × (0x20 + MaximumAllowed)) allows.
 */
function multiPartSpace(run: BugCheckRun, reports: readonly CallbackReport[]): number {
  const { maximumAllowed, multiPartMaxParts, multiPartAreaBytes } = run.k.settings.secondaryData;
  const records = reports.filter((r) => r.reason === KbCallbackReason.KbCallbackSecondaryMultiPartDumpData).length;
  return Math.min(multiPartAreaBytes, records * multiPartMaxParts * blobSpace(maximumAllowed));
}

const LONGEST_ADDRESS = `0x${'f'.repeat(16)}`;
const LONGEST_NUMBER = Number.MAX_SAFE_INTEGER;
const LONGEST_STATE_NAME = [...Object.keys(KBugCheckBufferDumpState), 'unknown (255)'].reduce((a, b) =>
  b.length > a.length ? b : a,
);
const JSON_BYTES = (value: unknown): number => JSON.stringify(value).length;
/**
 * UTF-8 bytes of a string a driver controls inside JSON, at most: a control character becomes \u00XX (6), a
 * UTF-16 unit ≤ 3 bytes. The kernel's own names (reason, state, violation kind) are ASCII: their length.
 */
const stringBound = (s: string | null): number => 6 * (s?.length ?? 0);

/** One callbacks[] entry with every string empty and every number and address as long as it can be, plus its comma. */
const CALLBACK_FIXED =
  JSON_BYTES({
    component: '',
    record: LONGEST_ADDRESS,
    reason: LONGEST_NUMBER,
    reasonName: '',
    routine: LONGEST_ADDRESS,
    routineModule: '',
    state: LONGEST_NUMBER,
    stateName: LONGEST_STATE_NAME,
    calls: LONGEST_NUMBER,
    secondaryBlocks: LONGEST_NUMBER,
    secondaryBytes: LONGEST_NUMBER,
    dumpIoCalls: LONGEST_NUMBER,
    pagesAdded: LONGEST_NUMBER,
    pagesRemoved: LONGEST_NUMBER,
    triageRanges: LONGEST_NUMBER,
    skipped: [],
  } satisfies DiagnosticsCallback) + 1;

/** One violations[] entry likewise (strings empty), plus its comma. */
const VIOLATION_FIXED =
  JSON_BYTES({
    component: '',
    record: LONGEST_ADDRESS,
    reason: LONGEST_NUMBER,
    reasonName: '',
    kind: '',
    detail: '',
    address: LONGEST_ADDRESS,
  } satisfies DiagnosticsViolation) + 1;

const ENVELOPE = ((): number => {
  const info = {
    code: LONGEST_ADDRESS,
    parameters: [LONGEST_ADDRESS, LONGEST_ADDRESS, LONGEST_ADDRESS, LONGEST_ADDRESS] as [
      string,
      string,
      string,
      string,
    ],
  };
  return JSON_BYTES({
    format: BUGCHECK_MODEL_DIAGNOSTICS_FORMAT,
    version: LONGEST_NUMBER,
    bugCheck: info,
    nested: info,
    violations: [],
    callbacks: [],
  } satisfies ModelDiagnostics);
})();

/** More than any ViolationKind's name ('missing-component' is the longest, 17). */
const KIND_BYTES = 24;
/** Violations a record still to be called (data pass, DumpIo) is expected to add at most, and their detail text. */
const FUTURE_VIOLATIONS_PER_RECORD = 2;
const FUTURE_DETAIL_BYTES = 512;
const FUTURE_REASONS: readonly (number | null)[] = [
  KbCallbackReason.KbCallbackSecondaryDumpData,
  KbCallbackReason.KbCallbackSecondaryMultiPartDumpData,
  KbCallbackReason.KbCallbackDumpIo,
];

/**
 * Room for bugcheck's own diagnostics block, built only after the data pass.
 * Exact for what is known when the plan is made (every reason record's entry,
 * every violation so far: their strings are measured, numbers taken at their
 * longest); an allowance of FUTURE_VIOLATIONS_PER_RECORD violations for each
 * record the data pass and DumpIo will still call. A routine that breaks
 * more rules than that, or throws an Error with a long message, can exceed it.
 */
function diagnosticsSpace(run: BugCheckRun, reports: readonly CallbackReport[]): number {
  let bytes = ENVELOPE;
  // Indexed loops: this runs once per bug check over every record, mostly before it is optimized, and a for-of
  // then makes an iterator result per record (and an iterator per report for its skips).
  for (let i = 0; i < reports.length; i++) {
    const r = reports[i]!;
    if (r.kind !== 'reason') continue;
    bytes += CALLBACK_FIXED + stringBound(r.component) + r.reasonName.length + stringBound(r.routineModule);
    const skipped = r.skipped;
    for (let j = 0; j < skipped.length; j++) bytes += stringBound(skipped[j]!) + 3;
    // The page ranges are all known when the plan is made (the page callbacks ran before it): their exact JSON.
    if (r.contribution.pageRanges.length > 0) bytes += JSON_BYTES(pageRangesJson(r));
    if (FUTURE_REASONS.includes(r.reason)) {
      bytes +=
        FUTURE_VIOLATIONS_PER_RECORD *
        (VIOLATION_FIXED + stringBound(r.component) + r.reasonName.length + KIND_BYTES + FUTURE_DETAIL_BYTES);
    }
  }
  for (const v of run.log.all) {
    bytes +=
      VIOLATION_FIXED + stringBound(v.component) + reasonName(v.reason).length + v.kind.length + stringBound(v.detail);
  }
  return blobSpace(bytes);
}

/**
 * Upper bound of the secondary data area in bytes (DumpBlob file header,
 * every blob header, data and padding), given the area bytes the size pass
 * announced (Σ sizePassSpace). 0 when no block can be written. Saturates at
 * Number.MAX_SAFE_INTEGER (only reachable with extreme multi-part settings).
 */
export function secondaryDataAreaEstimate(run: BugCheckRun, sizePassBytes: number): number {
  const reports = run.callbackReports;
  // The data pass lets multi-part records fill exactly this much (secondary.ts).
  run.multiPartReserve = multiPartSpace(run, reports);
  let blobs = sizePassBytes + run.multiPartReserve;
  if (run.k.settings.dump.modelDiagnostics) blobs += diagnosticsSpace(run, reports);
  if (blobs === 0) return 0;
  return Math.min(Number.MAX_SAFE_INTEGER, DUMP_BLOB_FILE_HEADER.size + blobs);
}
