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
import type { PageSelection } from './pageSelection.js';

/** Bitmap bytes built at a time: the bitmap is streamed, never held whole. */
const BITMAP_CHUNK_BYTES = 0x10000;

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
  const bits = BigInt(selection.highestDescribable + 1);
  const bitmapSize = ((bits + 31n) / 32n) * 32n;
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

  const bitmapBytes = Number(layout.bitmapSize / 8n);
  const chunk = new Uint8Array(Math.min(bitmapBytes, BITMAP_CHUNK_BYTES));
  const selected = selection.pfns()[Symbol.iterator]();
  let next = selected.next();
  for (let byteStart = 0; byteStart < bitmapBytes; byteStart += chunk.length) {
    const view = chunk.subarray(0, Math.min(chunk.length, bitmapBytes - byteStart));
    view.fill(0);
    const firstPfn = byteStart * 8;
    const endPfn = firstPfn + view.length * 8;
    while (!next.done && next.value < endPfn) {
      const bit = next.value - firstPfn;
      const byte = bit >>> 3;
      view[byte] = (view[byte] ?? 0) | (1 << (bit & 7));
      next = selected.next();
    }
    out.append(view);
  }

  for (const pfn of selection.pfns()) out.append(machine.physical.readPage(BigInt(pfn)));
}
