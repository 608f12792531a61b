import { FormatError } from './errors.js';
import { decodeGuid, encodeGuid, type GuidString, NULL_GUID } from './guid.js';

/**
 * One codec per C type. A structure is declared once as an ordered list of
 * named codecs; offsets follow MSVC x64 natural alignment, and size, encode,
 * decode and the offset table are all derived from that declaration.
 */
export interface Codec<T> {
  readonly kind: string;
  readonly size: number;
  readonly align: number;
  read(view: DataView, offset: number): T;
  write(view: DataView, offset: number, value: T): void;
  zero(): T;
}

function scalar<T>(
  kind: string,
  size: number,
  read: (v: DataView, o: number) => T,
  write: (v: DataView, o: number, x: T) => void,
  zero: T,
): Codec<T> {
  return { kind, size, align: size, read, write, zero: () => zero };
}

export const u8: Codec<number> = scalar(
  'u8',
  1,
  (v, o) => v.getUint8(o),
  (v, o, x) => v.setUint8(o, x),
  0,
);
export const u16: Codec<number> = scalar(
  'u16',
  2,
  (v, o) => v.getUint16(o, true),
  (v, o, x) => v.setUint16(o, x, true),
  0,
);
export const u32: Codec<number> = scalar(
  'u32',
  4,
  (v, o) => v.getUint32(o, true),
  (v, o, x) => v.setUint32(o, x >>> 0, true),
  0,
);
export const i32: Codec<number> = scalar(
  'i32',
  4,
  (v, o) => v.getInt32(o, true),
  (v, o, x) => v.setInt32(o, x | 0, true),
  0,
);
export const u64: Codec<bigint> = scalar(
  'u64',
  8,
  (v, o) => v.getBigUint64(o, true),
  (v, o, x) => v.setBigUint64(o, BigInt.asUintN(64, x), true),
  0n,
);

/*
 * GUID text ↔ bytes is costly next to a scalar field, and the same few GUIDs
 * go back and forth all the time (one per secondary data block, twice), so
 * recent conversions are remembered. Only successful ones: a bad GUID still
 * reaches encodeGuid/decodeGuid and throws their errors.
 */
const GUID_MEMO_LIMIT = 256;
const encodedGuids = new Map<string, Uint8Array>();
const DECODED_SLOTS = 4;
const decodedBytes = Array.from({ length: DECODED_SLOTS }, () => new Uint8Array(16));
const decodedText: (GuidString | undefined)[] = new Array<GuidString | undefined>(DECODED_SLOTS).fill(undefined);
let decodedNext = 0;

function readGuid(v: DataView, o: number): GuidString {
  const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (o >= 0 && o + 16 <= bytes.length) {
    for (let slot = 0; slot < DECODED_SLOTS; slot++) {
      const text = decodedText[slot];
      if (text === undefined) continue;
      const known = decodedBytes[slot]!;
      let same = true;
      for (let i = 0; i < 16 && same; i++) same = known[i] === bytes[o + i];
      if (same) return text;
    }
  }
  const text = decodeGuid(bytes, o);
  decodedBytes[decodedNext]!.set(bytes.subarray(o, o + 16));
  decodedText[decodedNext] = text;
  decodedNext = (decodedNext + 1) % DECODED_SLOTS;
  return text;
}

function writeGuid(v: DataView, o: number, x: GuidString): void {
  const target = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  const known = encodedGuids.get(x);
  if (known && o >= 0 && o + 16 <= target.length) {
    target.set(known, o);
    return;
  }
  encodeGuid(x, target, o);
  if (encodedGuids.size >= GUID_MEMO_LIMIT) encodedGuids.clear();
  encodedGuids.set(x, target.slice(o, o + 16));
}

/** GUID: 16 bytes, 4-byte aligned, Windows mixed-endian layout. */
export const guid: Codec<GuidString> = {
  kind: 'guid',
  size: 16,
  align: 4,
  read: readGuid,
  write: writeGuid,
  zero: () => NULL_GUID,
};

/** Opaque bytes (a copy on read). */
export function bytes(size: number, align = 1): Codec<Uint8Array> {
  return {
    kind: `bytes[${size}]`,
    size,
    align,
    read: (v, o) => new Uint8Array(v.buffer.slice(v.byteOffset + o, v.byteOffset + o + size)),
    write: (v, o, x) => {
      const dst = new Uint8Array(v.buffer, v.byteOffset + o, size);
      dst.fill(0);
      dst.set(x.subarray(0, size));
    },
    zero: () => new Uint8Array(size),
  };
}

/** Fixed-size array of any codec. */
export function array<T>(item: Codec<T>, count: number): Codec<T[]> {
  const stride = alignUp(item.size, item.align);
  return {
    kind: `${item.kind}[${count}]`,
    size: stride * count,
    align: item.align,
    read: (v, o) => Array.from({ length: count }, (_, i) => item.read(v, o + i * stride)),
    write: (v, o, x) => {
      for (let i = 0; i < count; i++) item.write(v, o + i * stride, i < x.length ? x[i]! : item.zero());
    },
    zero: () => Array.from({ length: count }, () => item.zero()),
  };
}

