import { asciiChar, padHex, windbgAddress } from './text.js';
import { plainStyle, type TextStyle } from './style.js';

export interface HexdumpOptions {
  /** Address of bytes[0]; each line starts with the address of its first byte. */
  address?: bigint;
  /** How the line prefix is written: WinDbg address (`fffff804`8b58334c`), a relative offset (`0010`), or nothing. */
  prefix?: 'address' | 'offset' | 'none';
  /** Tells whether bytes[index] was actually in the dump; absent bytes print as `??`. Default: all present. */
  isPresent?: (index: number) => boolean;
  /** With prefix 'offset': the offset of bytes[0] (when a long block is shown piece by piece). Default 0. */
  startOffset?: number;
  /** With prefix 'offset': digits of the offsets (default: enough for the last, at least 4). */
  offsetDigits?: number;
  /** Upper-case hex digits (WinDbg's .enumtag) instead of lower-case (db). */
  upperCase?: boolean;
  /** Text put before every line. */
  indent?: string;
  style?: TextStyle;
}

const BYTES_PER_LINE = 16;
const HEX_LOWER = Array.from({ length: 256 }, (_, b) => padHex(b, 2));
const HEX_UPPER = HEX_LOWER.map((h) => h.toUpperCase());
const ASCII = Array.from({ length: 256 }, (_, b) => asciiChar(b));

/**
 * Lines in the layout of WinDbg's `db`: prefix, two spaces, 16 bytes with a
 * `-` between the 8th and 9th, two spaces, ASCII. Lines start at the given
 * address without realigning, as `db` does; absent bytes show `??` and `?`.
 * Each line is built with one join, so it is a flat string: a megabyte of
 * bytes must not become millions of small concatenation nodes.
 */
export function formatHexdump(bytes: Uint8Array, options: HexdumpOptions = {}): string[] {
  const base = options.address ?? 0n;
  const prefixKind = options.prefix ?? 'address';
  const isPresent = options.isPresent ?? (() => true);
  const style = options.style ?? plainStyle;
  const indent = options.indent ?? '';
  const hexTable = options.upperCase === true ? HEX_UPPER : HEX_LOWER;
  const firstOffset = options.startOffset ?? 0;
  const offsetDigits = options.offsetDigits ?? Math.max(4, (firstOffset + bytes.length - 1).toString(16).length);
  const lines: string[] = [];
  const parts: string[] = [];
  const ascii: string[] = [];
  for (let start = 0; start < bytes.length; start += BYTES_PER_LINE) {
    const end = Math.min(start + BYTES_PER_LINE, bytes.length);
    parts.length = 0;
    ascii.length = 0;
    parts.push(indent);
    if (prefixKind === 'address') parts.push(style.address(windbgAddress(base + BigInt(start))), '  ');
    else if (prefixKind === 'offset') parts.push(style.address(padHex(firstOffset + start, offsetDigits)), '  ');
    for (let i = start; i < start + BYTES_PER_LINE; i++) {
      const column = i - start;
      const separator = column === 0 ? '' : column === 8 ? '-' : ' ';
      if (i >= end) {
        parts.push(column === 0 ? '  ' : '   ');
      } else if (isPresent(i)) {
        parts.push(separator, hexTable[bytes[i]!]!);
        ascii.push(ASCII[bytes[i]!]!);
      } else {
        parts.push(separator, '??');
        ascii.push('?');
      }
    }
    parts.push('  ', style.dim(ascii.join('')));
    lines.push(parts.join(''));
  }
  return lines;
}

/**
 * A presence test from a reader's per-range status list (ranges are
 * relative to `address`): whether every byte of [from, to) is present. The
 * present runs are merged, so a range is present when one run holds it; a
 * cursor makes the in-order calls of a hexdump or a stack scan O(1) each.
 */
export function presentRangesFromStatus(
  address: bigint,
  status: readonly { address: bigint; length: number; status: string }[],
): (from: number, to: number) => boolean {
  const starts: number[] = [];
  const ends: number[] = [];
  for (const s of [...status].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0))) {
    if (s.status !== 'present') continue;
    const start = Number(s.address - address);
    const end = start + s.length;
    const last = ends.length - 1;
    if (last >= 0 && start <= ends[last]!) ends[last] = Math.max(ends[last]!, end);
    else {
      starts.push(start);
      ends.push(end);
    }
  }
  let at = 0;
  return (from, to) => {
    if (starts.length === 0) return false;
    if (from < starts[at]!) at = 0;
    while (at < starts.length - 1 && from >= ends[at]!) at++;
    return from >= starts[at]! && to <= ends[at]!;
  };
}

/** presentRangesFromStatus for one byte at a time (what formatHexdump's isPresent takes). */
export function presenceFromStatus(
  address: bigint,
  status: readonly { address: bigint; length: number; status: string }[],
): (index: number) => boolean {
  const present = presentRangesFromStatus(address, status);
  return (index) => present(index, index + 1);
}
