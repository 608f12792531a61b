import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { genuineDump, writeTemp } from '../analyze/helpers.js';
import { runCli } from './helpers.js';

/** xorshift32: the same mutations on every run. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('corrupted genuine dump: every command ends in a typed result, never an internal error', () => {
  it('25 seeded corruptions of header, TRIAGE_DUMP64, triage tables and blob headers', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const original = new Uint8Array(await readFile(path));
    const random = rng(0x5eed);
    // Header, TRIAGE_DUMP64, the triage tables (drivers, string pool, data blocks), the DumpBlob area.
    const regions: [number, number][] = [[0, 0x2000], [0x2000, 0x2080], [0x10828, 0x1a000], [0x13a28c, 0x13a400]];
    const values = [0, 0xffffffff, 0x7fffffff, 0x45474150];
    for (let round = 0; round < 25; round++) {
      const bytes = original.slice();
      const view = new DataView(bytes.buffer);
      const [lo, hi] = regions[round % regions.length]!;
      for (let k = 0; k < 4; k++) {
        const at = (lo + Math.floor(random() * (hi - lo))) & ~3;
        view.setUint32(at, k % 2 === 0 ? values[Math.floor(random() * values.length)]! : Math.floor(random() * 2 ** 32), true);
      }
      const file = await writeTemp(bytes, `corrupt-${round}`);
      for (const argv of [['analyze', file], ['header', file], ['modules', file], ['enumtag', file], ['read', file, 'ffff850429891ee8', '-n', '0x20']]) {
        const run = await runCli(argv);
        const what = `round ${round}: bugcheck ${argv[0]} → ${run.code}\n${run.stderr}`;
        assert.ok(run.code === 0 || run.code === 1, what);
        assert.doesNotMatch(run.stderr, /E_INTERNAL|^\s+at /m, what);
        if (run.code === 1 && run.stdout === '') assert.equal(run.stderr.split('\n').filter((l) => l !== '').length, 1, what);
      }
    }
  });
});
