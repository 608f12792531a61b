import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeDump, formatAnalysis, walkBugCheckCallbacks } from '../../src/analyze/index.js';
import { openDump } from '../../src/dump/reader/index.js';
import { DumpType, KLDR_DATA_TABLE_ENTRY, LIST_ENTRY64 } from '../../src/format/index.js';
import {
  PageTableBuilder,
  SynthMemory,
  VirtualHeap,
  buildDump,
  writeKdDebuggerData,
  writeModuleList,
} from '../synth/index.js';
import { SYNTH_MODULES, synthKernelDump, writeTemp } from './helpers.js';

/** An address whose 8-byte read would run past 2^64. */
const NEAR_TOP = 0xfffffffffffffff8n;

/** A kernel dump whose first module entry has one field replaced by NEAR_TOP. */
function dumpWithModuleField(field: 'Flink' | 'FullDllName.Buffer'): Uint8Array {
  const memory = new SynthMemory();
  const tables = new PageTableBuilder(memory);
  const heap = new VirtualHeap(tables, 0xfffff8047c600000n, 0x2000n);
  const list = writeModuleList(heap, SYNTH_MODULES);
  const entry = list.entries[0]!;
  const value = new Uint8Array(8);
  new DataView(value.buffer).setBigUint64(0, NEAR_TOP, true);
  const at =
    field === 'Flink'
      ? entry + BigInt(KLDR_DATA_TABLE_ENTRY.offsets.InLoadOrderLinks + LIST_ENTRY64.offsets.Flink)
      : entry + BigInt(KLDR_DATA_TABLE_ENTRY.offsets.FullDllName + 8);
  heap.write(at, value);
  const kdbg = writeKdDebuggerData(heap, { KernBase: SYNTH_MODULES[0]!.base, PsLoadedModuleList: list.head });
  return buildDump({
    dumpType: DumpType.BitmapKernel,
    memory,
    directoryTableBase: tables.directoryTableBase(),
    kdDebuggerDataBlock: kdbg,
    psLoadedModuleList: list.head,
  }).bytes;
}

async function withDump<T>(
  bytes: Uint8Array,
  work: (d: Awaited<ReturnType<typeof openDump>>) => Promise<T>,
): Promise<T> {
  const dump = await openDump(await writeTemp(bytes, 'hostile'));
  try {
    return await work(dump);
  } finally {
    await dump.close();
  }
}

describe('an address field near 2^64 is a problem, never a lost analysis (issue #8 B3)', () => {
  for (const [name, extra, structure, offset] of [
    ['PsLoadedModuleList', { psLoadedModuleList: NEAR_TOP }, 'DUMP_HEADER64.PsLoadedModuleList', '0x20'],
    ['KdDebuggerDataBlock', { kdDebuggerDataBlock: NEAR_TOP }, 'DUMP_HEADER64.KdDebuggerDataBlock', '0x80'],
  ] as const) {
    it(`header ${name}: analyzeDump and walkBugCheckCallbacks record it, naming the field and its offset`, async () => {
      const bytes = synthKernelDump(DumpType.BitmapKernel, new Uint8Array(0x1000), extra);
      await withDump(bytes, async (dump) => {
        const a = await analyzeDump(dump);
        const p = a.problems.find((x) => x.structure === structure);
        assert.ok(p, JSON.stringify(a.problems));
        assert.equal(p.offset, offset);
        assert.match(p.message, /0xfffffffffffffff8/i);
        assert.equal(a.bugCheck.code, '0x1000007e', 'the rest of the analysis is there');
        assert.ok(formatAnalysis(a).some((l) => l.includes(structure)));
      });
      await withDump(bytes, async (dump) => {
        const b = await walkBugCheckCallbacks(dump);
        assert.equal(b.available, false);
        if (name === 'KdDebuggerDataBlock')
          assert.ok(b.problems.some((x) => x.structure === structure && x.offset === 0x80n));
      });
    });
  }

  for (const field of ['Flink', 'FullDllName.Buffer'] as const) {
    it(`a module entry's ${field}: the analysis goes on`, async () => {
      await withDump(dumpWithModuleField(field), async (dump) => {
        const a = await analyzeDump(dump);
        assert.equal(a.bugCheck.code, '0x1000007e');
        assert.ok(Array.isArray(a.problems));
        const b = await walkBugCheckCallbacks(dump);
        assert.ok(Array.isArray(b.problems));
      });
    });
  }
});
