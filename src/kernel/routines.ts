import type { LoadedModule, Machine } from '../machine/index.js';
import { KernelError } from './errors.js';

/** KBUGCHECK_REASON_CALLBACK_ROUTINE. A Promise return value is a violation, hence `unknown`. */
export type KBugCheckReasonCallbackRoutine = (
  reason: number,
  record: bigint,
  reasonSpecificData: bigint,
  reasonSpecificDataLength: number,
) => unknown;

/** KBUGCHECK_CALLBACK_ROUTINE (legacy). */
export type KBugCheckCallbackRoutine = (buffer: bigint, length: number) => unknown;

export type BoundRoutine =
  | {
      kind: 'reason';
      fn: KBugCheckReasonCallbackRoutine;
      address: bigint;
      module: LoadedModule | undefined;
      label: string;
    }
  | { kind: 'legacy'; fn: KBugCheckCallbackRoutine; address: bigint; module: LoadedModule | undefined; label: string };

export interface RoutineOptions {
  /** Module whose image holds the routine (the registering driver); ntoskrnl when omitted. */
  module?: LoadedModule;
  /** Symbol-like label for the code address (defaults to the function's name). */
  label?: string;
  /** The routine's own code address (a C function pointer, inside `module`); none is allocated then. */
  address?: bigint;
}

/**
 * Callback routines are TypeScript functions; what the record stores is a
 * code address. This table gives every function a unique address inside a
 * module image (machine.allocateCodeAddress) and maps it back at dispatch.
 */
export class RoutineTable {
  private readonly byAddress = new Map<bigint, BoundRoutine>();
  private readonly byFunction = new Map<unknown, BoundRoutine[]>();
  private readonly labels = new Map<bigint, Set<string>>();

  constructor(private readonly machine: Machine) {}

  bind(kind: 'reason', fn: KBugCheckReasonCallbackRoutine, options?: RoutineOptions): bigint;
  bind(kind: 'legacy', fn: KBugCheckCallbackRoutine, options?: RoutineOptions): bigint;
  bind(
    kind: 'reason' | 'legacy',
    fn: KBugCheckReasonCallbackRoutine | KBugCheckCallbackRoutine,
    options: RoutineOptions = {},
  ): bigint {
    const existing = this.byFunction
      .get(fn)
      ?.find((r) => r.kind === kind && (options.module === undefined || r.module?.base === options.module.base));
    if (existing) return existing.address;
    const module = options.module ?? this.kernelModule();
    const label = this.uniqueLabel(
      module,
      options.label ?? (fn.name || (kind === 'reason' ? 'BugCheckReasonCallback' : 'BugCheckCallback')),
    );
    const address = options.address ?? this.machine.allocateCodeAddress(module, label);
    const bound = (
      kind === 'reason'
        ? { kind, fn: fn as KBugCheckReasonCallbackRoutine, address, module: options.module, label }
        : { kind, fn: fn as KBugCheckCallbackRoutine, address, module: options.module, label }
    ) as BoundRoutine;
    this.byAddress.set(address, bound);
    const list = this.byFunction.get(fn) ?? [];
    list.push(bound);
    this.byFunction.set(fn, list);
    return address;
  }

  resolve(address: bigint): BoundRoutine | undefined {
    return this.byAddress.get(address);
  }

  /** The machine hands out one address per (module, label); two different functions need two labels. */
  private uniqueLabel(module: LoadedModule, wanted: string): string {
    const used = this.labels.get(module.base) ?? new Set<string>();
    this.labels.set(module.base, used);
    let label = wanted;
    for (let n = 2; used.has(label); n++) label = `${wanted}_${n}`;
    used.add(label);
    return label;
  }

  private kernelModule(): LoadedModule {
    const nt = this.machine.modules.find((m) => m.name.toLowerCase() === 'ntoskrnl.exe') ?? this.machine.modules[0];
    if (!nt)
      throw new KernelError('E_KERNEL_NO_MODULES', 'the machine has no loaded modules to hold a routine address');
    return nt;
  }
}
