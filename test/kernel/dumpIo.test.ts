import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  KBUGCHECK_DUMP_IO,
  KBUGCHECK_SECONDARY_DUMP_DATA,
  KbCallbackReason,
  KbDumpIoType,
} from '../../src/format/index.js';
import { bytesOf, newReasonRecord, setup, type Setup } from './helpers.js';

const SEQUENTIAL = 0xffffffffffffffffn;
const GUID = 'cccccccc-0000-4000-8000-000000000003';

interface IoCall {
  length: number;
  Offset: bigint;
  Buffer: bigint;
  BufferLength: number;
  Type: number;
  bytes: Uint8Array | null;
  pageable: boolean;
}

function dumpIoRecorder(s: Setup, component = 'Mirror'): IoCall[] {
  const calls: IoCall[] = [];
  s.kernel.KeRegisterBugCheckReasonCallback(
    newReasonRecord(s.kernel),
    (reason, _record, data, length) => {
      assert.equal(reason, KbCallbackReason.KbCallbackDumpIo);
      const io = s.kernel.view(KBUGCHECK_DUMP_IO, data).read();
      calls.push({
        length,
        ...io,
        // The callback reads the buffer through the machine, like a driver would: it must be a real, resident VA.
        bytes: io.Buffer === 0n ? null : s.machine.readVirtual(io.Buffer, io.BufferLength),
        pageable: io.Buffer !== 0n && s.machine.kernelSpace.translate(io.Buffer)!.pageable,
      });
    },
    KbCallbackReason.KbCallbackDumpIo,
    component,
  );
  return calls;
}

function addSecondary(s: Setup, text: string): void {
  s.kernel.KeRegisterBugCheckReasonCallback(
    newReasonRecord(s.kernel),
    (_r, _rec, data) => {
      const v = s.kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, data);
      v.set('OutBufferLength', text.length);
      if (v.get('OutBuffer') !== 0n) {
        s.machine.writeVirtual(v.get('InBuffer'), bytesOf(text));
        v.set('Guid', GUID);
      }
    },
    KbCallbackReason.KbCallbackSecondaryDumpData,
    'Sec',
  );
}

describe('KbCallbackDumpIo', () => {
  it('sees Header, Body, SecondaryData in order, then one Complete with NULL/0; Buffer holds the bytes written', () => {
    const s = setup({ dump: { ioChunkBytes: 0x1000 } }, { bodyBytes: 0x2800, chunk: 0x1000 });
    const calls = dumpIoRecorder(s);
    addSecondary(s, 'tagged');
    s.kernel.KeBugCheckEx(0xe2);
    // The 0x2000-byte header is split into two 0x1000-byte calls (the kernel buffer is ioChunkBytes).
    assert.deepEqual(
      calls.map((c) => c.Type),
      [
        KbDumpIoType.KbDumpIoHeader,
        KbDumpIoType.KbDumpIoHeader,
        KbDumpIoType.KbDumpIoBody,
        KbDumpIoType.KbDumpIoBody,
        KbDumpIoType.KbDumpIoBody,
        KbDumpIoType.KbDumpIoSecondaryData,
        KbDumpIoType.KbDumpIoComplete,
      ],
    );
    assert.ok(calls.every((c) => c.length === KBUGCHECK_DUMP_IO.size));
    const last = calls.at(-1)!;
    assert.deepEqual([last.Buffer, last.BufferLength, last.bytes, last.Offset], [0n, 0, null, SEQUENTIAL]);
    // What the callbacks saw, concatenated, is exactly what the writer wrote.
    const seen = Buffer.concat(calls.filter((c) => c.bytes).map((c) => c.bytes!));
    const written = Buffer.concat(s.writer.writes.filter((w) => w.data).map((w) => w.data!));
    assert.ok(seen.equals(written));
    assert.ok(calls.every((c) => !c.pageable));
    // File offsets, split chunks included.
    assert.deepEqual(
      calls.slice(0, 6).map((c) => c.Offset),
      [0n, 0x1000n, 0x2000n, 0x3000n, 0x4000n, 0x4800n],
    );
    const secondary = calls[5]!;
    assert.deepEqual(secondary.bytes!.subarray(0x20), bytesOf('tagged'));
  });

  it('passes Offset = -1 for every write when the setting says sequential', () => {
    const s = setup({ dumpIoOffsets: 'sequential' });
    const calls = dumpIoRecorder(s);
    s.kernel.KeBugCheckEx(0xe2);
    assert.ok(calls.length >= 3);
    assert.ok(calls.every((c) => c.Offset === SEQUENTIAL));
  });

  it('passes the writer’s -1 through when the writer itself streams', () => {
    const s = setup({}, { sequentialOffsets: true });
    const calls = dumpIoRecorder(s);
    s.kernel.KeBugCheckEx(0xe2);
    assert.ok(calls.every((c) => c.Offset === SEQUENTIAL));
  });

  it('calls every DumpIo record for every write; one that deregisters itself is not called again (pvpanic)', () => {
    const s = setup();
    const mirror = dumpIoRecorder(s, 'Mirror');
    let pvpanicCalls = 0;
    const record = newReasonRecord(s.kernel);
    s.kernel.KeRegisterBugCheckReasonCallback(
      record,
      (_r, rec) => {
        pvpanicCalls++;
        assert.equal(s.kernel.KeDeregisterBugCheckReasonCallback(rec), true);
      },
      KbCallbackReason.KbCallbackDumpIo,
      'pvpanic',
    );
    const after = dumpIoRecorder(s, 'After');
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.equal(pvpanicCalls, 1);
    assert.equal(mirror.length, after.length);
    assert.equal(mirror.length, s.writer.writes.length);
    const report = result.callbacks.find((c) => c.component === 'pvpanic')!;
    assert.equal(report.deregisteredDuringBugCheck, true);
    assert.equal(report.stateName, 'BufferEmpty');
    assert.deepEqual(result.violations, []);
  });

  it('is not called when no dump is written, and counts its calls', () => {
    const disabled = setup({ dump: { enabled: false } });
    const none = dumpIoRecorder(disabled);
    disabled.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(none, []);

    const s = setup();
    const calls = dumpIoRecorder(s);
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.equal(result.callbacks[0]!.contribution.dumpIoCalls, calls.length);
  });
});
