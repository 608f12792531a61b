import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  BUGCHECK_MODEL_DIAGNOSTICS_GUID,
  KBUGCHECK_DUMP_IO,
  KBUGCHECK_REASON_CALLBACK_RECORD,
  KBUGCHECK_SECONDARY_DUMP_DATA,
  KbCallbackReason,
} from '../../../src/format/index.js';
import { Kernel, type CrashDumpKind } from '../../../src/kernel/index.js';
import { createX64Machine, POOL_FLAG_NON_PAGED } from '../../../src/machine/index.js';
import { createCrashDumpWriter, type DumpWriterSummary } from '../../../src/dump/writer/index.js';
import { openDump } from '../../../src/dump/reader/index.js';
import {
  KbDumpIoBody,
  KbDumpIoComplete,
  KbDumpIoHeader,
  KbDumpIoSecondaryData,
  readFileRange,
  tempDir,
} from './helpers.js';

const tmp = tempDir();
after(() => tmp.cleanup());

const SEQUENTIAL = (1n << 64n) - 1n;
const GUID = 'eeeeeeee-0000-4000-8000-000000000005';

/**
 * The kernel and the real writer together, with the model-diagnostics block
 * on (the default) and a DumpIo callback that records every call: the order
 * callbacks.md §5.3 documents, Header → Body → SecondaryData → Complete.
 */
describe('KeBugCheckEx with the real writer: DumpIo order and RequiredDumpSpace', () => {
  for (const kind of ['small', 'kernel', 'complete'] as const satisfies readonly CrashDumpKind[]) {
    it(`${kind} dump: Header, Body, SecondaryData, Complete — each a sequential write — and RequiredDumpSpace ≥ the file`, async () => {
      const file = path.join(tmp.dir, `order-${kind}.dmp`);
      const machine = createX64Machine({ memoryBytes: 64n << 20n });
      const kernel = new Kernel(
        machine,
        { dump: { kind, path: file, ioChunkBytes: 0x8000 }, dumpIoOffsets: 'sequential' },
        createCrashDumpWriter,
      );
      const record = (): bigint => {
        const va = machine.ExAllocatePool2(POOL_FLAG_NON_PAGED, KBUGCHECK_REASON_CALLBACK_RECORD.size, 'Test');
        kernel.KeInitializeCallbackRecord(va);
        return va;
      };
      const calls: { type: number; offset: bigint; bytes: Uint8Array | null }[] = [];
      kernel.KeRegisterBugCheckReasonCallback(
        record(),
        (_r, _rec, data) => {
          const io = kernel.view(KBUGCHECK_DUMP_IO, data).read();
          calls.push({
            type: io.Type,
            offset: io.Offset,
            bytes: io.Buffer === 0n ? null : machine.readVirtual(io.Buffer, io.BufferLength),
          });
        },
        KbCallbackReason.KbCallbackDumpIo,
        'Mirror',
      );
      kernel.KeRegisterBugCheckReasonCallback(
        record(),
        (_r, _rec, data) => {
          const v = kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, data);
          v.set('OutBufferLength', 0x123);
          if (v.get('OutBuffer') === 0n) return;
          machine.writeVirtual(v.get('InBuffer'), new Uint8Array(0x123).fill(0x42));
          v.set('Guid', GUID);
        },
        KbCallbackReason.KbCallbackSecondaryDumpData,
        'Sec',
      );

      const result = kernel.KeBugCheckEx(0xe2);
      assert.equal(result.dumpStatus, 'written');
      assert.deepEqual(result.violations, []);

      // Runs of the same type, in the documented order, Complete once and last.
      const runs = calls.map((c) => c.type).filter((t, i, all) => i === 0 || all[i - 1] !== t);
      assert.deepEqual(runs, [KbDumpIoHeader, KbDumpIoBody, KbDumpIoSecondaryData, KbDumpIoComplete]);
      assert.ok(
        calls.every((c) => c.offset === SEQUENTIAL),
        'every write continues the previous one',
      );
      const last = calls[calls.length - 1]!;
      assert.equal(last.bytes, null);

      // Concatenating the buffers rebuilds the file.
      const size = fs.statSync(file).size;
      const stream = Buffer.concat(calls.flatMap((c) => (c.bytes ? [c.bytes] : [])));
      assert.equal(stream.length, size);
      assert.ok(stream.equals(fs.readFileSync(file)));

      const summary = result.dump as DumpWriterSummary;
      const required = readFileRange(file, 0xfa0, 8).readBigUInt64LE(0);
      assert.equal(required, summary.primaryBodyEnd + BigInt(result.plan!.secondaryDataSizeEstimate));
      assert.ok(
        required >= BigInt(size),
        `RequiredDumpSpace 0x${required.toString(16)} < file size 0x${size.toString(16)}`,
      );
      assert.deepEqual(summary.requiredDumpSpace, { value: required, exceededBy: 0n });

      const dump = await openDump(file);
      try {
        assert.deepEqual(dump.problems, []);
        const blobs = (await dump.secondaryData()).blobs.map((b) => b.guid);
        assert.deepEqual(blobs, [GUID, BUGCHECK_MODEL_DIAGNOSTICS_GUID]);
      } finally {
        await dump.close();
      }
    });
  }
});
