import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DUMP_HEADER64, dumpTypeName } from '../../../src/format/index.js';
import { SYNTH_DEFAULTS, SynthMemory } from '../../synth/index.js';
import { buildKernelMemory, kernelSpec, openSynth, pattern } from './helpers.js';

const kernel = buildKernelMemory();

describe('reader: synthetic dumps read back', () => {
  for (const dumpType of [1, 5, 6]) {
    it(`DumpType ${dumpType}: header, context, exception, body and every physical page`, async () => {
      const spec = kernelSpec(kernel, dumpType, {
        bugCheckCode: 0xe2,
        bugCheckParameters: [1n, 2n, 3n, 0xfffff80000201234n],
        context: { Rip: 0xfffff80000201234n, Rsp: 0xffff850429890ee8n, Rax: 0x1122334455667788n },
        exception: { ExceptionCode: 0x80000003, ExceptionAddress: 0xfffff8047bdf5a80n },
        header: { Comment: new Uint8Array(Buffer.from('synthetic dump\0')) },
      });
      const { dump, layout } = await openSynth(spec);
      try {
        assert.deepEqual(dump.problems, []);
        assert.equal(dump.dumpType, dumpType);
        assert.equal(dump.dumpTypeName, dumpTypeName(dumpType));
        assert.deepEqual(dump.machine, { type: 0x8664, name: 'AMD64' });
        const h = dump.header;
        assert.equal(h.is64, true);
        assert.equal(h.majorVersion, 0xf);
        assert.equal(h.minorVersion, SYNTH_DEFAULTS.buildNumber);
        assert.equal(h.directoryTableBase, 0x1ad002n);
        assert.equal(h.bugCheckCode, 0xe2);
        assert.deepEqual(h.bugCheckParameters, [1n, 2n, 3n, 0xfffff80000201234n]);
        assert.equal(h.kdDebuggerDataBlock, kernel.kdbg);
        assert.equal(h.psLoadedModuleList, kernel.moduleList.head);
        assert.equal(h.requiredDumpSpace, layout.fileSize);
        assert.equal(h.comment, 'synthetic dump');
        assert.equal(h.productType, 1);
        assert.equal(h.suiteMask, 0x110);
        assert.equal(h.bootId, 0x45474150, 'unwritten BootId keeps the PAGE filler');
        assert.equal(dump.context?.Rip, 0xfffff80000201234n);
        assert.equal(dump.context?.Rax, 0x1122334455667788n);
        assert.equal(dump.context?.ContextFlags, 0x10001f);
        assert.equal(dump.context?.FltSave.MxCsr, 0x1f80);
        assert.equal(dump.exception?.ExceptionCode, 0x80000003);
        assert.equal(dump.exception?.ExceptionAddress, 0xfffff8047bdf5a80n);

        if (dumpType === 1) {
          assert.equal(dump.body.kind, 'full');
          if (dump.body.kind === 'full') {
            assert.deepEqual(dump.body.runs, kernel.memory.presentRanges());
            assert.equal(dump.body.numberOfPages, layout.presentPages);
            assert.equal(dump.body.firstPageOffset, 0x2000n);
            assert.equal(dump.body.end, layout.bodyEnd);
          }
        } else {
          assert.equal(dump.body.kind, 'bitmap');
          if (dump.body.kind === 'bitmap') {
            assert.equal(dump.body.signature, dumpType === 5 ? 'FDMP' : 'SDMP');
            assert.equal(dump.body.pages, layout.presentPages);
            assert.equal(dump.body.firstPageOffset, layout.firstPageOffset);
            assert.equal(dump.body.bitmapSize % 32n, 0n);
            assert.equal(dump.body.end, layout.bodyEnd);
          }
        }

        const listed: bigint[] = [];
        for await (const p of dump.physicalPages()) {
          listed.push(p.pfn);
          assert.equal(p.fileOffset, layout.pageOffset(p.pfn));
        }
        const expected = kernel.memory
          .presentRanges()
          .flatMap((r) => Array.from({ length: Number(r.pageCount) }, (_, i) => r.basePage + BigInt(i)));
        assert.deepEqual(listed, expected);
        for (const [pfn, bytes] of kernel.memory.pages) {
          const r = await dump.readPhysical(pfn << 12n, 0x1000);
          assert.equal(r.complete, true);
          assert.deepEqual(r.bytes, bytes, `page ${pfn.toString(16)}`);
        }
      } finally {
        await dump.close();
      }
    });
  }

  it('physical reads across present and absent pages report each range', async () => {
    const memory = new SynthMemory();
    memory.write(0x10000n, pattern(10, 0x2000)); // PFNs 0x10, 0x11
    memory.write(0x13000n, pattern(11)); // PFN 0x13; 0x12 absent
    for (const dumpType of [1, 5]) {
      const { dump } = await openSynth({ dumpType, memory });
      try {
        const r = await dump.readPhysical(0x10800n, 0x3000);
        assert.deepEqual(r.status, [
          { address: 0x10800n, length: 0x1800, status: 'present' },
          { address: 0x12000n, length: 0x1000, status: 'not-in-dump' },
          { address: 0x13000n, length: 0x800, status: 'present' },
        ]);
        assert.equal(r.complete, false);
        assert.deepEqual(r.bytes.subarray(0, 0x1800), pattern(10, 0x2000).subarray(0x800));
        assert.deepEqual(r.bytes.subarray(0x1800, 0x2800), new Uint8Array(0x1000));
        assert.deepEqual(r.bytes.subarray(0x2800), pattern(11).subarray(0, 0x800));
        // A large read of contiguous pages is served in one go and still matches page by page.
        const big = await dump.readPhysical(0x10000n, 0x2000);
        assert.deepEqual(big.bytes, pattern(10, 0x2000));
        const beyond = await dump.readPhysical(0xffff_ffff_f000n, 0x1000);
        assert.deepEqual(beyond.status, [{ address: 0xffff_ffff_f000n, length: 0x1000, status: 'not-in-dump' }]);
      } finally {
        await dump.close();
      }
    }
  });

  it('runs stored out of PFN order map each PFN to its run (prefix sums in file order)', async () => {
    const memory = new SynthMemory();
    memory.write(0x50000n, pattern(20));
    memory.write(0x20000n, pattern(21, 0x2000));
    const runs = [
      { basePage: 0x50n, pageCount: 1n },
      { basePage: 0x20n, pageCount: 2n },
    ];
    const { dump, layout } = await openSynth({ dumpType: 1, memory, runs });
    try {
      assert.equal(layout.pageOffset(0x20n), 0x3000n);
      assert.deepEqual((await dump.readPhysical(0x20000n, 0x2000)).bytes, pattern(21, 0x2000));
      assert.deepEqual((await dump.readPhysical(0x50000n, 0x1000)).bytes, pattern(20));
      const pfns: bigint[] = [];
      for await (const p of dump.physicalPages()) pfns.push(p.pfn);
      assert.deepEqual(pfns, [0x20n, 0x21n, 0x50n]);
    } finally {
      await dump.close();
    }
  });

  it('a 32-bit header is read as far as the header goes, with its secondary data', async () => {
    const memory = new SynthMemory();
    memory.write(0x5000n, pattern(30));
    const { dump, layout } = await openSynth({
      dumpType: 1,
      is32: true,
      memory,
      bugCheckCode: 0xd1,
      bugCheckParameters: [0x10n, 2n, 0n, 0x82a7e123n],
      blobs: [{ guid: '11111111-2222-3333-4444-555555555555', data: pattern(31, 40) }],
    });
    try {
      assert.equal(dump.header.is64, false);
      assert.equal(dump.header.validDump, 0x504d5544);
      assert.equal(dump.header.machineImageType, 0x14c);
      assert.equal(dump.machine.name, 'I386');
      assert.equal(dump.header.bugCheckCode, 0xd1);
      assert.deepEqual(dump.header.bugCheckParameters, [0x10n, 2n, 0n, 0x82a7e123n]);
      assert.equal(dump.header.directoryTableBase, 0x185000n);
      assert.equal(dump.header.dumpType, 1);
      assert.equal(dump.context, undefined);
      assert.equal(dump.exception?.ExceptionCode, 0x80000003);
      assert.equal(dump.exception?.ExceptionAddress, 0x82a7e000n);
      assert.equal(dump.body.kind, 'none');
      assert.ok(dump.problems.some((p) => p.code === 'E_DUMP_UNSUPPORTED' && p.severity === 'warning'));
      const scan = await dump.secondaryData();
      assert.equal(scan.areaOffset, layout.blobAreaOffset);
      assert.equal(scan.areaOffset, 0x2000n, '0x1000 header + one page');
      assert.equal(scan.blobs.length, 1);
      assert.deepEqual(await dump.readBlob(scan.blobs[0]!), pattern(31, 40));
      assert.equal(scan.endsAtEof, true);
      assert.equal((await dump.translate(0x82a7e000n)).status, 'unsupported');
      const v = await dump.readVirtual(0x82a7e000n, 16);
      assert.deepEqual(v.status, [{ address: 0x82a7e000n, length: 16, status: 'not-in-dump' }]);
    } finally {
      await dump.close();
    }
  });

  for (const dumpType of [2, 3, 0x42]) {
    it(`DumpType ${dumpType.toString(16)}: header and secondary data still read`, async () => {
      const { dump } = await openSynth({
        dumpType,
        blobs: [{ guid: '11111111-2222-3333-4444-555555555555', data: pattern(40, 9) }],
      });
      try {
        assert.equal(dump.dumpType, dumpType);
        assert.equal(dump.body.kind, 'none');
        if (dumpType !== 3)
          assert.ok(
            dump.problems.some((p) => p.code === 'E_DUMP_UNSUPPORTED'),
            JSON.stringify(dump.problems, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString(16) : v)),
          );
        assert.equal(dump.context?.Rip, SYNTH_DEFAULTS.bugCheckParameters[1]);
        const scan = await dump.secondaryData();
        assert.equal(scan.areaOffset, BigInt(DUMP_HEADER64.size));
        assert.deepEqual(await dump.readBlob(scan.blobs[0]!), pattern(40, 9));
        const r = await dump.readPhysical(0n, 8);
        assert.equal(r.complete, false);
      } finally {
        await dump.close();
      }
    });
  }

  it('an unknown machine type is a problem, not a failure', async () => {
    const { dump } = await openSynth({
      dumpType: 5,
      // IA-64: neither AMD64 nor ARM64 (whose translation has its own tests, test/dump/reader/arm64.test.ts).
      machineImageType: 0x0200,
      memory: kernel.memory,
      directoryTableBase: 0x1ad000n,
    });
    try {
      assert.match(dump.machine.name, /^unknown/);
      assert.equal(dump.context, undefined);
      assert.ok(dump.problems.some((p) => p.code === 'E_DUMP_UNSUPPORTED'));
      assert.equal((await dump.translate(0xfffff80000201000n)).status, 'unsupported');
      assert.equal((await dump.readPhysical(0x3000000n, 16)).complete, true, 'physical memory is still readable');
    } finally {
      await dump.close();
    }
  });

  it('a small page cache still gives the same bytes (eviction)', async () => {
    const { dump } = await openSynth(kernelSpec(kernel, 5), { pageCacheSize: 1 });
    try {
      for (let round = 0; round < 2; round++) {
        for (const [pfn, bytes] of kernel.memory.pages)
          assert.deepEqual((await dump.readPhysical(pfn << 12n, 0x1000)).bytes, bytes);
      }
      assert.ok(dump.cacheStats.pages <= 1);
    } finally {
      await dump.close();
    }
  });
});
