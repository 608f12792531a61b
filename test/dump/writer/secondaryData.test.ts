import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { CrashDumpKind } from '../../../src/kernel/crashDumpTarget.js';
import { openDump } from '../../../src/dump/reader/index.js';
import { MemoryDumpSink, openCrashDumpWriter, type DumpSink } from '../../../src/dump/writer/index.js';
import { SILENT_DUMP_IO_LISTENER } from '../../../src/kernel/crashDumpTarget.js';
import {
  buildScenario,
  filesEqual,
  KbDumpIoBody,
  KbDumpIoComplete,
  KbDumpIoHeader,
  KbDumpIoSecondaryData,
  makePlan,
  pattern,
  readFileRange,
  tempDir,
  writeDump,
  type Blob,
} from './helpers.js';

const tmp = tempDir();
after(() => tmp.cleanup());

const BLOBS: Blob[] = [
  { guid: '54c84888-01d1-4c1e-bed6-282c98241303', data: pattern(0x1000, 41) },
  { guid: '67fc721a-2852-4e4f-9c4e-0a1b2c3d4e5f', data: new TextEncoder().encode('AmdPPM') },
  { guid: 'bf2297dc-34ba-11dc-868a-e19155d89593', data: new Uint8Array(0) },
  { guid: '00000000-0000-0000-0000-000000000000', data: pattern(13, 42) },
];

/** The secondary area the writer lays out for these blobs: DumpBlob header, then per blob 0x20 + data padded to 8. */
function areaBytes(blobs: readonly Blob[]): number {
  return blobs.length === 0
    ? 0
    : 0x10 + blobs.reduce((n, b) => n + 0x20 + b.data.length + ((8 - (b.data.length % 8)) % 8), 0);
}

const CASES: { kind: CrashDumpKind; runs?: boolean; type: number }[] = [
  { kind: 'complete', type: 5 },
  { kind: 'complete', runs: true, type: 1 },
  { kind: 'kernel', type: 6 },
  { kind: 'small', type: 4 },
];

for (const c of CASES) {
  const label = `${c.kind}${c.runs ? ' (runs)' : ''}`;
  describe(`secondary data and DumpIo, ${label} dump (DumpType ${c.type})`, () => {
    const file = path.join(tmp.dir, `blobs-${c.kind}${c.runs ? '-runs' : ''}.dmp`);
    const s = buildScenario({ seed: 50 + c.type, memoryBytes: 64n << 20n });
    // The kernel's estimate covers the whole area (headers and padding); here it is exact.
    const w = writeDump(
      s,
      makePlan(s, c.kind, file, {
        secondaryDataSizeEstimate: areaBytes(BLOBS),
        settings: { ioChunkBytes: 0x2800, ...(c.runs ? { completeFormat: 'runs' } : {}) },
      }),
      BLOBS,
    );

    it('appends a DumpBlob area right after the primary body that the reader walks to end of file', async () => {
      const dump = await openDump(file);
      try {
        assert.equal(dump.dumpType, c.type);
        assert.deepEqual(dump.problems, [], 'the reader finds nothing wrong with the file');
        assert.deepEqual((await dump.modules()).problems, []);
        const scan = await dump.secondaryData();
        assert.equal(scan.areaOffset, w.summary.primaryBodyEnd);
        assert.equal(scan.buildNumber, (0xf0000000 | s.machine.options.build) >>> 0);
        assert.equal(scan.endsAtEof, true);
        assert.deepEqual(scan.problems, []);
        assert.equal(scan.blobs.length, BLOBS.length);
        for (const [i, blob] of scan.blobs.entries()) {
          assert.equal(blob.guid, BLOBS[i]!.guid);
          assert.equal(blob.size, BLOBS[i]!.data.length);
          assert.equal(blob.prePad, 0);
          assert.equal(blob.postPad, (8 - (BLOBS[i]!.data.length % 8)) % 8);
          assert.equal(
            (blob.headerOffset - scan.areaOffset!) % 8n,
            0n,
            'blob headers are 8-aligned relative to the area',
          );
          assert.deepEqual(await dump.readBlob(blob), BLOBS[i]!.data);
        }
        assert.equal(readFileRange(file, Number(scan.areaOffset), 8).toString('latin1'), 'DumpBlob');
        assert.equal(w.summary.blobCount, BLOBS.length);
        assert.equal(dump.header.requiredDumpSpace, BigInt(fs.statSync(file).size));
      } finally {
        await dump.close();
      }
    });

    it('reports Header, then Body, then SecondaryData, then one Complete last, and never goes back to the header', () => {
      const types = w.events.map((e) => e.type);
      const firstBody = types.indexOf(KbDumpIoBody);
      const firstSecondary = types.indexOf(KbDumpIoSecondaryData);
      assert.equal(types[0], KbDumpIoHeader);
      assert.ok(firstBody > 0 && types.slice(0, firstBody).every((t) => t === KbDumpIoHeader));
      assert.ok(firstSecondary > firstBody && types.slice(firstBody, firstSecondary).every((t) => t === KbDumpIoBody));
      const last = w.events[w.events.length - 1]!;
      assert.deepEqual(last, { type: KbDumpIoComplete, offset: -1n, length: 0 });
      assert.equal(types.filter((t) => t === KbDumpIoComplete).length, 1);
      assert.ok(types.slice(firstSecondary, -1).every((t) => t === KbDumpIoSecondaryData));
      // Every write continues where the previous one ended: a consumer may treat them as one stream.
      let at = 0n;
      for (const e of w.events.slice(0, -1)) {
        assert.equal(e.offset, at);
        at += BigInt(e.length);
      }
      assert.deepEqual(w.summary.requiredDumpSpace, { value: BigInt(fs.statSync(file).size), exceededBy: 0n });
      assert.ok(w.events.every((e) => e.length <= 0x2800));
    });

    it('is rebuilt byte for byte by a mirror that writes each reported buffer at its offset', () => {
      assert.ok(filesEqual(file, w.mirrorPath));
    });
  });
}

