/**
 * The bug check codes of Microsoft's public "Bug check code reference" (379 codes,
 * as of the reference dated 2025-07-15), with what their four parameters mean and,
 * where a parameter's value selects a case, each case's own meanings.
 *
 * Codes and symbolic names are facts copied exactly; every summary and parameter
 * meaning is our own wording. Codes the reference lists only as live dump codes
 * (for example 0x141, 0x15F) are not in this table. The data lives in
 * ./bugcodes/ (one file per code range); this module assembles and looks it up.
 */

import { details0000 } from './bugcodes/codes0000.js';
import { details0040 } from './bugcodes/codes0040.js';
import { details0080 } from './bugcodes/codes0080.js';
import { details00C0 } from './bugcodes/codes00c0.js';
import { details0100 } from './bugcodes/codes0100.js';
import { details0140 } from './bugcodes/codes0140.js';
import { detailsHigh } from './bugcodes/codesHigh.js';
import type { CaseRow, Detail, DetailRows } from './bugcodes/common.js';
import { CODE_NAMES } from './bugcodes/names.js';
import { BUILD_RANGE, detailRow } from './bugcodes/row.js';
import type {
  BugCheckAccessKind,
  BugCheckCaseInfo,
  BugCheckCodeInfo,
  BugCheckParameterInfo,
  BugCheckParameterInfos,
  BugCheckParameterNumber,
} from './bugcodes/types.js';

export type {
  BugCheckAccessKind,
  BugCheckCaseInfo,
  BugCheckCodeInfo,
  BugCheckParameterInfo,
  BugCheckParameterInfos,
  BugCheckParameterNumber,
  BugCheckParameterRole,
} from './bugcodes/types.js';

/** Bit that marks the `_M` variants (0x1000007E and friends) of a base code. */
export const BUG_CHECK_M_VARIANT_BIT = 0x10000000;

/** Prefix of the name given to a code that is not in the table. */
export const UNKNOWN_BUG_CHECK_NAME_PREFIX = 'UNKNOWN_BUGCHECK_CODE_';

/**
 * The data files by code range, [first, last, rows]. A range's rows are built
 * the first time a code in it is looked up: `analyze` of one dump builds one
 * range, not the 330 KB of all of them (issue #11: start-up).
 */
const RANGES: readonly (readonly [number, number, () => DetailRows])[] = [
  [0x00, 0x3f, details0000],
  [0x40, 0x7f, details0040],
  [0x80, 0xbf, details0080],
  [0xc0, 0xff, details00C0],
  [0x100, 0x13f, details0100],
  [0x140, 0x1ff, details0140],
  [0x200, 0xffffffff, detailsHigh],
];

/** The rows of each range once built, by RANGES index. */
const builtRanges: (ReadonlyMap<number, Detail> | undefined)[] = [];

/** The detail row of `code` (unsigned): its own (the CLI bundles, see row.ts), else from its range, built on first use. */
function detailOf(code: number): Detail | undefined {
  const i = RANGES.findIndex(([first, last]) => code >= first && code <= last);
  if (i < 0) return undefined;
  let rows = builtRanges[i];
  if (rows === undefined) {
    const row = detailRow(code);
    if (row !== BUILD_RANGE) return row;
    const [first, last, build] = RANGES[i]!;
    const map = new Map<number, Detail>();
    for (const [c, detail] of build()) {
      if (c < first || c > last) throw new Error(`bug check table: 0x${c.toString(16)} is outside its file's range`);
      map.set(c, detail);
    }
    rows = map;
    builtRanges[i] = rows;
  }
  return rows.get(code);
}

// ---------------------------------------------------------------------------
// Assembly and lookup
// ---------------------------------------------------------------------------

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function buildCases(rows: readonly CaseRow[] | undefined): ReadonlyMap<number, BugCheckCaseInfo> | undefined {
  if (rows === undefined) return undefined;
  const cases = new Map<number, BugCheckCaseInfo>();
  for (const [keys, description, parameters] of rows) {
    const info: BugCheckCaseInfo = Object.freeze(
      parameters === undefined ? { description } : { description, parameters },
    );
    for (const key of typeof keys === 'number' ? [keys] : keys) {
      if (cases.has(key)) throw new Error(`bug check table: case 0x${key.toString(16)} listed twice`);
      cases.set(key, info);
    }
  }
  return cases;
}

