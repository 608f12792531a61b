import { BugcheckError } from '../format/index.js';
import type { Violation } from './violations.js';

/** Stable codes of KernelError and its subclasses (documented in src/kernel/README.md). */
export const KernelErrorCode = {
  /** Kernel settings that fail their schema. */
  Settings: 'E_KERNEL_SETTINGS',
  /** The machine has no loaded modules to bind a routine to. */
  NoModules: 'E_KERNEL_NO_MODULES',
  /** A service called after the machine halted (a bug check already ran). */
  Halted: 'E_KERNEL_HALTED',
  /** A processor index or object that is not one of this machine's. */
  Processor: 'E_KERNEL_PROCESSOR',
  /** A service called above the IRQL it allows, outside a bug check callback (bug check 0xA on Windows). */
  IrqlNotLessOrEqual: 'E_IRQL_NOT_LESS_OR_EQUAL',
  /** The kernel could not allocate its own structures before the crash. */
  NoMemory: 'E_KERNEL_NO_MEMORY',
  /** A structure view asked for a field its layout does not have. */
  Field: 'E_KERNEL_FIELD',
  /** A callback broke a HIGH_LEVEL rule (thrown into the routine to unwind it). */
  HighLevelViolation: 'E_HIGH_LEVEL_VIOLATION',
  /** KeBugCheckEx called inside a bug check callback. */
  NestedBugCheck: 'E_NESTED_BUGCHECK',
  /** A C driver acquired a spin lock it already holds (it would spin forever; src/kernel/services). */
  Deadlock: 'E_KERNEL_DEADLOCK',
} as const;
export type KernelErrorCode = (typeof KernelErrorCode)[keyof typeof KernelErrorCode];

/** Misuse of the kernel model itself (bad settings, bad record address, a halted machine, ...). */
export class KernelError extends BugcheckError {
  constructor(code: KernelErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

/**
 * Thrown into a bug check callback routine when it breaks a HIGH_LEVEL rule
 * (allocating, waiting, touching pageable memory). On Windows the same act
 * would deadlock or cause a nested fault; here it unwinds the routine so the
 * bug check can go on without it.
 */
export class HighLevelViolationError extends KernelError {
  readonly violation: Violation;

  constructor(violation: Violation) {
    super(
      'E_HIGH_LEVEL_VIOLATION',
      `${violation.component || '(no component)'}: ${violation.kind} at HIGH_LEVEL: ${violation.detail}`,
      {
        component: violation.component,
        kind: violation.kind,
      },
    );
    this.violation = violation;
  }
}

/**
 * KeBugCheckEx never returns. When a callback raises a second bug check the
 * kernel records it and throws this to unwind the callback that raised it.
 */
export class NestedBugCheckError extends KernelError {
  readonly bugCheckCode: number;

  constructor(code: number) {
    super(
      'E_NESTED_BUGCHECK',
      `nested bug check 0x${code.toString(16).toUpperCase()} raised inside a bug check callback`,
      { code },
    );
    this.bugCheckCode = code;
  }
}
