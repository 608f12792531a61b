/**
 * Issue #8 on the reader: every cost is bounded by what a command reads, not
 * by what a field claims. The work done is measured as file bytes read
 * (cacheStats.fileBytesRead) and objects/problems made, never as time.
 */
import assert from 'node:assert/strict';
import { open, truncate } from 'node:fs/promises';
import { describe, it } from 'node:test';
import {
  BytesDumpSource,
  openDump,
  openDumpSource,
  type CrashDump,
  type DumpSource,
} from '../../../src/dump/reader/index.js';
import { MAX_DATA_BLOCKS } from '../../../src/dump/reader/triage.js';
import { MAX_LISTED_PROBLEMS } from '../../../src/dump/reader/problemCap.js';
import {
  BITMAP_DUMP_BITMAP_OFFSET,
  DUMP_HEADER64,
  DUMP_HEADER64_SIZE,
  KLDR_DATA_TABLE_ENTRY,
  LIST_ENTRY64,
  TRIAGE_DUMP64,
  UNICODE_STRING64,
} from '../../../src/format/index.js';
import { SynthMemory, buildDump, writeDumpFile } from '../../synth/index.js';
import { PA, VA, buildKernelMemory, kernelSpec, pattern, tempPath, writeTemp } from './helpers.js';

const MiB = 1024 * 1024;
const DUMP_TYPE_AT = DUMP_HEADER64.offsets.DumpType;

async function patchU32(path: string, at: number, value: number): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value, true);
    await fh.write(b, 0, 4, at);
  } finally {
    await fh.close();
  }
}

async function patchU64(path: string, at: number, value: bigint): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, value, true);
    await fh.write(b, 0, 8, at);
  } finally {
    await fh.close();
  }
}

async function withDump<T>(path: string, work: (d: CrashDump) => Promise<T>): Promise<T> {
  const dump = await openDump(path);
  try {
    return await work(dump);
  } finally {
    await dump.close();
  }
}

/** Kernel memory plus one page far up (PFN 0xC00000, at 48 GiB): its bitmap is 1.6 MiB, over the eager limit. */
function bigBitmapSpec(k: ReturnType<typeof buildKernelMemory>, extra: Parameters<typeof kernelSpec>[2] = {}) {
  k.memory.write(0xc00000n << 12n, pattern(42));
  return kernelSpec(k, 5, { bitmap: { bits: 0xc80000n }, ...extra });
}

