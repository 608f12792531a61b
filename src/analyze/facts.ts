import type { MemoryAccessJson } from './analysis.js';
import { jsonHex } from './text.js';

/**
 * Which parameter of a bug check the public bug check reference documents as
 * the address of the code at fault (FAULTING_IP), and how the memory-access
 * codes describe the access (READ_ADDRESS / WRITE_ADDRESS). Keyed by the base
 * code (the `_M` bit 0x10000000 dropped). Only documented parameters are
 * used: a parameter that is merely a pointer into a module (a data address,
 * a pool block) never names the culprit.
 */

type Param = 1 | 2 | 3 | 4;

/** Base code → the parameter holding the faulting instruction's address. */
export const FAULTING_IP_PARAMETER: ReadonlyMap<number, Param> = new Map<number, Param>([
  [0x0a, 4], // IRQL_NOT_LESS_OR_EQUAL: address that referenced memory
  [0x1e, 2], // KMODE_EXCEPTION_NOT_HANDLED: address where the exception occurred
  [0x50, 3], // PAGE_FAULT_IN_NONPAGED_AREA: address that referenced the memory (if known)
  [0x7e, 2], // SYSTEM_THREAD_EXCEPTION_NOT_HANDLED: address where the exception occurred
  [0x8e, 2], // KERNEL_MODE_EXCEPTION_NOT_HANDLED: address where the exception occurred
  [0xc5, 4], // DRIVER_CORRUPTED_EXPOOL: address that referenced memory
  [0xcc, 3], // PAGE_FAULT_IN_FREED_SPECIAL_POOL: address that referenced memory
  [0xcd, 3], // PAGE_FAULT_BEYOND_END_OF_ALLOCATION: address that referenced memory
  [0xce, 3], // DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS: address that referenced memory
  [0xd0, 4], // DRIVER_CORRUPTED_MMPOOL: address that referenced memory
  [0xd1, 4], // DRIVER_IRQL_NOT_LESS_OR_EQUAL: address that referenced memory
  [0xd3, 4], // DRIVER_PORTION_MUST_BE_NONPAGED: address that referenced memory
  [0xd5, 3], // DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL: address that referenced memory
  [0xd6, 3], // DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION: address that referenced memory
  [0xfc, 1], // ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY: the address whose execution was attempted
]);

/** Base codes whose P1 is an exception code (their EXCEPTION_RECORD describes a 0xC0000005 access). */
export const EXCEPTION_BUGCHECKS: ReadonlySet<number> = new Set([0x1e, 0x3b, 0x7e, 0x8e]);

/** How a memory-access code encodes the address and the kind of access. */
interface AccessRule {
  address: Param;
  /** Parameter holding the access type, and how its value reads. */
  type?: { parameter: Param; decode: (v: bigint) => MemoryAccessJson['kind'] };
  /** The access kind when the code implies it. */
  fixed?: MemoryAccessJson['kind'];
}

/** 0xA/0xD1-style flags: bit 0 write, bit 3 execute. */
const irqlAccess = (v: bigint): MemoryAccessJson['kind'] => (v & 8n ? 'execute' : v & 1n ? 'write' : 'read');
/** 0x50-style: 0 read, 1 write, 2 or 10 execute. */
const pageFaultAccess = (v: bigint): MemoryAccessJson['kind'] =>
  v === 0n ? 'read' : v === 1n ? 'write' : v === 2n || v === 0x10n ? 'execute' : 'unknown';
/** 0 read, 1 write. */
const readWrite = (v: bigint): MemoryAccessJson['kind'] => (v === 0n ? 'read' : v === 1n ? 'write' : 'unknown');

const ACCESS_RULES: ReadonlyMap<number, AccessRule> = new Map<number, AccessRule>([
  [0x0a, { address: 1, type: { parameter: 3, decode: irqlAccess } }],
  [0xd1, { address: 1, type: { parameter: 3, decode: irqlAccess } }],
  [0x50, { address: 1, type: { parameter: 2, decode: pageFaultAccess } }],
  [0xcc, { address: 1, type: { parameter: 2, decode: readWrite } }],
  [0xcd, { address: 1, type: { parameter: 2, decode: readWrite } }],
  [0xd5, { address: 1, type: { parameter: 2, decode: readWrite } }],
  [0xd6, { address: 1, type: { parameter: 2, decode: readWrite } }],
  [0xc5, { address: 1, type: { parameter: 3, decode: readWrite } }],
  [0xd0, { address: 1, type: { parameter: 3, decode: readWrite } }],
  [0xd3, { address: 1, type: { parameter: 3, decode: readWrite } }],
  [0xbe, { address: 1, fixed: 'write' }],
  [0xfc, { address: 1, fixed: 'execute' }],
]);

const STATUS_ACCESS_VIOLATION = 0xc0000005n;

/**
 * READ_ADDRESS / WRITE_ADDRESS: from the parameters of the memory-access
 * codes, or from an access violation's EXCEPTION_RECORD (Information[0] =
 * 0 read, 1 write, 8 execute; Information[1] = the address).
 */
export function memoryAccess(
  baseCode: number,
  parameters: readonly [bigint, bigint, bigint, bigint],
  exceptionRecord: { code: string; parameters: string[] } | undefined,
): MemoryAccessJson | undefined {
  const rule = ACCESS_RULES.get(baseCode);
  if (rule !== undefined) {
    const kind =
      rule.fixed ?? (rule.type === undefined ? 'unknown' : rule.type.decode(parameters[rule.type.parameter - 1]!));
    return { kind, address: jsonHex(parameters[rule.address - 1]!), source: `BugCheckParameter${rule.address}` };
  }
  if (EXCEPTION_BUGCHECKS.has(baseCode) && exceptionRecord !== undefined) {
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
