import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  analyzeDump,
  formatAnalysis,
  formatBugdump,
  formatEnumtag,
  formatHeaderListing,
  type BugDumpResult,
} from '../../src/analyze/index.js';
import { openDump } from '../../src/dump/reader/index.js';
import {
  BUGCHECK_MODEL_DIAGNOSTICS_GUID,
  DumpType,
  encodeModelDiagnostics,
  type DiagnosticsViolation,
} from '../../src/format/index.js';
import { synthKernelDump, writeTemp } from './helpers.js';

/** More lines than V8 accepts as arguments of one call (~120,000 on a default stack): a spread into push() throws. */
const MANY = 150_000;

describe('text output of huge lists does not blow the stack (issue #8 B2)', () => {
  it(`analyze text of a diagnostics block listing ${MANY} violations`, async () => {
    const violation: DiagnosticsViolation = {
      component: 'Flood',
      record: '0x1',
      reason: 2,
      reasonName: 'KbCallbackSecondaryDumpData',
      kind: 'allocate',
      detail: 'ExAllocatePool2(0x40, 8)',
    };
    const block = encodeModelDiagnostics({
      format: 'bugcheck-model-diagnostics',
      version: 1,
      bugCheck: { code: '0xd1', parameters: ['0x0', '0x0', '0x0', '0x0'] },
      nested: null,
      violations: Array.from({ length: MANY }, () => violation),
      callbacks: [],
    });
    const path = await writeTemp(
      synthKernelDump(DumpType.BitmapKernel, new Uint8Array(0x1000), {
        blobs: [{ guid: BUGCHECK_MODEL_DIAGNOSTICS_GUID, data: block }],
      }),
    );
    const dump = await openDump(path);
    try {
      const a = await analyzeDump(dump);
      assert.equal(a.modelDiagnostics?.violations.length, MANY);
      const lines = formatAnalysis(a);
      assert.ok(lines.includes(`  Violations: ${MANY}`));
      assert.equal(lines.filter((l) => l.startsWith('    allocate  Flood ')).length, MANY);
    } finally {
      await dump.close();
    }
  });

  it('a !bugdump record and an .enumtag block of 4 MiB (262,144 hexdump lines)', () => {
    const bytes = new Uint8Array(4 * 1024 * 1024);
    const result: BugDumpResult = {
      available: true,
      listHead: 0xfffff80000001000n,
      totalRecords: 1,
      problems: [],
      records: [
        {
          address: 0xfffff80000002000n,
          component: 'Big',
          componentAddress: 0xfffff80000003000n,
          callbackRoutine: 0n,
          routineSymbol: null,
          buffer: 0xfffff80000100000n,
          length: bytes.length,
          checksum: 0n,
          state: 1,
          stateName: 'BufferInserted',
          data: {
            address: 0xfffff80000100000n,
            bytes,
            status: [{ address: 0xfffff80000100000n, length: bytes.length, status: 'present' }],
            complete: true,
          },
          truncated: false,
          omitted: false,
        },
      ],
    };
    assert.ok(formatBugdump(result).length > bytes.length / 16);
    const tagged = formatEnumtag([{ guid: BUGCHECK_MODEL_DIAGNOSTICS_GUID, size: bytes.length, data: bytes }]);
    assert.ok(tagged.length > bytes.length / 16);
  });

  it('a header listing section with more fields than a call takes arguments', () => {
    const fields = Array.from({ length: MANY }, (_, i) => ({
      offset: i * 8,
      name: `Run[${i}]`,
      type: 'u64',
      size: 8,
      value: '0x0',
    }));
    const lines = formatHeaderListing({
      title: 'test',
      sections: [{ structure: 'RUNS', offset: 0, size: MANY * 8, fields }],
    });
    assert.equal(lines.length, MANY + 4);
  });
});
