/**
 * Number formatting shared by the analyzer's listings. Two conventions:
 * JSON carries `0x` + lower-case hex without padding (one rule, easy to
 * parse back with BigInt()); human output follows WinDbg (64-bit addresses
 * as 16 digits with a backtick between the halves).
 */

/** JSON form: `0x` + lower-case hex, no padding; negative numbers as their 64-bit two's complement. */
export function jsonHex(value: number | bigint): string {
  const big = typeof value === 'bigint' ? value : BigInt(value);
  return `0x${(big < 0n ? BigInt.asUintN(64, big) : big).toString(16)}`;
}

/** WinDbg address form: `fffff804`8b58334c`. */
export function windbgAddress(value: bigint): string {
  const s = BigInt.asUintN(64, value).toString(16).padStart(16, '0');
  return `${s.slice(0, 8)}\`${s.slice(8)}`;
}

/** Zero-padded lower-case hex without prefix, as WinDbg prints ULONGs and ULONG64s. */
export function padHex(value: number | bigint, digits: number): string {
  const big = typeof value === 'bigint' ? value : BigInt(value);
  return (big < 0n ? BigInt.asUintN(64, big) : big).toString(16).padStart(digits, '0');
}

/** Offsets in listings: `0x00C`, `0x1050` (upper-case, at least three digits, like the format spec). */
export function offsetHex(value: number | bigint, digits = 3): string {
  const big = typeof value === 'bigint' ? value : BigInt(value);
  return `0x${big.toString(16).toUpperCase().padStart(digits, '0')}`;
}

/** Sizes as WinDbg's .enumtag prints them: `0x1000`. */
export function sizeHex(value: number | bigint): string {
  const big = typeof value === 'bigint' ? value : BigInt(value);
  return `0x${big.toString(16)}`;
}

/** Printable ASCII for a byte (WinDbg shows everything outside 0x20–0x7E as a dot). */
export function asciiChar(byte: number): string {
  return byte >= 0x20 && byte <= 0x7e ? String.fromCharCode(byte) : '.';
}

/** Pads a string on the right to `width` visible columns (ignores ANSI colour codes). */
export function padVisible(text: string, width: number): string {
  const visible = text.replace(/\x1b\[[0-9;]*m/g, '').length;
  return visible >= width ? text : text + ' '.repeat(width - visible);
}

/**
 * Text from a dump made safe for a terminal: control characters (C0, DEL,
 * C1) become `\xNN`, so a crafted name can neither move the cursor nor
 * break a table's rows.
 */
export function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * Appends `items` to `target` one by one. `target.push(...items)` passes every
 * item as an argument and throws "Maximum call stack size exceeded" past
 * ~100,000 of them (a crafted diagnostics block, a big hexdump).
 */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The largest of `values` and `floor`, without spreading them into Math.max's arguments. */
export function maxOf(values: Iterable<number>, floor: number): number {
  let max = floor;
  for (const v of values) if (v > max) max = v;
  return max;
}
