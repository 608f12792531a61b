/**
 * Building blocks shared by the data files of the bug check table: the row
 * shapes and parameter meanings that recur across codes. Wording is ours.
 */
import type {
  BugCheckAccessKind,
  BugCheckParameterInfo,
  BugCheckParameterNumber,
  BugCheckParameterRole,
} from './types.js';

export type Params = readonly [
  BugCheckParameterInfo,
  BugCheckParameterInfo,
  BugCheckParameterInfo,
  BugCheckParameterInfo,
];
export type OtherParams = readonly [BugCheckParameterInfo, BugCheckParameterInfo, BugCheckParameterInfo];
/** [selector value(s), description, meanings of the other three parameters]. */
export type CaseRow = readonly [number | readonly number[], string, OtherParams?];

/**
 * One code's entry. Without `parameters` the code's page documents none
 * (the entry is then marked `parametersDocumented: false`); a page saying
 * "None" gets `NONE`.
 */
export interface Detail {
  readonly summary: string;
  readonly parameters?: Params;
  readonly caseParameter?: BugCheckParameterNumber;
  readonly cases?: readonly CaseRow[];
}

export type DetailRows = readonly (readonly [number, Detail])[];

export function p(name: string, meaning: string, role?: BugCheckParameterRole): BugCheckParameterInfo {
  return role === undefined ? { name, meaning } : { name, meaning, role };
}

/** An `accessType` parameter with its documented values. */
export function access(
  name: string,
  meaning: string,
  values: readonly (readonly [number, BugCheckAccessKind])[],
): BugCheckParameterInfo {
  return { name, meaning, role: 'accessType', access: new Map(values) };
}

/** The address a code reports as accessed, when the code itself says how (e.g. always a write). */
export function accessedAddress(name: string, meaning: string, accessKind: BugCheckAccessKind): BugCheckParameterInfo {
  return { name, meaning, role: 'referencedAddress', accessKind };
}

export const RESERVED = p('Reserved', 'No documented meaning.');
export const ZERO = p('Zero', 'Always 0.');
export const NOT_USED = p('Not used', 'This bug check defines no meaning for this parameter.');
/** For a page whose parameter list says "None". */
export const NONE: Params = [NOT_USED, NOT_USED, NOT_USED, NOT_USED];
/** A parameter the page leaves out while describing the others. */
export const UNDOCUMENTED = p('Not documented', 'The reference gives no meaning for this parameter.');

export function dependsOn(selector: BugCheckParameterNumber, n: number): BugCheckParameterInfo {
  return p(`Detail ${n}`, `Meaning depends on the value of parameter ${selector}; see its case.`);
}
export const BY_P1: OtherParams = [dependsOn(1, 1), dependsOn(1, 2), dependsOn(1, 3)];

