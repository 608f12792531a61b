import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  TRIAGE_HELPER_CONFIGURATION,
  TRIAGE_HELPER_DEVICE_EXTENSION,
  TRIAGE_REQUEST,
  TriageHelperStartRequest,
  createTriageHelperDriver,
  triageHelperExtension,
  triageHelperRun,
} from '../../examples/drivers/triageHelper.js';
import { KTRIAGE_DUMP_DATA_ARRAY } from '../../src/index.js';
import { crashIn, openDump, smallSystem, tempDir } from './helpers.js';

const tmp = tempDir();
after(() => tmp.cleanup());

describe('triagehlp.sys (KbCallbackTriageDumpData)', () => {
  it('puts the extension, the configuration and the request in flight into a small dump, readable by VA', async () => {
    const file = tmp.file('triage.dmp');
    const system = smallSystem({ dump: { kind: 'small', path: file } });
    const driver = system.loadDriver(createTriageHelperDriver({ queueDepth: 8 }));
    const ext = triageHelperExtension(driver)!;
    const { machine } = system;
    for (let step = 0; step < 5; step++) triageHelperRun(driver, step);
    const inFlight = TriageHelperStartRequest(driver, 3, 0x7000n, 0x2000, 'the read that crashed');
    const earlier = ext.request(2);
    assert.notEqual(inFlight, earlier);

    // Before the crash the array holds the two start-up ranges only.
    assert.equal(system.kernel.view(KTRIAGE_DUMP_DATA_ARRAY, ext.triageArray).get('NumBlocksUsed'), 2);
    const expected = new Map([
      [ext.extension, machine.readVirtual(ext.extension, TRIAGE_HELPER_DEVICE_EXTENSION.size)],
      [ext.configuration, machine.readVirtual(ext.configuration, TRIAGE_HELPER_CONFIGURATION.size)],
      [inFlight, machine.readVirtual(inFlight, TRIAGE_REQUEST.size)],
    ]);

    const result = crashIn(system, driver);
    assert.equal(result.dumpStatus, 'written');
    assert.deepEqual(result.violations, []);
    // The callback added the request in flight during the bug check.
    assert.equal(system.kernel.view(KTRIAGE_DUMP_DATA_ARRAY, ext.triageArray).get('NumBlocksUsed'), 3);
    const report = result.callbacks.find((c) => c.routineModule === 'triagehlp.sys')!;
    assert.deepEqual(
      report.contribution.triageRanges.map((r) => r.address),
      [ext.extension, ext.configuration, inFlight],
    );

    const dump = await openDump(file);
    try {
      assert.equal(dump.dumpType, 4);
      for (const [va, bytes] of expected) {
        const r = await dump.readVirtual(va, bytes.length);
        assert.equal(r.complete, true, `range at ${va.toString(16)} missing`);
        assert.deepEqual(r.bytes, bytes);
      }
      const request = TRIAGE_REQUEST.decode((await dump.readVirtual(inFlight, TRIAGE_REQUEST.size)).bytes, 0);
      assert.equal(request.Description, 'the read that crashed');
      assert.equal(request.RequestId, 6);
      const config = TRIAGE_HELPER_CONFIGURATION.decode(
        (await dump.readVirtual(ext.configuration, TRIAGE_HELPER_CONFIGURATION.size)).bytes,
        0,
      );
      assert.equal(config.DeviceName, '\\Device\\TriageHelper0');
      // A completed request was not added: a small dump has none of it.
      const other = await dump.readVirtual(earlier, TRIAGE_REQUEST.size);
      assert.equal(other.complete, false);
      assert.ok(other.status.every((s) => s.status === 'not-in-dump'));
      assert.ok(
        dump.triage!.dataBlocks.some(
          (b) =>
            b.virtualAddress <= inFlight && inFlight + BigInt(TRIAGE_REQUEST.size) <= b.virtualAddress + BigInt(b.size),
        ),
      );
    } finally {
      await dump.close();
    }
  });

  it('with no request in flight only the start-up ranges are there', async () => {
    const file = tmp.file('triage-idle.dmp');
    const system = smallSystem({ dump: { kind: 'small', path: file } });
    const driver = system.loadDriver(createTriageHelperDriver());
    const ext = triageHelperExtension(driver)!;
    const result = crashIn(system, driver);
    const report = result.callbacks.find((c) => c.routineModule === 'triagehlp.sys')!;
    assert.deepEqual(
      report.contribution.triageRanges.map((r) => r.address),
      [ext.extension, ext.configuration],
    );
    const dump = await openDump(file);
    try {
      assert.equal((await dump.readVirtual(ext.extension, TRIAGE_HELPER_DEVICE_EXTENSION.size)).complete, true);
      assert.equal((await dump.readVirtual(ext.request(0), TRIAGE_REQUEST.size)).complete, false);
    } finally {
      await dump.close();
    }
  });

  it('without the driver’s triage callback its structures are not in a small dump', async () => {
    const file = tmp.file('triage-control.dmp');
    const system = smallSystem({ dump: { kind: 'small', path: file } });
    const driver = system.loadDriver(createTriageHelperDriver());
    const ext = triageHelperExtension(driver)!;
    // Deregister only the callback; the memory stays where it was.
    driver.deregisterAll();
    system.KeBugCheckEx(0xe2);
    const dump = await openDump(file);
    try {
      assert.equal((await dump.readVirtual(ext.extension, TRIAGE_HELPER_DEVICE_EXTENSION.size)).complete, false);
      assert.equal((await dump.readVirtual(ext.configuration, TRIAGE_HELPER_CONFIGURATION.size)).complete, false);
    } finally {
      await dump.close();
    }
  });
});
