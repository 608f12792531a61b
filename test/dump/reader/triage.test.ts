import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TRIAGE_DUMP64 } from '../../../src/format/index.js';
import type { SynthTriage } from '../../synth/index.js';
import { openSynth, pattern } from './helpers.js';

const KDBG_VA = 0xfffff8047c600b20n;
const triage: SynthTriage = {
  drivers: [
    {
      name: '\\SystemRoot\\system32\\ntoskrnl.exe',
      base: 0xfffff8047ba00000n,
      size: 0x1046000,
      timeDateStamp: 0x0d8333e6,
      checkSum: 0xa5938c,
    },
    {
      name: '\\SystemRoot\\system32\\hal.dll',
      base: 0xfffff80479440000n,
      size: 0x6000,
      timeDateStamp: 0x1a7be8e9,
      checkSum: 0xce9f,
    },
    { name: 'x', base: 0xfffff80479450000n, size: 0xb000 },
  ],
  unloadedDrivers: [
    { name: 'dam.sys', start: 0xfffff80487de0000n, end: 0xfffff80487dfc000n },
    { name: 'averyveryverylongname.sys', start: 0xfffff80479d30000n, end: 0xfffff80479d42000n },
  ],
  dataBlocks: [
    { va: 0xffff9b00021ff340n, bytes: pattern(1, 0x4d0) },
    { va: 0xfffff8047c62a390n, bytes: pattern(2, 0x10) },
    { va: 0xfffff8047c62a3a0n, bytes: pattern(3, 0x30) }, // adjacent to the previous block
    { va: 0xfffff8047c62a380n, bytes: pattern(4, 0x18) }, // overlaps the first of the two
  ],
  kdbg: { KernBase: 0xfffff8047ba00000n, PsLoadedModuleList: 0xfffff8047c62a390n, OffsetPrcbContext: 0x85c0 },
  mmInfo: { MmMaximumNonPagedPool: 0x1000000n, CommittedPages: 0x1234n },
  stack: { top: 0xffff850429890ee8n, bytes: pattern(5, 0x218) },
  prcb: pattern(6, 0x100),
  process: pattern(7, 0x80),
  thread: pattern(8, 0x80),
};

