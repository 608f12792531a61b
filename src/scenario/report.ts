import { bugCheckName } from '../analyze/bugcodes.js';
import { jsonHex, plainStyle, printable, sizeHex, windbgAddress, type TextStyle } from '../analyze/index.js';
import { formatGuidBraced, type GuidString } from '../format/index.js';
import type { BugCheckInfo, BugCheckResult, CallbackReport, Violation } from '../kernel/index.js';
import type { DbgPrintEntry } from '../kernel/services/index.js';
import type { ScenarioRun } from './run.js';

/**
 * JSON and text views of what a bug check did: the stop code, the dump, and
 * what every callback record contributed. Addresses and codes are `0x…`
 * strings, counts and sizes numbers, GUIDs lower-case (the CLI's conventions).
 */

export interface BugCheckInfoJson {
  code: string;
  name: string;
  parameters: [string, string, string, string];
}

export interface ViolationJson {
  component: string;
  record: string | null;
  reason: number | null;
  kind: string;
  detail: string;
  address?: string;
}

export interface CallbackJson {
  component: string;
  kind: 'reason' | 'legacy';
  reason: number | null;
  reasonName: string;
  record: string;
  routine: string;
  routineModule: string | null;
  state: number;
  stateName: string;
  calls: number;
  /** OutBufferLength announced in the size pass (KbCallbackSecondaryDumpData only). */
  sizePassBytes: number | null;
  secondaryData: { guid: GuidString; bytes: number; part: number; truncatedFrom: number | null }[];
  secondaryBytes: number;
  dumpIoCalls: number;
  pagesAdded: number;
  pagesRemoved: number;
  pageRanges: { operation: 'add' | 'remove'; space: string; address: string; count: string; pages: number }[];
  triageRanges: { address: string; size: number }[];
  violations: ViolationJson[];
  faults: { call: number; kind: string; message: string }[];
  skipped: string[];
  deregisteredDuringBugCheck: boolean;
}

export interface BugCheckResultJson {
  bugCheck: BugCheckInfoJson;
  /** The first KeBugCheckEx raised from inside a callback, or null. */
  nested: BugCheckInfoJson | null;
  processor: number;
  dumpStatus: string;
  dumpError: { stage: string; code: string; message: string } | null;
  dump: {
    path: string;
    dumpType: number;
    fileSize: number;
    blobCount: number;
    pagesWritten: number;
    secondaryDataOffset: string;
  } | null;
  callbacks: CallbackJson[];
  violations: ViolationJson[];
}

export function bugCheckInfoJson(info: BugCheckInfo): BugCheckInfoJson {
  const [p1, p2, p3, p4] = info.parameters;
  return {
    code: jsonHex(info.code),
    name: bugCheckName(info.code),
    parameters: [jsonHex(p1), jsonHex(p2), jsonHex(p3), jsonHex(p4)],
  };
}

export function violationJson(v: Violation): ViolationJson {
  const out: ViolationJson = {
    component: v.component,
    record: v.record === null ? null : jsonHex(v.record),
    reason: v.reason,
    kind: v.kind,
    detail: v.detail,
  };
  if (v.address !== undefined) out.address = jsonHex(v.address);
  return out;
}

export function callbackJson(r: CallbackReport): CallbackJson {
  const c = r.contribution;
  return {
    component: r.component,
    kind: r.kind,
    reason: r.reason,
    reasonName: r.reasonName,
    record: jsonHex(r.record),
    routine: jsonHex(r.routine),
    routineModule: r.routineModule,
    state: r.state,
    stateName: r.stateName,
    calls: r.calls,
    sizePassBytes: c.sizePassBytes,
    secondaryData: c.secondaryData.map((b) => ({
      guid: b.guid,
      bytes: b.bytes,
      part: b.part,
      truncatedFrom: b.truncatedFrom,
    })),
    secondaryBytes: c.secondaryData.reduce((sum, b) => sum + b.bytes, 0),
    dumpIoCalls: c.dumpIoCalls,
    pagesAdded: c.pagesAdded,
    pagesRemoved: c.pagesRemoved,
    pageRanges: c.pageRanges.map((p) => ({
      operation: p.operation,
      space: p.space,
      address: jsonHex(p.address),
      count: jsonHex(p.count),
      pages: p.pages,
    })),
    triageRanges: c.triageRanges.map((t) => ({ address: jsonHex(t.address), size: t.size })),
    violations: r.violations.map(violationJson),
    faults: r.faults.map((f) => ({ call: f.call, kind: f.kind, message: f.message })),
    skipped: [...r.skipped],
    deregisteredDuringBugCheck: r.deregisteredDuringBugCheck,
  };
}

