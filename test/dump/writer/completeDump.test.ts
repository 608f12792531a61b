import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DUMP_HEADER64, fillPagePattern } from '../../../src/format/index.js';
import { openDump, type CrashDump } from '../../../src/dump/reader/index.js';
import {
  BUGCHECK_CODE,
  BUGCHECK_PARAMETERS,
  buildScenario,
  filesEqual,
  makePlan,
  PAGE,
  readFileRange,
  tempDir,
  writeDump,
  type Scenario,
  type WrittenDump,
} from './helpers.js';

const tmp = tempDir();
after(() => tmp.cleanup());

function popcount(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) {
    let x = b;
    while (x) {
      n += BigInt(x & 1);
      x >>= 1;
    }
  }
  return n;
}

describe('complete dump, bitmap (DumpType 5)', () => {
  let s: Scenario;
  let written: WrittenDump;
  let dump: CrashDump;
  const file = path.join(tmp.dir, 'complete-bitmap.dmp');

  before(async () => {
    s = buildScenario();
    written = writeDump(s, makePlan(s, 'complete', file));
    dump = await openDump(file);
  });
  after(async () => {
    await dump?.close();
  });

  it('writes the header fields from the machine and the plan', () => {
    const h = dump.header;
    const m = s.machine;
    assert.equal(h.is64, true);
    assert.equal(h.signature, 0x45474150);
    assert.equal(h.validDump, 0x34365544);
    assert.equal(h.majorVersion, 0xf);
    assert.equal(h.minorVersion, m.options.build);
    assert.equal(h.directoryTableBase, m.kernelSpace.directoryTableBase);
    assert.equal(h.pfnDataBase, m.symbols.MmPfnDatabase);
    assert.equal(h.psLoadedModuleList, m.symbols.PsLoadedModuleList);
    assert.equal(h.psActiveProcessHead, m.symbols.PsActiveProcessHead);
    assert.equal(h.machineImageType, 0x8664);
    assert.equal(h.numberProcessors, m.processors.length);
    assert.equal(h.bugCheckCode, BUGCHECK_CODE);
    assert.deepEqual(h.bugCheckParameters, [...BUGCHECK_PARAMETERS]);
    assert.equal(h.kdDebuggerDataBlock, m.symbols.KdDebuggerDataBlock);
    assert.equal(h.dumpType, 5);
    assert.equal(h.systemTime, m.options.systemTime);
    assert.equal(h.systemUpTime, m.options.systemUpTime);
    assert.equal(h.productType, m.options.productType);
    assert.equal(h.suiteMask, m.options.suiteMask);
    assert.equal(h.kdSecondaryVersion, 0);
    assert.equal(h.attributes, 0);
    assert.equal(h.requiredDumpSpace, BigInt(fs.statSync(file).size));
    assert.equal(written.summary.fileSize, BigInt(fs.statSync(file).size));
  });

  it('stores the crash context (both MxCsr copies equal) and the exception record', () => {
    const cpu = s.machine.processors[1]!;
    assert.equal(dump.context?.Rip, s.machine.symbols.KeBugCheckEx);
    assert.equal(dump.context?.Rsp, cpu.stackBase - 0x200n);
    assert.equal(dump.context?.MxCsr, 0x1f80);
    assert.equal(dump.context?.FltSave.MxCsr, 0x1f80);
    assert.equal(dump.exception?.ExceptionCode, 0x80000003);
    assert.equal(dump.exception?.ExceptionAddress, s.machine.symbols.KeBugCheckEx);
    assert.equal(dump.exception?.ExceptionInformation[0], 0x1234n);
  });

  it("leaves every unwritten header byte as 'PAGE'", () => {
    const header = readFileRange(file, 0, 0x2000);
    const filler = new Uint8Array(0x2000);
    fillPagePattern(filler);
    const o = DUMP_HEADER64.offsets;
    for (const [name, offset, length] of [
      ['padding after BugCheckCode', 0x3c, 4],
      ['VersionUser', o.VersionUser, 32],
      ['PhysicalMemoryBlock', o.PhysicalMemoryBlockBuffer, 700],
      ['exception alignment after NumberParameters', o.Exception + 0x1c, 4],
      ['unused ExceptionInformation', o.Exception + 0x28, 0x98 - 0x28],
      ['padding after DumpType', 0xf9c, 4],
      ['Comment', o.Comment, 128],
      ['SecondaryDataState', o.SecondaryDataState, 4],
      ['BootId', o.BootId, 4],
      ['reserved tail', 0x1058, 0x2000 - 0x1058],
    ] as const) {
      assert.deepEqual(
        header.subarray(offset, offset + length),
        Buffer.from(filler.subarray(offset, offset + length)),
        name,
      );
    }
    // The rest of the 3000-byte ContextRecord after the 0x4D0-byte CONTEXT is zero, as in genuine dumps.
    assert.ok(header.subarray(0x348 + 0x4d0, 0x348 + 3000).every((b) => b === 0));
  });

  it('has an FDMP bitmap with BitmapSize a multiple of 32, exact Pages and HeaderSize = 0x2038 + BitmapSize/8', async () => {
    const body = dump.body;
    assert.equal(body.kind, 'bitmap');
    if (body.kind !== 'bitmap') return;
    assert.equal(body.signature, 'FDMP');
    assert.equal(body.bitmapSize % 32n, 0n);
    assert.ok(body.bitmapSize > s.machine.physical.highestPfn);
    assert.ok(body.bitmapSize - 32n <= s.machine.physical.highestPfn);
    assert.equal(body.firstPageOffset, 0x2038n + body.bitmapSize / 8n);
    const bitmap = readFileRange(file, 0x2038, Number(body.bitmapSize / 8n));
    assert.equal(popcount(bitmap), body.pages);
    // Every RAM page but the removed one.
    assert.equal(body.pages, s.machine.physical.totalPages - 1n);
    assert.equal(body.end, body.firstPageOffset + body.pages * 0x1000n);
    assert.equal(BigInt(fs.statSync(file).size), body.end);
    let count = 0n;
    let previous = -1n;
    for await (const p of dump.physicalPages()) {
      assert.ok(p.pfn > previous);
      assert.equal(p.fileOffset, body.firstPageOffset + count * 0x1000n);
      previous = p.pfn;
      count++;
    }
    assert.equal(count, body.pages);
  });

  it('reads a page the test wrote back identical by physical and by virtual address', async () => {
    const pa = s.machine.kernelSpace.translate(s.poolVa)!.pa;
    const byVa = await dump.readVirtual(s.poolVa, s.poolBytes.length);
    assert.equal(byVa.complete, true);
    assert.deepEqual(byVa.bytes, s.poolBytes);
    const byPa = await dump.readPhysical(pa, 0x100);
    assert.deepEqual(byPa.bytes, s.poolBytes.subarray(0, 0x100));
    const user = await dump.readPhysical(s.userPfn << 12n, PAGE);
    assert.deepEqual(user.bytes, s.machine.physical.readPage(s.userPfn));
  });

  it('leaves the removed page out and keeps device pages', async () => {
    const removed = await dump.readPhysical(s.removedPfn << 12n, PAGE);
    assert.equal(removed.complete, false);
    assert.equal(removed.status[0]?.status, 'not-in-dump');
    assert.ok(removed.bytes.every((b) => b === 0));
    const device = await dump.readPhysical(s.devicePa, s.deviceBytes.length);
    assert.equal(device.complete, true);
    assert.deepEqual(device.bytes, s.deviceBytes);
    assert.equal(written.summary.pages?.removed, 1n);
  });

  it('can be rebuilt byte for byte from the DumpIo reports', () => {
    assert.ok(filesEqual(file, written.mirrorPath));
  });

  it('reports body progress up to the body size', () => {
    const last = written.progress[written.progress.length - 1]!;
    assert.equal(last[0], last[1]);
    assert.equal(last[1], written.summary.primaryBodyEnd - 0x2000n);
    for (let i = 1; i < written.progress.length; i++) assert.ok(written.progress[i]![0] >= written.progress[i - 1]![0]);
  });
});

