import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { KBUGCHECK_SECONDARY_DUMP_DATA_EX, KTRIAGE_DUMP_DATA_ARRAY } from '../../src/format/index.js';
import { KernelError } from '../../src/kernel/index.js';
import { nonPaged, setup } from './helpers.js';

describe('kernel.view: WDK structures in simulated memory, by field name', () => {
  it('set writes the field at its x64 offset and nowhere else; get reads it back', () => {
    const { kernel, machine } = setup();
    const va = nonPaged(machine, 0x68);
    machine.writeVirtual(va, new Uint8Array(0x68).fill(0xaa));
    const v = kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA_EX, va);
    v.set('OutBufferLength', 0x1234);
    v.set('BugCheckParameter4', 0xfffff80500001111n);
    v.set('Guid', '01020304-0506-0708-090a-0b0c0d0e0f10');
    const raw = machine.readVirtual(va, 0x68);
    const dv = new DataView(raw.buffer, raw.byteOffset);
    assert.equal(dv.getUint32(0x28, true), 0x1234);
    assert.equal(dv.getBigUint64(0x60, true), 0xfffff80500001111n);
    assert.deepEqual([...raw.subarray(0x10, 0x14)], [4, 3, 2, 1]);
    assert.equal(raw[0x2c], 0xaa, 'padding after OutBufferLength untouched');
    assert.equal(raw[0x27], 0xaa);
    assert.equal(v.get('OutBufferLength'), 0x1234);
    assert.equal(v.addressOf('Context'), va + 0x30n);
  });

  it('the fields proxy reads and writes memory on each access', () => {
    const { kernel, machine } = setup();
    const va = nonPaged(machine, 0x30);
    const v = kernel.view(KTRIAGE_DUMP_DATA_ARRAY, va);
    v.fields.NumBlocksTotal = 7;
    assert.equal(machine.readU32(va + 0x14n), 7);
    machine.writeU32(va + 0x14n, 9);
    assert.equal(v.fields.NumBlocksTotal, 9);
    v.write({ ComponentName: 0x1234n, DataSize: 3 });
    assert.deepEqual(
      { ...v.read(), List: undefined },
      { ...KTRIAGE_DUMP_DATA_ARRAY.zero(), List: undefined, NumBlocksTotal: 9, ComponentName: 0x1234n, DataSize: 3 },
    );
    assert.deepEqual(
      Object.keys(v.fields),
      KTRIAGE_DUMP_DATA_ARRAY.fields.map((f) => f.name),
    );
  });

  it('names a field that does not exist, and faults on unmapped memory like any access', () => {
    const { kernel } = setup();
    const v = kernel.view(KTRIAGE_DUMP_DATA_ARRAY, 0xffff_f000_0bad_0000n);
    assert.throws(
      () => v.get('Nope' as 'DataSize'),
      (e: unknown) => e instanceof KernelError && e.code === 'E_KERNEL_FIELD' && /Nope/.test(e.message),
    );
    assert.throws(
      () => v.get('DataSize'),
      (e: unknown) => (e as { code?: string }).code === 'E_PAGE_FAULT',
    );
  });
});
