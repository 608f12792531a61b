import { FormatError } from './errors.js';

/**
 * Windows GUIDs are stored mixed-endian: Data1 (u32), Data2 (u16), Data3 (u16)
 * little-endian, then Data4 as 8 plain bytes. In memory we keep the canonical
 * lower-case text form, which is what `--json` prints.
 */
export type GuidString = string;

const GUID_TEXT = /^\{?([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})\}?$/;

export const GUID_SIZE = 16;
export const NULL_GUID: GuidString = '00000000-0000-0000-0000-000000000000';

/** Parses `xxxxxxxx-xxxx-…` with or without braces, any case; returns the lower-case canonical form. */
export function parseGuid(text: string): GuidString {
  const m = GUID_TEXT.exec(text.trim());
  if (!m)
    throw new FormatError(`not a GUID: "${text}" (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`, {
      structure: 'GUID',
    });
  return `${m[1]}-${m[2]}-${m[3]}-${m[4]}-${m[5]}`.toLowerCase();
}

export function isGuid(text: string): boolean {
  return GUID_TEXT.test(text.trim());
}

/** Reads 16 bytes in Windows binary layout. */
export function decodeGuid(bytes: Uint8Array, offset = 0): GuidString {
  if (offset < 0 || offset + GUID_SIZE > bytes.length) {
    throw new FormatError(`GUID at offset ${offset} runs past the end of a ${bytes.length}-byte buffer`, {
      structure: 'GUID',
      offset,
    });
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset + offset, GUID_SIZE);
  const d1 = dv.getUint32(0, true).toString(16).padStart(8, '0');
  const d2 = dv.getUint16(4, true).toString(16).padStart(4, '0');
  const d3 = dv.getUint16(6, true).toString(16).padStart(4, '0');
  let d4 = '';
  for (let i = 8; i < 16; i++) d4 += bytes[offset + i]!.toString(16).padStart(2, '0');
  return `${d1}-${d2}-${d3}-${d4.slice(0, 4)}-${d4.slice(4)}`;
}

/** Writes a GUID in Windows binary layout into `target` at `offset` (a new 16-byte array if none). */
export function encodeGuid(guid: GuidString, target: Uint8Array = new Uint8Array(GUID_SIZE), offset = 0): Uint8Array {
  const g = parseGuid(guid);
  if (offset < 0 || offset + GUID_SIZE > target.length) {
    throw new FormatError(`GUID at offset ${offset} does not fit in a ${target.length}-byte buffer`, {
      structure: 'GUID',
      offset,
    });
  }
  const dv = new DataView(target.buffer, target.byteOffset + offset, GUID_SIZE);
  dv.setUint32(0, parseInt(g.slice(0, 8), 16), true);
  dv.setUint16(4, parseInt(g.slice(9, 13), 16), true);
  dv.setUint16(6, parseInt(g.slice(14, 18), 16), true);
  const d4 = g.slice(19, 23) + g.slice(24);
  for (let i = 0; i < 8; i++) target[offset + 8 + i] = parseInt(d4.slice(i * 2, i * 2 + 2), 16);
  return target;
}

/** WinDbg's human form: braced, upper-case. */
export function formatGuidBraced(guid: GuidString): string {
  return `{${parseGuid(guid).toUpperCase()}}`;
}
