import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { CrashDumpKind } from '../../../src/kernel/crashDumpTarget.js';
import { openDump } from '../../../src/dump/reader/index.js';
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
    const announced = BLOBS.reduce((a, b) => a + b.data.length, 0);
    const w = writeDump(s, makePlan(s, c.kind, file, {
      secondaryDataSizeEstimate: announced,
      settings: { ioChunkBytes: 0x2800, ...(c.runs ? { completeFormat: 'runs' } : {}) },
    }), BLOBS);

    it('appends a DumpBlob area right after the primary body that the reader walks to end of file', async () => {
      const dump = await openDump(file);
      try {
        assert.equal(dump.dumpType, c.type);
        assert.deepEqual(dump.problems, [], 'the reader finds nothing wrong with the file');
        assert.deepEqual((await dump.modules()).problems, []);
        const scan = await dump.secondaryData();
        assert.equal(scan.areaOffset, w.summary.primaryBodyEnd);
        assert.equal(scan.buildNumber, (0xF0000000 | s.machine.options.build) >>> 0);
        assert.equal(scan.endsAtEof, true);
        assert.deepEqual(scan.problems, []);
        assert.equal(scan.blobs.length, BLOBS.length);
        for (const [i, blob] of scan.blobs.entries()) {
          assert.equal(blob.guid, BLOBS[i]!.guid);
          assert.equal(blob.size, BLOBS[i]!.data.length);
          assert.equal(blob.prePad, 0);
          assert.equal(blob.postPad, (8 - (BLOBS[i]!.data.length % 8)) % 8);
          assert.equal((blob.headerOffset - scan.areaOffset!) % 8n, 0n, 'blob headers are 8-aligned relative to the area');
          assert.deepEqual(await dump.readBlob(blob), BLOBS[i]!.data);
        }
        assert.equal(readFileRange(file, Number(scan.areaOffset), 8).toString('latin1'), 'DumpBlob');
        assert.equal(w.summary.blobCount, BLOBS.length);
        assert.equal(dump.header.requiredDumpSpace, BigInt(fs.statSync(file).size));
      } finally {
        await dump.close();
      }
    });

    it('reports Header, then Body, then SecondaryData, the RequiredDumpSpace fix-up, and one Complete last', () => {
      const types = w.events.map((e) => e.type);
      const firstBody = types.indexOf(KbDumpIoBody);
      const firstSecondary = types.indexOf(KbDumpIoSecondaryData);
      assert.equal(types[0], KbDumpIoHeader);
      assert.ok(firstBody > 0 && types.slice(0, firstBody).every((t) => t === KbDumpIoHeader));
      assert.ok(firstSecondary > firstBody && types.slice(firstBody, firstSecondary).every((t) => t === KbDumpIoBody));
      const last = w.events[w.events.length - 1]!;
      assert.deepEqual(last, { type: KbDumpIoComplete, offset: -1n, length: 0 });
      assert.equal(types.filter((t) => t === KbDumpIoComplete).length, 1);
      // The announced size counted only data bytes, so the header was corrected once, at its own offset.
      const fix = w.events[w.events.length - 2]!;
      assert.deepEqual(fix, { type: KbDumpIoHeader, offset: 0xFA0n, length: 8 });
      assert.equal(w.summary.requiredDumpSpace.rewritten, true);
      assert.ok(types.slice(firstSecondary, -2).every((t) => t === KbDumpIoSecondaryData));
      assert.ok(w.events.every((e) => e.length <= 0x2800));
    });

    it('is rebuilt byte for byte by a mirror that writes each reported buffer at its offset', () => {
      assert.ok(filesEqual(file, w.mirrorPath));
    });
  });
}

describe('RequiredDumpSpace', () => {
  it('is not rewritten when the estimate was exact', () => {
    const s = buildScenario({ seed: 60, memoryBytes: 64n << 20n });
    const file = path.join(tmp.dir, 'exact-estimate.dmp');
    const data = pattern(24, 1);
    // The writer adds 0x10 (DumpBlob) to the announced bytes; here they happen to cover the blob header and data exactly.
    const w = writeDump(s, makePlan(s, 'small', file, { secondaryDataSizeEstimate: 0x20 + data.length }), [{ guid: '11111111-2222-3333-4444-555555555555', data }]);
    assert.equal(w.summary.requiredDumpSpace.rewritten, false);
    assert.equal(w.summary.requiredDumpSpace.estimated, BigInt(fs.statSync(file).size));
    assert.ok(!w.events.some((e) => e.type === KbDumpIoHeader && e.offset === 0xFA0n));
    assert.equal(readFileRange(file, 0xFA0, 8).readBigUInt64LE(0), BigInt(fs.statSync(file).size));
  });

  it('is corrected when a dump has no secondary data but an estimate was announced', () => {
    const s = buildScenario({ seed: 61, memoryBytes: 64n << 20n });
    const file = path.join(tmp.dir, 'no-blobs.dmp');
    const w = writeDump(s, makePlan(s, 'kernel', file, { secondaryDataSizeEstimate: 100 }));
    assert.equal(w.summary.blobCount, 0);
    assert.equal(w.summary.fileSize, w.summary.primaryBodyEnd);
    assert.equal(readFileRange(file, 0xFA0, 8).readBigUInt64LE(0), BigInt(fs.statSync(file).size));
    assert.ok(filesEqual(file, w.mirrorPath));
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
    assert.equal(w.summary.fileSize, start + 0x10A8n);
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
