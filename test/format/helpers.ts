/**
 * Shared test helpers for the format layer: field-by-field offset tables,
 * byte-level round trips, and positional reads of the genuine dump.
 */
import assert from 'node:assert/strict';
import { open } from 'node:fs/promises';
import type { TestContext } from 'node:test';
import fc from 'fast-check';
import { requireGenuineDump } from '../genuineDump.js';
import type { Codec, FieldInfo, Layout } from '../../src/format/index.js';

/** [field, offset, size?]: a row of a spec table. */
export type FieldRow = readonly [name: string, offset: number, size?: number];

function isLayout(codec: Codec<unknown>): codec is Layout<unknown> {
  return Array.isArray((codec as Partial<Layout<unknown>>).fields);
}

/**
 * Asserts the layout's size and that its fields are exactly `rows`, in order,
 * at the given offsets (and sizes where given) — the TS equivalent of
 * kdmp-parser's static_asserts.
 */
export function assertLayout<T>(layout: Layout<T>, size: number, rows: readonly FieldRow[]): void {
  assert.equal(layout.size, size, `sizeof(${layout.name})`);
  const declared = layout.fields.map((f) => f.name);
  assert.deepEqual(
    declared,
    rows.map((r) => r[0]),
    `${layout.name}: field list`,
  );
  for (const [name, offset, fieldSize] of rows) {
    const info = layout.fields.find((f) => f.name === name) as FieldInfo;
    assert.equal(
      info.offset,
      offset,
      `${layout.name}.${name} offset (got 0x${info.offset.toString(16)}, want 0x${offset.toString(16)})`,
    );
    assert.equal((layout.offsets as Record<string, number>)[name], offset, `${layout.name}.offsets.${name}`);
    if (fieldSize !== undefined) assert.equal(info.size, fieldSize, `${layout.name}.${name} size`);
  }
}

/** Per byte of the layout: true where some non-text field stores it (padding and text fields are false). */
export function storedBytes(layout: Layout<unknown>): boolean[] {
  const mask = new Array<boolean>(layout.size).fill(false);
  const visit = (l: Layout<unknown>, base: number): void => {
    for (const f of l.fields) {
      if (isLayout(f.codec)) visit(f.codec, base + f.offset);
      else if (!f.kind.startsWith('wchar') && !f.kind.startsWith('char'))
        for (let i = 0; i < f.size; i++) mask[base + f.offset + i] = true;
    }
  };
  visit(layout, 0);
  return mask;
}

/**
 * Property: for arbitrary bytes b, encode(decode(b)) reproduces b on every
 * stored byte, zero on padding, and decodes back to the same value.
 */
export function assertRoundTrip<T>(layout: Layout<T>, numRuns = 40): void {
  const mask = storedBytes(layout as Layout<unknown>);
  fc.assert(
    fc.property(fc.uint8Array({ minLength: layout.size, maxLength: layout.size }), (raw) => {
      const value = layout.decode(raw, 0);
      const again = layout.encode(value);
      assert.equal(again.length, layout.size);
      for (let i = 0; i < layout.size; i++) {
        if (mask[i]) assert.equal(again[i], raw[i], `${layout.name}: byte 0x${i.toString(16)} changed`);
      }
      assert.deepEqual(layout.decode(again, 0), value);
      // decoding at an offset inside a larger buffer gives the same value
      const shifted = new Uint8Array(layout.size + 24);
      shifted.set(raw, 24);
      assert.deepEqual(layout.decode(shifted, 24), value);
    }),
    { numRuns },
  );
  assert.throws(() => layout.decode(new Uint8Array(layout.size - 1), 0), { code: 'E_FORMAT' });
}

export { GENUINE_DUMP_URL, GENUINE_DUMP_PATH } from '../genuineDump.js';

export type PositionalRead = (offset: number, length: number) => Promise<Uint8Array>;

/**
 * Runs `body` with a positional reader over the genuine triage dump. If the
 * file is missing the test fails when CI=true and is skipped (with the path
 * it looked at) otherwise.
 */
export async function withGenuineDump(
  t: TestContext,
  body: (read: PositionalRead, fileSize: number) => Promise<void>,
): Promise<void> {
  const path = requireGenuineDump(t);
  if (path === undefined) return;
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const read: PositionalRead = async (offset, length) => {
      const buffer = new Uint8Array(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      assert.equal(bytesRead, length, `short read of ${length} bytes at 0x${offset.toString(16)}`);
      return buffer;
    };
    await body(read, size);
  } finally {
    await handle.close();
  }
}
