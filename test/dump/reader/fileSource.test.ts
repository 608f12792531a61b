import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileDumpSource } from '../../../src/dump/reader/fileSource.js';
import { pattern, writeTemp } from './helpers.js';

/** The descriptors this process has open on `path` (Linux /proc), to see that close() really closes. */
async function descriptorsOn(path: string): Promise<number> {
  const { readdirSync, readlinkSync } = await import('node:fs');
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) n++;
    } catch {
      // gone meanwhile
    }
  }
  return n;
}

describe('FileDumpSource', () => {
  it('reads synchronously and through the thread pool, and closes its descriptor', async () => {
    const bytes = pattern(7, 0x20000);
    const path = await writeTemp(bytes, 'source');
    const source = await FileDumpSource.open(path);
    assert.equal(source.size, bytes.length);
    const a = new Uint8Array(0x100);
    assert.equal(source.readSync(a, 0, 0x100, 0x1000), 0x100);
    assert.deepEqual(a, bytes.subarray(0x1000, 0x1100));
    const b = new Uint8Array(0x8000);
    assert.equal(await source.read(b, 0, 0x8000, 0x10000), 0x8000);
    assert.deepEqual(b, bytes.subarray(0x10000, 0x18000));
    if (process.platform === 'linux') assert.equal(await descriptorsOn(path), 1);
    await source.close();
    await source.close();
    if (process.platform === 'linux') assert.equal(await descriptorsOn(path), 0);
    assert.throws(() => source.readSync(a, 0, 1, 0), { code: 'E_DUMP_CLOSED' });
    await assert.rejects(source.read(a, 0, 1, 0), { code: 'E_DUMP_CLOSED' });
  });

  it('a read in the thread pool when close() is called still ends with its bytes; the descriptor closes after it', async () => {
    const bytes = pattern(9, 0x40000);
    const path = await writeTemp(bytes, 'source');
    const source = await FileDumpSource.open(path);
    const target = new Uint8Array(0x40000);
    const reading = source.read(target, 0, target.length, 0);
    await source.close();
    assert.equal(await reading, target.length);
    assert.deepEqual(target, bytes);
    if (process.platform === 'linux') assert.equal(await descriptorsOn(path), 0);
  });

  it('refuses what is not a regular file before opening it', async () => {
    await assert.rejects(FileDumpSource.open('/dev/null'), { code: 'E_DUMP_OPEN', message: /character device/ });
    await assert.rejects(FileDumpSource.open('/nonexistent/dump.dmp'), { code: 'E_DUMP_OPEN' });
  });
});
