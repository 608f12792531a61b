/**
 * Dump reader benchmark. Writes a bitmap dump (DumpType 5) of a 4 GiB machine
 * (1 GiB with `quick`) to os.tmpdir() with real bytes in every page (no file
 * holes, so reads are served from the page cache like any dump), then
 * measures, each beside an anchor measured in the same run:
 *   - openDump and the header parse alone;
 *   - random 4 KiB virtual reads over a wide spread (4 KiB pages scattered over
 *     all of RAM and 2 MiB pages covering it) through readVirtual and
 *     readVirtualInto, against plain 4 KiB positional reads of the same pages;
 *   - a hot set (24 MiB of "module image" pages read again and again) through
 *     readVirtual (new arrays, and `shared: true` views) and readVirtualInto,
 *     with the file reads it costs;
 *   - a full physical scan through physicalChunks(), against `cat` of the file;
 *   - peak RSS.
 * The file is deleted afterwards.
 *
 *   node --import tsx bench/reader.ts [--quick]
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openDump, type CrashDump } from '../src/dump/reader/index.js';
import { DumpFile } from '../src/dump/reader/dumpFile.js';
import { FileDumpSource } from '../src/dump/reader/fileSource.js';
import { readHeader } from '../src/dump/reader/header.js';
import type { DumpProblem } from '../src/dump/reader/types.js';
import { PageTableBuilder, SynthMemory, writeDumpFile } from '../test/synth/index.js';

const GiB = 1024 * 1024 * 1024;
const MiB = 1024 * 1024;
const PAGE = 0x1000;
/** 512 MiB of 4 KiB pages, each mapped to a page scattered over all of RAM. */
const WIDE_VA = 0xfffff80100000000n;
const WIDE_PAGES = 131072;
/** 2 MiB pages mapping all of RAM. */
const LARGE_VA = 0xfffff80200000000n;
/** The hot set: 24 MiB of 4 KiB pages on consecutive frames, like loaded module images. */
const HOT_VA = 0xfffff80300000000n;
const HOT_PAGES = 6144;
const HOT_PFN = 0x10000n;
const RANDOM_READS = 50_000;
const HOT_READS = 40_000;
const REPEATS = 3;

export interface ReaderBenchResult {
  figures: Record<string, number>;
  lines: string[];
}

/** The bench dump: page tables for the three regions, every other page filled with bytes. */
export async function writeReaderBenchDump(file: string, memoryGiB: number): Promise<{ pages: number }> {
  const pages = Math.round((memoryGiB * GiB) / PAGE);
  const memory = new SynthMemory();
  memory.addZeroRange(0n, BigInt(pages));
  const tables = new PageTableBuilder(memory);
  for (let i = 0; i < WIDE_PAGES; i++)
    tables.map4k(WIDE_VA + BigInt(i) * 0x1000n, ((BigInt(i) * 0x9e3779b1n) % BigInt(pages)) << 12n);
  for (let i = 0; i < pages / 512; i++) tables.map2m(LARGE_VA + BigInt(i) * 0x200000n, BigInt(i) * 0x200000n);
  for (let i = 0; i < HOT_PAGES; i++) tables.map4k(HOT_VA + BigInt(i) * 0x1000n, (HOT_PFN + BigInt(i)) << 12n);
  // A bitmap size that puts the first page on a page boundary, as Windows does.
  let bitmapBytes = pages / 8;
  bitmapBytes += (PAGE - ((0x2038 + bitmapBytes) % PAGE)) % PAGE;
  const layout = await writeDumpFile(
    {
      dumpType: 5,
      memory,
      directoryTableBase: tables.directoryTableBase(0x2n),
      bitmap: { bits: BigInt(bitmapBytes * 8) },
    },
    file,
  );
  // Fill every page the synthetic memory left empty (file holes) with bytes, 4 MiB at a time.
  const first = Number(layout.firstPageOffset);
  const fd = openSync(file, 'r+');
  try {
    const chunkPages = 1024;
    const chunk = new Uint8Array(chunkPages * PAGE);
    let x = 0x9e3779b9;
    for (let i = 0; i < chunk.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      chunk[i] = x & 0xff;
    }
    const view = new DataView(chunk.buffer);
    for (let base = 0; base < pages; base += chunkPages) {
      const n = Math.min(chunkPages, pages - base);
      for (let k = 0; k < n; k++) view.setUint32(k * PAGE, base + k, true);
      for (let k = 0; k < n; ) {
        if (memory.pages.has(BigInt(base + k))) {
          k++;
          continue;
        }
        let end = k;
        while (end < n && !memory.pages.has(BigInt(base + end))) end++;
        writeSync(fd, chunk, k * PAGE, (end - k) * PAGE, first + (base + k) * PAGE);
        k = end;
      }
    }
  } finally {
    closeSync(fd);
  }
  return { pages };
}

