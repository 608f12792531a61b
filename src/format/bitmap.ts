import { FormatError } from './errors.js';
import { bytes, struct, u32, u64 } from './layout.js';

/**
 * The header of a bitmap dump (DumpType 5/6) at file offset 0x2000; the
 * bitmap follows at 0x38. HeaderSize is the absolute file offset of the first
 * page, Pages the number of set bits, BitmapSize the number of bits.
 */
export const BITMAP_DUMP_HEADER64 = struct('BITMAP_DUMP_HEADER64', {
  Signature: u32,
  ValidDump: u32,
  DumpOptions: u32,
  Reserved: bytes(0x14),
  HeaderSize: u64,
  Pages: u64,
  BitmapSize: u64,
});
export type BitmapDumpHeader64 = ReturnType<typeof BITMAP_DUMP_HEADER64.decode>;

/** Offset of the bitmap from the start of BITMAP_DUMP_HEADER64. */
export const BITMAP_DUMP_BITMAP_OFFSET = BITMAP_DUMP_HEADER64.size;

/** Bytes needed for a bitmap of `bits` bits (rounded up to whole bytes). */
export function bitmapByteLength(bits: bigint | number): number {
  const b = BigInt(bits);
  if (b < 0n || b > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new FormatError(`bitmap of ${b} bits is out of range`, {
      structure: 'BITMAP_DUMP_HEADER64',
      field: 'BitmapSize',
    });
  }
  return Number((b + 7n) / 8n);
}

/** Bit i of byte j is PFN 8j+i (LSB first, the same as reading ULONGs little-endian). */
export function bitmapTest(bitmap: Uint8Array, pfn: number): boolean {
  if (pfn < 0 || pfn >= bitmap.length * 8) return false;
  return (bitmap[pfn >>> 3]! & (1 << (pfn & 7))) !== 0;
}

export function bitmapSet(bitmap: Uint8Array, pfn: number): void {
  if (!Number.isInteger(pfn) || pfn < 0 || pfn >= bitmap.length * 8) {
    throw new FormatError(`PFN ${pfn} is outside a bitmap of ${bitmap.length * 8} bits`, { structure: 'bitmap' });
  }
  bitmap[pfn >>> 3] = bitmap[pfn >>> 3]! | (1 << (pfn & 7));
}

/** Number of set bits (the Pages field a writer must store). */
export function bitmapPopCount(bitmap: Uint8Array): number {
  let n = 0;
  for (const byte of bitmap) {
    let b = byte;
    while (b !== 0) {
      b &= b - 1;
      n++;
    }
  }
  return n;
}
