import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createX64Machine,
  KUSER_SHARED_DATA_VA,
  MachineError,
  MAX_IO_SPACE_BYTES,
  PageFault,
  SYSTEM_PML4_PA,
  SYSTEM_PTE_REGION_BYTES,
  type Machine,
} from '../../src/machine/index.js';
import { rawTranslate } from './rawWalk.js';

const PTE_WRITE = 2n;
const PTE_USER = 4n;
const PTE_PAGEABLE = 1n << 9n;
const PTE_NX = 1n << 63n;

const slotOf = (va: bigint): number => Number((va >> 39n) & 0x1ffn);

function mappedPagesIn(m: Machine, start: bigint, end: bigint): bigint[] {
  const pages: bigint[] = [];
  for (const { va, translation } of m.kernelSpace.mappings()) {
    if (va + BigInt(translation.pageSize) > start && va < end) pages.push(va);
  }
  return pages;
}

function isMachineArgumentError(error: unknown): boolean {
  return error instanceof MachineError && error.code === 'E_MACHINE_ARGUMENT';
}

describe('Machine.mapIoSpace / unmapIoSpace (MmMapIoSpace)', () => {
  it('maps device frames at page-aligned VAs of the system PTE region, as a raw walk of the tables shows', () => {
    const m = createX64Machine({ seed: 11 });
    const pa = m.allocateDeviceMemory(3);
    const pattern = new Uint8Array(0x3000).map((_, i) => (i * 7 + 3) & 0xff);
    m.physical.write(pa, pattern);

    const va = m.mapIoSpace(pa + 0x10n, 0x2000);
    assert.equal(va & 0xfffn, 0x10n, 'the VA of the physical address itself, page offset kept');
    const base = va & ~0xfffn;
    const { systemPteBase } = m.layout;
    assert.ok(base >= systemPteBase && base + 0x3000n <= systemPteBase + SYSTEM_PTE_REGION_BYTES);
    // 0x10 + 0x2000 bytes cover three pages; each translates by hand to its own device frame.
    for (let i = 0n; i < 3n; i++) {
      const raw = rawTranslate(m.physical, m.kernelSpace.directoryTableBase, base + i * 0x1000n + 0x123n);
      assert.ok(raw, `page ${i} is mapped`);
      assert.equal(raw.level, 'PTE');
      assert.equal(raw.pa, pa + i * 0x1000n + 0x123n);
      assert.equal(raw.entry & PTE_WRITE, PTE_WRITE);
      assert.equal(raw.entry & PTE_NX, PTE_NX);
      assert.equal(raw.entry & PTE_PAGEABLE, 0n, 'nonpaged');
      assert.equal(raw.entry & PTE_USER, 0n, 'supervisor');
      assert.equal(m.physical.owner((pa >> 12n) + i), 'device', 'frames keep their owner');
    }
    assert.equal(
      rawTranslate(m.physical, m.kernelSpace.directoryTableBase, base + 0x3000n),
      undefined,
      'guard page after the mapping',
    );

    // Virtual accesses reach the device's bytes both ways.
    assert.deepEqual(m.readVirtual(va, 0x2000), pattern.subarray(0x10, 0x2010));
    m.writeU32(va + 0x1000n, 0xc0ffee);
    assert.equal(new DataView(m.physical.read(pa + 0x1010n, 4).buffer).getUint32(0, true), 0xc0ffee);

    // A second mapping gets fresh pages past the first one's guard page.
    const va2 = m.mapIoSpace(pa + 0x2000n, 0x1000);
    assert.equal(va2 & 0xfffn, 0n);
    assert.ok(va2 >= base + 0x4000n);
    assert.equal(rawTranslate(m.physical, m.kernelSpace.directoryTableBase, va2)?.pa, pa + 0x2000n);
  });

  it('maps read-only on request (writes fault)', () => {
    const m = createX64Machine({ seed: 12 });
    const pa = m.allocateDeviceMemory(1);
    const va = m.mapIoSpace(pa, 0x1000, { writable: false });
    const raw = rawTranslate(m.physical, m.kernelSpace.directoryTableBase, va)!;
    assert.equal(raw.entry & PTE_WRITE, 0n);
    assert.equal(m.readU32(va), 0);
    assert.throws(
      () => m.writeU32(va, 1),
      (e: unknown) => e instanceof PageFault && e.reason === 'read-only',
    );
  });

  it('reserves a region clear of the self-map, pools, stacks, PFN database and images, for many seeds', () => {
    for (const seed of [0x5eed, 0, 1, 2, 3, 7, 42, 0xbeef, 0x7fff_ffff]) {
      const m = createX64Machine({ seed, processors: 1, memoryBytes: 64n << 20n });
      const { layout } = m;
      const start = layout.systemPteBase;
      const end = start + SYSTEM_PTE_REGION_BYTES;
      assert.equal(start & 0xfffn, 0n);
      assert.equal(slotOf(start), slotOf(end - 1n), 'the region stays inside one PML4 slot');
      assert.ok(slotOf(start) >= 0x100, 'system space');
      const others = [
        layout.kernBase,
        layout.bootDriverBase,
        layout.driverBase,
        layout.nonPagedPoolBase,
        layout.pagedPoolBase,
        layout.kernelStackBase,
        layout.pfnDatabase,
        KUSER_SHARED_DATA_VA,
        m.kernelSpace.pteBase,
      ];
      for (const other of others)
        assert.notEqual(
          slotOf(start),
          slotOf(other),
          `seed ${seed}: slot 0x${slotOf(start).toString(16)} is shared with 0x${other.toString(16)}`,
        );
      assert.notEqual(slotOf(start), layout.selfMapIndex);
      // Nothing the machine built at boot lives there.
      assert.deepEqual(mappedPagesIn(m, start, end), []);
      // And a mapping lands there and nowhere else.
      const before = [...m.kernelSpace.mappings()].length;
      const va = m.mapIoSpace(m.allocateDeviceMemory(2), 0x2000);
      assert.equal([...m.kernelSpace.mappings()].length, before + 2);
      assert.equal(mappedPagesIn(m, start, end).length, 2);
      assert.ok(va >= start && va < end);
    }
  });

  it('places the region by seed: same seed same place, another seed elsewhere', () => {
    const a = createX64Machine({ seed: 99 }).layout;
    const b = createX64Machine({ seed: 99 }).layout;
    assert.deepEqual(a, b);
    assert.notEqual(createX64Machine({ seed: 98 }).layout.systemPteBase, a.systemPteBase);
  });

  it('unmaps, leaves the frames to the device and reuses the range', () => {
    const m = createX64Machine({ seed: 13 });
    const dtb = m.kernelSpace.directoryTableBase;
    const pa = m.allocateDeviceMemory(2);
    const va = m.mapIoSpace(pa + 0x800n, 0x1000);
    assert.ok(m.isAddressValid(va) && m.isAddressValid(va + 0x1000n));
    m.unmapIoSpace(va, 0x1000);
    assert.equal(m.isAddressValid(va), false);
    assert.equal(rawTranslate(m.physical, dtb, va), undefined);
    assert.equal(rawTranslate(m.physical, dtb, va + 0x1000n), undefined);
    assert.equal(m.physical.owner(pa >> 12n), 'device');
    assert.equal(m.physical.owner((pa >> 12n) + 1n), 'device');
    assert.throws(() => m.readU8(va), PageFault);
    assert.throws(() => m.unmapIoSpace(va, 0x1000), isMachineArgumentError, 'a second unmap is refused');
    // The freed range is handed out again.
    assert.equal(m.mapIoSpace(pa, 0x2000), va & ~0xfffn);
  });

  it('steps over pages someone mapped by hand inside the region', () => {
    const m = createX64Machine({ seed: 14 });
    const squatter = m.layout.systemPteBase + 0x1000n;
    m.kernelSpace.map4K(squatter, m.physical.allocateFrame('kernel') << 12n);
    const pa = m.allocateDeviceMemory(2);
    const va = m.mapIoSpace(pa, 0x2000);
    assert.ok(va > squatter);
    assert.equal(m.kernelSpace.translate(va)?.pa, pa);
    assert.equal(m.kernelSpace.translate(va + 0x1000n)?.pa, pa + 0x1000n);
  });

  it('refuses bad arguments with MachineError and maps nothing', () => {
    const m = createX64Machine({ seed: 15 });
    const pa = m.allocateDeviceMemory(1);
    const start = m.layout.systemPteBase;
    const end = start + SYSTEM_PTE_REGION_BYTES;
    for (const bytes of [0, -1, 1.5, Number.NaN, MAX_IO_SPACE_BYTES + 1]) {
      assert.throws(() => m.mapIoSpace(pa, bytes), isMachineArgumentError, `NumberOfBytes ${bytes}`);
    }
    assert.throws(() => m.mapIoSpace(-0x1000n, 0x1000), isMachineArgumentError);
    assert.throws(() => m.mapIoSpace(1n << 52n, 0x1000), isMachineArgumentError);
    assert.throws(() => m.mapIoSpace((1n << 52n) - 0x800n, 0x1000), isMachineArgumentError, 'range runs past 52 bits');
    assert.throws(() => m.mapIoSpace(0x1000 as unknown as bigint, 0x1000), isMachineArgumentError);
    assert.throws(() => m.mapIoSpace(SYSTEM_PML4_PA, 0x1000), isMachineArgumentError, 'page tables are not I/O space');
    assert.deepEqual(mappedPagesIn(m, start, end), []);

    const va = m.mapIoSpace(pa, 0x1000);
    assert.throws(() => m.unmapIoSpace(va, 0x2000), isMachineArgumentError, 'wrong size');
    assert.throws(() => m.unmapIoSpace(va, 0), isMachineArgumentError);
    assert.throws(() => m.unmapIoSpace(va + 0x1000n, 0x1000), isMachineArgumentError, 'not the start of a mapping');
    assert.throws(() => m.unmapIoSpace(m.symbols.KernBase, 0x1000), isMachineArgumentError, 'outside the region');
    assert.equal(m.kernelSpace.translate(va)?.pa, pa, 'failed unmaps leave the mapping');
    m.unmapIoSpace(va, 0x1000);
  });
});
