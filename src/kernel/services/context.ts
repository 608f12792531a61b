/**
 * What a kernel service serving C code needs: the kernel, the machine, the
 * calling driver's window and image, and a few hooks the C driver layer
 * provides (its routines as kernel-callable functions, its debug output and
 * host channels). Plus the argument conversions every service does: i64
 * arrives as a signed bigint, i32 as a signed number.
 */
import type { LoadedModule, Machine, WasmWindow } from '../../machine/index.js';
import type { Kernel } from '../kernel.js';
import type { KBugCheckCallbackRoutine, KBugCheckReasonCallbackRoutine } from '../routines.js';

export interface HostChannel {
  write(offset: bigint, bytes: Uint8Array): void;
  close(flush: boolean): void;
}

export interface DbgPrintMessage {
  text: string;
  /** DbgPrintEx's ComponentId and Level; absent for DbgPrint. */
  componentId?: number;
  level?: number;
}

export interface CServiceContext {
  readonly kernel: Kernel;
  readonly machine: Machine;
  readonly window: WasmWindow;
  readonly module: LoadedModule;
  readonly driverName: string;
  /** 'windows': DbgPrintEx shows the error level only (the default component filter); 'all': every level. */
  readonly dbgPrintFilter: 'windows' | 'all';
  /** The driver's function at a function pointer, callable as a reason callback routine. */
  reasonRoutine(pointer: bigint): KBugCheckReasonCallbackRoutine;
  legacyRoutine(pointer: bigint): KBugCheckCallbackRoutine;
  /** The C function name at a function pointer (for routine labels). */
  functionName(pointer: bigint): string | undefined;
  /** Debug output that passed the filter. */
  print(message: DbgPrintMessage): void;
  /** A host channel the loader bound to `name`, opened; undefined when there is none. */
  openHostChannel(name: string): HostChannel | undefined;
}

/** A pointer or 64-bit unsigned argument (wasm i64 arrives signed). */
export function u64(value: unknown): bigint {
  return BigInt.asUintN(64, value as bigint);
}

/** A ULONG, BOOLEAN, enum… argument (wasm i32 arrives signed). */
export function u32(value: unknown): number {
  return (value as number) >>> 0;
}

/** A LONG / int argument. */
export function i32(value: unknown): number {
  return (value as number) | 0;
}

/** An i64 result (pointer or SIZE_T) as wasm wants it. */
export function ret64(value: bigint): bigint {
  return BigInt.asIntN(64, value);
}

/** An NTSTATUS (or other 32-bit) result. */
export function ret32(value: number): number {
  return value | 0;
}

export const STATUS_SUCCESS = 0;
export const STATUS_BUFFER_OVERFLOW = 0x80000005 | 0;
export const STATUS_INVALID_PARAMETER = 0xc000000d | 0;
export const STATUS_INSUFFICIENT_RESOURCES = 0xc000009a | 0;
export const STATUS_OBJECT_NAME_NOT_FOUND = 0xc0000034 | 0;
export const STATUS_IO_DEVICE_ERROR = 0xc0000185 | 0;
export const STATUS_INVALID_HANDLE = 0xc0000008 | 0;
export const STATUS_NOT_SUPPORTED = 0xc00000bb | 0;
