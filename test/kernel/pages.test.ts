import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  KB_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST,
  KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS,
  KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS,
  KB_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS,
  KBUGCHECK_ADD_PAGES,
  KBUGCHECK_REMOVE_PAGES,
  KbCallbackReason,
} from '../../src/format/index.js';
import { newReasonRecord, nonPaged, setup, type Setup } from './helpers.js';

interface Range {
  flags: number;
  address: bigint;
  count: bigint;
}

/** A callback that returns `ranges` one per call, using Context as its cursor, and records what it was handed. */
function pagesCallback(
  s: Setup,
  reason: number,
  ranges: Range[],
  component = 'Pages',
): { Context: bigint; Flags: number; BugCheckCode: number; length: number }[] {
  const seen: { Context: bigint; Flags: number; BugCheckCode: number; length: number }[] = [];
  const layout = reason === KbCallbackReason.KbCallbackAddPages ? KBUGCHECK_ADD_PAGES : KBUGCHECK_REMOVE_PAGES;
  s.kernel.KeRegisterBugCheckReasonCallback(
    newReasonRecord(s.kernel),
    (r, _rec, data, length) => {
      assert.equal(r, reason);
      const v = s.kernel.view(layout, data);
      const d = v.read();
      seen.push({ Context: d.Context, Flags: d.Flags, BugCheckCode: d.BugCheckCode, length });
      const i = Number(d.Context);
      const range = ranges[i]!;
      const more = i + 1 < ranges.length ? KB_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST : 0;
      v.write({
        Context: BigInt(i + 1),
        Flags: (range.flags | more) >>> 0,
        Address: range.address,
        Count: range.count,
      });
    },
    reason,
    component,
  );
  return seen;
}

function pfnOf(s: Setup, va: bigint): bigint {
  return s.machine.kernelSpace.translate(va)!.pa >> 12n;
}

