import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdir, open, symlink } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { BugcheckError, fillPagePattern } from '../../../src/format/index.js';
import { DumpError, openDump } from '../../../src/dump/reader/index.js';
import { SynthMemory, buildDump, type SynthDumpSpec } from '../../synth/index.js';
import { openSynth, pattern, tempPath, writeTemp } from './helpers.js';

async function rejectsWith(bytes: Uint8Array, code: string): Promise<void> {
  const path = await writeTemp(bytes);
  await assert.rejects(openDump(path), (e: unknown) => {
    assert.ok(e instanceof DumpError, `expected DumpError, got ${String(e)}`);
    assert.ok(e instanceof BugcheckError);
    assert.equal(e.code, code, e.message);
    return true;
  });
}

const memory = new SynthMemory();
memory.write(0x1000n, pattern(1, 0x3000)); // PFNs 1..3
memory.write(0x9000n, pattern(2)); // PFN 9

describe('reader: bad input', () => {
  it('a missing file or a directory: E_DUMP_OPEN', async () => {
    await assert.rejects(openDump(await tempPath('missing')), { code: 'E_DUMP_OPEN' });
    const dir = await tempPath('dir');
    await mkdir(dir);
    await assert.rejects(
      openDump(dir),
      (e: unknown) => e instanceof DumpError && e.code === 'E_DUMP_OPEN' && /directory/.test(e.message),
    );
  });

  it('a named pipe (FIFO): E_DUMP_OPEN at once, without waiting for a writer', {
    skip: process.platform === 'win32' ? 'no mkfifo on Windows' : false,
  }, async () => {
    const fifo = await tempPath('fifo');
    execFileSync('mkfifo', [fifo]);
    // Hang guard, not a speed check: if open blocks on the FIFO, a writer end releases it and the test fails.
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<'hung'>((resolve) => {
      timer = setTimeout(() => resolve('hung'), 5000);
    });
    const opening = openDump(fifo).then(
      () => 'opened' as const,
      (e: unknown) => e,
    );
    const outcome = await Promise.race([opening, hung]);
    clearTimeout(timer);
    if (outcome === 'hung') {
      const w = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      await w.close();
      await opening;
      assert.fail('openDump blocked on a named pipe');
    }
    assert.ok(outcome instanceof DumpError, `expected DumpError, got ${String(outcome)}`);
    assert.equal(outcome.code, 'E_DUMP_OPEN');
    assert.match(outcome.message, /named pipe/);
  });

  it('a symbolic link to a dump opens the dump', {
    skip: process.platform === 'win32' ? 'symlinks need privileges on Windows' : false,
  }, async () => {
    const target = await writeTemp(buildDump({ dumpType: 1, memory }).bytes);
    const link = await tempPath('link');
    await symlink(target, link);
    const dump = await openDump(link);
    try {
      assert.deepEqual((await dump.readPhysical(0x9000n, 0x1000)).bytes, pattern(2));
    } finally {
      await dump.close();
    }
  });

  it('an empty file: E_DUMP_EMPTY', async () => {
    await rejectsWith(new Uint8Array(0), 'E_DUMP_EMPTY');
  });

  it('a wrong signature (a user-mode minidump, random bytes, PAGE + junk): E_DUMP_SIGNATURE', async () => {
    await rejectsWith(
      new Uint8Array(Buffer.from(`MDMP\x93\xa7\x00\x00${'\0'.repeat(0x100)}`, 'latin1')),
      'E_DUMP_SIGNATURE',
    );
    await rejectsWith(pattern(7, 0x3000), 'E_DUMP_SIGNATURE');
    await rejectsWith(new Uint8Array(Buffer.from(`PAGEPAGE${'\0'.repeat(0x2000)}`, 'latin1')), 'E_DUMP_SIGNATURE');
  });

  it('a header cut short: E_DUMP_TRUNCATED', async () => {
    const { bytes } = buildDump({ dumpType: 1, memory });
    await rejectsWith(bytes.subarray(0, 5), 'E_DUMP_TRUNCATED');
    await rejectsWith(bytes.subarray(0, 0x1800), 'E_DUMP_TRUNCATED');
    await rejectsWith(bytes.subarray(0, 0x1fff), 'E_DUMP_TRUNCATED');
    const { bytes: b32 } = buildDump({ dumpType: 3, is32: true });
    await rejectsWith(b32.subarray(0, 0xfff), 'E_DUMP_TRUNCATED');
  });

  it('runs pointing past EOF: a problem; missing pages read as not in the dump', async () => {
    const { dump } = await openSynth({ dumpType: 1, memory, truncateTo: 0x2000n + 0x2800n });
    try {
      assert.ok(dump.problems.some((p) => p.code === 'E_DUMP_TRUNCATED' && p.severity === 'error'));
      assert.equal((await dump.readPhysical(0x2000n, 0x1000)).complete, true, 'PFN 2 is whole in the file');
      const r = await dump.readPhysical(0x3000n, 0x1000);
      assert.deepEqual(r.status, [{ address: 0x3000n, length: 0x1000, status: 'not-in-dump' }], 'PFN 3 is cut by EOF');
      const pfns: bigint[] = [];
      for await (const p of dump.physicalPages()) pfns.push(p.pfn);
      assert.deepEqual(pfns, [1n, 2n]);
      const scan = await dump.secondaryData();
      assert.deepEqual(scan.blobs, []);
    } finally {
      await dump.close();
    }
  });

  it('a run of 2^39 pages in a small file: iteration and lookups stop at EOF', async () => {
    const { bytes } = buildDump({ dumpType: 1, memory });
    const v = new DataView(bytes.buffer);
    v.setBigUint64(0x88 + 0x10 + 8, 1n << 39n, true); // Run[0].PageCount
    const dump = await openDump(await writeTemp(bytes));
    try {
      assert.ok(dump.problems.some((p) => p.code === 'E_DUMP_TRUNCATED'));
      const pfns: bigint[] = [];
      for await (const p of dump.physicalPages()) pfns.push(p.pfn);
      assert.deepEqual(pfns, [1n, 2n, 3n, 4n], 'the four pages the file holds (PFN 9 is now read as PFN 4)');
      assert.equal((await dump.readPhysical(5n << 12n, 8)).complete, false);
    } finally {
      await dump.close();
    }
  });

  it('bitmap pages past EOF, and HeaderSize past EOF', async () => {
    const cut = buildDump({ dumpType: 5, memory });
    const { dump } = await openSynth({ dumpType: 5, memory, truncateTo: cut.layout.firstPageOffset! + 0x1000n });
    try {
      assert.ok(dump.problems.some((p) => p.code === 'E_DUMP_TRUNCATED'));
      assert.equal((await dump.readPhysical(0x1000n, 0x1000)).complete, true);
      assert.equal((await dump.readPhysical(0x9000n, 0x1000)).complete, false);
    } finally {
      await dump.close();
    }
    const { dump: d2 } = await openSynth({ dumpType: 6, memory, bitmap: { headerSizeField: 0x7fffffffffffn } });
    try {
      assert.ok(d2.problems.some((p) => p.code === 'E_DUMP_TRUNCATED'));
      assert.equal((await d2.readPhysical(0x1000n, 0x10)).complete, false);
      for await (const p of d2.physicalPages()) assert.fail(`no page can be in the file, got ${p.pfn}`);
    } finally {
      await d2.close();
    }
  });

  const bitmapCases: [string, SynthDumpSpec['bitmap'], string, RegExp][] = [
    ['a bitmap bigger than the file', { bitmapSizeField: 0x100000000n }, 'E_DUMP_TRUNCATED', /bigger than the file/],
    ['a bitmap beyond a 52-bit address space', { bitmapSizeField: 0xffffffffffffffffn }, 'E_DUMP_CORRUPT', /52-bit/],
    ['a wrong SDMP/FDMP signature', { signatureField: 0x504d4458 }, 'E_DUMP_SIGNATURE', /expected SDMP or FDMP/],
    ['Pages not matching the bitmap', { pagesField: 0x1234n }, 'E_DUMP_CORRUPT', /Pages is 0x1234/],
    ['HeaderSize inside the bitmap', { headerSizeField: 0x2038n }, 'E_DUMP_CORRUPT', /inside the bitmap/],
  ];
  for (const [what, bitmap, code, message] of bitmapCases) {
    it(`${what}: ${code} problem, no exception`, async () => {
      const { dump } = await openSynth({
        dumpType: 5,
        memory,
        bitmap,
        blobs: [{ guid: '11111111-2222-3333-4444-555555555555', data: pattern(3, 8) }],
      });
      try {
        assert.ok(
          dump.problems.some((p) => p.code === code && message.test(p.message)),
          JSON.stringify(dump.problems.map((p) => p.message)),
        );
        await dump.readPhysical(0x1000n, 0x2000);
        await dump.readVirtual(0xfffff80000000000n, 0x10);
        await dump.secondaryData();
        await dump.modules();
        await dump.kdDebuggerData();
      } finally {
        await dump.close();
      }
    });
  }

  it('a DumpType 1 header whose descriptor was never written (PAGE filler)', async () => {
    const block = new Uint8Array(700);
    fillPagePattern(block);
    const { dump } = await openSynth({ dumpType: 1, memory, header: { PhysicalMemoryBlockBuffer: block } });
    try {
      assert.equal(dump.body.kind, 'none');
      assert.ok(dump.problems.some((p) => p.structure === 'PHYSICAL_MEMORY_DESCRIPTOR64' && p.severity === 'error'));
    } finally {
      await dump.close();
    }
  });

  it('NumberOfRuns beyond 42 and NumberOfPages not the sum: problems; the runs that fit are used', async () => {
    const { bytes } = buildDump({ dumpType: 1, memory });
    const v = new DataView(bytes.buffer);
    v.setUint32(0x88, 1000, true);
    v.setBigUint64(0x90, 0x4547415045474150n, true);
    const dump = await openDump(await writeTemp(bytes));
    try {
      assert.ok(dump.problems.some((p) => /exceeds/.test(p.message)));
      assert.ok(dump.problems.some((p) => /NumberOfPages/.test(p.message)));
      assert.deepEqual((await dump.readPhysical(0x1000n, 0x3000)).bytes, pattern(1, 0x3000));
    } finally {
      await dump.close();
    }
  });

  it('a run beyond 2^40 page frames is not indexed, but the runs after it still map to their own pages', async () => {
    const m = new SynthMemory();
    m.write(0x10000n, pattern(11, 0x2000)); // PFNs 0x10, 0x11
    m.write(0x20000n, pattern(12, 0x2000)); // PFNs 0x20, 0x21
    const runs = [
      { basePage: 0x10n, pageCount: 2n },
      { basePage: 0x30n, pageCount: 3n }, // its 3 pages sit in the file between the two good runs
      { basePage: 0x20n, pageCount: 2n },
    ];
    const { bytes, layout } = buildDump({ dumpType: 1, memory: m, runs });
    new DataView(bytes.buffer).setBigUint64(0xa8, 1n << 40n, true); // Run[1].BasePage
    const dump = await openDump(await writeTemp(bytes));
    try {
      assert.ok(
        dump.problems.some(
          (p) => p.code === 'E_DUMP_CORRUPT' && p.severity === 'error' && /Run\[1\].*not indexed/.test(p.message),
        ),
        JSON.stringify(dump.problems.map((p) => p.message)),
      );
      const r = await dump.readPhysical(0x20000n, 0x2000);
      assert.equal(r.complete, true);
      assert.deepEqual(r.bytes, pattern(12, 0x2000));
      assert.deepEqual((await dump.readPhysical(0x10000n, 0x2000)).bytes, pattern(11, 0x2000));
      assert.equal((await dump.readPhysical(1n << 52n, 0x10)).complete, false);
      const pages: { pfn: bigint; fileOffset: bigint }[] = [];
      for await (const p of dump.physicalPages()) pages.push(p);
      assert.deepEqual(
        pages,
        [0x10n, 0x11n, 0x20n, 0x21n].map((pfn) => ({ pfn, fileOffset: layout.pageOffset(pfn)! })),
      );
      assert.equal(layout.pageOffset(0x20n), 0x2000n + 5n * 0x1000n);
      assert.equal(dump.body.kind === 'full' ? dump.body.runs.length : -1, 3, 'body.runs lists every run as described');
      assert.equal((await dump.secondaryData()).problems.length, 0, 'the body ends after all 7 pages');
    } finally {
      await dump.close();
    }
  });

  it('a page table whose every entry points at itself terminates', async () => {
    const m = new SynthMemory();
    const pml4 = m.page(0x1adn);
    const v = new DataView(pml4.buffer);
    for (let i = 0; i < 512; i++) v.setBigUint64(i * 8, 0x1ad000n | 0x3n, true);
    const { dump } = await openSynth({
      dumpType: 1,
      memory: m,
      directoryTableBase: 0x1ad000n,
      psLoadedModuleList: 0xfffff80000000000n,
    });
    try {
      for (const va of [0n, 0xfffff80000000000n, 0x00007ffffffff000n, 0xffffffffffffffffn]) {
        assert.deepEqual(await dump.translate(va), {
          status: 'mapped',
          pa: 0x1ad000n + (va & 0xfffn),
          pageSize: 0x1000,
          inDump: true,
        });
      }
      // The module list head reads as the PML4 itself, whose Flink points back into it: bounded, no hang.
      const mods = await dump.modules();
      assert.ok(mods.loaded.length <= 4096);
      assert.ok(mods.problems.length > 0);
    } finally {
      await dump.close();
    }
  });

  it('a large-page bit in a PML4E is not treated as a 512 GiB page', async () => {
    const m = new SynthMemory();
    const v = new DataView(m.page(0x1adn).buffer);
    v.setBigUint64(0, 0x1ae000n | 0x83n, true); // PML4E[0] with PS set → table at 0x1AE000
    m.page(0x1aen);
    const { dump } = await openSynth({ dumpType: 1, memory: m, directoryTableBase: 0x1ad000n });
    try {
      assert.deepEqual(await dump.translate(0x1000n), { status: 'not-mapped', level: 'PDPTE' });
    } finally {
      await dump.close();
    }
  });

  it('a DumpBlob file header with a bad HeaderSize', async () => {
    const { bytes, layout } = buildDump({
      dumpType: 5,
      memory,
      blobs: [{ guid: '11111111-2222-3333-4444-555555555555', data: pattern(3, 8) }],
    });
    new DataView(bytes.buffer).setUint32(Number(layout.blobAreaOffset!) + 8, 4, true);
    const dump = await openDump(await writeTemp(bytes));
    try {
      const scan = await dump.secondaryData();
      assert.equal(scan.blobs.length, 0);
      assert.equal(scan.problems[0]?.structure, 'DUMP_BLOB_FILE_HEADER');
    } finally {
      await dump.close();
    }
  });

  it('reads after close: E_DUMP_CLOSED', async () => {
    const { dump } = await openSynth({ dumpType: 1, memory });
    await dump.close();
    await assert.rejects(dump.readPhysical(0x1000n, 0x10), { code: 'E_DUMP_CLOSED' });
  });

  it('a bad pageCacheSize option: E_DUMP_ARGUMENT', async () => {
    const path = await writeTemp(buildDump({ dumpType: 1, memory }).bytes);
    await assert.rejects(openDump(path, { pageCacheSize: -1 }), { code: 'E_DUMP_ARGUMENT' });
  });
});
