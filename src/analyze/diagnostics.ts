import {
  BUGCHECK_MODEL_DIAGNOSTICS_GUID,
  BUGCHECK_MODEL_DIAGNOSTICS_MAX_BYTES,
  BugcheckError,
  decodeModelDiagnostics,
  formatGuidBraced,
  type ModelDiagnostics,
} from '../format/index.js';
import type { CrashDump, DumpProblem, SecondaryDataScan } from '../dump/reader/index.js';
import { plainStyle, type TextStyle } from './style.js';
import { printable, sizeHex } from './text.js';

/**
 * bugcheck's own "model diagnostics" secondary data block (format/diagnostics.ts):
 * what the kernel model saw while the callbacks ran — HIGH_LEVEL violations
 * and each record's outcome. Only dumps written by bugcheck carry it.
 */

/**
 * The decoded block, or undefined when the dump has none (every genuine
 * Windows dump). The last block with the GUID wins (the kernel writes it
 * last). A block that cannot be decoded becomes a warning problem.
 */
export async function readModelDiagnostics(
  dump: CrashDump,
  scan: SecondaryDataScan,
  problems: DumpProblem[],
): Promise<ModelDiagnostics | undefined> {
  const blob = [...scan.blobs].reverse().find((b) => b.guid === BUGCHECK_MODEL_DIAGNOSTICS_GUID);
  if (blob === undefined) return undefined;
  const fail = (message: string): undefined => {
    problems.push({
      code: 'ANALYZE_MODEL_DIAGNOSTICS',
      severity: 'warning',
      structure: 'ModelDiagnostics',
      offset: blob.offset,
      message,
    });
    return undefined;
  };
  if (blob.size > BUGCHECK_MODEL_DIAGNOSTICS_MAX_BYTES) {
    return fail(
      `model diagnostics block ${formatGuidBraced(blob.guid)} is ${sizeHex(blob.size)} bytes, more than the ${sizeHex(BUGCHECK_MODEL_DIAGNOSTICS_MAX_BYTES)} allowed`,
    );
  }
  try {
    return decodeModelDiagnostics(await dump.readBlob(blob));
  } catch (err) {
    if (!(err instanceof BugcheckError)) throw err;
    return fail(err.message);
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Text for `bugcheck analyze`: each callback's outcome, then the violations. */
export function formatModelDiagnostics(d: ModelDiagnostics, s: TextStyle = plainStyle): string[] {
  const lines: string[] = [];
  lines.push(
    `${s.title(`MODEL_DIAGNOSTICS:`)}  ${formatGuidBraced(BUGCHECK_MODEL_DIAGNOSTICS_GUID)} (written by bugcheck's kernel model, version ${d.version})`,
  );
  if (d.nested !== null)
    lines.push(
      `  ${s.warning(`nested bug check from a callback: ${d.nested.code} (${d.nested.parameters.join(', ')})`)}`,
    );
  lines.push(`  ${s.label('Callbacks')}: ${d.callbacks.length}`);
  for (const c of d.callbacks) {
    const parts: string[] = [plural(c.calls, 'call')];
    if (c.secondaryBlocks > 0) parts.push(`${plural(c.secondaryBlocks, 'block')} ${sizeHex(c.secondaryBytes)} bytes`);
    if (c.dumpIoCalls > 0) parts.push(`${plural(c.dumpIoCalls, 'dump write')} seen`);
    if (c.pagesAdded > 0) parts.push(`${plural(c.pagesAdded, 'page')} added`);
    if (c.pagesRemoved > 0) parts.push(`${plural(c.pagesRemoved, 'page')} removed`);
    if (c.triageRanges > 0) parts.push(plural(c.triageRanges, 'triage range'));
    const state = c.stateName === 'BufferFinished' ? c.stateName : s.warning(printable(c.stateName));
    lines.push(
      `    ${s.value(printable(c.component) || '(no component)')}  ${printable(c.reasonName)}  ${state}  ${parts.join(', ')}${c.routineModule !== null ? s.dim(`  (${printable(c.routineModule)})`) : ''}`,
    );
    for (const why of c.skipped) lines.push(`      ${s.error(`skipped: ${printable(why)}`)}`);
  }
  if (d.violations.length === 0) {
    lines.push(`  ${s.label('Violations')}: none`);
  } else {
    lines.push(`  ${s.label('Violations')}: ${d.violations.length}`);
    for (const v of d.violations) {
      lines.push(
        `    ${s.error(printable(v.kind))}  ${printable(v.component) || '(no component)'} (${printable(v.reasonName)})${v.address !== undefined ? ` at ${v.address}` : ''}: ${printable(v.detail)}`,
      );
    }
  }
  return lines;
}
