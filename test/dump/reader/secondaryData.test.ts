import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DUMP_BLOB_FILE_HEADER, DUMP_BLOB_HEADER } from '../../../src/format/index.js';
import { SynthMemory, buildDump, type SynthBlob, type SynthDumpSpec } from '../../synth/index.js';
import { openDump } from '../../../src/dump/reader/index.js';
import { buildKernelMemory, kernelSpec, openSynth, pattern, writeTemp } from './helpers.js';

const G1 = '54c84888-01d1-4c1e-bed6-282c98241303';
const G2 = 'bf2297dc-34ba-11dc-868a-e19155d89593';
const NULL = '00000000-0000-0000-0000-000000000000';

const blobs: SynthBlob[] = [
  { guid: G1, data: pattern(100, 0x1000) },
  { guid: G2, data: pattern(101, 0x44) },
  { guid: G1, data: pattern(102, 13) }, // duplicate GUID
  { guid: G2, data: new Uint8Array(0) }, // zero-size
  { guid: NULL, data: new Uint8Array(0) },
  { guid: '67fc721a-2852-4f62-a3b1-2afc53953777', data: pattern(103, 5), prePad: 8 },
];

const kernel = buildKernelMemory();
const small = new SynthMemory();
small.write(0x1000n, pattern(1));

const specs: [string, SynthDumpSpec][] = [
  ['full (1)', kernelSpec(kernel, 1, { blobs })],
  ['bitmap (5)', kernelSpec(kernel, 5, { blobs })],
  ['bitmap (6)', { dumpType: 6, memory: small, blobs }],
  [
    'triage (4)',
    { dumpType: 4, triage: { drivers: [{ name: 'a.sys', base: 0xfffff80000000000n, size: 0x1000 }] }, blobs },
  ],
];

