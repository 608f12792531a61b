import {
  BITMAP_DUMP_HEADER64,
  BITMAP_VALID_DUMP,
  DUMP_FULL_SIGNATURE,
  DUMP_HEADER64_SIZE,
  DUMP_SUMMARY_SIGNATURE,
  DUMP_SUMMARY_VALID_CURRENT_USER_VA,
  DUMP_SUMMARY_VALID_KERNEL_VA,
  PAGE_SIZE,
} from '../../format/index.js';
import type { Machine } from '../../machine/index.js';
import type { BodyStream } from './bodyStream.js';
import { writeFrames } from './pageData.js';
import { forEachSelectedRange, type PageSelection } from './pageSelection.js';

/**
 * DumpType 5 (FDMP, complete) / 6 (SDMP, kernel): a 0x38-byte header at
 * 0x2000, the bitmap right after it, then one page per set bit in ascending
 * PFN order starting at HeaderSize (not page aligned, as in genuine dumps).
 */
export interface BitmapLayout {
  signature: number;
  dumpOptions: number;
  /** Bits; a multiple of 32 covering the highest describable PFN. */
  bitmapSize: bigint;
  /** Absolute file offset of the first page (= 0x2000 + 0x38 + BitmapSize / 8). */
  headerSize: bigint;
  pages: bigint;
}

export function planBitmap(selection: PageSelection, kind: 'complete' | 'kernel'): BitmapLayout {
  const bitmapSize = BigInt(selection.bits);
  return {
    signature: kind === 'complete' ? DUMP_FULL_SIGNATURE : DUMP_SUMMARY_SIGNATURE,
    // Complete dumps hold every page the tables could reach, so both kinds of VA resolve; a kernel dump only kernel VA.
    dumpOptions:
      kind === 'complete'
        ? DUMP_SUMMARY_VALID_KERNEL_VA | DUMP_SUMMARY_VALID_CURRENT_USER_VA
        : DUMP_SUMMARY_VALID_KERNEL_VA,
    bitmapSize,
    headerSize: BigInt(DUMP_HEADER64_SIZE + BITMAP_DUMP_HEADER64.size) + bitmapSize / 8n,
    pages: selection.count,
  };
}

export function bitmapBodySize(layout: BitmapLayout): bigint {
  return layout.headerSize - BigInt(DUMP_HEADER64_SIZE) + layout.pages * BigInt(PAGE_SIZE);
}

export function writeBitmapBody(
  machine: Machine,
  selection: PageSelection,
  layout: BitmapLayout,
  out: BodyStream,
): void {
  out.append(
    BITMAP_DUMP_HEADER64.encode({
      Signature: layout.signature,
      ValidDump: BITMAP_VALID_DUMP,
      DumpOptions: layout.dumpOptions,
      HeaderSize: layout.headerSize,
      Pages: layout.pages,
      BitmapSize: layout.bitmapSize,
    }),
  );

  // The selection is the dump's bitmap, byte for byte.
  out.appendView(selection.bitmap);
  forEachSelectedRange(selection.bitmap, 0, selection.bits, (first, end) => writeFrames(machine, first, end, out));
}
