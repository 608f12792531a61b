/**
 * Names of the NTSTATUS codes that show up as exception codes in bug check
 * parameters (ntstatus.h). Only the exception codes: the analyzer names what
 * it can and prints the number otherwise.
 */
const EXCEPTION_CODE_NAMES: ReadonlyMap<number, string> = new Map([
  [0x80000001, 'STATUS_GUARD_PAGE_VIOLATION'],
  [0x80000002, 'STATUS_DATATYPE_MISALIGNMENT'],
  [0x80000003, 'STATUS_BREAKPOINT'],
  [0x80000004, 'STATUS_SINGLE_STEP'],
  [0xc0000005, 'STATUS_ACCESS_VIOLATION'],
  [0xc0000006, 'STATUS_IN_PAGE_ERROR'],
  [0xc0000008, 'STATUS_INVALID_HANDLE'],
  [0xc000001d, 'STATUS_ILLEGAL_INSTRUCTION'],
  [0xc0000025, 'STATUS_NONCONTINUABLE_EXCEPTION'],
  [0xc0000026, 'STATUS_INVALID_DISPOSITION'],
  [0xc000008c, 'STATUS_ARRAY_BOUNDS_EXCEEDED'],
  [0xc000008d, 'STATUS_FLOAT_DENORMAL_OPERAND'],
  [0xc000008e, 'STATUS_FLOAT_DIVIDE_BY_ZERO'],
  [0xc000008f, 'STATUS_FLOAT_INEXACT_RESULT'],
  [0xc0000090, 'STATUS_FLOAT_INVALID_OPERATION'],
  [0xc0000091, 'STATUS_FLOAT_OVERFLOW'],
  [0xc0000092, 'STATUS_FLOAT_STACK_CHECK'],
  [0xc0000093, 'STATUS_FLOAT_UNDERFLOW'],
  [0xc0000094, 'STATUS_INTEGER_DIVIDE_BY_ZERO'],
  [0xc0000095, 'STATUS_INTEGER_OVERFLOW'],
  [0xc0000096, 'STATUS_PRIVILEGED_INSTRUCTION'],
  [0xc00000fd, 'STATUS_STACK_OVERFLOW'],
  [0xc0000409, 'STATUS_STACK_BUFFER_OVERRUN'],
  [0xc0000420, 'STATUS_ASSERTION_FAILURE'],
]);

/** ntstatus.h name of an exception code, or undefined. Accepts the code sign-extended to 64 bits, as bug check parameters carry it. */
export function exceptionCodeName(code: number | bigint): string | undefined {
  const n = typeof code === 'bigint' ? Number(BigInt.asUintN(32, code)) : code >>> 0;
  return EXCEPTION_CODE_NAMES.get(n);
}
