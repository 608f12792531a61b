/**
 * Pool, IRQL, spin locks, time and processor queries for C drivers. Each
 * keeps its documented IRQL rule at the current IRQL: inside a bug check
 * callback (HIGH_LEVEL) allocating, freeing and acquiring a spin lock are
 * violations; outside one, calling above the allowed IRQL is a KernelError
 * (a bug check 0xA on Windows). A C driver's pool comes from its window.
 */
import {
  POOL_FLAG_CACHE_ALIGNED,
  POOL_FLAG_NON_PAGED,
  POOL_FLAG_NON_PAGED_EXECUTE,
  POOL_FLAG_PAGED,
  POOL_FLAG_RAISE_ON_FAILURE,
  POOL_FLAG_UNINITIALIZED,
  POOL_FLAG_USE_QUOTA,
} from '../../machine/index.js';
import { KernelError } from '../errors.js';
import { DISPATCH_LEVEL, HIGH_LEVEL } from '../irql.js';
import { type CServiceContext, i32, ret64, u32, u64 } from './context.js';
import { readU64, writeBytes, writeU64 } from './memory.js';

const APC_LEVEL = 1;
/** wdm.h POOL_FLAG_* bits as C code passes them, and the machine's flag for each. */
const C_POOL_FLAGS: readonly [bigint, bigint][] = [
  [0x1n, POOL_FLAG_USE_QUOTA],
  [0x2n, POOL_FLAG_UNINITIALIZED],
  [0x8n, POOL_FLAG_CACHE_ALIGNED],
  [0x20n, POOL_FLAG_RAISE_ON_FAILURE],
  [0x40n, POOL_FLAG_NON_PAGED],
  [0x80n, POOL_FLAG_NON_PAGED_EXECUTE],
  [0x100n, POOL_FLAG_PAGED],
];
/** A bit the machine does not know, standing for any C bit the model does not implement (e.g. POOL_FLAG_SESSION). */
const UNSUPPORTED_FLAG = 0x10n;

function machinePoolFlags(flags: bigint): bigint {
  let out = 0n;
  let rest = flags;
  for (const [c, m] of C_POOL_FLAGS) {
    if ((flags & c) !== 0n) out |= m;
    rest &= ~c;
  }
  return rest === 0n ? out : out | UNSUPPORTED_FLAG;
}

/** POOL_TYPE → POOL_FLAGS for the old allocators (which do not zero). */
function poolTypeFlags(poolType: number): bigint | null {
  const base = poolType & ~0x20; // session bit: no sessions in this model
  switch (base) {
    case 0:
    case 2:
      return POOL_FLAG_NON_PAGED_EXECUTE;
    case 4:
    case 6:
      return POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_CACHE_ALIGNED;
    case 1:
      return POOL_FLAG_PAGED;
    case 5:
      return POOL_FLAG_PAGED | POOL_FLAG_CACHE_ALIGNED;
    case 512:
      return POOL_FLAG_NON_PAGED;
    case 516:
      return POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED;
    default:
      return null;
  }
}

function processor(ctx: CServiceContext): { irql: number } {
  const cpu = ctx.machine.processors[ctx.kernel.currentProcessor];
  if (!cpu) throw new KernelError('E_KERNEL_PROCESSOR', `no processor ${ctx.kernel.currentProcessor}`);
  return cpu;
}

/** A deterministic clock: each query advances it 1 µs, so elapsed times are never zero yet runs repeat. */
const clocks = new WeakMap<object, bigint>();
function tick(ctx: CServiceContext): bigint {
  const t = (clocks.get(ctx.machine) ?? 0n) + 10n;
  clocks.set(ctx.machine, t);
  return t;
}

