/**
 * bugcheck.h: what the simulated machine gives a C driver that Windows would
 * give it another way — device memory (the PnP manager's resources), host
 * channels (a byte sink outside the machine), BCryptGenRandom.
 */
import { randomFillSync } from 'node:crypto';
import { KernelError } from '../errors.js';
import {
  type CServiceContext,
  type HostChannel,
  STATUS_INSUFFICIENT_RESOURCES,
  STATUS_INVALID_HANDLE,
  STATUS_INVALID_PARAMETER,
  STATUS_IO_DEVICE_ERROR,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
  u32,
  u64,
} from './context.js';
import { readAnsi, readBytes, writeBytes, writeU64 } from './memory.js';

const BCRYPT_USE_SYSTEM_PREFERRED_RNG = 0x2;

export function modelServices(ctx: CServiceContext): Record<string, (...args: never[]) => unknown> {
  const channels = new Map<number, HostChannel>();
  let nextHandle = 4;
  const passive = (api: string): void => {
    const irql = ctx.machine.processors[ctx.kernel.currentProcessor]?.irql ?? 0;
    if (ctx.kernel.inCallback) ctx.kernel.raiseViolation('wait', `${api} at HIGH_LEVEL (PASSIVE_LEVEL only)`);
    if (irql > 0)
      throw new KernelError('E_IRQL_NOT_LESS_OR_EQUAL', `${api} called at IRQL ${irql} (PASSIVE_LEVEL only)`, { api });
  };
  return {
    BcAllocateDeviceMemory: (pages: number, out: bigint): number => {
      passive('BcAllocateDeviceMemory');
      const n = u32(pages);
      if (n === 0 || n > 0x10000 || u64(out) === 0n) return STATUS_INVALID_PARAMETER;
      let pa: bigint;
      try {
        pa = ctx.machine.allocateDeviceMemory(n);
      } catch {
        return STATUS_INSUFFICIENT_RESOURCES;
      }
      writeU64(ctx, u64(out), pa);
      return STATUS_SUCCESS;
    },
    BcOpenHostChannel: (name: bigint, out: bigint): number => {
      passive('BcOpenHostChannel');
      if (u64(name) === 0n || u64(out) === 0n) return STATUS_INVALID_PARAMETER;
      const channel = ctx.openHostChannel(readAnsi(ctx, u64(name), 256));
      if (!channel) return STATUS_OBJECT_NAME_NOT_FOUND;
      const handle = nextHandle;
      nextHandle += 4;
      channels.set(handle, channel);
      writeU64(ctx, u64(out), BigInt(handle));
      return STATUS_SUCCESS;
    },
    BcWriteHostChannel: (handle: bigint, offset: bigint, buffer: bigint, length: number): number => {
      const channel = channels.get(Number(u64(handle)));
      if (!channel) return STATUS_INVALID_HANDLE;
      const bytes = readBytes(ctx, u64(buffer), u32(length));
      try {
        channel.write(u64(offset), bytes);
        return STATUS_SUCCESS;
      } catch {
        return STATUS_IO_DEVICE_ERROR;
      }
    },
    BcCloseHostChannel: (handle: bigint, flush: number): number => {
      const key = Number(u64(handle));
      const channel = channels.get(key);
      if (!channel) return STATUS_INVALID_HANDLE;
      channels.delete(key);
      try {
        channel.close((u32(flush) & 0xff) !== 0);
        return STATUS_SUCCESS;
      } catch {
        return STATUS_IO_DEVICE_ERROR;
      }
    },
    BCryptGenRandom: (algorithm: bigint, buffer: bigint, length: number, flags: number): number => {
      passive('BCryptGenRandom');
      if (u64(algorithm) !== 0n || (u32(flags) & BCRYPT_USE_SYSTEM_PREFERRED_RNG) === 0)
        return STATUS_INVALID_PARAMETER;
      const bytes = new Uint8Array(u32(length));
      randomFillSync(bytes);
      writeBytes(ctx, u64(buffer), bytes);
      return STATUS_SUCCESS;
    },
  };
}
