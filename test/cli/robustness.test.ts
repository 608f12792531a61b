import assert from 'node:assert/strict';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openDump } from '../../src/dump/reader/index.js';
import { KBUGCHECK_CALLBACK_RECORD } from '../../src/format/index.js';
import { genuineDump, writeTemp } from '../analyze/helpers.js';
import { legacyCallbackDump } from '../scenario/legacyFixture.js';
import { tempFolder } from '../scenario/helpers.js';
import { runCli, type CliRun } from './helpers.js';

/** xorshift32: the same mutations on every run. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/**
 * What every command must do with a bad dump: exit 0 or 1, no internal error,
 * no stack; stderr holds only `bugcheck: warning|error:` lines, and a failure
 * with nothing on stdout ends with its error line; with --json stdout is one
 * JSON document (the result or `{ "error": … }`, the error then not on stderr).
 */
function assertTyped(run: CliRun, argv: readonly string[], what: string): void {
  const context = `${what}: bugcheck ${argv.join(' ')} → ${run.code}\n${run.stderr.slice(0, 2000)}`;
  assert.ok(run.code === 0 || run.code === 1, context);
  assert.doesNotMatch(run.stderr + (argv.includes('--json') ? run.stdout : ''), /E_INTERNAL|^\s+at /m, context);
  if (argv.includes('--json')) {
    let parsed: unknown;
    assert.doesNotThrow(() => (parsed = JSON.parse(run.stdout)), context);
    // The failure itself is in the JSON only (problems met on the way may still be on stderr).
    const error = (parsed as { error?: { code: string; message: string } }).error;
    if (error !== undefined) {
      assert.equal(run.code, 1, context);
      assert.match(error.code, /^E_[A-Z_]+$/, context);
      assert.ok(!run.stderr.includes(error.message), context);
    }
  }
  // stderr is only one-line problems and at most one error, never anything else.
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  assert.ok(
    lines.every((l) => /^bugcheck: (warning|error): /.test(l)),
    context,
  );
  if (run.code === 1 && run.stdout === '')
    assert.match(lines[lines.length - 1] ?? '', /^bugcheck: error: .* \((E_[A-Z_]+|ANALYZE_[A-Z_]+)\)$/, context);
}

/** Every command, text and JSON, the ones that read whole blobs and walk lists included. */
function commandsFor(file: string, address: string, guid: string): string[][] {
  return [
    ['analyze', file],
    ['analyze', file, '--json'],
    ['header', file],
    ['header', file, '--json'],
    ['modules', file],
    ['modules', file, '--json'],
    ['enumtag', file],
    ['enumtag', file, '--json'],
    ['enumtag', file, '--full'],
    ['enumtag', file, '--full', '--json'],
    ['blob', file, guid],
    ['blob', file, guid, '--json'],
    ['bugdump', file],
    ['bugdump', file, '--json'],
    ['read', file, address, '-n', '0x20'],
    ['read', file, address, '-n', '0x20', '--json'],
  ];
}

