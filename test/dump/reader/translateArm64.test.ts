import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { openDump } from '../../../src/dump/reader/index.js';
import { translateArm64, walkArm64 } from '../../../src/dump/reader/translateArm64.js';
import { A64, buildArm64KernelDump } from '../../synth/arm64.js';

async function openArm64() {
  const built = buildArm64KernelDump();
  const path = join(await mkdtemp(join(tmpdir(), 'bugcheck-arm64-')), 'arm64.dmp');
  await writeFile(path, built.bytes);
  return { built, dump: await openDump(path) };
}

describe('ARM64 translation (4 KiB granule, 4 levels) on a synthetic ARM64 kernel dump', () => {
  it('maps every page the tables map to the physical page the builder put there, and reads its bytes', async () => {
    const { built, dump } = await openArm64();
    try {
      assert.equal(dump.machine.name, 'ARM64');
      assert.equal(
        dump.problems.filter((p) => p.code === 'E_DUMP_UNSUPPORTED').length,
        0,
        'ARM64 is no longer "not decoded"',
      );
      for (const { va, pa } of built.pages) {
        const t = await dump.translate(va + 0x18n);
        assert.deepEqual(t.status === 'mapped' && [t.pa, t.inDump], [pa + 0x18n, true], va.toString(16));
        const virt = await dump.readVirtual(va, 0x40);
        const phys = await dump.readPhysical(pa, 0x40);
        assert.equal(virt.complete, true);
        assert.deepEqual(virt.bytes, phys.bytes);
      }
    } finally {
      await dump.close();
    }
  });

  it('2 MiB (L2) and 1 GiB (L1) blocks; invalid descriptors; a missing table page; non-canonical addresses', async () => {
    const { dump } = await openArm64();
    try {
      const block2m = await dump.translate(A64.block2m + 0x3123n);
      assert.deepEqual(block2m, { status: 'mapped', pa: A64.block2mPa + 0x3123n, pageSize: 0x200000, inDump: true });
      assert.equal((await dump.readVirtual(A64.block2m + 0x3000n, 4)).bytes[0], 0x2b);
      const absent = await dump.translate(A64.block2m + 0x8000n);
      assert.deepEqual(absent, { status: 'mapped', pa: A64.block2mPa + 0x8000n, pageSize: 0x200000, inDump: false });
      const block1g = await dump.translate(A64.block1g + 0x5010n);
      assert.deepEqual(block1g, { status: 'mapped', pa: A64.block1gPa + 0x5010n, pageSize: 0x40000000, inDump: true });
      assert.deepEqual(await dump.translate(A64.reservedL3), { status: 'not-mapped', level: 'L3' });
      assert.deepEqual(await dump.translate(A64.unmappedL1), { status: 'not-mapped', level: 'L1' });
      assert.deepEqual(await dump.translate(0xffff_0000_0000_0000n), { status: 'not-mapped', level: 'L0' });
      assert.deepEqual(await dump.translate(0x8000_0000_0000_0000n), { status: 'non-canonical' });
      assert.equal((await dump.readVirtual(A64.reservedL3, 8)).status[0]?.status, 'not-mapped');
    } finally {
      await dump.close();
    }
  });

  it('the walk is pure: a synchronous reader drives it, and it reads at most four entries', () => {
    const built = buildArm64KernelDump();
    const reads: bigint[] = [];
    // A table whose every entry points back at itself (a self-map gone wrong) still ends after four reads.
    const t = translateArm64(
      0xfffff80000001000n,
      0x10000n,
      (pa) => {
        reads.push(pa);
        return 0x10000n | 3n;
      },
      () => true,
    );
    assert.equal(reads.length, 4);
    assert.deepEqual(t, { status: 'mapped', pa: 0x10000n, pageSize: 0x1000, inDump: true });
    const walk = walkArm64(A64.nt, built.directoryTableBase);
    const first = walk.next();
    assert.equal(first.done, false);
    assert.equal(first.value, built.directoryTableBase + ((A64.nt >> 39n) & 0x1ffn) * 8n);
    assert.deepEqual(walk.next(undefined).value, {
      status: 'not-in-dump',
      level: 'L0',
      tablePa: built.directoryTableBase,
    });
  });
});
