import assert from 'node:assert/strict';
import { GENUINE_DUMP_MISSING, GENUINE_DUMP_PATH, genuineDumpSkip } from '../../genuineDump.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DUMP_DRIVER_ENTRY64,
  KDDEBUGGER_DATA64,
  KLDR_DATA_TABLE_ENTRY,
  TRIAGE_DUMP64,
} from '../../../src/format/index.js';
import { openDump, type CrashDump } from '../../../src/dump/reader/index.js';
import {
  buildScenario,
  filesEqual,
  makePlan,
  readFileRange,
  tempDir,
  writeDump,
  type Scenario,
  type WrittenDump,
} from './helpers.js';

const tmp = tempDir();
after(() => tmp.cleanup());

describe('small dump (DumpType 4)', () => {
  let s: Scenario;
  let written: WrittenDump;
  let dump: CrashDump;
  const file = path.join(tmp.dir, 'small.dmp');

  before(async () => {
    s = buildScenario({ seed: 31 });
    written = writeDump(s, makePlan(s, 'small', file, { settings: { ioChunkBytes: 0x1000 } }));
    dump = await openDump(file);
  });
  after(async () => {
    await dump?.close();
  });

  it('has TRIAGE_DUMP64 with the context and exception in the header, TRGD at SizeOfDump - 4 and MiniDumpFields 0xCFF', () => {
    assert.equal(dump.dumpType, 4);
    assert.equal(dump.header.miniDumpFields, 0xcff);
    const t = dump.triage!;
    assert.ok(t !== undefined);
    assert.equal(t.fields.ContextOffset, 0x348);
    assert.equal(t.fields.ExceptionOffset, 0xf00);
    assert.equal(t.fields.ValidOffset, t.fields.SizeOfDump - 4);
    assert.equal(readFileRange(file, t.fields.ValidOffset, 4).toString('latin1'), 'TRGD');
    assert.equal(t.fields.MmOffset, 0x2080);
    assert.equal(t.fields.TriageOptions, 0xffffffff);
    assert.equal(t.fields.DebuggerDataSize, 0x380);
    assert.equal(BigInt(fs.statSync(file).size), BigInt(t.fields.SizeOfDump));
    assert.equal(dump.header.requiredDumpSpace, BigInt(t.fields.SizeOfDump));
    assert.equal(dump.context?.Rip, s.machine.symbols.KeBugCheckEx);
    assert.equal(dump.exception?.ExceptionCode, 0x80000003);
    assert.deepEqual(
      dump.problems.filter((p) => p.severity === 'error'),
      [],
    );
  });

  it('lays the pieces out in the genuine order without overlaps', () => {
    const f = dump.triage!.fields;
    const order = [
      0x2000,
      f.MmOffset,
      f.UnloadedDriversOffset,
      f.PrcbOffset,
      f.ProcessOffset,
      f.ThreadOffset,
      f.CallStackOffset,
      f.DebuggerDataOffset,
      f.DriverListOffset,
      f.StringPoolOffset,
      f.DataBlocksOffset,
    ];
    for (let i = 1; i < order.length; i++)
      assert.ok(order[i]! > order[i - 1]!, `piece ${i} comes after piece ${i - 1}`);
    assert.equal(f.DriverListOffset + f.DriverCount * 0x90 <= f.StringPoolOffset, true);
    assert.equal(f.StringPoolOffset + f.StringPoolSize <= f.DataBlocksOffset, true);
    assert.ok(TRIAGE_DUMP64.size === 0x80);
  });

  it("copies the crashing processor's KPRCB, the decoded KDBG and the stack from Rsp to the stack base", () => {
    const f = dump.triage!.fields;
    const cpu = s.machine.processors[1]!;
    const prcb = readFileRange(file, f.PrcbOffset, 0x100);
    assert.deepEqual(new Uint8Array(prcb), s.machine.readVirtual(cpu.prcb, 0x100));
    const kdbg = KDDEBUGGER_DATA64.decode(readFileRange(file, f.DebuggerDataOffset, 0x380));
    assert.equal(kdbg.Header.OwnerTag, 0x4742444b);
    assert.equal(kdbg.PsLoadedModuleList, s.machine.symbols.PsLoadedModuleList);
    assert.equal(dump.triage!.stack.topOfStack, cpu.stackBase - 0x200n);
    assert.equal(dump.triage!.stack.size, 0x200);
    assert.deepEqual(new Uint8Array(readFileRange(file, f.CallStackOffset, 0x200)), s.stackBytes);
    assert.equal(written.summary.triage?.stackBytes, 0x200);
    // KPRCB.CurrentThread and its KTHREAD.ApcState.Process, at the offsets and sizes the KDBG gives.
    const thread = s.machine.readU64(cpu.prcb + BigInt(kdbg.OffsetPrcbCurrentThread));
    const process = s.machine.readU64(thread + BigInt(kdbg.OffsetKThreadApcProcess));
    assert.equal(f.ThreadOffset - f.ProcessOffset >= kdbg.SizeEProcess, true);
    assert.deepEqual(
      new Uint8Array(readFileRange(file, f.ThreadOffset, kdbg.SizeEThread)),
      s.machine.readVirtual(thread, kdbg.SizeEThread),
    );
    assert.deepEqual(
      new Uint8Array(readFileRange(file, f.ProcessOffset, kdbg.SizeEProcess)),
      s.machine.readVirtual(process, kdbg.SizeEProcess),
    );
    assert.equal(written.summary.triage?.threadCopy, 'memory');
    assert.equal(written.summary.triage?.processCopy, 'memory');
  });

  it('lists loaded drivers with their names from the string pool, and unloaded drivers', async () => {
    const { loaded, unloaded } = await dump.modules();
    assert.equal(loaded.length, s.machine.modules.length);
    s.machine.modules.forEach((m, i) => {
      assert.equal(loaded[i]!.name, m.fullName);
      assert.equal(loaded[i]!.base, m.base);
      assert.equal(loaded[i]!.size, m.size);
    });
    const mine = loaded.find((m) => m.name.endsWith(s.driverName))!;
    assert.equal(mine.timeDateStamp, 0x5f5e1234);
    assert.equal(mine.checkSum, 0xabcd);
    const gone = unloaded.find((u) => s.unloadedName.startsWith(u.name));
    assert.ok(gone !== undefined, 'the unloaded driver is listed');
    assert.equal(gone.name, s.unloadedName.slice(0, 12));
  });

  it('carries the triage ranges as data blocks readable as virtual memory', async () => {
    const r = await dump.readVirtual(s.poolVa, s.poolBytes.length);
    assert.equal(r.complete, true);
    assert.deepEqual(r.bytes, s.poolBytes);
    const half = await dump.readVirtual(s.halfMappedVa + 0x800n, 0x800);
    assert.equal(half.complete, true);
    assert.deepEqual(half.bytes, s.halfMappedBytes.subarray(0x800));
    // Defaults: the KDBG and the module list head are readable by VA too.
    const kdbg = await dump.readVirtual(s.machine.symbols.KdDebuggerDataBlock, 0x20);
    assert.equal(kdbg.complete, true);
    const head = await dump.readVirtual(s.machine.symbols.PsLoadedModuleList, 0x10);
    assert.deepEqual(head.bytes, s.machine.readVirtual(s.machine.symbols.PsLoadedModuleList, 0x10));
    // Blocks are disjoint and ascending.
    const blocks = dump.triage!.dataBlocks;
    for (let i = 1; i < blocks.length; i++)
      assert.ok(blocks[i]!.virtualAddress >= blocks[i - 1]!.virtualAddress + BigInt(blocks[i - 1]!.size));
  });

  it('reports the unreadable and invalid parts of the requested ranges', () => {
    const skipped = written.summary.triage!.skippedRanges;
    assert.deepEqual(
      skipped.map((p) => [p.address, p.size, p.reason]),
      [
        [s.halfMappedVa + 0x1000n, 0x800, 'unreadable'],
        [0x10000n, 0x100, 'unreadable'],
        [0x0000_9000_0000_0000n, 0x10, 'invalid'],
      ],
    );
  });

  it('is rebuilt byte for byte by the DumpIo mirror, in writes of at most ioChunkBytes', () => {
    assert.ok(written.events.every((e) => e.length <= 0x1000));
    assert.ok(filesEqual(file, written.mirrorPath));
  });

  it('caps the stack at 16 KiB and the triage data at 32 MiB', async () => {
    const s2 = buildScenario({ seed: 32 });
    const cpu = s2.machine.processors[0]!;
    const file2 = path.join(tmp.dir, 'small-capped.dmp');
    const plan = makePlan(s2, 'small', file2, { processorIndex: 0 });
    plan.context = { ...plan.context, Rsp: cpu.stackLimit };
    plan.triageRanges = [
      { address: s2.poolVa, size: 0x2000000 },
      { address: s2.poolVa, size: 0x1000 },
    ];
    const w = writeDump(s2, plan);
    const expectedStack = Math.min(Number(cpu.stackBase - cpu.stackLimit), 0x4000);
    assert.equal(w.summary.triage?.stackBytes, expectedStack);
    const overLimit = w.summary.triage!.skippedRanges.filter((p) => p.reason === 'over-limit');
    assert.deepEqual(
      overLimit.map((p) => [p.address, p.size]),
      [[s2.poolVa, 0x1000]],
    );
    const d = await openDump(file2);
    try {
      assert.equal(d.triage!.stack.size, expectedStack);
    } finally {
      await d.close();
    }
  });
});

