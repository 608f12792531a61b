/**
 * Hand-written offset tables and the DataView code that writes them. A table
 * lists, for each field the builder writes, its byte offset and size exactly
 * as the specification prints them — nothing is derived from C alignment
 * rules, so a wrong offset in src/format cannot leak in here (tables.test.ts
 * compares the two).
 */

interface FieldBase {
  readonly offset: number;
  readonly size: number;
}
export interface NumberField extends FieldBase {
  readonly kind: 'u8' | 'u16' | 'u32';
}
export interface BigField extends FieldBase {
  readonly kind: 'u64';
}
export interface BytesField extends FieldBase {
  readonly kind: 'bytes';
}
/** A GUID in Windows binary layout (Data1 u32, Data2 u16, Data3 u16 little-endian, Data4 bytes). */
export interface GuidField extends FieldBase {
  readonly kind: 'guid';
}
/** WCHAR[count], NUL-padded. */
export interface WcharsField extends FieldBase {
  readonly kind: 'wchars';
  readonly count: number;
}
export interface NumberArrayField extends FieldBase {
  readonly kind: 'u32s';
  readonly count: number;
}
export interface BigArrayField extends FieldBase {
  readonly kind: 'u64s';
  readonly count: number;
}
export interface StructField<F extends Fields = Fields> extends FieldBase {
  readonly kind: 'struct';
  readonly table: Table<F>;
}
export type Field =
  | NumberField
  | BigField
  | BytesField
  | GuidField
  | WcharsField
  | NumberArrayField
  | BigArrayField
  | StructField;
export type Fields = { readonly [name: string]: Field };

export interface Table<F extends Fields = Fields> {
  readonly name: string;
  /** sizeof, trailing padding included. */
  readonly size: number;
  readonly fields: F;
}

type ValueOf<F> = F extends BigField
  ? bigint
  : F extends NumberField
    ? number
    : F extends BytesField
      ? Uint8Array
      : F extends GuidField | WcharsField
        ? string
        : F extends BigArrayField
          ? bigint[]
          : F extends NumberArrayField
            ? number[]
            : F extends StructField<infer G>
              ? Values<G>
              : never;

/** Every field of a table with its value: u64 → bigint, smaller integers → number. */
export type Values<F extends Fields> = { -readonly [K in keyof F]: ValueOf<F[K]> };
/** Some fields of a table (nested structures partly too): what the builder writes. */
export type Patch<F extends Fields> = {
  [K in keyof F]?: F[K] extends StructField<infer G> ? Patch<G> : ValueOf<F[K]>;
};
export type ValuesOf<T> = T extends Table<infer F> ? Values<F> : never;
export type PatchOf<T> = T extends Table<infer F> ? Patch<F> : never;

export const u8 = (offset: number): NumberField => ({ offset, size: 1, kind: 'u8' });
export const u16 = (offset: number): NumberField => ({ offset, size: 2, kind: 'u16' });
export const u32 = (offset: number): NumberField => ({ offset, size: 4, kind: 'u32' });
export const u64 = (offset: number): BigField => ({ offset, size: 8, kind: 'u64' });
export const bytes = (offset: number, size: number): BytesField => ({ offset, size, kind: 'bytes' });
export const guid = (offset: number): GuidField => ({ offset, size: 16, kind: 'guid' });
export const wchars = (offset: number, count: number): WcharsField => ({
  offset,
  size: count * 2,
  kind: 'wchars',
  count,
});
export const u32s = (offset: number, count: number): NumberArrayField => ({
  offset,
  size: count * 4,
  kind: 'u32s',
  count,
});
export const u64s = (offset: number, count: number): BigArrayField => ({
  offset,
  size: count * 8,
  kind: 'u64s',
  count,
});
export const nested = <F extends Fields>(offset: number, table: Table<F>): StructField<F> => ({
  offset,
  size: table.size,
  kind: 'struct',
  table: table,
});

/**
 * Declares a table. Throws at load time if the hand-written rows overlap or
 * run past `size`, so a typo in a table cannot go unnoticed.
 */
export function table<F extends Fields>(name: string, size: number, fields: F): Table<F> {
  const rows = Object.entries(fields).sort((a, b) => a[1].offset - b[1].offset);
  let end = 0;
  let previous = '(start)';
  for (const [field, row] of rows) {
    if (row.offset < end)
      throw new Error(`synth table ${name}: ${field} at 0x${row.offset.toString(16)} overlaps ${previous}`);
    end = row.offset + row.size;
    previous = field;
  }
  if (end > size)
    throw new Error(
      `synth table ${name}: ${previous} ends at 0x${end.toString(16)}, past sizeof 0x${size.toString(16)}`,
    );
  return { name, size, fields };
}

/** The four bytes of `text` read as a little-endian ULONG (the spec's "four-character constants"). */
export function fourCC(text: string): number {
  if (text.length !== 4) throw new Error(`synth: a four-character constant needs 4 characters, got "${text}"`);
  return new DataView(new TextEncoder().encode(text).buffer).getUint32(0, true);
}

const GUID_TEXT = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i;

function writeGuid(view: DataView, at: number, text: string): void {
  const m = GUID_TEXT.exec(text);
  if (m === null) throw new Error(`synth: not a GUID: "${text}"`);
  view.setUint32(at, Number.parseInt(m[1]!, 16), true);
  view.setUint16(at + 4, Number.parseInt(m[2]!, 16), true);
  view.setUint16(at + 6, Number.parseInt(m[3]!, 16), true);
  const tail = m[4]! + m[5]!;
  for (let i = 0; i < 8; i++) view.setUint8(at + 8 + i, Number.parseInt(tail.slice(i * 2, i * 2 + 2), 16));
}

