import { FormatError } from './errors.js';
import type { GuidString } from './guid.js';

/**
 * bugcheck's own secondary data block: what the kernel model saw while the
 * callbacks ran (HIGH_LEVEL violations, each record's outcome). Written by the
 * kernel as the last block of the data pass, so any dump reader — ours via
 * `bugcheck analyze`, or WinDbg's `.enumtag` — can show it. UTF-8 JSON.
 */
export const BUGCHECK_MODEL_DIAGNOSTICS_GUID: GuidString = '8e040bfb-600e-4ccd-8769-ac168bbe980e';
export const BUGCHECK_MODEL_DIAGNOSTICS_FORMAT = 'bugcheck-model-diagnostics';
export const BUGCHECK_MODEL_DIAGNOSTICS_VERSION = 1;
/** Decoding refuses anything larger (10,000 callbacks make about 3.4 MiB of JSON). */
export const BUGCHECK_MODEL_DIAGNOSTICS_MAX_BYTES = 64 * 1024 * 1024;

export interface DiagnosticsViolation {
  component: string;
  /** Hex address of the callback record, or null. */
  record: string | null;
  reason: number | null;
  reasonName: string;
  kind: string;
  detail: string;
  address?: string;
}

/** One range a KbCallbackAddPages / KbCallbackRemovePages call returned (Address and Count as given). */
export interface DiagnosticsPageRange {
  operation: 'add' | 'remove';
  space: 'virtual' | 'physical' | 'invalid';
  /** `0x…` hex, as the callback returned them. */
  address: string;
  count: string;
  /** Pages of the range taken into the dump plan. */
  pages: number;
}

/** Page ranges kept per callback in the block; a callback that returned more has `pageRangesOmitted`. */
export const DIAGNOSTICS_MAX_PAGE_RANGES = 256;

export interface DiagnosticsCallback {
  component: string;
  record: string;
  reason: number | null;
  reasonName: string;
  routine: string;
  routineModule: string | null;
  state: number;
  stateName: string;
  calls: number;
  secondaryBlocks: number;
  secondaryBytes: number;
  dumpIoCalls: number;
  pagesAdded: number;
  pagesRemoved: number;
  triageRanges: number;
  skipped: string[];
  /** Add/remove-pages callbacks: the ranges returned (at most DIAGNOSTICS_MAX_PAGE_RANGES); absent in older blocks. */
  pageRanges?: DiagnosticsPageRange[];
  /** Ranges beyond DIAGNOSTICS_MAX_PAGE_RANGES not listed. */
  pageRangesOmitted?: number;
}

export interface ModelDiagnostics {
  format: typeof BUGCHECK_MODEL_DIAGNOSTICS_FORMAT;
  version: number;
  bugCheck: { code: string; parameters: [string, string, string, string] };
  nested: { code: string; parameters: [string, string, string, string] } | null;
  violations: DiagnosticsViolation[];
  callbacks: DiagnosticsCallback[];
}

const UTF8 = new TextEncoder();

export function encodeModelDiagnostics(diagnostics: ModelDiagnostics): Uint8Array {
  return UTF8.encode(JSON.stringify(diagnostics));
}

/**
 * Member-by-member checks of the decoded JSON. A dump is untrusted input and
 * the analyzer formats every member it finds, so nothing is taken on faith;
 * each check names the member (`callbacks[0].skipped`) when it fails.
 * Unknown members are dropped (a newer writer may add some).
 */
class ShapeError extends Error {
  constructor(
    readonly member: string,
    message: string,
  ) {
    super(message);
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

function expected(member: string, what: string, got: unknown): never {
  throw new ShapeError(
    member,
    got === undefined ? `${member} is missing` : `${member}: expected ${what}, got ${describeValue(got)}`,
  );
}

function objectAt(value: unknown, member: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) expected(member, 'an object', value);
  return value as Record<string, unknown>;
}

function text(value: unknown, member: string): string {
  return typeof value === 'string' ? value : expected(member, 'a string', value);
}

/** `0x` + lower-case hex, as the kernel model writes addresses, codes and parameters. */
function hexText(value: unknown, member: string): string {
  return typeof value === 'string' && /^0x[0-9a-f]{1,16}$/.test(value)
    ? value
    : expected(member, '0x followed by 1 to 16 lower-case hex digits', value);
}

function count(value: unknown, member: string): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
    ? value
    : expected(member, 'a whole number ≥ 0', value);
}

function orNull<T>(check: (value: unknown, member: string) => T): (value: unknown, member: string) => T | null {
  return (value, member) => (value === null ? null : check(value, member));
}

function arrayOf<T>(value: unknown, member: string, check: (value: unknown, member: string) => T): T[] {
  if (!Array.isArray(value)) expected(member, 'an array', value);
  return (value as unknown[]).map((item, i) => check(item, `${member}[${i}]`));
}

function bugCheckOf(value: unknown, member: string): ModelDiagnostics['bugCheck'] {
  const o = objectAt(value, member);
  const code = hexText(o.code, `${member}.code`);
  const parameters = arrayOf(o.parameters, `${member}.parameters`, hexText);
  if (parameters.length !== 4) expected(`${member}.parameters`, '4 parameters', o.parameters);
  return { code, parameters: parameters as [string, string, string, string] };
}

