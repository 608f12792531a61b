import { BugcheckError } from '../format/index.js';

/** Stable codes of CDriverError. */
export const CDriverErrorCode = {
  /** Clang or the linker refused the sources (details.diagnostics holds what Clang printed). */
  Compile: 'E_CDRIVER_COMPILE',
  /** A source file could not be read, or a compile option is wrong. */
  Source: 'E_CDRIVER_SOURCE',
  /** The toolchain packages (@yowasp/clang, binaryen) cannot be loaded. */
  Toolchain: 'E_CDRIVER_TOOLCHAIN',
  /** The WebAssembly module is malformed or was not linked the way the loader needs. */
  Module: 'E_CDRIVER_MODULE',
  /** The module imports functions no kernel service provides (details.missing lists them). */
  Imports: 'E_CDRIVER_IMPORTS',
  /** The driver exports no DriverEntry. */
  NoDriverEntry: 'E_CDRIVER_NO_DRIVER_ENTRY',
  /** DriverEntry returned a failure NTSTATUS (details.status). */
  DriverEntryFailed: 'E_CDRIVER_DRIVER_ENTRY_FAILED',
  /** C code trapped (or faulted) outside a bug check callback, e.g. in DriverEntry or an exported function. */
  Trap: 'E_CDRIVER_TRAP',
  /** The driver's memory window cannot hold what was asked (image, stack, pool). */
  Window: 'E_CDRIVER_WINDOW',
  /** A call into the driver named a function it does not export, or passed an argument that cannot be marshalled. */
  Call: 'E_CDRIVER_CALL',
} as const;
export type CDriverErrorCode = (typeof CDriverErrorCode)[keyof typeof CDriverErrorCode];

export class CDriverError extends BugcheckError {
  constructor(code: CDriverErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}
