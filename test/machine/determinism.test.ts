import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { createX64Machine, MachineError, type Machine } from '../../src/machine/index.js';

function fingerprint(m: Machine): string {
  const h = createHash('sha256');
  for (const pfn of m.physical.populatedFrames()) {
    h.update(pfn.toString(16) + m.physical.owner(pfn));
    h.update(m.physical.readPage(pfn));
  }
  return h.digest('hex');
}

describe('determinism and options', () => {
  it('same options and seed give the same bytes', () => {
    const opts = { seed: 1234, processors: 2, memoryBytes: 256n << 20n };
    const a = createX64Machine(opts);
    const b = createX64Machine(opts);
    assert.equal(fingerprint(a), fingerprint(b));
    assert.deepEqual(a.symbols, b.symbols);
    assert.deepEqual(
      a.processors.map((p) => p.context),
      b.processors.map((p) => p.context),
    );
    const va1 = a.ExAllocatePool2(0x40n, 100, 'Same');
    const va2 = b.ExAllocatePool2(0x40n, 100, 'Same');
    assert.equal(va1, va2);
  });

  it('the same crash on the same machine gives the same bytes (stack, PRCB, tables, PFN database)', () => {
    const crashed = (): Machine => {
      const m = createX64Machine({ seed: 99, processors: 2, memoryBytes: 128n << 20n });
      const driver = m.loadModule('same.sys', 0x8000);
      const caller = m.allocateCodeAddress(driver, 'SameRoutine');
      m.setBugCheckCallSite(1, { caller, path: 'dpc' });
      m.dbgPrint('same text\n');
      m.captureBugCheck(m.processors[1]!, { code: 0xd1, parameters: [0x18n, 2n, 0n, caller], irql: 2 });
      return m;
    };
    const a = crashed();
    const b = crashed();
    assert.equal(fingerprint(a), fingerprint(b));
    assert.deepEqual(a.processors[1]!.context, b.processors[1]!.context);
    assert.notEqual(
      fingerprint(a),
      fingerprint(createX64Machine({ seed: 99, processors: 2, memoryBytes: 128n << 20n })),
    );
  });

  it('different seeds choose different layouts', () => {
    const layouts = [1, 2, 3, 4].map((seed) => createX64Machine({ seed }).layout);
    const selfMaps = new Set(layouts.map((l) => l.selfMapIndex));
    const kernBases = new Set(layouts.map((l) => l.kernBase));
    assert.ok(selfMaps.size > 1 && kernBases.size > 1);
    for (const l of layouts)
      assert.ok(
        l.selfMapIndex >= 0x100 && l.selfMapIndex <= 0x1fe && l.selfMapIndex !== 0x1ef && l.selfMapIndex !== 0x1f0,
      );
    assert.notEqual(fingerprint(createX64Machine({ seed: 1 })), fingerprint(createX64Machine({ seed: 2 })));
  });

  it('fills defaults and rejects bad options with E_MACHINE_OPTIONS', () => {
    const m = createX64Machine();
    assert.deepEqual(
      { ...m.options },
      {
        memoryBytes: 512n << 20n,
        processors: 4,
        build: 19045,
        productType: 1,
        suiteMask: 0x110,
        systemTime: m.options.systemTime,
        systemUpTime: m.options.systemUpTime,
        seed: m.options.seed,
      },
    );
    const bad = (o: Parameters<typeof createX64Machine>[0]): void => {
      assert.throws(
        () => createX64Machine(o),
        (e: unknown) => e instanceof MachineError && e.code === 'E_MACHINE_OPTIONS',
      );
    };
    bad({ processors: 0 });
    bad({ processors: 65 });
    bad({ memoryBytes: 1n << 20n });
    bad({ memoryBytes: (512n << 20n) + 1n });
    bad({ productType: 7 });
    bad({ build: 1.5 });
    bad({ systemUpTime: -1n });
    bad({ seed: Number.NaN });
  });

  it('builds a 64 GiB machine and a 64 MiB machine', () => {
    const big = createX64Machine({ memoryBytes: 64n << 30n });
    assert.equal(big.physical.totalPages, 1n << 24n);
    const small = createX64Machine({ memoryBytes: 64n << 20n, processors: 2 });
    assert.equal(small.physical.totalPages, 0x4000n);
    assert.ok(small.physical.freeCount > 0n);
  });
});