function violationOf(value: unknown, member: string): DiagnosticsViolation {
  const o = objectAt(value, member);
  const out: DiagnosticsViolation = {
    component: text(o.component, `${member}.component`),
    record: orNull(hexText)(o.record, `${member}.record`),
    reason: orNull(count)(o.reason, `${member}.reason`),
    reasonName: text(o.reasonName, `${member}.reasonName`),
    kind: text(o.kind, `${member}.kind`),
    detail: text(o.detail, `${member}.detail`),
  };
  if (o.address !== undefined) out.address = hexText(o.address, `${member}.address`);
  return out;
}

function oneOf<T extends string>(choices: readonly T[]): (value: unknown, member: string) => T {
  return (value, member) =>
    choices.includes(value as T) ? (value as T) : expected(member, choices.map((c) => `"${c}"`).join(' or '), value);
}

function pageRangeOf(value: unknown, member: string): DiagnosticsPageRange {
  const o = objectAt(value, member);
  return {
    operation: oneOf(['add', 'remove'] as const)(o.operation, `${member}.operation`),
    space: oneOf(['virtual', 'physical', 'invalid'] as const)(o.space, `${member}.space`),
    address: hexText(o.address, `${member}.address`),
    count: hexText(o.count, `${member}.count`),
    pages: count(o.pages, `${member}.pages`),
  };
}

function callbackOf(value: unknown, member: string): DiagnosticsCallback {
  const o = objectAt(value, member);
  const at = (name: string): string => `${member}.${name}`;
  const ranges: Pick<DiagnosticsCallback, 'pageRanges' | 'pageRangesOmitted'> = {};
  if (o.pageRanges !== undefined) ranges.pageRanges = arrayOf(o.pageRanges, at('pageRanges'), pageRangeOf);
  if (o.pageRangesOmitted !== undefined) ranges.pageRangesOmitted = count(o.pageRangesOmitted, at('pageRangesOmitted'));
  return {
    component: text(o.component, at('component')),
    record: hexText(o.record, at('record')),
    reason: orNull(count)(o.reason, at('reason')),
    reasonName: text(o.reasonName, at('reasonName')),
    routine: hexText(o.routine, at('routine')),
    routineModule: orNull(text)(o.routineModule, at('routineModule')),
    state: count(o.state, at('state')),
    stateName: text(o.stateName, at('stateName')),
    calls: count(o.calls, at('calls')),
    secondaryBlocks: count(o.secondaryBlocks, at('secondaryBlocks')),
    secondaryBytes: count(o.secondaryBytes, at('secondaryBytes')),
    dumpIoCalls: count(o.dumpIoCalls, at('dumpIoCalls')),
    pagesAdded: count(o.pagesAdded, at('pagesAdded')),
    pagesRemoved: count(o.pagesRemoved, at('pagesRemoved')),
    triageRanges: count(o.triageRanges, at('triageRanges')),
    skipped: arrayOf(o.skipped, at('skipped'), text),
    ...ranges,
  };
}

/** Parses and checks the whole shape of the block; throws FormatError naming the first bad member. */
export function decodeModelDiagnostics(bytes: Uint8Array): ModelDiagnostics {
  const fail = (why: string, field?: string): never => {
    throw new FormatError(`bugcheck model diagnostics block: ${why}`, {
      structure: 'ModelDiagnostics',
      ...(field !== undefined ? { field } : {}),
    });
  };
  if (bytes.length > BUGCHECK_MODEL_DIAGNOSTICS_MAX_BYTES)
    fail(`${bytes.length} bytes is more than the ${BUGCHECK_MODEL_DIAGNOSTICS_MAX_BYTES} allowed`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    return fail(`not UTF-8 JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail(`expected a JSON object, got ${describeValue(value)}`);
  const v = value as Record<string, unknown>;
  // Checked first: a block of some other format is not worth a member-by-member complaint.
  if (v.format !== BUGCHECK_MODEL_DIAGNOSTICS_FORMAT)
    fail(`format is ${describeValue(v.format)}, expected "${BUGCHECK_MODEL_DIAGNOSTICS_FORMAT}"`, 'format');
  try {
    const version =
      typeof v.version === 'number' && Number.isSafeInteger(v.version) && v.version >= 1
        ? v.version
        : expected('version', 'a whole number ≥ 1', v.version);
    return {
      format: BUGCHECK_MODEL_DIAGNOSTICS_FORMAT,
      version,
      bugCheck: bugCheckOf(v.bugCheck, 'bugCheck'),
      nested: orNull(bugCheckOf)(v.nested, 'nested'),
      violations: arrayOf(v.violations, 'violations', violationOf),
      callbacks: arrayOf(v.callbacks, 'callbacks', callbackOf),
    };
  } catch (error) {
    if (error instanceof ShapeError) return fail(error.message, error.member);
    throw error;
  }
}