function readGuid(view: DataView, at: number): string {
  const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
  let tail = '';
  for (let i = 0; i < 8; i++) tail += hex(view.getUint8(at + 8 + i), 2);
  return `${hex(view.getUint32(at, true), 8)}-${hex(view.getUint16(at + 4, true), 4)}-${hex(view.getUint16(at + 6, true), 4)}-${tail.slice(0, 4)}-${tail.slice(4)}`;
}

function viewOf(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function writeField(view: DataView, at: number, field: Field, value: unknown): void {
  switch (field.kind) {
    case 'u8':
      view.setUint8(at, value as number);
      return;
    case 'u16':
      view.setUint16(at, value as number, true);
      return;
    case 'u32':
      view.setUint32(at, (value as number) >>> 0, true);
      return;
    case 'u64':
      view.setBigUint64(at, BigInt.asUintN(64, value as bigint), true);
      return;
    case 'bytes': {
      const dst = new Uint8Array(view.buffer, view.byteOffset + at, field.size);
      dst.fill(0);
      dst.set((value as Uint8Array).subarray(0, field.size));
      return;
    }
    case 'guid':
      writeGuid(view, at, value as string);
      return;
    case 'wchars': {
      const text = value as string;
      for (let i = 0; i < field.count; i++) view.setUint16(at + i * 2, i < text.length ? text.charCodeAt(i) : 0, true);
      return;
    }
    case 'u32s': {
      const items = value as number[];
      for (let i = 0; i < field.count; i++) view.setUint32(at + i * 4, (items[i] ?? 0) >>> 0, true);
      return;
    }
    case 'u64s': {
      const items = value as bigint[];
      for (let i = 0; i < field.count; i++) view.setBigUint64(at + i * 8, BigInt.asUintN(64, items[i] ?? 0n), true);
      return;
    }
    case 'struct':
      writeInto(view, at, field.table, value as Patch<Fields>);
      return;
  }
}

function writeInto(view: DataView, at: number, t: Table, values: Patch<Fields>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const field = t.fields[name];
    if (field === undefined)
      throw new Error(`synth: ${t.name}.${name} is not in the synth table (add it from the spec)`);
    writeField(view, at + field.offset, field, value);
  }
}

/** Writes the given fields of `t` into `target` at `at`; every other byte is left as it is. */
export function writeStruct<F extends Fields>(target: Uint8Array, at: number, t: Table<F>, values: Patch<F>): void {
  if (at < 0 || at + t.size > target.length)
    throw new Error(
      `synth: ${t.name} (0x${t.size.toString(16)} bytes) does not fit at ${at} in ${target.length} bytes`,
    );
  writeInto(viewOf(target), at, t, values as Patch<Fields>);
}

/** A zero-filled `sizeof` buffer with the given fields written. */
export function encodeStruct<F extends Fields>(t: Table<F>, values: Patch<F>): Uint8Array {
  const out = new Uint8Array(t.size);
  writeStruct(out, 0, t, values);
  return out;
}

function zeroOf(field: Field): unknown {
  switch (field.kind) {
    case 'u8':
    case 'u16':
    case 'u32':
      return 0;
    case 'u64':
      return 0n;
    case 'bytes':
      return new Uint8Array(field.size);
    case 'guid':
      return '00000000-0000-0000-0000-000000000000';
    case 'wchars':
      return '';
    case 'u32s':
      return new Array<number>(field.count).fill(0);
    case 'u64s':
      return new Array<bigint>(field.count).fill(0n);
    case 'struct':
      return zeroValues(field.table);
  }
}

/** Every field of `t` at zero. */
export function zeroValues<F extends Fields>(t: Table<F>): Values<F> {
  return Object.fromEntries(Object.entries(t.fields).map(([name, f]) => [name, zeroOf(f)])) as Values<F>;
}

function readField(view: DataView, at: number, field: Field): unknown {
  switch (field.kind) {
    case 'u8':
      return view.getUint8(at);
    case 'u16':
      return view.getUint16(at, true);
    case 'u32':
      return view.getUint32(at, true);
    case 'u64':
      return view.getBigUint64(at, true);
    case 'bytes':
      return new Uint8Array(view.buffer.slice(view.byteOffset + at, view.byteOffset + at + field.size));
    case 'guid':
      return readGuid(view, at);
    case 'wchars': {
      let s = '';
      for (let i = 0; i < field.count; i++) {
        const c = view.getUint16(at + i * 2, true);
        if (c === 0) break;
        s += String.fromCharCode(c);
      }
      return s;
    }
    case 'u32s':
      return Array.from({ length: field.count }, (_, i) => view.getUint32(at + i * 4, true));
    case 'u64s':
      return Array.from({ length: field.count }, (_, i) => view.getBigUint64(at + i * 8, true));
    case 'struct':
      return readInto(view, at, field.table);
  }
}

function readInto(view: DataView, at: number, t: Table): Record<string, unknown> {
  return Object.fromEntries(Object.entries(t.fields).map(([name, f]) => [name, readField(view, at + f.offset, f)]));
}

/** Reads every field of `t` from `source` at `at` (for the tables' own tests against genuine bytes). */
export function readStruct<F extends Fields>(source: Uint8Array, at: number, t: Table<F>): Values<F> {
  if (at < 0 || at + t.size > source.length)
    throw new Error(
      `synth: ${t.name} (0x${t.size.toString(16)} bytes) does not fit at ${at} in ${source.length} bytes`,
    );
  return readInto(viewOf(source), at, t) as Values<F>;
}
