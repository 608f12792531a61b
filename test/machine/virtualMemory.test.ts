import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createX64Machine, PageFault, type Machine, type MemoryAccess } from '../../src/machine/index.js';

/** An otherwise unused PML4 slot (0x180) of the default machine. */
const SCRATCH_VA = 0xffff_c000_0000_0000n;

function mapScratch(m: Machine, pages: number): { va: bigint; pas: bigint[] } {
  const first = m.physical.allocateContiguousFrames(pages, 'kernel') << 12n;
  const pas = Array.from({ length: pages }, (_, i) => first + BigInt(i) * 0x1000n);
  for (const [i, pa] of pas.entries()) m.kernelSpace.map4K(SCRATCH_VA + BigInt(i) * 0x1000n, pa);
  return { va: SCRATCH_VA, pas };
}

describe('VirtualMemory scalar accesses', () => {
  it('see every change to RAM, whatever path made it', () => {
    const m = createX64Machine();
    const { va, pas } = mapScratch(m, 1);
    const pa = pas[0]!;
    assert.equal(m.readU64(va + 8n), 0n, 'a frame never written reads as zeros');
    m.writeU64(va + 8n, 0x1122_3344_5566_7788n);
    assert.equal(m.readU64(va + 8n), 0x1122_3344_5566_7788n);
    assert.deepEqual([...m.physical.read(pa + 8n, 2)], [0x88, 0x77]);

    m.physical.write(pa + 8n, Uint8Array.of(0xaa));
    assert.equal(m.readU8(va + 8n), 0xaa, 'a raw physical write is seen at once');
    assert.equal(m.readU32(va + 8n), 0x5566_77aa);

    const adopted = new Uint8Array(0x1000);
    adopted[0x10] = 0x5a;
    m.physical.adoptPages(pa >> 12n, adopted);
    assert.equal(m.readU8(va + 0x10n), 0x5a, 'new storage for the frame is seen');
    m.writeU32(va + 0x20n, 0xcafe_f00d);
    assert.equal(new DataView(adopted.buffer).getUint32(0x20, true), 0xcafe_f00d, 'and written in place');
    assert.deepEqual([...m.readVirtual(va + 0x20n, 4)], [0x0d, 0xf0, 0xfe, 0xca]);
  });

  it('never write through to a frame shared copy-on-write', () => {
    const m = createX64Machine();
    const { va, pas } = mapScratch(m, 2);
    const template = new Uint8Array(0x1000).fill(0x11);
    m.physical.sharePages(pas[0]! >> 12n, 2, template);
    assert.equal(m.readU8(va), 0x11);
    assert.equal(m.readU8(va + 0x1000n), 0x11);
    m.writeU64(va, 0n);
    m.writeU8(va + 0x1000n + 5n, 0x22);
    assert.equal(m.readU64(va), 0n);
    assert.equal(m.readU8(va + 0x1000n), 0x11, 'the other frame still holds the template');
    assert.equal(m.readU8(va + 0x1000n + 5n), 0x22);
    assert.equal(template[0], 0x11, "the caller's template is untouched");
  });

  it('follow page-table changes: an unmapped page faults, a freed frame reads as zeros', () => {
    const m = createX64Machine();
    const { va, pas } = mapScratch(m, 2);
    m.writeU64(va, 7n);
    m.writeU64(va + 0x1000n, 9n);
    assert.equal(m.readU64(va), 7n);
    m.kernelSpace.unmap(va);
    assert.throws(
      () => m.readU64(va),
      (e: unknown) => e instanceof PageFault && e.reason === 'not-mapped',
    );
    assert.throws(
      () => m.writeU32(va, 1),
      (e: unknown) => e instanceof PageFault && e.reason === 'not-mapped',
    );
    assert.equal(m.readU64(va + 0x1000n), 9n);
    m.physical.freeFrame(pas[1]! >> 12n);
    assert.equal(m.readU64(va + 0x1000n), 0n);
  });

  it('handle accesses that straddle two pages as one access', () => {
    const m = createX64Machine();
    const { va } = mapScratch(m, 2);
    const seen: Array<[bigint, number, MemoryAccess]> = [];
    m.guard = {
      onAccess: (a, l, x) => {
        seen.push([a, l, x]);
      },
      onAllocate: () => {},
    };
    m.writeU64(va + 0xffcn, 0x0102_0304_0506_0708n);
    assert.equal(m.readU64(va + 0xffcn), 0x0102_0304_0506_0708n);
    assert.equal(m.readU32(va + 0xffen), 0x0304_0506);
    assert.equal(m.readU32(va + 0x1000n), 0x0102_0304);
    const into = new Uint8Array(8);
    m.readVirtualInto(va + 0xffcn, into);
    assert.deepEqual([...into], [8, 7, 6, 5, 4, 3, 2, 1]);
    m.guard = null;
    assert.deepEqual(seen, [
      [va + 0xffcn, 8, 'write'],
      [va + 0xffcn, 8, 'read'],
      [va + 0xffen, 4, 'read'],
      [va + 0x1000n, 4, 'read'],
      [va + 0xffcn, 8, 'read'],
    ]);
  });

  it('refuse a write to a read-only page before the guard sees it', () => {
    const m = createX64Machine();
    const module = m.loadModule('ro.sys', 0x4000);
    const seen: bigint[] = [];
    m.guard = {
      onAccess: (a) => {
        seen.push(a);
      },
      onAllocate: () => {},
    };
    const header = m.readU32(module.base);
    assert.equal(header & 0xffff, 0x5a4d, 'MZ');
    assert.throws(
      () => m.writeU32(module.base, 0),
      (e: unknown) => e instanceof PageFault && e.reason === 'read-only' && e.access === 'write',
    );
    assert.throws(
      () => m.writeU8(module.base, 0),
      (e: unknown) => e instanceof PageFault && e.reason === 'read-only',
    );
    assert.throws(
      () => m.writeU64(module.base, 0n),
      (e: unknown) => e instanceof PageFault && e.reason === 'read-only',
    );
    m.guard = null;
    assert.deepEqual(seen, [module.base]);
    assert.equal(m.readU32(module.base), header);
  });

  it('read ANSI strings page by page: across a page end, up to maxLength, latin1, one access per page', () => {
    const m = createX64Machine();
    const { va } = mapScratch(m, 3);
    const text = `componént-${'x'.repeat(20)}`;
    const at = va + 0x1000n - 12n;
    m.writeVirtual(at, Uint8Array.from(Buffer.from(`${text}\0`, 'latin1')));
    const seen: Array<[bigint, number]> = [];
    m.guard = {
      onAccess: (a, l) => {
        seen.push([a, l]);
      },
      onAllocate: () => {},
    };
    assert.equal(m.readAnsiString(at, 256), text);
    assert.deepEqual(seen, [
      [at, 12],
      [va + 0x1000n, 256 - 12],
    ]);
    assert.equal(m.readAnsiString(at, 5), text.slice(0, 5));
    assert.equal(m.readAnsiString(va + 0x2000n, 64), '', 'a page never written holds an empty string');
    m.guard = null;
    const long = 'L'.repeat(0x1800);
    m.writeVirtual(va + 0x10n, Uint8Array.from(Buffer.from(long, 'latin1')));
    assert.equal(m.readAnsiString(va + 0x10n, 0x2000), long, 'stops at the zeros after the text, on the next page');
    m.writeVirtual(va + 0x3000n - 2n, Uint8Array.of(0x41, 0x42));
    assert.throws(
      () => m.readAnsiString(va + 0x3000n - 2n, 16),
      (e: unknown) => e instanceof PageFault && e.reason === 'not-mapped',
      'a string running into an unmapped page faults',
    );
  });
});