function xorshift(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** The wide-spread read sequence: alternately a scattered 4 KiB page and a page inside a 2 MiB mapping. */
function wideAddresses(pages: number): bigint[] {
  const next = xorshift(0x12345678);
  return Array.from({ length: RANDOM_READS }, (_, i) =>
    i % 2 === 0 ? WIDE_VA + BigInt(next() % WIDE_PAGES) * 0x1000n : LARGE_VA + BigInt(next() % pages) * 0x1000n,
  );
}

function hotAddresses(): bigint[] {
  const next = xorshift(0x2468ace);
  return Array.from({ length: HOT_READS }, () => HOT_VA + BigInt(next() % HOT_PAGES) * 0x1000n);
}

interface Timing {
  wallSeconds: number;
  cpuSeconds: number;
}

async function timed(work: () => Promise<void>): Promise<Timing> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await work();
  const c = process.cpuUsage(c0);
  return { wallSeconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6 };
}

/** One run on a freshly opened dump, so caches start cold every time. */
async function onFreshDump(file: string, work: (dump: CrashDump) => Promise<void>): Promise<Timing> {
  const dump = await openDump(file);
  try {
    return await timed(() => work(dump));
  } finally {
    await dump.close();
  }
}

/** Runs each measurement `REPEATS` times, interleaved, and keeps each one's least-CPU run. */
async function interleaved(runs: Record<string, () => Promise<Timing>>): Promise<Record<string, Timing>> {
  const best: Record<string, Timing> = {};
  for (let r = 0; r < REPEATS; r++) {
    for (const [name, run] of Object.entries(runs)) {
      const t = await run();
      if (best[name] === undefined || t.cpuSeconds < best[name]!.cpuSeconds) best[name] = t;
    }
  }
  return best;
}

/** File offsets of the pages the reads land on, for the plain-read anchor. */
async function fileOffsetsOf(file: string, vas: bigint[]): Promise<number[]> {
  const dump = await openDump(file);
  try {
    const runs: { pfn: bigint; pages: number; fileOffset: number }[] = [];
    for await (const chunk of dump.physicalChunks()) {
      for (const run of chunk.runs)
        runs.push({ pfn: run.pfn, pages: run.pageCount, fileOffset: Number(chunk.fileOffset) + run.byteOffset });
    }
    const out: number[] = [];
    for (const va of vas) {
      const t = await dump.translate(va);
      if (t.status !== 'mapped') throw new Error(`bench dump: ${va.toString(16)} does not translate (${t.status})`);
      const pfn = t.pa >> 12n;
      const run = runs.find((r) => pfn >= r.pfn && pfn < r.pfn + BigInt(r.pages));
      if (run === undefined) throw new Error(`bench dump: PFN ${pfn.toString(16)} is not in the dump`);
      out.push(run.fileOffset + Number(pfn - run.pfn) * PAGE);
    }
    return out;
  } finally {
    await dump.close();
  }
}

/**
 * What default `readVirtual` cannot avoid: a new 4 KiB array per read, filled
 * from bytes already in memory (no file, no translation). Its floor.
 */
