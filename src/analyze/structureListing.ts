import type { Codec, FieldInfo, Layout } from '../format/index.js';
import { jsonHex, padHex } from './text.js';

/** One field of a structure as stored in the file, for `.dumpdebug`-style listings. */
export interface ListedField {
  /** Absolute file offset of the field. */
  offset: number;
  /** Field name; nested structures and array elements as `Exception.ExceptionCode`, `ExceptionInformation[3]`. */
  name: string;
  /** Codec kind (`u32`, `u64`, `bytes[32]`, `guid`, …). */
  type: string;
  size: number;
  /** Numbers as `0x…` hex; GUIDs lower-case; byte arrays as hex of at most their first 32 bytes. */
  value: string;
  /** What the value means (names, decoded text, `PAGE filler`), when there is something to say. */
  note?: string;
}

export interface ListedStructure {
  structure: string;
  /** Absolute file offset of the structure. */
  offset: number;
  size: number;
  fields: ListedField[];
}

/** Gives a note for a top-level field, or undefined. Receives the decoded value. */
export type FieldNoter = (name: string, value: unknown) => string | undefined;

const BYTES_SHOWN = 32;

function isLayout(codec: Codec<unknown>): codec is Layout<unknown> {
  return 'fields' in codec && Array.isArray((codec as Layout<unknown>).fields);
}

/**
 * True when every byte continues the header's `PAGE` pattern (aligned to
 * file offset 0): Windows fills the header with it before writing fields,
 * so a field still holding it was never written.
 */
export function isFillerBytes(bytes: Uint8Array, fileOffset: number): boolean {
  const page = [0x50, 0x41, 0x47, 0x45];
  if (bytes.length === 0) return false;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== page[(fileOffset + i) & 3]) return false;
  return true;
}

function scalarText(codec: Codec<unknown>, value: unknown): string {
  if (typeof value === 'bigint' || typeof value === 'number') return jsonHex(value);
  if (typeof value === 'string') return codec.kind === 'guid' ? value : JSON.stringify(value);
  return String(value);
}

export const FILLER_NOTE = 'PAGE filler (not written)';

function fillerNote(raw: Uint8Array, fileOffset: number): string | undefined {
  return isFillerBytes(raw, fileOffset) ? FILLER_NOTE : undefined;
}

function bytesText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes.subarray(0, BYTES_SHOWN)) s += padHex(b, 2);
  return bytes.length > BYTES_SHOWN ? `${s}…` : s;
}

/**
 * Lists every field of `layout` as stored at `fileOffset`, taken from
 * `bytes` (which start at that offset). Nested structures are flattened,
 * arrays of numbers listed element by element, arrays of structures and byte
 * buffers summarised. Fields that `bytes` does not cover (a truncated file)
 * are left out rather than invented. `detectFiller` marks fields still
 * holding the header's `PAGE` filler (only meaningful inside the header).
 */
export function listStructure(
  layout: Layout<unknown>,
  bytes: Uint8Array,
  fileOffset: number,
  noter?: FieldNoter,
  detectFiller = true,
): ListedStructure {
  const fields: ListedField[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const walk = (infos: readonly FieldInfo[], base: number, prefix: string, top: boolean): void => {
    for (const info of infos) {
      const at = base + info.offset;
      if (at + info.size > bytes.length) continue;
      const name = prefix + info.name;
      const codec = info.codec;
      if (isLayout(codec)) {
        walk(codec.fields, at, `${name}.`, false);
        continue;
      }
      const value = codec.read(view, at);
      const custom = top && noter ? noter(info.name, value) : undefined;
      const filler = detectFiller && isFillerBytes(bytes.subarray(at, at + info.size), fileOffset + at);
      if (value instanceof Uint8Array) {
        fields.push({
          offset: fileOffset + at,
          name,
          type: codec.kind,
          size: info.size,
          value: bytesText(value),
          note: custom ?? (filler ? FILLER_NOTE : undefined),
        });
      } else if (Array.isArray(value)) {
        const stride = value.length > 0 ? info.size / value.length : 0;
        if (value.every((v) => typeof v === 'bigint' || typeof v === 'number')) {
          value.forEach((v, i) => {
            fields.push({
              offset: fileOffset + at + i * stride,
              name: `${name}[${i}]`,
              type: codec.kind.replace(/\[\d+\]$/, ''),
              size: stride,
              value: jsonHex(v as number | bigint),
              note: detectFiller
                ? fillerNote(bytes.subarray(at + i * stride, at + (i + 1) * stride), fileOffset + at + i * stride)
                : undefined,
            });
          });
        } else {
          fields.push({
            offset: fileOffset + at,
            name,
            type: codec.kind,
            size: info.size,
            value: bytesText(bytes.subarray(at, at + info.size)),
            note: custom ?? `${value.length} × ${codec.kind.replace(/\[\d+\]$/, '')}`,
          });
        }
      } else {
        fields.push({
          offset: fileOffset + at,
          name,
          type: codec.kind,
          size: info.size,
          value: scalarText(codec, value),
          note: custom ?? (filler ? FILLER_NOTE : undefined),
        });
      }
    }
  };
  walk(layout.fields, 0, '', true);
  for (const f of fields) if (f.note === undefined) delete f.note;
  return { structure: layout.name, offset: fileOffset, size: layout.size, fields };
}
