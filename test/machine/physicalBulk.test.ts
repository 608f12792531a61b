import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PhysicalMemory } from '../../src/machine/index.js';

const PAGE = 0x1000;

function stamped(pages: number, seed: number): Uint8Array {
  const out = new Uint8Array(pages * PAGE);
  for (let i = 0; i < out.length; i++) out[i] = (i * 7 + seed * 13 + (i >>> 12)) & 0xff;
  return out;
}

/** Every span forEachSpan hands out, with the frames it covers. */
function spans(
  p: PhysicalMemory,
  first: number,
  count: number,
): { pfn: number; pages: number; bytes: Uint8Array | null }[] {
  const out: { pfn: number; pages: number; bytes: Uint8Array | null }[] = [];
  let pfn = first;
  p.forEachSpan(first, count, (bytes, pages) => {
    if (bytes !== null) assert.equal(bytes.length, pages * PAGE);
    out.push({ pfn, pages, bytes });
    pfn += pages;
  });
  assert.equal(pfn, first + count);
  return out;
}

describe('PhysicalMemory bulk storage', () => {
  it('writePages lands in contiguous chunks: one span per chunk, the bytes as written', () => {
    const p = new PhysicalMemory([{ basePage: 0x80n, pageCount: 0x400n }]);
    const data = stamped(0x300, 1);
    p.writePages(0xc0n, data);
    assert.equal(p.populatedCount, 0x300);
    assert.equal(p.owner(0xc0n), 'user');
    // Chunks cover PFNs 0x000–0x0ff, 0x100–0x1ff, …: 0xc0 to 0x3c0 is four spans.
    const got = spans(p, 0x80, 0x380);
    assert.deepEqual(
      got.map((s) => [s.pfn, s.pages, s.bytes === null]),
      [
        [0x80, 0x40, true],
        [0xc0, 0x40, false],
        [0x100, 0x100, false],
        [0x200, 0x100, false],
        [0x300, 0xc0, false],
        [0x3c0, 0x40, true],
      ],
    );
    const joined = Buffer.concat(got.filter((s) => s.bytes).map((s) => s.bytes!));
    assert.ok(joined.equals(data));
    assert.deepEqual(p.readPage(0x1ffn), data.subarray((0x1ff - 0xc0) * PAGE, (0x200 - 0xc0) * PAGE));
    assert.throws(() => p.forEachSpan(0x70, 0x20, () => undefined), /not in the memory map/);
  });

  it('keeps owners, page-table generations and page objects right when bulk writes meet them', () => {
    const p = new PhysicalMemory([{ basePage: 0n, pageCount: 0x400n }]);
    const table = p.allocateFrame('pagetable');
    const kernel = p.allocateFrame('kernel');
    p.write(kernel << 12n, Uint8Array.of(9, 9)); // a page object of its own (no chunk yet)
    const adopted = new Uint8Array(PAGE);
    p.adoptPages(table + 2n, adopted);
    const template = new Uint8Array(PAGE).fill(0x77);
    p.sharePages(table + 3n, 2, template);
    const generation = p.pageTableGeneration;
    const populated = p.populatedCount;

    const data = stamped(6, 2);
    p.writePages(table, data);
    assert.equal(p.pageTableGeneration, generation + 1, 'the page-table frame was rewritten');
    assert.equal(p.owner(table), 'pagetable');
    assert.equal(p.owner(kernel), 'kernel');
    assert.equal(p.owner(table + 5n), 'user');
    assert.equal(p.populatedCount, populated + 1, 'only the free frame became populated');
    for (let i = 0; i < 6; i++)
      assert.deepEqual(p.readPage(table + BigInt(i)), data.subarray(i * PAGE, (i + 1) * PAGE));
    assert.deepEqual(adopted, data.subarray(2 * PAGE, 3 * PAGE), 'an adopted frame is written in place');
    assert.equal(template[0], 0x77);

    // A single write inside a chunk goes to the chunk; a freed and reallocated frame reads as zeros.
    p.write((table + 6n) << 12n, Uint8Array.of(5));
    assert.deepEqual(
      spans(p, Number(table), 8).map((s) => s.pages),
      [1, 1, 1, 4, 1],
      'the table in its chunk, the page object, the adopted page, then unshared + new frames back to back in the chunk, then zeros',
    );
    p.freeFrame(table + 5n);
    assert.equal(p.allocateFrame('kernel'), table + 5n);
    assert.ok(p.readPage(table + 5n).every((b) => b === 0));
    assert.equal(p.read((table + 6n) << 12n, 1)[0], 5);
  });

  it('adoptPages makes whole chunks of the caller buffer the chunk itself: spans are views of it, no copy', () => {
    const p = new PhysicalMemory([{ basePage: 0x80n, pageCount: 0x400n }]);
    const table = p.allocateFrame('pagetable'); // 0x80: outside the adopted range
    p.write(0x1f0n << 12n, Uint8Array.of(1, 2)); // a page object of its own inside the chunk to be adopted
    p.writePages(0x200n, stamped(0x10, 3)); // a chunk made by writePages, replaced by adoption
    const generation = p.pageTableGeneration;
    const populated = p.populatedCount;
    const data = stamped(0x280, 4);
    p.adoptPages(0xc0n, data); // 0xc0–0xff one page at a time, 0x100–0x2ff two whole chunks, 0x300–0x33f one at a time
    assert.equal(p.populatedCount, populated + 0x280 - 1 - 0x10, 'frames already populated are not counted twice');
    assert.equal(p.pageTableGeneration, generation);
    assert.equal(p.owner(table), 'pagetable');
    assert.equal(p.owner(0x1f0n), 'user');
    const got = spans(p, 0xc0, 0x280);
    const whole = got.filter((s) => s.pages === 0x100);
    assert.deepEqual(
      whole.map((s) => s.pfn),
      [0x100, 0x200],
    );
    for (const s of whole) {
      assert.equal(s.bytes!.buffer, data.buffer, 'the span is a view of the adopted buffer');
      assert.equal(s.bytes!.byteOffset, (s.pfn - 0xc0) * PAGE);
    }
    const joined = Buffer.concat(got.map((s) => s.bytes ?? new Uint8Array(s.pages * PAGE)));
    assert.ok(joined.equals(data), 'every adopted frame reads as the buffer');
    p.write(0x1f0n << 12n, Uint8Array.of(0xee));
    assert.equal(data[(0x1f0 - 0xc0) * PAGE], 0xee, 'a write lands in the caller buffer');
    data[(0x2ff - 0xc0) * PAGE + 5] = 0x42;
    assert.equal(p.read((0x2ffn << 12n) + 5n, 1)[0], 0x42, 'and the buffer is the frame');
  });

  it('forEachOwnedRange reports maximal ranges of the wanted owners, never across a hole', () => {
    const p = new PhysicalMemory([
      { basePage: 0x10n, pageCount: 0x10n },
      { basePage: 0x20n, pageCount: 0x10n },
    ]);
    p.claimFrame(0x1en, 'kernel');
    p.claimFrame(0x1fn, 'pagetable');
    p.claimFrame(0x20n, 'kernel');
    p.claimFrame(0x22n, 'user');
    p.claimFrame(0x23n, 'kernel');
    const ranges: [number, number][] = [];
    p.forEachOwnedRange(['kernel', 'pagetable'], (first, count) => ranges.push([first, count]));
    assert.deepEqual(ranges, [
      [0x1e, 2],
      [0x20, 1],
      [0x23, 1],
    ]);
    assert.deepEqual([...p.framesOwnedBy('user')], [0x22n]);
    assert.equal([...p.framesOwnedBy('free')].length, 0x20 - 5);
  });
});