function buildInfo(code: number, name: string, detail: Detail | undefined): BugCheckCodeInfo {
  const info: Mutable<BugCheckCodeInfo> = { code, name, parametersDocumented: detail?.parameters !== undefined };
  if (detail === undefined) return Object.freeze(info);
  info.summary = detail.summary;
  if (detail.parameters !== undefined) info.parameters = detail.parameters;
  if (detail.caseParameter !== undefined) info.caseParameter = detail.caseParameter;
  const cases = buildCases(detail.cases);
  if (cases !== undefined) info.cases = cases;
  return Object.freeze(info);
}

let namesByCode: ReadonlyMap<number, string> | undefined;

/** Each code's entry as its own row gives it, built once (so BUG_CHECK_CODES and lookups share objects). */
const plainInfos = new Map<number, BugCheckCodeInfo | null>();

function plainInfo(code: number): BugCheckCodeInfo | undefined {
  let info = plainInfos.get(code);
  if (info === undefined) {
    namesByCode ??= new Map(CODE_NAMES);
    const name = namesByCode.get(code);
    info = name === undefined ? null : buildInfo(code, name, detailOf(code));
    plainInfos.set(code, info);
  }
  return info ?? undefined;
}

/** Every code of the public reference, sorted by code (building it builds every range). */
export const BUG_CHECK_CODES: readonly BugCheckCodeInfo[] = /* @__PURE__ */ allCodes();

function allCodes(): readonly BugCheckCodeInfo[] {
  return Object.freeze(CODE_NAMES.map(([code]) => plainInfo(code)!));
}

/** What lookups hand out, by code, built on demand. */
const lookedUp = new Map<number, BugCheckCodeInfo | null>();

/**
 * The entry of `code` as lookups give it. An _M code is documented as meaning
 * exactly what its base code means, so lookups hand out the base code's
 * parameters when it has none of its own.
 */
function lookupInfo(code: number): BugCheckCodeInfo | undefined {
  const known = lookedUp.get(code);
  if (known !== undefined) return known ?? undefined;
  let info = plainInfo(code);
  if (info?.name.endsWith('_M') && (info.code & BUG_CHECK_M_VARIANT_BIT) !== 0 && info.parameters === undefined) {
    const base = plainInfo((info.code & ~BUG_CHECK_M_VARIANT_BIT) >>> 0);
    if (base !== undefined) info = buildMerged(info, base);
  }
  lookedUp.set(code, info ?? null);
  return info;
}

function buildMerged(variant: BugCheckCodeInfo, base: BugCheckCodeInfo): BugCheckCodeInfo {
  const merged: Mutable<BugCheckCodeInfo> = {
    code: variant.code,
    name: variant.name,
    parametersDocumented: base.parametersDocumented,
  };
  const summary = variant.summary ?? base.summary;
  if (summary !== undefined) merged.summary = summary;
  if (base.parameters !== undefined) merged.parameters = base.parameters;
  if (base.caseParameter !== undefined) merged.caseParameter = base.caseParameter;
  if (base.cases !== undefined) merged.cases = base.cases;
  return Object.freeze(merged);
}

/**
 * Normalizes a code to its unsigned 32-bit value. Dump headers hold the code as
 * a ULONG, but a signed read (e.g. -1073741286 for 0xC000021A) is accepted too.
 */
function toUnsignedCode(code: number): number | undefined {
  if (!Number.isInteger(code) || code < -0x80000000 || code > 0xffffffff) return undefined;
  return code >>> 0;
}

/**
 * A parameter value as a 32-bit number, or undefined when it does not fit.
 * A 32-bit status passed in a ULONG_PTR arrives sign-extended
 * (0xFFFFFFFFC0000005), so such a value is taken as its low 32 bits.
 */
function parameterValue32(raw: bigint): number | undefined {
  if (raw >= 0n && raw <= 0xffffffffn) return Number(raw);
  const signExtended = (raw >= 0xffffffff80000000n && raw <= 0xffffffffffffffffn) || (raw < 0n && raw >= -0x80000000n);
  return signExtended ? Number(BigInt.asUintN(32, raw)) : undefined;
}

/**
 * The table entry for `code`, or undefined when the code is not in the public
 * reference. For a documented `_M` variant without parameters of its own, the
 * result carries its base code's parameter meanings and cases.
 */
export function lookupBugCheck(code: number): BugCheckCodeInfo | undefined {
  const unsigned = toUnsignedCode(code);
  return unsigned === undefined ? undefined : lookupInfo(unsigned);
}

/**
 * The symbolic name of `code`, or `UNKNOWN_BUGCHECK_CODE_0x%08X` (see
 * UNKNOWN_BUG_CHECK_NAME_PREFIX) for a code the reference does not list.
 */