describe('KbCallbackAddPages', () => {
  it('loops while ADDITIONAL_RANGES_EXIST, keeps Context, and translates virtual runs to PFNs', () => {
    const s = setup({ dump: { kind: 'kernel' } });
    const buffer = nonPaged(s.machine, 0x3000);
    const page = buffer - (buffer % 0x1000n);
    const device = s.machine.allocateDeviceMemory(2);
    const seen = pagesCallback(s, KbCallbackReason.KbCallbackAddPages, [
      { flags: KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS, address: page, count: 2n },
      { flags: KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS, address: device, count: 2n },
      { flags: KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS, address: page, count: 0n },
    ]);
    const result = s.kernel.KeBugCheckEx(0x9f, 3n);
    assert.deepEqual(
      seen.map((x) => x.Context),
      [0n, 1n, 2n],
    );
    assert.ok(seen.every((x) => x.Flags === 0 && x.BugCheckCode === 0x9f && x.length === 0x20));
    const expected = [pfnOf(s, page), pfnOf(s, page + 0x1000n), device >> 12n, (device >> 12n) + 1n];
    assert.deepEqual([...s.writer.plan!.addedPages].sort(), expected.sort());
    const report = result.callbacks[0]!;
    assert.equal(report.contribution.pagesAdded, 4);
    assert.deepEqual(
      report.contribution.pageRanges.map((r) => [r.space, r.pages]),
      [
        ['virtual', 2],
        ['physical', 2],
        ['virtual', 0],
      ],
    );
    assert.deepEqual(result.violations, []);
  });

  it('reports bad flags, unmapped and unbacked ranges, and keeps the good pages', () => {
    const s = setup();
    const good = nonPaged(s.machine, 0x10);
    s.machine.kernelSpace.translate(good);
    pagesCallback(
      s,
      KbCallbackReason.KbCallbackAddPages,
      [
        { flags: KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS | KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS, address: good, count: 1n },
        { flags: 0, address: good, count: 1n },
        { flags: KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS, address: 0xffff_f000_dead_0000n, count: 3n },
        { flags: KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS, address: 0x7fff_ffff_f000n, count: 1n },
        { flags: KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS | 0x100000, address: good, count: 1n },
      ],
      'Sloppy',
    );
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(
      result.violations.map((v) => v.kind),
      ['invalid-flags', 'invalid-flags', 'invalid-address', 'invalid-address', 'invalid-flags'],
    );
    assert.ok(result.violations.every((v) => v.component === 'Sloppy'));
    assert.deepEqual([...s.writer.plan!.addedPages], [pfnOf(s, good)]);
  });

  it('stops a record that always says ADDITIONAL_RANGES_EXIST at the bound, and clips page counts to the budget', () => {
    const s = setup({ pages: { maxRanges: 4, maxPagesPerCallback: 3 } });
    const buffer = nonPaged(s.machine, 0x1000);
    let calls = 0;
    s.kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(s.kernel),
      (_r, _rec, data) => {
        calls++;
        s.kernel.view(KBUGCHECK_ADD_PAGES, data).write({
          Flags: (KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS | KB_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST) >>> 0,
          Address: buffer,
          Count: 1n << 40n,
        });
      },
      KbCallbackReason.KbCallbackAddPages,
      'Greedy',
    );
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.equal(calls, 4);
    assert.ok(s.writer.plan!.addedPages.size <= 3);
    const kinds = result.violations.map((v) => v.kind);
    assert.equal(kinds.at(-1), 'limit');
    assert.ok(kinds.filter((k) => k === 'limit').length >= 2);
  });

  it('keeps none of the pages of a record that faults part-way', () => {
    const s = setup();
    const buffer = nonPaged(s.machine, 0x1000);
    let calls = 0;
    s.kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(s.kernel),
      (_r, _rec, data) => {
        if (++calls === 2) throw new Error('lost my place');
        s.kernel.view(KBUGCHECK_ADD_PAGES, data).write({
          Flags: (KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS | KB_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST) >>> 0,
          Address: buffer,
          Count: 1n,
        });
      },
      KbCallbackReason.KbCallbackAddPages,
      'Faulty',
    );
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.equal(s.writer.plan!.addedPages.size, 0);
    assert.equal(result.callbacks[0]!.stateName, 'BufferIncomplete');
  });

  it('runs only for the dump kinds configured (not for small dumps by default)', () => {
    for (const [kind, expected] of [
      ['small', 0],
      ['kernel', 1],
      ['complete', 1],
    ] as const) {
      const s = setup({ dump: { kind } });
      const seen = pagesCallback(s, KbCallbackReason.KbCallbackAddPages, [
        { flags: KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS, address: 0n, count: 0n },
      ]);
      s.kernel.KeBugCheckEx(0xe2);
      assert.equal(seen.length, expected, kind);
    }
    const s = setup({ dump: { kind: 'small' }, pages: { addPagesDumpKinds: ['small'] } });
    const seen = pagesCallback(s, KbCallbackReason.KbCallbackAddPages, [
      { flags: KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS, address: 0n, count: 0n },
    ]);
    s.kernel.KeBugCheckEx(0xe2);
    assert.equal(seen.length, 1);
  });
});

describe('KbCallbackRemovePages', () => {
  it('collects removed PFNs into the plan, separately from added ones', () => {
    const s = setup();
    const buffer = nonPaged(s.machine, 0x2000);
    const page = buffer - (buffer % 0x1000n);
    pagesCallback(
      s,
      KbCallbackReason.KbCallbackAddPages,
      [{ flags: KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS, address: page, count: 2n }],
      'Adder',
    );
    const seen = pagesCallback(
      s,
      KbCallbackReason.KbCallbackRemovePages,
      [{ flags: KB_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS, address: page + 0x1000n, count: 1n }],
      'Remover',
    );
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.equal(seen[0]!.length, 0x20);
    assert.deepEqual([...s.writer.plan!.removedPages], [pfnOf(s, page + 0x1000n)]);
    assert.equal(s.writer.plan!.addedPages.size, 2);
    assert.equal(result.callbacks.find((c) => c.component === 'Remover')!.contribution.pagesRemoved, 1);
  });
});
