import { formatGuidBraced } from '../format/index.js';
import { formatHexdump } from './hexdump.js';
import { sizeHex } from './text.js';
import { plainStyle, type TextStyle } from './style.js';

export interface TaggedBlock {
  guid: string;
  /** DataSize from the blob header. */
  size: number;
  /** The block's bytes: all of them, or only a preview from the start. */
  data: Uint8Array;
}

/**
 * Lines in the manner of WinDbg's `.enumtag`: one `{GUID} - 0xNNN bytes` line
 * per secondary data block, then its bytes as hex and ASCII. When `data` is
 * only a preview, a last line says how much was left out.
 */
export function formatEnumtag(blocks: readonly TaggedBlock[], style: TextStyle = plainStyle): string[] {
  const lines: string[] = [];
  for (const block of blocks) {
    lines.push(`${style.value(formatGuidBraced(block.guid))} - ${sizeHex(block.size)} bytes`);
    lines.push(...formatHexdump(block.data, { prefix: 'offset', upperCase: true, indent: '  ', style }));
    const omitted = block.size - block.data.length;
    if (omitted > 0) lines.push(style.dim(`  ... ${sizeHex(omitted)} more bytes`));
    lines.push('');
  }
  return lines;
}
