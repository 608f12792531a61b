import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { openDump } from '../../../src/dump/reader/index.js';
import { SynthMemory, writeDumpFile } from '../../synth/index.js';
import { pattern, tempPath } from './helpers.js';

// 4 GiB + 1 MiB of pages: file offsets above 2^32, written as a sparse file.
const PAGES = 0x100100n;
const HIGH_PFN = 0x1000f0n;

describe('reader: files larger than 4 GiB (sparse)', () => {
  for (const dumpType of [1, 5]) {
    it(`DumpType ${dumpType}: pages and blobs beyond 4 GiB are read at the right offsets`, async () => {
      const memory = new SynthMemory().addZeroRange(0n, PAGES);
      memory.write(HIGH_PFN << 12n, pattern(9));
      memory.write(0x1000n, pattern(8));
      const path = await tempPath('large');
      const layout = await writeDumpFile(
        { dumpType, memory, blobs: [{ guid: '54c84888-01d1-4c1e-bed6-282c98241303', data: pattern(10, 100) }] },
        path,
      );
      assert.ok(layout.pageOffset(HIGH_PFN)! > 0x100000000n);
      assert.equal(BigInt((await stat(path)).size), layout.fileSize);
      const dump = await openDump(path);
      try {
        assert.deepEqual(dump.problems, []);
        assert.deepEqual((await dump.readPhysical(HIGH_PFN << 12n, 0x1000)).bytes, pattern(9));
        assert.deepEqual((await dump.readPhysical(0x1000n, 0x1000)).bytes, pattern(8));
        const hole = await dump.readPhysical((HIGH_PFN + 1n) << 12n, 0x10);
        assert.equal(hole.complete, true);
        assert.deepEqual(hole.bytes, new Uint8Array(0x10));
        const scan = await dump.secondaryData();
        assert.equal(scan.areaOffset, layout.bodyEnd);
        assert.ok(scan.areaOffset! > 0x100000000n);
        assert.equal(scan.endsAtEof, true);
        assert.deepEqual(await dump.readBlob(scan.blobs[0]!), pattern(10, 100));
      } finally {
        await dump.close();
      }
    });
  }
});
