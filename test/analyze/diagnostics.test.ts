import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeDump, formatAnalysis, formatModelDiagnostics } from '../../src/analyze/index.js';
import { openDump, type CrashDump } from '../../src/dump/reader/index.js';
import {
  BUGCHECK_MODEL_DIAGNOSTICS_GUID,
  BUGCHECK_MODEL_DIAGNOSTICS_MAX_BYTES,
  DumpType,
  encodeModelDiagnostics,
  type ModelDiagnostics,
} from '../../src/format/index.js';
import { runScenario, scenarioFromDefinition, type ScenarioDefinition } from '../../src/scenario/index.js';
import { createDemoScenario, DEMO_SLOPPY_COMPONENT } from '../../src/scenario/demo.js';
import { tempFolder } from '../scenario/helpers.js';
import { synthKernelDump } from './helpers.js';
import { genuineDump } from './helpers.js';

async function analyzed(path: string) {
  const dump: CrashDump = await openDump(path);
  try {
    return await analyzeDump(dump);
  } finally {
    await dump.close();
  }
}

async function runOnce(
  definition: ScenarioDefinition,
  kind: 'kernel' | 'small' | 'complete' = 'kernel',
): Promise<string> {
  const out = await tempFolder('diag');
  const outcome = await runScenario(scenarioFromDefinition(definition, 'diag'), { outDir: out, dumpKinds: [kind] });
  return outcome.runs[0]!.dumpPath;
}

