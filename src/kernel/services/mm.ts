/**
 * Memory-manager services for C drivers: MmIsAddressValid (any IRQL, never
 * faults), MmGetPhysicalAddress (any IRQL), MmMapIoSpaceEx / MmMapIoSpace
 * and MmUnmapIoSpace (IRQL ≤ DISPATCH_LEVEL). A C driver's I/O mappings are
 * made inside its window, so its code reaches device memory directly.
 */
import { MachineError } from '../../machine/index.js';
import { type CServiceContext, ret64, u32, u64 } from './context.js';

const PAGE_READONLY = 0x02;
const PAGE_EXECUTE_READ = 0x20;
const MAX_MAPPING = 0x4000_0000n;

export function mmServices(ctx: CServiceContext): Record<string, (...args: never[]) => unknown> {
  const { kernel, window, machine } = ctx;
  return {
    MmIsAddressValid: (va: bigint): number => (kernel.MmIsAddressValid(u64(va)) ? 1 : 0),
    __bc_MmGetPhysicalAddress: (va: bigint): bigint => ret64(machine.kernelSpace.translate(u64(va))?.pa ?? 0n),
    __bc_MmMapIoSpaceEx: (pa: bigint, bytes: bigint, protect: number): bigint => {
      kernel.requireDispatchOrBelow(
        'MmMapIoSpaceEx',
        'allocate',
        `MmMapIoSpaceEx(0x${u64(pa).toString(16)}, ${u64(bytes)})`,
      );
      if (u64(bytes) === 0n || u64(bytes) > MAX_MAPPING) return 0n;
      const p = u32(protect) & 0xff;
      try {
        return ret64(
          window.mapIoSpace(u64(pa), Number(u64(bytes)), {
            writable: p !== PAGE_READONLY && p !== PAGE_EXECUTE_READ,
          }),
        );
      } catch (error) {
        // MmMapIoSpaceEx returns NULL when it cannot map (bad range, page tables, no room).
        if (error instanceof MachineError) return 0n;
        throw error;
      }
    },
    MmUnmapIoSpace: (va: bigint, bytes: bigint): void => {
      kernel.requireDispatchOrBelow(
        'MmUnmapIoSpace',
        'free',
        `MmUnmapIoSpace(0x${u64(va).toString(16)}, ${u64(bytes)})`,
      );
      const n = Number(u64(bytes) > MAX_MAPPING ? MAX_MAPPING : u64(bytes));
      if (window.ownsIoSpace(u64(va))) window.unmapIoSpace(u64(va), n);
      else machine.unmapIoSpace(u64(va), n);
    },
  };
}
