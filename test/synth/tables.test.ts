/**
 * The builder's hand-written tables (test/synth/tables) against src/format's
 * declared layouts, field by field: offset, size, kind, total size, the bytes
 * each side writes and reads, and the constants and small encoders both keep.
 * Either side being wrong makes this fail — that is what lets the synthetic
 * dumps test the product instead of echoing it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as format from '../../src/format/index.js';
import type { FieldInfo, Layout } from '../../src/format/index.js';
import { pattern } from '../dump/reader/helpers.js';
import * as synth from './tables/index.js';
import type { Field, Table, Values } from './tables/index.js';

function isTable(x: unknown): x is Table {
  return typeof x === 'object' && x !== null && 'fields' in x && 'size' in x && 'name' in x && !('decode' in x);
}
function isLayout(x: unknown): x is Layout<unknown> {
  return typeof x === 'object' && x !== null && 'decode' in x && Array.isArray((x as Layout<unknown>).fields);
}

/** Synth tables src/format has no layout for, and why. */
const NO_COUNTERPART: Record<string, string> = {
  PHYSICAL_MEMORY_DESCRIPTOR32: 'src/format decodes only the 64-bit descriptor; the 32-bit one is spec-only (§1.1)',
  PHYSICAL_MEMORY_RUN32: 'as PHYSICAL_MEMORY_DESCRIPTOR32',
};

const synthTables: [string, Table][] = Object.entries(synth as Record<string, unknown>).flatMap(([name, value]) =>
  isTable(value) ? [[name, value] as [string, Table]] : [],
);

function counterpart(name: string): Layout<unknown> | undefined {
  const candidate = (format as Record<string, unknown>)[name];
  return isLayout(candidate) ? candidate : undefined;
}

/** src/format's codec kind for a synth row. */
function expectedKind(f: Field): string {
  switch (f.kind) {
    case 'bytes':
      return `bytes[${f.size}]`;
    case 'wchars':
      return `wchar[${f.count}]`;
    case 'u32s':
      return `u32[${f.count}]`;
    case 'u64s':
      return `u64[${f.count}]`;
    case 'struct':
      return f.table.name;
    default:
      return f.kind;
  }
}

const hex = (n: number): string => `0x${n.toString(16)}`;

function compareFields(t: Table, layout: Layout<unknown>, path: string): void {
  assert.equal(t.size, layout.size, `sizeof(${path}): synth ${hex(t.size)}, src/format ${hex(layout.size)}`);
  for (const [name, f] of Object.entries(t.fields)) {
    const g: FieldInfo | undefined = layout.fields.find((x) => x.name === name);
    assert.ok(g !== undefined, `${path}.${name}: src/format's ${layout.name} has no such field`);
    assert.equal(g.offset, f.offset, `${path}.${name} offset: synth ${hex(f.offset)}, src/format ${hex(g.offset)}`);
    assert.equal(g.size, f.size, `${path}.${name} size: synth ${hex(f.size)}, src/format ${hex(g.size)}`);
    assert.equal(g.kind, expectedKind(f), `${path}.${name} kind`);
    if (f.kind === 'struct') {
      assert.ok(isLayout(g.codec), `${path}.${name}: src/format's field is not a structure`);
      compareFields(f.table, g.codec, `${path}.${name}`);
    }
  }
}

/** The part of a src/format value the synth table describes (nested structures too). */
function project(value: unknown, t: Table): Record<string, unknown> {
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(t.fields).map(([name, f]) => [
      name,
      f.kind === 'struct' ? project(record[name], f.table) : record[name],
    ]),
  );
}