describe('small dump against the genuine Windows 10 triage sample', () => {
  const genuine = GENUINE_DUMP_PATH;

  it('orders the triage pieces like the genuine dump and uses the same flags', {
    skip: genuineDumpSkip(),
  }, async () => {
    assert.ok(fs.existsSync(genuine), GENUINE_DUMP_MISSING);
    const s = buildScenario({ seed: 33 });
    const file = path.join(tmp.dir, 'small-vs-genuine.dmp');
    writeDump(s, makePlan(s, 'small', file));
    const ours = await openDump(file);
    const theirs = await openDump(genuine);
    try {
      const pieceOrder = (f: NonNullable<typeof ours.triage>['fields']): string[] =>
        Object.entries({
          Mm: f.MmOffset,
          UnloadedDrivers: f.UnloadedDriversOffset,
          Prcb: f.PrcbOffset,
          Process: f.ProcessOffset,
          Thread: f.ThreadOffset,
          CallStack: f.CallStackOffset,
          DebuggerData: f.DebuggerDataOffset,
          DriverList: f.DriverListOffset,
          StringPool: f.StringPoolOffset,
          DataBlocks: f.DataBlocksOffset,
        })
          .sort((a, b) => a[1] - b[1])
          .map(([name]) => name);
      assert.deepEqual(pieceOrder(ours.triage!.fields), pieceOrder(theirs.triage!.fields));
      for (const field of [
        'ContextOffset',
        'ExceptionOffset',
        'MmOffset',
        'UnloadedDriversOffset',
        'TriageOptions',
        'DebuggerDataSize',
        'BrokenDriverOffset',
      ] as const) {
        assert.equal(ours.triage!.fields[field], theirs.triage!.fields[field], field);
      }
      assert.equal(ours.header.miniDumpFields, theirs.header.miniDumpFields);
      assert.equal(ours.header.kdSecondaryVersion, theirs.header.kdSecondaryVersion);
      assert.equal(ours.header.writerStatus, theirs.header.writerStatus);
      // The header dwords Windows leaves as 'PAGE' are 'PAGE' in ours too, Attributes excepted (we state 0).
      const a = readFileRange(file, 0, 0x2000);
      const b = readFileRange(genuine, 0, 0x2000);
      for (let off = 0; off < 0x2000; off += 4) {
        if (b.readUInt32LE(off) !== 0x45474150 || off === 0x1050) continue;
        if (off >= 0xf20 && off < 0xf98) continue; // ExceptionInformation: the genuine record has 0 parameters, ours 1
        assert.equal(a.readUInt32LE(off), 0x45474150, `header dword at 0x${off.toString(16)}`);
      }
    } finally {
      await ours.close();
      await theirs.close();
    }
  });
});

