import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import {
  BlobDumpSource,
  BytesDumpSource,
  DumpError,
  openDump,
  openDumpSource,
  type CrashDump,
  type DumpSource,
  type OpenDumpOptions,
} from '../../../src/dump/reader/index.js';
import { PageTableBuilder, SynthMemory, buildDump } from '../../synth/index.js';
import { requireGenuineDump } from '../../genuineDump.js';
import { PA, VA, buildKernelMemory, kernelSpec, pattern, writeTemp } from './helpers.js';

/** A source with asynchronous reads only, as a Blob is: every miss goes through PendingRead. */
class AsyncOnlySource implements DumpSource {
  reads = 0;
  constructor(private readonly inner: BytesDumpSource) {}
  get size(): number {
    return this.inner.size;
  }
  get name(): string {
    return 'async-only';
  }
  async read(target: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    this.reads++;
    await new Promise((resolve) => setImmediate(resolve));
    return this.inner.readSync(target, offset, length, position);
  }
}

const kernel = buildKernelMemory();
const blobs = [
  { guid: '11111111-2222-3333-4444-555555555555', data: pattern(7, 0x2345) },
  { guid: '54c84888-01d1-4c1e-bed6-282c98241303', data: pattern(8, 3) },
];
const VAS = [
  VA.small,
  VA.small + 0xff8n, // crosses into the next page (not in the dump)
  VA.smallNotInDump,
  VA.large2m + 0x5000n,
  VA.large2m + 0x4ff0n,
  VA.large1g + 0x1234000n,
  VA.unmapped,
  VA.tableNotInDump,
  VA.loopPde,
  VA.transition,
  VA.heap,
  0x0000_8000_0000_0000n, // non-canonical
];

/** Everything a dump shows through its public API, as one comparable value. */
async function fingerprint(dump: CrashDump): Promise<unknown> {
  const out: Record<string, unknown> = {
    header: dump.header,
    body: dump.body,
    triage: dump.triage,
    problemsAtOpen: dump.problems.map((p) => p.message),
  };
  const reads: unknown[] = [];
  for (const va of VAS) {
    reads.push(await dump.translate(va));
    reads.push(await dump.readVirtual(va, 0x30));
    reads.push(await dump.readVirtual(va & ~0xfffn, 0x1000));
  }
  reads.push(await dump.readVirtual(VA.large2m, 0x20_0000 + 0x10));
  reads.push(await dump.readVirtual(VA.user, 0x10, { directoryTableBase: kernel.userDtb }));
  for (const pa of [PA.small - 0x10n, PA.large2mPresentPage, PA.large1gPresentPage, 0x1000n, 0x1ad000n])
    reads.push(await dump.readPhysical(pa, 0x2010));
  reads.push(await dump.readPhysical(0n, 0x50_0000));
  out.reads = reads;
  const pages: bigint[] = [];
  for await (const p of dump.physicalPages()) pages.push(p.pfn, p.fileOffset);
  out.pages = pages;
  out.modules = await dump.modules();
  out.kdbg = await dump.kdDebuggerData();
  const scan = await dump.secondaryData();
  out.secondary = scan;
  out.blobs = await Promise.all(scan.blobs.map((b) => dump.readBlob(b)));
  out.problems = dump.problems.map((p) => p.message);
  return out;
}

async function openEach(
  bytes: Uint8Array,
  options?: OpenDumpOptions,
): Promise<{ name: string; dump: CrashDump; source?: AsyncOnlySource }[]> {
  const path = await writeTemp(bytes);
  const asyncOnly = new AsyncOnlySource(new BytesDumpSource(bytes));
  return [
    { name: 'file', dump: await openDump(path, options) },
    { name: 'bytes', dump: await openDumpSource(new BytesDumpSource(bytes), options) },
    { name: 'blob', dump: await openDumpSource(new BlobDumpSource(new Blob([bytes]), 'x.dmp'), options) },
    { name: 'async-only', dump: await openDumpSource(asyncOnly, options), source: asyncOnly },
  ];
}