describe('RequiredDumpSpace', () => {
  const BLOB: Blob = { guid: '11111111-2222-3333-4444-555555555555', data: pattern(24, 1) };

  function headerValue(file: string): bigint {
    return readFileRange(file, 0xfa0, 8).readBigUInt64LE(0);
  }

  it('is the primary end plus the estimate, written with the header: a generous estimate stays larger than the file', () => {
    const s = buildScenario({ seed: 60, memoryBytes: 64n << 20n });
    const file = path.join(tmp.dir, 'generous-estimate.dmp');
    const w = writeDump(s, makePlan(s, 'small', file, { secondaryDataSizeEstimate: 0x10000 }), [BLOB]);
    const size = BigInt(fs.statSync(file).size);
    assert.equal(size, w.summary.primaryBodyEnd + BigInt(areaBytes([BLOB])));
    assert.equal(headerValue(file), w.summary.primaryBodyEnd + 0x10000n);
    assert.ok(headerValue(file) > size, 'like genuine triage dumps: larger than the file');
    assert.deepEqual(w.summary.requiredDumpSpace, { value: w.summary.primaryBodyEnd + 0x10000n, exceededBy: 0n });
    assert.deepEqual(
      w.events.filter((e) => e.type === KbDumpIoHeader).map((e) => e.offset),
      [0n],
      'one header write, at 0',
    );
    assert.ok(filesEqual(file, w.mirrorPath));
  });

  it('is left as written when the area outgrows the estimate; the summary says by how much', () => {
    const s = buildScenario({ seed: 61, memoryBytes: 64n << 20n });
    const file = path.join(tmp.dir, 'short-estimate.dmp');
    const w = writeDump(s, makePlan(s, 'kernel', file, { secondaryDataSizeEstimate: 0x18 }), [BLOB]);
    const size = BigInt(fs.statSync(file).size);
    assert.equal(headerValue(file), w.summary.primaryBodyEnd + 0x18n);
    assert.deepEqual(w.summary.requiredDumpSpace, {
      value: w.summary.primaryBodyEnd + 0x18n,
      exceededBy: size - w.summary.primaryBodyEnd - 0x18n,
    });
    assert.equal(w.summary.requiredDumpSpace.exceededBy, BigInt(areaBytes([BLOB]) - 0x18));
    assert.deepEqual(
      w.events.filter((e) => e.type === KbDumpIoHeader).map((e) => e.offset),
      [0n],
    );
    assert.equal(w.events[w.events.length - 2]!.type, KbDumpIoSecondaryData);
    assert.ok(filesEqual(file, w.mirrorPath));
  });

  it('equals the file size when there is no secondary data and nothing was estimated', () => {
    const s = buildScenario({ seed: 62, memoryBytes: 64n << 20n });
    const file = path.join(tmp.dir, 'no-blobs.dmp');
    const w = writeDump(s, makePlan(s, 'kernel', file));
    assert.equal(w.summary.blobCount, 0);
    assert.equal(w.summary.fileSize, w.summary.primaryBodyEnd);
    assert.equal(headerValue(file), BigInt(fs.statSync(file).size));
    assert.deepEqual(w.summary.requiredDumpSpace, { value: w.summary.fileSize, exceededBy: 0n });
  });
});