describe('small dump driver entries against the genuine sample', () => {
  /** Per KLDR_DATA_TABLE_ENTRY field (and the padding between them): how many entries have it non-zero. */
  async function setFields(file: string): Promise<{ count: number; set: Map<string, number> }> {
    const dump = await openDump(file);
    try {
      const t = dump.triage!.fields;
      const bytes = readFileRange(file, t.DriverListOffset, t.DriverCount * DUMP_DRIVER_ENTRY64.size);
      const set = new Map<string, number>();
      const ldr = DUMP_DRIVER_ENTRY64.offsets.LdrEntry;
      for (let i = 0; i < t.DriverCount; i++) {
        const entry = bytes.subarray(i * DUMP_DRIVER_ENTRY64.size + ldr, (i + 1) * DUMP_DRIVER_ENTRY64.size);
        let covered = 0;
        const note = (name: string, from: number, to: number): void => {
          if (entry.subarray(from, to).some((b) => b !== 0)) set.set(name, (set.get(name) ?? 0) + 1);
          else set.set(name, set.get(name) ?? 0);
        };
        for (const f of KLDR_DATA_TABLE_ENTRY.fields) {
          if (f.offset > covered) note(`padding before ${f.name}`, covered, f.offset);
          note(f.name, f.offset, f.offset + f.size);
          covered = f.offset + f.size;
        }
        note('tail padding', covered, entry.length);
      }
      return { count: t.DriverCount, set };
    } finally {
      await dump.close();
    }
  }

  it('are scrubbed as Windows does: DllBase, SizeOfImage, CheckSum, TimeDateStamp set, every other byte zero', {
    skip: genuineDumpSkip(),
  }, async () => {
    const s = buildScenario({ seed: 35 });
    const file = path.join(tmp.dir, 'small-drivers.dmp');
    writeDump(s, makePlan(s, 'small', file));
    const ours = await setFields(file);
    const theirs = await setFields(GENUINE_DUMP_PATH);
    assert.equal(theirs.count, 151);
    // Every field is either set in all entries or zero in all, in both dumps, and the same ones.
    const pattern = (r: { count: number; set: Map<string, number> }): Record<string, 'set' | 'zero' | 'mixed'> =>
      Object.fromEntries(
        [...r.set].map(([name, n]) => [name, n === r.count ? 'set' : n === 0 ? 'zero' : 'mixed'] as const),
      );
    assert.deepEqual(pattern(ours), pattern(theirs));
    assert.deepEqual(
      Object.entries(pattern(theirs))
        .filter(([, v]) => v === 'set')
        .map(([name]) => name),
      ['DllBase', 'SizeOfImage', 'CheckSum', 'TimeDateStamp'],
    );
  });
});
