import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AddressSpace,
  createX64Machine,
  MachineError,
  PhysicalMemory,
  SYSTEM_PML4_PA,
  signExtend,
} from '../../src/machine/index.js';
import { rawTranslate, readQword } from './rawWalk.js';

describe('AddressSpace: x64 page tables in physical memory', () => {
  const m = createX64Machine({ seed: 7 });
  const space = m.kernelSpace;
  const dtb = space.directoryTableBase;

  it('puts the system PML4 at 0x1AD000 with one self-map entry in 0x100..0x1FE', () => {
    assert.equal(dtb, SYSTEM_PML4_PA);
    assert.equal(m.physical.owner(dtb >> 12n), 'pagetable');
    assert.ok(space.selfMapIndex >= 0x100 && space.selfMapIndex <= 0x1fe);
    const selfRefs: number[] = [];
    for (let i = 0; i < 512; i++) {
      const e = readQword(m.physical, dtb + BigInt(i * 8));
      if ((e & 1n) !== 0n && (e & 0x000f_ffff_ffff_f000n) === dtb) selfRefs.push(i);
    }
    assert.deepEqual(selfRefs, [space.selfMapIndex]);
    assert.equal(space.pteBase, signExtend(BigInt(space.selfMapIndex) << 39n));
  });

  it('maps ntoskrnl with 2 MiB pages, as a hand walk of the raw tables shows', () => {
    const k = m.symbols.KernBase;
    assert.equal(k & 0x1f_ffffn, 0n);
    assert.equal(k >> 32n, 0xfffff805n, 'kernel lives at 0xFFFFF805xxxxxxxx');
    for (const offset of [0n, 0x1234n, 0x20_0000n + 0x10n, 0x100_0000n]) {
      const raw = rawTranslate(m.physical, dtb, k + offset)!;
      assert.equal(raw.level, 'PDE');
      assert.equal(raw.pageSize, 0x20_0000);
      const t = space.translate(k + offset)!;
      assert.equal(t.pa, raw.pa);
      assert.equal(t.pageSize, 0x20_0000);
      assert.equal(t.entry, raw.entry);
      assert.equal(m.physical.owner(raw.pa >> 12n), 'kernel');
    }
  });

  it('maps drivers with 4 KiB pages', () => {
    const hal = m.modules[1]!;
    assert.equal(hal.name, 'hal.dll');
    const raw = rawTranslate(m.physical, dtb, hal.base + 0x1008n)!;
    assert.equal(raw.level, 'PTE');
    assert.equal(space.translate(hal.base + 0x1008n)!.pa, raw.pa);
    assert.equal(space.translate(hal.base + 0x1008n)!.pageSize, 0x1000);
  });

  it('maps a 1 GiB page and walks it by hand', () => {
    const p = new PhysicalMemory([{ basePage: 0x100n, pageCount: 0x1000n }]);
    const s = new AddressSpace(p, 0x100000n, 0x1ed);
    const va = 0xffff_9000_4000_0000n;
    s.map1G(va, 0x1_4000_0000n, { writable: false });
    const raw = rawTranslate(p, 0x100000n, va + 0x1234_5678n)!;
    assert.equal(raw.level, 'PDPTE');
    assert.equal(raw.pa, 0x1_4000_0000n + 0x1234_5678n);
    const t = s.translate(va + 0x1234_5678n)!;
    assert.deepEqual(
      { pa: t.pa, size: t.pageSize, writable: t.writable },
      { pa: raw.pa, size: 0x4000_0000, writable: false },
    );
    assert.throws(
      () => s.map4K(va + 0x1000n, 0x200000n),
      (e: unknown) => e instanceof MachineError && /large page/.test(e.message),
    );
    s.unmap(va + 5n);
    assert.equal(s.translate(va), undefined);
    assert.equal(rawTranslate(p, 0x100000n, va), undefined);
  });

  it('exposes page-table entries through the self-map', () => {
    const hal = m.modules[1]!;
    const raw = rawTranslate(m.physical, dtb, hal.base + 0x1000n)!;
    assert.equal(m.readU64(space.pteAddress(hal.base + 0x1000n)), raw.entry);
  });

  it('marks pageable mappings with software bit 9 and checks canonical form', () => {
    const p = new PhysicalMemory([{ basePage: 0x100n, pageCount: 0x100n }]);
    const s = new AddressSpace(p, 0x100000n, 0x100);
    s.map4K(0xffff_a000_0000_0000n, 0x110000n, { pageable: true, noExecute: true });
    s.map2M(0xffff_a000_0020_0000n, 0x400000n);
    const pte = rawTranslate(p, 0x100000n, 0xffff_a000_0000_0000n)!.entry;
    assert.equal(pte & 0x200n, 0x200n);
    assert.equal(pte >> 63n, 1n, 'NX');
    assert.equal(s.translate(0xffff_a000_0000_0000n)!.pageable, true);
    assert.equal(s.translate(0xffff_a000_0020_0000n)!.pageable, false);
    assert.equal(s.translate(0x0000_8000_0000_0000n), undefined);
    assert.equal(s.translate(0xffff_7fff_ffff_f000n), undefined);
    assert.throws(() => s.map4K(0x0000_9000_0000_0000n, 0x111000n), /canonical/);
    assert.throws(() => s.map2M(0xffff_a000_0040_1000n, 0x400000n), /aligned/);
    assert.throws(() => s.map4K(0xffff_a000_0000_0000n, 0x112000n), /already mapped/);
    assert.throws(() => s.map4K(signExtend(0x100n << 39n), 0x112000n), /self-map/);
    assert.throws(
      () => s.unmap(0xffff_a000_0000_1000n),
      (e: unknown) => e instanceof MachineError && e.code === 'E_MACHINE_NOT_MAPPED',
    );
  });

  it('keeps every table frame owned by pagetable and lists mappings in address order', () => {
    const tables = [...m.physical.framesOwnedBy('pagetable')];
    assert.ok(tables.length > 5);
    const maps = [...space.mappings()];
    for (let i = 1; i < maps.length; i++) assert.ok(maps[i]!.va > maps[i - 1]!.va);
    assert.ok(maps.some((x) => x.va === m.symbols.KUSER_SHARED_DATA));
    for (const { translation } of maps) assert.notEqual(m.physical.owner(translation.pa >> 12n), 'pagetable');
  });
});