describe('reader: synthetic triage dump', () => {
  it('TRIAGE_DUMP64, drivers with names, unloaded drivers, MM info, data blocks', async () => {
    const { dump, layout } = await openSynth({ dumpType: 4, kdDebuggerDataBlock: KDBG_VA, triage });
    try {
      assert.deepEqual(dump.problems, []);
      assert.equal(dump.body.kind, 'triage');
      const t = dump.triage!;
      assert.deepEqual(t.fields, layout.triage);
      assert.equal(dump.header.miniDumpFields, 0xcff);
      if (dump.body.kind === 'triage') assert.equal(dump.body.sizeOfDump, BigInt(layout.triage!.SizeOfDump));
      assert.deepEqual(
        t.drivers.map((d) => [d.name, d.base, d.size, d.timeDateStamp, d.checkSum]),
        triage.drivers!.map((d) => [d.name, d.base, d.size, d.timeDateStamp ?? 0, d.checkSum ?? 0]),
      );
      assert.equal(t.drivers[1]!.entryOffset, BigInt(layout.triage!.DriverListOffset + 0x90));
      assert.deepEqual(t.unloadedDrivers, [
        { name: 'dam.sys', startAddress: 0xfffff80487de0000n, endAddress: 0xfffff80487dfc000n },
        { name: 'averyveryver', startAddress: 0xfffff80479d30000n, endAddress: 0xfffff80479d42000n },
      ]);
      assert.equal(t.mmInfo?.Version, 1);
      assert.equal(t.mmInfo?.CommittedPages, 0x1234n);
      assert.equal(t.dataBlocks.length, 4);
      assert.deepEqual(t.stack, {
        topOfStack: 0xffff850429890ee8n,
        offset: BigInt(layout.triage!.CallStackOffset),
        size: 0x218,
      });
      const m = await dump.modules();
      assert.equal(m.loaded, t.drivers);
      assert.equal(m.unloaded, t.unloadedDrivers);
    } finally {
      await dump.close();
    }
  });

  it('virtual reads come from data blocks, the KDBG copy and the stack; gaps are not in the dump', async () => {
    const { dump, layout } = await openSynth({ dumpType: 4, kdDebuggerDataBlock: KDBG_VA, triage });
    try {
      const ctx = await dump.readVirtual(0xffff9b00021ff340n, 0x4d0);
      assert.equal(ctx.complete, true);
      assert.deepEqual(ctx.bytes, pattern(1, 0x4d0));
      // 0x…380..0x…398 from block 3, then 0x…398..0x…3a0 from block 1, then block 2.
      const r = await dump.readVirtual(0xfffff8047c62a378n, 0x60);
      assert.deepEqual(r.status, [
        { address: 0xfffff8047c62a378n, length: 8, status: 'not-in-dump' },
        { address: 0xfffff8047c62a380n, length: 0x50, status: 'present' },
        { address: 0xfffff8047c62a3d0n, length: 8, status: 'not-in-dump' },
      ]);
      assert.deepEqual(r.bytes.subarray(8, 0x20), pattern(4, 0x18));
      assert.deepEqual(r.bytes.subarray(0x20, 0x28), pattern(2, 0x10).subarray(8));
      assert.deepEqual(r.bytes.subarray(0x28, 0x58), pattern(3, 0x30));
      const stack = await dump.readVirtual(0xffff850429890ee8n + 0x200n, 0x18);
      assert.deepEqual(stack.bytes, pattern(5, 0x218).subarray(0x200));
      const tr = await dump.translate(0xffff9b00021ff348n);
      assert.deepEqual(tr, { status: 'triage', fileOffset: BigInt(layout.triage!.DataBlocksOffset + 4 * 16) + 8n });
      assert.equal((await dump.translate(0xfffff80000000000n)).status, 'unsupported');
      const kd = await dump.kdDebuggerData();
      assert.equal(kd?.KernBase, 0xfffff8047ba00000n);
      assert.equal(kd?.OffsetPrcbContext, 0x85c0);
      const kdv = await dump.readVirtual(KDBG_VA + 0x18n, 8);
      assert.equal(new DataView(kdv.bytes.buffer).getBigUint64(0, true), 0xfffff8047ba00000n);
      assert.equal((await dump.readPhysical(0x1000n, 8)).complete, false, 'no physical memory in a triage dump');
      assert.equal(TRIAGE_DUMP64.size, 0x80);
    } finally {
      await dump.close();
    }
  });

  const broken: [string, SynthTriage['fields'], RegExp][] = [
    ['DriverCount beyond the file', { DriverCount: 0x10000000 }, /DriverCount/],
    ['DataBlocksCount beyond the file', { DataBlocksCount: 0x7fffffff }, /DataBlocksCount/],
    ['a string pool outside the file', { StringPoolOffset: 0x7ffffff0 }, /string pool/],
    ['unloaded drivers outside the file', { UnloadedDriversOffset: 0x7ffffff0 }, /UnloadedDriversOffset/],
    ['MM info outside the file', { MmOffset: 0x7ffffff0 }, /MmOffset/],
    ['SizeOfDump beyond the file', { SizeOfDump: 0x7ffffff0 }, /SizeOfDump/],
  ];
  for (const [what, fields, message] of broken) {
    it(`${what} is a problem; the rest is still read`, async () => {
      const { dump } = await openSynth({ dumpType: 4, kdDebuggerDataBlock: KDBG_VA, triage: { ...triage, fields } });
      try {
        assert.ok(
          dump.problems.some((p) => message.test(p.message)),
          JSON.stringify(dump.problems.map((p) => p.message)),
        );
        assert.ok(dump.triage !== undefined);
        // The real descriptors come first, so they are still read when the count is too big.
        assert.equal((await dump.readVirtual(0xffff9b00021ff340n, 0x10)).complete, true);
        await dump.secondaryData();
        await dump.modules();
      } finally {
        await dump.close();
      }
    });
  }

  it('modules() returns the driver-list, string-pool and unloaded-driver problems too', async () => {
    for (const [fields, message] of [
      [{ StringPoolOffset: 0x7ffffff0 }, /string pool/],
      [{ UnloadedDriversOffset: 0x7ffffff0 }, /UnloadedDriversOffset/],
      [{ DriverCount: 0x10000000 }, /DriverCount/],
    ] as const) {
      const { dump } = await openSynth({ dumpType: 4, kdDebuggerDataBlock: KDBG_VA, triage: { ...triage, fields } });
      try {
        const mods = await dump.modules();
        const p = mods.problems.find((x) => message.test(x.message));
        assert.ok(p !== undefined, `${String(message)} in ${JSON.stringify(mods.problems.map((x) => x.message))}`);
        assert.ok(dump.problems.includes(p), 'the same problem is in dump.problems');
        assert.equal(dump.problems.filter((x) => x === p).length, 1, 'not appended twice');
        assert.ok(
          !mods.problems.some((x) => /MmOffset|ValidOffset|data block/.test(x.message)),
          'only module problems',
        );
      } finally {
        await dump.close();
      }
    }
    const { dump } = await openSynth({ dumpType: 4, kdDebuggerDataBlock: KDBG_VA, triage });
    try {
      assert.deepEqual((await dump.modules()).problems, []);
    } finally {
      await dump.close();
    }
  });

  it('a hostile DriverCount (0xFFFFFFFF) in a large file is bounded by SizeOfDump and by the string pool, and reported', async () => {
    // 4 MiB of secondary data after the triage body: room for ~29000 bogus 0x90-byte entries if only the file bounded it.
    const blobs = [{ guid: '54c84888-01d1-4c1e-bed6-282c98241303' as const, data: pattern(9, 4 * 1024 * 1024) }];
    const bigBlock = { va: 0xfffff80400000000n, bytes: pattern(10, 0x10000) }; // puts SizeOfDump far after the pool
    for (const [what, dataBlocks, limitedBy] of [
      ['SizeOfDump', triage.dataBlocks!, /end of the triage dump/],
      ['the string pool', [...triage.dataBlocks!, bigBlock], /string pool .* holds names for at most/],
    ] as const) {
      const { dump, layout } = await openSynth({
        dumpType: 4,
        kdDebuggerDataBlock: KDBG_VA,
        triage: { ...triage, dataBlocks: [...dataBlocks], fields: { DriverCount: 0xffffffff } },
        blobs,
      });
      try {
        const t = layout.triage!;
        const fitBeforeEnd = Math.floor((t.SizeOfDump - t.DriverListOffset) / 0x90);
        const poolNames = Math.floor(t.StringPoolSize / 8);
        const mods = await dump.modules();
        assert.equal(mods.loaded.length, Math.min(fitBeforeEnd, poolNames), what);
        assert.ok(mods.loaded.length < 500, `${what}: ${mods.loaded.length} entries`);
        assert.deepEqual(
          mods.loaded.slice(0, 3).map((m) => m.name),
          triage.drivers!.map((d) => d.name),
        );
        assert.ok(
          mods.problems.some(
            (p) =>
              p.structure === 'DUMP_DRIVER_ENTRY64' &&
              /DriverCount 4294967295/.test(p.message) &&
              limitedBy.test(p.message),
          ),
          `${what}: ${JSON.stringify(mods.problems.map((p) => p.message))}`,
        );
        assert.equal((await dump.secondaryData()).blobs.length, 1);
      } finally {
        await dump.close();
      }
    }
  });

  it('a driver name offset outside the pool gives an empty name and a warning', async () => {
    const { bytes, layout } = await import('../../synth/index.js').then((s) => s.buildDump({ dumpType: 4, triage }));
    new DataView(bytes.buffer).setUint32(layout.triage!.DriverListOffset + 0x90, 0x10, true);
    const { writeTemp } = await import('./helpers.js');
    const { openDump } = await import('../../../src/dump/reader/index.js');
    const dump = await openDump(await writeTemp(bytes));
    try {
      assert.equal(dump.triage!.drivers[1]!.name, '');
      assert.equal(dump.triage!.drivers[0]!.name, triage.drivers![0]!.name);
      assert.ok(dump.problems.some((p) => p.structure === 'TRIAGE_STRING' && p.severity === 'warning'));
    } finally {
      await dump.close();
    }
  });
});
