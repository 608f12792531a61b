/**
 * Dump writer and memory population benchmark.
 *
 * In a fresh child process (so its peak RSS is its own): fills fresh memory
 * of the machine's size in 1 MiB typed arrays (the anchor of population: what
 * any store of that many bytes pays the kernel), builds a machine of 4 GiB
 * (1 GiB with --quick) and populates every RAM page through
 * `PhysicalMemory.writePages` (half the frames kernel-owned, the rest user),
 * timing writePages alone. Then, per dump kind (kernel, complete), writes
 * the dump and runs `dd if=/dev/zero bs=1M conv=fdatasync` of the same byte
 * count, alternating (writer first, then dd first, …), after one untimed dd of
 * the machine's size (the VM's first touch of page-cache memory), and takes the median of
 * the pairs' ratios; one more dump goes through a DumpIo listener that wants
 * every write (the copying path). Every file is deleted at once.
 *
 *   node --import tsx bench/writer.ts [--quick]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CONTEXT_ALL } from '../src/format/index.js';
import {
  SILENT_DUMP_IO_LISTENER,
  type CrashDumpKind,
  type CrashDumpPlan,
  type DumpIoListener,
} from '../src/kernel/crashDumpTarget.js';
import { createX64Machine, type Machine } from '../src/machine/index.js';
import { openCrashDumpWriter } from '../src/dump/writer/index.js';
import {
  type BenchResult,
  finite,
  fmt,
  GiB,
  median,
  MiB,
  ratioLine,
  timed,
  timedCommand,
  type Timing,
} from './measure.js';

const PAGE = 0x1000;
/** Share of RAM handed to the kernel (kernel dumps carry these frames); the rest goes to user processes. */
const KERNEL_SHARE = 0.5;

interface DumpRun {
  bytes: number;
  writer: Timing;
  dd: Timing;
}

interface ChildReport {
  memoryMiB: number;
  populatedPages: number;
  writePages: Timing;
  populateTotalMs: number;
  freshFill: Timing & { bytes: number };
  adopt: AdoptReport;
  rssBeforeMiB: number;
  maxRssBeforeMiB: number;
  maxRssAfterMiB: number;
  /** Highest RSS sampled while the dumps were written, minus the RSS before. */
  rssGrowthMiB: number;
  dumps: Record<'kernel' | 'complete', { silent: DumpRun[]; reporting: DumpRun }>;
}

export async function runWriterBench(options: { quick: boolean }): Promise<BenchResult> {
  const memoryMiB = options.quick ? 1024 : 4096;
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', self, '--child', String(memoryMiB), options.quick ? '3' : '2'],
    {
      cwd: path.resolve(path.dirname(self), '..'),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 16 * MiB,
    },
  );
  if (r.status !== 0) throw new Error(`writer benchmark child failed (status ${r.status})`);
  const child = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as ChildReport;
  return report(child);
}

