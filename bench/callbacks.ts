/**
 * Bug check cost of many registered callbacks: the same small kernel dump is
 * written with 0 and with 10,000 registered reason callbacks (a mix of
 * secondary-data, add-pages and DumpIo routines spread over 100 drivers);
 * the difference is what the facility itself adds beyond the dump I/O.
 *
 *   node --import tsx bench/callbacks.ts [count]
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
  lines: string[];
}

function bugCheckMs(callbacks: number, file: string): number {
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
  const start = process.hrtime.bigint();
  const result = system.KeBugCheckEx(0xe2, 0n, 0n, 0n, 0n);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.dumpStatus !== 'written') throw new Error(`dump not written: ${result.dumpError?.message ?? result.dumpStatus}`);
  fs.rmSync(file, { force: true });
  return ms;
}

export function benchCallbacks(count = 10_000): CallbackBenchReport {
  const file = path.join(os.tmpdir(), `bugcheck-bench-callbacks-${process.pid}.dmp`);
  bugCheckMs(0, file); // warm-up: JIT and page cache
  const baselineMs = Math.min(bugCheckMs(0, file), bugCheckMs(0, file));
  const withCallbacksMs = Math.min(bugCheckMs(count, file), bugCheckMs(count, file));
  const addedMs = withCallbacksMs - baselineMs;
  const lines = [
    `bug check, kernel dump of a 128 MiB machine: ${baselineMs.toFixed(1)} ms with no callbacks`,
    `same with ${count} registered secondary-data callbacks: ${withCallbacksMs.toFixed(1)} ms`,
    `added by the callbacks: ${addedMs.toFixed(1)} ms (${((addedMs * 1000) / count).toFixed(1)} µs per callback, size pass + data pass)`,
  ];
  return { callbacks: count, baselineMs, withCallbacksMs, addedMs, perCallbackUs: (addedMs * 1000) / count, lines };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const report = benchCallbacks(Number(process.argv[2] ?? 10_000));
  for (const line of report.lines) console.log(line);
}
