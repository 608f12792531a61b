import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  DumpType,
  KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA,
  KBUGCHECK_SECONDARY_DUMP_DATA,
  KBUGCHECK_SECONDARY_DUMP_DATA_EX,
  KbCallbackReason,
  NULL_GUID,
  type KBugCheckSecondaryDumpData,
} from '../../src/format/index.js';
import type { KernelSettingsInput, StructView } from '../../src/kernel/index.js';
import { bytesOf, newReasonRecord, nonPaged, paged, secondaryArea, setup } from './helpers.js';

const GUID_A = 'aaaaaaaa-0000-4000-8000-000000000001';
const GUID_B = 'bbbbbbbb-0000-4000-8000-000000000002';
type SecondaryView = StructView<KBugCheckSecondaryDumpData>;

interface Seen {
  reasonSpecificDataLength: number;
  InBuffer: bigint;
  InBufferLength: number;
  MaximumAllowed: number;
  OutBuffer: bigint;
  OutBufferLength: number;
  Guid: string;
}

/** Registers a secondary callback that records what it is handed and then runs `body`. */
function secondary(
  s: ReturnType<typeof setup>,
  component: string,
  body: (v: SecondaryView, sizePass: boolean) => void,
): Seen[] {
  const seen: Seen[] = [];
  const record = newReasonRecord(s.kernel);
  const ok = s.kernel.KeRegisterBugCheckReasonCallback(
    record,
    (reason, rec, data, length) => {
      assert.equal(reason, KbCallbackReason.KbCallbackSecondaryDumpData);
      assert.equal(rec, record);
      const v = s.kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, data);
      seen.push({ reasonSpecificDataLength: length, ...v.read() });
      body(v, v.get('OutBuffer') === 0n);
    },
    KbCallbackReason.KbCallbackSecondaryDumpData,
    component,
  );
  assert.ok(ok);
  return seen;
}

