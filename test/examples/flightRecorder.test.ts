import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  FLIGHT_RECORDER_GUID,
  FLIGHT_RECORDER_SERVICE_GUID,
  FLIGHT_RECORDER_TELEMETRY_GUID,
  FlightRecorderDataSourceCreate,
  FlightRecorderDataSourceOpen,
  FlightRecorderDataSourceWrite,
  FlightRecorderLogEvent,
  FlightRecorderWriteSelf,
  createFlightRecorderDriver,
  decodeFlightRecorderEvents,
} from '../../examples/drivers/flightRecorder.js';
import { STATUS_INVALID_PARAMETER, STATUS_SUCCESS } from '../../src/index.js';
import { blobsTagged, crashIn, openDump, smallSystem, tempDir } from './helpers.js';

const tmp = tempDir();
after(() => tmp.cleanup());

/** Distinct bytes per (source, n) so a record in the wrong place cannot look right. */
function sample(source: number, n: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (source * 31 + n * 7 + i) & 0xff;
  return out;
}

describe('flightrec.sys (KbCallbackSecondaryDumpData ring buffers)', () => {
  it('writes the last `capacity` records oldest first, and every data source under its own GUID', async () => {
    const file = tmp.file('flightrec.dmp');
    const system = smallSystem({ dump: { kind: 'kernel', path: file } });
    const driver = system.loadDriver(
      createFlightRecorderDriver({
        recordCount: 16,
        dataSources: [{ guid: FLIGHT_RECORDER_TELEMETRY_GUID, entrySize: 32, entryCount: 8 }],
      }),
    );
    // A second source created from outside after load (DMF's IOCTL_DATA_SOURCE_CREATE).
    const service = FlightRecorderDataSourceCreate(driver, {
      guid: FLIGHT_RECORDER_SERVICE_GUID,
      entrySize: 24,
      entryCount: 4,
    });
    const telemetry = FlightRecorderDataSourceOpen(driver, FLIGHT_RECORDER_TELEMETRY_GUID);
    assert.equal(service, 2);
    assert.equal(telemetry, 1);

    for (let n = 0; n < 40; n++)
      assert.equal(FlightRecorderLogEvent(driver, 0x200 + n, BigInt(n) << 32n, `event ${n}`), STATUS_SUCCESS);
    for (let n = 0; n < 3; n++) FlightRecorderDataSourceWrite(driver, telemetry, sample(1, n, 32));
    // Shorter than the entry: the rest of the slot is zero in the dump.
    for (let n = 0; n < 10; n++) FlightRecorderDataSourceWrite(driver, service, sample(2, n, 20));

    const result = crashIn(system, driver);
    assert.equal(result.dumpStatus, 'written');
    assert.deepEqual(result.violations, []);

    const dump = await openDump(file);
    try {
      const own = await blobsTagged(dump, FLIGHT_RECORDER_GUID);
      assert.equal(own.length, 1);
      assert.equal(own[0]!.length, 16 * 64);
      const events = decodeFlightRecorderEvents(own[0]!);
      assert.deepEqual(
        events.map((e) => e.Sequence),
        Array.from({ length: 16 }, (_, i) => 24 + i),
      );
      assert.deepEqual(
        events.map((e) => e.Message),
        Array.from({ length: 16 }, (_, i) => `event ${24 + i}`),
      );
      assert.deepEqual(
        events.map((e) => e.EventId),
        Array.from({ length: 16 }, (_, i) => 0x200 + 24 + i),
      );
      assert.equal(events[0]!.Argument, 24n << 32n);

      const [tele] = await blobsTagged(dump, FLIGHT_RECORDER_TELEMETRY_GUID);
      const expectedTelemetry = new Uint8Array(3 * 32);
      for (let n = 0; n < 3; n++) expectedTelemetry.set(sample(1, n, 32), n * 32);
      assert.deepEqual(tele, expectedTelemetry);

      const [svc] = await blobsTagged(dump, FLIGHT_RECORDER_SERVICE_GUID);
      const expectedService = new Uint8Array(4 * 24);
      for (let n = 6; n < 10; n++) expectedService.set(sample(2, n, 20), (n - 6) * 24);
      assert.deepEqual(svc, expectedService);
    } finally {
      await dump.close();
    }

    // Both passes announced the same size (the size pass reorders, the data pass finds nothing to do).
    const reports = result.callbacks.filter((c) => c.routineModule === 'flightrec.sys');
    assert.equal(reports.length, 3);
    for (const r of reports) assert.equal(r.contribution.sizePassBytes, r.contribution.secondaryData[0]?.bytes);
  });

  it('keeps the newest whole records when the ring is larger than MaximumAllowed', async () => {
    const file = tmp.file('flightrec-max.dmp');
    const system = smallSystem({
      dump: { kind: 'small', path: file },
      secondaryData: { maximumAllowed: 10 * 64 + 63 },
    });
    const driver = system.loadDriver(createFlightRecorderDriver({ recordCount: 32 }));
    for (let n = 0; n < 50; n++) FlightRecorderLogEvent(driver, 1, 0n, `e${n}`);
    const result = crashIn(system, driver);
    assert.deepEqual(result.violations, []);
    const dump = await openDump(file);
    try {
      const [own] = await blobsTagged(dump, FLIGHT_RECORDER_GUID);
      assert.deepEqual(
        decodeFlightRecorderEvents(own!).map((e) => e.Sequence),
        Array.from({ length: 10 }, (_, i) => 40 + i),
      );
    } finally {
      await dump.close();
    }
  });

  it('an empty ring is an empty block under its GUID; a record too long is refused', async () => {
    const file = tmp.file('flightrec-empty.dmp');
    const system = smallSystem({ dump: { kind: 'small', path: file } });
    const driver = system.loadDriver(createFlightRecorderDriver({ recordSize: 64 }));
    assert.equal(FlightRecorderWriteSelf(driver, new Uint8Array(65)), STATUS_INVALID_PARAMETER);
    assert.equal(FlightRecorderDataSourceWrite(driver, 7, new Uint8Array(1)), STATUS_INVALID_PARAMETER);
    crashIn(system, driver);
    const dump = await openDump(file);
    try {
      assert.deepEqual(
        (await blobsTagged(dump, FLIGHT_RECORDER_GUID)).map((b) => b.length),
        [0],
      );
    } finally {
      await dump.close();
    }
  });

  it('DriverUnload deregisters every record: nothing of it reaches a later dump', async () => {
    const file = tmp.file('flightrec-unloaded.dmp');
    const system = smallSystem({ dump: { kind: 'small', path: file } });
    const driver = system.loadDriver(
      createFlightRecorderDriver({
        dataSources: [{ guid: FLIGHT_RECORDER_TELEMETRY_GUID, entrySize: 8, entryCount: 2 }],
      }),
    );
    FlightRecorderLogEvent(driver, 1, 0n, 'before unload');
    assert.equal(system.kernel.registeredRecords().length, 2);
    system.unloadDriver(driver);
    assert.equal(system.kernel.registeredRecords().length, 0);
    const result = system.KeBugCheckEx(0xe2);
    assert.equal(result.dumpStatus, 'written');
    const dump = await openDump(file);
    try {
      assert.deepEqual(await blobsTagged(dump, FLIGHT_RECORDER_GUID), []);
      assert.deepEqual(await blobsTagged(dump, FLIGHT_RECORDER_TELEMETRY_GUID), []);
    } finally {
      await dump.close();
    }
  });

  it('refuses bad configurations', () => {
    const system = smallSystem({ dump: { enabled: false } });
    assert.throws(() => createFlightRecorderDriver({ recordSize: 16 }), { code: 'E_SAMPLE_ARGUMENT' });
    assert.throws(() => createFlightRecorderDriver({ dataSourceCount: 9 }), { code: 'E_SAMPLE_ARGUMENT' });
    const driver = system.loadDriver(createFlightRecorderDriver({ dataSourceCount: 1, ringBufferMaximumSize: 1024 }));
    assert.throws(
      () =>
        FlightRecorderDataSourceCreate(driver, { guid: FLIGHT_RECORDER_SERVICE_GUID, entrySize: 64, entryCount: 17 }),
      { code: 'E_SAMPLE_ARGUMENT' },
    );
    FlightRecorderDataSourceCreate(driver, { guid: FLIGHT_RECORDER_SERVICE_GUID, entrySize: 64, entryCount: 16 });
    assert.throws(
      () =>
        FlightRecorderDataSourceCreate(driver, { guid: FLIGHT_RECORDER_TELEMETRY_GUID, entrySize: 8, entryCount: 1 }),
      { code: 'E_SAMPLE_DATA_SOURCES' },
    );
  });
});
