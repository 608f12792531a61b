import { KBugCheckBufferDumpState, KbCallbackReason, enumName } from '../format/index.js';
import type { GuidString } from '../format/index.js';
import type { RecordKind } from './records.js';
import type { Violation, ViolationKind } from './violations.js';

export interface SecondaryBlockReport {
  guid: GuidString;
  /** Bytes written to the dump for this block. */
  bytes: number;
  /** 0 for KbCallbackSecondaryDumpData; the part number for multi-part callbacks. */
  part: number;
  /** OutBufferLength the callback returned, when it differs from `bytes` (truncated). */
  truncatedFrom: number | null;
}

export interface PageRangeReport {
  operation: 'add' | 'remove';
  space: 'virtual' | 'physical' | 'invalid';
  /** Address and Count exactly as the callback returned them. */
  address: bigint;
  count: bigint;
  /** Pages of the range that were accepted into the plan. */
  pages: number;
}

export interface CallbackContribution {
  /** OutBufferLength announced in the size pass (KbCallbackSecondaryDumpData only). */
  sizePassBytes: number | null;
  secondaryData: SecondaryBlockReport[];
  dumpIoCalls: number;
  /** Distinct PFNs this record added / removed. */
  pagesAdded: number;
  pagesRemoved: number;
  pageRanges: PageRangeReport[];
  /** Ranges taken from its KTRIAGE_DUMP_DATA_ARRAY. */
  triageRanges: { address: bigint; size: number }[];
}

export interface CallbackFault {
  /** 1-based number of the call that ended abnormally. */
  call: number;
  kind: ViolationKind;
  message: string;
}

export interface CallbackReport {
  record: bigint;
  kind: RecordKind;
  component: string;
  componentAddress: bigint;
  /** KbCallbackReason; null for a legacy record. */
  reason: number | null;
  reasonName: string;
  routine: bigint;
  /** Module whose image holds the routine's address. */
  routineModule: string | null;
  /** KBUGCHECK_BUFFER_DUMP_STATE read from the record after the bug check. */
  state: number;
  stateName: string;
  calls: number;
  contribution: CallbackContribution;
  violations: Violation[];
  faults: CallbackFault[];
  /** Why the record was not called (corrupt checksum/links/state, unknown routine); empty if it was. */
  skipped: string[];
  deregisteredDuringBugCheck: boolean;
}

/** enumName, remembered per value (every record of a bug check asks for its names). */
function cachedEnumName(table: Readonly<Record<string, number>>, cache: Map<number, string>, n: number): string {
  let name = cache.get(n);
  if (name === undefined) {
    name = enumName(table, n);
    if (cache.size < 256) cache.set(n, name);
  }
  return name;
}
const reasonNames = new Map<number, string>();
const stateNames = new Map<number, string>();

export function reasonName(reason: number | null): string {
  return reason === null
    ? 'legacy (KBUGCHECK_CALLBACK_ROUTINE)'
    : cachedEnumName(KbCallbackReason, reasonNames, reason);
}

export function stateName(state: number): string {
  return cachedEnumName(KBugCheckBufferDumpState, stateNames, state);
}

/**
 * The list every report of a running bug check starts with, shared and frozen: most records of a bug
 * with thousands of them never get a violation, fault, skip, page range or triage range, and six empty
 * arrays per record were a fifth of what a report cost (each scavenge copies what is still young).
 * `added` replaces it at the first item; `ownLists` gives a finished report arrays of its own.
 */
const NONE: readonly never[] = Object.freeze([]);

/** The shared empty list, typed as the list it stands for. */
export function none<T>(): T[] {
  return NONE as unknown as T[];
}

/** Copied for a new list (never changed themselves): Array.prototype.slice makes an array with no allocation site. */
const BLANK: never[] = [];
const ONE: unknown[] = [undefined];

