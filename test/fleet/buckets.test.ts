import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BucketAggregator } from '../../src/fleet/buckets.js';
import type { DumpOutcome } from '../../src/fleet/summary.js';

function outcome(file: string, id: string, code: string, module: string | null, time: string | null): DumpOutcome {
  return { file, summary: { file, failureBucketId: id, code, module, systemTime: time, errors: 0 } };
}

const OUTCOMES: DumpOutcome[] = [
  outcome('/d/c.dmp', '0xD1_a+0x10', '0xd1', 'a', '2025-03-01T00:00:00.000Z'),
  outcome('/d/a.dmp', '0xD1_a+0x10', '0xd1', 'a', '2025-01-01T00:00:00.000Z'),
  outcome('/d/b.dmp', '0xD1_a+0x10', '0xd1', 'a', null),
  outcome('/d/e.dmp', '0xD1_a+0x10', '0xd1', 'a', '2025-02-01T00:00:00.000Z'),
  outcome('/d/x.dmp', '0x50_b+0x20', '0x50', 'b', '2024-06-01T00:00:00.000Z'),
  outcome('/d/y.dmp', '0x1000007E_UNKNOWN', '0x1000007e', null, null),
  outcome('/d/z.dmp', '0x1E_a+0x10', '0x1e', 'a', null),
  { file: '/d/bad.dmp', error: { name: 'DumpError', code: 'E_DUMP_SIGNATURE', message: 'not a dump', details: {} } },
];

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('BucketAggregator', () => {
  it('groups by FAILURE_BUCKET_ID: biggest first, then by id; codes, modules, first/last seen, example files', () => {
    const a = new BucketAggregator(2);
    for (const o of OUTCOMES) a.add(o);
    const report = a.report();
    assert.equal(report.dumps, 8);
    assert.deepEqual(
      report.buckets.map((b) => [b.failureBucketId, b.count]),
      [
        ['0xD1_a+0x10', 4],
        ['0x1000007E_UNKNOWN', 1],
        ['0x1E_a+0x10', 1],
        ['0x50_b+0x20', 1],
      ],
    );
    assert.deepEqual(report.buckets[0], {
      failureBucketId: '0xD1_a+0x10',
      count: 4,
      codes: ['0xd1'],
      modules: ['a'],
      firstSeen: '2025-01-01T00:00:00.000Z',
      lastSeen: '2025-03-01T00:00:00.000Z',
      files: ['/d/a.dmp', '/d/b.dmp'],
    });
    assert.deepEqual(report.buckets[1]?.modules, [], 'no faulting module: none listed');
    assert.equal(report.buckets[1]?.firstSeen, null);
    assert.deepEqual(report.failed, [OUTCOMES[7]]);
  });

  it('gives the same report whatever order the results arrive in', () => {
    const reference = new BucketAggregator();
    for (const o of OUTCOMES) reference.add(o);
    for (const seed of [1, 2, 3, 4, 5]) {
      const a = new BucketAggregator();
      for (const o of shuffled(OUTCOMES, seed)) a.add(o);
      assert.deepEqual(a.report(), reference.report(), `seed ${seed}`);
    }
  });

  it('keeps no example files when asked for none', () => {
    const a = new BucketAggregator(0);
    for (const o of OUTCOMES) a.add(o);
    assert.ok(a.report().buckets.every((b) => b.files.length === 0));
  });
});
