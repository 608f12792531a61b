/**
 * Each C sample against its TypeScript twin: the same scenario (machine,
 * work, crash) runs once with each, and the bytes they leave in the dump are
 * compared — secondary data blobs, added pages, removed pages, triage
 * ranges, the legacy buffer. Addresses differ (a C driver's memory lives in
 * its window), contents must not.
 */
import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  FLIGHT_RECORDER_GUID,
  FLIGHT_RECORDER_SERVICE_GUID,
  FLIGHT_RECORDER_TELEMETRY_GUID,
  BULK_LOGGER_GUID,
  DUMP_MIRROR_EXTENSION,
  LEGACY_DEVICE_STATE,
  SECRET_KEEPER_EXTENSION,
  TRIAGE_HELPER_CONFIGURATION,
  TRIAGE_REQUEST,
  SecretKeeperEncrypt,
  createBulkLoggerDriver,
  createDeviceStateSaverDriver,
  createDumpMirrorDriver,
  createFlightRecorderDriver,
  createLegacyDeviceDriver,
  createSecretKeeperDriver,
  createTriageHelperDriver,
  deviceStateSaverExtension,
  dumpMirrorExtension,
  legacyDeviceExtension,
  secretKeeperExtension,
  simulateActivity,
  triageHelperExtension,
} from '../../examples/drivers/index.js';
import {
  compileCSamples,
  loadCSampleDrivers,
  simulateCActivity,
  type CSampleName,
} from '../../examples/drivers-c/index.js';
import type {
  BugCheckResult,
  CDriver,
  CompiledCDriver,
  CrashDump,
  DriverDefinition,
  DriverObject,
  SimulatedSystem,
} from '../../src/index.js';
import { blobs, filesEqual, findInFile, openDump, smallSystem, tempDir } from '../examples/helpers.js';
import { TEST_CACHE } from './helpers.js';

const tmp = tempDir();
after(() => tmp.cleanup());

const KEY = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
let compiled: Record<CSampleName, CompiledCDriver>;
before(async () => {
  compiled = await compileCSamples({ cache: TEST_CACHE });
});

/** The C secret keeper's key, read from its key page (as the TypeScript test reads its twin's). */
function cKey(system: SimulatedSystem, driver: CDriver): { key: Uint8Array; keyPage: bigint } {
  const ext = system.machine.readU64(driver.symbol('g_Extension'));
  const keyPage = system.machine.readU64(ext + 8n);
  return { key: system.machine.readVirtual(keyPage, 32), keyPage };
}

interface Side {
  system: SimulatedSystem;
  result: BugCheckResult;
  file: string;
  dump: CrashDump;
}

type Kind = 'kernel' | 'complete' | 'small';

/** The same scenario twice: TypeScript twin, then C twin, each on a fresh machine. */
async function twins(
  name: CSampleName,
  definition: (mirror: string) => DriverDefinition,
  kind: Kind,
  steps: number,
  before?: { ts?: (d: DriverObject, s: SimulatedSystem) => void; c?: (d: CDriver, s: SimulatedSystem) => void },
  kernel: Record<string, unknown> = {},
): Promise<{ ts: Side & { driver: DriverObject }; c: Side & { driver: CDriver } }> {
  const tsFile = tmp.file(`${name}-ts-${kind}.dmp`);
  const tsSystem = smallSystem({ ...kernel, dump: { kind, path: tsFile } });
  const tsDriver = tsSystem.loadDriver(definition(`${tsFile}.mirror`));
  simulateActivity(tsSystem, [tsDriver], steps);
  before?.ts?.(tsDriver, tsSystem);
  const tsResult = tsSystem.KeBugCheckEx(0xe2);

  const cFile = tmp.file(`${name}-c-${kind}.dmp`);
  const cSystem = smallSystem({ ...kernel, dump: { kind, path: cFile } });
  const [cDriver] = loadCSampleDrivers(cSystem, compiled, { mirrorPath: `${cFile}.mirror`, only: [name] });
  simulateCActivity(cSystem, [cDriver!], steps);
  before?.c?.(cDriver!, cSystem);
  const cResult = cSystem.KeBugCheckEx(0xe2);

  for (const r of [tsResult, cResult]) {
    assert.equal(r.dumpStatus, 'written');
    assert.deepEqual(
      r.violations.map((v) => `${v.kind}: ${v.detail}`),
      [],
    );
  }
  return {
    ts: { system: tsSystem, result: tsResult, file: tsFile, dump: await openDump(tsFile), driver: tsDriver },
    c: { system: cSystem, result: cResult, file: cFile, dump: await openDump(cFile), driver: cDriver! },
  };
}

