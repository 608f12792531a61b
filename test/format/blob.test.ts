import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DUMP_BLOB_FILE_HEADER,
  DUMP_BLOB_HEADER,
  DUMP_BLOB_SIGNATURE1,
  DUMP_BLOB_SIGNATURE2,
  DUMP_HEADER64,
  TRIAGE_DUMP64,
  blobBuildNumber,
  blobPostPad,
  blobRecordSize,
} from '../../src/format/index.js';
import { assertLayout, assertRoundTrip, withGenuineDump } from './helpers.js';

test('DUMP_BLOB_FILE_HEADER and DUMP_BLOB_HEADER offsets (dumpformat.md §3.1)', () => {
  assertLayout(DUMP_BLOB_FILE_HEADER, 0x10, [
    ['Signature1', 0x0, 4],
    ['Signature2', 0x4, 4],
    ['HeaderSize', 0x8, 4],
    ['BuildNumber', 0xc, 4],
  ]);
  assertLayout(DUMP_BLOB_HEADER, 0x20, [
    ['HeaderSize', 0x00, 4],
    ['Tag', 0x04, 16],
    ['DataSize', 0x14, 4],
    ['PrePad', 0x18, 4],
    ['PostPad', 0x1c, 4],
  ]);
});

test('blob layouts round-trip; the file header spells DumpBlob', () => {
  assertRoundTrip(DUMP_BLOB_FILE_HEADER);
  assertRoundTrip(DUMP_BLOB_HEADER);
  const fh = DUMP_BLOB_FILE_HEADER.encode({
    Signature1: DUMP_BLOB_SIGNATURE1,
    Signature2: DUMP_BLOB_SIGNATURE2,
    HeaderSize: 0x10,
    BuildNumber: blobBuildNumber(19041),
  });
  assert.equal(Buffer.from(fh.subarray(0, 8)).toString('latin1'), 'DumpBlob');
  assert.equal(new DataView(fh.buffer).getUint32(12, true), 0xf0004a61);
  const h = {
    HeaderSize: 0x20,
    Tag: 'bf2297dc-34ba-11dc-868a-e19155d89593',
    DataSize: 0xd4bb,
    PrePad: 0,
    PostPad: blobPostPad(0xd4bb),
  };
  const bytes = DUMP_BLOB_HEADER.encode(h);
  assert.deepEqual([...bytes.subarray(4, 8)], [0xdc, 0x97, 0x22, 0xbf], 'Tag Data1 little-endian');
  assert.deepEqual(DUMP_BLOB_HEADER.decode(bytes), h);
  assert.equal(h.PostPad, 5);
  assert.equal(blobPostPad(0), 0);
  assert.equal(blobPostPad(0x1000), 0);
  assert.equal(blobPostPad(0x44), 4);
  assert.equal(blobRecordSize(h), 0x20 + 0xd4bb + 5);
});

test('genuine triage dump: walking the blobs from SizeOfDump consumes the file exactly', async (t) => {
  await withGenuineDump(t, async (read, fileSize) => {
    const first = await read(0, 0x2080);
    const header = DUMP_HEADER64.decode(first, 0);
    const td = TRIAGE_DUMP64.decode(first, 0x2000);
    const fh = DUMP_BLOB_FILE_HEADER.decode(await read(td.SizeOfDump, DUMP_BLOB_FILE_HEADER.size));
    assert.equal(fh.Signature1, DUMP_BLOB_SIGNATURE1);
    assert.equal(fh.Signature2, DUMP_BLOB_SIGNATURE2);
    assert.equal(fh.HeaderSize, DUMP_BLOB_FILE_HEADER.size);
    assert.equal(fh.BuildNumber, blobBuildNumber(header.MinorVersion));
    let cursor = td.SizeOfDump + fh.HeaderSize;
    const blobs = [];
    while (cursor < fileSize) {
      const b = DUMP_BLOB_HEADER.decode(await read(cursor, DUMP_BLOB_HEADER.size));
      assert.equal(b.HeaderSize, DUMP_BLOB_HEADER.size);
      assert.equal(b.PostPad, blobPostPad(b.DataSize), 'PostPad pads the data to 8');
      blobs.push(b);
      cursor += blobRecordSize(b);
    }
    assert.equal(cursor, fileSize);
    assert.equal(blobs.length, 20);
    assert.equal(blobs[0]!.Tag, '54c84888-01d1-4c1e-bed6-282c98241303');
    assert.equal(blobs[0]!.DataSize, 0x1000);
    const largest = blobs.reduce((a, b) => (b.DataSize > a.DataSize ? b : a));
    assert.equal(largest.Tag, 'bf2297dc-34ba-11dc-868a-e19155d89593');
    assert.equal(largest.DataSize, 0xd4bb);
    assert.equal(fileSize - td.SizeOfDump, 0x26828);
  });
});
