import { IOP_TRIAGE_DUMP_DATA_BLOCK } from '../format/index.js';
import type { VirtualMemory } from './virtualMemory.js';

export interface TriageDumpDataBlock {
  address: bigint;
  size: number;
}

/**
 * IopTriageDumpDataBlocks: the kernel's list of virtual ranges to add to a
 * triage dump — an array of [start, end) pairs with its ULONG count in
 * IopNumTriageDumpDataBlocks (the genuine 19041 dump: 31 pairs). Ranges past
 * the capacity are not listed (add() says so).
 */
export class TriageDumpDataBlocks {
  private readonly blocks: TriageDumpDataBlock[] = [];

  constructor(
    private readonly memory: VirtualMemory,
    private readonly countVariable: bigint,
    private readonly array: bigint,
    readonly capacity: number,
  ) {
    this.writeCount();
  }

  /** Lists [address, address + size); false when the array is full or the range is empty or wraps. */
  add(address: bigint, size: number): boolean {
    if (!Number.isSafeInteger(size) || size <= 0 || address < 0n || address + BigInt(size) > 0xffff_ffff_ffff_ffffn)
      return false;
    if (this.blocks.length >= this.capacity) return false;
    const at = this.array + BigInt(this.blocks.length * IOP_TRIAGE_DUMP_DATA_BLOCK.size);
    this.memory.writeUnguarded(
      at,
      IOP_TRIAGE_DUMP_DATA_BLOCK.encode({ StartAddress: address, EndAddress: address + BigInt(size) }),
    );
    this.blocks.push({ address, size });
    this.writeCount();
    return true;
  }

  get list(): readonly TriageDumpDataBlock[] {
    return this.blocks;
  }

  private writeCount(): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, this.blocks.length, true);
    this.memory.writeUnguarded(this.countVariable, b);
  }
}
