import { PTE_FRAME_MASK } from '../format/index.js';
import type { AddressSpace } from './addressSpace.js';
import { MachineError } from './errors.js';
import type { PhysicalMemory } from './physical.js';
import { SystemPteRegion } from './systemPtes.js';

/** Largest single I/O-space mapping: 1 GiB (a BAR larger than that is not something a sample needs). */
export const MAX_IO_SPACE_BYTES = 0x4000_0000;
const PAGE = 0x1000n;
const HIGHEST_PHYSICAL_ADDRESS = PTE_FRAME_MASK | 0xfffn;

export interface IoSpaceAttributes {
  writable?: boolean;
}

/**
 * MmMapIoSpace / MmUnmapIoSpace: physical frames mapped at fresh system VAs
 * from the system PTE region. The frames are not claimed or re-owned (device
 * memory stays 'device', so a dump still leaves it out unless a driver adds
 * it); the PTEs are nonpaged, no-execute, and read-only on request.
 */
export class IoSpace {
  private readonly region: SystemPteRegion;

  constructor(
    private readonly physical: PhysicalMemory,
    private readonly space: AddressSpace,
    base: bigint,
    bytes: bigint,
  ) {
    this.region = new SystemPteRegion(base, bytes);
  }

  get base(): bigint {
    return this.region.base;
  }
  get bytes(): bigint {
    return this.region.bytes;
  }

  map(physicalAddress: bigint, numberOfBytes: number, attrs: IoSpaceAttributes = {}): bigint {
    const pages = checkSize('mapIoSpace', physicalAddress, numberOfBytes);
    if (physicalAddress < 0n || physicalAddress + BigInt(numberOfBytes) - 1n > HIGHEST_PHYSICAL_ADDRESS) {
      throw new MachineError(
        'E_MACHINE_ARGUMENT',
        `mapIoSpace: physical range 0x${physicalAddress.toString(16)}+0x${numberOfBytes.toString(16)} is outside the 52-bit physical address space`,
        { physicalAddress, numberOfBytes },
      );
    }
    const firstPa = physicalAddress & ~0xfffn;
    for (let i = 0; i < pages; i++) {
      const pfn = (firstPa >> 12n) + BigInt(i);
      // Windows 10 refuses to map page tables this way; a writable alias of one would let a driver rewrite translations.
      if (this.physical.owner(pfn) === 'pagetable') {
        throw new MachineError('E_MACHINE_ARGUMENT', `mapIoSpace: frame 0x${pfn.toString(16)} holds a page table`, {
          physicalAddress,
          pfn,
        });
      }
    }
    const va = this.region.reserve(pages, (page) => this.space.translatePage(page) === undefined);
    if (va === undefined) {
      throw new MachineError(
        'E_MACHINE_IO_SPACE_EXHAUSTED',
        `mapIoSpace: no free range of ${pages} pages in the system PTE region`,
        { pages },
      );
    }
    const writable = attrs.writable ?? true;
    for (let i = 0; i < pages; i++) {
      this.space.map4K(va + BigInt(i) * PAGE, firstPa + BigInt(i) * PAGE, {
        writable,
        noExecute: true,
        pageable: false,
      });
    }
    return va + (physicalAddress & 0xfffn);
  }

  unmap(va: bigint, numberOfBytes: number): void {
    const pages = checkSize('unmapIoSpace', va, numberOfBytes);
    const first = va & ~0xfffn;
    const mapped = this.region.contains(first) ? this.region.pagesAt(first) : undefined;
    if (mapped === undefined) {
      throw new MachineError(
        'E_MACHINE_ARGUMENT',
        `unmapIoSpace: 0x${first.toString(16)} is not the start of an I/O-space mapping`,
        { va },
      );
    }
    if (mapped !== pages) {
      throw new MachineError(
        'E_MACHINE_ARGUMENT',
        `unmapIoSpace: the mapping at 0x${first.toString(16)} has ${mapped} pages, not ${pages}`,
        { va, numberOfBytes, pages: mapped },
      );
    }
    // Check every page first, so a failure leaves the mapping whole.
    for (let i = 0; i < pages; i++) {
      const page = first + BigInt(i) * PAGE;
      if (this.space.translatePage(page) === undefined) {
        throw new MachineError(
          'E_MACHINE_NOT_MAPPED',
          `unmapIoSpace: 0x${page.toString(16)} was unmapped behind the machine's back`,
          { va: page },
        );
      }
    }
    for (let i = 0; i < pages; i++) this.space.unmap(first + BigInt(i) * PAGE);
    this.region.release(first);
  }
}

/** Pages covering [address, address + numberOfBytes). */
function checkSize(api: string, address: bigint, numberOfBytes: number): number {
  if (typeof address !== 'bigint') {
    throw new MachineError('E_MACHINE_ARGUMENT', `${api}: the address must be a bigint`, { address: String(address) });
  }
  if (!Number.isSafeInteger(numberOfBytes) || numberOfBytes <= 0 || numberOfBytes > MAX_IO_SPACE_BYTES) {
    throw new MachineError(
      'E_MACHINE_ARGUMENT',
      `${api}: NumberOfBytes ${numberOfBytes} must be an integer in 1..0x${MAX_IO_SPACE_BYTES.toString(16)}`,
      { numberOfBytes },
    );
  }
  return Number(((address & 0xfffn) + BigInt(numberOfBytes) + 0xfffn) >> 12n);
}