function report(c: ChildReport): BenchResult {
  const gib = (c.populatedPages * PAGE) / GiB;
  const populateCpuMsPerGiB = c.writePages.cpuMs / gib;
  const freshCpuMsPerGiB = c.freshFill.cpuMs / (c.freshFill.bytes / GiB);
  const lines = [
    `machine: ${c.memoryMiB} MiB of RAM, ${c.populatedPages.toLocaleString('en-US')} pages populated (${fmt(gib, 2)} GiB), ${KERNEL_SHARE * 100}% kernel-owned; temp dir ${os.tmpdir()}`,
    ratioLine(
      'populate (PhysicalMemory.writePages, CPU per GiB)',
      populateCpuMsPerGiB,
      'fresh-memory fill',
      freshCpuMsPerGiB,
      'ms',
      populateCpuMsPerGiB / freshCpuMsPerGiB,
      `(wall ${fmt(c.writePages.wallMs / gib, 0)} ms/GiB; the whole populate incl. frame allocation ${fmt(c.populateTotalMs / gib, 0)} ms/GiB)`,
    ),
  ];
  const adoptGib = (c.adopt.pages * PAGE) / GiB;
  const adoptCpuMsPerGiB = c.adopt.adoptPages.cpuMs / adoptGib;
  const callerFillMsPerGiB = c.adopt.callerFill.cpuMs / adoptGib;
  lines.push(
    ratioLine(
      'populate zero-copy (PhysicalMemory.adoptPages, CPU per GiB)',
      adoptCpuMsPerGiB,
      'writePages above',
      populateCpuMsPerGiB,
      'ms',
      adoptCpuMsPerGiB / populateCpuMsPerGiB,
      `(${fmt(populateCpuMsPerGiB / adoptCpuMsPerGiB, 0)}× faster; ${fmt(adoptGib, 2)} GiB side machine; the caller's own fill of the buffers it hands over ${fmt(callerFillMsPerGiB, 0)} ms/GiB, ${fmt(callerFillMsPerGiB / freshCpuMsPerGiB, 2)}× the fresh-memory fill)`,
    ),
  );
  const figures: Record<string, number | null> = {
    writerMachineGiB: finite(c.memoryMiB / 1024),
    populateMsPerGiB: finite(populateCpuMsPerGiB),
    populateWallMsPerGiB: finite(c.writePages.wallMs / gib),
    populateVsFreshFill: finite(populateCpuMsPerGiB / freshCpuMsPerGiB),
    freshFillMsPerGiB: finite(freshCpuMsPerGiB),
    adoptMsPerGiB: finite(adoptCpuMsPerGiB),
    adoptVsWritePages: finite(adoptCpuMsPerGiB / populateCpuMsPerGiB),
    adoptCallerFillMsPerGiB: finite(callerFillMsPerGiB),
  };
  for (const kind of ['kernel', 'complete'] as const) {
    const { silent, reporting } = c.dumps[kind];
    const mibps = (bytes: number, t: Timing): number => bytes / MiB / (t.wallMs / 1000);
    const ratios = silent.map((d) => mibps(d.bytes, d.writer) / mibps(d.bytes, d.dd));
    const cpuRatios = silent.map((d) => d.writer.cpuMs / d.dd.cpuMs);
    const ours = median(silent.map((d) => mibps(d.bytes, d.writer)));
    const dd = median(silent.map((d) => mibps(d.bytes, d.dd)));
    const ratio = median(ratios);
    const name = kind === 'kernel' ? 'Kernel' : 'Complete';
    const bytes = silent[0]?.bytes ?? 0;
    lines.push(
      ratioLine(
        `${kind} dump ${fmt(bytes / MiB, 0)} MiB (median of ${silent.length} alternating pairs)`,
        ours,
        'dd conv=fdatasync',
        dd,
        'MiB/s',
        ratio,
        `(pairs ${ratios.map((x) => fmt(x, 2)).join(', ')}; CPU ours ${fmt(median(silent.map((d) => d.writer.cpuMs)), 0)} ms vs dd ${fmt(median(silent.map((d) => d.dd.cpuMs)), 0)} ms = ${fmt(median(cpuRatios), 2)}×)`,
      ),
      ratioLine(
        `${kind} dump with a DumpIo listener (every write assembled in one buffer)`,
        mibps(reporting.bytes, reporting.writer),
        'dd next to it',
        mibps(reporting.bytes, reporting.dd),
        'MiB/s',
        mibps(reporting.bytes, reporting.writer) / mibps(reporting.bytes, reporting.dd),
        `(CPU ${fmt(reporting.writer.cpuMs, 0)} ms)`,
      ),
    );
    figures[`writer${name}VsDd`] = finite(ratio);
    figures[`writer${name}MiBps`] = finite(ours);
    figures[`writer${name}DdMiBps`] = finite(dd);
    figures[`writer${name}CpuVsDd`] = finite(median(cpuRatios));
    figures[`writer${name}ReportingVsDd`] = finite(
      mibps(reporting.bytes, reporting.writer) / mibps(reporting.bytes, reporting.dd),
    );
  }
  lines.push(
    `writer memory: RSS ${fmt(c.rssBeforeMiB, 0)} MiB before the dumps, at most +${fmt(c.rssGrowthMiB, 1)} MiB while writing (maxRSS ${fmt(c.maxRssBeforeMiB, 0)} → ${fmt(c.maxRssAfterMiB, 0)} MiB)`,
  );
  figures.writerRssGrowthMiB = finite(c.rssGrowthMiB);
  return { figures, lines };
}

/** Fresh 1 MiB typed arrays filled from a source: the cost of committing `bytes` of new memory. */
function freshFill(bytes: number): Timing & { bytes: number } {
  const source = new Uint8Array(MiB).fill(0x5a);
  const t = timed(() => {
    const keep: Uint8Array[] = [];
    for (let done = 0; done < bytes; done += MiB) {
      const block = new Uint8Array(MiB);
      block.set(source);
      keep.push(block);
    }
    return keep.length;
  });
  return { wallMs: t.wallMs, cpuMs: t.cpuMs, bytes };
}

