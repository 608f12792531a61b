import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { DumpMirrorQueryStatistics, createDumpMirrorDriver } from '../../examples/drivers/dumpMirror.js';
import { FlightRecorderLogEvent, createFlightRecorderDriver } from '../../examples/drivers/flightRecorder.js';
import { KbDumpIoType, STATUS_SUCCESS, type CrashDumpKind } from '../../src/index.js';
import { crashIn, filesEqual, openDump, smallSystem, tempDir } from './helpers.js';

const tmp = tempDir();
after(() => tmp.cleanup());

const { KbDumpIoHeader, KbDumpIoBody, KbDumpIoSecondaryData, KbDumpIoComplete } = KbDumpIoType;

describe('dumpmirror.sys (KbCallbackDumpIo)', () => {
  for (const kind of ['kernel', 'complete', 'small'] as const satisfies readonly CrashDumpKind[]) {
    it(`mirrors a ${kind} dump byte for byte, honouring every Offset; Complete comes last`, async () => {
      const file = tmp.file(`${kind}.dmp`);
      const mirror = tmp.file(`${kind}.mirror`);
      // Small write chunks, so the mirror has many pieces to place; a flight recorder so there is secondary data.
      const system = smallSystem({ dump: { kind, path: file, ioChunkBytes: 0x10000 } });
      const recorder = system.loadDriver(createFlightRecorderDriver({ recordCount: 8 }));
      for (let n = 0; n < 12; n++) FlightRecorderLogEvent(recorder, n, 0n, `event ${n}`);
      const driver = system.loadDriver(createDumpMirrorDriver({ mirrorPath: mirror }));

      const result = crashIn(system, driver);
      assert.equal(result.dumpStatus, 'written');
      assert.deepEqual(result.violations, []);
      assert.ok(fs.statSync(file).size > 0x2000);
      assert.ok(filesEqual(file, mirror), 'mirror differs from the dump');

      const stats = DumpMirrorQueryStatistics(driver)!;
      assert.equal(stats.MirrorStatus, STATUS_SUCCESS);
      assert.equal(stats.FirstType, KbDumpIoHeader);
      assert.equal(stats.LastType, KbDumpIoComplete);
      assert.equal(stats.CallsByType[KbDumpIoComplete], 1);
      assert.equal(stats.CallsAfterComplete, 0);
      assert.ok(stats.CallsByType[KbDumpIoBody]! > 1);
      assert.ok(stats.CallsByType[KbDumpIoSecondaryData]! >= 1);
      assert.ok(stats.BytesMirrored >= BigInt(fs.statSync(file).size));
      const report = result.callbacks.find((c) => c.routineModule === 'dumpmirror.sys');
      assert.equal(
        report?.calls,
        stats.CallsByType.reduce((a, b) => a + b, 0),
      );

      const dump = await openDump(file);
      try {
        assert.equal(dump.header.bugCheckCode, 0xd1);
      } finally {
        await dump.close();
      }
    });
  }

  it('appends at its own cursor when every Offset is -1 (sequential writes)', () => {
    const file = tmp.file('sequential.dmp');
    const mirror = tmp.file('sequential.mirror');
    // No secondary data at all (not even the model's diagnostics block): with a secondary area the writer goes
    // back to fix RequiredDumpSpace in the header, a write that "-1" cannot place.
    const system = smallSystem({
      dump: { kind: 'small', path: file, ioChunkBytes: 0x1000, modelDiagnostics: false },
      dumpIoOffsets: 'sequential',
    });
    const driver = system.loadDriver(createDumpMirrorDriver({ mirrorPath: mirror }));
    crashIn(system, driver);
    const stats = DumpMirrorQueryStatistics(driver)!;
    const calls = stats.CallsByType.reduce((a, b) => a + b, 0);
    assert.equal(stats.SequentialCalls, calls);
    assert.equal(stats.SequentialCursor, BigInt(fs.statSync(file).size));
    assert.ok(filesEqual(file, mirror));
  });

  it('DriverUnload closes the device and deregisters: a later dump is not mirrored', () => {
    const file = tmp.file('unloaded.dmp');
    const mirror = tmp.file('unloaded.mirror');
    const system = smallSystem({ dump: { kind: 'small', path: file } });
    const driver = system.loadDriver(createDumpMirrorDriver({ mirrorPath: mirror }));
    system.unloadDriver(driver);
    system.KeBugCheckEx(0xe2);
    assert.equal(fs.statSync(mirror).size, 0);
    assert.ok(fs.statSync(file).size > 0);
  });
});