export function executiveServices(ctx: CServiceContext): Record<string, (...args: never[]) => unknown> {
  const { kernel, window } = ctx;

  const allocate = (api: string, flags: bigint, bytes: bigint, tag: number): bigint => {
    kernel.requireDispatchOrBelow(api, 'allocate', `${api}(0x${flags.toString(16)}, ${bytes})`);
    if ((flags & POOL_FLAG_PAGED) !== 0n && processor(ctx).irql > APC_LEVEL)
      throw new KernelError('E_IRQL_NOT_LESS_OR_EQUAL', `${api} of paged pool at IRQL ${processor(ctx).irql}`, {
        api,
      });
    if (bytes > 0x4000_0000n) return 0n;
    return window.allocatePool(flags, Number(bytes), u32(tag));
  };
  const free = (api: string, va: bigint, tag: number): void => {
    kernel.requireDispatchOrBelow(api, 'free', `${api}(0x${va.toString(16)})`);
    if (window.ownsPool(va)) window.freePool(va, tag);
    else kernel.ExFreePoolWithTag(va, tag);
  };

  const raise = (newIrql: number): number => {
    const cpu = processor(ctx);
    const old = cpu.irql;
    if (newIrql < old) {
      if (kernel.inCallback) kernel.raiseViolation('irql', `KeRaiseIrql(${newIrql}) from IRQL ${old} would lower it`);
      throw new KernelError('E_IRQL_NOT_LESS_OR_EQUAL', `KeRaiseIrql(${newIrql}) below the current IRQL ${old}`, {
        bugCheckCode: 0x9,
      });
    }
    cpu.irql = newIrql;
    return old;
  };
  const lower = (newIrql: number): void => {
    const cpu = processor(ctx);
    if (newIrql > cpu.irql)
      throw new KernelError('E_IRQL_NOT_LESS_OR_EQUAL', `KeLowerIrql(${newIrql}) above the current IRQL ${cpu.irql}`);
    if (kernel.inCallback && newIrql !== cpu.irql)
      kernel.raiseViolation(
        'irql',
        `KeLowerIrql(${newIrql}) would take the processor below HIGH_LEVEL (${HIGH_LEVEL}) inside a bug check callback`,
      );
    cpu.irql = newIrql;
  };

  /** Marks a lock held; acquiring a held lock spins forever on one processor: reported, not hung. */
  const take = (api: string, lock: bigint): void => {
    if ((readU64(ctx, lock) & 1n) !== 0n)
      throw new KernelError(
        'E_KERNEL_DEADLOCK',
        `${api}(0x${lock.toString(16)}): the lock is already held (deadlock)`,
        {
          api,
        },
      );
    writeU64(ctx, lock, 1n);
  };
  const acquireRaise = (lock: bigint): number => {
    const old = kernel.KeAcquireSpinLock(lock);
    take('KeAcquireSpinLock', lock);
    return old;
  };
  const release = (lock: bigint, newIrql: number): void => {
    writeU64(ctx, lock, 0n);
    kernel.KeReleaseSpinLock(lock, newIrql);
  };
  const atDpc = (api: string, lock: bigint): void => {
    if (kernel.inCallback)
      kernel.raiseViolation('wait', `${api}(0x${lock.toString(16)}): its owner may be frozen`, lock);
    if (processor(ctx).irql < DISPATCH_LEVEL)
      throw new KernelError('E_IRQL_NOT_LESS_OR_EQUAL', `${api} below DISPATCH_LEVEL`, { api });
    take(api, lock);
  };

  return {
    ExAllocatePool2: (flags: bigint, bytes: bigint, tag: number): bigint =>
      ret64(allocate('ExAllocatePool2', machinePoolFlags(u64(flags)), u64(bytes), tag)),
    ExAllocatePoolWithTag: (poolType: number, bytes: bigint, tag: number): bigint => {
      const flags = poolTypeFlags(i32(poolType));
      return flags === null
        ? 0n
        : ret64(allocate('ExAllocatePoolWithTag', flags | POOL_FLAG_UNINITIALIZED, u64(bytes), tag));
    },
    ExAllocatePoolZero: (poolType: number, bytes: bigint, tag: number): bigint => {
      const flags = poolTypeFlags(i32(poolType));
      return flags === null ? 0n : ret64(allocate('ExAllocatePoolZero', flags, u64(bytes), tag));
    },
    ExFreePoolWithTag: (va: bigint, tag: number): void => free('ExFreePoolWithTag', u64(va), u32(tag)),
    ExFreePool: (va: bigint): void => free('ExFreePool', u64(va), 0),

    KeGetCurrentIrql: (): number => processor(ctx).irql,
    KfRaiseIrql: (irql: number): number => raise(u32(irql) & 0xff),
    KeLowerIrql: (irql: number): void => lower(u32(irql) & 0xff),
    KeRaiseIrqlToDpcLevel: (): number => raise(DISPATCH_LEVEL),

    KeInitializeSpinLock: (lock: bigint): void => writeU64(ctx, u64(lock), 0n),
    KeAcquireSpinLockRaiseToDpc: (lock: bigint): number => acquireRaise(u64(lock)),
    KeReleaseSpinLock: (lock: bigint, irql: number): void => release(u64(lock), u32(irql) & 0xff),
    KeAcquireSpinLockAtDpcLevel: (lock: bigint): void => atDpc('KeAcquireSpinLockAtDpcLevel', u64(lock)),
    KeReleaseSpinLockFromDpcLevel: (lock: bigint): void => writeU64(ctx, u64(lock), 0n),
    KeTryToAcquireSpinLockAtDpcLevel: (lock: bigint): number => {
      if ((readU64(ctx, u64(lock)) & 1n) !== 0n) return 0;
      writeU64(ctx, u64(lock), 1n);
      return 1;
    },
    KeAcquireInStackQueuedSpinLock: (lock: bigint, handle: bigint): void => {
      const old = acquireRaise(u64(lock));
      // KLOCK_QUEUE_HANDLE: LockQueue { Next, Lock }, OldIrql at 0x10.
      writeU64(ctx, u64(handle), 0n);
      writeU64(ctx, u64(handle) + 8n, u64(lock));
      writeBytes(ctx, u64(handle) + 0x10n, Uint8Array.of(old));
    },
    KeReleaseInStackQueuedSpinLock: (handle: bigint): void => {
      const lock = readU64(ctx, u64(handle) + 8n);
      const old = Number(readU64(ctx, u64(handle) + 0x10n) & 0xffn);
      release(lock, old);
    },

    KeQuerySystemTime: (out: bigint): void => writeU64(ctx, u64(out), ctx.machine.options.systemTime + tick(ctx)),
    KeQuerySystemTimePrecise: (out: bigint): void =>
      writeU64(ctx, u64(out), ctx.machine.options.systemTime + tick(ctx)),
    KeQueryTickCount: (out: bigint): void =>
      writeU64(ctx, u64(out), (ctx.machine.options.systemUpTime + tick(ctx)) / 156_250n),
    KeQueryTimeIncrement: (): number => 156_250,
    KeQueryInterruptTime: (): bigint => ret64(ctx.machine.options.systemUpTime + tick(ctx)),
    __bc_KeQueryPerformanceCounter: (frequency: bigint): bigint => {
      if (u64(frequency) !== 0n) writeU64(ctx, u64(frequency), 10_000_000n);
      return ret64(ctx.machine.options.systemUpTime + tick(ctx));
    },
    KeGetCurrentProcessorNumber: (): number => kernel.currentProcessor,
    KeGetCurrentProcessorNumberEx: (out: bigint): number => {
      if (u64(out) !== 0n) writeBytes(ctx, u64(out), Uint8Array.of(0, 0, kernel.currentProcessor, 0));
      return kernel.currentProcessor;
    },
    KeQueryActiveProcessorCount: (affinity: bigint): number => {
      const n = ctx.machine.processors.length;
      if (u64(affinity) !== 0n) writeU64(ctx, u64(affinity), n >= 64 ? 0xffff_ffff_ffff_ffffn : (1n << BigInt(n)) - 1n);
      return n;
    },
    KeQueryActiveProcessorCountEx: (group: number): number =>
      (u32(group) & 0xffff) === 0 || (u32(group) & 0xffff) === 0xffff ? ctx.machine.processors.length : 0,
  };
}
