/**
 * Property: whatever happens to the bytes of a valid dump, the reader either
 * works or throws DumpError — never another exception, never a hang.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DumpError, openDump } from '../../../src/dump/reader/index.js';
import { buildDump, type SynthBlob } from '../../synth/index.js';
import { buildKernelMemory, kernelSpec, pattern, tempPath, VA } from './helpers.js';

const blobs: SynthBlob[] = [
  { guid: '54c84888-01d1-4c1e-bed6-282c98241303', data: pattern(1, 0x40) },
  { guid: '54c84888-01d1-4c1e-bed6-282c98241303', data: new Uint8Array(0) },
  { guid: 'bf2297dc-34ba-11dc-868a-e19155d89593', data: pattern(2, 13) },
];
const kernel = buildKernelMemory();
const seeds = [
  buildDump(kernelSpec(kernel, 1, { blobs })),
  buildDump(kernelSpec(kernel, 6, { blobs, bitmap: { bits: 0x82000n } })),
  buildDump({
    dumpType: 4,
    blobs,
    triage: {
      drivers: [
        { name: '\\SystemRoot\\system32\\ntoskrnl.exe', base: 0xfffff8047ba00000n, size: 0x1000 },
        { name: 'b.sys', base: 0xfffff80479440000n, size: 0x2000 },
      ],
      unloadedDrivers: [{ name: 'dam.sys', start: 1n, end: 2n }],
      dataBlocks: [
        { va: VA.heap, bytes: pattern(3, 0x100) },
        { va: VA.heap + 0x80n, bytes: pattern(4, 0x100) },
      ],
      stack: { top: 0xffff850429890ee8n, bytes: pattern(5, 0x40) },
    },
  }),
  buildDump({ dumpType: 3, is32: true, blobs }),
];

/** Offsets where a change matters most: header fields, body headers, the blob area. */
function hotOffsets(seed: (typeof seeds)[number]): number[] {
  const out = [0x8, 0x10, 0x30, 0x88, 0x8c, 0x90, 0x98, 0xa0, 0xf98, 0x2000, 0x2004, 0x2020, 0x2028, 0x2030];
  for (let o = 0x2000; o < 0x2080; o += 4) out.push(o);
  if (seed.layout.blobAreaOffset !== undefined) out.push(Number(seed.layout.blobAreaOffset) + 8);
  for (const b of seed.layout.blobs)
    out.push(
      Number(b.headerOffset),
      Number(b.headerOffset) + 0x14,
      Number(b.headerOffset) + 0x18,
      Number(b.headerOffset) + 0x1c,
    );
  return out.filter((o) => o + 4 <= seed.bytes.length);
}

const EXTREMES = [0, 1, 0x20, 0x1000, 0x7fffffff, 0x80000000, 0xffffffff, 0x45474150, 0xfffffff0];

type Mutation =
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'u32'; hot: number; value: number }
  | { kind: 'u64'; hot: number; value: bigint }
  | { kind: 'truncate'; keep: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('u32' as const), hot: fc.nat(), value: fc.constantFrom(...EXTREMES) }),
  fc.record({ kind: fc.constant('u64' as const), hot: fc.nat(), value: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) }),
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat() }),
);

function apply(seed: (typeof seeds)[number], mutations: Mutation[]): Uint8Array {
  let bytes = seed.bytes.slice();
  const hot = hotOffsets(seed);
  for (const m of mutations) {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length === 0) break;
    switch (m.kind) {
      case 'flip': {
        // Half the flips land in the first 0x2100 bytes, where the structure is.
        const span = m.at % 2 === 0 ? Math.min(bytes.length, 0x2100) : bytes.length;
        const at = (m.at >> 1) % span;
        bytes[at] = bytes[at]! ^ m.value;
        break;
      }
      case 'u32': {
        const at = hot[m.hot % hot.length]!;
        if (at + 4 <= bytes.length) v.setUint32(at, m.value >>> 0, true);
        break;
      }
      case 'u64': {
        const at = hot[m.hot % hot.length]!;
        if (at + 8 <= bytes.length) v.setBigUint64(at, m.value, true);
        break;
      }
      case 'truncate':
        bytes = bytes.subarray(0, m.keep % (bytes.length + 1));
        break;
    }
  }
  return bytes;
}

async function onlyDumpErrors(what: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof DumpError))
      throw new Error(`${what} threw a non-DumpError: ${e instanceof Error ? e.stack : String(e)}`);
  }
}

describe('reader: mutated synthetic dumps', () => {
  it('openDump, secondaryData and reads succeed or throw DumpError only (~200 runs)', async () => {
    const path = await tempPath('mutant');
    await fc.assert(
      fc.asyncProperty(
        fc.nat(seeds.length - 1),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.bigInt({ min: 0n, max: 0x100000000n }),
        async (which, muts, pa) => {
          const seed = seeds[which]!;
          await writeFile(path, apply(seed, muts));
          let dump: Awaited<ReturnType<typeof openDump>>;
          try {
            dump = await openDump(path, { pageCacheSize: 8 });
          } catch (e) {
            assert.ok(e instanceof DumpError, `openDump threw ${e instanceof Error ? e.stack : String(e)}`);
            return;
          }
          try {
            await onlyDumpErrors('secondaryData', async () => {
              const scan = await dump.secondaryData();
              for (const b of scan.blobs.slice(0, 8)) await dump.readBlob(b);
            });
            await onlyDumpErrors('readPhysical', () => dump.readPhysical(pa, 0x1800));
            await onlyDumpErrors('readVirtual', () => dump.readVirtual(VA.heap, 0x200));
            await onlyDumpErrors('readVirtual', () => dump.readVirtual(VA.small - 8n, 0x20));
            await onlyDumpErrors('translate', () => dump.translate(VA.large2m + 0x5000n));
            await onlyDumpErrors('modules', () => dump.modules());
            await onlyDumpErrors('kdDebuggerData', () => dump.kdDebuggerData());
            await onlyDumpErrors('physicalPages', async () => {
              let n = 0;
              for await (const _ of dump.physicalPages()) if (++n > 64) break;
            });
          } finally {
            await dump.close();
          }
        },
      ),
      { numRuns: Number(process.env.READER_FUZZ_RUNS ?? 200) },
    );
  });
});
