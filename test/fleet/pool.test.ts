/**
 * The per-dump work of bucket (a small dump read whole, then the same reader
 * and analyzer as for one dump) and the pool that spreads it: the whole-file
 * path gives the analysis the file source gives, anything it does not handle
 * falls through to the file source's own errors, and the guided batches hand
 * out every file exactly once.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeDump } from '../../src/analyze/index.js';
import { openDumpFile } from '../../src/dump/reader/fileSource.js';
import { batchSize, MAX_BATCH_FILES, startDumpPool } from '../../src/fleet/pool.js';
import { analyzeDumpFile, type DumpOutcome, smallFileBytes, WHOLE_FILE_LIMIT } from '../../src/fleet/summary.js';
import { GENUINE_DUMP_PATH, genuineDumpSkip } from '../genuineDump.js';
import { tempFolder } from '../scenario/helpers.js';
import { writeCorpus } from './corpus.js';

let folder: string;
let files: string[];
let damaged: string;
before(async () => {
  folder = await tempFolder('fleet-pool');
  files = await writeCorpus(folder, 30, 6);
  damaged = join(folder, 'damaged.dmp');
  await writeFile(damaged, new Uint8Array(0x300).fill(0x41));
});

/** What `analyze DUMP --json` computes: the file source, read in place. */
async function throughFileSource(file: string): Promise<unknown> {
  let dump: Awaited<ReturnType<typeof openDumpFile>>;
  try {
    dump = await openDumpFile(file);
  } catch (error) {
    return asJson({ file, error: (error as { toJSON(): unknown }).toJSON() });
  }
  try {
    return asJson({ file, analysis: await analyzeDump(dump) });
  } finally {
    await dump.close();
  }
}
const bigintsAsHex = (_key: string, v: unknown): unknown => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v);
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value, bigintsAsHex));

describe('a small dump read whole', () => {
  it('smallFileBytes gives the file’s bytes', async () => {
    const bytes = smallFileBytes(files[7]!);
    assert.ok(bytes !== undefined);
    assert.deepEqual(bytes, new Uint8Array(await readFile(files[7]!)));
  });

  it('leaves missing paths, folders and files over the limit to the file source', async () => {
    assert.equal(smallFileBytes(join(folder, 'missing.dmp')), undefined);
    const sub = join(folder, 'a-folder.dmp');
    await mkdir(sub);
    assert.equal(smallFileBytes(sub), undefined);
    const big = join(folder, 'big.dmp');
    await writeFile(big, '');
    await truncate(big, WHOLE_FILE_LIMIT + 1); // sparse: no disk used
    assert.equal(smallFileBytes(big), undefined);
    await truncate(big, WHOLE_FILE_LIMIT);
    assert.equal(smallFileBytes(big)?.length, WHOLE_FILE_LIMIT);
    // And the outcome for a path it leaves alone is the file source's error.
    const missing = await analyzeDumpFile(join(folder, 'missing.dmp'));
    assert.ok('error' in missing);
    assert.equal(missing.error.code, 'E_DUMP_OPEN');
    const notFile = await analyzeDumpFile(sub);
    assert.ok('error' in notFile);
    assert.match(notFile.error.message, /not a regular file \(a directory\)/);
  });

  it('analyses to the same JSON as the file source, and fails with the same error', async () => {
    for (const file of [files[0]!, files[5]!, files[29]!, damaged]) {
      const whole = await analyzeDumpFile(file);
      assert.deepEqual(asJson(whole), await throughFileSource(file), file);
    }
    const bad = await analyzeDumpFile(damaged);
    assert.ok('error' in bad);
    assert.match(bad.error.code, /^E_DUMP_/);
  });

  it('the genuine triage dump too', { skip: genuineDumpSkip() }, async () => {
    const whole = await analyzeDumpFile(GENUINE_DUMP_PATH);
    assert.ok('analysis' in whole);
    assert.equal(whole.analysis.failureBucketId, '0x1000007E_amdppm+0x334c');
    assert.deepEqual(asJson(whole), await throughFileSource(GENUINE_DUMP_PATH));
  });
});

describe('the pool', () => {
  it('guided batches: a share of what is left, at most MAX_BATCH_FILES, single files at the end', () => {
    for (const [total, jobs] of [
      [10_000, 2],
      [40, 2],
      [7, 3],
      [1, 4],
    ] as const) {
      const sizes: number[] = [];
      for (let left = total; left > 0; left -= sizes.at(-1)!) sizes.push(batchSize(left, jobs));
      assert.equal(
        sizes.reduce((a, b) => a + b, 0),
        total,
      );
      assert.ok(Math.max(...sizes) <= MAX_BATCH_FILES);
      assert.equal(sizes.at(-1), 1);
      for (let i = 1; i < sizes.length; i++) assert.ok(sizes[i]! <= sizes[i - 1]!, 'never growing');
    }
    assert.equal(batchSize(10_000, 2), MAX_BATCH_FILES);
    assert.equal(batchSize(40, 2), 5);
  });

  it('two workers report every file once, with the outcome this thread computes', async () => {
    const all = [...files, damaged, join(folder, 'missing.dmp')];
    const collect = async (jobs: number): Promise<Map<string, DumpOutcome>> => {
      const got = new Map<string, DumpOutcome>();
      const pool = startDumpPool(jobs);
      try {
        await pool.run(all, (outcome) => {
          assert.equal(got.has(outcome.file), false, `${outcome.file} reported twice`);
          got.set(outcome.file, outcome);
        });
      } finally {
        await pool.close();
      }
      return got;
    };
    const one = await collect(1);
    const two = await collect(2);
    assert.equal(two.size, all.length);
    for (const file of all) assert.deepEqual(two.get(file), one.get(file), file);
    assert.equal(two.get(damaged) !== undefined && 'error' in two.get(damaged)!, true);
  });

  it('refuses jobs < 1', () => {
    assert.throws(() => startDumpPool(0), { code: 'E_INTERNAL' });
  });
});
