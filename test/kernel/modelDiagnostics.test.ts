import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BUGCHECK_MODEL_DIAGNOSTICS_GUID,
  decodeModelDiagnostics,
  encodeModelDiagnostics,
  KbCallbackReason,
  KBUGCHECK_SECONDARY_DUMP_DATA,
} from '../../src/format/index.js';
import { buildModelDiagnostics, encodeModelDiagnosticsBlock, type CallbackReport } from '../../src/kernel/index.js';
import { newLegacyRecord, newReasonRecord, setup } from './helpers.js';

test('the model-diagnostics block is the last secondary block and records every violation', () => {
  const { kernel, writer } = setup({ dump: { modelDiagnostics: true } });
  const good = newReasonRecord(kernel);
  const payload = kernel.ExAllocatePool2(0x40n, 16, 'Good');
  kernel.KeRegisterBugCheckReasonCallback(
    good,
    (_r, _rec, data) => {
      const view = kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, data);
      view.set('Guid', '0f0f0f0f-1111-2222-3333-444444444444');
      view.set('OutBuffer', payload);
      view.set('OutBufferLength', 16);
    },
    KbCallbackReason.KbCallbackSecondaryDumpData,
    'GoodDriver',
  );
  const bad = newReasonRecord(kernel);
  kernel.KeRegisterBugCheckReasonCallback(
    bad,
    () => {
      kernel.ExAllocatePool2(0x40n, 64, 'Bad!');
    },
    KbCallbackReason.KbCallbackSecondaryDumpData,
    'AllocatingDriver',
  );

  const result = kernel.KeBugCheckEx(0xd1, 0x10n, 2n, 0n, 0xfffff80000001234n);
  assert.equal(result.dumpStatus, 'written');
  const last = writer.blocks[writer.blocks.length - 1]!;
  assert.equal(last.guid, BUGCHECK_MODEL_DIAGNOSTICS_GUID);
  assert.equal(writer.blocks[0]!.guid, '0f0f0f0f-1111-2222-3333-444444444444');

  const diagnostics = decodeModelDiagnostics(last.data);
  assert.deepEqual(diagnostics.bugCheck, { code: '0xd1', parameters: ['0x10', '0x2', '0x0', '0xfffff80000001234'] });
  assert.equal(diagnostics.nested, null);
  const allocations = diagnostics.violations.filter((v) => v.kind === 'allocate');
  assert.ok(allocations.length >= 1, 'the allocation at HIGH_LEVEL is recorded');
  assert.ok(allocations.every((v) => v.component === 'AllocatingDriver'));
  assert.equal(diagnostics.violations.length, result.violations.length);
  const goodReport = diagnostics.callbacks.find((c) => c.component === 'GoodDriver');
  assert.equal(goodReport?.secondaryBlocks, 1);
  assert.equal(goodReport?.secondaryBytes, 16);
  assert.equal(goodReport?.stateName, 'BufferFinished');
});

test('the diagnostics block can be turned off', () => {
  const { kernel, writer } = setup({ dump: { modelDiagnostics: false } });
  kernel.KeBugCheckEx(0xe2);
  assert.equal(
    writer.blocks.some((b) => b.guid === BUGCHECK_MODEL_DIAGNOSTICS_GUID),
    false,
  );
});

test('decodeModelDiagnostics rejects damaged blocks with a FormatError', () => {
  assert.throws(() => decodeModelDiagnostics(new TextEncoder().encode('{"format":"other"}')), /format is "other"/);
  assert.throws(() => decodeModelDiagnostics(new Uint8Array([0xff, 0xfe])), /not UTF-8 JSON/);
});

test('the block is UTF-8 JSON: component names outside ASCII, control characters and lone surrogates round-trip', () => {
  const { kernel, writer } = setup({ dump: { modelDiagnostics: true } });
  // The kernel keeps component names as ANSI bytes; the diagnostics carry the string it read.
  const names = ['Größe-ドライバ', 'ctl\u0001\u001f"\\', 'lone\ud800surrogate'];
  for (const name of names) {
    kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(kernel),
      () => undefined,
      KbCallbackReason.KbCallbackSecondaryDumpData,
      name,
    );
  }
  const result = kernel.KeBugCheckEx(0xe2);
  const block = writer.blocks[writer.blocks.length - 1]!.data;
  const decoded = decodeModelDiagnostics(block);
  const components = result.callbacks.map((c) => c.component);
  assert.deepEqual(
    decoded.callbacks.map((c) => c.component),
    components,
  );
  // Exactly the bytes a WHATWG TextEncoder produces for the same JSON text.
  assert.deepEqual(new Uint8Array(block), new TextEncoder().encode(new TextDecoder().decode(block)));
  assert.equal(new TextDecoder('utf-8', { fatal: true }).decode(block).includes('\\u0001'), true);
});

test('the block written straight from the reports is byte for byte the JSON of buildModelDiagnostics', () => {
  const { kernel, writer } = setup({ dump: { modelDiagnostics: true } });
  const names = ['Plain', 'Größe-ドライバ', 'ctl\u0001\u001f"\\/\u007f', 'lone\ud800surrogate', ''];
  for (const name of names) {
    kernel.KeRegisterBugCheckReasonCallback(
      newReasonRecord(kernel),
      () => {
        if (name === 'Plain') kernel.ExAllocatePool2(0x40n, 8, 'Bad!');
        if (name === '') throw new Error('a "quoted" failure\n');
      },
      KbCallbackReason.KbCallbackSecondaryDumpData,
      name,
    );
  }
  kernel.KeRegisterBugCheckCallback(newLegacyRecord(kernel), () => undefined, 0n, 0, 'Legacy');
  const result = kernel.KeBugCheckEx(0xc000021a, 0xffffffffffffffffn, 1n, 0n, 0xfffff80000001234n);
  assert.ok(result.violations.length >= 2, 'the allocation and the throw are violations');
  const written = writer.blocks[writer.blocks.length - 1]!.data;
  const fromObjects = (reports: readonly CallbackReport[], nested = result.nested) =>
    encodeModelDiagnostics(buildModelDiagnostics(result.bugCheck, nested, result.violations, reports));
  assert.deepEqual(new Uint8Array(written), fromObjects(result.callbacks));

  // What the bug check above did not produce: page ranges (over the 256 kept), a null reason, an address
  // on a violation, a nested bug check, skipped records.
  const base = result.callbacks[0]!;
  const pages: CallbackReport = {
    ...base,
    reason: null,
    reasonName: 'Größe',
    skipped: ['State is 0x7', 'tab\there'],
    contribution: {
      ...base.contribution,
      pageRanges: Array.from({ length: 300 }, (_, i) => ({
        operation: i % 2 ? ('add' as const) : ('remove' as const),
        space: 'physical' as const,
        address: BigInt(i) << 12n,
        count: BigInt(i + 1),
        pages: i,
      })),
    },
  };
  const violations = [...result.violations, { ...result.violations[0]!, address: 0xfffff80000000010n, record: null }];
  const nested = { code: 0x50, parameters: [1n, 2n, 3n, 0xfffffffffffffffen] as [bigint, bigint, bigint, bigint] };
  const reports = [...result.callbacks, pages];
  assert.deepEqual(
    encodeModelDiagnosticsBlock(result.bugCheck, nested, violations, reports),
    encodeModelDiagnostics(buildModelDiagnostics(result.bugCheck, nested, violations, reports)),
  );
  assert.equal(
    decodeModelDiagnostics(encodeModelDiagnosticsBlock(result.bugCheck, nested, violations, reports)).callbacks.at(-1)
      ?.pageRangesOmitted,
    44,
  );
});
