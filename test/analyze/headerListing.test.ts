import assert from 'node:assert/strict';
import { rename, unlink } from 'node:fs/promises';
import { describe, it } from 'node:test';
import {
  dumpHeaderListing,
  formatHeaderListing,
  listStructure,
  type HeaderListing,
  type ListedStructure,
} from '../../src/analyze/index.js';
import { openDump } from '../../src/dump/reader/index.js';
import {
  BITMAP_DUMP_HEADER64,
  DUMP_BLOB_FILE_HEADER,
  DUMP_HEADER32,
  DUMP_HEADER64,
  EXCEPTION_RECORD64,
  TRIAGE_DUMP64,
  encodeDumpHeader64,
  type Layout,
} from '../../src/format/index.js';
import { buildDump } from '../synth/index.js';
import { genuineDump, readAt, synthKernelDump, writeTemp } from './helpers.js';

async function listingOf(path: string): Promise<HeaderListing> {
  const dump = await openDump(path);
  try {
    return await dumpHeaderListing(dump);
  } finally {
    await dump.close();
  }
}

function section(listing: HeaderListing, name: string): ListedStructure {
  const s = listing.sections.find((x) => x.structure === name);
  assert.ok(s, `section ${name} in ${listing.sections.map((x) => x.structure).join(', ')}`);
  return s;
}

function field(s: ListedStructure, name: string): { offset: number; value: string; note?: string } {
  const f = s.fields.find((x) => x.name === name);
  assert.ok(f, `field ${name} in ${s.structure}`);
  return f;
}

