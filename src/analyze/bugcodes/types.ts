/** Public shapes of the bug check code table (re-exported by ../bugcodes.ts). */

/**
 * What a parameter is, for a program rather than a reader. Only roles an
 * analyzer acts on are named; most parameters have none.
 * - `faultingInstruction`: address of the instruction at fault (WinDbg's FAULTING_IP);
 *   its name is 'Faulting instruction' or 'Exception address'.
 * - `referencedAddress`: the memory address whose access failed (READ_ADDRESS / WRITE_ADDRESS).
 * - `accessType`: how `referencedAddress` was accessed; its `access` lists the documented values.
 * - `exceptionCode`: an NTSTATUS exception code.
 * - `status`: an NTSTATUS (or HRESULT) result of a failed operation.
 * - `exceptionRecord`, `contextRecord`, `trapFrame`: address of an EXCEPTION_RECORD,
 *   a CONTEXT or a KTRAP_FRAME (`.exr`, `.cxr`, `.trap`).
 * - `irql`: an interrupt request level.
 */
export type BugCheckParameterRole =
  | 'faultingInstruction'
  | 'referencedAddress'
  | 'accessType'
  | 'exceptionCode'
  | 'status'
  | 'exceptionRecord'
  | 'contextRecord'
  | 'trapFrame'
  | 'irql';

/** Kind of memory access an `accessType` parameter value stands for. */
export type BugCheckAccessKind = 'read' | 'write' | 'execute';

export interface BugCheckParameterInfo {
  /** Short label, as an analyzer would print it (e.g. 'Memory referenced'). */
  readonly name: string;
  readonly meaning: string;
  /** What an analyzer can do with the value; absent for most parameters. */
  readonly role?: BugCheckParameterRole;
  /** For an `accessType` parameter: the documented values and the access each stands for. */
  readonly access?: ReadonlyMap<number, BugCheckAccessKind>;
  /** For a `referencedAddress` whose access the code itself implies (0xBE: a write). */
  readonly accessKind?: BugCheckAccessKind;
}

export type BugCheckParameterNumber = 1 | 2 | 3 | 4;

export type BugCheckParameterInfos = readonly [
  BugCheckParameterInfo,
  BugCheckParameterInfo,
  BugCheckParameterInfo,
  BugCheckParameterInfo,
];

/** One value of the selecting parameter of a code whose other parameters change meaning with it. */
export interface BugCheckCaseInfo {
  readonly description: string;
  /**
   * Meanings of the three parameters other than the selector, in parameter
   * order (P2, P3, P4 when P1 selects; P1, P2, P3 when P4 selects). Absent when
   * the code's general parameter meanings apply unchanged.
   */
  readonly parameters?: readonly [BugCheckParameterInfo, BugCheckParameterInfo, BugCheckParameterInfo];
}

export interface BugCheckCodeInfo {
  /** Unsigned 32-bit code, e.g. 0x1000007E. */
  readonly code: number;
  /** Symbolic name, e.g. 'SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M'. */
  readonly name: string;
  readonly summary?: string;
  /**
   * Whether the public reference documents this code's parameters (a page
   * saying it has none counts: its four meanings are then 'Not used'). When
   * false, `parameters` is absent and an analyzer should say the parameters
   * are not documented.
   */
  readonly parametersDocumented: boolean;
  readonly parameters?: BugCheckParameterInfos;
  /** Which parameter selects an entry of `cases`; 1 when absent. */
  readonly caseParameter?: BugCheckParameterNumber;
  /** Selector value → what that value means and what the other three parameters then hold. */
  readonly cases?: ReadonlyMap<number, BugCheckCaseInfo>;
}
