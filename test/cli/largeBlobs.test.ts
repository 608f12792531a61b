import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';
import { JSON_HEX_MAX_BYTES } from '../../src/cli/errors.js';
import { DumpType, type GuidString } from '../../src/format/index.js';
import { synthKernelDump, tempPath, writeTemp } from '../analyze/helpers.js';
import { json, runCli } from './helpers.js';

const BIG: GuidString = '0b16b10b-0000-4000-8000-000000000001';
const HUGE: GuidString = '0b16b10b-0000-4000-8000-000000000002';
const BIG_SIZE = 3 * 1024 * 1024 + 5;

function pattern(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed + (i >>> 12)) & 0xff;
  return out;
}

/** A stdout that records every write and, when `pushBack`, answers false and drains a tick later. */
class RecordingStdout extends EventEmitter {
  readonly writes: number[] = [];
  readonly chunks: Buffer[] = [];
  waiting = false;
  overlapped = 0;
  constructor(private readonly pushBack: boolean) {
    super();
  }
  write(chunk: string | Uint8Array): boolean {
    if (this.waiting) this.overlapped++;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    this.writes.push(bytes.length);
    this.chunks.push(bytes);
    if (!this.pushBack) return true;
    this.waiting = true;
    setImmediate(() => {
      this.waiting = false;
      this.emit('drain');
    });
    return false;
  }
  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

async function runRecorded(
  argv: string[],
  pushBack = false,
): Promise<{ code: number; out: RecordingStdout; stderr: string }> {
  const out = new RecordingStdout(pushBack);
  let stderr = '';
  const code = await main(argv, {
    stdout: out,
    stderr: { write: (c: string | Uint8Array) => (stderr += String(c)) },
    env: {},
  });
  return { code, out, stderr };
}

describe('large secondary data blobs: streamed, never whole; hex in JSON only up to 16 MiB', () => {
  const big = pattern(BIG_SIZE, 7);
  let bigDump = '';
  let hugeDump = '';
  before(async () => {
    bigDump = await writeTemp(
      synthKernelDump(DumpType.BitmapKernel, new Uint8Array(0x1000), { blobs: [{ guid: BIG, data: big }] }),
      'big-blob',
    );
    hugeDump = await writeTemp(
      synthKernelDump(DumpType.BitmapKernel, new Uint8Array(0x1000), {
        blobs: [
          { guid: BIG, data: big.subarray(0, 0x100) },
          { guid: HUGE, data: pattern(JSON_HEX_MAX_BYTES + 1, 3) },
        ],
      }),
      'huge-blob',
    );
  });

  it('blob writes a 3 MiB blob to stdout in pieces of at most 1 MiB, byte for byte', async () => {
    const { code, out, stderr } = await runRecorded(['blob', bigDump, BIG]);
    assert.equal(code, 0, stderr);
    assert.deepEqual(new Uint8Array(out.bytes), big);
    assert.ok(out.writes.length >= 4, `${out.writes.length} writes`);
    assert.ok(
      out.writes.every((n) => n <= 0x100000),
      `writes of ${out.writes.join(', ')} bytes`,
    );
  });

  it('blob waits for a stdout that pushes back (no write before it drains)', async () => {
    const { code, out } = await runRecorded(['blob', bigDump, BIG], true);
    assert.equal(code, 0);
    assert.ok(out.writes.length >= 4, `${out.writes.length} writes`);
    assert.equal(out.overlapped, 0, 'a write while the stream had not drained');
    assert.deepEqual(new Uint8Array(out.bytes), big);
  });

  it('blob -o copies the blob to the file, whatever its size', async () => {
    const file = await tempPath('big', '.bin');
    const run = await runCli(['blob', hugeDump, HUGE, '-o', file, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const meta = json<Record<string, unknown>>(run);
    assert.deepEqual(meta, { guid: HUGE, index: 1, size: JSON_HEX_MAX_BYTES + 1, offset: meta.offset, output: file });
    assert.deepEqual(new Uint8Array(await readFile(file)), pattern(JSON_HEX_MAX_BYTES + 1, 3));
  });

  it(`blob --json refuses a blob over ${JSON_HEX_MAX_BYTES} bytes with E_CLI_TOO_LARGE_FOR_JSON and points at -o`, async () => {
    const run = await runCli(['blob', hugeDump, HUGE, '--json']);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, '');
    const error = json<{ error: { code: string; message: string; details: { size: number; limit: number } } }>(
      run,
    ).error;
    assert.equal(error.code, 'E_CLI_TOO_LARGE_FOR_JSON');
    assert.match(
      error.message,
      /^blob \{0B16B10B-0000-4000-8000-000000000002\} is 0x1000001 bytes, more than the 0x1000000 --json prints as hex; add -o FILE/,
    );
    assert.deepEqual([error.details.size, error.details.limit], [JSON_HEX_MAX_BYTES + 1, JSON_HEX_MAX_BYTES]);
    // The smaller blob of the same dump still comes out as hex.
    const small = json<{ data: string }>(await runCli(['blob', hugeDump, BIG, '--json']));
    assert.equal(small.data, Buffer.from(big.subarray(0, 0x100)).toString('hex'));
  });

  it('enumtag --full --json refuses more than 16 MiB of blocks in all; without --full it lists them', async () => {
    const run = await runCli(['enumtag', hugeDump, '--full', '--json']);
    assert.equal(run.code, 1);
    assert.equal(json<{ error: { code: string } }>(run).error.code, 'E_CLI_TOO_LARGE_FOR_JSON');
    assert.match(run.stdout, /write each block with 'bugcheck blob .* GUID -o FILE'/);
    const listed = json<{ guid: string; size: number }[]>(await runCli(['enumtag', hugeDump, '--json']));
    assert.deepEqual(
      listed.map((b) => [b.guid, b.size]),
      [
        [BIG, 0x100],
        [HUGE, JSON_HEX_MAX_BYTES + 1],
      ],
    );
    const full = json<{ data: string }[]>(await runCli(['enumtag', bigDump, '--full', '--json']));
    assert.equal(full[0]!.data, Buffer.from(big).toString('hex'));
  });

  it('enumtag --full prints a 3 MiB block piece by piece, offsets running on across the pieces', async () => {
    const { code, out, stderr } = await runRecorded(['enumtag', bigDump, '--full'], true);
    assert.equal(code, 0, stderr);
    assert.equal(out.overlapped, 0);
    assert.ok(
      out.writes.length >= 4 && out.writes.every((n) => n < 8 * 1024 * 1024),
      `writes of ${out.writes.join(', ')} bytes`,
    );
    const lines = out.bytes.toString('utf8').split('\n');
    assert.equal(lines[0], '{0B16B10B-0000-4000-8000-000000000001} - 0x300005 bytes');
    const dump = lines.filter((l) => /^ {2}[0-9a-f]{6} {2}/.test(l));
    assert.equal(dump.length, Math.ceil(BIG_SIZE / 16));
    for (const [i, l] of dump.entries()) assert.equal(l.slice(2, 8), (i * 16).toString(16).padStart(6, '0'));
    const hex = (from: number, n: number) =>
      [...big.subarray(from, from + n)].map((b) => b.toString(16).toUpperCase().padStart(2, '0'));
    const at = 0x100000 / 16; // the first line of the second piece
    assert.equal(dump[at]!.slice(10, 33), hex(0x100000, 8).join(' '));
    assert.match(dump[dump.length - 1]!, new RegExp(`^ {2}300000 {2}${hex(0x300000, 5).join(' ')} {35}`));
  });
});