export function bugCheckResultJson(result: BugCheckResult): BugCheckResultJson {
  const d = result.dump;
  return {
    bugCheck: bugCheckInfoJson(result.bugCheck),
    nested: result.nested === null ? null : bugCheckInfoJson(result.nested),
    processor: result.processorIndex,
    dumpStatus: result.dumpStatus,
    dumpError: result.dumpError === null ? null : { ...result.dumpError },
    dump:
      d === null
        ? null
        : {
            path: d.path,
            dumpType: d.dumpType,
            fileSize: Number(d.fileSize),
            blobCount: d.blobCount,
            pagesWritten: Number(d.pagesWritten),
            secondaryDataOffset: jsonHex(d.secondaryDataOffset),
          },
    callbacks: result.callbacks.map(callbackJson),
    violations: result.violations.map(violationJson),
  };
}

export interface DbgPrintJson {
  driver: string;
  text: string;
  componentId?: number;
  level?: number;
  irql: number;
  duringBugCheck: boolean;
}

export interface ScenarioRunJson extends BugCheckResultJson {
  dumpKind: string;
  dumpPath: string;
  machine: { memoryBytes: number; processors: number; build: number; productType: number; seed: number };
  /** DbgPrint output of C drivers, in order. */
  dbgPrint: DbgPrintJson[];
}

export function scenarioRunJson(run: ScenarioRun): ScenarioRunJson {
  const m = run.machine;
  return {
    dumpKind: run.dumpKind,
    dumpPath: run.dumpPath,
    machine: {
      memoryBytes: Number(m.memoryBytes),
      processors: m.processors,
      build: m.build,
      productType: m.productType,
      seed: m.seed,
    },
    ...bugCheckResultJson(run.result),
    dbgPrint: run.dbgPrint.map((e) => ({ ...e })),
  };
}

/** DbgPrint output as a debugger's output window shows it: one line per line printed, the driver's name first. */
export function formatDbgPrint(entries: readonly DbgPrintEntry[], s: TextStyle = plainStyle): string[] {
  if (entries.length === 0) return [];
  const lines = [s.title(`DbgPrint output: ${plural(entries.length, 'message')}`)];
  for (const e of entries) {
    for (const line of e.text.replace(/\r?\n$/, '').split(/\r?\n/))
      lines.push(`  ${s.dim(`[${e.driver}]`)} ${printable(line)}`);
  }
  return lines;
}

// ---- text -------------------------------------------------------------------------------------

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function bugCheckLine(info: BugCheckInfo, s: TextStyle): string {
  return `${s.value(bugCheckName(info.code))} (${jsonHex(info.code)}) ${info.parameters.map((p) => s.address(jsonHex(p))).join(', ')}`;
}