export const EXCEPTION_CODE = p(
  'Exception code',
  'NTSTATUS exception code that no handler dealt with (e.g. 0xC0000005 for an access violation).',
  'exceptionCode',
);
export const EXCEPTION_ADDRESS = p(
  'Exception address',
  'Address of the instruction that raised the exception.',
  'faultingInstruction',
);
export const MEMORY_REFERENCED = p(
  'Memory referenced',
  'Virtual address whose access caused the fault.',
  'referencedAddress',
);
export const FAULTING_IP = p(
  'Faulting instruction',
  'Address of the instruction that made the reference; `ln` on it names the function.',
  'faultingInstruction',
);
export const FAULTING_IP_IF_KNOWN = p(
  'Faulting instruction',
  'Address of the instruction that made the reference, when it could be determined.',
  'faultingInstruction',
);
export const IRQL_AT_FAULT = p(
  'IRQL',
  'Interrupt request level of the processor when the access happened (2 is DISPATCH_LEVEL).',
  'irql',
);
export const READ_OR_WRITE = access('Access', '0 when the access was a read, 1 when it was a write.', [
  [0, 'read'],
  [1, 'write'],
]);
export const POOL_TYPE = p('Pool type', 'POOL_TYPE of the request (0 nonpaged, 1 paged, and so on).');
export const CURRENT_IRQL = p('Current IRQL', 'IRQL of the processor when the check failed.', 'irql');
export const POOL_ADDRESS = p('Pool address', 'Address of the pool block involved.');
export const DEVICE_OBJECT = p('Device object', 'Address of the DEVICE_OBJECT involved.');
export const DRIVER_OBJECT = p('Driver object', 'Address of the DRIVER_OBJECT involved.');
export const IRP = p('IRP', 'Address of the I/O request packet involved.');
export const MDL = p('MDL', 'Address of the memory descriptor list involved.');
export const MDL_FLAGS = p('MDL flags', 'MdlFlags of that MDL.');
export const THREAD = p('Thread', 'Address of the KTHREAD involved.');
export const PROCESS = p('Process', 'Address of the EPROCESS involved.');
export const STATUS = p('Status', 'NTSTATUS code of the operation that failed.', 'status');
export const EXCEPTION_RECORD = p(
  'Exception record',
  'Address of the EXCEPTION_RECORD (`.exr` on it).',
  'exceptionRecord',
);
export const CONTEXT_RECORD = p('Context record', 'Address of the CONTEXT (`.cxr` on it).', 'contextRecord');
export const TRAP_FRAME = p('Trap frame', 'Address of the KTRAP_FRAME (`.trap` on it).', 'trapFrame');
/** The file-system codes' P1: where in the driver's sources the check failed. */
export const SOURCE_LOCATION = p(
  'Source location',
  'High 16 bits: identifier of the source file; low 16 bits: line number in it.',
);
export const WHEA_RECORD = p('Error record', 'Address of the WHEA_ERROR_RECORD describing the hardware error.');
export const TDR_CONTEXT = p(
  'TDR context',
  'Address of the internal timeout detection and recovery context, if there is one.',
);
export const DRIVER_MODULE_POINTER = p(
  'Driver pointer',
  'An address inside the display driver held responsible (for example its owner tag).',
);
export const VIDEO_INTERNAL = p('Internal data', 'Context-dependent internal data, if any.');
export const RULE_TEXT = p('Rule text', 'Address of a string describing the rule condition that was violated.');
export const RULE_STATE = p('Rule state', "Optional address of the rule's state variables (for !ruleinfo).");
export const XHCI_CONTEXT = p('XHCI_LIVEDUMP_CONTEXT', "Address of the xHCI controller's live dump context.");
export const TRIAGE_9F_POWER = p(
  'nt!_TRIAGE_9F_POWER',
  'Address of a triage block (Windows 7 and later; earlier: the functional device object).',
);

/** Special-pool and pool-fault codes whose layout is: address, access, instruction, reserved. */
export const FREED_OR_OVERRUN_POOL: Params = [MEMORY_REFERENCED, READ_OR_WRITE, FAULTING_IP_IF_KNOWN, RESERVED];
/** IRQL fault codes whose layout is: address, IRQL, access, instruction. */
export const RAISED_IRQL_FAULT: Params = [MEMORY_REFERENCED, IRQL_AT_FAULT, READ_OR_WRITE, FAULTING_IP];

/** A file system's exception record parameter, valid when its exception filter is on the stack. */
export function filterExceptionRecord(filter: string): BugCheckParameterInfo {
  return p('Exception record', `Address of the exception record, when ${filter} is on the stack.`, 'exceptionRecord');
}
/** A file system's context record parameter, valid when its exception filter is on the stack. */
export function filterContextRecord(filter: string): BugCheckParameterInfo {
  return p('Context record', `Address of the context record, when ${filter} is on the stack.`, 'contextRecord');
}

/** Driver Verifier rule violations: what parameters 2-4 hold for each kind of rule. */
export type RuleLayout = 'state' | 'ruleinfo' | 'text';
const RULE_INTERNAL_STATE = p('Rule state', 'Address of the internal rule state (second argument of !ruleinfo).');
const RULE_SUPPLEMENTAL = p('Supplemental state', 'Address of supplemental states (third argument of !ruleinfo).');
const RULE_LAYOUTS: Readonly<Record<RuleLayout, OtherParams>> = {
  state: [RULE_TEXT, RULE_STATE, RESERVED],
  ruleinfo: [RULE_TEXT, RULE_INTERNAL_STATE, RULE_SUPPLEMENTAL],
  text: [RULE_TEXT, RESERVED, RESERVED],
};
/** Case rows for verifier rules: [selector, rule name, layout, what the rule requires?]. */
export function rules(kind: string, rows: readonly (readonly [number, string, RuleLayout, string?])[]): CaseRow[] {
  return rows.map(([key, rule, layout, requires]) => [
    key,
    `The driver broke the ${kind} rule ${rule}${requires === undefined ? '' : ` (${requires})`}.`,
    RULE_LAYOUTS[layout],
  ]);
}
