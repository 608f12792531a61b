import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DumpAnalysis } from '../../src/analyze/index.js';
import { BUGCHECK_MODEL_DIAGNOSTICS_GUID, DumpType } from '../../src/format/index.js';
import { genuineDump, genuineDumpWithDriverCount, synthKernelDump, writeTemp } from '../analyze/helpers.js';
import { json, runCli } from './helpers.js';

describe('bugcheck analyze', () => {
  it('shows the bug check, arguments and faulting module like !analyze -v', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const run = await runCli(['analyze', path]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.match(run.stdout, /^SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M \(1000007e\)$/m);
    assert.match(run.stdout, /^Arg2: fffff8048b58334c, Exception address: .*\(amdppm\+0x334c\)$/m);
    assert.match(run.stdout, /^Dump type: +4 DUMP_TYPE_TRIAGE/m);
    assert.match(run.stdout, /^Machine: +AMD64 \(0x8664\), 16 processors$/m);
    assert.match(run.stdout, /^Build: +19041 Free/m);
    assert.match(run.stdout, /^EXCEPTION_CODE: {2}c0000005 \(STATUS_ACCESS_VIOLATION\)$/m);
    assert.match(run.stdout, /^MODULE_NAME: {2}amdppm$/m);
    assert.match(run.stdout, /^Secondary data: 20 blocks/m);
    assert.match(run.stdout, /^ {2}\{54C84888-01D1-4C1E-BED6-282C98241303\} - 0x1000 bytes$/m);
    assert.doesNotMatch(run.stdout, /\x1b\[/, 'no colour when not a TTY');
  });

  it('--json prints the documented shape', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const run = await runCli(['analyze', path, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const a = json<DumpAnalysis>(run);
    assert.equal(a.dumpType, 4);
    assert.equal(a.dumpTypeName, 'DUMP_TYPE_TRIAGE');
    assert.equal(a.machine, 'AMD64');
    assert.equal(a.processors, 16);
    assert.equal(a.build, 19041);
    assert.equal('attributes' in a, false, 'Attributes is PAGE filler in this dump');
    assert.equal(a.bugCheck.code, '0x1000007e');
    assert.equal(a.bugCheck.name, 'SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M');
    assert.deepEqual(a.bugCheck.parameters, [
      '0xffffffffc0000005',
      '0xfffff8048b58334c',
      '0xffff850429891ee8',
      '0xffff850429891720',
    ]);
    assert.equal(a.bugCheck.parameterMeanings?.length, 4);
    assert.equal(a.faultingModule?.symbol, 'amdppm+0x334c');
    assert.equal(
      a.context?.architecture === 'AMD64' && a.context.rip,
      '0xfffff8047bdf5a80',
      'KPRCB.Context: KeBugCheckEx',
    );
    assert.equal(a.headerContext?.architecture === 'AMD64' && a.headerContext.rip, '0xfffff8048b58334c');
    assert.equal(a.secondaryData.length, 20);
    assert.deepEqual(a.secondaryData[0], { guid: '54c84888-01d1-4c1e-bed6-282c98241303', size: 4096 });
    for (const blob of a.secondaryData)
      assert.match(blob.guid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual(a.problems, []);
    // Member order is part of the documented shape (attributes is absent: the field holds PAGE filler).
    assert.deepEqual(Object.keys(a), [
      'file',
      'fileSize',
      'dumpType',
      'dumpTypeName',
      'is64',
      'machine',
      'machineType',
      'processors',
      'build',
      'majorVersion',
      'buildType',
      'productType',
      'systemTime',
      'systemUpTime',
      'body',
      'bugCheck',
      'faultingModule',
      'processName',
      'memoryAccess',
      'failureBucketId',
      'bucketId',
      'context',
      'headerContext',
      'exception',
      'bugCheckExceptionRecord',
      'bugCheckContext',
      'crashState',
      'stack',
      'modules',
      'triage',
      'secondaryData',
      'secondaryDataSummary',
      'problems',
    ]);
    assert.deepEqual(Object.keys(a.bugCheck), [
      'code',
      'name',
      'summary',
      'parameters',
      'parameterMeanings',
      'parameterSymbols',
      'exceptionCode',
    ]);
  });

  it('a damaged driver list: at most 20 problem lines per code, then one counting line; --json keeps every problem', async (t) => {
    const genuine = await genuineDump(t);
    if (genuine === undefined) return;
    const file = await genuineDumpWithDriverCount(genuine);
    const run = await runCli(['analyze', file]);
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stdout.split('\n');
    const total = Number(/^Problems: +(\d+)$/m.exec(run.stdout)?.[1]);
    assert.ok(total > 1000, `${total} problems`);
    const corrupt = lines.filter((l) => /^ {2}warning: .*\(E_DUMP_CORRUPT\)$/.test(l));
    assert.equal(corrupt.length, 21, corrupt.slice(-3).join('\n'));
    assert.equal(corrupt.filter((l) => /is not a valid string-pool entry/.test(l)).length, 20);
    assert.match(corrupt[20]!, /^ {2}warning: \d{3,} more warnings like these not shown \(E_DUMP_CORRUPT\)$/);
    assert.match(run.stdout, /^ {2}error: DriverCount 4294967295 at 0x10828: .* \(E_DUMP_CORRUPT\)$/m);
    assert.ok(lines.filter((l) => /^ {2}(warning|error): /.test(l)).length < 100, 'the text stays short');

    const asJson = await runCli(['analyze', file, '--json']);
    assert.equal(asJson.code, 1);
    const a = json<DumpAnalysis>(asJson);
    assert.equal(a.problems.length, total);
    const warnings = a.problems.filter((p) => p.severity === 'warning' && p.code === 'E_DUMP_CORRUPT').length;
    assert.equal(
      Number(/(\d+) more warnings/.exec(corrupt[20]!)?.[1]),
      warnings - 20,
      'the counting line counts what JSON lists',
    );
  });

  it('colours output on a TTY, or with FORCE_COLOR, and never with NO_COLOR', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const tty = await runCli(['analyze', path], {}, true);
    assert.match(tty.stdout, /\x1b\[1mSYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M\x1b\[22m/);
    const forced = await runCli(['analyze', path], { FORCE_COLOR: '1' });
    assert.match(forced.stdout, /\x1b\[/);
    const noColor = await runCli(['analyze', path], { NO_COLOR: '1' }, true);
    assert.doesNotMatch(noColor.stdout, /\x1b\[/);
    assert.equal(noColor.stdout, (await runCli(['analyze', path])).stdout);
  });

  it('a crafted model-diagnostics block is one warning naming the member, not an internal error', async () => {
    const block = {
      format: 'bugcheck-model-diagnostics',
      version: 1,
      bugCheck: { code: '0xd1', parameters: ['0x0', '0x2', '0x0', '0x0'] },
      nested: {},
      violations: [null],
      callbacks: [null],
    };
    const data = new TextEncoder().encode(JSON.stringify(block));
    const file = await writeTemp(
      synthKernelDump(DumpType.BitmapKernel, new Uint8Array(0x1000), {
        blobs: [{ guid: BUGCHECK_MODEL_DIAGNOSTICS_GUID, data }],
      }),
      'crafted-diag',
    );
    for (const argv of [
      ['analyze', file],
      ['analyze', file, '--json'],
    ]) {
      const run = await runCli(argv);
      assert.equal(run.code, 0, run.stderr);
      assert.doesNotMatch(run.stdout + run.stderr, /E_INTERNAL/);
      if (argv.includes('--json')) {
        const a = json<DumpAnalysis>(run);
        assert.equal(a.modelDiagnostics, undefined);
        assert.match(
          a.problems.find((p) => p.code === 'ANALYZE_MODEL_DIAGNOSTICS')?.message ?? '',
          /nested\.code is missing/,
        );
      } else {
        assert.match(
          run.stdout,
          /^ {2}warning: bugcheck model diagnostics block: nested\.code is missing .*\(ANALYZE_MODEL_DIAGNOSTICS\)$/m,
        );
        assert.doesNotMatch(run.stdout, /^MODEL_DIAGNOSTICS:/m);
      }
    }
  });
});
