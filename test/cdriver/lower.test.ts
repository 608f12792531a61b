/**
 * The lowering pass on real linker output: 32-bit memory and table imports,
 * data taken out, every output instruction mapped back, and refusal of what
 * C drivers cannot use.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CDriverError, compileDriver, type CompiledCDriver } from '../../src/index.js';
import { Wasm } from '../../src/machine/index.js';
import { lowerModule } from '../../src/cdriver/lower.js';
import { ByteCursor, wasmSections } from '../../src/cdriver/wasmBinary.js';
import { compileFiles, fixture, TEST_CACHE } from './helpers.js';

let compiled: CompiledCDriver;
before(async () => {
  compiled = await compileFiles([fixture('probe.c')]);
});

/** [kind, limits flags] of each memory/table import. */
function importLimits(wasm: Uint8Array): [number, number][] {
  const s = wasmSections(wasm).find((x) => x.id === 2)!;
  const c = new ByteCursor(wasm, s.start, s.end);
  const out: [number, number][] = [];
  for (let n = c.uleb(); n > 0; n--) {
    c.name();
    c.name();
    const kind = c.u8();
    if (kind === 0) c.uleb();
    else if (kind === 1 || kind === 2) {
      if (kind === 1) c.u8();
      const flags = c.u8();
      out.push([kind, flags]);
      c.uleb();
      if (flags & 1) c.uleb();
    } else {
      c.u8();
      c.u8();
    }
  }
  return out;
}

describe('lowerModule', () => {
  it('imports a 32-bit memory and table, keeps no data segment, and Node 20 compiles the result', () => {
    const limits = importLimits(compiled.wasm);
    assert.ok(
      limits.some(([kind]) => kind === 2),
      'the memory is imported',
    );
    for (const [, flags] of limits) assert.equal(flags & 0x4, 0, 'no 64-bit flag');
    assert.equal(
      wasmSections(compiled.wasm).some((s) => s.id === 11),
      false,
    );
    assert.ok(compiled.dataSegments.length > 0);
    assert.ok(new Wasm.Module(compiled.wasm));
  });

  it('maps output offsets back to input code offsets in order, and the DWARF lines cover the driver', () => {
    const map = compiled.offsetMap;
    assert.ok(map.length > 100);
    for (let i = 2; i < map.length; i += 2) assert.ok(map[i]! > map[i - 2]!, 'output offsets strictly increase');
    assert.ok(compiled.lines.some((r) => r.file.endsWith('probe.c') && r.line > 10));
  });

  it('refuses a module without the C runtime', () => {
    const bare = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0);
    assert.throws(
      () => lowerModule(bare),
      (e: unknown) => e instanceof CDriverError && /__bc_check_load/.test(e.message),
    );
  });

  it('refuses SIMD, naming the function', async () => {
    await assert.rejects(
      compileDriver({
        sources: [
          {
            path: 'simd.c',
            text: '#include <ntddk.h>\ntypedef int v4 __attribute__((vector_size(16)));\nv4 g;\nvoid Twice(void) { g = g + g; }\nNTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) { (void)d; (void)r; return 0; }\n',
          },
        ],
        flags: ['-msimd128'],
        cache: TEST_CACHE,
      }),
      (e: unknown) => e instanceof CDriverError && e.code === 'E_CDRIVER_MODULE' && /Twice.*SIMD/.test(e.message),
    );
  });
});
