import { InvalidArgumentError } from 'commander';
import { isGuid, parseGuid, type GuidString } from '../format/index.js';

const MAX_U64 = (1n << 64n) - 1n;

/**
 * Numbers the way WinDbg reads them: hex by default (with or without `0x`),
 * `0n` for decimal, and the backtick WinDbg puts between the halves of a
 * 64-bit address (`fffff804`8b58334c`) is ignored.
 */
export function parseWindbgNumber(text: string): bigint | undefined {
  const t = text.trim().replace(/`/g, '');
  const decimal = /^0n([0-9]+)$/i.exec(t);
  if (decimal) return BigInt(decimal[1]!);
  const hexadecimal = /^(?:0x)?([0-9a-f]+)$/i.exec(t);
  if (hexadecimal) return BigInt(`0x${hexadecimal[1]!}`);
  return undefined;
}

/** commander argument parser for a 64-bit address. */
export function addressArgument(text: string): bigint {
  const value = parseWindbgNumber(text);
  if (value === undefined || value > MAX_U64) {
    throw new InvalidArgumentError(
      `"${text}" is not an address (hex, e.g. fffff8048b58334c or 0xfffff804\`8b58334c; 0n… for decimal)`,
    );
  }
  return value;
}

/** Largest read the `read` command accepts in one go. */
export const MAX_READ_LENGTH = 0x100000;

/** commander option parser for a byte count (1 … MAX_READ_LENGTH). */
export function lengthArgument(text: string): number {
  const value = parseWindbgNumber(text);
  if (value === undefined || value < 1n || value > BigInt(MAX_READ_LENGTH)) {
    throw new InvalidArgumentError(
      `"${text}" is not a length between 1 and 0x${MAX_READ_LENGTH.toString(16)} (hex by default; 0n… for decimal)`,
    );
  }
  return Number(value);
}

/** commander option parser for a non-negative decimal index. */
export function indexArgument(text: string): number {
  if (!/^[0-9]+$/.test(text.trim())) throw new InvalidArgumentError(`"${text}" is not an index (0, 1, 2, …)`);
  const value = Number(text.trim());
  if (!Number.isSafeInteger(value)) throw new InvalidArgumentError(`"${text}" is too large`);
  return value;
}

/** commander argument parser for a GUID, braced or not, any case. */
export function guidArgument(text: string): GuidString {
  if (!isGuid(text))
    throw new InvalidArgumentError(`"${text}" is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, braces optional)`);
  return parseGuid(text);
}
