import assert from 'node:assert/strict';
import { open, readFile, truncate } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { DumpError, openDump, type CrashDump, type SecondaryDataBlob } from '../../../src/dump/reader/index.js';
import { SynthMemory } from '../../synth/index.js';
import { openSynth, pattern, tempPath } from './helpers.js';
import { writeDumpFile } from '../../synth/index.js';

const G1 = '54c84888-01d1-4c1e-bed6-282c98241303';
const MiB = 1024 * 1024;

async function rejectsWith(p: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  await assert.rejects(
    async () => (typeof p === 'function' ? p() : p),
    (e: unknown) => e instanceof DumpError && e.code === code,
  );
}

/** A bitmap dump whose single blob claims `size` bytes; the file is extended (sparse) to hold them, with markers at both ends. */
async function dumpWithHugeBlob(
  size: number,
): Promise<{ dump: CrashDump; blob: SecondaryDataBlob; head: Uint8Array; tail: Uint8Array }> {
  const memory = new SynthMemory();
  memory.write(0x1000n, pattern(1));
  const head = pattern(20, 16);
  const tail = pattern(21, 16);
  const path = await tempPath('hugeblob');
  const layout = await writeDumpFile(
    { dumpType: 5, memory, blobs: [{ guid: G1, data: head, dataSize: size, postPad: 0 }] },
    path,
  );
  const dataOffset = layout.blobs[0]!.dataOffset;
  await truncate(path, Number(dataOffset) + size);
  const fh = await open(path, 'r+');
  await fh.write(tail, 0, tail.length, Number(dataOffset) + size - tail.length);
  await fh.close();
  const dump = await openDump(path);
  const scan = await dump.secondaryData();
  assert.deepEqual(scan.problems, []);
  assert.equal(scan.blobs.length, 1);
  assert.equal(scan.blobs[0]!.size, size);
  return { dump, blob: scan.blobs[0]!, head, tail };
}

describe('reader: raw file bytes (readRaw)', () => {
  it('returns the bytes at any offset of the file, through the open handle', async () => {
    const memory = new SynthMemory();
    memory.write(0x1000n, pattern(1));
    const { dump, path } = await openSynth({ dumpType: 5, memory, blobs: [{ guid: G1, data: pattern(2, 40) }] });
    try {
      const file = await readFile(path);
      assert.deepEqual(await dump.readRaw(0n, 0x2000), new Uint8Array(file.subarray(0, 0x2000)));
      assert.deepEqual(await dump.readRaw(0x2001n, 3), new Uint8Array(file.subarray(0x2001, 0x2004)));
      const end = BigInt(file.length);
      assert.deepEqual(await dump.readRaw(end - 7n, 7), new Uint8Array(file.subarray(file.length - 7)));
      assert.deepEqual(await dump.readRaw(end, 0), new Uint8Array(0));
    } finally {
      await dump.close();
    }
  });

  it('refuses a range past EOF, a negative offset and a bad or > 64 MiB length with typed errors; E_DUMP_CLOSED after close', async () => {
    const memory = new SynthMemory();
    memory.write(0x1000n, pattern(1));
    const { dump } = await openSynth({ dumpType: 5, memory });
    const end = dump.fileSize;
    await rejectsWith(dump.readRaw(end - 1n, 2), 'E_DUMP_TRUNCATED');
    await rejectsWith(dump.readRaw(end + 1n, 0), 'E_DUMP_TRUNCATED');
    await rejectsWith(dump.readRaw(1n << 62n, 1), 'E_DUMP_TRUNCATED');
    await rejectsWith(dump.readRaw(-1n, 1), 'E_DUMP_ARGUMENT');
    await rejectsWith(dump.readRaw(0n, -1), 'E_DUMP_ARGUMENT');
    await rejectsWith(dump.readRaw(0n, 1.5), 'E_DUMP_ARGUMENT');
    await rejectsWith(dump.readRaw(0n, 64 * MiB + 1), 'E_DUMP_ARGUMENT');
    await rejectsWith(dump.readRaw(0 as unknown as bigint, 1), 'E_DUMP_ARGUMENT');
    // Addresses that are not bigints are argument errors, never a TypeError.
    await rejectsWith(dump.readPhysical(1.5 as unknown as bigint, 1), 'E_DUMP_ARGUMENT');
    await rejectsWith(dump.readVirtual(0x1000 as unknown as bigint, 1), 'E_DUMP_ARGUMENT');
    await rejectsWith(dump.translate(0x1000 as unknown as bigint), 'E_DUMP_ARGUMENT');
    await rejectsWith(
      dump.translate(0x1000n, { directoryTableBase: 0x1ad000 as unknown as bigint }),
      'E_DUMP_ARGUMENT',
    );
    await dump.close();
    await rejectsWith(dump.readRaw(0n, 8), 'E_DUMP_CLOSED');
  });
});

