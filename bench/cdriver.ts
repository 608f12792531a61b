/**
 * C drivers: what the toolchain costs and what a C routine costs.
 *
 * - First compile of a ~300-line driver (examples/drivers-c/secretkeeper.c:
 *   AES-256 written out, ~260 lines plus our headers) into an empty cache, with
 *   the toolchain (Clang as WebAssembly) loaded in the same process first; then
 *   the cached re-run (hash of the inputs, module from disk); then
 *   `bugcheck run secretkeeper.c` end to end in a fresh process from the cache,
 *   against `node -e 0` in the same run.
 * - A bug check with 10,000 registered C routines against 10,000 TypeScript
 *   ones doing the same (KbCallbackSecondaryDumpData: read OutBuffer, return
 *   nothing in the size pass, the same in the data pass): the difference per
 *   call is what running C costs.
 * - Peak RSS of a process that loads the toolchain, compiles and runs.
 *
 * CPU time (process.cpuUsage) beside wall time; medians, with the minimum.
 *
 *   node --import tsx bench/cdriver.ts [--quick]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileDriver, loadToolchain, type CompiledCDriver } from '../src/cdriver/index.js';
import { KbCallbackReason, KBUGCHECK_SECONDARY_DUMP_DATA } from '../src/format/index.js';
import { createMachine } from '../src/system.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLE = path.join(REPO, 'examples', 'drivers-c', 'secretkeeper.c');

/** The C side of the routine-cost comparison: N records, each doing what the TypeScript routine does. */
const MANY_ROUTINES_C = `#include <ntddk.h>
static VOID Nothing(KBUGCHECK_CALLBACK_REASON Reason, PKBUGCHECK_REASON_CALLBACK_RECORD Record, PVOID Data, ULONG Length) {
  PKBUGCHECK_SECONDARY_DUMP_DATA d = (PKBUGCHECK_SECONDARY_DUMP_DATA)Data;
  UNREFERENCED_PARAMETER(Reason); UNREFERENCED_PARAMETER(Record); UNREFERENCED_PARAMETER(Length);
  if (d->OutBuffer == NULL) return;
}
NTSTATUS RegisterMany(ULONG Count) {
  PKBUGCHECK_REASON_CALLBACK_RECORD records = ExAllocatePool2(POOL_FLAG_NON_PAGED, Count * sizeof(*records), 'hcnB');
  if (!records) return STATUS_INSUFFICIENT_RESOURCES;
  for (ULONG i = 0; i < Count; i++) {
    KeInitializeCallbackRecord(&records[i]);
    if (!KeRegisterBugCheckReasonCallback(&records[i], Nothing, KbCallbackSecondaryDumpData, (PUCHAR)"BenchC"))
      return STATUS_UNSUCCESSFUL;
  }
  return STATUS_SUCCESS;
}
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
  UNREFERENCED_PARAMETER(DriverObject); UNREFERENCED_PARAMETER(RegistryPath);
  return STATUS_SUCCESS;
}
`;

interface Timed {
  wallMs: number;
  cpuMs: number;
}

async function timed<T>(f: () => Promise<T> | T): Promise<Timed & { value: T }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await f();
  const used = process.cpuUsage(cpu);
  return { value, wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;
const round = (n: number): number => Math.round(n * 100) / 100;

function bugCheckWith(kind: 'c' | 'ts', count: number, compiled: CompiledCDriver, file: string): Timed {
  const system = createMachine({ memoryBytes: 128n << 20n, kernel: { dump: { kind: 'kernel', path: file } } });
  if (kind === 'c') {
    const driver = system.loadDriver({ name: 'benchc.sys', compiled, windowBytes: 16 << 20 });
    if (count > 0 && driver.call('RegisterMany', count) !== 0) throw new Error('RegisterMany failed');
  } else {
    system.loadDriver({
      name: 'benchts.sys',
      imageSize: 0x80000,
      DriverEntry(driver) {
        for (let i = 0; i < count; i++) {
          driver.registerReasonCallback(
            (_reason, _record, data) => {
              if (driver.kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, data).get('OutBuffer') === 0n) return;
            },
            KbCallbackReason.KbCallbackSecondaryDumpData,
            'BenchTS',
          );
        }
      },
    });
  }
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = system.KeBugCheckEx(0xe2);
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  if (result.dumpStatus !== 'written') throw new Error(`dump not written: ${result.dumpStatus}`);
  if (result.violations.length > 0) throw new Error(`violations: ${result.violations[0]?.detail}`);
  fs.rmSync(file, { force: true });
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/** Peak RSS (KiB) of a child process running `script`, from its own resource usage. */
function childPeakRss(script: string, env: NodeJS.ProcessEnv): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO,
    env,
    encoding: 'utf8',
  });
  return Number(out.trim().split('\n').pop());
}

function childWallMs(args: string[], env: NodeJS.ProcessEnv, runs: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: REPO, env, encoding: 'utf8' });
    times.push(performance.now() - start);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return times;
}