describe('synth tables ↔ src/format layouts', () => {
  it('every synth table has a src/format layout of the same name, or a stated reason not to', () => {
    assert.ok(synthTables.length >= 20, `found only ${synthTables.length} tables`);
    for (const [exportName, t] of synthTables) {
      assert.equal(exportName, t.name, `export ${exportName} holds table ${t.name}`);
      if (counterpart(t.name) === undefined)
        assert.ok(t.name in NO_COUNTERPART, `${t.name}: no src/format layout to compare with, and no reason given`);
      else assert.ok(!(t.name in NO_COUNTERPART), `${t.name} has a src/format layout now: compare it`);
    }
  });

  for (const [name, t] of synthTables) {
    const layout = counterpart(name);
    if (layout === undefined) continue;

    it(`${name}: every field's offset, size and kind, and sizeof`, () => {
      compareFields(t, layout, name);
    });

    it(`${name}: both sides read the same values from the same bytes, and each reads what the other wrote`, () => {
      for (let seed = 1; seed <= 3; seed++) {
        const raw = pattern(seed * 7919 + t.size, t.size);
        const ours = synth.readStruct(raw, 0, t);
        assert.deepEqual(ours, project(layout.decode(raw, 0), t), `${name}: decoding seed ${seed}`);
        // synth writes its fields over zero; src/format must read them back unchanged …
        assert.deepEqual(project(layout.decode(synth.encodeStruct(t, ours), 0), t), ours, `${name}: synth → src`);
        // … and the reverse.
        const theirs = layout.decode(raw, 0);
        assert.deepEqual(
          synth.readStruct(layout.encode(theirs as Partial<unknown>), 0, t),
          ours,
          `${name}: src → synth`,
        );
      }
    });
  }

  it('a table that disagrees with src/format is caught (offset, size, kind, sizeof, missing field)', () => {
    const tweaks: [string, Table][] = [
      ['offset', synth.table('TRIAGE_DUMP64', 0x80, { DriverCount: synth.u32(0x38) })],
      ['size', synth.table('TRIAGE_DUMP64', 0x80, { TopOfStack: synth.u32(0x48) })],
      ['kind', synth.table('TRIAGE_DUMP64', 0x80, { ArchitectureSpecific: synth.wchars(0x50, 8) })],
      ['sizeof', synth.table('TRIAGE_DUMP64', 0x88, {})],
      ['missing', synth.table('TRIAGE_DUMP64', 0x80, { NoSuchField: synth.u32(0) })],
    ];
    for (const [what, t] of tweaks)
      assert.throws(() => compareFields(t, format.TRIAGE_DUMP64, t.name), assert.AssertionError, what);
  });
});

