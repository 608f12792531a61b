import { BugcheckError } from '../format/index.js';
import type { Violation } from './violations.js';

/** Misuse of the kernel model itself (bad settings, bad record address, a halted machine, ...). */
export class KernelError extends BugcheckError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
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
