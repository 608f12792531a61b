/** x64 4-level page-table entry bits and the VA split, from dumpformat.md §4.3. */

const bit = (n: number): bigint => 1n << BigInt(n);

export const PTE_PRESENT = bit(0);
export const PTE_WRITE = bit(1);
export const PTE_USER = bit(2);
export const PTE_ACCESSED = bit(5);
export const PTE_DIRTY = bit(6);
/** PS: a 1 GiB page in a PDPTE, a 2 MiB page in a PDE. */
export const PTE_LARGE = bit(7);
/** Windows: not present but still resident (with bit 10, Prototype, clear). */
export const PTE_TRANSITION = bit(11);
/** Bit 12 of a large-page entry is PAT, not address. */
export const PTE_LARGE_PAT = bit(12);
export const PTE_NX = bit(63);

/** Bits 12–51: the frame of a 4 KiB page or of the next table. */
export const PTE_FRAME_MASK = bit(52) - bit(12);
/** 0x000F_FFFF_FFE0_0000. */
export const PTE_FRAME_MASK_2M = bit(52) - bit(21);
/** 0x000F_FFFF_C000_0000. */
export const PTE_FRAME_MASK_1G = bit(52) - bit(30);

/** Table index of `va` at `level` (0 = PML4, bits 47–39 … 3 = PT, bits 20–12). */
export function tableIndex(va: bigint, level: number): number {
  if (!Number.isInteger(level) || level < 0 || level > 3) throw new Error(`synth: no page-table level ${level}`);
  const shift = BigInt(39 - 9 * level);
  return Number((BigInt.asUintN(64, va) >> shift) & 0x1ffn);
}
