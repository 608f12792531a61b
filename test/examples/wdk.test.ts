import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CONTAINING_RECORD,
  MmGetPhysicalAddress,
  MmMapIoSpaceEx,
  MmUnmapIoSpace,
  READ_REGISTER_ULONG,
  WRITE_REGISTER_ULONG,
} from '../../examples/drivers/wdk.js';
import { FLIGHT_RECORDER_DATA_SOURCE } from '../../examples/drivers/flightRecorder.js';
import { smallSystem } from './helpers.js';
import { SYSTEM_PTE_REGION_BYTES } from '../../src/machine/index.js';

describe('examples/drivers/wdk.ts', () => {
  it('MmMapIoSpaceEx maps device frames at fresh system VAs, clear of every region the machine uses', () => {
    const system = smallSystem({ dump: { enabled: false } });
    const driver = system.loadDriver({ name: 'io.sys', DriverEntry() {} });
    const { machine } = system;
    const pa = machine.allocateDeviceMemory(3);
    const va = MmMapIoSpaceEx(driver, pa + 0x10n, 0x2000);
    assert.equal(va & 0xfffn, 0x10n);
    assert.equal(MmGetPhysicalAddress(driver, va), pa + 0x10n);
    assert.equal(MmGetPhysicalAddress(driver, va + 0x1ff0n), pa + 0x2000n);
    // A mapping squatting on the next VA is stepped over.
    const squatter = (va & ~0xfffn) + 0x4000n;
    machine.kernelSpace.map4K(squatter, machine.physical.allocateFrame('kernel') << 12n);
    const va2 = MmMapIoSpaceEx(driver, pa + 0x2000n, 0x1000);
    assert.ok(va2 > squatter);
    assert.equal(MmGetPhysicalAddress(driver, va2), pa + 0x2000n);
    // It is the machine's system PTE region (Machine.mapIoSpace), whose slot is none of the other regions'.
    assert.ok(va >= machine.layout.systemPteBase && va < machine.layout.systemPteBase + SYSTEM_PTE_REGION_BYTES);
    const slot = Number((va >> 39n) & 0x1ffn);
    assert.notEqual(slot, machine.layout.selfMapIndex);
    for (const base of [
      machine.layout.nonPagedPoolBase,
      machine.layout.pagedPoolBase,
      machine.layout.kernelStackBase,
      machine.layout.kernBase,
    ]) {
      assert.notEqual(slot, Number((base >> 39n) & 0x1ffn));
    }
    // Registers are the device's bytes.
    WRITE_REGISTER_ULONG(driver, va2 + 4n, 0xc0ffee);
    assert.equal(new DataView(machine.physical.read(pa + 0x2004n, 4).buffer).getUint32(0, true), 0xc0ffee);
    assert.equal(READ_REGISTER_ULONG(driver, va2 + 4n), 0xc0ffee);
    MmUnmapIoSpace(driver, va, 0x2000);
    assert.equal(machine.isAddressValid(va), false);
    assert.throws(() => MmUnmapIoSpace(driver, va, 0x1000), { code: 'E_SAMPLE_ARGUMENT' });
  });

  it('CONTAINING_RECORD walks back from a member to its structure', () => {
    const record = 0xffff_b000_0000_1000n + BigInt(FLIGHT_RECORDER_DATA_SOURCE.offsets.Guid);
    assert.equal(CONTAINING_RECORD(record, FLIGHT_RECORDER_DATA_SOURCE, 'Guid'), 0xffff_b000_0000_1000n);
  });
});