describe('header listing: genuine triage dump', () => {
  it('lists every DUMP_HEADER64 field at the layout offset, with the stored value', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const listing = await listingOf(path);
    assert.equal(listing.title, '64 bit Kernel Mini Dump Analysis');
    const header = section(listing, 'DUMP_HEADER64');
    const raw = await readAt(path, 0, 0x2000);
    const view = new DataView(raw.buffer);
    for (const f of DUMP_HEADER64.fields) {
      if (f.name === 'Exception') {
        for (const e of EXCEPTION_RECORD64.fields) {
          const listed = header.fields.find(
            (x) => x.name === `Exception.${e.name}` || x.name === `Exception.${e.name}[0]`,
          );
          assert.equal(listed?.offset, f.offset + e.offset, `Exception.${e.name}`);
        }
        continue;
      }
      const listed = field(header, f.name);
      assert.equal(listed.offset, f.offset, f.name);
      if (f.kind === 'u32') assert.equal(listed.value, `0x${view.getUint32(f.offset, true).toString(16)}`, f.name);
      if (f.kind === 'u64') assert.equal(listed.value, `0x${view.getBigUint64(f.offset, true).toString(16)}`, f.name);
    }
    assert.deepEqual(field(header, 'MinorVersion'), {
      offset: 0x00c,
      name: 'MinorVersion',
      type: 'u32',
      size: 4,
      value: '0x4a61',
      note: 'build 19041',
    });
    assert.equal(field(header, 'BugCheckCode').note, 'SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M');
    assert.equal(field(header, 'DumpType').note, 'DUMP_TYPE_TRIAGE');
    assert.equal(field(header, 'Signature').note, "'PAGE'");
    assert.equal(field(header, 'ValidDump').note, "'DU64'");
    assert.equal(field(header, 'SecondaryDataState').note, 'PAGE filler (not written)');
    assert.equal(field(header, 'ProductType').note, undefined);
    assert.match(field(header, 'ContextRecord').note ?? '', /Rip=fffff804`8b58334c/);
  });

  it('lists TRIAGE_DUMP64 at 0x2000 and the DumpBlob file header where secondary data starts', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const listing = await listingOf(path);
    const triage = section(listing, 'TRIAGE_DUMP64');
    assert.equal(triage.offset, 0x2000);
    assert.equal(triage.fields.length, TRIAGE_DUMP64.fields.length);
    for (const f of TRIAGE_DUMP64.fields) assert.equal(field(triage, f.name).offset, 0x2000 + f.offset);
    assert.equal(field(triage, 'SizeOfDump').value, '0x13a28c');
    assert.equal(field(triage, 'DriverCount').value, '0x97');
    assert.equal(field(triage, 'DataBlocksCount').value, '0x727');
    const blob = section(listing, 'DUMP_BLOB_FILE_HEADER');
    assert.equal(blob.offset, 0x13a28c);
    assert.equal(field(blob, 'Signature1').note, "'Dump'");
    assert.equal(field(blob, 'BuildNumber').value, '0xf0004a61');
  });

  it('formats one line per field: offset, name, value, meaning', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const lines = formatHeaderListing(await listingOf(path));
    assert.equal(lines[0], '----- 64 bit Kernel Mini Dump Analysis');
    assert.ok(lines.includes('DUMP_HEADER64 (file offset 0x000, 0x2000 bytes):'));
    assert.ok(
      lines.some((l) => /^ {2}0x00C +MinorVersion +0x4a61 +build 19041$/.test(l)),
      'MinorVersion at 0x00C',
    );
    assert.ok(lines.some((l) => /^ {2}0xF98 +DumpType +0x4 +DUMP_TYPE_TRIAGE$/.test(l)));
    assert.ok(lines.some((l) => /^ {2}0x2004 +SizeOfDump +0x13a28c\b/.test(l)));
  });
});

describe('header listing: synthetic dumps', () => {
  it('reads through the open dump, not by opening its path again', async () => {
    const data = new Uint8Array(0x1000).fill(0x42);
    const path = await writeTemp(
      synthKernelDump(6, data, { blobs: [{ guid: '11111111-2222-3333-4444-555555555555', data: new Uint8Array(8) }] }),
    );
    const expected = await listingOf(path);
    const dump = await openDump(path);
    try {
      // Another dump now sits at the path, and then nothing: the listing must still be the opened file's.
      await rename(path, `${path}.moved`);
      await rename(await writeTemp(synthKernelDump(1, data)), path);
      assert.deepEqual(await dumpHeaderListing(dump), expected);
      await unlink(path);
      assert.deepEqual(await dumpHeaderListing(dump), expected);
    } finally {
      await dump.close();
    }
  });

  it('DumpType 1: lists PHYSICAL_MEMORY_DESCRIPTOR64 and each run at its offset', async () => {
    const path = await writeTemp(synthKernelDump(1, new Uint8Array(0x1000)));
    const listing = await listingOf(path);
    assert.equal(listing.title, '64 bit Kernel Full Dump Analysis');
    const runs = section(listing, 'PHYSICAL_MEMORY_DESCRIPTOR64');
    assert.equal(runs.offset, 0x88);
    const count = Number(field(runs, 'NumberOfRuns').value);
    assert.ok(count >= 2, 'page tables, data page and heap are separate runs');
    const raw = new DataView((await readAt(path, 0, 0x2000)).buffer);
    for (let i = 0; i < count; i++) {
      const base = field(runs, `Run[${i}].BasePage`);
      assert.equal(base.offset, 0x98 + i * 16);
      assert.equal(base.value, `0x${raw.getBigUint64(0x98 + i * 16, true).toString(16)}`);
      assert.equal(field(runs, `Run[${i}].PageCount`).offset, 0xa0 + i * 16);
    }
    assert.equal(
      runs.fields.some((f) => f.name === `Run[${count}].BasePage`),
      false,
    );
    assert.equal(
      listing.sections.some((s) => s.structure === 'TRIAGE_DUMP64' || s.structure === DUMP_BLOB_FILE_HEADER.name),
      false,
    );
  });

  it('DumpType 5: lists BITMAP_DUMP_HEADER64 at 0x2000', async () => {
    const path = await writeTemp(
      synthKernelDump(5, new Uint8Array(0x1000), {
        blobs: [{ guid: '11111111-2222-3333-4444-555555555555', data: new Uint8Array(3) }],
      }),
    );
    const listing = await listingOf(path);
    assert.equal(listing.title, '64 bit Kernel Bitmap Dump Analysis - Full address space is available');
    const bitmap = section(listing, 'BITMAP_DUMP_HEADER64');
    for (const f of BITMAP_DUMP_HEADER64.fields) assert.equal(field(bitmap, f.name).offset, 0x2000 + f.offset);
    assert.equal(field(bitmap, 'Signature').note, "'FDMP'");
    assert.equal(field(bitmap, 'ValidDump').note, "'DUMP'");
    assert.ok(section(listing, 'DUMP_BLOB_FILE_HEADER').offset > 0x2000);
  });

  it('DumpType 6: a bitmap dump of the kernel address space, named once', async () => {
    const listing = await listingOf(await writeTemp(synthKernelDump(6, new Uint8Array(0x1000))));
    assert.equal(
      listing.title,
      '64 bit Kernel Bitmap Dump Analysis - Kernel address space is available, User address space may not be available',
    );
    assert.equal(field(section(listing, 'BITMAP_DUMP_HEADER64'), 'Signature').note, "'SDMP'");
  });
});

describe('header listing: 32-bit header', () => {
  it('uses DUMP_HEADER32 offsets', async () => {
    const path = await writeTemp(buildDump({ dumpType: 3, is32: true, bugCheckCode: 0xd1 }).bytes);
    const listing = await listingOf(path);
    assert.equal(listing.title, '32 bit Kernel Header Dump Analysis');
    const header = section(listing, 'DUMP_HEADER32');
    for (const f of DUMP_HEADER32.fields) {
      if (f.name === 'Exception') continue;
      assert.equal(field(header, f.name).offset, f.offset, f.name);
    }
    assert.deepEqual([field(header, 'DumpType').offset, field(header, 'DumpType').note], [0xf88, 'DUMP_TYPE_HEADER']);
    assert.equal(field(header, 'BugCheckCode').note, 'DRIVER_IRQL_NOT_LESS_OR_EQUAL');
    assert.deepEqual(
      listing.sections.map((s) => s.structure),
      ['DUMP_HEADER32'],
    );
  });
});

describe('listStructure', () => {
  it('leaves out fields a truncated buffer does not hold and flags PAGE filler only where asked', () => {
    const header = encodeDumpHeader64({ MajorVersion: 0xf, MinorVersion: 19041, DumpType: 4 });
    const cut = listStructure(DUMP_HEADER64 as Layout<unknown>, header.subarray(0, 0x40), 0);
    assert.deepEqual(
      cut.fields.map((f) => f.name),
      [
        'Signature',
        'ValidDump',
        'MajorVersion',
        'MinorVersion',
        'DirectoryTableBase',
        'PfnDataBase',
        'PsLoadedModuleList',
        'PsActiveProcessHead',
        'MachineImageType',
        'NumberProcessors',
        'BugCheckCode',
      ],
    );
    assert.equal(cut.fields.find((f) => f.name === 'DirectoryTableBase')?.note, 'PAGE filler (not written)');
    assert.equal(cut.fields.find((f) => f.name === 'MinorVersion')?.note, undefined);
    const plain = listStructure(DUMP_HEADER64 as Layout<unknown>, header.subarray(0, 0x40), 0, undefined, false);
    assert.equal(plain.fields.find((f) => f.name === 'DirectoryTableBase')?.note, undefined);
  });
});
