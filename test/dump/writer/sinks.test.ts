import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { SILENT_DUMP_IO_LISTENER, type CrashDumpKind } from '../../../src/kernel/crashDumpTarget.js';
import {
  createCrashDumpWriter,
  crashDumpWriterFactory,
  DumpWriterError,
  FileDumpSink,
  MemoryDumpSink,
  openCrashDumpWriter,
  type DumpSink,
} from '../../../src/dump/writer/index.js';
import { Kernel } from '../../../src/kernel/index.js';
import { createX64Machine } from '../../../src/machine/index.js';
import { openDump } from '../../../src/dump/reader/index.js';
import { buildScenario, makePlan, PAGE, pattern, tempDir, writeDump, type Scenario } from './helpers.js';

const tmp = tempDir();
after(() => tmp.cleanup());

const GUID = '0b5e5e5e-1111-4222-8333-444455556666';

/**
 * The scenario machine, plus storage of every kind the writer reads pages
 * from: a bulk-populated stretch (chunks), a page written alone inside it, a
 * shared (copy-on-write) stretch and an adopted one, all kernel-owned so
 * kernel dumps carry them too.
 */
function mixedScenario(seed: number): Scenario {
  const s = buildScenario({ seed });
  const physical = s.machine.physical;
  const bulk = physical.allocateContiguousFrames(300, 'kernel');
  physical.writePages(bulk, pattern(300 * PAGE, 21));
  physical.write(((bulk + 7n) << 12n) + 0x10n, pattern(0x20, 22));
  const shared = physical.allocateContiguousFrames(5, 'kernel');
  physical.sharePages(shared, 5, pattern(PAGE, 23));
  physical.write((shared + 2n) << 12n, pattern(8, 24));
  const adopted = physical.allocateContiguousFrames(3, 'kernel');
  physical.adoptPages(adopted, pattern(3 * PAGE, 25));
  // Pages written one at a time, each its own page object: a 4 MiB write gathers more than IOV_MAX pieces.
  const single = physical.allocateContiguousFrames(1100, 'kernel');
  for (let i = 0n; i < 1100n; i++) physical.write((single + i) << 12n, pattern(16, 27 + Number(i)));
  return s;
}

/** A FileDumpSink that counts the pieces of its largest gathered write. */
function countingFileSink(file: string): { sink: DumpSink; most: () => number } {
  const inner = new FileDumpSink(file);
  let most = 0;
  const sink: DumpSink = {
    label: inner.label,
    open: () => inner.open(),
    write: (offset, data) => inner.write(offset, data),
    writev: (offset, pieces) => {
      most = Math.max(most, pieces.length);
      inner.writev(offset, pieces);
    },
    sync: () => inner.sync(),
    close: () => inner.close(),
  };
  return { sink, most: () => most };
}

interface Case {
  kind: CrashDumpKind;
  runs?: boolean;
  chunk: number;
}

const CASES: Case[] = [
  { kind: 'kernel', chunk: 0x3000 },
  // 4 MiB writes gathered from more than IOV_MAX (1024) single-page pieces: boot-time pages are written one by one.
  { kind: 'kernel', chunk: 0x800000 },
  { kind: 'complete', chunk: 0x100000 },
  { kind: 'complete', runs: true, chunk: 0x1800 },
  { kind: 'small', chunk: 0x1000 },
];

