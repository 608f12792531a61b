import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDump, type CrashDump } from '../../../src/dump/reader/index.js';
import {
  buildScenario,
  filesEqual,
  makePlan,
  PAGE,
  tempDir,
  writeDump,
  type Scenario,
  type WrittenDump,
} from './helpers.js';

const tmp = tempDir();
after(() => tmp.cleanup());

describe('kernel dump (DumpType 6)', () => {
  let s: Scenario;
  let written: WrittenDump;
  let dump: CrashDump;
  const file = path.join(tmp.dir, 'kernel.dmp');

  before(async () => {
    s = buildScenario({ seed: 21 });
    written = writeDump(s, makePlan(s, 'kernel', file, { settings: { ioChunkBytes: 0x3000 } }));
    dump = await openDump(file);
  });
  after(async () => {
    await dump?.close();
  });

  it('is an SDMP bitmap dump holding exactly the kernel and page-table frames, plus added, minus removed', async () => {
    assert.equal(dump.dumpType, 6);
    const body = dump.body;
    assert.equal(body.kind, 'bitmap');
    if (body.kind !== 'bitmap') return;
    assert.equal(body.signature, 'SDMP');
    assert.equal(body.dumpOptions, 1);
    const expected = new Set<bigint>();
    for (const pfn of s.machine.physical.framesOwnedBy('kernel', 'pagetable')) expected.add(pfn);
    expected.add(s.devicePa >> 12n);
    expected.add((s.devicePa >> 12n) + 1n);
    expected.delete(s.removedPfn);
    const present: bigint[] = [];
    for await (const p of dump.physicalPages()) present.push(p.pfn);
    assert.equal(present.length, expected.size);
    assert.ok(present.every((pfn) => expected.has(pfn)));
    assert.equal(body.pages, BigInt(expected.size));
    assert.equal(BigInt(fs.statSync(file).size), body.firstPageOffset + body.pages * 0x1000n);
    assert.equal(dump.header.requiredDumpSpace, BigInt(fs.statSync(file).size));
  });

  it('reads kernel memory by VA through its own page tables', async () => {
    const r = await dump.readVirtual(s.poolVa, s.poolBytes.length);
    assert.equal(r.complete, true);
    assert.deepEqual(r.bytes, s.poolBytes);
    const kdbg = await dump.kdDebuggerData();
    assert.equal(kdbg?.Header.OwnerTag, 0x4742444b);
    const { loaded } = await dump.modules();
    assert.ok(loaded.some((m) => m.name.toLowerCase().endsWith(s.driverName)));
  });

  it('has the added device pages, not the user frame and not the removed page', async () => {
    const device = await dump.readPhysical(s.devicePa, s.deviceBytes.length);
    assert.equal(device.complete, true);
    assert.deepEqual(device.bytes, s.deviceBytes);
    assert.equal((await dump.readPhysical(s.userPfn << 12n, PAGE)).status[0]?.status, 'not-in-dump');
    const removed = await dump.readVirtual(s.removedVa, 16);
    assert.equal(removed.complete, false);
    assert.equal(removed.status[0]?.status, 'not-in-dump');
    assert.equal(written.summary.pages?.added, 2n);
    assert.equal(written.summary.pages?.removed, 1n);
  });

  it('writes in chunks no larger than ioChunkBytes and the DumpIo mirror is identical', () => {
    assert.ok(written.events.every((e) => e.length <= 0x3000));
    assert.ok(filesEqual(file, written.mirrorPath));
  });

  it('drops added PFNs outside RAM and counts them', () => {
    const s2 = buildScenario({ seed: 22 });
    const beyond = s2.machine.physical.highestPfn + 0x100000n;
    const w = writeDump(
      s2,
      makePlan(s2, 'kernel', path.join(tmp.dir, 'kernel-unbacked.dmp'), { addedPages: new Set([beyond]) }),
    );
    assert.equal(w.summary.pages?.unbackedAdded, 1n);
    assert.equal(w.summary.pages?.added, 0n);
  });
});