describe('KbCallbackSecondaryDumpData', () => {
  it('size pass with OutBuffer NULL, data pass with OutBuffer = InBuffer; data written from InBuffer', () => {
    const s = setup({ secondaryData: { inBufferLength: 0x800, maximumAllowed: 0x10000 } });
    const seen = secondary(s, 'Small', (v, sizePass) => {
      v.set('OutBufferLength', 5);
      if (!sizePass) {
        s.machine.writeVirtual(v.get('InBuffer'), bytesOf('hello'));
        v.set('Guid', GUID_A);
      }
    });
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.equal(seen.length, 2);
    const [size, data] = seen as [Seen, Seen];
    assert.equal(size.reasonSpecificDataLength, 0x30);
    assert.equal(size.OutBuffer, 0n);
    assert.equal(size.InBufferLength, 0x800);
    assert.equal(size.MaximumAllowed, 0x10000);
    assert.notEqual(size.InBuffer, 0n);
    assert.equal(data.OutBuffer, data.InBuffer);
    assert.equal(data.InBuffer, size.InBuffer);
    assert.equal(data.OutBufferLength, 0);
    assert.equal(data.Guid, NULL_GUID);
    assert.equal(s.machine.isPagedPool(data.InBuffer), false);
    assert.deepEqual(s.writer.blocks, [{ guid: GUID_A, data: bytesOf('hello') }]);
    assert.equal(s.writer.plan?.secondaryDataSizeEstimate, secondaryArea(5));
    const report = result.callbacks[0]!;
    assert.equal(report.contribution.sizePassBytes, 5);
    assert.deepEqual(report.contribution.secondaryData, [{ guid: GUID_A, bytes: 5, part: 0, truncatedFrom: null }]);
  });

  it("takes large data from the driver's own resident buffer", () => {
    const s = setup({ secondaryData: { inBufferLength: 0x100 } });
    const own = nonPaged(s.machine, 0x3000);
    const payload = new Uint8Array(0x3000).map((_, i) => (i * 13) & 0xff);
    s.machine.writeVirtual(own, payload);
    secondary(s, 'Big', (v) => {
      v.write({ OutBuffer: own, OutBufferLength: payload.length, Guid: GUID_B });
    });
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.equal(s.writer.blocks.length, 1);
    assert.deepEqual(s.writer.blocks[0]!.data, payload);
    assert.equal(result.plan?.secondaryDataSizeEstimate, secondaryArea(0x3000));
    assert.deepEqual(result.violations, []);
  });

  it('gives every caller a clean InBuffer: one callback cannot read or leak the previous one’s data', () => {
    const s = setup();
    secondary(s, 'First', (v, sizePass) => {
      if (sizePass) return;
      s.machine.writeVirtual(v.get('InBuffer'), bytesOf('secret'));
      v.write({ OutBufferLength: 6, Guid: GUID_A });
    });
    let leftover: Uint8Array | null = null;
    secondary(s, 'Second', (v, sizePass) => {
      if (sizePass) return;
      leftover = s.machine.readVirtual(v.get('InBuffer'), 6);
      v.write({ OutBufferLength: 6, Guid: GUID_B });
    });
    s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(leftover, new Uint8Array(6));
    assert.deepEqual(
      s.writer.blocks.map((b) => b.guid),
      [GUID_A, GUID_B],
    );
    assert.deepEqual(s.writer.blocks[1]!.data, new Uint8Array(6));
  });

  for (const policy of ['truncate', 'drop'] as const) {
    it(`enforces MaximumAllowed (${policy}) and reports a limit violation`, () => {
      const settings: KernelSettingsInput = { secondaryData: { maximumAllowed: 0x100, overLimitPolicy: policy } };
      const s = setup(settings);
      const own = nonPaged(s.machine, 0x200);
      s.machine.writeVirtual(own, new Uint8Array(0x200).fill(0x41));
      secondary(s, 'Greedy', (v) => v.write({ OutBuffer: own, OutBufferLength: 0x200, Guid: GUID_A }));
      const result = s.kernel.KeBugCheckEx(0xe2);
      const limits = result.violations.filter((x) => x.kind === 'limit');
      assert.equal(limits.length, 2, 'one for the size pass, one for the data pass');
      assert.ok(limits.every((x) => x.component === 'Greedy'));
      if (policy === 'truncate') {
        assert.equal(s.writer.blocks.length, 1);
        assert.deepEqual(s.writer.blocks[0]!.data, new Uint8Array(0x100).fill(0x41));
        assert.equal(result.plan?.secondaryDataSizeEstimate, secondaryArea(0x100));
        assert.deepEqual(result.callbacks[0]!.contribution.secondaryData, [
          { guid: GUID_A, bytes: 0x100, part: 0, truncatedFrom: 0x200 },
        ]);
      } else {
        assert.deepEqual(s.writer.blocks, []);
        // Reserved all the same: a data pass returning no more than MaximumAllowed would be written.
        assert.equal(result.plan?.secondaryDataSizeEstimate, secondaryArea(0x100));
      }
    });
  }

  it('caps OutBufferLength at InBufferLength when the data is in InBuffer', () => {
    const s = setup({ secondaryData: { inBufferLength: 0x40 } });
    secondary(s, 'Overrun', (v, sizePass) => {
      if (!sizePass) v.write({ OutBufferLength: 0x80, Guid: GUID_A });
    });
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.equal(s.writer.blocks[0]!.data.length, 0x40);
    assert.match(result.violations.find((v) => v.kind === 'limit')!.detail, /InBufferLength/);
  });

  for (const emptyBlocks of ['write', 'skip'] as const) {
    it(`a call that returns nothing: emptyBlocks = ${emptyBlocks}`, () => {
      const s = setup({ secondaryData: { emptyBlocks } });
      secondary(s, 'Nothing', () => undefined);
      secondary(s, 'GuidOnly', (v, sizePass) => {
        if (!sizePass) v.set('Guid', GUID_B);
      });
      s.kernel.KeBugCheckEx(0xe2);
      if (emptyBlocks === 'write') {
        assert.deepEqual(s.writer.blocks, [
          { guid: NULL_GUID, data: new Uint8Array(0) },
          { guid: GUID_B, data: new Uint8Array(0) },
        ]);
      } else {
        assert.deepEqual(s.writer.blocks, []);
      }
    });
  }

  it('drops blocks whose OutBuffer is NULL, unmapped or pageable, and reports each', () => {
    const s = setup();
    const pagedBuffer = paged(s.machine, 0x100);
    secondary(s, 'Null', (v, sizePass) => {
      if (!sizePass) v.write({ OutBuffer: 0n, OutBufferLength: 8, Guid: GUID_A });
    });
    secondary(s, 'Wild', (v, sizePass) => {
      if (!sizePass) v.write({ OutBuffer: 0xffff_f000_0bad_0000n, OutBufferLength: 8, Guid: GUID_A });
    });
    secondary(s, 'Paged', (v, sizePass) => {
      if (!sizePass) v.write({ OutBuffer: pagedBuffer, OutBufferLength: 8, Guid: GUID_A });
    });
    secondary(s, 'Fine', (v, sizePass) => {
      v.set('OutBufferLength', 2);
      if (sizePass) return;
      s.machine.writeVirtual(v.get('InBuffer'), bytesOf('ok'));
      v.set('Guid', GUID_B);
    });
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(s.writer.blocks, [{ guid: GUID_B, data: bytesOf('ok') }]);
    assert.deepEqual(
      result.violations.map((v) => [v.component, v.kind]),
      [
        ['Null', 'invalid-buffer'],
        ['Wild', 'invalid-buffer'],
        ['Paged', 'paged-memory'],
      ],
    );
  });

  it('reports a data pass that returns more than the size pass announced, and an all-zero GUID', () => {
    const s = setup();
    secondary(s, 'Grows', (v, sizePass) => {
      v.set('OutBufferLength', sizePass ? 2 : 4);
      if (!sizePass) s.machine.writeVirtual(v.get('InBuffer'), bytesOf('grow'));
    });
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.deepEqual(
      result.violations.map((v) => v.kind),
      ['null-guid', 'size-mismatch'],
    );
    assert.deepEqual(s.writer.blocks, [{ guid: NULL_GUID, data: bytesOf('grow') }]);
  });
});

