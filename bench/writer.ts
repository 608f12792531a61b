/**
 * Dump writer benchmark: writes kernel and complete dumps of a fully
 * populated machine to os.tmpdir(), compares the throughput with
 * `dd if=/dev/zero bs=1M conv=fsync` for the same byte count, and records
 * peak RSS for two machine sizes to show the writer's own memory does not
 * grow with the machine. Each machine size runs in a fresh child process so
 * its maxRSS is its own; dd runs from that child right after each dump, while
 * the machine is still in memory, so both face the same page-cache pressure.
 * Every file written is deleted.
 *
 *   node --import tsx bench/writer.ts            (1 GiB and 4 GiB)
 *   node --import tsx bench/writer.ts 256 1024   (sizes in MiB)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CONTEXT_ALL } from '../src/format/index.js';
import type { CrashDumpKind, CrashDumpPlan } from '../src/kernel/crashDumpTarget.js';
import { createX64Machine, type Machine } from '../src/machine/index.js';
import { openCrashDumpWriter } from '../src/dump/writer/index.js';

const MiB = 1024 * 1024;
const PAGE = 0x1000;
/** Share of RAM handed to the kernel (kernel dumps carry these frames); the rest goes to user processes. */
const KERNEL_SHARE = 0.5;

export interface WriterBenchDump {
  kind: CrashDumpKind;
  bytes: number;
  seconds: number;
  mbPerSecond: number; // MiB/s
  ddSeconds: number;
  ddMbPerSecond: number;
  /** Plain fs.writeSync of one reused 1 MiB buffer, same byte count, then fsync: Node's own I/O ceiling. */
  rawSeconds: number;
  rawMbPerSecond: number;
  /** process maxRSS (KiB) after this dump was written. */
  maxRssKiB: number;
}

export interface WriterBenchMachine {
  memoryMiB: number;
  populatedPages: number;
  populateSeconds: number;
  /** maxRSS (KiB) once the machine is built and populated, before any dump. */
  baselineMaxRssKiB: number;
  dumps: WriterBenchDump[];
  /** maxRSS growth caused by writing the dumps (KiB): the writer's own peak memory. */
  writerRssGrowthKiB: number;
}

export interface WriterBenchReport {
  machines: WriterBenchMachine[];
  lines: string[];
}

interface ChildResult {
  memoryMiB: number;
  populatedPages: number;
  populateSeconds: number;
  baselineMaxRssKiB: number;
  dumps: WriterBenchDump[];
}

/** Runs the benchmark for each machine size (MiB) and returns (and logs) the results. */
export function benchWriter(options: { sizesMiB?: number[]; log?: (line: string) => void } = {}): WriterBenchReport {
  const sizes = options.sizesMiB ?? [1024, 4096];
  const log = options.log ?? ((line: string) => console.log(line));
  const machines: WriterBenchMachine[] = [];
  const lines: string[] = [];
  const say = (line: string): void => {
    lines.push(line);
    log(line);
  };

  say(
    `dump writer benchmark (tmpdir ${os.tmpdir()}, machine RAM fully populated, ${KERNEL_SHARE * 100}% of it kernel-owned)`,
  );
  for (const size of sizes) {
    const child = runChild(size);
    const dumps = child.dumps;
    const last = dumps.length ? dumps[dumps.length - 1]!.maxRssKiB : child.baselineMaxRssKiB;
    const m: WriterBenchMachine = { ...child, dumps, writerRssGrowthKiB: last - child.baselineMaxRssKiB };
    machines.push(m);
    say(
      `machine ${size} MiB: ${m.populatedPages} pages populated in ${m.populateSeconds.toFixed(1)} s, maxRSS ${(m.baselineMaxRssKiB / 1024).toFixed(0)} MiB before any dump`,
    );
    for (const d of dumps) {
      say(
        `  ${d.kind.padEnd(8)} ${(d.bytes / MiB).toFixed(0).padStart(6)} MiB in ${d.seconds.toFixed(2)} s = ${d.mbPerSecond.toFixed(0)} MiB/s` +
          ` | dd bs=1M conv=fsync same size: ${d.ddSeconds.toFixed(2)} s = ${d.ddMbPerSecond.toFixed(0)} MiB/s (writer at ${((d.mbPerSecond / d.ddMbPerSecond) * 100).toFixed(0)}% of dd)` +
          ` | plain writeSync+fsync: ${d.rawMbPerSecond.toFixed(0)} MiB/s` +
          ` | maxRSS after ${(d.maxRssKiB / 1024).toFixed(0)} MiB`,
      );
    }
    say(`  maxRSS growth while writing: ${(m.writerRssGrowthKiB / 1024).toFixed(1)} MiB`);
  }
  if (machines.length >= 2) {
    const growth = machines
      .map((m) => `${m.memoryMiB} MiB machine: +${(m.writerRssGrowthKiB / 1024).toFixed(1)} MiB`)
      .join(', ');
    say(`writer peak memory vs machine size: ${growth}`);
  }
  return { machines, lines };
}