async function close(...sides: Side[]): Promise<void> {
  for (const s of sides) await s.dump.close();
}

async function tagged(dump: CrashDump, guid: string): Promise<Uint8Array[]> {
  return (await blobs(dump)).filter((b) => b.guid === guid).map((b) => b.data);
}

function report(result: BugCheckResult, module: string) {
  return result.callbacks.filter((c) => c.routineModule === module);
}

describe('C samples = their TypeScript twins, byte for byte in the dump', () => {
  it('flightrec.sys: the same three rings, oldest record first', async () => {
    const { ts, c } = await twins(
      'flightrec',
      () =>
        createFlightRecorderDriver({
          dataSources: [
            { guid: FLIGHT_RECORDER_TELEMETRY_GUID, entrySize: 32, entryCount: 64 },
            { guid: FLIGHT_RECORDER_SERVICE_GUID, entrySize: 128, entryCount: 16 },
          ],
        }),
      'kernel',
      90,
    );
    try {
      for (const guid of [FLIGHT_RECORDER_GUID, FLIGHT_RECORDER_TELEMETRY_GUID, FLIGHT_RECORDER_SERVICE_GUID]) {
        const a = await tagged(ts.dump, guid);
        const b = await tagged(c.dump, guid);
        assert.equal(a.length, 1, guid);
        assert.ok(a[0]!.length > 0);
        assert.deepEqual(b, a, guid);
      }
      assert.deepEqual(
        report(c.result, 'flightrec.sys').map((r) => [r.component, r.stateName, r.calls]),
        report(ts.result, 'flightrec.sys').map((r) => [r.component, r.stateName, r.calls]),
      );
    } finally {
      await close(ts, c);
    }
  });

  it('bulklog.sys: the same parts, concatenating to the same log', async () => {
    const { ts, c } = await twins('bulklog', () => createBulkLoggerDriver(), 'kernel', 30, undefined, {
      secondaryData: { maximumAllowed: 0x8000 },
    });
    try {
      const a = await tagged(ts.dump, BULK_LOGGER_GUID);
      const b = await tagged(c.dump, BULK_LOGGER_GUID);
      assert.ok(a.length > 3, 'several parts');
      assert.deepEqual(
        b.map((x) => x.length),
        a.map((x) => x.length),
      );
      assert.deepEqual(Buffer.concat(b), Buffer.concat(a));
      assert.match(Buffer.from(b[0]!.subarray(0, 40)).toString('latin1'), /^00000000 q=0 lba=0 len=512\n00000001/);
    } finally {
      await close(ts, c);
    }
  });

  it('devstate.sys: the same device pages added (ring and trace by PA, mailbox by VA)', async () => {
    const { ts, c } = await twins('devstate', () => createDeviceStateSaverDriver(), 'kernel', 25);
    try {
      const tsExt = deviceStateSaverExtension(ts.driver)!;
      const cExt = c.system.machine.readU64(c.driver.symbol('g_Extension'));
      const cRanges = [0, 1, 2].map((i) => c.system.machine.readU64(cExt + 8n + BigInt(i * 24)));
      const pairs: [bigint, bigint, number, 'physical' | 'virtual'][] = [
        [tsExt.receiveRing.pa, cRanges[0]!, tsExt.receiveRing.bytes, 'physical'],
        [tsExt.traceBuffer.pa, cRanges[1]!, tsExt.traceBuffer.bytes, 'physical'],
        [tsExt.mailbox.va, cRanges[2]!, 0x1000, 'virtual'],
      ];
      for (const [a, b, bytes, space] of pairs) {
        const read = (d: CrashDump, at: bigint) =>
          space === 'physical' ? d.readPhysical(at, bytes) : d.readVirtual(at, bytes);
        const x = await read(ts.dump, a);
        const y = await read(c.dump, b);
        assert.equal(x.complete, true, `${space} pages in the TypeScript twin's dump`);
        assert.equal(y.complete, true, `${space} pages in the C twin's dump`);
        assert.deepEqual(y.bytes, x.bytes);
      }
      const summarize = (r: BugCheckResult) =>
        report(r, 'devstate.sys').map((x) => [
          x.contribution.pagesAdded,
          x.contribution.pageRanges.map((p) => p.space),
        ]);
      assert.deepEqual(summarize(c.result), summarize(ts.result));
    } finally {
      await close(ts, c);
    }
  });

  for (const kind of ['kernel', 'complete'] as const) {
    it(`secretkeeper.sys: the same pages removed, the same counters kept (${kind} dump)`, async () => {
      const plaintext = Buffer.from('TOP SECRET: the launch code is 0000 (do not put me in a dump)', 'latin1');
      const { ts, c } = await twins('secretkeeper', () => createSecretKeeperDriver({ key: KEY }), kind, 5, {
        ts: (d) => void SecretKeeperEncrypt(d, plaintext),
        c: (d) => void d.call('SecretKeeperEncrypt', plaintext, plaintext.length, new Uint8Array(plaintext.length)),
      });
      try {
        for (const [side, key] of [
          [ts, KEY],
          [c, cKey(c.system, c.driver).key],
        ] as const) {
          assert.deepEqual(findInFile(side.file, key), [], 'no key in the dump');
          assert.deepEqual(findInFile(side.file, plaintext), [], 'no plaintext in the dump');
        }
        const summarize = (r: BugCheckResult) =>
          report(r, 'secretkeeper.sys').map((x) => [
            x.calls,
            x.contribution.pagesRemoved,
            x.contribution.pageRanges.map((p) => p.space),
          ]);
        assert.deepEqual(summarize(c.result), summarize(ts.result));
        const tsExtVa = secretKeeperExtension(ts.driver)!.extension;
        const cExtVa = c.system.machine.readU64(c.driver.symbol('g_Extension'));
        const decode = async (d: CrashDump, va: bigint) => {
          const r = await d.readVirtual(va, SECRET_KEEPER_EXTENSION.size);
          assert.equal(r.complete, true);
          return SECRET_KEEPER_EXTENSION.decode(r.bytes, 0);
        };
        const a = await decode(ts.dump, tsExtVa);
        const b = await decode(c.dump, cExtVa);
        assert.deepEqual(
          [b.Signature, b.Encryptions, b.BytesEncrypted],
          [a.Signature, a.Encryptions, a.BytesEncrypted],
        );
        assert.equal((await c.dump.readVirtual(b.KeyPage, 32)).status[0]?.status, 'not-in-dump');
        assert.equal((await c.dump.readPhysical(b.ScratchPagePhysical, 16)).status[0]?.status, 'not-in-dump');
      } finally {
        await close(ts, c);
      }
    });
  }

  it('secretkeeper.sys: its AES-256-CTR is the standard one (same ciphertext as OpenSSL)', () => {
    const system = smallSystem({ dump: { enabled: false } });
    const [driver] = loadCSampleDrivers(system, compiled, { mirrorPath: tmp.file('unused'), only: ['secretkeeper'] });
    const { key, keyPage } = cKey(system, driver!);
    const nonce = system.machine.readU64(keyPage + 32n);
    for (const length of [1, 16, 61, 100]) {
      const plaintext = Buffer.from(Array.from({ length }, (_, i) => (i * 7) & 0xff));
      const used = system.machine.readU64(keyPage + 40n);
      const out = new Uint8Array(length);
      assert.equal(driver!.call('SecretKeeperEncrypt', plaintext, length, out), 0);
      const counter = Buffer.alloc(16);
      counter.writeBigUInt64BE(nonce, 0);
      counter.writeBigUInt64BE(used, 8);
      const cipher = createCipheriv('aes-256-ctr', key, counter);
      assert.deepEqual(Buffer.from(out), Buffer.concat([cipher.update(plaintext), cipher.final()]), `length ${length}`);
    }
  });

  it('triagehlp.sys: the same triage ranges in the small dump, with the same bytes', async () => {
    const { ts, c } = await twins('triagehlp', () => createTriageHelperDriver(), 'small', 7);
    try {
      const ranges = (r: BugCheckResult) => report(r, 'triagehlp.sys')[0]!.contribution.triageRanges;
      const a = ranges(ts.result);
      const b = ranges(c.result);
      assert.deepEqual(
        b.map((x) => x.size),
        a.map((x) => x.size),
      );
      assert.equal(a.length, 3);
      // The configuration and the request in flight hold no pointers: identical bytes.
      for (const [i, layout] of [
        [1, TRIAGE_HELPER_CONFIGURATION],
        [2, TRIAGE_REQUEST],
      ] as const) {
        const x = await ts.dump.readVirtual(a[i]!.address, layout.size);
        const y = await c.dump.readVirtual(b[i]!.address, layout.size);
        assert.equal(y.complete, true);
        assert.deepEqual(y.bytes, x.bytes);
      }
      // The device extension: the same counters (its pointers are each driver's own).
      const x = await ts.dump.readVirtual(a[0]!.address, 16);
      const y = await c.dump.readVirtual(b[0]!.address, 16);
      assert.deepEqual(y.bytes, x.bytes);
      assert.equal(a[0]!.address, triageHelperExtension(ts.driver)!.extension);
    } finally {
      await close(ts, c);
    }
  });

  it('legacydev.sys: the same legacy buffer in the dump (as before the crash), RESET in memory after it', async () => {
    const { ts, c } = await twins('legacydev', () => createLegacyDeviceDriver(), 'kernel', 9);
    try {
      const tsState = legacyDeviceExtension(ts.driver)!.state;
      const cState = c.system.machine.readU64(c.driver.symbol('g_State'));
      const x = await ts.dump.readVirtual(tsState, LEGACY_DEVICE_STATE.size);
      const y = await c.dump.readVirtual(cState, LEGACY_DEVICE_STATE.size);
      assert.equal(y.complete, true);
      assert.deepEqual(y.bytes, x.bytes);
      assert.equal(LEGACY_DEVICE_STATE.decode(y.bytes, 0).Marker, 'RUNNING');
      const after = LEGACY_DEVICE_STATE.decode(c.system.machine.readVirtual(cState, LEGACY_DEVICE_STATE.size), 0);
      assert.deepEqual([after.Marker, after.ResetAfterDump, after.CommandsIssued], ['RESET', 1, 9]);
      assert.deepEqual(
        report(c.result, 'legacydev.sys').map((r) => [r.kind, r.stateName]),
        report(ts.result, 'legacydev.sys').map((r) => [r.kind, r.stateName]),
      );
    } finally {
      await close(ts, c);
    }
  });

  it('dumpmirror.sys: each twin mirrors its own dump byte for byte, with the same statistics of calls', async () => {
    const { ts, c } = await twins(
      'dumpmirror',
      (mirror) => createDumpMirrorDriver({ mirrorPath: mirror }),
      'kernel',
      0,
    );
    try {
      for (const side of [ts, c]) assert.ok(filesEqual(side.file, `${side.file}.mirror`), side.file);
      const tsStats = DUMP_MIRROR_EXTENSION.decode(
        ts.system.machine.readVirtual(dumpMirrorExtension(ts.driver)!.statistics, DUMP_MIRROR_EXTENSION.size),
        0,
      );
      const cStats = DUMP_MIRROR_EXTENSION.decode(
        c.system.machine.readVirtual(
          c.system.machine.readU64(c.driver.symbol('g_Statistics')),
          DUMP_MIRROR_EXTENSION.size,
        ),
        0,
      );
      assert.equal(cStats.BytesMirrored, BigInt(fs.statSync(c.file).size));
      const shape = (s: typeof tsStats) => [
        s.Signature,
        s.MirrorStatus,
        s.FirstType,
        s.LastType,
        s.CallsAfterComplete,
        s.CallsByType[4],
      ];
      assert.deepEqual(shape(cStats), shape(tsStats));
    } finally {
      await close(ts, c);
    }
  });
});

describe('examples/scenarios/c-drivers.ts', () => {
  it('runs the seven C samples together: every record finished, no violation, a valid kernel dump', async () => {
    const { loadScenario, runScenario } = await import('../../src/index.js');
    const scenario = await loadScenario(new URL('../../examples/scenarios/c-drivers.ts', import.meta.url).pathname);
    const outcome = await runScenario(scenario, { outDir: tmp.dir });
    const run = outcome.runs[0]!;
    assert.equal(run.result.dumpStatus, 'written');
    assert.deepEqual(run.result.violations, []);
    const states = new Set(run.result.callbacks.filter((c) => c.kind === 'reason').map((c) => c.stateName));
    assert.deepEqual([...states], ['BufferFinished']);
    assert.equal(
      new Set(run.result.callbacks.map((c) => c.routineModule)).size,
      7,
      'a record from each of the seven C drivers',
    );
    assert.ok(filesEqual(run.dumpPath, `${run.dumpPath}.mirror`));
  });
});
