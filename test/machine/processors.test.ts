import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTEXT_AMD64 } from '../../src/format/index.js';
import { createX64Machine, KPRCB_OFFSETS } from '../../src/machine/index.js';

describe('processors', () => {
  const m = createX64Machine({ processors: 6, build: 19041, productType: 3, suiteMask: 0x112 });

  it('have realistic kernel contexts', () => {
    assert.equal(m.processors.length, 6);
    for (const p of m.processors) {
      const c = p.context;
      assert.deepEqual(
        [c.SegCs, c.SegSs, c.SegDs, c.SegEs, c.SegGs, c.SegFs, c.MxCsr, c.FltSave.MxCsr, c.ContextFlags],
        [0x10, 0x18, 0x2b, 0x2b, 0x2b, 0x53, 0x1f80, 0x1f80, 0x10001f],
      );
      assert.ok(c.Rsp >= p.stackLimit && c.Rsp < p.stackBase, 'Rsp inside its stack');
      assert.equal(m.findModuleByAddress(c.Rip)?.name, 'ntoskrnl.exe');
      assert.equal(p.irql, 0);
      assert.equal(p.frozen, false);
    }
    const stacks = new Set(m.processors.map((p) => p.stackBase));
    assert.equal(stacks.size, 6);
  });

  it('have mapped nonpaged stacks with a guard page below and return addresses on them', () => {
    for (const p of m.processors) {
      assert.equal(p.stackBase - p.stackLimit, 0x6000n);
      for (let va = p.stackLimit; va < p.stackBase; va += 0x1000n) {
        const t = m.kernelSpace.translate(va)!;
        assert.equal(t.pageable, false);
        assert.equal(m.physical.owner(t.pa >> 12n), 'kernel');
      }
      assert.equal(m.isAddressValid(p.stackLimit - 1n), false);
      const words = m.readVirtual(p.context.Rsp, Number(p.stackBase - p.context.Rsp));
      const view = new DataView(words.buffer);
      let intoKernel = 0;
      for (let i = 0; i + 8 <= words.length; i += 8) {
        if (m.findModuleByAddress(view.getBigUint64(i, true))?.name === 'ntoskrnl.exe') intoKernel++;
      }
      assert.ok(intoKernel >= 3, `stack holds return addresses into ntoskrnl (${intoKernel})`);
    }
  });

  it('keep their context in the KPRCB and can store an updated one', () => {
    const p = m.processors[2]!;
    const frame = p.prcb + BigInt(KPRCB_OFFSETS.ProcessorStateContextFrame);
    assert.equal(m.readU64(p.prcb + BigInt(KPRCB_OFFSETS.Context)), frame);
    assert.deepEqual(CONTEXT_AMD64.decode(m.readVirtual(frame, CONTEXT_AMD64.size)), p.context);
    p.context = { ...p.context, Rip: m.symbols.KeBugCheckEx, Rax: 0x1234n };
    m.storeProcessorContext(p);
    const stored = CONTEXT_AMD64.decode(m.readVirtual(frame, CONTEXT_AMD64.size));
    assert.equal(stored.Rip, m.symbols.KeBugCheckEx);
    assert.equal(stored.Rax, 0x1234n);
  });

  it('see KUSER_SHARED_DATA filled from the options', () => {
    const k = m.symbols.KUSER_SHARED_DATA;
    assert.equal(m.readU32(k + 0x260n), 19041);
    assert.equal(m.readU32(k + 0x264n), 3);
    assert.equal(m.readU32(k + 0x26cn), 10);
    assert.equal(m.readU32(k + 0x2d0n), 0x112);
    assert.equal(m.readU32(k + 0x3c0n), 6);
    const time = (BigInt(m.readU32(k + 0x18n)) << 32n) | BigInt(m.readU32(k + 0x14n));
    assert.equal(time, m.options.systemTime);
  });
});