describe('KbCallbackSecondaryMultiPartDumpData', () => {
  it('keeps Context across calls, supplies DumpType and the bug check, and writes one block per part', () => {
    const s = setup({ dump: { kind: 'kernel' } });
    const parts = ['part-one', 'part-two', 'part-three'];
    const seen: {
      Context: bigint;
      Flags: number;
      DumpType: number;
      BugCheckCode: number;
      p4: bigint;
      OutBuffer: bigint;
      InBuffer: bigint;
      MaximumAllowed: number;
      length: number;
    }[] = [];
    const record = newReasonRecord(s.kernel);
    s.kernel.KeRegisterBugCheckReasonCallback(
      record,
      (reason, _rec, data, length) => {
        assert.equal(reason, KbCallbackReason.KbCallbackSecondaryMultiPartDumpData);
        const v = s.kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA_EX, data);
        const d = v.read();
        seen.push({
          Context: d.Context,
          Flags: d.Flags,
          DumpType: d.DumpType,
          BugCheckCode: d.BugCheckCode,
          p4: d.BugCheckParameter4,
          OutBuffer: d.OutBuffer,
          InBuffer: d.InBuffer,
          MaximumAllowed: d.MaximumAllowed,
          length,
        });
        const index = Number(d.Context);
        s.machine.writeVirtual(d.InBuffer, bytesOf(parts[index]!));
        v.write({
          Guid: GUID_A,
          OutBufferLength: parts[index]!.length,
          Context: BigInt(index + 1),
          Flags: index + 1 < parts.length ? KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA : 0,
        });
      },
      KbCallbackReason.KbCallbackSecondaryMultiPartDumpData,
      'Multi',
    );
    const result = s.kernel.KeBugCheckEx(0x9f, 3n, 0x1000n, 0x2000n, 0x3000n);
    assert.deepEqual(
      seen.map((x) => x.Context),
      [0n, 1n, 2n],
    );
    assert.ok(
      seen.every(
        (x) => x.Flags === 0 && x.DumpType === DumpType.BitmapKernel && x.BugCheckCode === 0x9f && x.p4 === 0x3000n,
      ),
    );
    assert.ok(seen.every((x) => x.OutBuffer === x.InBuffer && x.length === 0x68));
    assert.deepEqual(
      s.writer.blocks.map((b) => new TextDecoder().decode(b.data)),
      parts,
    );
    assert.deepEqual(
      result.callbacks[0]!.contribution.secondaryData.map((b) => b.part),
      [0, 1, 2],
    );
    // No size pass for multi-part records: the estimate reserves the area they may fill together (multiPartAreaBytes,
    // 2 MiB by default), and every part's MaximumAllowed is capped by what is left of it.
    assert.equal(result.plan?.secondaryDataSizeEstimate, 0x10 + 0x200000);
    assert.deepEqual(
      seen.map((x) => x.MaximumAllowed),
      [0x200000 - 0x20, 0x200000 - 0x20 - 0x28, 0x200000 - 0x20 - 0x28 - 0x28],
    );
  });

  it('stops a callback that never clears ADDITIONAL_DATA at the part bound', () => {
    const s = setup({ secondaryData: { multiPartMaxParts: 5 } });
    let calls = 0;
    s.kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(s.kernel),
      (_r, _rec, data) => {
        calls++;
        s.kernel
          .view(KBUGCHECK_SECONDARY_DUMP_DATA_EX, data)
          .write({ Flags: KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA, OutBufferLength: 1, Guid: GUID_B });
      },
      KbCallbackReason.KbCallbackSecondaryMultiPartDumpData,
      'Endless',
    );
    const result = s.kernel.KeBugCheckEx(0xe2);
    assert.equal(calls, 5);
    assert.equal(s.writer.blocks.length, 5);
    assert.deepEqual(
      result.violations.map((v) => [v.component, v.kind]),
      [['Endless', 'limit']],
    );
  });

  it('tells the callback the dump type of each dump kind', () => {
    const cases = [
      [{ kind: 'small' }, DumpType.Triage],
      [{ kind: 'complete' }, DumpType.BitmapFull],
      [{ kind: 'complete', completeFormat: 'runs' }, DumpType.Full],
    ] as const;
    for (const [dump, expected] of cases) {
      const s = setup({ dump });
      let dumpType = -1;
      s.kernel.KeRegisterBugCheckReasonCallback(
        newReasonRecord(s.kernel),
        (_r, _rec, data) => {
          dumpType = s.kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA_EX, data).get('DumpType');
        },
        KbCallbackReason.KbCallbackSecondaryMultiPartDumpData,
        'Type',
      );
      s.kernel.KeBugCheckEx(0xe2);
      assert.equal(dumpType, expected);
    }
  });
});