describe('reader: one reader over every DumpSource', () => {
  for (const dumpType of [1, 5, 6]) {
    for (const pageCacheSize of [undefined, 0, 1]) {
      it(`DumpType ${dumpType}, pageCacheSize ${pageCacheSize ?? 'default'}: file, bytes, Blob and an async-only source read the same`, async () => {
        const { bytes } = buildDump(kernelSpec(kernel, dumpType, { blobs }));
        const opened = await openEach(bytes, pageCacheSize === undefined ? {} : { pageCacheSize });
        try {
          const [first, ...rest] = await Promise.all(opened.map((o) => fingerprint(o.dump)));
          for (const [i, other] of rest.entries()) assert.deepEqual(other, first, opened[i + 1]!.name);
          assert.equal(opened[2]!.dump.path, 'x.dmp');
          assert.ok(opened[3]!.source!.reads > 0);
        } finally {
          for (const o of opened) await o.dump.close();
        }
      });
    }
  }

  it('the genuine triage dump reads the same from a Blob', async (t) => {
    const path = requireGenuineDump(t);
    if (path === undefined) return;
    const raw = new Uint8Array(await readFile(path));
    const file = await openDump(path);
    const blob = await openDumpSource(new BlobDumpSource(new Blob([raw])));
    try {
      assert.deepEqual(blob.triage, file.triage);
      assert.deepEqual(await blob.modules(), await file.modules());
      assert.deepEqual(await blob.kdDebuggerData(), await file.kdDebuggerData());
      const va = file.triage!.dataBlocks[0]!.virtualAddress;
      assert.deepEqual(await blob.readVirtual(va, 0x100), await file.readVirtual(va, 0x100));
      assert.deepEqual(await blob.secondaryData(), await file.secondaryData());
    } finally {
      await file.close();
      await blob.close();
    }
  });

  it('concurrent reads on an async-only source with a one-page cache do not mix pages', async () => {
    const { bytes } = buildDump(kernelSpec(kernel, 5));
    const path = await writeTemp(bytes);
    const file = await openDump(path);
    const dump = await openDumpSource(new AsyncOnlySource(new BytesDumpSource(bytes)), { pageCacheSize: 1 });
    try {
      const vas = [VA.small, VA.large2m + 0x5000n, VA.large1g + 0x1234000n, VA.heap, VA.transition];
      const many = Array.from({ length: 40 }, (_, i) => vas[i % vas.length]!);
      const got = await Promise.all(many.map((va) => dump.readVirtual(va, 0x1000)));
      for (const [i, va] of many.entries()) assert.deepEqual(got[i], await file.readVirtual(va, 0x1000));
    } finally {
      await dump.close();
      await file.close();
    }
  });

  it('a source that fails reads gives E_DUMP_READ; one that ends early gives E_DUMP_TRUNCATED', async () => {
    const { bytes } = buildDump(kernelSpec(kernel, 5));
    const failing: DumpSource = {
      size: bytes.length,
      name: 'failing',
      read: async (target, offset, length, position) => {
        if (position >= 0x4000) throw new Error('device gone');
        return new BytesDumpSource(bytes).readSync(target, offset, length, position);
      },
    };
    const dump = await openDumpSource(failing);
    await assert.rejects(dump.readPhysical(PA.small, 8), (e: unknown) => {
      assert.ok(e instanceof DumpError);
      assert.equal(e.code, 'E_DUMP_READ');
      assert.match(e.message, /device gone/);
      return true;
    });
    // Claims more bytes than it delivers: the read past its real end comes back empty.
    const inner = new BytesDumpSource(bytes);
    const cut = await openDumpSource({
      size: bytes.length + 0x10000,
      name: 'short',
      read: async (t, o, l, p) => inner.readSync(t, o, l, p),
    });
    await assert.rejects(cut.readRaw(BigInt(bytes.length), 16), { code: 'E_DUMP_TRUNCATED' });
    await dump.close();
    await cut.close();
  });

  it('an engine failure (a blown stack, a refused allocation) is not dressed up as a bad dump; a bounds RangeError is', async () => {
    const { bytes } = buildDump(kernelSpec(kernel, 5));
    const throwing = (error: RangeError): DumpSource => ({
      size: bytes.length,
      name: 'throwing',
      read: async (target, offset, length, position) => {
        if (position >= 0x4000) throw error;
        return new BytesDumpSource(bytes).readSync(target, offset, length, position);
      },
    });
    const overflow = await openDumpSource(throwing(new RangeError('Maximum call stack size exceeded')));
    await assert.rejects(overflow.readPhysical(PA.small, 8), (e: unknown) => {
      assert.ok(!(e instanceof DumpError), 'the RangeError itself, not a typed error');
      assert.ok(e instanceof RangeError);
      assert.match(e.message, /Maximum call stack/);
      return true;
    });
    const refused = await openDumpSource(throwing(new RangeError('Array buffer allocation failed')));
    await assert.rejects(refused.readPhysical(PA.small, 8), RangeError);
    const bounds = await openDumpSource(throwing(new RangeError('Offset is outside the bounds of the DataView')));
    await assert.rejects(bounds.readPhysical(PA.small, 8), { code: 'E_DUMP_READ' });
    await Promise.all([overflow.close(), refused.close(), bounds.close()]);
  });

  it('a source with a bad size is E_DUMP_ARGUMENT; an empty one E_DUMP_EMPTY', async () => {
    await assert.rejects(openDumpSource({ size: -1, name: 'bad', read: async () => 0 }), {
      code: 'E_DUMP_ARGUMENT',
    });
    await assert.rejects(openDumpSource(new BytesDumpSource(new Uint8Array(0))), { code: 'E_DUMP_EMPTY' });
  });
});