/** Fills every RAM page it can allocate: KERNEL_SHARE of them owned 'kernel', the rest 'user', up to 2 MiB at a time. */
function populate(machine: Machine): { pages: number; writePages: Timing } {
  const physical = machine.physical;
  const batch = 512;
  const data = new Uint8Array(batch * PAGE);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31 + 7) & 0xff;
  const view = new DataView(data.buffer);
  const kernelTarget = Math.floor(Number(physical.totalPages) * KERNEL_SHARE);
  let pages = 0;
  const spent: Timing = { wallMs: 0, cpuMs: 0 };
  const fill = (owner: 'kernel' | 'user', count: number): void => {
    let left = count;
    let n = batch;
    while (left > 0 && n > 0) {
      n = Math.min(n, left);
      let first: bigint;
      try {
        first = physical.allocateContiguousFrames(n, owner);
      } catch {
        n >>= 1; // the ends of runs: smaller blocks
        continue;
      }
      // Each page starts with its PFN, so a misplaced page cannot look right.
      for (let k = 0; k < n; k++) view.setBigUint64(k * PAGE, first + BigInt(k), true);
      const t = timed(() => physical.writePages(first, data.subarray(0, n * PAGE)));
      spent.wallMs += t.wallMs;
      spent.cpuMs += t.cpuMs;
      pages += n;
      left -= n;
    }
  };
  fill('kernel', kernelTarget - physical.populatedCount);
  fill('user', Number(physical.totalPages));
  return { pages, writePages: spent };
}

interface AdoptReport {
  pages: number;
  /** PhysicalMemory.adoptPages alone. */
  adoptPages: Timing;
  /** The caller making the buffers it hands over (fresh memory, the same pattern as populate's). */
  callerFill: Timing;
}

/**
 * Zero-copy population on a side machine of `memoryMiB`: the caller fills fresh
 * 2 MiB buffers and hands them to `adoptPages`, timed apart, so what the machine
 * itself costs per GiB is seen beside `writePages`'s copy.
 */
function adoptPopulate(memoryMiB: number): AdoptReport {
  const machine = createX64Machine({ memoryBytes: BigInt(memoryMiB) * BigInt(MiB), seed: 2 });
  const physical = machine.physical;
  const batch = 512;
  const adopt: Timing = { wallMs: 0, cpuMs: 0 };
  const callerFill: Timing = { wallMs: 0, cpuMs: 0 };
  let pages = 0;
  let lastAdopted = -1n;
  let n = batch;
  while (n > 0) {
    let first: bigint;
    try {
      // Chunk-aligned blocks, as a caller wanting zero-copy adoption allocates them (whole 1 MiB chunks become views).
      first = physical.allocateContiguousFrames(n, 'kernel', Math.min(n, 256));
    } catch {
      n >>= 1;
      continue;
    }
    const count = n;
    const f = timed(() => {
      const data = new Uint8Array(count * PAGE);
      for (let k = 0; k < data.length; k += 8) data[k] = k & 0xff;
      const view = new DataView(data.buffer);
      for (let k = 0; k < count; k++) view.setBigUint64(k * PAGE, first + BigInt(k), true);
      return data;
    });
    const data = f.value;
    callerFill.wallMs += f.wallMs;
    callerFill.cpuMs += f.cpuMs;
    const t = timed(() => physical.adoptPages(first, data));
    adopt.wallMs += t.wallMs;
    adopt.cpuMs += t.cpuMs;
    pages += count;
    lastAdopted = first + BigInt(count - 1);
  }
  // The adopted bytes are what the machine reads back: each page starts with its PFN.
  if (lastAdopted < 0n) throw new Error('adopted population: no frame could be allocated');
  const probe = physical.readPage(lastAdopted);
  if (new DataView(probe.buffer, probe.byteOffset, 8).getBigUint64(0, true) !== lastAdopted)
    throw new Error(`adopted population: frame 0x${lastAdopted.toString(16)} does not read back its bytes`);
  return { pages, adoptPages: adopt, callerFill };
}

function plan(machine: Machine, kind: CrashDumpKind, file: string): CrashDumpPlan {
  const cpu = machine.processors[0]!;
  return {
    settings: { kind, completeFormat: 'bitmap', path: file, ioChunkBytes: 0x100000 },
    bugCheck: { code: 0xe2, parameters: [0n, 0n, 0n, 0n] },
    processorIndex: 0,
    context: {
      ...cpu.context,
      ContextFlags: CONTEXT_ALL,
      MxCsr: 0x1f80,
      Rip: machine.symbols.KeBugCheckEx,
      Rsp: cpu.stackBase - 0x400n,
    },
    exception: {
      ExceptionCode: 0x80000003,
      ExceptionFlags: 1,
      ExceptionRecord: 0n,
      ExceptionAddress: machine.symbols.KeBugCheckEx,
      NumberParameters: 0,
      ExceptionInformation: Array.from({ length: 15 }, () => 0n),
    },
    addedPages: new Set(),
    removedPages: new Set(),
    triageRanges: [],
    secondaryDataSizeEstimate: 0,
  };
}

