import type { MemoryAccessJson } from './analysis.js';
import { bugCheckMemoryAccess, describeBugCheckParameters } from './bugcodes.js';
import { jsonHex } from './text.js';

/**
 * FAULTING_IP and READ_ADDRESS / WRITE_ADDRESS from what the bug check table
 * (bugcodes/) says each parameter of a code is: only a parameter whose
 * documented role is the faulting instruction names the code at fault, so a
 * parameter that merely points into a module (a data address, a pool block)
 * never blames it. The table knows cases and `_M` variants, so the full code
 * and its parameters are what is looked up.
 */

type Param = 1 | 2 | 3 | 4;
type Parameters = readonly [bigint, bigint, bigint, bigint];

/** Base codes whose P1 is an exception code (their EXCEPTION_RECORD describes a 0xC0000005 access). */
export const EXCEPTION_BUGCHECKS: ReadonlySet<number> = new Set([0x1e, 0x3b, 0x7e, 0x8e]);

/**
 * The parameter holding the address of the code at fault: the one the table
 * calls the faulting instruction, else the referenced address of a code
 * that implies an execute access (0xFC: the address whose execution was
 * attempted is where the processor was).
 */
export function faultingIpParameter(code: number, parameters: Parameters): Param | undefined {
  const meanings = describeBugCheckParameters(code, parameters)?.meanings;
  if (meanings === undefined) return undefined;
  const byRole = meanings.findIndex((m) => m.role === 'faultingInstruction');
  if (byRole >= 0) return (byRole + 1) as Param;
  const executed = meanings.findIndex((m) => m.role === 'referencedAddress' && m.accessKind === 'execute');
  return executed >= 0 ? ((executed + 1) as Param) : undefined;
}

const STATUS_ACCESS_VIOLATION = 0xc0000005n;

/**
 * READ_ADDRESS / WRITE_ADDRESS: from the parameters of the memory-access
 * codes (the table's `referencedAddress` and `accessType` roles), or from an
 * access violation's EXCEPTION_RECORD (Information[0] = 0 read, 1 write,
 * 8 execute; Information[1] = the address).
 */
export function memoryAccess(
  code: number,
  parameters: Parameters,
  exceptionRecord: { code: string; parameters: string[] } | undefined,
): MemoryAccessJson | undefined {
  const documented = bugCheckMemoryAccess(code, parameters);
  if (documented !== undefined) {
    return {
      kind: documented.kind ?? 'unknown',
      address: jsonHex(documented.address),
      source: `BugCheckParameter${documented.addressParameter}`,
    };
  }
  const base = (code & ~0x10000000) >>> 0;
  if (EXCEPTION_BUGCHECKS.has(base) && exceptionRecord !== undefined) {
    if (BigInt(exceptionRecord.code) !== STATUS_ACCESS_VIOLATION || exceptionRecord.parameters.length < 2)
      return undefined;
    const type = BigInt(exceptionRecord.parameters[0]!);
    const kind = type === 0n ? 'read' : type === 1n ? 'write' : type === 8n ? 'execute' : 'unknown';
    return { kind, address: exceptionRecord.parameters[1]!, source: 'EXCEPTION_RECORD.ExceptionInformation[1]' };
  }
  return undefined;
}

/** WinDbg's label for the access. */
export function memoryAccessLabel(kind: MemoryAccessJson['kind']): string {
  return kind === 'write' ? 'WRITE_ADDRESS' : kind === 'execute' ? 'EXECUTE_ADDRESS' : 'READ_ADDRESS';
}