describe('complete dump, runs (DumpType 1)', () => {
  let s: Scenario;
  let written: WrittenDump;
  let dump: CrashDump;
  const file = path.join(tmp.dir, 'complete-runs.dmp');

  before(async () => {
    s = buildScenario({ seed: 11 });
    written = writeDump(
      s,
      makePlan(s, 'complete', file, { settings: { completeFormat: 'runs', ioChunkBytes: 0x1800 } }),
    );
    dump = await openDump(file);
  });
  after(async () => {
    await dump?.close();
  });

  it('has at most 42 runs whose PageCount sum is NumberOfPages, and the removed page splits a run', () => {
    assert.equal(dump.dumpType, 1);
    const body = dump.body;
    assert.equal(body.kind, 'full');
    if (body.kind !== 'full') return;
    assert.ok(body.runs.length <= 42);
    assert.equal(
      body.numberOfPages,
      body.runs.reduce((a, r) => a + r.pageCount, 0n),
    );
    assert.equal(body.numberOfPages, s.machine.physical.totalPages - 1n);
    assert.equal(body.runs.length, s.machine.physical.runs.length + 1);
    assert.ok(body.runs.every((r) => s.removedPfn < r.basePage || s.removedPfn >= r.basePage + r.pageCount));
    assert.equal(BigInt(fs.statSync(file).size), 0x2000n + body.numberOfPages * 0x1000n);
    assert.equal(dump.header.requiredDumpSpace, BigInt(fs.statSync(file).size));
  });

  it('serves written pages by PA and VA, not the removed one', async () => {
    assert.deepEqual((await dump.readVirtual(s.poolVa, s.poolBytes.length)).bytes, s.poolBytes);
    const pa = s.machine.kernelSpace.translate(s.poolVa + 0x1000n)!.pa;
    assert.deepEqual((await dump.readPhysical(pa, PAGE)).bytes, s.poolBytes.subarray(0x1000, 0x2000));
    assert.equal((await dump.readPhysical(s.removedPfn << 12n, 8)).status[0]?.status, 'not-in-dump');
    assert.deepEqual((await dump.readPhysical(s.devicePa, s.deviceBytes.length)).bytes, s.deviceBytes);
  });

  it('never reports a write larger than ioChunkBytes, and the mirror is identical', () => {
    assert.ok(written.events.every((e) => e.length <= 0x1800));
    assert.ok(filesEqual(file, written.mirrorPath));
  });
});