function runChild(sizeMiB: number): ChildResult {
  const self = fileURLToPath(import.meta.url);
  const repo = path.resolve(path.dirname(self), '..');
  const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', String(sizeMiB)], {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 16 * MiB,
  });
  if (r.status !== 0) throw new Error(`benchmark child for ${sizeMiB} MiB failed (status ${r.status}): ${r.stderr}`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as ChildResult;
}

function ddSeconds(bytes: number): number {
  const file = path.join(os.tmpdir(), `bugcheck-bench-dd-${process.pid}.bin`);
  const start = performance.now();
  const r = spawnSync('dd', ['if=/dev/zero', `of=${file}`, 'bs=1M', `count=${Math.ceil(bytes / MiB)}`, 'conv=fsync'], {
    encoding: 'utf8',
  });
  const seconds = (performance.now() - start) / 1000;
  fs.rmSync(file, { force: true });
  if (r.status !== 0) throw new Error(`dd failed: ${r.stderr}`);
  return seconds;
}

function rawWriteSeconds(bytes: number): number {
  const file = path.join(os.tmpdir(), `bugcheck-bench-raw-${process.pid}.bin`);
  const buffer = new Uint8Array(MiB).fill(0x5a);
  const start = performance.now();
  const fd = fs.openSync(file, 'w');
  try {
    for (let offset = 0; offset < bytes; offset += MiB)
      fs.writeSync(fd, buffer, 0, Math.min(MiB, bytes - offset), offset);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  const seconds = (performance.now() - start) / 1000;
  fs.rmSync(file, { force: true });
  return seconds;
}

/** Fills every RAM page: KERNEL_SHARE of them owned 'kernel', the rest 'user', 2 MiB at a time. */
function populate(machine: Machine): number {
  const physical = machine.physical;
  const batch = 512;
  const data = new Uint8Array(batch * PAGE);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31 + 7) & 0xff;
  const view = new DataView(data.buffer);
  const kernelTarget = Math.floor(Number(physical.totalPages) * KERNEL_SHARE);
  let populated = 0;
  const fill = (owner: 'kernel' | 'user', count: number): void => {
    let left = count;
    while (left > 0) {
      const n = Math.min(batch, left);
      let first: bigint;
      try {
        first = physical.allocateContiguousFrames(n, owner);
      } catch {
        if (n === 1) return;
        // The end of a run: fall back to single frames.
        for (let k = 0; k < n && left > 0; k++, left--) {
          try {
            populateOne(physical.allocateFrame(owner));
          } catch {
            return;
          }
        }
        continue;
      }
      for (let k = 0; k < n; k++) view.setBigUint64(k * PAGE, first + BigInt(k), true);
      physical.writePages(first, data.subarray(0, n * PAGE));
      populated += n;
      left -= n;
    }
  };
  const single = new Uint8Array(PAGE);
  const populateOne = (pfn: bigint): void => {
    new DataView(single.buffer).setBigUint64(0, pfn, true);
    physical.write(pfn << 12n, single);
    populated++;
  };
  fill('kernel', kernelTarget - physical.populatedCount);
  fill('user', Number(physical.totalPages));
  return populated;
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

function child(sizeMiB: number): void {
  const t0 = performance.now();
  const machine = createX64Machine({ memoryBytes: BigInt(sizeMiB) * BigInt(MiB), seed: 1 });
  const populatedPages = populate(machine);
  const populateSeconds = (performance.now() - t0) / 1000;
  const baselineMaxRssKiB = process.resourceUsage().maxRSS;
  const dumps: ChildResult['dumps'] = [];
  for (const kind of ['kernel', 'complete'] as const) {
    const file = path.join(os.tmpdir(), `bugcheck-bench-${kind}-${process.pid}.dmp`);
    try {
      const start = performance.now();
      const session = openCrashDumpWriter(machine, plan(machine, kind, file), () => {});
      session.writePrimary();
      const summary = session.complete();
      const seconds = (performance.now() - start) / 1000;
      const bytes = Number(summary.fileSize);
      const maxRssKiB = process.resourceUsage().maxRSS;
      fs.rmSync(file, { force: true });
      // dd runs from here, with the machine still resident, so both see the same memory pressure on the page cache.
      const dd = ddSeconds(bytes);
      const raw = rawWriteSeconds(bytes);
      dumps.push({
        kind,
        bytes,
        seconds,
        mbPerSecond: bytes / MiB / seconds,
        ddSeconds: dd,
        ddMbPerSecond: bytes / MiB / dd,
        rawSeconds: raw,
        rawMbPerSecond: bytes / MiB / raw,
        maxRssKiB,
      });
    } finally {
      fs.rmSync(file, { force: true });
    }
  }
  process.stdout.write(
    `${JSON.stringify({ memoryMiB: sizeMiB, populatedPages, populateSeconds, baselineMaxRssKiB, dumps } satisfies ChildResult)}\n`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--child') {
    child(Number(process.argv[3]));
  } else {
    const sizes = process.argv
      .slice(2)
      .map(Number)
      .filter((n) => Number.isFinite(n) && n > 0);
    benchWriter(sizes.length ? { sizesMiB: sizes } : {});
  }
}
