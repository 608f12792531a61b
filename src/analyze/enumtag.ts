import { formatGuidBraced } from '../format/index.js';
import { formatHexdump } from './hexdump.js';
import { appendAll, sizeHex } from './text.js';
import { plainStyle, type TextStyle } from './style.js';

export interface TaggedBlock {
  guid: string;
  /** DataSize from the blob header. */
  size: number;
  /** The block's bytes: all of them, or only a preview from the start. */
  data: Uint8Array;
}

/** The `{GUID} - 0xNNN bytes` line that starts a block. */
export function formatEnumtagHeading(guid: string, size: number, style: TextStyle = plainStyle): string {
  return `${style.value(formatGuidBraced(guid))} - ${sizeHex(size)} bytes`;
}

/**
 * Lines for `data`, the block's bytes from `offset` on, so a long block can
 * be shown piece by piece (`offset` a multiple of 16). `shownBytes` is how many
 * bytes the whole listing shows; it sets the width of the offsets.
 */
export function formatEnumtagBytes(
  data: Uint8Array,
  offset: number,
  shownBytes: number,
  style: TextStyle = plainStyle,
): string[] {
  const offsetDigits = Math.max(4, Math.max(shownBytes - 1, 0).toString(16).length);
  return formatHexdump(data, {
    prefix: 'offset',
    startOffset: offset,
    offsetDigits,
    upperCase: true,
    indent: '  ',
    style,
  });
}

/** The line after a preview: how many bytes were left out (none when `shown` covers the block). */
export function formatEnumtagRest(size: number, shown: number, style: TextStyle = plainStyle): string[] {
  return size > shown ? [style.dim(`  ... ${sizeHex(size - shown)} more bytes`)] : [];
}

/**
 * Lines in the manner of WinDbg's `.enumtag`: one `{GUID} - 0xNNN bytes` line
 * per secondary data block, then its bytes as hex and ASCII. When `data` is
 * only a preview, a last line says how much was left out.
 */
export function formatEnumtag(blocks: readonly TaggedBlock[], style: TextStyle = plainStyle): string[] {
  const lines: string[] = [];
  for (const block of blocks) {
    lines.push(formatEnumtagHeading(block.guid, block.size, style));
    appendAll(lines, formatEnumtagBytes(block.data, 0, block.data.length, style));
    appendAll(lines, formatEnumtagRest(block.size, block.data.length, style));
    lines.push('');
  }
  return lines;
}