export function bugCheckName(code: number): string {
  const unsigned = toUnsignedCode(code);
  const info = unsigned === undefined ? undefined : lookupInfo(unsigned);
  if (info !== undefined) return info.name;
  const shown = unsigned === undefined ? String(code) : `0x${unsigned.toString(16).toUpperCase().padStart(8, '0')}`;
  return UNKNOWN_BUG_CHECK_NAME_PREFIX + shown;
}

export interface BugCheckParameterDescription {
  readonly info: BugCheckCodeInfo;
  /** The case chosen by the selecting parameter's value, when the code has one for it. */
  readonly selected?: {
    readonly parameter: BugCheckParameterNumber;
    readonly value: number;
    readonly info: BugCheckCaseInfo;
  };
  /**
   * What each of the four parameters means here; undefined when the reference
   * documents no parameters for the code (`info.parametersDocumented` false).
   */
  readonly meanings?: BugCheckParameterInfos;
}

/** The general meanings with the three non-selector slots replaced by a case's own. */
function withCaseParameters(
  general: BugCheckParameterInfos,
  selector: BugCheckParameterNumber,
  others: readonly [BugCheckParameterInfo, BugCheckParameterInfo, BugCheckParameterInfo],
): BugCheckParameterInfos {
  const at = (i: 0 | 1 | 2 | 3): BugCheckParameterInfo => {
    if (i === selector - 1) return general[i];
    return others[(i < selector - 1 ? i : i - 1) as 0 | 1 | 2];
  };
  return [at(0), at(1), at(2), at(3)];
}

/**
 * Resolves what the four parameters of an actual bug check mean: the code's
 * general meanings, refined by the case its selecting parameter picks.
 * Returns undefined for a code the reference does not list.
 */
export function describeBugCheckParameters(
  code: number,
  parameters: readonly [bigint, bigint, bigint, bigint],
): BugCheckParameterDescription | undefined {
  const info = lookupBugCheck(code);
  if (info === undefined) return undefined;
  const selector = info.caseParameter ?? 1;
  const value = parameterValue32(parameters[(selector - 1) as 0 | 1 | 2 | 3]);
  const chosen = value === undefined ? undefined : info.cases?.get(value);
  const general = info.parameters;
  const description: Mutable<BugCheckParameterDescription> = { info };
  if (chosen !== undefined && value !== undefined) description.selected = { parameter: selector, value, info: chosen };
  if (general !== undefined)
    description.meanings =
      chosen?.parameters !== undefined ? withCaseParameters(general, selector, chosen.parameters) : general;
  return description;
}

/** The memory access a bug check reports (WinDbg's READ_ADDRESS / WRITE_ADDRESS). */
export interface BugCheckMemoryAccess {
  /** The parameter holding the address whose access failed, and its value. */
  readonly addressParameter: BugCheckParameterNumber;
  readonly address: bigint;
  /** The parameter telling how it was accessed, when the code has one. */
  readonly accessParameter?: BugCheckParameterNumber;
  /** Read, write or execute: implied by the code, or from the access parameter's documented value. */
  readonly kind?: BugCheckAccessKind;
}

const PARAMETER_NUMBERS: readonly BugCheckParameterNumber[] = [1, 2, 3, 4];

/**
 * The address a memory-access bug check (0xA, 0xD1, 0x50, …, or a case such
 * as an access violation of 0x1E) says was referenced, and how, from the
 * parameters' roles (`referencedAddress`, `accessType`). Undefined when the
 * code, or the case its parameters select, names no such address.
 */
export function bugCheckMemoryAccess(
  code: number,
  parameters: readonly [bigint, bigint, bigint, bigint],
): BugCheckMemoryAccess | undefined {
  const meanings = describeBugCheckParameters(code, parameters)?.meanings;
  if (meanings === undefined) return undefined;
  const roleAt = (n: BugCheckParameterNumber) => meanings[(n - 1) as 0 | 1 | 2 | 3];
  const addressParameter = PARAMETER_NUMBERS.find((n) => roleAt(n).role === 'referencedAddress');
  if (addressParameter === undefined) return undefined;
  const result: Mutable<BugCheckMemoryAccess> = {
    addressParameter,
    address: parameters[(addressParameter - 1) as 0 | 1 | 2 | 3],
  };
  const implied = roleAt(addressParameter).accessKind;
  if (implied !== undefined) result.kind = implied;
  const accessParameter = PARAMETER_NUMBERS.find((n) => roleAt(n).role === 'accessType');
  if (accessParameter !== undefined) {
    result.accessParameter = accessParameter;
    const value = parameterValue32(parameters[(accessParameter - 1) as 0 | 1 | 2 | 3]);
    const kind = value === undefined ? undefined : roleAt(accessParameter).access?.get(value);
    if (kind !== undefined) result.kind = kind;
  }
  return result;
}
