/**
 * The fuzz harness (fuzz/) runs, stays quiet on the real library, and can
 * fail: planted faults — a TypeError, a mutant that never ends, a mutant
 * that holds 320 MiB — are each caught, saved with a replay that
 * reproduces them, and counted as failures.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkProblems, FuzzFailure } from '../../fuzz/exercise.js';
import { makeMutant, OverlaySource } from '../../fuzz/mutate.js';
import { DEFAULTS, replay, runCampaign, type SavedFailure } from '../../fuzz/run.js';
import { prepareSeeds } from '../../fuzz/seeds.js';
import { findTargets } from '../../fuzz/targets.js';

/** The small dump (written by the project) and the ARM64 one: the quickest seeds. */
const SEEDS = ['small', 'arm64'];
let out: string;

before(async () => {
  out = await mkdtemp(join(tmpdir(), 'bugcheck-fuzz-'));
});
after(async () => {
  await rm(out, { recursive: true, force: true });
});

const quick = { jobs: 1, seeds: SEEDS, genuine: false, quiet: true, batch: 4 };

describe('fuzz harness', () => {
  it('runs a handful of mutants through the library with no failure', async () => {
    const s = await runCampaign({ ...quick, out, mutants: 12 });
    assert.equal(s.mutants, 12);
    assert.deepEqual(s.perSeed, { small: 6, arm64: 6 });
    assert.deepEqual(s.failures, { exception: 0, invariant: 0, hang: 0, memory: 0 });
    assert.deepEqual(s.failureFiles, []);
    assert.ok(s.targets.small!.fields > 100, 'the small dump has its header, triage and blob fields as targets');
  });

  it('makes the same mutants for the same seed, and mutants differ from their seed', async () => {
    const [small] = await prepareSeeds(out, false, ['small']);
    const bytes = new Uint8Array(await readFile(small!.path));
    const targets = [await findTargets('small', bytes)];
    const a = Array.from({ length: 20 }, (_, i) => makeMutant(5, i, targets));
    const b = Array.from({ length: 20 }, (_, i) => makeMutant(5, i, targets));
    assert.deepEqual(a, b);
    assert.notDeepEqual(
      a.map((m) => m.patches),
      Array.from({ length: 20 }, (_, i) => makeMutant(6, i, targets).patches),
    );
    const changed = a.filter((m) => {
      const src = new OverlaySource(bytes, m.patches, 'm');
      const got = src.bytes();
      return got.length !== bytes.length || got.some((v, i) => v !== bytes[i]);
    });
    assert.equal(changed.length, 20, `${changed.length} of 20 mutants differ from the seed`);
  });

  it("flags a problem whose 'file offset' is a virtual address", () => {
    const problem = { code: 'E_X', severity: 'error' as const, message: 'bad entry' };
    assert.doesNotThrow(() => checkProblems('t', [{ ...problem, offset: 0x2000n }]));
    for (const bad of [
      { ...problem, offset: 0xfffff80000001000n },
      { ...problem, message: 'entry at file offset 0xfffff80000001000 is bad' },
    ])
      assert.throws(
        () => checkProblems('t', [bad]),
        (e) => e instanceof FuzzFailure && e.kind === 'invariant',
      );
  });

  it('catches a planted TypeError, saves it, and the replay reproduces it', async () => {
    const dir = join(out, 'typeerror');
    const s = await runCampaign({ ...quick, out: dir, mutants: 10, plant: 'typeerror' });
    // Mutants 3 and 8 (every fifth from 3) carry the plant.
    assert.equal(s.failures.exception, 2);
    assert.equal(s.failureFiles.length, 2);
    const saved = JSON.parse(await readFile(s.failureFiles[0]!, 'utf8')) as SavedFailure;
    assert.equal(saved.index, 3);
    assert.match(saved.message, /TypeError/);
    assert.match(saved.replay, /^npm run fuzz -- --replay .*0001\.json$/);
    const again = await replay(s.failureFiles[0]!, { ...DEFAULTS, plant: 'typeerror' });
    assert.equal(again?.kind, 'exception');
    assert.match(again?.message ?? '', /TypeError/);
    // Without the plant the same mutant is fine: the failure was the plant's, not the reader's.
    assert.equal(await replay(s.failureFiles[0]!, DEFAULTS), undefined);
  });

  it('terminates a mutant that spends more than the CPU budget and goes on in a fresh worker', async () => {
    const s = await runCampaign({ ...quick, out: join(out, 'hang'), mutants: 6, plant: 'hang', cpuLimitMs: 300 });
    assert.equal(s.mutants, 6);
    assert.equal(s.failures.hang, 1);
    assert.equal(s.workerRestarts, 1);
    const saved = JSON.parse(await readFile(s.failureFiles[0]!, 'utf8')) as SavedFailure;
    assert.equal(saved.index, 3);
    assert.ok(saved.patches !== undefined && saved.patches.length > 0, 'the hang is saved with its patches');
  });

  it('reports a mutant that holds more than the memory limit', async () => {
    const s = await runCampaign({ ...quick, out: join(out, 'memory'), mutants: 5, plant: 'memory' });
    assert.equal(s.failures.memory, 1);
    assert.ok(s.maxMutantMemoryMiB > 256, `${s.maxMutantMemoryMiB} MiB`);
  });
});