describe('reader: bounded cost on huge or hostile dumps (#8)', () => {
  it('a bitmap over 1 MiB is not read at open; the index is built on first use and reads the same memory', async () => {
    const k = buildKernelMemory();
    const big = buildDump(bigBitmapSpec(k));
    const small = buildDump(kernelSpec(k, 5));
    const bigPath = await writeTemp(big.bytes);
    const smallPath = await writeTemp(small.bytes);
    const eager = await openDump(smallPath);
    for (const dump of [await openDump(bigPath), await openDumpSource({ ...asyncOnly(big.bytes), name: 'async' })]) {
      try {
        assert.ok(dump.cacheStats.fileBytesRead < 64 * 1024, `open read ${dump.cacheStats.fileBytesRead} bytes`);
        assert.deepEqual(dump.problems, []);
        for (const va of [VA.small, VA.large2m + 0x5000n, VA.large1g + 0x1234000n, VA.heap, VA.smallNotInDump]) {
          const a = await dump.readVirtual(va, 0x1800);
          const b = await eager.readVirtual(va, 0x1800);
          assert.deepEqual(a, b);
        }
        assert.deepEqual(await dump.modules(), await eager.modules());
        assert.deepEqual((await dump.readPhysical(0xc00000n << 12n, 0x1000)).bytes, pattern(42));
        const pfns: bigint[] = [];
        for await (const p of dump.physicalPages()) pfns.push(p.pfn);
        const eagerPfns: bigint[] = [];
        for await (const p of eager.physicalPages()) eagerPfns.push(p.pfn);
        assert.deepEqual(pfns, eagerPfns);
        assert.equal(pfns[pfns.length - 1], 0xc00000n);
        assert.ok(dump.cacheStats.fileBytesRead > 1.5 * MiB, 'the bitmap was read once it was needed');
      } finally {
        await dump.close();
      }
    }
    await eager.close();
  });

  it("a big bitmap's Pages mismatch is reported when the index is built", async () => {
    const k = buildKernelMemory();
    const { bytes } = buildDump(bigBitmapSpec(k, { bitmap: { bits: 0xc80000n, pagesField: 7n } }));
    await withDump(await writeTemp(bytes), async (dump) => {
      assert.ok(!dump.problems.some((p) => /Pages is 0x7/.test(p.message)));
      await dump.readPhysical(PA.small, 8);
      assert.ok(dump.problems.some((p) => /Pages is 0x7 but the bitmap has/.test(p.message)));
    });
  });

  for (const withBlobs of [true, false]) {
    it(`a bitmap at the 256 MiB limit (${withBlobs ? 'with' : 'without'} secondary data): opening reads nothing of it, the index streams it once`, async () => {
      const memory = new SynthMemory().addZeroRange(0n, 0x100n);
      memory.write(0x1000n, pattern(1));
      const path = await tempPath('bitmap256');
      const blobs = withBlobs ? [{ guid: '11111111-2222-3333-4444-555555555555' as const, data: pattern(2, 8) }] : [];
      await writeDumpFile({ dumpType: 6, memory, blobs }, path);
      const bitmapBytes = 256 * MiB;
      // BitmapSize 2^31 bits; the file grows (sparse) to hold the bitmap it claims.
      await patchU64(path, DUMP_HEADER64_SIZE + 0x30, BigInt(bitmapBytes) * 8n);
      await truncate(path, DUMP_HEADER64_SIZE + BITMAP_DUMP_BITMAP_OFFSET + bitmapBytes + 0x1000);
      await withDump(path, async (dump) => {
        assert.equal(dump.body.kind, 'bitmap');
        assert.ok(dump.cacheStats.fileBytesRead < 64 * 1024, `open read ${dump.cacheStats.fileBytesRead}`);
        const scan = await dump.secondaryData();
        // Where Pages says the body ends holds the blobs; only without them is the bitmap's own count needed.
        if (withBlobs) {
          assert.equal(scan.blobs.length, 1);
          assert.ok(dump.cacheStats.fileBytesRead < MiB, `secondary data read ${dump.cacheStats.fileBytesRead}`);
        }
        await dump.readPhysical(0x1000n, 0x10);
        const streamed = dump.cacheStats.fileBytesRead;
        assert.ok(streamed >= bitmapBytes && streamed < bitmapBytes + 4 * MiB, `index build read ${streamed}`);
        await dump.readPhysical(0x2000n, 0x10);
        await dump.readVirtual(0xfffff80000000000n, 0x10);
        assert.ok(dump.cacheStats.fileBytesRead - streamed < MiB, 'the bitmap is not streamed again');
      });
    });
  }

  it('DumpType flipped to 4 on a kernel dump: bounded problems and data blocks, no exception', async () => {
    const k = buildKernelMemory();
    const { bytes } = buildDump(kernelSpec(k, 5));
    new DataView(bytes.buffer).setUint32(DUMP_TYPE_AT, 4, true);
    await withDump(await writeTemp(bytes), async (dump) => {
      assert.equal(dump.body.kind, 'triage');
      assert.ok(dump.problems.length < 100, `${dump.problems.length} problems`);
      assert.ok(dump.triage!.dataBlocks.length <= MAX_DATA_BLOCKS);
      await dump.modules();
      await dump.kdDebuggerData();
      await dump.secondaryData();
      await dump.readVirtual(VA.small, 0x100);
    });
  });

  it('a triage dump claiming 4,194,304 data blocks in a 40 MB file reads at most MAX_DATA_BLOCKS of them', async () => {
    const path = await tempPath('blocks');
    const fileSize = 40 * 1000 * 1000;
    const layout = await writeDumpFile(
      {
        dumpType: 4,
        triage: {
          dataBlocks: [{ va: 0xfffff80000001000n, bytes: pattern(3, 0x40) }],
          fields: { DataBlocksCount: 4_194_304, DataBlocksOffset: 0x10000 },
        },
      },
      path,
    );
    await truncate(path, Math.max(fileSize, Number(layout.fileSize)));
    await withDump(path, async (dump) => {
      assert.equal(dump.triage!.dataBlocks.length, MAX_DATA_BLOCKS, 'zero descriptors are (empty) blocks');
      assert.ok(dump.problems.some((p) => /more than the reader's limit of 65536 data blocks/.test(p.message)));
      assert.ok(dump.problems.length < 50);
      assert.ok(dump.cacheStats.fileBytesRead < 2 * MiB, `open read ${dump.cacheStats.fileBytesRead} bytes`);
    });
  });

  it('data blocks outside the file: the first 16 are listed, the rest counted in one problem', async () => {
    const blocks = Array.from({ length: 100 }, (_, i) => ({
      va: 0xfffff80000001000n + BigInt(i) * 0x100n,
      bytes: pattern(i + 1, 0x10),
    }));
    const { bytes, layout } = buildDump({ dumpType: 4, triage: { dataBlocks: blocks } });
    const table = layout.triage!.DataBlocksOffset;
    for (let i = 0; i < 100; i++) new DataView(bytes.buffer).setUint32(table + i * 16 + 8, 0x7fff0000, true);
    await withDump(await writeTemp(bytes), async (dump) => {
      const outside = dump.problems.filter((p) => p.structure === 'TRIAGE_DATA_BLOCK64');
      assert.equal(outside.length, MAX_LISTED_PROBLEMS + 1);
      assert.match(outside[MAX_LISTED_PROBLEMS]!.message, /… and 84 more data blocks that lie outside the file/);
      assert.equal(outside[MAX_LISTED_PROBLEMS]!.offset, BigInt(table + MAX_LISTED_PROBLEMS * 16));
      assert.equal(dump.triage!.dataBlocks.length, 0);
    });
  });

  it('a 10 GiB sparse complete dump re-typed as triage: opening and secondary data read a few MiB at most', async () => {
    const memory = new SynthMemory().addZeroRange(0n, 10n * 262144n);
    const path = await tempPath('tengig');
    await writeDumpFile({ dumpType: 1, memory }, path);
    await patchU32(path, DUMP_TYPE_AT, 4);
    await withDump(path, async (dump) => {
      await dump.secondaryData();
      await dump.modules();
      assert.ok(dump.cacheStats.fileBytesRead < 4 * MiB, `read ${dump.cacheStats.fileBytesRead} bytes`);
      assert.ok(dump.problems.length < 100);
      assert.ok(dump.triage!.dataBlocks.length <= MAX_DATA_BLOCKS);
    });
    // The same file as a complete dump: open reads the header only.
    await patchU32(path, DUMP_TYPE_AT, 1);
    await withDump(path, async (dump) => {
      assert.ok(dump.cacheStats.fileBytesRead <= DUMP_HEADER64_SIZE + TRIAGE_DUMP64.size);
    });
  });
});

describe('reader: addresses near 2^64 from the dump are problems, not exceptions (#8 B3)', () => {
  const TOP = 0xfffffffffffffff8n;

  it('PsLoadedModuleList and KdDebuggerDataBlock near 2^64', async () => {
    const k = buildKernelMemory();
    const { bytes } = buildDump(
      kernelSpec(k, 5, { psLoadedModuleList: TOP, kdDebuggerDataBlock: 0xfffffffffffffff0n }),
    );
    await withDump(await writeTemp(bytes), async (dump) => {
      const m = await dump.modules();
      assert.deepEqual(m.loaded, []);
      const p = m.problems.find((x) => x.code === 'E_DUMP_MODULE_LIST')!;
      assert.equal(p.offset, TOP);
      assert.equal(p.structure, 'KLDR_DATA_TABLE_ENTRY');
      assert.match(p.message, /PsLoadedModuleList at 0xFFFFFFFFFFFFFFF8 is not readable/i);
      assert.equal(await dump.kdDebuggerData(), undefined);
      const kd = dump.problems.find((x) => x.code === 'E_DUMP_KDBG')!;
      assert.equal(kd.structure, 'KDDEBUGGER_DATA64');
      assert.equal(kd.offset, 0xfffffffffffffff0n);
      // The caller's own read past 2^64 is still an argument error.
      await assert.rejects(dump.readVirtual(TOP, 0x10), { code: 'E_DUMP_ARGUMENT' });
    });
  });

  it('a module Flink and FullDllName.Buffer near 2^64', async () => {
    const k = buildKernelMemory();
    const [first, second] = k.moduleList.entries;
    const at = (entry: bigint, field: keyof typeof KLDR_DATA_TABLE_ENTRY.offsets) =>
      entry + BigInt(KLDR_DATA_TABLE_ENTRY.offsets[field]);
    k.heap.write(
      at(first!, 'FullDllName'),
      UNICODE_STRING64.encode({ Length: 0x20, MaximumLength: 0x22, Buffer: 0xfffffffffffffffen }),
    );
    k.heap.write(
      at(first!, 'BaseDllName'),
      UNICODE_STRING64.encode({ Length: 0x20, MaximumLength: 0x22, Buffer: TOP }),
    );
    k.heap.write(second!, LIST_ENTRY64.encode({ Flink: TOP, Blink: first! }));
    const { bytes } = buildDump(kernelSpec(k, 1));
    await withDump(await writeTemp(bytes), async (dump) => {
      const m = await dump.modules();
      assert.deepEqual(
        m.loaded.map((x) => x.name),
        ['', '\\SystemRoot\\system32\\hal.dll'],
      );
      assert.ok(m.problems.some((p) => p.offset === first && /its name is not in the dump/.test(p.message)));
      assert.ok(
        m.problems.some(
          (p) => p.offset === TOP && /module entry at 0xFFFFFFFFFFFFFFF8 is not readable/i.test(p.message),
        ),
      );
    });
  });
});

/** A source with asynchronous reads only (a Blob's shape), over bytes in memory. */
function asyncOnly(bytes: Uint8Array): DumpSource {
  const inner = new BytesDumpSource(bytes);
  return { size: inner.size, name: 'async', read: async (t, o, l, p) => inner.readSync(t, o, l, p) };
}
