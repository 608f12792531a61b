/**
 * Where C code was when something went wrong: the driver's function (from
 * the module's name section) and, with debug info, file:line (the DWARF line
 * table of the linked module, reached through the lowering's offset map).
 * And the errors C code raises: CTrap for a WebAssembly trap, CPageFault for
 * an access the machine refused (a PageFault, so the kernel counts it as one).
 */
import { BugcheckError } from '../format/index.js';
import { HighLevelViolationError, NestedBugCheckError } from '../kernel/index.js';
import { PageFault } from '../machine/index.js';
import { lookupLine, type LineRow } from './dwarfLine.js';
import { originalCodeOffset } from './lower.js';

export interface CLocation {
  driver: string;
  /** The C function (or `function N` without a name section entry). */
  function: string;
  /** `file:line` when the module has debug info for that place. */
  line: string | null;
}

export function formatLocation(l: CLocation): string {
  return `${l.driver}!${l.function}${l.line ? ` (${l.line})` : ''}`;
}

export interface CodeMap {
  driver: string;
  names: ReadonlyMap<number, string>;
  offsetMap: Int32Array;
  lines: readonly LineRow[];
}

const WASM_FRAME = /wasm-function\[(\d+)\]:0x([0-9a-f]+)/;
/** Where the location found for an error is kept on it. */
const LOCATION = Symbol('bugcheck.cLocation');

/** The first frame of `stack` in the driver's own code (not its runtime's). */
export function locateInStack(map: CodeMap, stack: string | undefined): CLocation | null {
  if (!stack) return null;
  for (const line of stack.split('\n')) {
    const m = WASM_FRAME.exec(line);
    if (!m) continue;
    const index = Number(m[1]);
    const name = map.names.get(index) ?? `function ${index}`;
    if (name.startsWith('__bc_')) continue;
    const codeOffset = originalCodeOffset(map.offsetMap, Number.parseInt(m[2]!, 16));
    const row = codeOffset < 0 ? null : lookupLine(map.lines, codeOffset);
    return {
      driver: map.driver,
      function: name,
      line: row && row.line > 0 ? `${row.file.replace(/^\/+(?=[^/]*$)/, '')}:${row.line}` : null,
    };
  }
  return null;
}

/** The current call stack, deep enough to reach the C frames under a few host frames. */
export function captureStack(): string | undefined {
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = 30;
  const stack = new Error().stack;
  Error.stackTraceLimit = previous;
  return stack;
}

/** Captures the C location of an error thrown by a kernel service while C code called it. */
export function noteServiceLocation(map: CodeMap, error: unknown): void {
  if (typeof error !== 'object' || error === null || LOCATION in error) return;
  (error as Record<symbol, unknown>)[LOCATION] = locateInStack(map, captureStack());
}

export function locationOf(map: CodeMap, error: unknown): CLocation | null {
  if (typeof error === 'object' && error !== null && LOCATION in error)
    return (error as Record<symbol, CLocation | null>)[LOCATION] ?? null;
  return locateInStack(map, error instanceof Error ? error.stack : undefined);
}

/** A WebAssembly trap in C code (out of bounds, unreachable, division by zero, stack overflow…). */
export class CTrap extends BugcheckError {
  readonly location: CLocation | null;

  constructor(what: string, location: CLocation | null, driver: string) {
    super(
      'E_CDRIVER_TRAP',
      `${what} in ${location ? formatLocation(location) : `${driver} (no C frame on the stack)`}`,
      { what, driver, function: location?.function ?? null, line: location?.line ?? null },
    );
    this.location = location;
  }
}

/** A PageFault raised by C code's access, with where in the C code it happened. */
export class CPageFault extends PageFault {
  readonly location: CLocation | null;

  constructor(fault: PageFault, location: CLocation | null, note = '') {
    super(fault.address, fault.access, fault.reason);
    this.location = location;
    if (location || note) this.message = `${this.message}${note} in ${location ? formatLocation(location) : 'C code'}`;
    this.details.function = location?.function ?? null;
    this.details.line = location?.line ?? null;
  }
}

/** What a WebAssembly RuntimeError message says, in the words of a driver developer. */
function trapKind(error: Error): string {
  const m = error.message;
  if (/divide by zero|division by zero/i.test(m)) return 'integer divide by zero';
  if (/unreachable/i.test(m)) return 'unreachable code reached (__builtin_trap, __fastfail or a missing return)';
  if (/null function|signature mismatch|table index/i.test(m)) return `call through a bad function pointer (${m})`;
  if (/out of bounds/i.test(m)) return `memory access out of bounds (${m})`;
  if (/integer overflow/i.test(m)) return 'integer overflow';
  if (/float unrepresentable|invalid conversion/i.test(m)) return 'invalid float-to-integer conversion';
  return `trap: ${m}`;
}

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack size/i.test(error.message);
}

/**
 * Turns what came out of C code into the error the kernel and the caller
 * should see, with the C location: violations and nested bug checks keep
 * their class (the location is added to their detail), page faults become
 * CPageFault, traps CTrap. Anything else is returned unchanged.
 */
export function translateCError(map: CodeMap, error: unknown, stackGuard?: (address: bigint) => boolean): unknown {
  const location = locationOf(map, error);
  const where = location ? ` in ${formatLocation(location)}` : '';
  if (error instanceof HighLevelViolationError) {
    if (location && !error.violation.detail.includes(map.driver)) error.violation.detail += where;
    return error;
  }
  if (error instanceof NestedBugCheckError || error instanceof CTrap || error instanceof CPageFault) return error;
  if (error instanceof PageFault) {
    // Keep the object (the kernel may already have logged it as this call's fault); say where it happened.
    const note = stackGuard?.(error.address) ? ' (stack overflow: the guard page below the stack)' : '';
    if (!error.message.includes(where)) error.message += `${note}${where}`;
    return error;
  }
  if (isStackOverflow(error)) return new CTrap('stack overflow', location, map.driver);
  if (error instanceof Error && error.constructor.name === 'RuntimeError')
    return new CTrap(trapKind(error), location, map.driver);
  if (error instanceof BugcheckError && location && !error.message.includes(where)) error.message += where;
  return error;
}