describe('reader: readVirtualInto, readPhysicalInto and physicalChunks', () => {
  it('read*Into give readVirtual/readPhysical bytes in the caller buffer, absent bytes zeroed', async () => {
    const { bytes } = buildDump(kernelSpec(kernel, 5));
    for (const dump of [
      await openDump(await writeTemp(bytes)),
      await openDumpSource(new AsyncOnlySource(new BytesDumpSource(bytes))),
    ]) {
      try {
        for (const va of VAS) {
          const target = new Uint8Array(0x1100).fill(0xcc);
          const into = await dump.readVirtualInto(va, target.subarray(0x40, 0x1040));
          const plain = await dump.readVirtual(va, 0x1000);
          assert.deepEqual(target.subarray(0x40, 0x1040), plain.bytes);
          assert.deepEqual(into, { address: plain.address, status: plain.status, complete: plain.complete });
          assert.ok(
            target.subarray(0, 0x40).every((b) => b === 0xcc) && target.subarray(0x1040).every((b) => b === 0xcc),
          );
        }
        const target = new Uint8Array(0x3000).fill(0xcc);
        const into = await dump.readPhysicalInto(PA.small - 0x1000n, target);
        const plain = await dump.readPhysical(PA.small - 0x1000n, 0x3000);
        assert.deepEqual(target, plain.bytes);
        assert.deepEqual(into.status, plain.status);
        await assert.rejects(dump.readVirtualInto(VA.small, 'x' as unknown as Uint8Array), { code: 'E_DUMP_ARGUMENT' });
        await assert.rejects(dump.readPhysicalInto(-1n, target), { code: 'E_DUMP_ARGUMENT' });
      } finally {
        await dump.close();
      }
    }
  });

  it('readVirtual { shared: true } gives the same bytes and statuses; a hot page is a view of the cache, valid until the next call', async () => {
    const { bytes } = buildDump(kernelSpec(kernel, 5));
    for (const dump of [
      await openDump(await writeTemp(bytes)),
      await openDumpSource(new AsyncOnlySource(new BytesDumpSource(bytes))),
    ]) {
      try {
        for (const va of VAS) {
          for (const length of [0, 0x30, 0x1000, 0x2010, 0x1_0010]) {
            const plain = await dump.readVirtual(va, length);
            // Read three times so the page is admitted to the data cache and served from it.
            for (let k = 0; k < 3; k++) {
              const shared = await dump.readVirtual(va, length, { shared: true });
              assert.deepEqual(shared.status, plain.status, `${va.toString(16)}+${length}`);
              assert.equal(shared.complete, plain.complete);
              assert.equal(shared.address, va);
              assert.deepEqual(shared.bytes, plain.bytes, `${va.toString(16)}+${length}, read ${k}`);
            }
          }
        }
        // A whole present page read again: the same memory as the cached page, not a new array each time.
        await dump.readVirtual(VA.small, 0x1000);
        await dump.readVirtual(VA.small, 0x1000);
        const a = await dump.readVirtual(VA.small, 0x1000, { shared: true });
        const b = await dump.readVirtual(VA.small + 0x10n, 0x20, { shared: true });
        assert.deepEqual(b.bytes, a.bytes.subarray(0x10, 0x30));
        if (dump.path !== 'async-only') {
          assert.equal(a.bytes.buffer, b.bytes.buffer, 'both are views of the cached page');
          assert.notEqual(a.bytes.byteLength, a.bytes.buffer.byteLength);
          // Outside one cached page, the scratch buffer is reused by the next such read.
          const c = await dump.readVirtual(VA.small + 0xff8n, 0x10, { shared: true });
          const d = await dump.readVirtual(VA.large2m + 0x4ff0n, 0x20, { shared: true });
          assert.equal(c.bytes.buffer, d.bytes.buffer);
        }
        const owned = await dump.readVirtual(VA.small, 0x1000);
        assert.equal(owned.bytes.byteOffset, 0);
        assert.equal(owned.bytes.buffer.byteLength, 0x1000, 'without the option the bytes own their buffer');
        await assert.rejects(dump.readVirtual(VA.small, -1, { shared: true }), { code: 'E_DUMP_ARGUMENT' });
        await assert.rejects(
          dump.readVirtual(VA.small, 1, { shared: true, directoryTableBase: 5 as unknown as bigint }),
          { code: 'E_DUMP_ARGUMENT' },
        );
      } finally {
        await dump.close();
      }
      await assert.rejects(dump.readVirtual(VA.small, 0x10, { shared: true }), { code: 'E_DUMP_CLOSED' });
    }
  });

  it('a file source loads a 64 KiB window on the third miss in it, so a hot module costs few file reads', async () => {
    const memory = new SynthMemory();
    const tables = new PageTableBuilder(memory);
    const base = 0xfffff80000400000n;
    // 64 consecutive pages (four aligned windows), each page starting with its index.
    for (let i = 0; i < 64; i++) {
      const page = new Uint8Array(0x1000).fill(0x5a);
      new DataView(page.buffer).setUint32(0, i, true);
      memory.page(0x800n + BigInt(i)).set(page);
      tables.map4k(base + BigInt(i) * 0x1000n, (0x800n + BigInt(i)) << 12n);
    }
    const { bytes } = buildDump({ dumpType: 5, memory, directoryTableBase: tables.directoryTableBase(0x2n) });
    const dump = await openDump(await writeTemp(bytes));
    try {
      const read = async (i: number) => {
        const r = await dump.readVirtual(base + BigInt(i) * 0x1000n, 0x1000);
        assert.equal(new DataView(r.bytes.buffer).getUint32(0, true), i);
        assert.ok(r.bytes.subarray(4).every((b) => b === 0x5a));
      };
      await read(0); // first miss in the window (the first walk also reads the tables: count from here)
      const before = dump.cacheStats.fileReads;
      await read(1); // second miss: that page alone
      assert.equal(dump.cacheStats.fileReads - before, 1);
      await read(2); // third miss: the whole window in one read
      assert.equal(dump.cacheStats.fileReads - before, 2);
      for (let i = 0; i < 16; i++) await read(i);
      assert.equal(dump.cacheStats.fileReads - before, 2, 'the window is cached');
      await read(16); // another window: page by page again
      assert.equal(dump.cacheStats.fileReads - before, 3);
    } finally {
      await dump.close();
    }
  });

  for (const dumpType of [1, 5]) {
    it(`DumpType ${dumpType}: physicalChunks hands out every present page once, in runs with their file offsets`, async () => {
      const { bytes, layout } = buildDump(kernelSpec(kernel, dumpType));
      const dump = await openDump(await writeTemp(bytes));
      try {
        const expected: bigint[] = [];
        for await (const p of dump.physicalPages()) expected.push(p.pfn);
        for (const size of [0x1000, 0x3000, 0x400000]) {
          const seen: bigint[] = [];
          for await (const chunk of dump.physicalChunks({ chunkBytes: size })) {
            assert.ok(chunk.bytes.length <= size && chunk.bytes.length % 0x1000 === 0);
            assert.deepEqual(
              chunk.bytes,
              bytes.subarray(Number(chunk.fileOffset), Number(chunk.fileOffset) + chunk.bytes.length),
            );
            let at = 0;
            for (const run of chunk.runs) {
              assert.equal(run.byteOffset, at, 'runs fill the chunk back to back');
              for (let k = 0; k < run.pageCount; k++) {
                const pfn = run.pfn + BigInt(k);
                seen.push(pfn);
                assert.equal(layout.pageOffset(pfn), chunk.fileOffset + BigInt(run.byteOffset + k * 0x1000));
              }
              at += run.pageCount * 0x1000;
            }
            assert.equal(at, chunk.bytes.length);
          }
          assert.deepEqual(seen, expected);
        }
        // A caller's buffer: whole pages of it are used.
        const buffer = new Uint8Array(0x2800);
        for await (const chunk of dump.physicalChunks({ buffer })) {
          assert.equal(chunk.bytes.buffer, buffer.buffer);
          assert.ok(chunk.bytes.length <= 0x2000);
        }
        assert.throws(() => dump.physicalChunks({ chunkBytes: 0x800 }), { code: 'E_DUMP_ARGUMENT' });
        assert.throws(() => dump.physicalChunks({ chunkBytes: 65 * 1024 * 1024 }), { code: 'E_DUMP_ARGUMENT' });
      } finally {
        await dump.close();
      }
    });
  }

  it('an async-only source reads whole 64 KiB windows where reads show locality (like fault-around)', async () => {
    const memory = new SynthMemory();
    const tables = new PageTableBuilder(memory);
    const image = 0xfffff80500000000n;
    for (let i = 0; i < 256; i++) {
      tables.map4k(image + BigInt(i) * 0x1000n, (0x4000n + BigInt(i)) << 12n);
      memory.write((0x4000n + BigInt(i)) << 12n, pattern(i + 1, 16));
    }
    const { bytes } = buildDump({ dumpType: 5, memory, directoryTableBase: tables.directoryTableBase() });
    const source = new AsyncOnlySource(new BytesDumpSource(bytes));
    const dump = await openDumpSource(source);
    const file = await openDump(await writeTemp(bytes));
    try {
      // Two passes over a 1 MiB image in a scattered order, as code and data of a module are read.
      const order = Array.from({ length: 512 }, (_, k) => (k * 97) % 256);
      const before = source.reads;
      for (const i of order) {
        const va = image + BigInt(i) * 0x1000n;
        assert.deepEqual(await dump.readVirtual(va, 0x1000), await file.readVirtual(va, 0x1000));
      }
      const reads = source.reads - before;
      assert.ok(reads < 100, `${reads} source reads for 512 page reads over 256 pages`);
    } finally {
      await dump.close();
      await file.close();
    }
  });

  it('a warm read costs no file read; a cold one at most one per 4 KiB', async () => {
    const { bytes } = buildDump(kernelSpec(kernel, 5));
    const dump = await openDump(await writeTemp(bytes));
    try {
      const vas = [VA.small, VA.large2m + 0x5000n, VA.large1g + 0x1234000n, VA.heap];
      let before = dump.cacheStats.fileReads;
      for (const va of vas) await dump.readVirtual(va, 0x1000);
      // Tables (four levels, some shared) and data: never more reads than pages touched.
      assert.ok(dump.cacheStats.fileReads - before <= vas.length * 5);
      for (let round = 0; round < 2; round++) {
        before = dump.cacheStats.fileReads;
        for (const va of vas) await dump.readVirtual(va, 0x1000);
        assert.ok(dump.cacheStats.fileReads - before <= vas.length, 'second round: at most one read per page');
      }
      before = dump.cacheStats.fileReads;
      for (const va of vas) await dump.readVirtual(va, 0x1000);
      assert.equal(dump.cacheStats.fileReads - before, 0, 'cached: no file read');
    } finally {
      await dump.close();
    }
  });
});