/** What one record contributed, one line each, indented under its heading. */
function contributionLines(r: CallbackReport, s: TextStyle): string[] {
  const c = r.contribution;
  const lines: string[] = [];
  if (c.sizePassBytes !== null) lines.push(`size pass: announced ${sizeHex(c.sizePassBytes)} bytes`);
  for (const b of c.secondaryData) {
    const part = r.reasonName.includes('MultiPart') ? ` part ${b.part}` : '';
    lines.push(
      `secondary data${part}: ${s.value(formatGuidBraced(b.guid))} ${sizeHex(b.bytes)} bytes${b.truncatedFrom !== null ? s.warning(` (truncated from ${sizeHex(b.truncatedFrom)})`) : ''}`,
    );
  }
  if (c.dumpIoCalls > 0) lines.push(`dump I/O: saw ${plural(c.dumpIoCalls, 'write')}`);
  if (c.pagesAdded > 0 || c.pageRanges.some((p) => p.operation === 'add')) lines.push(`pages added: ${c.pagesAdded}`);
  if (c.pagesRemoved > 0 || c.pageRanges.some((p) => p.operation === 'remove'))
    lines.push(`pages removed: ${c.pagesRemoved}`);
  for (const p of c.pageRanges) {
    lines.push(
      `  ${p.operation} ${p.space} ${s.address(windbgAddress(p.address))} count ${jsonHex(p.count)} → ${plural(p.pages, 'page')} accepted`,
    );
  }
  for (const t of c.triageRanges)
    lines.push(`triage range: ${s.address(windbgAddress(t.address))} ${sizeHex(t.size)} bytes`);
  if (r.kind === 'legacy')
    lines.push(
      s.dim('legacy routine: runs after the dump is written; its buffer is in the dump as it was before the crash'),
    );
  for (const reason of r.skipped) lines.push(s.error(`skipped: ${reason}`));
  for (const v of r.violations) lines.push(s.error(`violation [${v.kind}]: ${v.detail}`));
  if (r.deregisteredDuringBugCheck) lines.push(s.warning('deregistered itself during the bug check'));
  if (lines.length === 0) lines.push(s.dim('contributed nothing'));
  return lines;
}

/** Every record and what it contributed, then the list of violations. */
export function formatCallbackReports(result: BugCheckResult, s: TextStyle = plainStyle): string[] {
  const lines: string[] = [];
  lines.push(s.title(`Callbacks: ${plural(result.callbacks.length, 'record')}`));
  for (const r of result.callbacks) {
    const where = r.routineModule === null ? '' : ` in ${r.routineModule}`;
    lines.push(
      `  ${s.value(r.component || '(no component)')}  ${r.reasonName}  ${r.state === 3 ? r.stateName : s.warning(r.stateName)}  ${plural(r.calls, 'call')}  ${s.dim(`record ${windbgAddress(r.record)}, routine ${windbgAddress(r.routine)}${where}`)}`,
    );
    for (const line of contributionLines(r, s)) lines.push(`      ${line}`);
  }
  if (result.violations.length === 0) lines.push(`${s.title('Violations:')} none`);
  else {
    lines.push(s.title(`Violations: ${result.violations.length}`));
    for (const v of result.violations) {
      lines.push(
        `  ${s.error(v.kind)}  ${v.component || '(no component)'}${v.address !== undefined ? ` at ${windbgAddress(v.address)}` : ''}: ${v.detail}`,
      );
    }
  }
  return lines;
}

/** The bug check, the dump that was written, then the callback reports. */
export function formatBugCheckResult(result: BugCheckResult, s: TextStyle = plainStyle): string[] {
  const lines: string[] = [];
  lines.push(`${s.label('Bug check:')} ${bugCheckLine(result.bugCheck, s)}`);
  if (result.nested !== null)
    lines.push(
      `${s.label('Nested:')} ${s.warning(bugCheckLine(result.nested, s))} (raised by a callback; the screen shows it, no second dump)`,
    );
  const d = result.dump;
  if (d !== null) {
    const mib = (Number(d.fileSize) / (1024 * 1024)).toFixed(1);
    lines.push(
      `${s.label('Dump:')} ${d.path} (DumpType ${d.dumpType}, ${sizeHex(d.fileSize)} bytes = ${mib} MiB, ${plural(d.blobCount, 'secondary block')})`,
    );
  } else if (result.dumpError !== null) {
    lines.push(
      `${s.label('Dump:')} ${s.error(`failed at ${result.dumpError.stage}: ${result.dumpError.message} (${result.dumpError.code})`)}`,
    );
  } else {
    lines.push(`${s.label('Dump:')} none (${result.dumpStatus})`);
  }
  lines.push(...formatCallbackReports(result, s));
  return lines;
}
