import { asciiChar, padHex, windbgAddress } from './text.js';
import { plainStyle, type TextStyle } from './style.js';

export interface HexdumpOptions {
  /** Address of bytes[0]; each line starts with the address of its first byte. */
  address?: bigint;
  /** How the line prefix is written: WinDbg address (`fffff804`8b58334c`), a relative offset (`0010`), or nothing. */
  prefix?: 'address' | 'offset' | 'none';
  /** Tells whether bytes[index] was actually in the dump; absent bytes print as `??`. Default: all present. */
  isPresent?: (index: number) => boolean;
  /** Upper-case hex digits (WinDbg's .enumtag) instead of lower-case (db). */
  upperCase?: boolean;
  /** Text put before every line. */
  indent?: string;
  style?: TextStyle;
}

const BYTES_PER_LINE = 16;

/**
 * Lines in the layout of WinDbg's `db`: prefix, two spaces, 16 bytes with a
 * `-` between the 8th and 9th, two spaces, ASCII. Lines start at the given
 * address without realigning, as `db` does; absent bytes show `??` and `?`.
 */
export function formatHexdump(bytes: Uint8Array, options: HexdumpOptions = {}): string[] {
  const base = options.address ?? 0n;
  const prefixKind = options.prefix ?? 'address';
  const isPresent = options.isPresent ?? (() => true);
  const style = options.style ?? plainStyle;
  const indent = options.indent ?? '';
  const offsetDigits = Math.max(4, (bytes.length - 1).toString(16).length);
  const lines: string[] = [];
  for (let start = 0; start < bytes.length; start += BYTES_PER_LINE) {
    const end = Math.min(start + BYTES_PER_LINE, bytes.length);
    let hexPart = '';
    let asciiPart = '';
    for (let i = start; i < start + BYTES_PER_LINE; i++) {
      const column = i - start;
      const separator = column === 0 ? '' : column === 8 ? '-' : ' ';
      if (i >= end) {
        hexPart += ' '.repeat(separator.length + 2);
        continue;
      }
      if (isPresent(i)) {
        const digits = padHex(bytes[i]!, 2);
        hexPart += separator + (options.upperCase ? digits.toUpperCase() : digits);
        asciiPart += asciiChar(bytes[i]!);
      } else {
        hexPart += separator + '??';
        asciiPart += '?';
      }
    }
    let prefix = '';
    if (prefixKind === 'address') prefix = style.address(windbgAddress(base + BigInt(start))) + '  ';
    else if (prefixKind === 'offset') prefix = style.address(padHex(start, offsetDigits)) + '  ';
    lines.push(`${indent}${prefix}${hexPart}  ${style.dim(asciiPart)}`);
  }
  return lines;
}

/** A presence test from a reader's per-range status list (ranges are relative to `address`). */
export function presenceFromStatus(address: bigint, status: readonly { address: bigint; length: number; status: string }[]): (index: number) => boolean {
  const present = status
    .filter((s) => s.status === 'present')
    .map((s) => ({ start: Number(s.address - address), end: Number(s.address - address) + s.length }));
  return (index) => present.some((r) => index >= r.start && index < r.end);
}
