/**
 * Fleet triage: `bugcheck bucket` over a generated corpus of small dumps
 * (test/fleet/corpus.ts: base dumps from scenarios — 7 drivers, 5 bug check
 * codes, several faulting functions — and header-patched copies with other
 * parameters and SystemTimes), single-threaded (--jobs 1) and on two worker
 * threads (--jobs 2), each run a separate process timed by /usr/bin/time
 * (wall, CPU, peak RSS), in alternating pairs. Anchors in the same run:
 * `cat` of every file (reading the bytes), `node -e 0` (a process start).
 * The corpus is written once under the temp folder and reused.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCorpus } from '../test/fleet/corpus.js';

const LAUNCHER = fileURLToPath(new URL('../bin/bugcheck.cjs', import.meta.url));
const CORPUS_VERSION = 1;

interface Timed {
  wall: number;
  cpu: number;
  rssMiB: number;
  stdout: string;
}

/** Runs a command under /usr/bin/time; wall and CPU seconds, peak RSS. */
function timed(command: string, args: string[]): Timed {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const last = r.stderr.trim().split('\n').at(-1) ?? '';
  const [wall, user, system, rss] = last.split(' ').map(Number);
  if (wall === undefined || Number.isNaN(wall)) throw new Error(`could not time ${command}: ${r.stderr}`);
  return { wall, cpu: (user ?? 0) + (system ?? 0), rssMiB: (rss ?? 0) / 1024, stdout: r.stdout };
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

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

export async function runFleetBench(options: {
  quick: boolean;
}): Promise<{ figures: Record<string, number>; lines: string[] }> {
  const count = options.quick ? 2_000 : 10_000;
  const pairs = options.quick ? 1 : 3;
  const lines: string[] = [];
  const loadBefore = loadavg()[0]!;
  const root = join(LAUNCHER, '..', '..');
  if (!existsSync(join(root, 'dist'))) {
    // What an installed copy runs (npm install builds dist/ through prepare); from the sources every worker
    // would first compile the analyzer through tsx.
    spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
    lines.push('built dist/ first (npm run build): the measured CLI is the compiled one, as installed');
  }
  const { dir, seconds, reused } = await corpus(count);
  lines.push(
    `corpus: ${count} small dumps in ${dir} (${reused ? 'reused' : `written in ${seconds.toFixed(1)} s`}); launcher ${existsSync(join(root, 'dist')) ? 'dist (built)' : 'tsx (sources)'}`,
  );
  const nodeStart = timed(process.execPath, ['-e', '0']);
  const cat = timed('/bin/sh', ['-c', `find '${dir}' -name '*.dmp' -print0 | xargs -0 cat > /dev/null`]);
  const runs: Record<1 | 2, Timed[]> = { 1: [], 2: [] };
  for (let p = 0; p < pairs; p++) {
    for (const jobs of [1, 2] as const)
      runs[jobs].push(timed(process.execPath, [LAUNCHER, 'bucket', dir, '--json', '--jobs', String(jobs)]));
  }
  const same =
    runs[1].every((r) => r.stdout === runs[2][0]!.stdout) && runs[2].every((r) => r.stdout === runs[2][0]!.stdout);
  const buckets = (JSON.parse(runs[1][0]!.stdout) as { buckets: unknown[] }).buckets.length;
  const wall1 = Math.min(...runs[1].map((r) => r.wall));
  const wall2 = Math.min(...runs[2].map((r) => r.wall));
  const figures: Record<string, number> = {
    fleetDumps: count,
    fleetBuckets: buckets,
    fleetSameBuckets: same ? 1 : 0,
    fleetJobs1DumpsPerSecond: count / wall1,
    fleetJobs2DumpsPerSecond: count / wall2,
    fleetParallelSpeedup: wall1 / wall2,
    fleetJobs1CpuSeconds: median(runs[1].map((r) => r.cpu)),
    // The speed-up two otherwise idle cores would give: the single run's CPU time against half the parallel run's.
    fleetCpuBoundSpeedup: (2 * median(runs[1].map((r) => r.cpu))) / median(runs[2].map((r) => r.cpu)),
    fleetJobs2CpuSeconds: median(runs[2].map((r) => r.cpu)),
    fleetJobs1PeakRssMiB: Math.max(...runs[1].map((r) => r.rssMiB)),
    fleetJobs2PeakRssMiB: Math.max(...runs[2].map((r) => r.rssMiB)),
    fleetCatSeconds: cat.wall,
    fleetNodeStartSeconds: nodeStart.wall,
    fleetLoadAverage: (loadBefore + loadavg()[0]!) / 2,
  };
  const row = (jobs: 1 | 2): string => {
    const r = runs[jobs];
    return `--jobs ${jobs}: ${(count / Math.min(...r.map((x) => x.wall))).toFixed(0)} dumps/s (wall min ${Math.min(...r.map((x) => x.wall)).toFixed(2)} s, median ${median(r.map((x) => x.wall)).toFixed(2)} s; CPU ${median(r.map((x) => x.cpu)).toFixed(2)} s; peak RSS ${Math.max(...r.map((x) => x.rssMiB)).toFixed(0)} MiB)`;
  };
  lines.push(
    row(1),
    row(2),
    `parallel speed-up ${figures.fleetParallelSpeedup!.toFixed(2)}× by wall time (target ≥ 1.7×), ${figures.fleetCpuBoundSpeedup!.toFixed(2)}× from CPU time (2 idle cores); CPU per dump ${((figures.fleetJobs1CpuSeconds! / count) * 1000).toFixed(2)} ms single, ${((figures.fleetJobs2CpuSeconds! / count) * 1000).toFixed(2)} ms on workers`,
    `${buckets} buckets, the same with --jobs 1 and --jobs 2: ${same ? 'yes' : 'NO'}`,
    `anchors: cat of every file ${cat.wall.toFixed(2)} s; node -e 0 ${nodeStart.wall.toFixed(2)} s; load average ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} (2 cores)`,
  );
  return { figures, lines };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const report = await runFleetBench({ quick: process.argv.includes('--quick') });
  for (const line of report.lines) console.log(line);
}
