/**
 * Dump reader benchmark: builds a synthetic sparse bitmap dump (DumpType 5,
 * every page of a 4 GiB machine present, most of them file holes) in
 * os.tmpdir(), then measures header parsing, index building, random 4 KiB
 * virtual reads (real 4-level walks over 4 KiB and 2 MiB mappings), a full
 * sequential physical scan, and peak RSS. The file is deleted afterwards.
 *
 *   node --import tsx bench/reader.ts          (4 GiB)
 *   node --import tsx bench/reader.ts 1        (size in GiB)
 */
import { rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openDump } from '../src/dump/reader/index.js';
import { readBody } from '../src/dump/reader/body.js';
import { DumpFile } from '../src/dump/reader/dumpFile.js';
import { readHeader } from '../src/dump/reader/header.js';
import type { DumpProblem } from '../src/dump/reader/types.js';
import { PageTableBuilder, SynthMemory, writeDumpFile } from '../test/synth/index.js';

const GiB = 1024 * 1024 * 1024;
const MiB = 1024 * 1024;
const PAGE = 0x1000;
/** Virtual windows the random reads draw from. */
const SMALL_VA = 0xfffff80100000000n; // 64 MiB of 4 KiB pages
const SMALL_BYTES = 64 * MiB;
const LARGE_VA = 0xfffff80200000000n; // 1 GiB of 2 MiB pages
const LARGE_BYTES = GiB;

export interface ReaderBenchOptions {
  memoryGiB?: number;
  randomReads?: number;
  dir?: string;
  pageCacheSize?: number;
}

export interface ReaderBenchReport {
  memoryGiB: number;
  fileBytes: number;
  buildSeconds: number;
  headerParseMs: number;
  indexBuildMs: number;
  indexBuildMsPerGiB: number;
  openDumpMs: number;
  randomReads: number;
  randomReadsPerSecond: number;
  scanBytes: number;
  scanMbPerSecond: number;
  baselineMaxRssKiB: number;
  peakMaxRssKiB: number;
  lines: string[];
}

/** Physical memory: page tables only; every other page is present in the dump as a zero-filled hole. */
function buildMemory(pages: number): { memory: SynthMemory; dtb: bigint } {
  const memory = new SynthMemory();
  memory.addZeroRange(0n, BigInt(pages));
  const tables = new PageTableBuilder(memory);
  const span = BigInt(pages) * 0x1000n;
  // 4 KiB pages spread over all of RAM, so reads touch the whole file.
  for (let i = 0; i < SMALL_BYTES / PAGE; i++) {
    const pa = ((BigInt(i) * 0x9e3779b1n) % BigInt(pages)) << 12n;
    tables.map4k(SMALL_VA + BigInt(i) * 0x1000n, pa % span);
  }
  for (let i = 0; i < LARGE_BYTES / (2 * MiB); i++) {
    tables.map2m(LARGE_VA + BigInt(i) * 0x200000n, (BigInt(i) * 0x200000n) % span);
  }
  return { memory, dtb: tables.directoryTableBase(0x2n) };
}

