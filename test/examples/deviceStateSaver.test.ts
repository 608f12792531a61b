import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import {
  DEVICE_MAILBOX,
  DEVICE_MAILBOX_SIGNATURE,
  createDeviceStateSaverDriver,
  deviceStateSaverExtension,
  deviceStateSaverRun,
} from '../../examples/drivers/deviceStateSaver.js';
import { crashIn, openDump, smallSystem, tempDir } from './helpers.js';

const tmp = tempDir();
after(() => tmp.cleanup());

describe('devstate.sys (KbCallbackAddPages)', () => {
  it('puts unmapped device pages (by PA) and the mapped mailbox (by VA) into a kernel dump', async () => {
    const file = tmp.file('devstate.dmp');
    const system = smallSystem({ dump: { kind: 'kernel', path: file } });
    const driver = system.loadDriver(createDeviceStateSaverDriver({ receiveRingPages: 3, traceBufferPages: 2 }));
    const ext = deviceStateSaverExtension(driver)!;
    const { machine } = system;

    // What the device holds at crash time: random bytes, so only the real pages can match.
    const ring = randomBytes(ext.receiveRing.bytes);
    const trace = randomBytes(ext.traceBuffer.bytes);
    machine.physical.write(ext.receiveRing.pa, ring);
    machine.physical.write(ext.traceBuffer.pa, trace);
    for (let step = 0; step < 5; step++) deviceStateSaverRun(driver, step);
    const ringNow = machine.physical.read(ext.receiveRing.pa, ext.receiveRing.bytes);
    const traceNow = machine.physical.read(ext.traceBuffer.pa, ext.traceBuffer.bytes);
    const mailboxNow = machine.readVirtual(ext.mailbox.va, ext.mailbox.bytes);
    assert.notDeepEqual(ringNow, ring, 'the run wrote descriptors');

    // Control: device memory nobody adds is left out of a kernel dump.
    const otherDevice = machine.allocateDeviceMemory(1);
    machine.physical.write(otherDevice, randomBytes(0x1000));

    const result = crashIn(system, driver);
    assert.equal(result.dumpStatus, 'written');
    assert.deepEqual(result.violations, []);
    const report = result.callbacks.find((c) => c.routineModule === 'devstate.sys')!;
    assert.equal(report.calls, 3);
    assert.deepEqual(
      report.contribution.pageRanges.map((r) => [r.space, r.count]),
      [
        ['physical', 3n],
        ['physical', 2n],
        ['virtual', 1n],
      ],
    );
    assert.equal(report.contribution.pagesAdded, 6);

    const dump = await openDump(file);
    try {
      assert.equal(dump.dumpType, 6);
      const r = await dump.readPhysical(ext.receiveRing.pa, ext.receiveRing.bytes);
      assert.equal(r.complete, true);
      assert.deepEqual(r.bytes, ringNow);
      const t = await dump.readPhysical(ext.traceBuffer.pa, ext.traceBuffer.bytes);
      assert.equal(t.complete, true);
      assert.deepEqual(t.bytes, traceNow);
      const m = await dump.readVirtual(ext.mailbox.va, ext.mailbox.bytes);
      assert.equal(m.complete, true);
      assert.deepEqual(m.bytes, mailboxNow);
      const mailbox = DEVICE_MAILBOX.decode(m.bytes, 0);
      assert.equal(mailbox.Signature, DEVICE_MAILBOX_SIGNATURE);
      assert.equal(mailbox.InterruptCount, 5n);
      // The VA reaches the mailbox's own device frame.
      const translation = await dump.translate(ext.mailbox.va);
      assert.equal(translation.status === 'mapped' && translation.pa, ext.mailbox.pa);

      const other = await dump.readPhysical(otherDevice, 0x1000);
      assert.equal(other.complete, false);
      assert.equal(other.status[0]?.status, 'not-in-dump');
    } finally {
      await dump.close();
    }
  });

  it('without the driver the same kind of pages are not in a kernel dump', async () => {
    const file = tmp.file('devstate-control.dmp');
    const system = smallSystem({ dump: { kind: 'kernel', path: file } });
    const driver = system.loadDriver(createDeviceStateSaverDriver());
    const ext = deviceStateSaverExtension(driver)!;
    system.unloadDriver(driver);
    system.machine.physical.write(ext.receiveRing.pa, randomBytes(0x1000));
    system.KeBugCheckEx(0xe2);
    const dump = await openDump(file);
    try {
      assert.equal((await dump.readPhysical(ext.receiveRing.pa, 0x1000)).status[0]?.status, 'not-in-dump');
      assert.notEqual((await dump.translate(ext.mailbox.va)).status, 'mapped');
    } finally {
      await dump.close();
    }
  });
});