describe('synth constants and encoders ↔ src/format', () => {
  it('signatures and four-character constants', () => {
    const pairs: [string, number, number][] = [
      ['PAGE', synth.DUMP_SIGNATURE, format.DUMP_SIGNATURE],
      ['DU64', synth.DUMP_VALID_DUMP64, format.DUMP_VALID_DUMP64],
      ['DUMP (32-bit header)', synth.DUMP_VALID_DUMP32, format.DUMP_VALID_DUMP32],
      ['SDMP', synth.DUMP_SUMMARY_SIGNATURE, format.DUMP_SUMMARY_SIGNATURE],
      ['FDMP', synth.DUMP_FULL_SIGNATURE, format.DUMP_FULL_SIGNATURE],
      ['DUMP (bitmap)', synth.BITMAP_VALID_DUMP, format.BITMAP_VALID_DUMP],
      ['TRGD', synth.TRIAGE_DUMP_VALID, format.TRIAGE_DUMP_VALID],
      ['Dump', synth.DUMP_BLOB_SIGNATURE1, format.DUMP_BLOB_SIGNATURE1],
      ['Blob', synth.DUMP_BLOB_SIGNATURE2, format.DUMP_BLOB_SIGNATURE2],
      ['KDBG', synth.KDBG_OWNER_TAG, format.KDBG_OWNER_TAG],
    ];
    for (const [what, ours, theirs] of pairs) assert.equal(ours, theirs, what);
    assert.equal(synth.DUMP_SIGNATURE, 0x45474150, 'the spec prints PAGE as 0x45474150');
  });

  it('sizes and counts', () => {
    const pairs: [string, number, number][] = [
      ['DUMP_HEADER64', synth.DUMP_HEADER64.size, format.DUMP_HEADER64_SIZE],
      ['DUMP_HEADER32', synth.DUMP_HEADER32.size, format.DUMP_HEADER32_SIZE],
      ['PhysicalMemoryBlock', synth.PHYSICAL_MEMORY_BLOCK_SIZE, format.PHYSICAL_MEMORY_BLOCK_SIZE],
      ['runs in the header', synth.MAX_RUNS64, format.MAX_PHYSICAL_MEMORY_RUNS64],
      ['ContextRecord', synth.CONTEXT_RECORD64_SIZE, format.DUMP_CONTEXT_RECORD64_SIZE],
      ['bitmap offset', synth.BITMAP_OFFSET, format.BITMAP_DUMP_BITMAP_OFFSET],
      ['unloaded-driver count', synth.UNLOADED_DRIVERS_COUNT_SIZE, format.DUMP_UNLOADED_DRIVERS_COUNT_SIZE],
      ['ExceptionInformation', synth.EXCEPTION_PARAMETERS, format.EXCEPTION_MAXIMUM_PARAMETERS],
      ['CONTEXT_ALL', synth.CONTEXT_ALL, format.CONTEXT_ALL],
      ['KDDEBUGGER_DATA64', synth.KDDEBUGGER_DATA64.size, format.KDDEBUGGER_DATA64_SIZE],
      ['page', synth.PAGE_SIZE, format.PAGE_SIZE],
    ];
    for (const [what, ours, theirs] of pairs) assert.equal(ours, theirs, what);
  });

  it('page-table entry bits, frame masks and the VA split', () => {
    const pairs: [string, bigint, bigint][] = [
      ['P', synth.PTE_PRESENT, format.PTE_PRESENT],
      ['R/W', synth.PTE_WRITE, format.PTE_WRITE],
      ['U/S', synth.PTE_USER, format.PTE_USER],
      ['A', synth.PTE_ACCESSED, format.PTE_ACCESSED],
      ['D', synth.PTE_DIRTY, format.PTE_DIRTY],
      ['PS', synth.PTE_LARGE, format.PTE_LARGE],
      ['Transition', synth.PTE_TRANSITION, format.PTE_TRANSITION],
      ['NX', synth.PTE_NX, format.PTE_NX],
      ['frame', synth.PTE_FRAME_MASK, format.PTE_FRAME_MASK],
      ['frame 2 MiB', synth.PTE_FRAME_MASK_2M, format.PTE_FRAME_MASK_2M],
      ['frame 1 GiB', synth.PTE_FRAME_MASK_1G, format.PTE_FRAME_MASK_1G],
    ];
    for (const [what, ours, theirs] of pairs) assert.equal(ours, theirs, what);
    for (const va of [0n, 0xfffff8047c62a390n, 0xffff9b00021ff340n, 0x00007ff612340000n, 0xffffffffffffffffn]) {
      const i = format.pageTableIndices(va);
      assert.deepEqual(
        [0, 1, 2, 3].map((level) => synth.tableIndex(va, level)),
        [i.pml4, i.pdpt, i.pd, i.pt],
        `indices of 0x${va.toString(16)}`,
      );
    }
  });

  it('headers, the physical memory block, string-pool entries, blob padding and GUIDs encode alike', () => {
    const raw64 = pattern(64, synth.DUMP_HEADER64.size);
    const fields64 = synth.readStruct(raw64, 0, synth.DUMP_HEADER64);
    assert.deepEqual(
      synth.encodeHeader64(fields64),
      format.encodeDumpHeader64(format.DUMP_HEADER64.decode(synth.encodeHeader64(fields64))),
    );
    assert.deepEqual(synth.encodeHeader64({}), format.encodeDumpHeader64({}));
    assert.deepEqual(synth.encodeHeader32({ DumpType: 1 }), format.encodeDumpHeader32({ DumpType: 1 }));

    const runs = Array.from({ length: synth.MAX_RUNS64 }, (_, i) => ({
      basePage: BigInt(i * 0x100),
      pageCount: BigInt(i + 1),
    }));
    for (const n of [0, 1, 3, synth.MAX_RUNS64])
      assert.deepEqual(
        synth.encodePhysicalMemoryBlock64(runs.slice(0, n)),
        format.encodePhysicalMemoryDescriptor64(
          runs.slice(0, n).map((r) => ({ BasePage: r.basePage, PageCount: r.pageCount })),
        ),
        `${n} runs`,
      );

    for (const text of ['', 'x', 'hal.dll', '\\SystemRoot\\system32\\ntoskrnl.exe'])
      assert.deepEqual(synth.encodeStringPoolEntry(text), format.encodeTriageStringEntry(text), text);
    for (let n = 0; n < 20; n++) assert.equal(synth.postPadFor(n), format.blobPostPad(n), `PostPad for ${n}`);
    for (const build of [19041, 22000, 7601])
      assert.equal(synth.blobBuildNumberFor(build), format.blobBuildNumber(build));

    for (const g of ['54c84888-01d1-4c1e-bed6-282c98241303', '{BF2297DC-34BA-11DC-868A-E19155D89593}']) {
      const ours = synth.encodeStruct(synth.DUMP_BLOB_HEADER, { Tag: g });
      assert.deepEqual(ours, format.DUMP_BLOB_HEADER.encode({ Tag: g }), g);
    }

    const filled = new Uint8Array(37);
    const expected = new Uint8Array(37);
    synth.fillPage(filled, 3, 30);
    format.fillPagePattern(expected, 3, 30);
    assert.deepEqual(filled, expected);
  });
});

// A compile-time check that the tables' value types line up with src/format's decoded types.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const typesAgree: [
  Same<Values<typeof synth.TRIAGE_DUMP64.fields>, format.TriageDump64>,
  Same<Values<typeof synth.DUMP_BLOB_HEADER.fields>, format.DumpBlobHeader>,
  Same<Values<typeof synth.LIST_ENTRY64.fields>, format.ListEntry64>,
] = [true, true, true];
void typesAgree;
