import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openDump } from '../../src/dump/reader/index.js';
import { genuineDump, readAt } from '../analyze/helpers.js';
import { json, runCli } from './helpers.js';

interface EnumtagEntry {
  index: number;
  guid: string;
  size: number;
  offset: string;
  data?: string;
}

describe('bugcheck enumtag', () => {
  it('lists the 20 blobs as {GUID} - 0xNNN bytes with a hex/ASCII preview', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const run = await runCli(['enumtag', path]);
    assert.equal(run.code, 0, run.stderr);
    const headings = run.stdout.split('\n').filter((l) => l.startsWith('{'));
    assert.equal(headings.length, 20);
    assert.equal(headings[0], '{54C84888-01D1-4C1E-BED6-282C98241303} - 0x1000 bytes');
    assert.ok(headings.includes('{BF2297DC-34BA-11DC-868A-E19155D89593} - 0xd4bb bytes'));
    assert.ok(headings.includes('{00000000-0000-0000-0000-000000000000} - 0x0 bytes'));
    // The 0x44-byte AmdPPM blob starts with its name; the preview shows it in the ASCII column.
    const amd = run.stdout.split('\n').indexOf('{67FC721A-2852-4F62-A3B1-2AFC53953777} - 0x44 bytes');
    assert.ok(amd > 0);
    assert.equal(
      run.stdout.split('\n')[amd + 1],
      '  0000  41 6D 64 50 50 4D 00 00-00 00 00 00 00 00 00 00  AmdPPM..........',
    );
    assert.match(run.stdout, /^ {2}\.\.\. 0xfc0 more bytes$/m);
  });

  it('--full dumps every byte; --json gives guid, size and the data offset', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const full = await runCli(['enumtag', path, '--full']);
    assert.equal(full.code, 0);
    assert.doesNotMatch(full.stdout, /more bytes/);
    const lines = full.stdout.split('\n');
    const start = lines.indexOf('{BF2297DC-34BA-11DC-868A-E19155D89593} - 0xd4bb bytes');
    const dataLines = lines.slice(start + 1, lines.indexOf('', start));
    assert.equal(dataLines.length, Math.ceil(0xd4bb / 16));
    assert.match(dataLines.at(-1)!, /^ {2}d4b0 /);

    const run = await runCli(['enumtag', path, '--json']);
    assert.equal(run.code, 0);
    const entries = json<EnumtagEntry[]>(run);
    assert.equal(entries.length, 20);
    assert.deepEqual(entries[0], {
      index: 0,
      guid: '54c84888-01d1-4c1e-bed6-282c98241303',
      size: 4096,
      offset: '0x13a2bc',
    });
    // Each offset points just past a DUMP_BLOB_HEADER whose Tag and DataSize match.
    for (const e of entries) {
      const header = await readAt(path, Number(e.offset) - 0x20, 0x20);
      const view = new DataView(header.buffer);
      assert.equal(view.getUint32(0, true), 0x20);
      assert.equal(view.getUint32(0x14, true), e.size);
      assert.equal(view.getUint32(4, true).toString(16).padStart(8, '0'), e.guid.slice(0, 8));
    }
    const withData = json<EnumtagEntry[]>(await runCli(['enumtag', path, '--json', '--full']));
    assert.equal(
      withData[1]!.data,
      Buffer.from(await readAt(path, Number(withData[1]!.offset), withData[1]!.size)).toString('hex'),
    );
  });

  it('matches the reader blob list', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const dump = await openDump(path);
    const scan = await dump.secondaryData();
    await dump.close();
    const entries = json<EnumtagEntry[]>(await runCli(['enumtag', '--json', path]));
    assert.deepEqual(
      entries.map((e) => [e.guid, e.size, BigInt(e.offset)]),
      scan.blobs.map((b) => [b.guid, b.size, b.offset]),
    );
  });
});
