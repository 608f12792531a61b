/**
 * x64 4-level paging (Intel SDM vol. 3 ch. 4) as the dump format needs it:
 * entry bits, frame masks and the split of a virtual address into table
 * indices. The walk itself lives with whoever owns memory (machine, reader).
 */

export const PTE_PRESENT = 0x1n;
export const PTE_WRITE = 0x2n;
export const PTE_USER = 0x4n;
export const PTE_WRITE_THROUGH = 0x8n;
export const PTE_CACHE_DISABLE = 0x10n;
export const PTE_ACCESSED = 0x20n;
export const PTE_DIRTY = 0x40n;
/** PS: a large page in a PDPTE (1 GiB) or PDE (2 MiB). */
export const PTE_LARGE = 0x80n;
export const PTE_GLOBAL = 0x100n;
/** Software bit 9: our model marks pageable memory with it (Windows uses bits 9-11 for its own bookkeeping). */
export const PTE_SOFTWARE_PAGEABLE = 0x200n;
/** Windows software bit 10: the entry refers to a prototype PTE. */
export const PTE_PROTOTYPE = 0x400n;
/** Windows software bit 11: not present, but the frame is still resident (transition list). */
export const PTE_TRANSITION = 0x800n;
export const PTE_NX = 1n << 63n;

/** Frame address bits 12-51 of a 4 KiB mapping or of a pointer to the next table. */
export const PTE_FRAME_MASK = 0x000ffffffffff000n;
/** Frame of a 2 MiB page; bit 12 is PAT in large entries, so it is not part of the address. */
export const PTE_FRAME_MASK_2M = 0x000fffffffe00000n;
/** Frame of a 1 GiB page. */
export const PTE_FRAME_MASK_1G = 0x000fffffc0000000n;
/** CR3 bits 0-11 carry the PCID, not address (a genuine DirectoryTableBase is 0x6D4002). */
export const DTB_PCID_MASK = 0xfffn;

export const PAGE_OFFSET_MASK = 0xfffn;
export const LARGE_PAGE_OFFSET_MASK_2M = 0x1fffffn;
export const LARGE_PAGE_OFFSET_MASK_1G = 0x3fffffffn;
export const PTE_ENTRIES_PER_TABLE = 512;

const U64_MAX = (1n << 64n) - 1n;

/** Bits 63-48 copy bit 47 (48-bit virtual addresses). Values outside u64 are not addresses. */
export function isCanonical(va: bigint): boolean {
  if (va < 0n || va > U64_MAX) return false;
  const top = va >> 47n; // 17 bits: all zero or all one
  return top === 0n || top === 0x1ffffn;
}

export interface PageTableIndices {
  pml4: number;
  pdpt: number;
  pd: number;
  pt: number;
  /** Byte offset within the 4 KiB page. */
  offset: number;
}

/** Splits a virtual address: PML4 bits 47-39, PDPT 38-30, PD 29-21, PT 20-12, offset 11-0. */
export function pageTableIndices(va: bigint): PageTableIndices {
  const v = BigInt.asUintN(64, va);
  return {
    pml4: Number((v >> 39n) & 0x1ffn),
    pdpt: Number((v >> 30n) & 0x1ffn),
    pd: Number((v >> 21n) & 0x1ffn),
    pt: Number((v >> 12n) & 0x1ffn),
    offset: Number(v & PAGE_OFFSET_MASK),
  };
}

/** Builds the canonical address that `pageTableIndices` would split into these indices (sign-extends bit 47). */
export function virtualAddressFromIndices(i: PageTableIndices): bigint {
  const v =
    (BigInt(i.pml4 & 0x1ff) << 39n) |
    (BigInt(i.pdpt & 0x1ff) << 30n) |
    (BigInt(i.pd & 0x1ff) << 21n) |
    (BigInt(i.pt & 0x1ff) << 12n) |
    BigInt(i.offset & 0xfff);
  return (v & (1n << 47n)) !== 0n ? v | 0xffff000000000000n : v;
}

/** PML4 physical address from a DirectoryTableBase / CR3 value (drops PCID bits and bit 63). */
export function directoryTableBaseAddress(dtb: bigint): bigint {
  return BigInt.asUintN(64, dtb) & PTE_FRAME_MASK;
}