describe('reader: blob ranges and chunks', () => {
  it('readBlobRange and blobChunks give the same bytes as readBlob; bad ranges are typed errors', async () => {
    const data = pattern(3, 10_000);
    const memory = new SynthMemory();
    memory.write(0x1000n, pattern(1));
    const { dump } = await openSynth({
      dumpType: 6,
      memory,
      blobs: [
        { guid: G1, data },
        { guid: G1, data: new Uint8Array(0) },
      ],
    });
    try {
      const [blob, empty] = (await dump.secondaryData()).blobs;
      assert.deepEqual(await dump.readBlobRange(blob!, 0, data.length), data);
      assert.deepEqual(await dump.readBlobRange(blob!, 4095, 3), data.subarray(4095, 4098));
      assert.deepEqual(await dump.readBlobRange(blob!, data.length, 0), new Uint8Array(0));
      const chunks: Uint8Array[] = [];
      for await (const c of dump.blobChunks(blob!, 4096)) chunks.push(c);
      assert.deepEqual(
        chunks.map((c) => c.length),
        [4096, 4096, 10_000 - 8192],
      );
      assert.deepEqual(new Uint8Array(Buffer.concat(chunks)), data);
      const whole: Uint8Array[] = [];
      for await (const c of dump.blobChunks(blob!)) whole.push(c);
      assert.deepEqual(whole, [data]);
      const none: Uint8Array[] = [];
      for await (const c of dump.blobChunks(empty!)) none.push(c);
      assert.deepEqual(none, []);

      await rejectsWith(dump.readBlobRange(blob!, data.length - 1, 2), 'E_DUMP_ARGUMENT');
      await rejectsWith(dump.readBlobRange(blob!, -1, 1), 'E_DUMP_ARGUMENT');
      await rejectsWith(dump.readBlobRange(blob!, 0.5, 1), 'E_DUMP_ARGUMENT');
      await rejectsWith(dump.readBlobRange(blob!, 0, 64 * MiB + 1), 'E_DUMP_ARGUMENT');
      await rejectsWith(() => dump.blobChunks(blob!, 0), 'E_DUMP_ARGUMENT');
      await rejectsWith(() => dump.blobChunks(blob!, 64 * MiB + 1), 'E_DUMP_ARGUMENT');
      // A blob object that does not lie inside this file is refused before anything is allocated.
      const forged: SecondaryDataBlob = { ...blob!, size: 0xffff_ffff };
      await rejectsWith(dump.readBlobRange(forged, 0, 16), 'E_DUMP_TRUNCATED');
      await rejectsWith(() => dump.blobChunks(forged), 'E_DUMP_TRUNCATED');
      await rejectsWith(dump.readBlob(forged), 'E_DUMP_TRUNCATED');
      // Values hex() cannot show still give the intended error, not a RangeError turned E_DUMP_CORRUPT.
      const nonsense = { ...blob!, size: Number.NaN, offset: 1.5 as unknown as bigint };
      await rejectsWith(dump.readBlob(nonsense), 'E_DUMP_TRUNCATED');
      await rejectsWith(dump.readBlobRange(nonsense, 0, 1), 'E_DUMP_TRUNCATED');
      await rejectsWith(() => dump.blobChunks(nonsense), 'E_DUMP_TRUNCATED');
    } finally {
      await dump.close();
    }
  });

  it('a 300 MiB blob streams in 1 MiB chunks, never held whole', async () => {
    const size = 300 * MiB;
    const { dump, blob, head, tail } = await dumpWithHugeBlob(size);
    try {
      let count = 0;
      let total = 0;
      let first: Uint8Array | undefined;
      let last: Uint8Array | undefined;
      for await (const c of dump.blobChunks(blob)) {
        assert.equal(c.length, MiB);
        first ??= c;
        last = c;
        count++;
        total += c.length;
      }
      assert.equal(count, 300);
      assert.equal(total, size);
      assert.deepEqual(first!.subarray(0, head.length), head);
      assert.deepEqual(last!.subarray(MiB - tail.length), tail);
      assert.deepEqual(await dump.readBlobRange(blob, size - tail.length, tail.length), tail);
    } finally {
      await dump.close();
    }
  });

  it('a blob of almost 4 GiB: ranges at offsets above 2^32 and the first chunks are read without loading it', async () => {
    const size = 0xffff_fff8;
    const { dump, blob, head, tail } = await dumpWithHugeBlob(size);
    try {
      assert.deepEqual(await dump.readBlobRange(blob, size - tail.length, tail.length), tail);
      assert.deepEqual(await dump.readBlobRange(blob, 0, head.length), head);
      let seen = 0;
      for await (const c of dump.blobChunks(blob, 64 * MiB)) {
        assert.equal(c.length, 64 * MiB);
        if (seen === 0) assert.deepEqual(c.subarray(0, head.length), head);
        if (++seen === 2) break;
      }
      assert.equal(seen, 2);
    } finally {
      await dump.close();
    }
  });
});
