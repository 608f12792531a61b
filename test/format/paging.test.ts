import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DTB_PCID_MASK,
  PTE_FRAME_MASK,
  PTE_FRAME_MASK_1G,
  PTE_FRAME_MASK_2M,
  PTE_LARGE,
  PTE_NX,
  PTE_PRESENT,
  PTE_PROTOTYPE,
  PTE_SOFTWARE_PAGEABLE,
  PTE_TRANSITION,
  directoryTableBaseAddress,
  isCanonical,
  pageTableIndices,
  virtualAddressFromIndices,
} from '../../src/format/index.js';

test('PTE bits and masks', () => {
  assert.equal(PTE_PRESENT, 1n);
  assert.equal(PTE_LARGE, 1n << 7n);
  assert.equal(PTE_SOFTWARE_PAGEABLE, 1n << 9n);
  assert.equal(PTE_PROTOTYPE, 1n << 10n);
  assert.equal(PTE_TRANSITION, 1n << 11n);
  assert.equal(PTE_NX, 0x8000000000000000n);
  // frame masks cover bits 12/21/30 .. 51
  assert.equal(PTE_FRAME_MASK, ((1n << 52n) - 1n) & ~0xfffn);
  assert.equal(PTE_FRAME_MASK_2M, ((1n << 52n) - 1n) & ~((1n << 21n) - 1n));
  assert.equal(PTE_FRAME_MASK_1G, ((1n << 52n) - 1n) & ~((1n << 30n) - 1n));
  assert.equal(DTB_PCID_MASK, 0xfffn);
  assert.equal(directoryTableBaseAddress(0x6d4002n), 0x6d4000n, 'genuine DTB with PCID bits');
  assert.equal(directoryTableBaseAddress(0x80000000001ad001n), 0x1ad000n, 'bit 63 of CR3 dropped');
});

test('isCanonical: bits 63-48 copy bit 47', () => {
  assert.ok(isCanonical(0n));
  assert.ok(isCanonical(0x00007fffffffffffn));
  assert.ok(!isCanonical(0x0000800000000000n));
  assert.ok(!isCanonical(0xffff7fffffffffffn));
  assert.ok(isCanonical(0xffff800000000000n));
  assert.ok(isCanonical(0xfffff8047ba00000n));
  assert.ok(isCanonical(0xffffffffffffffffn));
  assert.ok(!isCanonical(-1n), 'negative bigints are not addresses');
  assert.ok(!isCanonical(1n << 64n));
});

test('pageTableIndices splits 9/9/9/9/12', () => {
  assert.deepEqual(pageTableIndices(0xfffff78000000000n), { pml4: 0x1ef, pdpt: 0, pd: 0, pt: 0, offset: 0 });
  assert.deepEqual(pageTableIndices(0xfffff80513370abcn), {
    pml4: 0x1f0,
    pdpt: 0x014,
    pd: 0x099,
    pt: 0x170,
    offset: 0xabc,
  });
  assert.deepEqual(pageTableIndices(0x1000n), { pml4: 0, pdpt: 0, pd: 0, pt: 1, offset: 0 });
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: (1n << 48n) - 1n }), (low48) => {
      const va = (low48 & (1n << 47n)) !== 0n ? low48 | 0xffff000000000000n : low48;
      const i = pageTableIndices(va);
      for (const n of [i.pml4, i.pdpt, i.pd, i.pt]) assert.ok(n >= 0 && n < 512);
      assert.ok(i.offset >= 0 && i.offset < 4096);
      assert.equal(virtualAddressFromIndices(i), va);
      assert.ok(isCanonical(va));
    }),
  );
});