function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export async function runReaderBench(options: ReaderBenchOptions = {}): Promise<ReaderBenchReport> {
  const memoryGiB = options.memoryGiB ?? 4;
  const randomReads = options.randomReads ?? 20000;
  const pages = Math.round((memoryGiB * GiB) / PAGE);
  const file = path.join(options.dir ?? os.tmpdir(), `bugcheck-reader-bench-${process.pid}.dmp`);
  try {
    let t = performance.now();
    const { memory, dtb } = buildMemory(pages);
    const layout = await writeDumpFile(
      { dumpType: 5, memory, directoryTableBase: dtb, bitmap: { bits: BigInt(pages) } },
      file,
    );
    const buildSeconds = (performance.now() - t) / 1000;
    const baselineMaxRssKiB = process.resourceUsage().maxRSS;

    // Header parse and index build, timed separately through the reader's own steps.
    const f = await DumpFile.open(file);
    const problems: DumpProblem[] = [];
    t = performance.now();
    const h = await readHeader(f, problems);
    const headerParseMs = performance.now() - t;
    t = performance.now();
    await readBody(f, h.raw, h.headerSize, problems);
    const indexBuildMs = performance.now() - t;
    await f.close();
    if (problems.length > 0) throw new Error(`bench dump has problems: ${problems.map((p) => p.message).join('; ')}`);

    t = performance.now();
    const dump = await openDump(file, { pageCacheSize: options.pageCacheSize ?? 256 });
    const openDumpMs = performance.now() - t;
    try {
      // Random page-aligned 4 KiB virtual reads, half through 4 KiB PTEs, half through 2 MiB PDEs.
      let x = 0x12345678;
      const next = (): number => {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        return x >>> 0;
      };
      t = performance.now();
      let incomplete = 0;
      for (let i = 0; i < randomReads; i++) {
        const va =
          i % 2 === 0
            ? SMALL_VA + BigInt(next() % (SMALL_BYTES / PAGE)) * 0x1000n
            : LARGE_VA + BigInt(next() % (LARGE_BYTES / PAGE)) * 0x1000n;
        const r = await dump.readVirtual(va, PAGE);
        if (!r.complete) incomplete++;
      }
      const randomSeconds = (performance.now() - t) / 1000;
      if (incomplete > 0) throw new Error(`${incomplete} random reads were incomplete`);

      // Full sequential scan of physical memory in 1 MiB reads.
      t = performance.now();
      let scanBytes = 0;
      const chunk = MiB;
      for (let pa = 0n; pa < BigInt(pages) * 0x1000n; pa += BigInt(chunk)) {
        const r = await dump.readPhysical(pa, chunk);
        scanBytes += r.bytes.length;
      }
      const scanSeconds = (performance.now() - t) / 1000;
      const peakMaxRssKiB = process.resourceUsage().maxRSS;

      const report: Omit<ReaderBenchReport, 'lines'> = {
        memoryGiB,
        fileBytes: Number(layout.fileSize),
        buildSeconds,
        headerParseMs,
        indexBuildMs,
        indexBuildMsPerGiB: indexBuildMs / memoryGiB,
        openDumpMs,
        randomReads,
        randomReadsPerSecond: randomReads / randomSeconds,
        scanBytes,
        scanMbPerSecond: scanBytes / MiB / scanSeconds,
        baselineMaxRssKiB,
        peakMaxRssKiB,
      };
      const rows: [string, string][] = [
        [
          'dump',
          `DumpType 5, ${memoryGiB} GiB RAM, ${fmt(pages, 0)} pages, file ${fmt(report.fileBytes / MiB)} MiB (sparse)`,
        ],
        ['build (synth, not timed below)', `${fmt(buildSeconds, 2)} s`],
        ['header parse', `${fmt(headerParseMs, 2)} ms`],
        [
          'index build (bitmap read + ranks)',
          `${fmt(indexBuildMs, 2)} ms = ${fmt(report.indexBuildMsPerGiB, 2)} ms/GiB`,
        ],
        ['openDump total', `${fmt(openDumpMs, 2)} ms`],
        ['random 4 KiB virtual reads', `${fmt(report.randomReadsPerSecond, 0)} /s (${fmt(randomReads, 0)} reads)`],
        [
          'sequential physical scan (1 MiB reads)',
          `${fmt(report.scanMbPerSecond, 0)} MiB/s (${fmt(scanBytes / MiB, 0)} MiB)`,
        ],
        ['maxRSS before open', `${fmt(baselineMaxRssKiB / 1024)} MiB`],
        ['maxRSS peak', `${fmt(peakMaxRssKiB / 1024)} MiB`],
      ];
      const width = Math.max(...rows.map(([k]) => k.length));
      const lines = ['Dump reader benchmark', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)];
      return { ...report, lines };
    } finally {
      await dump.close();
    }
  } finally {
    await rm(file, { force: true });
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const gib = process.argv[2] !== undefined ? Number(process.argv[2]) : 4;
  runReaderBench({ memoryGiB: gib }).then(
    (r) => console.log(r.lines.join('\n')),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