describe('corrupted dumps: every command ends in a typed result, never an internal error', () => {
  it('25 seeded corruptions of the genuine dump: header, TRIAGE_DUMP64, triage tables and blob headers', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const original = new Uint8Array(await readFile(path));
    const random = rng(0x5eed);
    // Header, TRIAGE_DUMP64, the triage tables (drivers, string pool, data blocks), the DumpBlob area.
    const regions: [number, number][] = [
      [0, 0x2000],
      [0x2000, 0x2080],
      [0x10828, 0x1a000],
      [0x13a28c, 0x13a400],
    ];
    const values = [0, 0xffffffff, 0x7fffffff, 0x45474150];
    for (let round = 0; round < 25; round++) {
      const bytes = original.slice();
      const view = new DataView(bytes.buffer);
      const [lo, hi] = regions[round % regions.length]!;
      for (let k = 0; k < 4; k++) {
        const at = (lo + Math.floor(random() * (hi - lo))) & ~3;
        view.setUint32(
          at,
          k % 2 === 0 ? values[Math.floor(random() * values.length)]! : Math.floor(random() * 2 ** 32),
          true,
        );
      }
      const file = await writeTemp(bytes, `corrupt-${round}`);
      for (const argv of commandsFor(file, 'ffff850429891ee8', '54c84888-01d1-4c1e-bed6-282c98241303'))
        assertTyped(await runCli(argv), argv, `round ${round}`);
    }
  });

  it('20 seeded corruptions of a kernel dump’s legacy callback list, records and blob headers', async () => {
    const f = legacyCallbackDump('kernel', join(await tempFolder('robust'), 'legacy-kernel.dmp'));
    // File offsets of the list head and of each record, found through the reader's own translation.
    const dump = await openDump(f.dumpPath);
    const fileOffsets: number[] = [];
    let guid = '';
    let blobHeaders: number[] = [];
    try {
      const pages = new Map<bigint, bigint>();
      for await (const p of dump.physicalPages()) pages.set(p.pfn, p.fileOffset);
      const fileOffset = async (va: bigint): Promise<number> => {
        const tr = await dump.translate(va);
        assert.ok(tr.status === 'mapped' && tr.inDump, `0x${va.toString(16)} is in the dump`);
        return Number(pages.get(tr.pa >> 12n)! + (tr.pa & 0xfffn));
      };
      const head = (await dump.kdDebuggerData())!.KeBugCheckCallbackListHead;
      fileOffsets.push(await fileOffset(head));
      for (const record of Object.values(f.records)) fileOffsets.push(await fileOffset(record));
      const scan = await dump.secondaryData();
      guid = scan.blobs[0]!.guid;
      blobHeaders = scan.blobs.slice(0, 4).map((b) => Number(b.headerOffset));
    } finally {
      await dump.close();
    }
    const o = KBUGCHECK_CALLBACK_RECORD.offsets;
    // Flink/Blink of the head; every pointer and size of a record; DataSize/PrePad of a blob header.
    const targets: [number, 4 | 8][] = [
      [fileOffsets[0]!, 8],
      [fileOffsets[0]! + 8, 8],
      ...fileOffsets.slice(1).flatMap(
        (at) =>
          [
            [at, 8],
            [at + 8, 8],
            [at + o.Buffer, 8],
            [at + o.Length, 4],
            [at + o.Component, 8],
            [at + o.State, 4],
          ] as [number, 4 | 8][],
      ),
      ...blobHeaders.flatMap(
        (at) =>
          [
            [at, 4],
            [at + 0x14, 4],
            [at + 0x18, 4],
          ] as [number, 4 | 8][],
      ),
    ];
    const pointers = [
      0n,
      0xffffffffffffffffn,
      0xfffff80000000000n,
      0x4547415045474150n,
      ...Object.values(f.records),
      ...Object.values(f.buffers),
    ];
    const numbers = [0, 0xffffffff, 0x7fffffff, 0x10000, 0x20, 1];
    const random = rng(0xb09d);
    const handle = await open(f.dumpPath, 'r+');
    try {
      for (let round = 0; round < 20; round++) {
        const patched: [number, Buffer][] = [];
        for (let k = 0; k < 3; k++) {
          const [at, width] = targets[Math.floor(random() * targets.length)]!;
          const old = Buffer.alloc(width);
          await handle.read(old, 0, width, at);
          patched.push([at, old]);
          const value = Buffer.alloc(width);
          if (width === 8) {
            const base = pointers[Math.floor(random() * pointers.length)]!;
            value.writeBigUInt64LE(BigInt.asUintN(64, base + BigInt(Math.floor(random() * 3) * 8)));
          } else {
            value.writeUInt32LE(numbers[Math.floor(random() * numbers.length)]!);
          }
          await handle.write(value, 0, width, at);
        }
        for (const argv of commandsFor(f.dumpPath, `${f.buffers.FlightLog.toString(16)}`, guid))
          assertTyped(await runCli(argv), argv, `round ${round}`);
        for (const [at, old] of patched.reverse()) await handle.write(old, 0, old.length, at);
      }
    } finally {
      await handle.close();
    }
  });
});
