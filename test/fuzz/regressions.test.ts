/**
 * Every failure a fuzz campaign found, rebuilt from its seed and patches and
 * run through everything the harness does to a mutant (fuzz/exercise.ts).
 * A hang shows here as a count of bytes read far beyond what any command
 * needs: the source throws past the budget, so a relapse fails at once.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type ErrorCounts, exercise } from '../../fuzz/exercise.js';
import { OverlaySource, type Patch } from '../../fuzz/mutate.js';
import { prepareSeeds } from '../../fuzz/seeds.js';

interface FoundFailure {
  what: string;
  seed: string;
  patches: Patch[];
}

const FOUND: FoundFailure[] = [
  {
    what: 'hang: seed 2, mutant 483,669 — a triage call stack of 0x706d7544 bytes inside a 10 GiB file; the stack scan read every slot (337 s)',
    seed: 'small',
    patches: [
      { kind: 'write', at: 0x1b50, hex: 'cf2e996eec464e4e' },
      { kind: 'resize', size: 0x2000 },
      { kind: 'resize', size: 8260 },
      { kind: 'write', at: 8192, hex: '44756d70426c6f62'.repeat(9).slice(0, 0x44 * 2) },
      { kind: 'resize', size: 10 * 2 ** 30 },
    ],
  },
];

/** Every command together (header, analysis, blobs, modules, bugdump, a few reads) needs a few MiB at most. */
const READ_BUDGET = 16 * 2 ** 20;

/**
 * Counts what the reader asks of the source, and stops a relapse at the
 * budget: a read-bound loop starves the test's timeout timer, so the
 * source itself must end it.
 */
class CountingSource extends OverlaySource {
  bytesRead = 0;
  override readSync(target: Uint8Array, offset: number, length: number, position: number): number {
    const n = super.readSync(target, offset, length, position);
    this.bytesRead += n;
    if (this.bytesRead > READ_BUDGET) throw new Error(`read budget exceeded: ${this.bytesRead} bytes (at ${position})`);
    return n;
  }
}

let out: string;
before(async () => {
  out = await mkdtemp(join(tmpdir(), 'bugcheck-fuzz-found-'));
});
after(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('fuzz: the failures campaigns found stay fixed', () => {
  for (const found of FOUND)
    it(found.what, async () => {
      const [seed] = await prepareSeeds(out, false, [found.seed]);
      assert.ok(seed !== undefined, `seed ${found.seed} is written`);
      const source = new CountingSource(new Uint8Array(await readFile(seed.path)), found.patches, 'found');
      const counts: ErrorCounts = new Map();
      await exercise(source, counts, 0);
      assert.ok(source.bytesRead <= READ_BUDGET, `${source.bytesRead} bytes read from a ${source.size}-byte file`);
    });
});