describe('complete dump, runs, fragmented by removals', () => {
  it('closes the smallest gaps with zero pages to stay within 42 runs; removed contents never reach the file', async () => {
    const s = buildScenario({ seed: 12 });
    const file = path.join(tmp.dir, 'complete-runs-fragmented.dmp');
    // Every other page of a 200-page stretch at the top of the largest run (far from anything allocated): 100 holes.
    const run = s.machine.physical.runs.reduce((a, b) => (b.pageCount > a.pageCount ? b : a));
    const first = run.basePage + run.pageCount - 256n;
    const secret = new Uint8Array(PAGE).fill(0xa5);
    const removed = new Set<bigint>();
    for (let i = 0n; i < 200n; i += 2n) {
      const pfn = first + i;
      assert.equal(s.machine.physical.owner(pfn), 'free');
      s.machine.physical.write(pfn << 12n, secret);
      removed.add(pfn);
    }
    const written = writeDump(
      s,
      makePlan(s, 'complete', file, { removedPages: removed, settings: { completeFormat: 'runs' } }),
    );
    const dump = await openDump(file);
    try {
      const body = dump.body;
      assert.equal(body.kind, 'full');
      if (body.kind !== 'full') return;
      assert.equal(body.runs.length, 42);
      assert.equal(
        body.numberOfPages,
        body.runs.reduce((a, r) => a + r.pageCount, 0n),
      );
      const zeroFilled = written.summary.pages!.zeroFilled;
      assert.ok(zeroFilled > 0n);
      assert.equal(body.numberOfPages, s.machine.physical.totalPages - 100n + zeroFilled);
      let zeroPages = 0n;
      for (const pfn of removed) {
        const r = await dump.readPhysical(pfn << 12n, PAGE);
        assert.ok(
          r.bytes.every((b) => b === 0),
          `removed PFN 0x${pfn.toString(16)} must not carry its contents`,
        );
        if (r.complete) zeroPages++;
      }
      assert.equal(zeroPages, zeroFilled);
    } finally {
      await dump.close();
    }
  });
});
