import type { Machine } from '../../src/machine/index.js';
import { TestUnwinder, type Registers } from './x64Unwinder.js';

/** A TestUnwinder over a machine's own memory (unguarded reads; undefined where unmapped). */
export function machineUnwinder(m: Machine): TestUnwinder {
  return new TestUnwinder(
    async (va, length) => {
      try {
        return m.readVirtual(va, length);
      } catch {
        return undefined;
      }
    },
    m.modules.map((x) => ({ name: x.name, base: x.base, size: x.size })),
  );
}

/** The register array of TestUnwinder from a CONTEXT. */
export function registersOf(c: {
  Rax: bigint;
  Rcx: bigint;
  Rdx: bigint;
  Rbx: bigint;
  Rsp: bigint;
  Rbp: bigint;
  Rsi: bigint;
  Rdi: bigint;
  R8: bigint;
  R9: bigint;
  R10: bigint;
  R11: bigint;
  R12: bigint;
  R13: bigint;
  R14: bigint;
  R15: bigint;
}): Registers {
  return [c.Rax, c.Rcx, c.Rdx, c.Rbx, c.Rsp, c.Rbp, c.Rsi, c.Rdi, c.R8, c.R9, c.R10, c.R11, c.R12, c.R13, c.R14, c.R15];
}
