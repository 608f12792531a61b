/** The bitmap dump header (DumpType 5/6) at file offset 0x2000, from dumpformat.md §2.2. */
import { bytes, fourCC, table, u32, u64 } from './struct.js';

export const DUMP_SUMMARY_SIGNATURE = fourCC('SDMP');
export const DUMP_FULL_SIGNATURE = fourCC('FDMP');
export const BITMAP_VALID_DUMP = fourCC('DUMP');

export const BITMAP_DUMP_HEADER64 = table('BITMAP_DUMP_HEADER64', 0x38, {
  Signature: u32(0x00),
  ValidDump: u32(0x04),
  DumpOptions: u32(0x08),
  /** "(unknown/reserved)": the builder leaves `PAGE` there. */
  Reserved: bytes(0x0c, 0x14),
  /** Absolute file offset of the first page. */
  HeaderSize: u64(0x20),
  /** Pages present (set bits). */
  Pages: u64(0x28),
  /** Bits in the bitmap. */
  BitmapSize: u64(0x30),
});
/** The bitmap starts right after the header. */
export const BITMAP_OFFSET = 0x38;