function child(memoryMiB: number, pairs: number): void {
  const log = (line: string): void => void process.stderr.write(`  [writer bench] ${line}\n`);
  const gc = (globalThis as { gc?: () => void }).gc;
  const fresh = freshFill(Math.min(memoryMiB, 1024) * MiB);
  gc?.();
  const t0 = performance.now();
  const machine = createX64Machine({ memoryBytes: BigInt(memoryMiB) * BigInt(MiB), seed: 1 });
  const populated = populate(machine);
  const populateTotalMs = performance.now() - t0;
  gc?.();
  log(`populated ${populated.pages} pages`);
  const rssBefore = process.memoryUsage.rss();
  const maxRssBeforeMiB = process.resourceUsage().maxRSS / 1024;
  let rssPeak = rssBefore;
  const sampleRss = (): void => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bugcheck-writer-bench-'));
  try {
    const writeOnce = (kind: CrashDumpKind, io: DumpIoListener): { bytes: number; timing: Timing } => {
      const file = path.join(dir, `${kind}.dmp`);
      let progressCalls = 0;
      const t = timed(() => {
        const session = openCrashDumpWriter(machine, plan(machine, kind, file), io);
        session.writePrimary(() => {
          if (++progressCalls % 64 === 0) sampleRss();
        });
        return session.complete();
      });
      sampleRss();
      fs.rmSync(file, { force: true });
      return { bytes: Number(t.value.fileSize), timing: { wallMs: t.wallMs, cpuMs: t.cpuMs } };
    };
    const ddOnce = (bytes: number): Timing => {
      const file = path.join(dir, 'dd.bin');
      const t = timedCommand('dd', [
        'if=/dev/zero',
        `of=${file}`,
        'bs=1M',
        `count=${Math.ceil(bytes / MiB)}`,
        'conv=fdatasync',
        'status=none',
      ]);
      fs.rmSync(file, { force: true });
      return t;
    };
    // This kind of VM backs guest memory on its first touch: the first large file write of a process pays
    // seconds of kernel CPU for page cache, whoever makes it. One untimed dd of the machine's size goes
    // first, so neither side of the first pair pays it.
    const warm = ddOnce(memoryMiB * MiB);
    log(`warm-up: dd of ${memoryMiB} MiB, ${fmt(warm.wallMs, 0)} ms (not counted)`);
    const dumps = {} as ChildReport['dumps'];
    for (const kind of ['kernel', 'complete'] as const) {
      const silent: DumpRun[] = [];
      for (let i = 0; i < pairs; i++) {
        // Alternate who goes first, so neither always meets the other's dirty pages.
        if (i % 2 === 0) {
          const w = writeOnce(kind, SILENT_DUMP_IO_LISTENER);
          silent.push({ bytes: w.bytes, writer: w.timing, dd: ddOnce(w.bytes) });
        } else {
          const dd = ddOnce(silent[0]!.bytes);
          const w = writeOnce(kind, SILENT_DUMP_IO_LISTENER);
          silent.push({ bytes: w.bytes, writer: w.timing, dd });
        }
        log(
          `${kind} pair ${i + 1}: writer ${fmt(silent[i]!.writer.wallMs, 0)} ms, dd ${fmt(silent[i]!.dd.wallMs, 0)} ms`,
        );
      }
      const wanting: DumpIoListener = (_type, _offset, data) => void data;
      const w = writeOnce(kind, wanting);
      dumps[kind] = { silent, reporting: { bytes: w.bytes, writer: w.timing, dd: ddOnce(w.bytes) } };
    }
    const adopt = adoptPopulate(Math.min(memoryMiB, 1024));
    log(`adopted ${adopt.pages} pages on a side machine`);
    const report: ChildReport = {
      adopt,
      memoryMiB,
      populatedPages: populated.pages,
      writePages: populated.writePages,
      populateTotalMs,
      freshFill: fresh,
      rssBeforeMiB: rssBefore / MiB,
      maxRssBeforeMiB,
      maxRssAfterMiB: process.resourceUsage().maxRSS / 1024,
      rssGrowthMiB: (rssPeak - rssBefore) / MiB,
      dumps,
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--child') {
    child(Number(process.argv[3]), Number(process.argv[4] ?? 2));
  } else {
    const result = await runWriterBench({ quick: process.argv.includes('--quick') });
    for (const line of result.lines) console.log(line);
  }
}
