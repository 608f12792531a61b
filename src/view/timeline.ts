/**
 * The bug check as a timeline of its callbacks: the phases in the order the
 * kernel runs them (callbacks.md §5.7) and, for every callback record, the
 * phases it took part in, its outcome and its violations — from bugcheck's
 * model-diagnostics block; the legacy records from KeBugCheckCallbackListHead.
 */
import type { BugDumpResult } from '../analyze/index.js';
import { KbCallbackReason, type ModelDiagnostics } from '../format/index.js';

export interface TimelinePhase {
  id: string;
  label: string;
  /** What happens in it. */
  what: string;
}

export const TIMELINE_PHASES: readonly TimelinePhase[] = [
  { id: 'size', label: 'Size pass', what: 'KbCallbackSecondaryDumpData with OutBuffer NULL: how much each will give' },
  { id: 'add', label: 'Add pages', what: 'KbCallbackAddPages: pages to put in the dump' },
  { id: 'remove', label: 'Remove pages', what: 'KbCallbackRemovePages: pages to leave out' },
  { id: 'triage', label: 'Triage', what: 'KbCallbackTriageDumpData: ranges for the small dump' },
  { id: 'body', label: 'Header and body', what: 'the dump is written; KbCallbackDumpIo sees each write' },
  { id: 'data', label: 'Data pass', what: 'secondary data (single and multi-part) written as tagged blobs' },
  { id: 'complete', label: 'Complete', what: 'KbCallbackDumpIo Complete: the dump is finished' },
  { id: 'legacy', label: 'Legacy', what: 'KeRegisterBugCheckCallback routines, after the dump is written' },
];

const PHASES_OF_REASON: Record<number, readonly string[]> = {
  [KbCallbackReason.KbCallbackSecondaryDumpData]: ['size', 'data'],
  [KbCallbackReason.KbCallbackSecondaryMultiPartDumpData]: ['data'],
  [KbCallbackReason.KbCallbackDumpIo]: ['body', 'data', 'complete'],
  [KbCallbackReason.KbCallbackAddPages]: ['add'],
  [KbCallbackReason.KbCallbackRemovePages]: ['remove'],
  [KbCallbackReason.KbCallbackTriageDumpData]: ['triage'],
};

export interface TimelineRow {
  component: string;
  kind: 'reason' | 'legacy';
  reasonName: string;
  record: string;
  routineModule: string | null;
  stateName: string;
  outcome: 'finished' | 'incomplete' | 'not called' | 'other';
  calls: number | null;
  phases: string[];
  /** What it contributed, in words (`2 blocks, 8192 bytes`, `3 pages added`). */
  contribution: string[];
  skipped: string[];
  violations: { kind: string; detail: string }[];
}

export interface Timeline {
  available: true;
  phases: readonly TimelinePhase[];
  rows: TimelineRow[];
  /** Violations not tied to a record in the block. */
  otherViolations: { component: string; kind: string; detail: string }[];
  nested: string | null;
  /** Why the legacy row set is empty or partial. */
  legacyNote: string;
}

export type TimelineResult = Timeline | { available: false; reason: string };

/** The phases a record took part in: a secondary-data routine called once (it failed in the size pass) never reached the data pass. */
function phasesOf(reason: number | null, calls: number): string[] {
  if (calls === 0 || reason === null) return [];
  const phases = PHASES_OF_REASON[reason] ?? [];
  return reason === KbCallbackReason.KbCallbackSecondaryDumpData && calls === 1 ? ['size'] : [...phases];
}

function outcomeOf(stateName: string, calls: number): TimelineRow['outcome'] {
  if (stateName === 'BufferFinished') return 'finished';
  if (stateName === 'BufferIncomplete') return 'incomplete';
  if (calls === 0) return 'not called';
  return 'other';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function buildTimeline(
  diagnostics: ModelDiagnostics | undefined,
  legacy: BugDumpResult | undefined,
): TimelineResult {
  if (diagnostics === undefined) {
    return {
      available: false,
      reason:
        'no bugcheck model-diagnostics block in this dump: a dump written by Windows does not record what its callbacks did',
    };
  }
  const rows: TimelineRow[] = [];
  const claimed = new Set<number>();
  for (const c of diagnostics.callbacks) {
    const violations = diagnostics.violations.map((v, i) => ({ v, i })).filter(({ v }) => v.record === c.record);
    for (const { i } of violations) claimed.add(i);
    const contribution: string[] = [];
    if (c.secondaryBlocks > 0) contribution.push(`${plural(c.secondaryBlocks, 'block')}, ${c.secondaryBytes} bytes`);
    if (c.pagesAdded > 0) contribution.push(`${plural(c.pagesAdded, 'page')} added`);
    if (c.pagesRemoved > 0) contribution.push(`${plural(c.pagesRemoved, 'page')} removed`);
    if (c.triageRanges > 0) contribution.push(plural(c.triageRanges, 'triage range'));
    if (c.dumpIoCalls > 0) contribution.push(`${plural(c.dumpIoCalls, 'dump write')} seen`);
    rows.push({
      component: c.component,
      kind: 'reason',
      reasonName: c.reasonName,
      record: c.record,
      routineModule: c.routineModule,
      stateName: c.stateName,
      outcome: outcomeOf(c.stateName, c.calls),
      calls: c.calls,
      phases: phasesOf(c.reason, c.calls),
      contribution,
      skipped: [...c.skipped],
      violations: violations.map(({ v }) => ({ kind: v.kind, detail: v.detail })),
    });
  }
  let legacyNote: string;
  if (legacy === undefined) legacyNote = 'legacy records not read';
  else if (!legacy.available) legacyNote = legacy.reason ?? 'legacy records are not in this dump';
  else {
    legacyNote = `${plural(legacy.records.length, 'legacy record')} on KeBugCheckCallbackListHead; they run after the dump is written, so the dump shows them as they were before`;
    for (const r of legacy.records) {
      rows.push({
        component: r.component ?? '(not in the dump)',
        kind: 'legacy',
        reasonName: 'legacy (KeRegisterBugCheckCallback)',
        record: `0x${r.address.toString(16)}`,
        routineModule: r.routineSymbol,
        stateName: r.stateName,
        outcome: 'other',
        calls: null,
        phases: ['legacy'],
        contribution: r.length > 0 ? [`buffer of ${r.length} bytes`] : [],
        skipped: [],
        violations: [],
      });
    }
  }
  const nested = diagnostics.nested;
  return {
    available: true,
    phases: TIMELINE_PHASES,
    rows,
    otherViolations: diagnostics.violations
      .filter((_, i) => !claimed.has(i))
      .map((v) => ({ component: v.component, kind: v.kind, detail: v.detail })),
    nested:
      nested === null
        ? null
        : `a callback raised a nested bug check ${nested.code} (${nested.parameters.join(', ')}): no second dump was written`,
    legacyNote,
  };
}
