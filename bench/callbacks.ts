/**
 * Bug check cost of many registered callbacks: the same small kernel dump is
 * written with 0 and with 10,000 registered KbCallbackSecondaryDumpData
 * callbacks spread over 100 drivers (each is called in the size pass and the
 * data pass and writes an empty block, as most such drivers do on most
 * crashes); the difference is what the facility itself adds beyond the dump
 * I/O of the machine's memory. Each configuration runs `runs` times on a
 * fresh machine and the fastest run counts (wall clock and process CPU time),
 * so a busy machine shows less noise.
 *
 *   node --import tsx bench/callbacks.ts [count] [runs]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMachine } from '../src/system.js';
import { KbCallbackReason, KBUGCHECK_SECONDARY_DUMP_DATA } from '../src/format/index.js';

export interface CallbackBenchReport {
  callbacks: number;
  baselineMs: number;
  withCallbacksMs: number;
  addedMs: number;
  perCallbackUs: number;
  /** The same three figures in process CPU time (user + system) of the KeBugCheckEx call. */
  baselineCpuMs: number;
  withCallbacksCpuMs: number;
  addedCpuMs: number;
  lines: string[];
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

function bugCheck(callbacks: number, file: string): Timing {
  const system = createMachine({ memoryBytes: 128n << 20n, kernel: { dump: { kind: 'kernel', path: file } } });
  const perDriver = Math.max(1, Math.ceil(callbacks / 100));
  let registered = 0;
  for (let d = 0; registered < callbacks; d++) {
    system.loadDriver({
      name: `bench${d}.sys`,
      DriverEntry(driver) {
        for (let i = 0; i < perDriver && registered < callbacks; i++, registered++) {
          // Most drivers that register many records contribute nothing on most crashes: model that.
          driver.registerReasonCallback(
            (_reason, _record, data) => {
              const view = driver.kernel.view(KBUGCHECK_SECONDARY_DUMP_DATA, data);
              if (view.get('OutBuffer') === 0n) return;
            },
            KbCallbackReason.KbCallbackSecondaryDumpData,
            `bench${d}-${i}`,
          );
        }
      },
    });
  }
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const result = system.KeBugCheckEx(0xe2, 0n, 0n, 0n, 0n);
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  if (result.dumpStatus !== 'written')
    throw new Error(`dump not written: ${result.dumpError?.message ?? result.dumpStatus}`);
  fs.rmSync(file, { force: true });
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

function fastest(callbacks: number, file: string, runs: number): Timing {
  let best: Timing = { wallMs: Infinity, cpuMs: Infinity };
  for (let i = 0; i < runs; i++) {
    const t = bugCheck(callbacks, file);
    best = { wallMs: Math.min(best.wallMs, t.wallMs), cpuMs: Math.min(best.cpuMs, t.cpuMs) };
  }
  return best;
}

export function benchCallbacks(count = 10_000, runs = 5): CallbackBenchReport {
  const file = path.join(os.tmpdir(), `bugcheck-bench-callbacks-${process.pid}.dmp`);
  bugCheck(0, file); // warm-up: JIT and page cache
  bugCheck(Math.min(count, 1000), file);
  const baseline = fastest(0, file, runs);
  const withCallbacks = fastest(count, file, runs);
  const addedMs = withCallbacks.wallMs - baseline.wallMs;
  const addedCpuMs = withCallbacks.cpuMs - baseline.cpuMs;
  const lines = [
    `bug check, kernel dump of a 128 MiB machine: ${baseline.wallMs.toFixed(1)} ms with no callbacks (CPU ${baseline.cpuMs.toFixed(1)} ms), fastest of ${runs}`,
    `same with ${count} registered secondary-data callbacks: ${withCallbacks.wallMs.toFixed(1)} ms (CPU ${withCallbacks.cpuMs.toFixed(1)} ms)`,
    `added by the callbacks: ${addedMs.toFixed(1)} ms (${((addedMs * 1000) / count).toFixed(1)} µs per callback: audit, size pass, data pass with one blob each, diagnostics; ` +
      `CPU ${addedCpuMs.toFixed(1)} ms)`,
  ];
  return {
    callbacks: count,
    baselineMs: baseline.wallMs,
    withCallbacksMs: withCallbacks.wallMs,
    addedMs,
    perCallbackUs: (addedMs * 1000) / count,
    baselineCpuMs: baseline.cpuMs,
    withCallbacksCpuMs: withCallbacks.cpuMs,
    addedCpuMs,
    lines,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const report = benchCallbacks(Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 5));
  for (const line of report.lines) console.log(line);
}