export async function runCDriverBench(options: {
  quick: boolean;
}): Promise<{ figures: Record<string, number>; lines: string[] }> {
  const runs = options.quick ? 3 : 7;
  const count = 10_000;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bugcheck-bench-cdriver-'));
  const lines: string[] = [];
  const figures: Record<string, number> = {};
  try {
    const cache = path.join(scratch, 'cache');
    const sourceLines = fs.readFileSync(SAMPLE, 'utf8').split('\n').length;

    // 1. Toolchain, first compile, cached re-run.
    const load = await timed(() => loadToolchain());
    const first = await timed(() => compileDriver({ sources: [SAMPLE], cache }));
    const again: Timed[] = [];
    for (let i = 0; i < runs; i++) again.push(await timed(() => compileDriver({ sources: [SAMPLE], cache })));
    figures.toolchainLoadMs = round(load.wallMs);
    figures.firstCompileMs = round(first.wallMs);
    figures.firstCompileCpuMs = round(first.cpuMs);
    figures.cachedCompileMs = round(median(again.map((t) => t.wallMs)));
    lines.push(
      `toolchain load (Clang as WebAssembly, once per process): ${load.wallMs.toFixed(0)} ms wall, ${load.cpuMs.toFixed(0)} ms CPU`,
      `first compile of secretkeeper.c (${sourceLines} lines + headers, -O2 -g, lowered): ${first.wallMs.toFixed(0)} ms wall, ${first.cpuMs.toFixed(0)} ms CPU`,
      `cached re-run (hash of every input, module from disk): ${figures.cachedCompileMs} ms (min ${Math.min(...again.map((t) => t.wallMs)).toFixed(2)})`,
    );

    // 2. End to end, cached, in a fresh process, against node -e 0.
    const env = { ...process.env, BUGCHECK_CACHE_DIR: cache };
    const bin = path.join(REPO, 'bin', 'bugcheck.cjs');
    const baseline = childWallMs(['-e', '0'], env, runs);
    const endToEnd = childWallMs([bin, 'run', SAMPLE, '--out', scratch, '--json'], env, runs);
    figures.runCachedMs = round(median(endToEnd));
    figures.nodeBaselineMs = round(median(baseline));
    lines.push(
      `bugcheck run secretkeeper.c from the cache, fresh process (load, DriverEntry, bug check, kernel dump, analysis): ${figures.runCachedMs} ms wall (node -e 0: ${figures.nodeBaselineMs} ms)`,
    );

    // 3. 10,000 C routines vs 10,000 TypeScript ones.
    const many = await compileDriver({ sources: [{ path: 'benchc.c', text: MANY_ROUTINES_C }], cache });
    const file = path.join(scratch, 'bench.dmp');
    bugCheckWith('c', 1000, many, file);
    bugCheckWith('ts', 1000, many, file);
    const c: Timed[] = [];
    const ts: Timed[] = [];
    const c0: Timed[] = [];
    for (let i = 0; i < runs; i++) {
      c0.push(bugCheckWith('c', 0, many, file));
      c.push(bugCheckWith('c', count, many, file));
      ts.push(bugCheckWith('ts', count, many, file));
    }
    const cMs = median(c.map((t) => t.cpuMs));
    const tsMs = median(ts.map((t) => t.cpuMs));
    const noneMs = median(c0.map((t) => t.cpuMs));
    // Each routine is called twice (size pass, data pass).
    figures.cRoutines10kBugCheckCpuMs = round(cMs);
    figures.tsRoutines10kBugCheckCpuMs = round(tsMs);
    figures.cRoutineExtraMicroseconds = round(((cMs - tsMs) * 1000) / (2 * count));
    figures.cRoutineCallMicroseconds = round(((cMs - noneMs) * 1000) / (2 * count));
    lines.push(
      `bug check, kernel dump, 128 MiB machine, one C driver and no callbacks: CPU ${noneMs.toFixed(1)} ms (median of ${runs})`,
      `with ${count} C routines: CPU ${cMs.toFixed(1)} ms (min ${Math.min(...c.map((t) => t.cpuMs)).toFixed(1)}); with ${count} TypeScript routines: ${tsMs.toFixed(1)} ms (min ${Math.min(...ts.map((t) => t.cpuMs)).toFixed(1)})`,
      `per call (2 per routine): C ${figures.cRoutineCallMicroseconds} µs all in, ${figures.cRoutineExtraMicroseconds} µs more than the TypeScript routine`,
    );

    // 4. Peak RSS with the toolchain loaded.
    const rssEnv = { ...process.env, BUGCHECK_CACHE_DIR: path.join(scratch, 'rss-cache') };
    const rss = childPeakRss(
      [
        `import { compileDriver } from ${JSON.stringify(path.join(REPO, 'src', 'cdriver', 'index.ts'))};`,
        `import { createMachine } from ${JSON.stringify(path.join(REPO, 'src', 'system.ts'))};`,
        `const compiled = await compileDriver({ sources: [${JSON.stringify(SAMPLE)}] });`,
        `const system = createMachine({ memoryBytes: 256n << 20n, kernel: { dump: { kind: 'kernel', path: ${JSON.stringify(path.join(scratch, 'rss.dmp'))} } } });`,
        `system.loadDriver({ name: 'secretkeeper.sys', compiled });`,
        'system.KeBugCheckEx(0xe2);',
        'console.log(process.resourceUsage().maxRSS);',
      ].join('\n'),
      rssEnv,
    );
    const baseRss = childPeakRss('console.log(process.resourceUsage().maxRSS);', rssEnv);
    figures.peakRssWithToolchainMiB = round(rss / 1024);
    figures.peakRssBaselineMiB = round(baseRss / 1024);
    lines.push(
      `peak RSS, compile (toolchain loaded) + load + bug check + kernel dump of a 256 MiB machine: ${figures.peakRssWithToolchainMiB} MiB (node + tsx alone: ${figures.peakRssBaselineMiB} MiB)`,
    );
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return { figures, lines };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const report = await runCDriverBench({ quick: process.argv.includes('--quick') });
  for (const line of report.lines) console.log(line);
  console.log(JSON.stringify(report.figures));
}
