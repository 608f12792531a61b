import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createX64Machine, MachineError, PhysicalMemory } from '../../src/machine/index.js';

const GiB = 1n << 30n;

describe('PhysicalMemory', () => {
  it('builds a PC-like memory map holding exactly the claimed RAM', () => {
    const m = createX64Machine({ memoryBytes: 8n * GiB });
    const runs = m.physical.runs;
    assert.ok(runs.length >= 3 && runs.length <= 42);
    assert.equal(m.physical.totalPages, (8n * GiB) / 0x1000n);
    assert.equal(
      runs.reduce((s, r) => s + r.pageCount, 0n),
      m.physical.totalPages,
    );
    for (let i = 1; i < runs.length; i++) {
      assert.ok(runs[i]!.basePage > runs[i - 1]!.basePage + runs[i - 1]!.pageCount, 'runs are separated by holes');
    }
    assert.equal(m.physical.isBacked(0n), false, 'page 0 is reserved');
    assert.equal(m.physical.isBacked(0xa0n), false, 'legacy VGA window is a hole');
    assert.equal(m.physical.isBacked(0xc0000n), false, 'PCI window below 4 GiB is a hole');
    assert.equal(m.physical.isBacked(0x1adn), true);
    const last = runs[runs.length - 1]!;
    assert.equal(m.physical.highestPfn, last.basePage + last.pageCount - 1n);
    assert.ok(m.physical.highestPfn > 0x100000n, 'RAM above the PCI hole is remapped above 4 GiB');
  });

  it('keeps a 64 GiB machine sparse', () => {
    const m = createX64Machine({ memoryBytes: 64n * GiB });
    assert.equal(m.physical.totalPages, 16n * 1024n * 1024n);
    assert.ok(m.physical.populatedCount < 20000, `populatedCount ${m.physical.populatedCount}`);
    const high = m.physical.highestPfn;
    assert.equal(m.physical.isPopulated(high), false);
    assert.deepEqual(
      [...m.physical.readPage(high)].some((b) => b !== 0),
      false,
    );
    const before = m.physical.populatedCount;
    m.physical.write(high << 12n, Uint8Array.of(1, 2, 3));
    assert.equal(m.physical.populatedCount, before + 1);
    assert.equal(m.physical.owner(high), 'user');
    assert.deepEqual([...m.physical.read(high << 12n, 4)], [1, 2, 3, 0]);
  });

  it('reads and writes across page boundaries and refuses unbacked addresses', () => {
    const p = new PhysicalMemory([
      { basePage: 0x10n, pageCount: 4n },
      { basePage: 0x20n, pageCount: 2n },
    ]);
    const data = Uint8Array.from({ length: 0x1800 }, (_, i) => i & 0xff);
    p.write(0x10800n, data);
    assert.deepEqual(p.read(0x10800n, 0x1800), data);
    assert.deepEqual([...p.populatedFrames()], [0x10n, 0x11n]);
    assert.throws(
      () => p.read(0x13ff0n, 0x20),
      (e: unknown) => e instanceof MachineError && e.code === 'E_PHYSICAL_NOT_BACKED',
    );
    assert.throws(
      () => p.write(0x30000n, Uint8Array.of(1)),
      (e: unknown) => e instanceof MachineError && e.code === 'E_PHYSICAL_NOT_BACKED',
    );
    assert.throws(() => p.readPage(0x14n), /not in the memory map/);
  });

  it('allocates zeroed frames with owners, lazily, and reuses freed ones', () => {
    const p = new PhysicalMemory([{ basePage: 0x100n, pageCount: 0x2000n }]);
    const a = p.allocateFrame('kernel');
    const b = p.allocateFrame('device');
    assert.notEqual(a, b);
    assert.equal(p.owner(a), 'kernel');
    assert.equal(p.owner(b), 'device');
    assert.equal(p.owner(a + 100n), 'free');
    assert.equal(p.isPopulated(a), true);
    assert.deepEqual([...p.framesOwnedBy('device')], [b]);
    assert.equal(p.freeCount, 0x2000n - 2n);
    p.write(a << 12n, Uint8Array.of(0xaa));
    p.freeFrame(a);
    assert.equal(p.owner(a), 'free');
    const again = p.allocateFrame('kernel');
    assert.equal(again, a, 'a freed frame is handed out again');
    assert.equal(p.read(again << 12n, 1)[0], 0, 'and it comes back zeroed');
    assert.throws(
      () => p.freeFrame(a + 50n),
      (e: unknown) => e instanceof MachineError && e.code === 'E_MACHINE_FRAME_FREE',
    );
  });

  it('allocates aligned contiguous blocks inside one run and never hands out touched frames', () => {
    const p = new PhysicalMemory([
      { basePage: 0x1n, pageCount: 0x2ffn },
      { basePage: 0x500n, pageCount: 0x1000n },
    ]);
    p.write(0x600n << 12n, Uint8Array.of(9));
    const first = p.allocateContiguousFrames(0x200, 'kernel', 0x200);
    assert.equal(first % 0x200n, 0n);
    assert.ok(first >= 0x800n, 'skips the too-small first run and the touched frame 0x600');
    for (let i = 0n; i < 0x200n; i++) assert.equal(p.owner(first + i), 'kernel');
    const frames = new Set<bigint>();
    for (let i = 0; i < 0x300; i++) frames.add(p.allocateFrame('user'));
    assert.equal(frames.size, 0x300);
    assert.equal(frames.has(0x600n), false);
    for (const f of frames) assert.ok(f < first || f >= first + 0x200n);
    assert.throws(
      () => p.allocateContiguousFrames(0x2000, 'kernel'),
      (e: unknown) => e instanceof MachineError && e.code === 'E_MACHINE_OUT_OF_MEMORY',
    );
  });

  it('writePages populates whole pages in one call', () => {
    const p = new PhysicalMemory([{ basePage: 0n, pageCount: 0x100n }]);
    const data = new Uint8Array(0x3000).fill(0x5a);
    p.writePages(0x10n, data);
    assert.deepEqual([...p.populatedFrames()], [0x10n, 0x11n, 0x12n]);
    assert.equal(p.readPage(0x12n)[0xfff], 0x5a);
    assert.throws(() => p.writePages(0x20n, new Uint8Array(10)), /whole pages/);
  });

  it('sharePages fills many frames from one template, copy-on-write', () => {
    const p = new PhysicalMemory([{ basePage: 0n, pageCount: 0x1000n }]);
    const template = new Uint8Array(0x1000).fill(0x77);
    p.sharePages(0x100n, 0x200, template);
    template.fill(0, 0, 16);
    assert.equal(p.populatedCount, 0x200);
    assert.equal(p.readPage(0x2ffn)[0], 0x77, 'template was copied, later changes by the caller do not leak');
    p.write(0x150n << 12n, Uint8Array.of(1));
    assert.equal(p.read(0x150n << 12n, 2)[0], 1);
    assert.equal(p.read(0x150n << 12n, 2)[1], 0x77);
    assert.equal(p.readPage(0x151n)[0], 0x77, 'other sharers unchanged');
    p.freeFrame(0x151n);
    const reused = p.allocateFrame('kernel');
    assert.equal(reused, 0x151n);
    assert.equal(p.readPage(reused)[0], 0, 'a freed shared frame comes back zeroed');
    assert.equal(p.readPage(0x152n)[0], 0x77, 'without touching the other sharers');
    assert.throws(
      () => p.sharePages(0xf00n, 0x200, new Uint8Array(0x1000)),
      (e: unknown) => e instanceof MachineError && e.code === 'E_PHYSICAL_NOT_BACKED',
    );
  });

  it('adoptPages takes the caller buffer as storage without copying', () => {
    const p = new PhysicalMemory([{ basePage: 0n, pageCount: 0x100n }]);
    const buffer = new Uint8Array(0x2000).fill(3);
    p.adoptPages(0x20n, buffer);
    assert.deepEqual([...p.populatedFrames()], [0x20n, 0x21n]);
    p.write(0x21000n, Uint8Array.of(9));
    assert.equal(buffer[0x1000], 9, 'the frame is the adopted buffer');
    assert.equal(p.owner(0x20n), 'user');
  });

  it('rejects bad memory maps', () => {
    assert.throws(() => new PhysicalMemory([]), /1\.\.42 runs/);
    assert.throws(
      () => new PhysicalMemory(Array.from({ length: 43 }, (_, i) => ({ basePage: BigInt(i * 10), pageCount: 1n }))),
      /1\.\.42 runs/,
    );
    assert.throws(
      () =>
        new PhysicalMemory([
          { basePage: 10n, pageCount: 5n },
          { basePage: 12n, pageCount: 5n },
        ]),
      /disjoint/,
    );
  });
});