describe('secondary data writes', () => {
  it('a blob that fits one chunk is one write: its header, data and padding (and the DumpBlob header before the first)', () => {
    const s = buildScenario({ seed: 62, memoryBytes: 64n << 20n });
    const file = path.join(tmp.dir, 'one-write-per-blob.dmp');
    const w = writeDump(s, makePlan(s, 'kernel', file, { settings: { ioChunkBytes: 0x2800 } }), BLOBS);
    const secondary = w.events.filter((e) => e.type === KbDumpIoSecondaryData);
    const start = w.summary.primaryBodyEnd;
    assert.deepEqual(secondary, [
      { type: KbDumpIoSecondaryData, offset: start, length: 0x10 + 0x20 + 0x1000 },
      { type: KbDumpIoSecondaryData, offset: start + 0x1030n, length: 0x20 + 8 },
      { type: KbDumpIoSecondaryData, offset: start + 0x1058n, length: 0x20 },
      { type: KbDumpIoSecondaryData, offset: start + 0x1078n, length: 0x20 + 16 },
    ]);
    assert.equal(w.summary.fileSize, start + 0x10a8n);
    assert.ok(filesEqual(file, w.mirrorPath));
  });

  it('a blob larger than a chunk is written as header, data in chunks, padding', () => {
    const s = buildScenario({ seed: 63, memoryBytes: 64n << 20n });
    const file = path.join(tmp.dir, 'big-blob.dmp');
    const big = pattern(0x3003, 7);
    const w = writeDump(s, makePlan(s, 'kernel', file, { settings: { ioChunkBytes: 0x2800 } }), [
      { guid: '54c84888-01d1-4c1e-bed6-282c98241303', data: big },
      { guid: '67fc721a-2852-4e4f-9c4e-0a1b2c3d4e5f', data: pattern(8, 9) },
    ]);
    const start = w.summary.primaryBodyEnd;
    const secondary = w.events.filter((e) => e.type === KbDumpIoSecondaryData).map((e) => [e.offset - start, e.length]);
    assert.deepEqual(secondary, [
      [0x0n, 0x10],
      [0x10n, 0x20],
      [0x30n, 0x2800],
      [0x2830n, 0x803],
      [0x3033n, 5],
      [0x3038n, 0x20 + 8],
    ]);
    assert.ok(filesEqual(file, w.mirrorPath));
  });
});

describe('secondary data while nobody listens to the writes', () => {
  it('blobs are gathered into few writes: the same bytes at the same offsets as one write per blob', () => {
    const s = buildScenario({ seed: 64, memoryBytes: 64n << 20n });
    const file = path.join(tmp.dir, 'reported-blobs.dmp');
    const chunk = 0x2800;
    const plan = makePlan(s, 'kernel', file, { settings: { ioChunkBytes: chunk } });
    // Many small blobs (the empty block each callback that returns nothing leaves), one larger than a batch, more small.
    const blobs: Blob[] = [
      ...Array.from({ length: 700 }, (_, i) => ({ guid: BLOBS[i % BLOBS.length]!.guid, data: pattern(i % 11, i) })),
      { guid: BLOBS[0]!.guid, data: pattern(0x3003, 7) },
      ...BLOBS,
    ];
    const reported = writeDump(s, plan, blobs);
    const start = Number(reported.summary.primaryBodyEnd);
    const writes: { offset: number; length: number }[] = [];
    const memory = new MemoryDumpSink();
    const sink: DumpSink = {
      label: 'counting',
      open: () => memory.open(),
      write: (offset, data) => {
        writes.push({ offset, length: data.length });
        memory.write(offset, data);
      },
      writev: (offset, pieces) => {
        writes.push({ offset, length: pieces.reduce((n, p) => n + p.length, 0) });
        memory.writev(offset, pieces);
      },
      sync: () => memory.sync(),
      close: () => memory.close(),
    };
    const session = openCrashDumpWriter(s.machine, plan, SILENT_DUMP_IO_LISTENER, { sink });
    session.writePrimary();
    for (const b of blobs) session.writeSecondaryData(b.guid, b.data);
    const summary = session.complete();
    assert.equal(summary.fileSize, reported.summary.fileSize);
    assert.ok(Buffer.from(memory.bytes()).equals(fs.readFileSync(file)), 'byte for byte the dump written blob by blob');
    const area = writes.filter((w) => w.offset >= start);
    const reportedArea = reported.events.filter((e) => e.type === KbDumpIoSecondaryData);
    assert.equal(reportedArea.length, blobs.length + 3, 'one report per blob, the large one in five');
    // Front to back, no gap, no overlap, each at most one chunk.
    let at = start;
    for (const w of area) {
      assert.equal(w.offset, at);
      assert.ok(w.length <= chunk);
      at += w.length;
    }
    assert.equal(BigInt(at), summary.fileSize);
    assert.ok(area.length < 20, `${area.length} writes for ${blobs.length} blobs`);
  });
});
