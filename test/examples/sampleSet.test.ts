import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  BULK_LOGGER_DEFAULT_BYTES,
  BULK_LOGGER_GUID,
  FLIGHT_RECORDER_GUID,
  LegacyDeviceQueryState,
  SAMPLE_SECONDARY_DATA_GUIDS,
  bugCheckBlamedOn,
  decodeFlightRecorderEvents,
  loadSampleDrivers,
  sampleDrivers,
  secretKeeperExtension,
  simulateActivity,
} from '../../examples/drivers/index.js';
import { analyzeDump } from '../../src/index.js';
import { blobs, filesEqual, findInFile, openDump, smallSystem, tempDir } from './helpers.js';

const tmp = tempDir();
after(() => tmp.cleanup());

describe('the sample driver set', () => {
  it('loads all seven, runs them, and a bug check blamed on one leaves every sample’s mark in the dump', async () => {
    const file = tmp.file('demo.dmp');
    const mirrorPath = tmp.file('demo.mirror');
    const system = smallSystem({ dump: { kind: 'kernel', path: file } });
    const drivers = loadSampleDrivers(system, { mirrorPath });
    assert.deepEqual(
      drivers.map((d) => d.name),
      [
        'flightrec.sys',
        'dumpmirror.sys',
        'devstate.sys',
        'secretkeeper.sys',
        'bulklog.sys',
        'triagehlp.sys',
        'legacydev.sys',
      ],
    );
    simulateActivity(system, drivers, 250);

    const culprit = drivers[0]!;
    const key = system.machine.readVirtual(secretKeeperExtension(drivers[3]!)!.keyPage, 32);
    const blamed = bugCheckBlamedOn(culprit);
    const result = system.KeBugCheckEx(blamed.code, ...blamed.parameters);
    assert.equal(result.dumpStatus, 'written');
    assert.deepEqual(result.violations, []);
    assert.ok(
      blamed.parameters[3] >= culprit.module.base &&
        blamed.parameters[3] < culprit.module.base + BigInt(culprit.module.size),
    );

    assert.ok(filesEqual(file, mirrorPath));
    assert.deepEqual(findInFile(file, key), []);
    assert.equal(LegacyDeviceQueryState(drivers[6]!)!.ResetAfterDump, 1);

    const dump = await openDump(file);
    try {
      const tags = new Set((await blobs(dump)).map((b) => b.guid));
      for (const guid of Object.values(SAMPLE_SECONDARY_DATA_GUIDS))
        assert.ok(tags.has(guid), `no blob tagged ${guid}`);
      const [ring] = (await blobs(dump)).filter((b) => b.guid === FLIGHT_RECORDER_GUID);
      const events = decodeFlightRecorderEvents(ring!.data);
      assert.equal(events.length, 64);
      assert.equal(events[events.length - 1]!.Sequence, 249);
      // 250 steps of ~4.4 KiB of trace lines fill the 1 MiB log.
      const logged = (await blobs(dump))
        .filter((b) => b.guid === BULK_LOGGER_GUID)
        .reduce((n, b) => n + b.data.length, 0);
      assert.equal(logged, BULK_LOGGER_DEFAULT_BYTES);

      const analysis = await analyzeDump(dump);
      assert.equal(analysis.bugCheck.name, 'DRIVER_IRQL_NOT_LESS_OR_EQUAL');
      assert.equal(analysis.faultingModule?.name.toLowerCase().startsWith('flightrec'), true);
      const loaded = (await dump.modules()).loaded.map((m) => m.name.toLowerCase());
      for (const d of drivers)
        assert.ok(
          loaded.some((n) => n.endsWith(d.name)),
          `${d.name} not in the module list`,
        );
    } finally {
      await dump.close();
    }
  });

  it('needs a mirror path, and simulateActivity refuses to run a halted machine', () => {
    assert.throws(() => sampleDrivers({ mirrorPath: '' }), { code: 'E_SAMPLE_ARGUMENT' });
    const system = smallSystem({ dump: { enabled: false } });
    const drivers = loadSampleDrivers(system, { mirrorPath: tmp.file('halted.mirror') });
    system.KeBugCheckEx(0xe2);
    assert.throws(() => simulateActivity(system, drivers, 1), { code: 'E_SAMPLE_HALTED' });
  });
});