describe('writing without a DumpIo listener (gathered writes)', () => {
  for (const c of CASES) {
    const name = `${c.kind}${c.runs ? ' (runs)' : ''}, ioChunkBytes 0x${c.chunk.toString(16)}`;
    it(`${name}: the same bytes and the same writes as with a listener, to a file and to memory`, () => {
      const s = mixedScenario(31);
      const settings = { ioChunkBytes: c.chunk, ...(c.runs ? { completeFormat: 'runs' as const } : {}) };
      const reported = path.join(tmp.dir, `reported-${c.kind}-${c.chunk}.dmp`);
      const written = writeDump(s, makePlan(s, c.kind, reported, { settings }));

      const silentFile = path.join(tmp.dir, `silent-${c.kind}-${c.chunk}.dmp`);
      const counting = countingFileSink(silentFile);
      const session = openCrashDumpWriter(
        s.machine,
        makePlan(s, c.kind, silentFile, { settings }),
        SILENT_DUMP_IO_LISTENER,
        { sink: counting.sink },
      );
      session.writePrimary();
      session.writeSecondaryData(GUID, pattern(100, 26));
      const silent = session.complete();

      const memory = new MemoryDumpSink();
      const inMemory = openCrashDumpWriter(
        s.machine,
        makePlan(s, c.kind, 'ignored.dmp', { settings }),
        SILENT_DUMP_IO_LISTENER,
        { sink: memory },
      );
      inMemory.writePrimary();
      inMemory.writeSecondaryData(GUID, pattern(100, 26));
      const memorySummary = inMemory.complete();

      const reportedBytes = fs.readFileSync(reported);
      const primary = Number(written.summary.primaryBodyEnd);
      assert.equal(silent.primaryBodyEnd, written.summary.primaryBodyEnd);
      const silentBytes = fs.readFileSync(silentFile);
      // Header and body identical; the secondary area is only in the silent dumps.
      assert.ok(silentBytes.subarray(0, primary).equals(reportedBytes.subarray(0, primary)));
      assert.equal(silentBytes.length, primary + 0x10 + 0x20 + 104);
      assert.ok(Buffer.from(memory.bytes()).equals(silentBytes));
      assert.equal(memory.size, silentBytes.length);
      assert.equal(memory.syncs, 1);
      assert.equal(memory.isClosed, true);
      assert.equal(memorySummary.fileSize, BigInt(silentBytes.length));
      // The same write boundaries whether or not anybody listens: one more write for the blob.
      assert.equal(silent.ioWrites, written.summary.ioWrites + 1);
      assert.equal(memorySummary.ioWrites, silent.ioWrites);
      // Big chunks gather many page spans into one write (more than IOV_MAX: the dedicated test below).
      if (c.chunk >= 0x400000) assert.ok(counting.most() > 64, `at most ${counting.most()} pieces in one write`);
    });
  }

  it('a bulk-populated machine: the pages in the dump are the machine pages, read back through the reader', async () => {
    const s = mixedScenario(32);
    const physical = s.machine.physical;
    const file = path.join(tmp.dir, 'bulk-complete.dmp');
    const session = openCrashDumpWriter(
      s.machine,
      makePlan(s, 'complete', file, { addedPages: new Set(), removedPages: new Set() }),
      SILENT_DUMP_IO_LISTENER,
    );
    session.writePrimary();
    session.complete();
    const dump = await openDump(file);
    try {
      for (const pfn of physical.populatedFrames()) {
        const got = await dump.readPhysical(pfn << 12n, PAGE);
        assert.ok(Buffer.from(got.bytes).equals(Buffer.from(physical.readPage(pfn))), `page 0x${pfn.toString(16)}`);
      }
    } finally {
      await dump.close();
    }
  });
});

describe('MemoryDumpSink', () => {
  it('places positional writes across its 1 MiB pieces and reads zeros where nothing was written', () => {
    const sink = new MemoryDumpSink('test');
    assert.throws(
      () => sink.write(0, Uint8Array.of(1)),
      (e: unknown) => e instanceof DumpWriterError,
    );
    sink.open();
    const big = pattern(0x100000 + 0x30, 41);
    sink.write(0xffff0, big);
    sink.writev(0x10, [Uint8Array.of(1, 2), Uint8Array.of(3)]);
    assert.equal(sink.size, 0xffff0 + big.length);
    assert.deepEqual([...sink.read(0x10, 4)], [1, 2, 3, 0]);
    assert.deepEqual(sink.read(0xffff0, big.length), big);
    assert.deepEqual([...sink.read(0x500, 3)], [0, 0, 0]);
    assert.equal(sink.read(sink.size - 2, 10).length, 2);
    sink.close();
    assert.throws(
      () => sink.sync(),
      (e: unknown) => e instanceof DumpWriterError && e.code === 'E_DUMP_WRITER_STATE',
    );
  });

  it('takes a whole bug check through the kernel: the dump read back from memory is the file one would get', async () => {
    const file = path.join(tmp.dir, 'kernel-file.dmp');
    const build = (factory: ReturnType<typeof crashDumpWriterFactory>): Kernel => {
      const machine = createX64Machine({ memoryBytes: 64n << 20n, seed: 5 });
      const kernel = new Kernel(machine, { dump: { kind: 'kernel', path: file } }, factory);
      machine.physical.write(machine.physical.allocateFrame('kernel') << 12n, pattern(PAGE, 42));
      return kernel;
    };
    assert.equal(build(createCrashDumpWriter).KeBugCheckEx(0xe2).dumpStatus, 'written');
    const sink = new MemoryDumpSink();
    const result = build(crashDumpWriterFactory({ sink })).KeBugCheckEx(0xe2);
    assert.equal(result.dumpStatus, 'written');
    const fromFile = fs.readFileSync(file);
    assert.ok(Buffer.from(sink.bytes()).equals(fromFile));
  });

  it('FileDumpSink reports a failed open as E_DUMP_WRITE_IO with the path', () => {
    const bad = path.join(tmp.dir, 'no-such-dir', 'x.dmp');
    const sink = new FileDumpSink(bad);
    assert.throws(
      () => sink.open(),
      (e: unknown) =>
        e instanceof DumpWriterError &&
        e.code === 'E_DUMP_WRITE_IO' &&
        e.details.path === bad &&
        e.details.errno === 'ENOENT',
    );
    sink.close();
  });
});
