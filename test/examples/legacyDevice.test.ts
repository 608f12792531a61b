import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  CONTROL_DMA_ENABLE,
  CONTROL_RESET,
  CONTROL_RUN,
  LEGACY_DEVICE_STATE,
  LegacyDeviceQueryState,
  LegacyDeviceState,
  STATUS_HALTED,
  createLegacyDeviceDriver,
  legacyDeviceExtension,
  legacyDeviceRun,
} from '../../examples/drivers/legacyDevice.js';
import { KBugCheckBufferDumpState } from '../../src/index.js';
import { crashIn, openDump, smallSystem, tempDir } from './helpers.js';

const tmp = tempDir();

function registerValue(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, true);
}
after(() => tmp.cleanup());

describe('legacydev.sys (KeRegisterBugCheckCallback)', () => {
  it('resets the device after the dump; the dump holds the buffer as it was before the reset', async () => {
    const file = tmp.file('legacy.dmp');
    const system = smallSystem({ dump: { kind: 'kernel', path: file } });
    const driver = system.loadDriver(createLegacyDeviceDriver());
    const ext = legacyDeviceExtension(driver)!;
    for (let step = 0; step < 7; step++) legacyDeviceRun(driver, step);
    const before = system.machine.readVirtual(ext.state, LEGACY_DEVICE_STATE.size);
    assert.equal(
      registerValue(system.machine.physical.read(ext.registersPhysical, 4), 0),
      CONTROL_RUN | CONTROL_DMA_ENABLE,
    );

    const result = crashIn(system, driver);
    assert.equal(result.dumpStatus, 'written');
    assert.deepEqual(result.violations, []);

    // The legacy routine ran once, after the DumpIo routine had seen Complete.
    const after = LegacyDeviceQueryState(driver)!;
    assert.equal(after.DumpComplete, 1);
    assert.equal(after.ResetAfterDump, 1);
    assert.equal(after.State, LegacyDeviceState.Reset);
    assert.equal(after.Marker, 'RESET');
    const legacy = result.callbacks.find((c) => c.kind === 'legacy' && c.routineModule === 'legacydev.sys')!;
    assert.equal(legacy.calls, 1);
    assert.equal(legacy.state, KBugCheckBufferDumpState.BufferFinished);
    // Reports list the reason records first; the legacy one comes after all of them.
    assert.equal(result.callbacks[result.callbacks.length - 1], legacy);

    // The device registers were reset (physical, the device's own view).
    const registers = system.machine.physical.read(ext.registersPhysical, 16);
    assert.equal(registerValue(registers, 0), CONTROL_RESET);
    assert.equal(registerValue(registers, 4), STATUS_HALTED);
    assert.equal(registerValue(registers, 12), 1);

    const dump = await openDump(file);
    try {
      const r = await dump.readVirtual(ext.state, LEGACY_DEVICE_STATE.size);
      assert.equal(r.complete, true);
      assert.deepEqual(r.bytes, before);
      const inDump = LEGACY_DEVICE_STATE.decode(r.bytes, 0);
      assert.equal(inDump.Marker, 'RUNNING');
      assert.equal(inDump.State, LegacyDeviceState.Running);
      assert.equal(inDump.CommandsIssued, 7);
      assert.equal(inDump.ResetAfterDump, 0);
    } finally {
      await dump.close();
    }
  });

  it('with crash dumps disabled it still resets the device, and knows no dump was written', () => {
    const system = smallSystem({ dump: { enabled: false } });
    const driver = system.loadDriver(createLegacyDeviceDriver());
    const result = crashIn(system, driver);
    assert.equal(result.dumpStatus, 'disabled');
    const state = LegacyDeviceQueryState(driver)!;
    assert.equal(state.State, LegacyDeviceState.Reset);
    assert.equal(state.DumpComplete, 0);
    assert.equal(state.ResetAfterDump, 0);
  });
});