async function newArrayPerRead(reads: number): Promise<Timing> {
  const cached = new Uint8Array(64 * PAGE).fill(0x5a);
  let sum = 0;
  const t = await timed(async () => {
    for (let i = 0; i < reads; i++) {
      const bytes = new Uint8Array(PAGE);
      const at = (i & 63) * PAGE;
      bytes.set(cached.subarray(at, at + PAGE));
      sum += bytes[i & (PAGE - 1)]!;
    }
  });
  if (sum !== reads * 0x5a) throw new Error('newArrayPerRead: copies went wrong');
  return t;
}

async function plainReads(file: string, offsets: number[]): Promise<Timing> {
  const fd = openSync(file, 'r');
  try {
    const page = new Uint8Array(PAGE);
    return await timed(async () => {
      for (const at of offsets) readSync(fd, page, 0, PAGE, at);
    });
  } finally {
    closeSync(fd);
  }
}

/** `cat FILE > /dev/null`, wall seconds (its time is all in the kernel's copy). */
function catSeconds(file: string): number {
  const devNull = openSync('/dev/null', 'w');
  try {
    const t0 = performance.now();
    const r = spawnSync('cat', [file], { stdio: ['ignore', devNull, 'inherit'] });
    if (r.status !== 0) throw new Error(`cat ${file} failed (${r.status})`);
    return (performance.now() - t0) / 1000;
  } finally {
    closeSync(devNull);
  }
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export async function runReaderBench(options: { quick: boolean } = { quick: false }): Promise<ReaderBenchResult> {
  const memoryGiB = options.quick ? 1 : 4;
  const file = path.join(os.tmpdir(), `bugcheck-reader-bench-${process.pid}.dmp`);
  try {
    const { pages } = await writeReaderBenchDump(file, memoryGiB);
    const fileBytes = pages * PAGE;

    // Opening: header parse alone, and openDump as a whole (header, bitmap, index), best of 5.
    let headerParseMs = Number.POSITIVE_INFINITY;
    let openDumpMs = Number.POSITIVE_INFINITY;
    for (let r = 0; r < 5; r++) {
      const f = new DumpFile(await FileDumpSource.open(file));
      const problems: DumpProblem[] = [];
      let t = performance.now();
      await readHeader(f, problems);
      headerParseMs = Math.min(headerParseMs, performance.now() - t);
      await f.close();
      t = performance.now();
      const dump = await openDump(file);
      openDumpMs = Math.min(openDumpMs, performance.now() - t);
      if (dump.problems.length > 0) throw new Error(`bench dump has problems: ${dump.problems[0]!.message}`);
      await dump.close();
    }

    const wide = wideAddresses(pages);
    const hot = hotAddresses();
    const wideOffsets = await fileOffsetsOf(file, wide);
    const hotOffsets = await fileOffsetsOf(file, hot);
    const readAll = (vas: bigint[]) => async (dump: CrashDump) => {
      for (const va of vas) {
        const r = await dump.readVirtual(va, PAGE);
        if (!r.complete) throw new Error(`bench read of ${va.toString(16)} is incomplete`);
      }
    };
    const readAllShared = (vas: bigint[]) => async (dump: CrashDump) => {
      for (const va of vas) {
        const r = await dump.readVirtual(va, PAGE, { shared: true });
        if (!r.complete) throw new Error(`bench read of ${va.toString(16)} is incomplete`);
      }
    };
    const page = new Uint8Array(PAGE);
    const readAllInto = (vas: bigint[]) => async (dump: CrashDump) => {
      for (const va of vas) await dump.readVirtualInto(va, page);
    };
    const t = await interleaved({
      wide: () => onFreshDump(file, readAll(wide)),
      wideInto: () => onFreshDump(file, readAllInto(wide)),
      widePlain: () => plainReads(file, wideOffsets),
      hot: () => onFreshDump(file, readAll(hot)),
      hotShared: () => onFreshDump(file, readAllShared(hot)),
      hotInto: () => onFreshDump(file, readAllInto(hot)),
      hotPlain: () => plainReads(file, hotOffsets),
      hotNewArrays: () => newArrayPerRead(hot.length),
    });
    const wideTime = t.wide!;
    const wideIntoTime = t.wideInto!;
    const wideAnchor = t.widePlain!;
    const hotTime = t.hot!;
    const hotIntoTime = t.hotInto!;
    const hotSharedTime = t.hotShared!;
    const hotAnchor = t.hotPlain!;
    const newArrays = t.hotNewArrays!;

    // File reads per 4 KiB read: wide (every page new), the hot set's first pass, and a warm pass (the
    // hot set read twice before): at most one each, none once a page is cached.
    const fileReadsPerRead = async (passes: bigint[][], measured: number): Promise<number> => {
      const dump = await openDump(file);
      try {
        let before = 0;
        for (const [i, vas] of passes.entries()) {
          if (i === measured) before = dump.cacheStats.fileReads;
          await readAll(vas)(dump);
          if (i === measured) return (dump.cacheStats.fileReads - before) / vas.length;
        }
        return Number.NaN;
      } finally {
        await dump.close();
      }
    };
    const wideFileReads = await fileReadsPerRead([wide], 0);
    const hotFirstPassFileReads = await fileReadsPerRead([hot], 0);
    const hotWarmFileReads = await fileReadsPerRead([hot, hot, hot], 2);

    // Full physical scan against cat, alternating, best of each.
    let scanSeconds = Number.POSITIVE_INFINITY;
    let scanCpuSeconds = Number.POSITIVE_INFINITY;
    let catBest = Number.POSITIVE_INFINITY;
    let scanned = 0;
    const buffer = new Uint8Array(4 * MiB);
    for (let r = 0; r < REPEATS; r++) {
      catBest = Math.min(catBest, catSeconds(file));
      const dump = await openDump(file);
      try {
        let bytes = 0;
        const t = await timed(async () => {
          for await (const chunk of dump.physicalChunks({ buffer })) bytes += chunk.bytes.length;
        });
        scanned = bytes;
        if (t.wallSeconds < scanSeconds) scanSeconds = t.wallSeconds;
        scanCpuSeconds = Math.min(scanCpuSeconds, t.cpuSeconds);
      } finally {
        await dump.close();
      }
    }
    if (scanned !== fileBytes) throw new Error(`scan read ${scanned} bytes, expected ${fileBytes}`);
    const catMiBps = statSync(file).size / MiB / catBest;
    const scanMiBps = scanned / MiB / scanSeconds;
    const peakRssMiB = process.resourceUsage().maxRSS / 1024;

    const perSecond = (n: number, t: Timing) => n / t.wallSeconds;
    const perCpu = (n: number, t: Timing) => n / t.cpuSeconds;
    const figures: Record<string, number> = {
      memoryGiB,
      headerParseMs,
      openDumpMs,
      randomReadsPerSecond: perSecond(RANDOM_READS, wideTime),
      randomReadsPerCpuSecond: perCpu(RANDOM_READS, wideTime),
      randomIntoReadsPerCpuSecond: perCpu(RANDOM_READS, wideIntoTime),
      randomPlainReadsPerCpuSecond: perCpu(RANDOM_READS, wideAnchor),
      hotReadsPerSecond: perSecond(HOT_READS, hotTime),
      hotReadsPerCpuSecond: perCpu(HOT_READS, hotTime),
      hotIntoReadsPerCpuSecond: perCpu(HOT_READS, hotIntoTime),
      hotSharedReadsPerCpuSecond: perCpu(HOT_READS, hotSharedTime),
      hotPlainReadsPerCpuSecond: perCpu(HOT_READS, hotAnchor),
      newArrayPerReadCpuMicroseconds: (newArrays.cpuSeconds / hot.length) * 1e6,
      wideFileReadsPerRead: wideFileReads,
      hotFileReadsPerRead: hotFirstPassFileReads,
      hotWarmFileReadsPerRead: hotWarmFileReads,
      scanMiBps,
      scanCpuSecondsPerGiB: scanCpuSeconds / memoryGiB,
      catMiBps,
      scanVsCat: scanMiBps / catMiBps,
      peakRssMiB,
    };
    const ratio = (a: number, b: number) => `${fmt(a / b, 2)}×`;
    const us = (n: number) => `${fmt(1e6 / n, 2)} µs`;
    const lines = [
      `reader: DumpType 5, ${memoryGiB} GiB of RAM, ${fmt(pages)} pages, every page present (file ${fmt(fileBytes / MiB)} MiB)`,
      `  openDump ${fmt(openDumpMs, 2)} ms (header parse ${fmt(headerParseMs, 2)} ms)`,
      `  random 4 KiB reads, ${fmt(RANDOM_READS)} over a wide spread (ours / plain 4 KiB readSync of the same pages / ratio, CPU):`,
      `    readVirtual      ${fmt(figures.randomReadsPerCpuSecond!)} /CPU-s (${us(figures.randomReadsPerCpuSecond!)}), ${fmt(figures.randomReadsPerSecond!)} /s  /  ${fmt(figures.randomPlainReadsPerCpuSecond!)} /CPU-s  /  ${ratio(figures.randomReadsPerCpuSecond!, figures.randomPlainReadsPerCpuSecond!)}`,
      `    readVirtualInto  ${fmt(figures.randomIntoReadsPerCpuSecond!)} /CPU-s (${us(figures.randomIntoReadsPerCpuSecond!)})  /  ${fmt(figures.randomPlainReadsPerCpuSecond!)} /CPU-s  /  ${ratio(figures.randomIntoReadsPerCpuSecond!, figures.randomPlainReadsPerCpuSecond!)}`,
      `  hot set, ${fmt(HOT_READS)} reads over ${fmt(HOT_PAGES)} pages (ours / plain readSync / ratio, CPU):`,
      `    readVirtual      ${fmt(figures.hotReadsPerCpuSecond!)} /CPU-s (${us(figures.hotReadsPerCpuSecond!)})  /  ${fmt(figures.hotPlainReadsPerCpuSecond!)} /CPU-s  /  ${ratio(figures.hotReadsPerCpuSecond!, figures.hotPlainReadsPerCpuSecond!)}`,
      `    readVirtual shared ${fmt(figures.hotSharedReadsPerCpuSecond!)} /CPU-s (${us(figures.hotSharedReadsPerCpuSecond!)})  /  ${fmt(figures.hotPlainReadsPerCpuSecond!)} /CPU-s  /  ${ratio(figures.hotSharedReadsPerCpuSecond!, figures.hotPlainReadsPerCpuSecond!)}`,
      `    readVirtualInto  ${fmt(figures.hotIntoReadsPerCpuSecond!)} /CPU-s (${us(figures.hotIntoReadsPerCpuSecond!)})  /  ${fmt(figures.hotPlainReadsPerCpuSecond!)} /CPU-s  /  ${ratio(figures.hotIntoReadsPerCpuSecond!, figures.hotPlainReadsPerCpuSecond!)}`,
      `    floor of readVirtual: a new 4 KiB array per read, filled from memory (no file, no translation): ${fmt(figures.newArrayPerReadCpuMicroseconds!, 2)} µs CPU each`,
      `  file reads per 4 KiB read: wide ${fmt(wideFileReads, 3)}, hot set first pass ${fmt(hotFirstPassFileReads, 3)} (${fmt(HOT_PAGES)} pages; a 64 KiB window is read whole on its third miss), warm ${fmt(hotWarmFileReads, 3)}`,
      `  physical scan (physicalChunks, 4 MiB buffer) ${fmt(scanMiBps)} MiB/s (${fmt(scanCpuSeconds / memoryGiB, 2)} CPU-s/GiB)  /  cat ${fmt(catMiBps)} MiB/s  /  ${ratio(scanMiBps, catMiBps)}`,
      `  peak RSS ${fmt(peakRssMiB)} MiB`,
    ];
    return { figures, lines };
  } finally {
    await rm(file, { force: true });
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runReaderBench({ quick: process.argv.includes('--quick') }).then(
    (r) => console.log(r.lines.join('\n')),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