describe('reader: secondary data walk', () => {
  for (const [name, spec] of specs) {
    it(`${name}: every blob, in order, with GUID, size, offsets and data, to EOF`, async () => {
      const { dump, layout } = await openSynth(spec);
      try {
        const scan = await dump.secondaryData();
        assert.deepEqual(scan.problems, []);
        assert.equal(scan.areaOffset, layout.bodyEnd);
        assert.equal(scan.buildNumber, 0xf0004a61);
        assert.equal(scan.endsAtEof, true);
        assert.equal(scan.blobs.length, blobs.length);
        for (const [i, b] of scan.blobs.entries()) {
          assert.equal(b.index, i);
          assert.equal(b.guid, blobs[i]!.guid);
          assert.equal(b.size, blobs[i]!.data.length);
          assert.equal(b.prePad, blobs[i]!.prePad ?? 0);
          assert.equal(b.postPad, (8 - (blobs[i]!.data.length % 8)) % 8);
          assert.equal(b.headerOffset, layout.blobs[i]!.headerOffset);
          assert.equal(b.offset, layout.blobs[i]!.dataOffset);
          assert.deepEqual(await dump.readBlob(b), blobs[i]!.data);
        }
        assert.equal(await dump.secondaryData(), scan, 'cached');
      } finally {
        await dump.close();
      }
    });
  }

  it('no DumpBlob area: nothing found, no problem, ends at EOF', async () => {
    const { dump } = await openSynth({ dumpType: 6, memory: small });
    try {
      const scan = await dump.secondaryData();
      assert.deepEqual(scan, {
        areaOffset: undefined,
        buildNumber: undefined,
        blobs: [],
        problems: [],
        endsAtEof: true,
      });
    } finally {
      await dump.close();
    }
  });

  it('bytes after the body that are not a DumpBlob area are reported', async () => {
    const { dump } = await openSynth({
      dumpType: 1,
      memory: small,
      tail: new TextEncoder().encode('garbage!garbage!'),
    });
    try {
      const scan = await dump.secondaryData();
      assert.equal(scan.areaOffset, undefined);
      assert.equal(scan.problems[0]?.code, 'E_DUMP_NO_SECONDARY_DATA');
      assert.ok(dump.problems.includes(scan.problems[0]!), 'scan problems are appended to dump.problems');
    } finally {
      await dump.close();
    }
  });

  const bad: [string, Partial<SynthDumpSpec>, number, RegExp][] = [
    [
      'HeaderSize is not 0x20',
      {
        blobs: [
          { guid: G1, data: pattern(1, 8) },
          { guid: G2, data: pattern(2, 8), headerSize: 0x18 },
        ],
      },
      1,
      /HeaderSize is 0x18/,
    ],
    [
      'a huge DataSize (would wrap 32-bit sums)',
      {
        blobs: [
          { guid: G1, data: pattern(1, 8) },
          { guid: G2, data: pattern(2, 8), dataSize: 0xffffffe0 },
        ],
      },
      1,
      /runs past the end/,
    ],
    [
      'DataSize just past EOF',
      {
        blobs: [
          { guid: G1, data: pattern(1, 8) },
          { guid: G2, data: pattern(2, 8), dataSize: 9 },
        ],
      },
      1,
      /runs past the end/,
    ],
    ['a header cut by EOF', { blobs: [{ guid: G1, data: pattern(1, 8) }], tail: new Uint8Array(12) }, 1, /cut short/],
    [
      'PostPad past EOF keeps the blob',
      {
        blobs: [
          { guid: G1, data: pattern(1, 8) },
          { guid: G2, data: pattern(2, 8), postPadField: 0x7ffffff0 },
        ],
      },
      2,
      /PostPad/,
    ],
  ];
  for (const [what, extra, kept, message] of bad) {
    it(`stops on ${what}, keeps the blobs before it`, async () => {
      const { dump } = await openSynth({ dumpType: 5, memory: small, ...extra });
      try {
        const scan = await dump.secondaryData();
        assert.equal(scan.blobs.length, kept);
        assert.equal(scan.endsAtEof, false);
        assert.equal(scan.problems.length, 1);
        assert.equal(scan.problems[0]!.code, 'E_DUMP_CORRUPT');
        assert.equal(scan.problems[0]!.structure, 'DUMP_BLOB_HEADER');
        assert.match(scan.problems[0]!.message, message);
        assert.deepEqual(await dump.readBlob(scan.blobs[0]!), pattern(1, 8));
      } finally {
        await dump.close();
      }
    });
  }

  it('a DUMP_BLOB_FILE_HEADER.HeaderSize that points past EOF is reported, not a silent empty area', async () => {
    for (const headerSize of [0xffffffff, 0x1000]) {
      const { bytes, layout } = buildDump({ dumpType: 5, memory: small, blobs: [{ guid: G1, data: pattern(1, 8) }] });
      new DataView(bytes.buffer).setUint32(Number(layout.blobAreaOffset!) + 8, headerSize, true);
      const dump = await openDump(await writeTemp(bytes));
      try {
        const scan = await dump.secondaryData();
        assert.equal(scan.areaOffset, layout.blobAreaOffset);
        assert.deepEqual(scan.blobs, []);
        assert.equal(scan.endsAtEof, false);
        assert.equal(scan.problems.length, 1, JSON.stringify(scan.problems.map((p) => p.message)));
        assert.equal(scan.problems[0]!.code, 'E_DUMP_CORRUPT');
        assert.equal(scan.problems[0]!.structure, 'DUMP_BLOB_FILE_HEADER');
        assert.match(scan.problems[0]!.message, /past the end of the file/);
        assert.ok(dump.problems.includes(scan.problems[0]!));
      } finally {
        await dump.close();
      }
    }
  });

  it('a DUMP_BLOB_FILE_HEADER.HeaderSize that ends exactly at EOF: an empty area, no problem', async () => {
    const { bytes, layout } = buildDump({ dumpType: 5, memory: small, blobs: [] });
    assert.equal(BigInt(bytes.length), layout.blobAreaOffset! + BigInt(DUMP_BLOB_FILE_HEADER.size));
    const dump = await openDump(await writeTemp(bytes));
    try {
      const scan = await dump.secondaryData();
      assert.deepEqual(
        { blobs: scan.blobs, problems: scan.problems, endsAtEof: scan.endsAtEof },
        { blobs: [], problems: [], endsAtEof: true },
      );
    } finally {
      await dump.close();
    }
  });

  it('readBlob refuses a blob description that does not fit in the file (no allocation from it)', async () => {
    const { dump } = await openSynth({ dumpType: 5, memory: small, blobs: [{ guid: G1, data: pattern(1, 8) }] });
    try {
      const [b] = (await dump.secondaryData()).blobs;
      await assert.rejects(dump.readBlob({ ...b!, size: 0x7fffffff }), { code: 'E_DUMP_TRUNCATED' });
      await assert.rejects(dump.readBlob({ ...b!, offset: dump.fileSize }), { code: 'E_DUMP_TRUNCATED' });
      assert.equal(DUMP_BLOB_HEADER.size, 0x20);
    } finally {
      await dump.close();
    }
  });
});
