import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { createCrashDumpWriter, DumpWriterError, openCrashDumpWriter } from '../../../src/dump/writer/index.js';
import { buildScenario, KbDumpIoComplete, makePlan, tempDir } from './helpers.js';

const tmp = tempDir();
after(() => tmp.cleanup());

function isWriterError(code: string): (err: unknown) => boolean {
  return (err: unknown) => err instanceof DumpWriterError && err.code === code;
}

describe('writer session', () => {
  const s = buildScenario({ seed: 70, memoryBytes: 64n << 20n });
  const noIo = (): void => {};

  it('refuses bad settings at creation', () => {
    const file = path.join(tmp.dir, 'bad.dmp');
    assert.throws(
      () => createCrashDumpWriter(s.machine, makePlan(s, 'small', file, { settings: { ioChunkBytes: 0 } }), noIo),
      isWriterError('E_DUMP_WRITER_SETTINGS'),
    );
    assert.throws(
      () => createCrashDumpWriter(s.machine, makePlan(s, 'small', file, { settings: { ioChunkBytes: 1.5 } }), noIo),
      isWriterError('E_DUMP_WRITER_SETTINGS'),
    );
    assert.throws(
      () => createCrashDumpWriter(s.machine, { ...makePlan(s, 'small', file), processorIndex: 99 }, noIo),
      isWriterError('E_DUMP_WRITER_SETTINGS'),
    );
    assert.throws(
      () => createCrashDumpWriter(s.machine, makePlan(s, 'small', file, { secondaryDataSizeEstimate: -1 }), noIo),
      isWriterError('E_DUMP_WRITER_SETTINGS'),
    );
    const plan = makePlan(s, 'small', file);
    assert.throws(
      () =>
        createCrashDumpWriter(s.machine, { ...plan, settings: { ...plan.settings, kind: 'huge' as 'small' } }, noIo),
      isWriterError('E_DUMP_WRITER_SETTINGS'),
    );
    assert.equal(fs.existsSync(file), false, 'nothing is created before writePrimary');
  });

  it('enforces the order writePrimary → writeSecondaryData* → complete', () => {
    const file = path.join(tmp.dir, 'order.dmp');
    const session = openCrashDumpWriter(s.machine, makePlan(s, 'small', file), noIo);
    assert.throws(
      () => session.writeSecondaryData('11111111-2222-3333-4444-555555555555', new Uint8Array(4)),
      isWriterError('E_DUMP_WRITER_STATE'),
    );
    assert.throws(() => session.complete(), isWriterError('E_DUMP_WRITER_STATE'));
    session.writePrimary();
    assert.throws(() => session.writePrimary(), isWriterError('E_DUMP_WRITER_STATE'));
    session.complete();
    assert.throws(() => session.complete(), isWriterError('E_DUMP_WRITER_STATE'));
    assert.throws(
      () => session.writeSecondaryData('11111111-2222-3333-4444-555555555555', new Uint8Array(4)),
      isWriterError('E_DUMP_WRITER_STATE'),
    );
    session.abort(); // harmless after completion
  });

  it('refuses a malformed GUID without writing anything, and stays usable', () => {
    const file = path.join(tmp.dir, 'bad-guid.dmp');
    const session = openCrashDumpWriter(s.machine, makePlan(s, 'small', file), noIo);
    session.writePrimary();
    const size = fs.statSync(file).size;
    assert.throws(() =>
      session.writeSecondaryData('not-a-guid' as '00000000-0000-0000-0000-000000000000', new Uint8Array(4)),
    );
    assert.equal(fs.statSync(file).size, size);
    session.writeSecondaryData('11111111-2222-3333-4444-555555555555', new Uint8Array(4));
    const summary = session.complete();
    assert.equal(summary.blobCount, 1);
    assert.equal(summary.fileSize, BigInt(size) + 0x10n + 0x20n + 8n);
  });

  it('fails with E_DUMP_WRITE_IO naming the path when the file cannot be created, and abort closes quietly', () => {
    const file = path.join(tmp.dir, 'no-such-dir', 'x.dmp');
    const reports: number[] = [];
    const session = openCrashDumpWriter(s.machine, makePlan(s, 'kernel', file), (type) => reports.push(type));
    assert.throws(
      () => session.writePrimary(),
      (err: unknown) => isWriterError('E_DUMP_WRITE_IO')(err) && (err as DumpWriterError).details.path === file,
    );
    assert.throws(
      () => session.writeSecondaryData('11111111-2222-3333-4444-555555555555', new Uint8Array(1)),
      isWriterError('E_DUMP_WRITER_STATE'),
    );
    session.abort();
    assert.deepEqual(reports, []);
  });

  it('abort after a partial write closes the file and never reports Complete', () => {
    const file = path.join(tmp.dir, 'aborted.dmp');
    const reports: number[] = [];
    const session = openCrashDumpWriter(s.machine, makePlan(s, 'small', file), (type) => reports.push(type));
    session.writePrimary();
    session.abort();
    assert.ok(reports.length > 0);
    assert.ok(!reports.includes(KbDumpIoComplete));
    assert.throws(() => session.complete(), isWriterError('E_DUMP_WRITER_STATE'));
  });

  it('lets a throwing DumpIo listener fail the write (the kernel isolates callbacks) and can still be aborted', () => {
    const file = path.join(tmp.dir, 'listener-throws.dmp');
    let calls = 0;
    const session = openCrashDumpWriter(
      s.machine,
      makePlan(s, 'small', file, { settings: { ioChunkBytes: 0x1000 } }),
      () => {
        if (++calls === 3) throw new Error('callback fault');
      },
    );
    assert.throws(() => session.writePrimary(), /callback fault/);
    session.abort();
    assert.equal(calls, 3);
  });
});
