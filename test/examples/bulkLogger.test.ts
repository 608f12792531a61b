import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import {
  BULK_LOGGER_GUID,
  BulkLoggerAppend,
  bulkLoggerExtension,
  bulkLoggerRun,
  createBulkLoggerDriver,
} from '../../examples/drivers/bulkLogger.js';
import { blobs, crashIn, openDump, smallSystem, tempDir } from './helpers.js';

const tmp = tempDir();
after(() => tmp.cleanup());

const MIB = 0x100000;

async function crashAndCollect(kind: 'kernel' | 'small', maximumAllowed: number, log: Uint8Array) {
  const file = tmp.file(`bulk-${kind}-${maximumAllowed}.dmp`);
  const system = smallSystem({ dump: { kind, path: file }, secondaryData: { maximumAllowed } });
  const driver = system.loadDriver(createBulkLoggerDriver());
  // Appended in uneven pieces, as a logger would.
  for (let at = 0; at < log.length; at += 4093)
    assert.equal(BulkLoggerAppend(driver, log.subarray(at, at + 4093)), Math.min(4093, log.length - at));
  const result = crashIn(system, driver);
  assert.deepEqual(result.violations, []);
  const dump = await openDump(file);
  try {
    return { result, all: await blobs(dump) };
  } finally {
    await dump.close();
  }
}

describe('bulklog.sys (KbCallbackSecondaryMultiPartDumpData)', () => {
  for (const kind of ['kernel', 'small'] as const) {
    it(`hands 1 MiB over in parts of at most MaximumAllowed; in order they are the log (${kind} dump)`, async () => {
      const log = randomBytes(MIB);
      const maximumAllowed = 0x30000;
      const { result, all } = await crashAndCollect(kind, maximumAllowed, log);
      const parts = all.filter((b) => b.guid === BULK_LOGGER_GUID).map((b) => b.data);
      assert.equal(parts.length, Math.ceil(MIB / maximumAllowed));
      for (const p of parts) assert.ok(p.length > 0 && p.length <= maximumAllowed);
      assert.deepEqual(Buffer.concat(parts), log);
      const report = result.callbacks.find((c) => c.routineModule === 'bulklog.sys')!;
      assert.equal(report.calls, parts.length);
      assert.deepEqual(
        report.contribution.secondaryData.map((s) => s.part),
        parts.map((_, i) => i),
      );
    });
  }

  it('one part when MaximumAllowed is large enough; the log stops (and counts) when full', async () => {
    const file = tmp.file('bulk-one.dmp');
    const system = smallSystem({ dump: { kind: 'small', path: file } });
    const driver = system.loadDriver(createBulkLoggerDriver({ logBytes: 0x9000 }));
    for (let step = 0; step < 10; step++) bulkLoggerRun(driver, step);
    assert.equal(BulkLoggerAppend(driver, new Uint8Array(1)), 0);
    const expected = system.machine.readVirtual(bulkLoggerExtension(driver)!.buffer, 0x9000);
    crashIn(system, driver);
    const dump = await openDump(file);
    try {
      const parts = (await blobs(dump)).filter((b) => b.guid === BULK_LOGGER_GUID);
      assert.equal(parts.length, 1);
      assert.deepEqual(parts[0]!.data, expected);
      assert.match(Buffer.from(parts[0]!.data.subarray(0, 9)).toString('latin1'), /^00000000 /);
    } finally {
      await dump.close();
    }
  });

  it('the driver’s own part limit applies too', async () => {
    const file = tmp.file('bulk-own-limit.dmp');
    const system = smallSystem({ dump: { kind: 'small', path: file } });
    const driver = system.loadDriver(createBulkLoggerDriver({ logBytes: 10_000, maxPartBytes: 3000 }));
    const log = randomBytes(10_000);
    BulkLoggerAppend(driver, log);
    crashIn(system, driver);
    const dump = await openDump(file);
    try {
      const parts = (await blobs(dump)).filter((b) => b.guid === BULK_LOGGER_GUID).map((b) => b.data);
      assert.deepEqual(
        parts.map((p) => p.length),
        [3000, 3000, 3000, 1000],
      );
      assert.deepEqual(Buffer.concat(parts), log);
    } finally {
      await dump.close();
    }
  });
});
