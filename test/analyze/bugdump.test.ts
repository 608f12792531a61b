import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import {
  bugDumpJson,
  formatBugdump,
  walkBugCheckCallbacks,
  BUGDUMP_MAX_COMPONENT_BYTES,
  BUGDUMP_MAX_RECORDS,
  BUGDUMP_MAX_TOTAL_BUFFER_BYTES,
} from '../../src/analyze/index.js';
import { openDump, type CrashDump } from '../../src/dump/reader/index.js';
import { DumpType, KBUGCHECK_CALLBACK_RECORD, KBugCheckBufferDumpState, LIST_ENTRY64 } from '../../src/format/index.js';
import {
  PageTableBuilder,
  SynthMemory,
  VirtualHeap,
  buildDump,
  writeKdDebuggerData,
  writeModuleList,
} from '../synth/index.js';
import { BEFORE_CRASH, DURING_CRASH, legacyCallbackDump } from '../scenario/legacyFixture.js';
import { tempFolder } from '../scenario/helpers.js';
import { join } from 'node:path';

async function withOpen<T>(path: string, work: (dump: CrashDump) => Promise<T>): Promise<T> {
  const dump = await openDump(path);
  try {
    return await work(dump);
  } finally {
    await dump.close();
  }
}

describe('walkBugCheckCallbacks on dumps of a simulated machine', () => {
  it('finds every legacy record through KDBG.KeBugCheckCallbackListHead, with buffers as they were before the crash', async () => {
    const f = legacyCallbackDump('kernel', join(await tempFolder('bugdump'), 'legacy-kernel.dmp'));
    // The routine did write during the bug check: memory now differs from the dump.
    assert.deepEqual(f.system.machine.readVirtual(f.buffers.FlightLog, DURING_CRASH.length), DURING_CRASH);
    const result = await withOpen(f.dumpPath, (dump) => walkBugCheckCallbacks(dump));
    assert.equal(result.available, true);
    assert.equal(result.listHead, f.system.machine.symbols.KeBugCheckCallbackListHead);
    assert.deepEqual(result.problems, []);
    // KeRegisterBugCheckCallback links at the list head (ntoskrnl): the list holds the last registered first.
    assert.deepEqual(
      result.records.map((r) => r.component),
      ['NoBuffer', 'PartlyGone', 'FlightLog'],
    );
    assert.deepEqual(
      result.records.map((r) => r.address),
      [f.records.NoBuffer, f.records.PartlyGone, f.records.FlightLog],
    );
    assert.equal(result.totalRecords, 3);

    const flight = result.records[2]!;
    assert.equal(flight.buffer, f.buffers.FlightLog);
    assert.equal(flight.length, 0x80);
    assert.equal(
      flight.state,
      KBugCheckBufferDumpState.BufferInserted,
      'legacy routines had not run when the dump was written',
    );
    assert.equal(flight.stateName, 'BufferInserted');
    assert.match(flight.routineSymbol ?? '', /^legacy\+0x[0-9a-f]+$/);
    const module = f.system.drivers[0]!.module;
    assert.ok(flight.callbackRoutine >= module.base && flight.callbackRoutine < module.base + BigInt(module.size));
    assert.ok(flight.data?.complete);
    const expected = new Uint8Array(0x80);
    expected.set(BEFORE_CRASH);
    assert.deepEqual(flight.data.bytes, expected);
    assert.equal(flight.truncated, false);

    const partly = result.records[1]!;
    assert.equal(partly.data?.complete, false);
    assert.deepEqual(partly.data?.bytes.subarray(0, 0x1000), f.partlyGonePage);
    assert.deepEqual(
      partly.data?.status.map((s) => [s.length, s.status]),
      [
        [0x1000, 'present'],
        [0x100, 'not-mapped'],
      ],
    );

    const none = result.records[0]!;
    assert.equal(none.buffer, 0n);
    assert.equal(none.data, null);
  });

  it('reads the same records from a complete dump', async () => {
    const f = legacyCallbackDump('complete', join(await tempFolder('bugdump'), 'legacy-complete.dmp'));
    const result = await withOpen(f.dumpPath, (dump) => walkBugCheckCallbacks(dump));
    assert.deepEqual(
      result.records.map((r) => r.component),
      ['NoBuffer', 'PartlyGone', 'FlightLog'],
    );
    assert.deepEqual(result.records[2]!.data?.bytes.subarray(0, BEFORE_CRASH.length), BEFORE_CRASH);
  });

  it('filters by component (case-insensitive) and caps what it reads per buffer', async () => {
    const f = legacyCallbackDump('kernel', join(await tempFolder('bugdump'), 'legacy-filter.dmp'));
    const result = await withOpen(f.dumpPath, (dump) =>
      walkBugCheckCallbacks(dump, { component: 'partlygone', maxBufferBytes: 0x40 }),
    );
    assert.equal(result.totalRecords, 3);
    assert.deepEqual(
      result.records.map((r) => r.component),
      ['PartlyGone'],
    );
    assert.equal(result.records[0]!.truncated, true);
    assert.equal(result.records[0]!.data?.bytes.length, 0x40);
    assert.deepEqual(result.records[0]!.data?.bytes, f.partlyGonePage.subarray(0, 0x40));
    const json = bugDumpJson(result);
    assert.equal(json.records[0]!.bytes, Buffer.from(f.partlyGonePage.subarray(0, 0x40)).toString('hex'));
    assert.equal(json.records[0]!.bytesShown, 0x40);
    assert.equal(json.records[0]!.length, 0x1100);
  });

  it('says a small dump has no legacy buffers', async () => {
    const f = legacyCallbackDump('small', join(await tempFolder('bugdump'), 'legacy-small.dmp'));
    const result = await withOpen(f.dumpPath, (dump) => walkBugCheckCallbacks(dump));
    assert.equal(result.available, false);
    assert.match(result.reason ?? '', /small memory dump .* not in small dumps/);
    assert.deepEqual(result.records, []);
  });

  it('formats like !bugdump: record fields, then a db hexdump with ?? for absent bytes', async () => {
    const f = legacyCallbackDump('kernel', join(await tempFolder('bugdump'), 'legacy-text.dmp'));
    const lines = await withOpen(f.dumpPath, async (dump) => formatBugdump(await walkBugCheckCallbacks(dump)));
    const text = lines.join('\n');
    assert.match(text, /^KeBugCheckCallbackListHead at fffff[0-9a-f]{3}`[0-9a-f]{8}: 3 records$/m);
    assert.match(text, /^Dumping data for component 'FlightLog'$/m);
    assert.match(
      text,
      /^ {2}[0-9a-f]{8}`[0-9a-f]{8} {2}66 6c 69 67 68 74 20 6c-6f 67 3a 20 31 37 20 72 {2}flight log: 17 r$/m,
    );
    assert.match(
      text,
      /^ {2}[0-9a-f]{8}`[0-9a-f]{8} {2}\?\? \?\? \?\? \?\? \?\? \?\? \?\? \?\?-\?\? \?\? \?\? \?\? \?\? \?\? \?\? \?\? {2}\?{16}$/m,
    );
    assert.match(text, /^ {2}State {11}BufferInserted \(1\)$/m);
    assert.match(text, /^ {2}no buffer \(Buffer NULL or Length 0\)$/m);
  });
});

/** A bitmap kernel dump with KDBG and a hand-made legacy list (for hostile lists the kernel would never build). */
function synthLegacyDump(build: (heap: VirtualHeap, head: bigint) => void): Uint8Array {
  const memory = new SynthMemory();
  const tables = new PageTableBuilder(memory);
  const heap = new VirtualHeap(tables, 0xfffff8047c600000n, 0x2000n);
  const moduleList = writeModuleList(heap, [{ name: 'ntoskrnl.exe', base: 0xfffff8047ba00000n, size: 0x1046000 }]);
  const head = heap.alloc(LIST_ENTRY64.size, 16);
  build(heap, head);
  const kdbg = writeKdDebuggerData(heap, {
    KernBase: 0xfffff8047ba00000n,
    PsLoadedModuleList: moduleList.head,
    KeBugCheckCallbackListHead: head,
  });
  return buildDump({
    dumpType: DumpType.BitmapKernel,
    memory,
    directoryTableBase: tables.directoryTableBase(0x2n),
    kdDebuggerDataBlock: kdbg,
    psLoadedModuleList: moduleList.head,
  }).bytes;
}

function writeRecord(
  heap: VirtualHeap,
  at: bigint,
  fields: Partial<ReturnType<typeof KBUGCHECK_CALLBACK_RECORD.decode>>,
): void {
  heap.write(at, KBUGCHECK_CALLBACK_RECORD.encode(fields));
}

async function walkSynth(bytes: Uint8Array, name: string) {
  const path = join(await tempFolder('synth'), `${name}.dmp`);
  await writeFile(path, bytes);
  return withOpen(path, (dump) => walkBugCheckCallbacks(dump));
}

describe('walkBugCheckCallbacks on hostile lists', () => {
  it('stops at a loop that never returns to the head', async () => {
    const bytes = synthLegacyDump((heap, head) => {
      const a = heap.alloc(KBUGCHECK_CALLBACK_RECORD.size, 16);
      const b = heap.alloc(KBUGCHECK_CALLBACK_RECORD.size, 16);
      heap.write(head, LIST_ENTRY64.encode({ Flink: a, Blink: b }));
      writeRecord(heap, a, { Entry: { Flink: b, Blink: head }, State: 1 });
      writeRecord(heap, b, { Entry: { Flink: a, Blink: a }, State: 1 });
    });
    const result = await walkSynth(bytes, 'loop');
    assert.equal(result.records.length, 2);
    assert.ok(
      result.problems.some(
        (p) =>
          p.severity === 'error' &&
          /loops back to 0x[0-9a-f]+ without returning to its head; the walk stops after 2 records/.test(p.message),
      ),
    );
  });

  it('stops at a record that is not in the dump, and notes a Blink that does not match', async () => {
    const bytes = synthLegacyDump((heap, head) => {
      const a = heap.alloc(KBUGCHECK_CALLBACK_RECORD.size, 16);
      heap.write(head, LIST_ENTRY64.encode({ Flink: a, Blink: a }));
      writeRecord(heap, a, { Entry: { Flink: 0xfffff80012340000n, Blink: 0xfffff80000001000n }, State: 1 });
    });
    const result = await walkSynth(bytes, 'gone');
    assert.equal(result.records.length, 1);
    assert.ok(result.problems.some((p) => /Entry\.Blink is 0xfffff80000001000, expected 0x[0-9a-f]+/.test(p.message)));
    assert.ok(
      result.problems.some(
        (p) =>
          p.severity === 'error' &&
          /the record at 0xfffff80012340000 is not in the dump; the walk stops after 1 records/.test(p.message),
      ),
    );
  });

  it('never allocates by a hostile Length, and bounds the Component string', async () => {
    const long = 'X'.repeat(BUGDUMP_MAX_COMPONENT_BYTES + 100);
    const bytes = synthLegacyDump((heap, head) => {
      const a = heap.alloc(KBUGCHECK_CALLBACK_RECORD.size, 16);
      const name = heap.put(new TextEncoder().encode(long), 8);
      const buffer = heap.put(new Uint8Array(0x20).fill(0xab), 16);
      heap.write(head, LIST_ENTRY64.encode({ Flink: a, Blink: a }));
      writeRecord(heap, a, {
        Entry: { Flink: head, Blink: head },
        Buffer: buffer,
        Length: 0xffffffff,
        Component: name,
        State: 2,
      });
    });
    const result = await walkSynth(bytes, 'hostile');
    const r = result.records[0]!;
    assert.equal(r.component, 'X'.repeat(BUGDUMP_MAX_COMPONENT_BYTES));
    assert.equal(r.length, 0xffffffff);
    assert.equal(r.truncated, true);
    assert.equal(r.data?.bytes.length, 0x10000);
    assert.deepEqual(r.data?.bytes.subarray(0, 0x20), new Uint8Array(0x20).fill(0xab));
    assert.equal(r.stateName, 'BufferStarted');
  });

  it('shows control characters of a Component escaped in the text, as they are in the result', async () => {
    const bytes = synthLegacyDump((heap, head) => {
      const a = heap.alloc(KBUGCHECK_CALLBACK_RECORD.size, 16);
      const name = heap.put(new TextEncoder().encode('Evil\x1b[2J\r\0'), 8);
      heap.write(head, LIST_ENTRY64.encode({ Flink: a, Blink: a }));
      writeRecord(heap, a, { Entry: { Flink: head, Blink: head }, Component: name, State: 1 });
    });
    const result = await walkSynth(bytes, 'escape');
    assert.equal(result.records[0]!.component, 'Evil\x1b[2J\r');
    const text = formatBugdump(result).join('\n');
    assert.doesNotMatch(text, /[\x1b\r]/);
    assert.match(text, /^Dumping data for component 'Evil\\x1b\[2J\\x0d'$/m);
  });

  it(`stops after ${BUGDUMP_MAX_RECORDS} records of a long well-formed list`, async () => {
    const count = BUGDUMP_MAX_RECORDS + 50;
    const bytes = synthLegacyDump((heap, head) => {
      const records = Array.from({ length: count }, () => heap.alloc(KBUGCHECK_CALLBACK_RECORD.size, 16));
      heap.write(head, LIST_ENTRY64.encode({ Flink: records[0]!, Blink: records[count - 1]! }));
      for (const [i, at] of records.entries())
        writeRecord(heap, at, { Entry: { Flink: records[i + 1] ?? head, Blink: records[i - 1] ?? head }, State: 1 });
    });
    const result = await walkSynth(bytes, 'long');
    assert.equal(result.records.length, BUGDUMP_MAX_RECORDS);
    assert.equal(result.totalRecords, BUGDUMP_MAX_RECORDS);
    assert.ok(
      result.problems.some(
        (p) =>
          p.severity === 'error' &&
          p.message === `more than ${BUGDUMP_MAX_RECORDS} records on KeBugCheckCallbackListHead; the walk stops`,
      ),
    );
  });

  it(`holds at most ${BUGDUMP_MAX_TOTAL_BUFFER_BYTES / 0x100000} MiB of buffers in all; later records keep their Length only`, async () => {
    // 300 records sharing one 64 KiB buffer: 18.75 MiB if every buffer were held.
    const count = 300;
    const bytes = synthLegacyDump((heap, head) => {
      const buffer = heap.put(new Uint8Array(0x10000).fill(0x5a), 0x1000);
      const records = Array.from({ length: count }, () => heap.alloc(KBUGCHECK_CALLBACK_RECORD.size, 16));
      heap.write(head, LIST_ENTRY64.encode({ Flink: records[0]!, Blink: records[count - 1]! }));
      for (const [i, at] of records.entries()) {
        writeRecord(heap, at, {
          Entry: { Flink: records[i + 1] ?? head, Blink: records[i - 1] ?? head },
          Buffer: buffer,
          Length: 0x10000,
          State: 1,
        });
      }
    });
    const result = await walkSynth(bytes, 'heavy');
    assert.equal(result.records.length, count);
    const held = result.records.reduce((n, r) => n + (r.data?.bytes.length ?? 0), 0);
    assert.equal(held, BUGDUMP_MAX_TOTAL_BUFFER_BYTES);
    const full = BUGDUMP_MAX_TOTAL_BUFFER_BYTES / 0x10000;
    assert.ok(
      result.records
        .slice(0, full)
        .every((r) => r.data?.bytes.length === 0x10000 && r.data.bytes.every((b) => b === 0x5a) && !r.omitted),
    );
    const rest = result.records.slice(full);
    assert.ok(rest.every((r) => r.data === null && r.omitted && r.truncated && r.length === 0x10000));
    assert.ok(
      result.problems.some(
        (p) =>
          p.severity === 'warning' &&
          p.message ===
            `the buffers add up to more than 0x1000000 bytes: ${count - full} records shown without their buffers (Length only)`,
      ),
    );
    const json = bugDumpJson(result);
    assert.deepEqual(
      [json.records[full]!.omitted, json.records[full]!.bytes, json.records[full]!.length],
      [true, '', 0x10000],
    );
    assert.match(
      formatBugdump(result).join('\n'),
      /^ {2}buffer not read: the buffers shown already reach the limit of bytes held$/m,
    );
  });

  it('reports the first 8 inconsistent Blinks one by one and counts the rest in one problem', async () => {
    const bytes = synthLegacyDump((heap, head) => {
      const records = Array.from({ length: 12 }, () => heap.alloc(KBUGCHECK_CALLBACK_RECORD.size, 16));
      heap.write(head, LIST_ENTRY64.encode({ Flink: records[0]!, Blink: records[11]! }));
      for (const [i, at] of records.entries())
        writeRecord(heap, at, { Entry: { Flink: records[i + 1] ?? head, Blink: 0xfffff80000001000n }, State: 1 });
    });
    const result = await walkSynth(bytes, 'blinks');
    assert.equal(result.records.length, 12);
    assert.equal(result.problems.filter((p) => /Entry\.Blink is 0xfffff80000001000/.test(p.message)).length, 8);
    assert.ok(
      result.problems.some(
        (p) => p.message === '4 more records have an Entry.Blink that does not point back (12 in all)',
      ),
    );
  });

  it('counts only the buffers of the records asked for, and cuts the one that reaches the limit', async () => {
    const bytes = synthLegacyDump((heap, head) => {
      const buffer = heap.put(new Uint8Array(0x1000).fill(0x11), 0x1000);
      const names = ['Other', 'Wanted', 'Other', 'wanted', 'WANTED'].map((n) =>
        heap.put(new TextEncoder().encode(`${n}\0`), 8),
      );
      const records = names.map(() => heap.alloc(KBUGCHECK_CALLBACK_RECORD.size, 16));
      heap.write(head, LIST_ENTRY64.encode({ Flink: records[0]!, Blink: records[records.length - 1]! }));
      for (const [i, at] of records.entries()) {
        writeRecord(heap, at, {
          Entry: { Flink: records[i + 1] ?? head, Blink: records[i - 1] ?? head },
          Buffer: buffer,
          Length: 0x1000,
          Component: names[i]!,
          State: 1,
        });
      }
    });
    const path = join(await tempFolder('synth'), 'filtered.dmp');
    await writeFile(path, bytes);
    const result = await withOpen(path, (dump) =>
      walkBugCheckCallbacks(dump, { component: 'wanted', maxTotalBufferBytes: 0x1800 }),
    );
    assert.equal(result.totalRecords, 5);
    assert.deepEqual(
      result.records.map((r) => [r.component, r.data?.bytes.length ?? null, r.truncated, r.omitted]),
      [
        ['Wanted', 0x1000, false, false],
        ['wanted', 0x800, true, false],
        ['WANTED', null, true, true],
      ],
    );
  });

  it('reports a dump without KDBG as unavailable', async () => {
    const memory = new SynthMemory();
    const tables = new PageTableBuilder(memory);
    const heap = new VirtualHeap(tables, 0xfffff8047c600000n, 0x2000n);
    const moduleList = writeModuleList(heap, [{ name: 'ntoskrnl.exe', base: 0xfffff8047ba00000n, size: 0x1046000 }]);
    const bytes = buildDump({
      dumpType: 6,
      memory,
      directoryTableBase: tables.directoryTableBase(0x2n),
      kdDebuggerDataBlock: 0n,
      psLoadedModuleList: moduleList.head,
    }).bytes;
    const result = await walkSynth(bytes, 'nokdbg');
    assert.equal(result.available, false);
    assert.match(result.reason ?? '', /no readable KDDEBUGGER_DATA64/);
  });
});
