/**
 * Fleet triage: `bugcheck bucket` over a generated corpus of small dumps
 * (test/fleet/corpus.ts: base dumps from scenarios — 7 drivers, 5 bug check
 * codes, several faulting functions — and header-patched copies with other
 * parameters and SystemTimes), single-threaded (--jobs 1) and on two worker
 * threads (--jobs 2), each run a separate process of the built CLI timed by
 * /usr/bin/time (wall, CPU, peak RSS), in rounds whose order alternates.
 *
 * Anchors in the same run: two --jobs 1 processes at once, each on half the
 * corpus (what two independent threads get on this machine at this moment:
 * the ceiling of any parallel bucket), `cat` of every file, `node -e 0`.
 *
 * On Linux each run also records CPU time per thread (/proc/thread-self/stat,
 * from a preload the bench writes to a temp folder): the main thread, the
 * workers (sampled after each answer they post), and the rest of the process
 * (V8's compiler and GC helper threads), so the per-dump cost of each part is
 * printed whatever the load. The wall-time ratio needs two otherwise idle
 * cores; on a shared machine the CPU figures are the ones to compare.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCorpus } from '../test/fleet/corpus.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LAUNCHER = join(ROOT, 'bin', 'bugcheck.cjs');
const CORPUS_VERSION = 1;

/** Records this thread's CPU (utime, stime in clock ticks) into THREAD_CPU_DIR/<pid>-<threadId>. */
const THREAD_CPU_PRELOAD = `'use strict';
const fs = require('node:fs');
const wt = require('node:worker_threads');
const dir = process.env.BUGCHECK_BENCH_THREAD_CPU;
if (dir && fs.existsSync('/proc/thread-self/stat')) {
  const file = dir + '/' + process.pid + '-' + wt.threadId;
  const sample = () => {
    const s = fs.readFileSync('/proc/thread-self/stat', 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    fs.writeFileSync(file, f[11] + ' ' + f[12] + '\\n');
  };
  if (wt.isMainThread) process.on('exit', sample);
  else if (wt.parentPort) {
    const post = wt.parentPort.postMessage;
    wt.parentPort.postMessage = function (...args) { const r = post.apply(this, args); sample(); return r; };
  }
}
`;

interface Timed {
  wall: number;
  cpu: number;
  rssMiB: number;
  stdout: string;
  /** CPU seconds of the main thread and of each worker (null where /proc/thread-self is missing). */
  main: number | null;
  workers: number[];
}

const TIME_FORMAT = ['-f', '@@time %e %U %S %M'];

function parseTime(stderr: string, what: string): { wall: number; cpu: number; rssMiB: number } {
  const m = /@@time ([0-9.]+) ([0-9.]+) ([0-9.]+) (\d+)\s*$/.exec(stderr);
  if (m === null) throw new Error(`could not time ${what}: ${stderr.slice(-500)}`);
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssMiB: Number(m[4]) / 1024 };
}

/** CPU seconds per thread from the preload's files (clock ticks of 10 ms). */
async function threadCpu(dir: string): Promise<{ main: number | null; workers: number[] }> {
  const names = readdirSync(dir);
  let main: number | null = null;
  const workers: number[] = [];
  for (const name of names) {
    const [utime, stime] = (await readFile(join(dir, name), 'utf8')).trim().split(' ').map(Number);
    const seconds = ((utime ?? 0) + (stime ?? 0)) / 100;
    if (name.endsWith('-0')) main = seconds;
    else workers.push(seconds);
  }
  return { main, workers };
}