/**
 * A new, empty list of a report's own. Not an array literal: V8 pretenures the arrays of a literal site whose
 * arrays all live through a scavenge (see Report below), and a report's lists live as long as the report.
 */
export function newList<T>(): T[] {
  return BLANK.slice();
}

/** A new list of exactly one item (an array literal's site would be pretenured; Array.of is a slow builtin). */
export function listOf<T>(item: T): T[] {
  const list = ONE.slice() as T[];
  list[0] = item;
  return list;
}

/** `list` with `item` at its end: the shared empty list is replaced by a new one, any other grows in place. */
export function added<T>(list: T[], item: T): T[] {
  if (list === (NONE as unknown)) return listOf(item);
  list.push(item);
  return list;
}

/*
 * The objects a bug check makes for every record and hands out (reports, contributions, secondary blocks)
 * are made by `new` on constructors whose prototype is Object.prototype: plain objects, the same as object
 * literals to anything that looks (prototype, constructor, own properties in the same order, JSON). V8
 * tracks an allocation site for an object literal, and one whose objects all live through a scavenge is
 * "pretenured": from then on its objects are allocated in the old generation, where each costs the
 * incremental marker and the write barrier far more than a young object (with 10,000 records, the report
 * literal alone was about a microsecond per report, and a bug check with V8's pretenuring turned off ran its
 * per-record phases about twice as fast). Objects made by `new` have no allocation site.
 */

/**
 * A constructor made from `init` (a function that fills `this`) whose objects
 * have Object.prototype as their prototype: the same plain objects a literal
 * makes, from a `new` site V8 does not pretenure (src/kernel/README.md).
 */
function plain<T, A extends unknown[]>(init: (this: T, ...args: A) => void): new (...args: A) => T {
  (init as unknown as { prototype: object }).prototype = Object.prototype;
  return init as unknown as new (
    ...args: A
  ) => T;
}

const Contribution = plain(function (this: CallbackContribution): void {
  this.sizePassBytes = null;
  this.secondaryData = none();
  this.dumpIoCalls = 0;
  this.pagesAdded = 0;
  this.pagesRemoved = 0;
  this.pageRanges = none();
  this.triageRanges = none();
});

export function emptyContribution(): CallbackContribution {
  return new Contribution();
}

/** A new report (the fields a report starts with, in the order of CallbackReport). */
export const Report = plain(function (
  this: CallbackReport,
  record: bigint,
  kind: RecordKind,
  component: string,
  componentAddress: bigint,
  reason: number | null,
  reasonName: string,
  routine: bigint,
  routineModule: string | null,
  state: number,
  stateName: string,
): void {
  this.record = record;
  this.kind = kind;
  this.component = component;
  this.componentAddress = componentAddress;
  this.reason = reason;
  this.reasonName = reasonName;
  this.routine = routine;
  this.routineModule = routineModule;
  this.state = state;
  this.stateName = stateName;
  this.calls = 0;
  this.contribution = new Contribution();
  this.violations = none();
  this.faults = none();
  this.skipped = none();
  this.deregisteredDuringBugCheck = false;
});

/** A secondary block's entry in its report. */
export const SecondaryBlock = plain(function (
  this: SecondaryBlockReport,
  guid: GuidString,
  bytes: number,
  part: number,
  truncatedFrom: number | null,
): void {
  this.guid = guid;
  this.bytes = bytes;
  this.part = part;
  this.truncatedFrom = truncatedFrom;
});

/** A finished report with an array of its own for every list still sharing the empty one (callers may change them). */
export function ownLists(r: CallbackReport): void {
  const n = NONE as unknown;
  if (r.violations === n) r.violations = newList();
  if (r.faults === n) r.faults = newList();
  if (r.skipped === n) r.skipped = newList();
  const c = r.contribution;
  if (c.secondaryData === n) c.secondaryData = newList();
  if (c.pageRanges === n) c.pageRanges = newList();
  if (c.triageRanges === n) c.triageRanges = newList();
}
