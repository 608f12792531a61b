import * as format from '../format/index.js';
import { BUG_CHECK_CODES, bugCheckName } from '../analyze/bugcodes.js';
import { DISPATCH_LEVEL, HIGH_LEVEL } from '../kernel/index.js';
import { POOL_FLAG_NON_PAGED, POOL_FLAG_PAGED } from '../machine/index.js';

const CODES_BY_NAME: ReadonlyMap<string, number> = new Map(BUG_CHECK_CODES.map((info) => [info.name, info.code]));

/** The stop code for a name of the public reference: `bugCheckCode('DRIVER_IRQL_NOT_LESS_OR_EQUAL')` → 0xD1. */
export function bugCheckCode(name: string): number {
  const code = CODES_BY_NAME.get(name.trim().toUpperCase());
  if (code === undefined)
    throw new format.BugcheckError(
      'E_SCENARIO_BUGCHECK_NAME',
      `"${name}" is not a bug check name of the public reference`,
    );
  return code;
}

/**
 * What a scenario's run function gets as its second argument, so a scenario
 * file needs no import of `bugcheck` at run time: every structure layout
 * (KBUGCHECK_SECONDARY_DUMP_DATA, KBUGCHECK_ADD_PAGES, …), the constants
 * (KbCallbackReason, KbDumpIoType, KB_ADD_PAGES_FLAG_*, …), the GUID helpers,
 * the IRQL levels and pool flags, and bug check codes by name.
 */
export const scenarioLibrary = Object.freeze({
  ...format,
  HIGH_LEVEL,
  DISPATCH_LEVEL,
  POOL_FLAG_NON_PAGED,
  POOL_FLAG_PAGED,
  bugCheckCode,
  bugCheckName,
});

export type ScenarioLibrary = typeof scenarioLibrary;
