import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createX64Machine,
  MachineError,
  PageFault,
  POOL_FLAG_CACHE_ALIGNED,
  POOL_FLAG_NON_PAGED,
  POOL_FLAG_NON_PAGED_EXECUTE,
  POOL_FLAG_PAGED,
  POOL_FLAG_RAISE_ON_FAILURE,
  POOL_FLAG_UNINITIALIZED,
  PoolError,
  poolTagValue,
} from '../../src/machine/index.js';
import { rawRead, rawTranslate } from './rawWalk.js';

describe('ExAllocatePool2 / ExFreePoolWithTag', () => {
  it('puts paged pool on pageable PTEs and nonpaged pool on resident ones', () => {
    const m = createX64Machine();
    const paged = m.ExAllocatePool2(POOL_FLAG_PAGED, 0x100, 'Pgd1');
    const nonPaged = m.ExAllocatePool2(POOL_FLAG_NON_PAGED, 0x100, 'Npg1');
    assert.notEqual(paged, 0n);
    assert.notEqual(nonPaged, 0n);
    const dtb = m.kernelSpace.directoryTableBase;
    assert.equal(rawTranslate(m.physical, dtb, paged)!.entry & 0x200n, 0x200n);
    assert.equal(rawTranslate(m.physical, dtb, nonPaged)!.entry & 0x200n, 0n);
    assert.equal(m.kernelSpace.translate(paged)!.pageable, true);
    assert.equal(m.kernelSpace.translate(nonPaged)!.pageable, false);
    assert.equal(m.isPagedPool(paged), true);
    assert.equal(m.isPagedPool(nonPaged), false);
    assert.equal(m.physical.owner(rawTranslate(m.physical, dtb, paged)!.pa >> 12n), 'kernel');
    assert.equal(paged >> 44n, 0xffffan, 'paged pool at 0xFFFFA...');
    assert.equal(nonPaged >> 44n, 0xffffbn, 'nonpaged pool at 0xFFFFB...');
  });

  it('writes a POOL_HEADER with the tag in front of small blocks and zeroes them', () => {
    const m = createX64Machine();
    const va = m.ExAllocatePool2(POOL_FLAG_NON_PAGED, 40, 'Abcd');
    const header = rawRead(m.physical, m.kernelSpace.directoryTableBase, va - 16n, 16);
    assert.equal(Buffer.from(header.subarray(4, 8)).toString('latin1'), 'Abcd');
    assert.equal(header[2], 4, 'BlockSize in 16-byte units: header + 48 bytes');
    assert.equal(header[3], 1, 'PoolType byte while allocated');
    assert.deepEqual([...m.readVirtual(va, 40)], new Array(40).fill(0));
    assert.equal(poolTagValue('Abcd'), 0x64636241);
    const aligned = m.ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED, 8, 'Algn');
    assert.equal(aligned % 64n, 0n);
  });

  it('gives large requests whole pages followed by an unmapped page', () => {
    const m = createX64Machine();
    const va = m.ExAllocatePool2(POOL_FLAG_NON_PAGED, 0x2100, 'Big1');
    assert.equal(va & 0xfffn, 0n);
    m.writeVirtual(va + 0x20ffn, Uint8Array.of(7));
    assert.equal(m.isAddressValid(va + 0x2fffn), true);
    assert.equal(m.isAddressValid(va + 0x3000n), false);
    assert.throws(
      () => m.readU8(va + 0x3000n),
      (e: unknown) => e instanceof PageFault && e.reason === 'not-mapped',
    );
    const pa = m.kernelSpace.translate(va)!.pa;
    m.ExFreePoolWithTag(va, 'Big1');
    assert.equal(m.isAddressValid(va), false);
    assert.equal(m.physical.owner(pa >> 12n), 'free');
  });

  it('honours NonPagedExecute (no NX bit) and NonPaged (NX bit)', () => {
    const m = createX64Machine();
    const x = m.ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 64, 'Exec');
    const nx = m.ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, 'NoEx');
    assert.equal(m.kernelSpace.translate(x)!.entry >> 63n, 0n);
    assert.equal(m.kernelSpace.translate(nx)!.entry >> 63n, 1n);
  });

  it('fails with 0n, or raises when asked, on bad requests', () => {
    const m = createX64Machine();
    assert.equal(m.ExAllocatePool2(0n, 16, 'None'), 0n, 'no pool type');
    assert.equal(m.ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_NON_PAGED, 16, 'Both'), 0n);
    assert.equal(m.ExAllocatePool2(POOL_FLAG_PAGED | 0x8000n, 16, 'Bits'), 0n);
    assert.equal(m.ExAllocatePool2(POOL_FLAG_PAGED, 16, 0), 0n, 'tag 0');
    assert.equal(m.ExAllocatePool2(POOL_FLAG_PAGED, -1, 'Neg1'), 0n);
    assert.equal(m.ExAllocatePool2(POOL_FLAG_NON_PAGED, 0x10_0000_0000, 'Huge'), 0n, 'more than the machine has');
    assert.throws(
      () => m.ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_RAISE_ON_FAILURE, 0x10_0000_0000, 'Huge'),
      (e: unknown) =>
        e instanceof PoolError && e.code === 'E_POOL_ALLOCATION_FAILED' && e.details.status === 0xc000009a,
    );
  });

  it('rejects bad frees with BAD_POOL_CALLER details and reuses freed blocks', () => {
    const m = createX64Machine();
    const a = m.ExAllocatePool2(POOL_FLAG_PAGED, 100, 'Tag1');
    m.writeVirtual(a, Uint8Array.of(1, 2, 3));
    assert.throws(
      () => m.ExFreePoolWithTag(a, 'Tag2'),
      (e: unknown) => e instanceof PoolError && e.code === 'E_BAD_POOL_CALLER' && e.details.bugCheckCode === 0xc2,
    );
    assert.throws(
      () => m.ExFreePoolWithTag(a + 16n, 'Tag1'),
      (e: unknown) => e instanceof MachineError && e.code === 'E_BAD_POOL_CALLER',
    );
    m.ExFreePoolWithTag(a, 'Tag1');
    assert.throws(() => m.ExFreePoolWithTag(a, 'Tag1'), /not a live pool allocation/);
    assert.equal(m.readU8(a - 13n), 0, 'PoolType byte cleared on free');
    const b = m.ExAllocatePool2(POOL_FLAG_PAGED, 100, 'Tag3');
    assert.equal(b, a, 'same-size block reused');
    assert.deepEqual([...m.readVirtual(b, 3)], [0, 0, 0], 'zeroed again');
    m.ExFreePoolWithTag(b, 0);
    const c = m.ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_UNINITIALIZED, 100, 'Tag4');
    assert.equal(c, a);
    assert.ok([...m.poolAllocations()].some((x) => x.va === c && x.tag === poolTagValue('Tag4') && x.kind === 'paged'));
  });

  it('keeps device memory out of the kernel address space', () => {
    const m = createX64Machine();
    const pa = m.allocateDeviceMemory(3);
    assert.equal(pa & 0xfffn, 0n);
    for (let i = 0n; i < 3n; i++) assert.equal(m.physical.owner((pa >> 12n) + i), 'device');
    for (const { translation } of m.kernelSpace.mappings()) {
      const pfn = translation.pa >> 12n;
      const pages = BigInt(translation.pageSize / 0x1000);
      assert.ok(pfn + pages <= pa >> 12n || pfn >= (pa >> 12n) + 3n, 'no mapping covers device frames');
    }
    assert.throws(() => m.allocateDeviceMemory(0), /1\.\.65536/);
  });
});