/**
 * Latin-1 text of `bytes`, one character per byte (what Node's 'latin1' gives;
 * TextDecoder's 'latin1' is windows-1252 and maps 0x80-0x9F differently).
 */
export function decodeLatin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += TEXT_CHUNK) text += String.fromCharCode(...bytes.subarray(i, i + TEXT_CHUNK));
  return text;
}

/** Writes the low byte of each UTF-16 code unit of `text` into `target`, as far as it fits. */
export function encodeLatin1(text: string, target: Uint8Array): void {
  const n = Math.min(text.length, target.length);
  for (let i = 0; i < n; i++) target[i] = text.charCodeAt(i) & 0xff;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * UTF-16LE text of `bytes` code unit by code unit (an odd last byte is dropped,
 * unpaired surrogates are kept as they are, as Node's 'utf16le' does). On a
 * little-endian host, aligned bytes are read through a Uint16Array view
 * instead of being copied unit by unit (a triage driver list decodes a few
 * hundred names on every open).
 */
export function decodeUtf16le(bytes: Uint8Array): string {
  const count = bytes.length >>> 1;
  let units: Uint16Array;
  if (LITTLE_ENDIAN_HOST && bytes.byteOffset % 2 === 0) units = new Uint16Array(bytes.buffer, bytes.byteOffset, count);
  else {
    units = new Uint16Array(count);
    for (let i = 0; i < count; i++) units[i] = bytes[i * 2]! | (bytes[i * 2 + 1]! << 8);
  }
  let text = '';
  for (let u = 0; u < count; u += TEXT_CHUNK)
    text += String.fromCharCode.apply(null, units.subarray(u, u + TEXT_CHUNK) as unknown as number[]);
  return text;
}
/** Characters per String.fromCharCode call: far below any engine's argument limit. */
const TEXT_CHUNK = 0x2000;

/** Fixed-size ANSI text field, NUL-padded; decodes up to the first NUL. */
export function ansi(size: number): Codec<string> {
  return {
    kind: `char[${size}]`,
    size,
    align: 1,
    read: (v, o) => {
      const raw = new Uint8Array(v.buffer, v.byteOffset + o, size);
      const end = raw.indexOf(0);
      return decodeLatin1(raw.subarray(0, end < 0 ? size : end));
    },
    write: (v, o, x) => {
      const dst = new Uint8Array(v.buffer, v.byteOffset + o, size);
      dst.fill(0);
      encodeLatin1(x, dst);
    },
    zero: () => '',
  };
}

/** Fixed-size UTF-16LE text field (WCHAR[n]), NUL-padded. */
export function wchars(count: number): Codec<string> {
  return {
    kind: `wchar[${count}]`,
    size: count * 2,
    align: 2,
    read: (v, o) => {
      let s = '';
      for (let i = 0; i < count; i++) {
        const c = v.getUint16(o + i * 2, true);
        if (c === 0) break;
        s += String.fromCharCode(c);
      }
      return s;
    },
    write: (v, o, x) => {
      for (let i = 0; i < count; i++) v.setUint16(o + i * 2, i < x.length ? x.charCodeAt(i) : 0, true);
    },
    zero: () => '',
  };
}

export type FieldMap = Record<string, Codec<unknown>>;
export type Decoded<F extends FieldMap> = { [K in keyof F]: F[K] extends Codec<infer T> ? T : never };

export interface FieldInfo {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly kind: string;
  readonly codec: Codec<unknown>;
}

export interface Layout<T> extends Codec<T> {
  readonly name: string;
  /** Field name → byte offset from the start of the structure. */
  readonly offsets: { readonly [K in keyof T]: number };
  readonly fields: readonly FieldInfo[];
  /** Decodes from `source` at `offset`; throws FormatError naming the structure if it does not fit. */
  decode(source: Uint8Array, offset?: number): T;
  /** Encodes a whole value (missing fields are zero) into a new array of `size` bytes. */
  encode(value: Partial<T>): Uint8Array;
  /** Writes only the fields present in `value` into `target` at `offset`; everything else is left as it is. */
  encodeInto(target: Uint8Array, offset: number, value: Partial<T>): void;
  /** A value with every field zero. */
  zero(): T;
}

export interface StructOptions {
  /** Declared total size (e.g. a header padded to 0x2000); must not be smaller than the fields need. */
  size?: number;
  /** Force an alignment (defaults to the largest field alignment). */
  align?: number;
}

const zeroBytesKnown = new WeakMap<Codec<unknown>, boolean>();

/** Whether a codec's zero value encodes as all-zero bytes (checked once per codec). */
function zeroIsZeroBytes(codec: Codec<unknown>): boolean {
  let known = zeroBytesKnown.get(codec);
  if (known === undefined) {
    const probe = new Uint8Array(codec.size);
    codec.write(new DataView(probe.buffer), 0, codec.zero());
    known = probe.every((b) => b === 0);
    zeroBytesKnown.set(codec, known);
  }
  return known;
}

export function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/**
 * Declares a C structure with natural (MSVC x64) alignment. Only the size and
 * alignment are worked out here; the field table, the offset table and the
 * codecs' field walk are built on first use: some fifty layouts are declared
 * when this layer loads and a short command (`bugcheck analyze`) uses a few,
 * while an offset table of a hundred named properties costs V8 a hidden class
 * per property.
 */
export function struct<F extends FieldMap>(
  name: string,
  fieldCodecs: F,
  options: StructOptions = {},
): Layout<Decoded<F>> {
  type T = Decoded<F>;
  let cursor = 0;
  let maxAlign = 1;
  for (const fieldName in fieldCodecs) {
    const codec = fieldCodecs[fieldName]!;
    cursor = alignUp(cursor, codec.align) + codec.size;
    maxAlign = Math.max(maxAlign, codec.align);
  }
  const align = options.align ?? maxAlign;
  const natural = alignUp(cursor, align);
  if (options.size !== undefined && options.size < cursor) {
    throw new FormatError(`${name}: declared size ${options.size} is smaller than its fields (${cursor})`, {
      structure: name,
    });
  }
  const size = options.size ?? natural;
  let fieldTable: FieldInfo[] | undefined;
  const fieldsOf = (): FieldInfo[] => {
    if (fieldTable === undefined) {
      const table: FieldInfo[] = [];
      let at = 0;
      for (const fieldName in fieldCodecs) {
        const codec = fieldCodecs[fieldName]!;
        at = alignUp(at, codec.align);
        table.push({ name: fieldName, offset: at, size: codec.size, kind: codec.kind, codec });
        at += codec.size;
      }
      fieldTable = table;
    }
    return fieldTable;
  };
  let offsetTable: { [K in keyof T]: number } | undefined;
  /** Whether every field's zero value encodes as zero bytes (decided on first encode). */
  let allZeroBytes: boolean | undefined;

  // Indexed loops, not for…of: in V8's interpreter each step of an iterator is an object.
  const read = (view: DataView, offset: number): T => {
    const out: Record<string, unknown> = {};
    const fields = fieldsOf();
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      out[f.name] = f.codec.read(view, offset + f.offset);
    }
    return out as T;
  };
  const write = (view: DataView, offset: number, value: Partial<T>): void => {
    const fields = fieldsOf();
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      const v = (value as Record<string, unknown>)[f.name];
      if (v !== undefined) f.codec.write(view, offset + f.offset, v);
    }
  };
  const zero = (): T => {
    const out: Record<string, unknown> = {};
    const fields = fieldsOf();
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      out[f.name] = f.codec.zero();
    }
    return out as T;
  };

  return {
    kind: name,
    name,
    size,
    align,
    get offsets() {
      offsetTable ??= Object.fromEntries(fieldsOf().map((f) => [f.name, f.offset])) as { [K in keyof T]: number };
      return offsetTable;
    },
    get fields() {
      return fieldsOf();
    },
    read,
    write: (view, offset, value) => write(view, offset, value),
    zero,
    decode(source, offset = 0) {
      if (!Number.isInteger(offset) || offset < 0 || offset + size > source.length) {
        throw new FormatError(`${name} (${size} bytes) at offset ${offset} does not fit in ${source.length} bytes`, {
          structure: name,
          offset,
        });
      }
      return read(new DataView(source.buffer, source.byteOffset, source.byteLength), offset);
    },
    encode(value) {
      const target = new Uint8Array(size);
      const view = new DataView(target.buffer);
      const fields = fieldsOf();
      allZeroBytes ??= fields.every((f) => zeroIsZeroBytes(f.codec));
      if (allZeroBytes) {
        // A fresh target already holds every field's zero value: writing { ...zero(), ...value } gives these bytes.
        write(view, 0, value);
        return target;
      }
      // Same bytes as writing { ...zero(), ...value }: a fresh target already holds the zero value of every
      // field whose zero encodes as zero bytes (all of ours), so only the others need their zero written.
      const given = value as Record<string, unknown>;
      for (const f of fields) {
        if (Object.hasOwn(given, f.name)) {
          const v = given[f.name];
          if (v !== undefined) f.codec.write(view, f.offset, v);
        } else if (!zeroIsZeroBytes(f.codec)) {
          f.codec.write(view, f.offset, f.codec.zero());
        }
      }
      return target;
    },
    encodeInto(target, offset, value) {
      if (offset < 0 || offset + size > target.length) {
        throw new FormatError(`${name} (${size} bytes) at offset ${offset} does not fit in ${target.length} bytes`, {
          structure: name,
          offset,
        });
      }
      write(new DataView(target.buffer, target.byteOffset, target.byteLength), offset, value);
    },
  };
}
