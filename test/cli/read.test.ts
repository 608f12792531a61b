import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SYNTH_DATA_VA, genuineDump, readAt, synthKernelDump, writeTemp } from '../analyze/helpers.js';
import { json, runCli } from './helpers.js';

interface ReadJson {
  address: string;
  length: number;
  physical: boolean;
  complete: boolean;
  bytes: string;
  pages: { address: string; length: number; status: string }[];
}

interface Block {
  va: bigint;
  offset: number;
  size: number;
}

/** The triage data-block table, parsed straight from the file (TRIAGE_DUMP64.DataBlocksOffset/Count at 0x2078/0x207C). */
async function dataBlocks(path: string): Promise<Block[]> {
  const triage = new DataView((await readAt(path, 0x2000, 0x80)).buffer);
  const offset = triage.getUint32(0x78, true);
  const count = triage.getUint32(0x7c, true);
  const table = new DataView((await readAt(path, offset, count * 16)).buffer);
  return Array.from({ length: count }, (_, i) => ({
    va: table.getBigUint64(i * 16, true),
    offset: table.getUint32(i * 16 + 8, true),
    size: table.getUint32(i * 16 + 12, true),
  }));
}

function windbg(va: bigint): string {
  const s = va.toString(16).padStart(16, '0');
  return `${s.slice(0, 8)}\`${s.slice(8)}`;
}

describe('bugcheck read', () => {
  it('shows memory from a triage data block like db', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const block = (await dataBlocks(path)).find((b) => b.size >= 0x1000)!;
    const va = block.va + 0x10n;
    const expected = await readAt(path, block.offset + 0x10, 0x80);

    const run = await runCli(['read', path, va.toString(16)]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 8, 'default length 0x80 = 8 lines');
    const hex = (b: number): string => b.toString(16).padStart(2, '0');
    const first = `${[...expected.subarray(0, 8)].map(hex).join(' ')}-${[...expected.subarray(8, 16)].map(hex).join(' ')}`;
    assert.ok(lines[0]!.startsWith(`${windbg(va)}  ${first}  `), lines[0]);
    assert.ok(lines[7]!.startsWith(windbg(va + 0x70n)));

    const asJson = json<ReadJson>(await runCli(['read', path, `0x${windbg(va)}`, '-n', '40', '--json']));
    assert.equal(asJson.address, `0x${va.toString(16)}`);
    assert.equal(asJson.length, 0x40);
    assert.equal(asJson.physical, false);
    assert.equal(asJson.complete, true);
    assert.equal(asJson.bytes, Buffer.from(expected.subarray(0, 0x40)).toString('hex'));
    assert.deepEqual(asJson.pages, [{ address: asJson.address, length: 0x40, status: 'present' }]);

    const decimal = json<ReadJson>(await runCli(['read', path, va.toString(16), '-n', '0n17', '--json']));
    assert.equal(decimal.length, 17);
  });

  it('prints ?? for bytes past the end of a block', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const blocks = await dataBlocks(path);
    const covered = (va: bigint): boolean => blocks.some((b) => va >= b.va && va < b.va + BigInt(b.size));
    const block = blocks.find(
      (b) => b.size >= 0x20 && !covered(b.va + BigInt(b.size)) && !covered(b.va + BigInt(b.size) + 0x1fn),
    )!;
    const end = block.va + BigInt(block.size);
    const run = await runCli(['read', path, (end - 4n).toString(16), '-n', '0x20']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout.split('\n')[0]!,
      /^[0-9a-f]{8}`[0-9a-f]{8} {2}([0-9a-f]{2} ){4}\?\? \?\? \?\? \?\?-(\?\? ){7}\?\? {2}....\?{12}$/,
    );
    const asJson = json<ReadJson>(await runCli(['read', path, (end - 4n).toString(16), '-n', '0x20', '--json']));
    assert.equal(asJson.complete, false);
    assert.deepEqual(
      asJson.pages.map((p) => [p.length, p.status]),
      [
        [4, 'present'],
        [0x1c, 'not-in-dump'],
      ],
    );
    assert.equal(asJson.bytes.slice(8), '00'.repeat(0x1c), 'absent bytes are 00 in JSON');
  });

  it('exits 1 with one line when no byte is in the dump', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const run = await runCli(['read', path, '1000']);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(
      run.stderr,
      /^bugcheck: error: virtual address 0x1000 \(0x80 bytes\) is not in the dump: .*\(E_CLI_NOT_IN_DUMP\)\n$/,
    );
    const physical = await runCli(['read', path, '1000', '--physical', '--json']);
    assert.equal(physical.code, 1);
    assert.equal(json<{ error: { code: string } }>(physical).error.code, 'E_CLI_NOT_IN_DUMP');
  });

  it('rejects bad addresses and lengths as usage errors', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    for (const argv of [
      ['read', path, 'xyz'],
      ['read', path, `1${'0'.repeat(16)}`],
      ['read', path, '1000', '-n', '0'],
      ['read', path, '1000', '-n', '0x100001'],
      ['read', path, '1000', '-n', 'lots'],
    ]) {
      const run = await runCli(argv);
      assert.equal(run.code, 2, argv.join(' '));
      assert.match(run.stderr, /^bugcheck: error: .*\(E_USAGE\)/);
    }
  });

  it('reads virtual and physical memory of a full dump', async () => {
    const data = Uint8Array.from({ length: 0x1000 }, (_, i) => (i * 7) & 0xff);
    const path = await writeTemp(synthKernelDump(1, data));
    const virtual = json<ReadJson>(await runCli(['read', path, SYNTH_DATA_VA.toString(16), '-n', '0x20', '--json']));
    assert.equal(virtual.bytes, Buffer.from(data.subarray(0, 0x20)).toString('hex'));
    const physical = json<ReadJson>(await runCli(['read', path, '3000ff0', '--physical', '-n', '0x20', '--json']));
    assert.equal(physical.physical, true);
    assert.equal(physical.bytes.slice(0, 32), Buffer.from(data.subarray(0xff0)).toString('hex'));
    assert.deepEqual(
      physical.pages.map((p) => p.status),
      ['present', 'not-in-dump'],
    );
  });
});