describe('analyze: the faulting driver and the model-diagnostics block', () => {
  it('names the driver the demo blames and lists the sloppy callback’s HIGH_LEVEL violation', async () => {
    const path = await runOnce(createDemoScenario({ memory: '64MiB', steps: 20 }));
    const a = await analyzed(path);
    assert.equal(a.bugCheck.name, 'DRIVER_IRQL_NOT_LESS_OR_EQUAL');
    assert.equal(a.faultingModule?.name, 'devstate');
    assert.equal(a.faultingModule?.source, 'BugCheckParameter4');
    assert.equal(a.faultingModule?.address, a.bugCheck.parameters[3]);
    const d = a.modelDiagnostics;
    assert.ok(d, 'the block is decoded');
    assert.equal(d.format, 'bugcheck-model-diagnostics');
    assert.equal(d.bugCheck.code, '0xd1');
    assert.deepEqual(
      d.violations.map((v) => [v.component, v.kind, v.reasonName]),
      [[DEMO_SLOPPY_COMPONENT, 'allocate', 'KbCallbackSecondaryDumpData']],
    );
    const sloppy = d.callbacks.find((c) => c.component === DEMO_SLOPPY_COMPONENT);
    assert.equal(sloppy?.stateName, 'BufferIncomplete');
    assert.equal(sloppy?.routineModule, 'sloppy.sys');
    const adder = d.callbacks.find((c) => c.component === 'DeviceStateSaver');
    assert.ok((adder?.pagesAdded ?? 0) > 0);
    assert.equal(a.secondaryData[a.secondaryData.length - 1]?.guid, BUGCHECK_MODEL_DIAGNOSTICS_GUID, 'written last');
    assert.deepEqual(Object.keys(a).slice(-3), ['secondaryDataSummary', 'modelDiagnostics', 'problems']);

    const text = formatAnalysis(a).join('\n');
    assert.match(text, /^MODULE_NAME: {2}devstate$/m);
    assert.match(
      text,
      /^FAULTING_IP: {2}devstate\+0x[0-9a-f]+ \(fffff[0-9a-f]{3}`[0-9a-f]{8}, from BugCheckParameter4\)$/m,
    );
    assert.match(text, /^MODEL_DIAGNOSTICS: {2}\{8E040BFB-600E-4CCD-8769-AC168BBE980E\}/m);
    assert.match(
      text,
      /^ {4}SloppyStats {2}KbCallbackSecondaryDumpData {2}BufferIncomplete {2}1 call {2}\(sloppy\.sys\)$/m,
    );
    assert.match(text, /^ {2}Violations: 1$/m);
    assert.match(text, /^ {4}allocate {2}SloppyStats \(KbCallbackSecondaryDumpData\): ExAllocatePool2\(0x40, 512\)$/m);
  });

  it('names the faulting driver from the parameter the code documents as the faulting instruction (0xA P4, 0x50 P3)', async () => {
    for (const [code, index] of [
      [0x0a, 3],
      [0x50, 2],
    ] as const) {
      const path = await runOnce(
        {
          options: { memory: '64MiB' },
          run(system) {
            const d = system.loadDriver({ name: 'culprit.sys', DriverEntry() {} });
            const parameters: [bigint, bigint, bigint, bigint] = [0x18n, 2n, 0n, 0n];
            parameters[index] = d.codeAddress('Broken');
            system.KeBugCheckEx(code, ...parameters);
          },
        },
        'small',
      );
      const a = await analyzed(path);
      assert.equal(a.faultingModule?.name, 'culprit', `0x${code.toString(16)}`);
      assert.equal(a.faultingModule?.source, `BugCheckParameter${index + 1}`);
    }
  });

  it('falls back to the kernel when no parameter names code and no frame lies outside it (0xE2)', async () => {
    const path = await runOnce(
      { options: { memory: '64MiB' }, run: (system) => void system.KeBugCheckEx(0xe2) },
      'small',
    );
    const a = await analyzed(path);
    assert.equal(a.faultingModule?.name, 'nt');
    assert.equal(a.faultingModule?.source, 'kernel (stack frame 0)');
  });

  it('has no modelDiagnostics when the block is left out, and none for a genuine Windows dump', async (t) => {
    const path = await runOnce(
      {
        options: { memory: '64MiB', dump: { modelDiagnostics: false } },
        run: (system) => void system.KeBugCheckEx(0xe2),
      },
      'small',
    );
    const ours = await analyzed(path);
    assert.equal(ours.modelDiagnostics, undefined);
    assert.equal(
      ours.secondaryData.some((b) => b.guid === BUGCHECK_MODEL_DIAGNOSTICS_GUID),
      false,
    );
    assert.doesNotMatch(formatAnalysis(ours).join('\n'), /MODEL_DIAGNOSTICS/);
    const genuine = await genuineDump(t);
    if (genuine === undefined) return;
    const a = await analyzed(genuine);
    assert.equal(a.modelDiagnostics, undefined);
    assert.equal('modelDiagnostics' in a, false);
  });

  it('turns a damaged block into a warning and leaves modelDiagnostics out', async () => {
    const folder = await tempFolder('diag');
    const cases: [string, Uint8Array, RegExp][] = [
      ['not-json', new TextEncoder().encode('{"format": "bugcheck-model-diagnostics", '), /not UTF-8 JSON/],
      [
        'wrong-format',
        new TextEncoder().encode(
          '{"format":"something-else","version":1,"violations":[],"callbacks":[],"bugCheck":{}}',
        ),
        /format is "something-else"/,
      ],
      [
        'too-big',
        new Uint8Array(BUGCHECK_MODEL_DIAGNOSTICS_MAX_BYTES + 1).fill(0x20),
        new RegExp(
          `is 0x${(BUGCHECK_MODEL_DIAGNOSTICS_MAX_BYTES + 1).toString(16)} bytes, more than the 0x${BUGCHECK_MODEL_DIAGNOSTICS_MAX_BYTES.toString(16)} allowed`,
        ),
      ],
    ];
    for (const [name, data, message] of cases) {
      const path = join(folder, `${name}.dmp`);
      await writeFile(
        path,
        synthKernelDump(DumpType.BitmapKernel, new Uint8Array(0x1000), {
          blobs: [{ guid: BUGCHECK_MODEL_DIAGNOSTICS_GUID, data }],
        }),
      );
      const a = await analyzed(path);
      assert.equal(a.modelDiagnostics, undefined, name);
      const problem = a.problems.find((p) => p.code === 'ANALYZE_MODEL_DIAGNOSTICS');
      assert.ok(problem, name);
      assert.equal(problem.severity, 'warning');
      assert.match(problem.message, message, name);
      assert.match(problem.offset ?? '', /^0x[0-9a-f]+$/);
    }
  });

  it('checks every member, not only the top level: a crafted block is a warning naming the bad member', async () => {
    const callback = {
      component: 'C',
      record: '0xffff800000001000',
      reason: 2,
      reasonName: 'KbCallbackSecondaryDumpData',
      routine: '0xfffff80000001000',
      routineModule: 'c.sys',
      state: 3,
      stateName: 'BufferFinished',
      calls: 2,
      secondaryBlocks: 1,
      secondaryBytes: 16,
      dumpIoCalls: 0,
      pagesAdded: 0,
      pagesRemoved: 0,
      triageRanges: 0,
      skipped: [] as unknown,
    };
    const valid = {
      format: 'bugcheck-model-diagnostics',
      version: 1,
      bugCheck: { code: '0xd1', parameters: ['0x0', '0x2', '0x0', '0xfffff80000001040'] },
      nested: null as unknown,
      violations: [] as unknown[],
      callbacks: [callback] as unknown[],
    };
    const folder = await tempFolder('diag');
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['nested-empty', { ...valid, nested: {} }, /nested\.code is missing/],
      ['callback-null', { ...valid, callbacks: [null] }, /callbacks\[0\]: expected an object, got null/],
      ['violation-null', { ...valid, violations: [null] }, /violations\[0\]: expected an object, got null/],
      [
        'skipped-number',
        { ...valid, callbacks: [{ ...callback, skipped: 5 }] },
        /callbacks\[0\]\.skipped: expected an array, got 5/,
      ],
      [
        'parameters-short',
        { ...valid, bugCheck: { code: '0xd1', parameters: ['0x1'] } },
        /bugCheck\.parameters: .*got an array of 1/,
      ],
      [
        'calls-text',
        { ...valid, callbacks: [{ ...callback, calls: 'many' }] },
        /callbacks\[0\]\.calls: expected a whole number ≥ 0, got "many"/,
      ],
      [
        'record-not-hex',
        {
          ...valid,
          violations: [{ component: 'C', record: 'here', reason: null, reasonName: '', kind: 'allocate', detail: '' }],
        },
        /violations\[0\]\.record: expected 0x/,
      ],
    ];
    for (const [name, block, message] of cases) {
      const path = join(folder, `${name}.dmp`);
      const data = new TextEncoder().encode(JSON.stringify(block));
      await writeFile(
        path,
        synthKernelDump(DumpType.BitmapKernel, new Uint8Array(0x1000), {
          blobs: [{ guid: BUGCHECK_MODEL_DIAGNOSTICS_GUID, data }],
        }),
      );
      const a = await analyzed(path);
      assert.equal(a.modelDiagnostics, undefined, name);
      const problem = a.problems.find((p) => p.code === 'ANALYZE_MODEL_DIAGNOSTICS');
      assert.ok(problem, name);
      assert.equal(problem.severity, 'warning', name);
      assert.match(problem.message, message, name);
      assert.doesNotMatch(formatAnalysis(a).join('\n'), /^MODEL_DIAGNOSTICS:/m, name);
    }
    // The untouched block still decodes, so the cases above fail for the member named.
    const path = join(folder, 'valid.dmp');
    await writeFile(
      path,
      synthKernelDump(DumpType.BitmapKernel, new Uint8Array(0x1000), {
        blobs: [{ guid: BUGCHECK_MODEL_DIAGNOSTICS_GUID, data: new TextEncoder().encode(JSON.stringify(valid)) }],
      }),
    );
    const a = await analyzed(path);
    assert.deepEqual(
      a.modelDiagnostics?.callbacks.map((c) => c.component),
      ['C'],
    );
    assert.equal(
      a.problems.some((p) => p.code === 'ANALYZE_MODEL_DIAGNOSTICS'),
      false,
    );
  });

  it('shows control characters of the block’s strings escaped in the text', async () => {
    const block = encodeModelDiagnostics({
      format: 'bugcheck-model-diagnostics',
      version: 1,
      bugCheck: { code: '0xd1', parameters: ['0x0', '0x0', '0x0', '0x0'] },
      nested: null,
      violations: [
        {
          component: 'Bad\x1b[31m',
          record: null,
          reason: 2,
          reasonName: 'KbCallbackSecondaryDumpData',
          kind: 'allocate',
          detail: 'line\nbreak',
        },
      ],
      callbacks: [
        {
          component: 'Bad\x1b[31m',
          record: '0x1',
          reason: 2,
          reasonName: 'R',
          routine: '0x2',
          routineModule: 'm\x07.sys',
          state: 1,
          stateName: 'S\x1b',
          calls: 1,
          secondaryBlocks: 0,
          secondaryBytes: 0,
          dumpIoCalls: 0,
          pagesAdded: 0,
          pagesRemoved: 0,
          triageRanges: 0,
          skipped: ['why\r'],
        },
      ],
    });
    const path = join(await tempFolder('diag'), 'escapes.dmp');
    await writeFile(
      path,
      synthKernelDump(DumpType.BitmapKernel, new Uint8Array(0x1000), {
        blobs: [{ guid: BUGCHECK_MODEL_DIAGNOSTICS_GUID, data: block }],
      }),
    );
    const a = await analyzed(path);
    assert.equal(a.modelDiagnostics?.callbacks[0]?.component, 'Bad\x1b[31m', 'the JSON keeps the strings');
    const text = formatAnalysis(a).join('\n');
    assert.doesNotMatch(text, /[\x00-\x09\x0b-\x1f]/);
    assert.match(text, /^ {4}Bad\\x1b\[31m {2}R {2}S\\x1b {2}1 call {2}\(m\\x07\.sys\)$/m);
    assert.match(text, /^ {6}skipped: why\\x0d$/m);
    assert.match(text, /^ {4}allocate {2}Bad\\x1b\[31m \(KbCallbackSecondaryDumpData\): line\\x0abreak$/m);
  });

  it('takes the last block when there are several, and formats a nested bug check', async () => {
    const block = (code: string, nested: boolean): Uint8Array =>
      encodeModelDiagnostics({
        format: 'bugcheck-model-diagnostics',
        version: 1,
        bugCheck: { code, parameters: ['0x0', '0x0', '0x0', '0x0'] },
        nested: nested ? { code: '0xc4', parameters: ['0x1', '0x0', '0x0', '0x0'] } : null,
        violations: [],
        callbacks: [],
      } satisfies ModelDiagnostics);
    const path = join(await tempFolder('diag'), 'two.dmp');
    await writeFile(
      path,
      synthKernelDump(DumpType.BitmapKernel, new Uint8Array(0x1000), {
        blobs: [
          { guid: BUGCHECK_MODEL_DIAGNOSTICS_GUID, data: block('0x1', false) },
          { guid: BUGCHECK_MODEL_DIAGNOSTICS_GUID, data: block('0x2', true) },
        ],
      }),
    );
    const a = await analyzed(path);
    assert.equal(a.modelDiagnostics?.bugCheck.code, '0x2');
    const lines = formatModelDiagnostics(a.modelDiagnostics!);
    assert.match(lines.join('\n'), /nested bug check from a callback: 0xc4 \(0x1, 0x0, 0x0, 0x0\)/);
    assert.match(lines.join('\n'), /^ {2}Callbacks: 0$/m);
    assert.match(lines.join('\n'), /^ {2}Violations: none$/m);
  });
});
