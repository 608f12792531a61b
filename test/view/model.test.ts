import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { openDump } from '../../src/dump/reader/index.js';
import {
  BUGCHECK_MODEL_DIAGNOSTICS_FORMAT,
  decodeModelDiagnostics,
  type DiagnosticsCallback,
  FormatError,
} from '../../src/format/index.js';
import { createDemoScenario } from '../../src/scenario/demo.js';
import { runScenario, scenarioFromDefinition } from '../../src/scenario/index.js';
import { buildDumpView, type DumpView } from '../../src/view/index.js';
import { GENUINE_DUMP_PATH, requireGenuineDump } from '../genuineDump.js';

let kernelDump: string;
let view: DumpView;
let present = 0;

before(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bugcheck-view-model-'));
  const scenario = scenarioFromDefinition(createDemoScenario({ mirrorDir: dir, memory: '64MiB', steps: 10 }), 'demo');
  const outcome = await runScenario(scenario, { outDir: dir, dumpKinds: ['kernel'] });
  kernelDump = outcome.runs[0]!.dumpPath;
  const dump = await openDump(kernelDump);
  try {
    view = await buildDumpView(dump);
    for await (const _ of dump.physicalPages()) present++;
  } finally {
    await dump.close();
  }
});

const sum = (callbacks: DiagnosticsCallback[], key: 'pagesAdded' | 'pagesRemoved'): number =>
  callbacks.reduce((n, c) => n + c[key], 0);

describe('the viewer model', () => {
  it("the diagnostics blob lists every add/remove-pages callback's ranges", () => {
    const callbacks = view.analysis.modelDiagnostics!.callbacks;
    const adder = callbacks.find((c) => c.reasonName === 'KbCallbackAddPages')!;
    const remover = callbacks.find((c) => c.reasonName === 'KbCallbackRemovePages')!;
    assert.ok(adder.pageRanges !== undefined && adder.pageRanges.length > 0);
    assert.ok(adder.pageRanges.every((r) => r.operation === 'add' && /^0x[0-9a-f]+$/.test(r.address)));
    assert.ok(
      adder.pageRanges.some((r) => r.space === 'physical') && adder.pageRanges.some((r) => r.space === 'virtual'),
    );
    assert.ok(remover.pageRanges?.every((r) => r.operation === 'remove'));
    const secondary = callbacks.find((c) => c.reasonName === 'KbCallbackSecondaryDumpData')!;
    assert.equal(secondary.pageRanges, undefined, 'only callbacks that returned ranges carry the member');
  });

  it('memory picture of a kernel dump: every page in the dump placed, added and removed pages marked', () => {
    assert.ok(view.memory.available);
    if (!view.memory.available) return;
    const m = view.memory;
    const callbacks = view.analysis.modelDiagnostics!.callbacks;
    assert.equal(m.presentPages, present);
    assert.equal(m.counts.kernel + m.counts.user + m.counts.unmapped + m.counts.added, present);
    assert.equal(m.counts.added, sum(callbacks, 'pagesAdded'));
    assert.equal(m.counts.removed, sum(callbacks, 'pagesRemoved'));
    assert.equal(m.unplacedPages, 0);
    assert.equal(m.counts.user, 0, 'the simulated machine has no user-mode memory');
    assert.ok(m.tablePages > 4, 'page tables were walked');
    assert.equal(m.cells.length, Math.ceil(m.totalPages / m.pagesPerCell));
    assert.ok(m.cells.length <= 16384);
  });

  it('timeline: a row per reason record and legacy record, phases by reason and by how far each got', () => {
    assert.ok(view.timeline.available);
    if (!view.timeline.available) return;
    const rows = view.timeline.rows;
    const reasonRows = rows.filter((r) => r.kind === 'reason');
    assert.equal(reasonRows.length, view.analysis.modelDiagnostics!.callbacks.length);
    assert.deepEqual(rows.find((r) => r.component === 'SloppyStats')?.phases, ['size']);
    assert.equal(rows.find((r) => r.component === 'SloppyStats')?.violations[0]?.kind, 'allocate');
    assert.deepEqual(rows.find((r) => r.component === 'DumpMirror')?.phases, ['body', 'data', 'complete']);
    assert.deepEqual(rows.find((r) => r.component === 'TriageHelper')?.phases, ['triage']);
    const legacy = rows.filter((r) => r.kind === 'legacy');
    assert.equal(legacy.length, 1);
    assert.equal(legacy[0]?.component, 'LegacyDevice');
    assert.deepEqual(legacy[0]?.phases, ['legacy']);
  });

  it('the genuine triage dump: no memory picture, no timeline, its 1,831 triage data blocks', async (t) => {
    if (requireGenuineDump(t) === undefined) return;
    const dump = await openDump(GENUINE_DUMP_PATH);
    try {
      const genuine = await buildDumpView(dump);
      assert.equal(genuine.memory.available, false);
      assert.equal(genuine.timeline.available, false);
      assert.equal(genuine.triageBlockCount, 0x727);
      assert.equal(genuine.triageBlocks.length, 0x727);
      assert.equal(genuine.blobs.length, 20);
      assert.equal(genuine.modules.loaded.length, genuine.analysis.modules.loaded);
    } finally {
      await dump.close();
    }
  });

  it('the decoder checks pageRanges member by member', () => {
    const block = (ranges: unknown): Uint8Array =>
      new TextEncoder().encode(
        JSON.stringify({
          format: BUGCHECK_MODEL_DIAGNOSTICS_FORMAT,
          version: 1,
          bugCheck: { code: '0xd1', parameters: ['0x0', '0x0', '0x0', '0x0'] },
          nested: null,
          violations: [],
          callbacks: [
            {
              component: 'A',
              record: '0x10',
              reason: 4,
              reasonName: 'KbCallbackAddPages',
              routine: '0x20',
              routineModule: null,
              state: 3,
              stateName: 'BufferFinished',
              calls: 1,
              secondaryBlocks: 0,
              secondaryBytes: 0,
              dumpIoCalls: 0,
              pagesAdded: 1,
              pagesRemoved: 0,
              triageRanges: 0,
              skipped: [],
              pageRanges: ranges,
            },
          ],
        }),
      );
    const good = { operation: 'add', space: 'physical', address: '0x5000', count: '0x1', pages: 1 };
    assert.deepEqual(decodeModelDiagnostics(block([good])).callbacks[0]?.pageRanges, [good]);
    assert.throws(
      () => decodeModelDiagnostics(block([{ ...good, operation: 'grow' }])),
      (e: unknown) =>
        e instanceof FormatError &&
        /callbacks\[0\]\.pageRanges\[0\]\.operation: expected "add" or "remove"/.test(e.message),
    );
  });
});