/** One `bugcheck bucket` process, timed, with its CPU per thread. */
async function bucketRun(paths: string[], jobs: number, preload: string): Promise<Timed> {
  const dir = await mkdtemp(join(tmpdir(), 'bugcheck-bench-threads-'));
  try {
    const r = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(
        '/usr/bin/time',
        [
          ...TIME_FORMAT,
          process.execPath,
          '-r',
          preload,
          LAUNCHER,
          'bucket',
          ...paths,
          '--json',
          '--jobs',
          String(jobs),
        ],
        { env: { ...process.env, NO_COLOR: '1', BUGCHECK_BENCH_THREAD_CPU: dir } },
      );
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', reject);
      child.on('close', () =>
        resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
      );
    });
    return { ...parseTime(r.stderr, `bucket --jobs ${jobs}`), stdout: r.stdout, ...(await threadCpu(dir)) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function timedCommand(command: string, args: string[]): { wall: number; cpu: number } {
  const r = spawnSync('/usr/bin/time', [...TIME_FORMAT, command, ...args], { encoding: 'utf8' });
  return parseTime(r.stderr, command);
}

async function corpus(count: number): Promise<{ dir: string; seconds: number; reused: boolean }> {
  const dir = join(tmpdir(), `bugcheck-fleet-corpus-v${CORPUS_VERSION}-${count}`);
  const marker = join(dir, '.complete');
  if (existsSync(marker) && (await readFile(marker, 'utf8')) === String(count))
    return { dir, seconds: 0, reused: true };
  await rm(dir, { recursive: true, force: true });
  const started = performance.now();
  await writeCorpus(dir, count);
  await writeFile(marker, String(count));
  return { dir, seconds: (performance.now() - started) / 1000, reused: false };
}

/** The corpus's sub-folders in two lists of about the same number of files. */
function halves(dir: string): [string[], string[]] {
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => ({ path: join(dir, e.name), files: readdirSync(join(dir, e.name)).length }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  const total = folders.reduce((n, f) => n + f.files, 0);
  const a: string[] = [];
  const b: string[] = [];
  let inA = 0;
  for (const f of folders) {
    if (inA < total / 2) {
      a.push(f.path);
      inA += f.files;
    } else b.push(f.path);
  }
  return [a, b];
}

/** The newest modification time of a TypeScript source under a folder (is dist/ older than the sources?). */
function newest(folder: string): number {
  let latest = 0;
  for (const e of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, e.name);
    if (e.isDirectory()) latest = Math.max(latest, newest(path));
    else if (e.name.endsWith('.ts')) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

export async function runFleetBench(options: {
  quick: boolean;
}): Promise<{ figures: Record<string, number | null>; lines: string[] }> {
  const count = options.quick ? 2_000 : 10_000;
  const rounds = options.quick ? 1 : 3;
  const lines: string[] = [];
  const loadBefore = loadavg()[0]!;
  const bundle = join(ROOT, 'dist', 'cli', 'bucket.cjs');
  if (!existsSync(bundle) || statSync(bundle).mtimeMs < newest(join(ROOT, 'src'))) {
    // What an installed copy runs (npm install builds dist/ through prepare); rebuilt when a source is newer.
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr.slice(-2000)}`);
    lines.push('built dist/ first (npm run build): the measured CLI is the compiled one, as installed');
  }
  const { dir, seconds, reused } = await corpus(count);
  lines.push(
    `corpus: ${count} small dumps (${(statSync(join(dir, '000', readdirSync(join(dir, '000'))[0]!)).size / 1024).toFixed(0)} KiB each) in ${dir} (${reused ? 'reused' : `written in ${seconds.toFixed(1)} s`}); the built CLI (dist/cli/bucket.cjs)`,
  );
  const work = await mkdtemp(join(tmpdir(), 'bugcheck-bench-fleet-'));
  const preload = join(work, 'threadCpu.cjs');
  await writeFile(preload, THREAD_CPU_PRELOAD);
  const nodeStart = timedCommand(process.execPath, ['-e', '0']);
  const cat = timedCommand('/bin/sh', ['-c', `find '${dir}' -name '*.dmp' -print0 | xargs -0 cat > /dev/null`]);
  const [halfA, halfB] = halves(dir);
  const runs: { 1: Timed[]; 2: Timed[]; halves: { wall: number; cpu: number; rssMiB: number; main: number[] }[] } = {
    1: [],
    2: [],
    halves: [],
  };
  try {
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? (['1', 'halves', '2'] as const) : (['2', 'halves', '1'] as const);
      for (const what of order) {
        if (what === 'halves') {
          const started = performance.now();
          const [a, b] = await Promise.all([bucketRun(halfA, 1, preload), bucketRun(halfB, 1, preload)]);
          runs.halves.push({
            wall: (performance.now() - started) / 1000,
            cpu: a.cpu + b.cpu,
            rssMiB: a.rssMiB + b.rssMiB,
            main: [a.main, b.main].filter((m): m is number => m !== null),
          });
        } else runs[what === '1' ? 1 : 2].push(await bucketRun([dir], what === '1' ? 1 : 2, preload));
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const reference = runs[1][0]!.stdout;
  const same = [...runs[1], ...runs[2]].every((r) => r.stdout === reference);
  const buckets = (JSON.parse(reference) as { buckets: unknown[] }).buckets.length;

  const wall1 = median(runs[1].map((r) => r.wall));
  const wall2 = median(runs[2].map((r) => r.wall));
  const wallHalves = median(runs.halves.map((r) => r.wall));
  const cpu1 = median(runs[1].map((r) => r.cpu));
  const cpu2 = median(runs[2].map((r) => r.cpu));
  const cpuHalves = median(runs.halves.map((r) => r.cpu));
  const perDump = (seconds: number | null): number | null => (seconds === null ? null : (seconds / count) * 1000);
  const threads = runs[1].every((r) => r.main !== null) && runs[2].every((r) => r.main !== null);
  const main1 = threads ? median(runs[1].map((r) => r.main!)) : null;
  const main2 = threads ? median(runs[2].map((r) => r.main!)) : null;
  const workers2 = threads ? median(runs[2].map((r) => sum(r.workers))) : null;
  const other1 = threads ? median(runs[1].map((r) => r.cpu - r.main!)) : null;
  const other2 = threads ? median(runs[2].map((r) => r.cpu - r.main! - sum(r.workers))) : null;
  const mainHalves = threads ? median(runs.halves.map((r) => sum(r.main))) : null;
  const loadAfter = loadavg()[0]!;

  const figures: Record<string, number | null> = {
    fleetDumps: count,
    fleetBuckets: buckets,
    fleetSameBuckets: same ? 1 : 0,
    fleetJobs1DumpsPerSecond: count / wall1,
    fleetJobs2DumpsPerSecond: count / wall2,
    fleetHalvesDumpsPerSecond: count / wallHalves,
    fleetParallelSpeedup: wall1 / wall2,
    fleetHalvesSpeedup: wall1 / wallHalves,
    fleetJobs1CpuSeconds: cpu1,
    fleetJobs2CpuSeconds: cpu2,
    fleetHalvesCpuSeconds: cpuHalves,
    // The speed-up two otherwise idle cores would give: the single run's CPU time against half the parallel run's.
    fleetCpuBoundSpeedup: (2 * cpu1) / cpu2,
    fleetJobs1MainMsPerDump: perDump(main1),
    fleetJobs1OtherThreadsMsPerDump: perDump(other1),
    fleetJobs2MainMsPerDump: perDump(main2),
    fleetJobs2WorkersMsPerDump: perDump(workers2),
    fleetJobs2OtherThreadsMsPerDump: perDump(other2),
    fleetHalvesMainMsPerDump: perDump(mainHalves),
    fleetJobs1PeakRssMiB: Math.max(...runs[1].map((r) => r.rssMiB)),
    fleetJobs2PeakRssMiB: Math.max(...runs[2].map((r) => r.rssMiB)),
    fleetCatSeconds: cat.wall,
    fleetNodeStartSeconds: nodeStart.wall,
    fleetLoadAverage: (loadBefore + loadAfter) / 2,
  };
  const f2 = (n: number | null): string => (n === null ? 'n/a' : n.toFixed(2));
  const row = (label: string, rs: { wall: number; cpu: number; rssMiB: number }[], rss: string): string => {
    const walls = rs.map((x) => x.wall);
    return `${label}: ${(count / median(walls)).toFixed(0)} dumps/s by wall (median ${median(walls).toFixed(2)} s, min ${Math.min(...walls).toFixed(2)} s) | CPU ${median(rs.map((x) => x.cpu)).toFixed(2)} s (${((median(rs.map((x) => x.cpu)) / count) * 1000).toFixed(3)} ms/dump) | peak RSS ${rss}`;
  };
  const autogroup = existsSync('/proc/sys/kernel/sched_autogroup_enabled')
    ? readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1'
    : false;
  lines.push(
    `runs: ${rounds} rounds of --jobs 1, two halves at once, --jobs 2 (order alternating); figures are medians`,
    row('--jobs 1              ', runs[1], `${figures.fleetJobs1PeakRssMiB!.toFixed(0)} MiB`),
    row('--jobs 2              ', runs[2], `${figures.fleetJobs2PeakRssMiB!.toFixed(0)} MiB`),
    row(
      'anchor: 2 × half, at once',
      runs.halves,
      `${Math.max(...runs.halves.map((r) => r.rssMiB)).toFixed(0)} MiB together`,
    ),
    `WALL speed-up --jobs 2 / --jobs 1: ${figures.fleetParallelSpeedup!.toFixed(2)}× (target ≥ 1.7×) | anchor, two independent halves: ${figures.fleetHalvesSpeedup!.toFixed(2)}× | --jobs 2 reaches ${((wallHalves / wall2) * 100).toFixed(0)}% of the anchor`,
    `CPU  speed-up (two idle cores: 2 × CPU(--jobs 1) / CPU(--jobs 2)): ${figures.fleetCpuBoundSpeedup!.toFixed(2)}× | anchor: ${((2 * cpu1) / cpuHalves).toFixed(2)}×`,
    threads
      ? `CPU per dump by thread, ms: --jobs 1 main ${f2(figures.fleetJobs1MainMsPerDump!)} + other threads ${f2(figures.fleetJobs1OtherThreadsMsPerDump!)} (V8 compiler, GC) | --jobs 2 main ${f2(figures.fleetJobs2MainMsPerDump!)} + workers ${f2(figures.fleetJobs2WorkersMsPerDump!)} + other ${f2(figures.fleetJobs2OtherThreadsMsPerDump!)} | halves' main threads ${f2(figures.fleetHalvesMainMsPerDump!)}`
      : 'CPU per thread: not measured (no /proc/thread-self)',
    `${buckets} buckets, the same with --jobs 1 and --jobs 2: ${same ? 'yes' : 'NO'}`,
    `anchors: cat of every file ${cat.wall.toFixed(2)} s; node -e 0 ${nodeStart.wall.toFixed(2)} s; load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} (2 cores)${autogroup ? '; the scheduler shares CPU between sessions (autogroup), so on a busy machine a second thread adds little wall-time speed: compare the CPU lines' : ''}`,
  );
  return { figures, lines };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const report = await runFleetBench({ quick: process.argv.includes('--quick') });
  for (const line of report.lines) console.log(line);
}
