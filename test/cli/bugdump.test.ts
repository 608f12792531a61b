import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { BugDumpJson } from '../../src/analyze/index.js';
import { tempFolder } from '../scenario/helpers.js';
import { BEFORE_CRASH, DURING_CRASH, legacyCallbackDump, type LegacyFixture } from '../scenario/legacyFixture.js';
import { json, runCli } from './helpers.js';

let kernelDump: Promise<LegacyFixture> | undefined;
async function kernelFixture(): Promise<LegacyFixture> {
  kernelDump ??= tempFolder('bugdump').then((dir) => legacyCallbackDump('kernel', join(dir, 'legacy-kernel.dmp')));
  return kernelDump;
}

describe('bugcheck bugdump', () => {
  it('shows every legacy record and its buffer bytes as they were in memory before the crash', async () => {
    const f = await kernelFixture();
    const run = await runCli(['bugdump', f.dumpPath]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.match(run.stdout, /: 3 records$/m);
    assert.match(run.stdout, /^Dumping data for component 'FlightLog'$/m);
    assert.match(run.stdout, /^Dumping data for component 'PartlyGone'$/m);
    assert.match(run.stdout, /^Dumping data for component 'NoBuffer'$/m);
    assert.match(run.stdout, /flight log: 17 r$/m);
    assert.doesNotMatch(run.stdout, /WRITTEN BY THE/, 'what the routine wrote during the crash is not in the dump');
  });

  it('--json carries the exact buffer bytes', async () => {
    const f = await kernelFixture();
    const run = await runCli(['bugdump', f.dumpPath, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const out = json<BugDumpJson>(run);
    assert.equal(out.available, true);
    assert.equal(out.listHead, `0x${f.system.machine.symbols.KeBugCheckCallbackListHead.toString(16)}`);
    assert.equal(out.totalRecords, 3);
    const flight = out.records.find((r) => r.component === 'FlightLog');
    assert.ok(flight);
    const expected = new Uint8Array(0x80);
    expected.set(BEFORE_CRASH);
    assert.equal(flight.bytes, Buffer.from(expected).toString('hex'));
    assert.notEqual(flight.bytes.slice(0, DURING_CRASH.length * 2), Buffer.from(DURING_CRASH).toString('hex'));
    assert.equal(flight.buffer, `0x${f.buffers.FlightLog.toString(16)}`);
    assert.equal(flight.stateName, 'BufferInserted');
    assert.equal(flight.complete, true);
    assert.match(flight.routineSymbol ?? '', /^legacy\+0x/);
    const partly = out.records.find((r) => r.component === 'PartlyGone');
    assert.equal(partly?.complete, false);
    assert.deepEqual(
      partly?.pages.map((p) => p.status),
      ['present', 'not-mapped'],
    );
    assert.deepEqual(Object.keys(out), ['available', 'listHead', 'totalRecords', 'records', 'problems']);
  });

  it('filters by component and fails in one line for an unknown one', async () => {
    const f = await kernelFixture();
    const one = await runCli(['bugdump', f.dumpPath, 'flightlog']);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /: 1 of 3 records$/m);
    assert.match(one.stdout, /^Dumping data for component 'FlightLog'$/m);
    assert.doesNotMatch(one.stdout, /PartlyGone|NoBuffer/);
    const none = await runCli(['bugdump', f.dumpPath, 'Nobody']);
    assert.equal(none.code, 1);
    assert.equal(none.stdout, '');
    assert.equal(
      none.stderr,
      'bugcheck: error: no bug check callback record has component "Nobody" (3 records on the list) (E_CLI_NO_SUCH_COMPONENT)\n',
    );
  });

  it('says that legacy buffers are not in small dumps (exit 1)', async () => {
    const f = legacyCallbackDump('small', join(await tempFolder('bugdump'), 'legacy-small.dmp'));
    const run = await runCli(['bugdump', f.dumpPath]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(
      run.stderr,
      /^bugcheck: error: this is a small memory dump \(DUMP_TYPE_TRIAGE\): legacy bug check callback records and buffers are not in small dumps; use a kernel or complete dump \(E_CLI_NO_LEGACY_BUFFERS\)\n$/,
    );
    const asJson = await runCli(['bugdump', f.dumpPath, '--json']);
    assert.equal(asJson.code, 1);
    assert.equal(json<{ error: { code: string } }>(asJson).error.code, 'E_CLI_NO_LEGACY_BUFFERS');
  });

  it('fails in one line on a file that is not a dump', async () => {
    const run = await runCli(['bugdump', join(await tempFolder('bugdump'), 'missing.dmp')]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr.split('\n').filter((l) => l !== '').length, 1);
  });
});
