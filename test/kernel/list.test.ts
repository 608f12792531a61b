import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createX64Machine, POOL_FLAG_NON_PAGED } from '../../src/machine/index.js';
import { initializeListHead, insertTailList, walkList } from '../../src/kernel/list.js';
import { KernelMemory } from '../../src/kernel/memory.js';

function list(count: number): { mem: KernelMemory; head: bigint; entries: bigint[] } {
  const machine = createX64Machine();
  const mem = new KernelMemory(machine);
  const head = machine.ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 'Head');
  initializeListHead(mem, head);
  const entries = Array.from({ length: count }, () => machine.ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 'Ntry'));
  for (const e of entries) insertTailList(mem, head, e);
  return { mem, head, entries };
}

describe('walkList: bounded, cycle-safe forward walk', () => {
  it('returns every entry of a sound list in order', () => {
    const { mem, head, entries } = list(5);
    const walk = walkList(mem, head, 5);
    assert.equal(walk.stopped, null);
    assert.deepEqual(
      walk.entries,
      entries.map((address) => ({ address, blinkOk: true })),
    );
  });

  it('stops at the first entry met twice when a cycle misses the head, with the entries before it', () => {
    const { mem, head, entries } = list(5);
    const [a, b, c, d] = entries as [bigint, bigint, bigint, bigint, bigint];
    mem.writeU64(d, b); // A B C D B C D …
    const walk = walkList(mem, head, 100);
    assert.deepEqual(walk.stopped, { reason: 'cycle', at: b });
    assert.deepEqual(
      walk.entries.map((e) => e.address),
      [a, b, c, d],
    );
    assert.deepEqual(
      walk.entries.map((e) => e.blinkOk),
      [true, true, true, true],
    );
  });

  it('reports the bound, not the cycle, when the bound is reached first', () => {
    const { mem, head, entries } = list(5);
    const [a, b, c, d] = entries as [bigint, bigint, bigint, bigint, bigint];
    mem.writeU64(d, b);
    assert.deepEqual(walkList(mem, head, 4), {
      entries: [a, b, c, d].map((address) => ({ address, blinkOk: true })),
      stopped: { reason: 'bound', at: b },
    });
    const short = walkList(mem, head, 3);
    assert.deepEqual(short.stopped, { reason: 'bound', at: d });
    assert.equal(short.entries.length, 3);
    // An entry that points at itself is a cycle of one.
    mem.writeU64(a, a);
    assert.deepEqual(walkList(mem, head, 10), {
      entries: [{ address: a, blinkOk: true }],
      stopped: { reason: 'cycle', at: a },
    });
  });

  it('stops at an entry that cannot be read, and flags a Blink that does not point back', () => {
    const { mem, head, entries } = list(3);
    const [a, b] = entries as [bigint, bigint, bigint];
    mem.writeU64(b + 8n, 0x1234n);
    mem.writeU64(b, 0xffff_f000_0bad_0000n);
    const walk = walkList(mem, head, 10);
    assert.deepEqual(walk.stopped, { reason: 'unreadable', at: 0xffff_f000_0bad_0000n });
    assert.deepEqual(walk.entries, [
      { address: a, blinkOk: true },
      { address: b, blinkOk: false },
    ]);
  });
});
