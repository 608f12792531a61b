import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  KBUGCHECK_REASON_CALLBACK_RECORD,
  KBUGCHECK_SECONDARY_DUMP_DATA,
  KbCallbackReason,
} from '../../src/format/index.js';
import { listEntries, secondaryArea, setup } from './helpers.js';

const COUNT = 10_000;

describe('10,000 registered callbacks', () => {
  it('are all linked in memory, all called in both passes, and each writes its own block', () => {
    const s = setup({ secondaryData: { inBufferLength: 0x100 } });
    // One nonpaged array of records, the way DMF keeps its records; one routine for all, which finds its index from the record address.
    const size = KBUGCHECK_REASON_CALLBACK_RECORD.size;
    const base = s.machine.ExAllocatePool2(0x40n, COUNT * size, 'Many');
    const calls = new Uint8Array(COUNT);
    const routine = (_reason: number, record: bigint, data: bigint): void => {
      const index = Number((record - base) / BigInt(size));
      calls[index]!++;
      const v = s.kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, data);
      v.set('OutBufferLength', 4);
      if (v.get('OutBuffer') === 0n) return;
      s.machine.writeU32(v.get('InBuffer'), index);
      v.set('Guid', `${index.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`);
    };
    for (let i = 0; i < COUNT; i++) {
      const record = base + BigInt(i * size);
      s.kernel.KeInitializeCallbackRecord(record);
      assert.ok(
        s.kernel.KeRegisterBugCheckReasonCallback(
          record,
          routine,
          KbCallbackReason.KbCallbackSecondaryDumpData,
          `Cb${i}`,
        ),
      );
    }
    // Every tenth one goes away again before the crash.
    for (let i = 0; i < COUNT; i += 10) assert.ok(s.kernel.KeDeregisterBugCheckReasonCallback(base + BigInt(i * size)));
    const live = COUNT - COUNT / 10;
    assert.equal(listEntries(s.machine, s.machine.symbols.KeBugCheckReasonCallbackListHead).length, live);

    const result = s.kernel.KeBugCheckEx(0xe2);
    for (let i = 0; i < COUNT; i++) assert.equal(calls[i], i % 10 === 0 ? 0 : 2, `record ${i}`);
    assert.equal(s.writer.blocks.length, live);
    assert.equal(result.plan?.secondaryDataSizeEstimate, secondaryArea(...Array<number>(live).fill(4)));
    const indices = s.writer.blocks.map((b) => new DataView(b.data.buffer, b.data.byteOffset).getUint32(0, true));
    assert.deepEqual(
      indices,
      Array.from({ length: COUNT }, (_, i) => i).filter((i) => i % 10 !== 0),
    );
    assert.ok(s.writer.blocks.every((b, k) => b.guid.startsWith(indices[k]!.toString(16).padStart(8, '0'))));
    assert.equal(result.callbacks.length, live);
    assert.ok(result.callbacks.every((c) => c.stateName === 'BufferFinished' && c.calls === 2));
    assert.deepEqual(result.violations, []);
  });
});
