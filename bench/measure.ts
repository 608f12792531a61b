/**
 * Shared helpers of the benchmarks: timing a piece of work or a command in
 * wall and CPU time, medians, and the `ours / anchor / ratio` line every
 * figure is printed as.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/** What every benchmark module returns: flat figures for `--json`, lines for people. */
export interface BenchResult {
  figures: Record<string, number | null>;
  lines: string[];
}

export interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Runs `work` and returns its wall and process CPU time (user + system). */
export function timed<T>(work: () => T): Timing & { value: T } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = work();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, value };
}

/**
 * Bash's `time` keyword: the command's user and system CPU from the kernel's
 * accounting of the finished child, to the millisecond (GNU time prints 10 ms).
 */
const BASH_TIMER = 'TIMEFORMAT="@@time %3R %3U %3S"; time "$@" >/dev/null 2>&1';

function onPath(program: string): boolean {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir !== '' && existsSync(path.join(dir, program)));
}

/**
 * Runs a command to completion (its output discarded) and returns its wall
 * time and the CPU time the operating system charged it (user + system), via
 * bash's `time` (or /usr/bin/time, 10 ms resolution, without bash). Throws
 * when the command fails.
 */
export function timedCommand(command: string, args: readonly string[], cwd?: string): Timing {
  if (onPath('bash')) {
    const r = spawnSync('bash', ['-c', BASH_TIMER, 'bash', command, ...args], {
      cwd,
      encoding: 'utf8',
    });
    const m = /@@time ([0-9.]+) ([0-9.]+) ([0-9.]+)\s*$/.exec(r.stderr);
    if (r.status !== 0 || m === null) throw new Error(`${command} ${args.join(' ')} failed (status ${r.status})`);
    return { wallMs: Number(m[1]) * 1000, cpuMs: (Number(m[2]) + Number(m[3])) * 1000 };
  }
  const start = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '@@cpu %U %S', command, ...args], { cwd, encoding: 'utf8' });
  const wallMs = performance.now() - start;
  const m = /@@cpu ([0-9.]+) ([0-9.]+)\s*$/.exec(r.stderr);
  if (r.status !== 0 || m === null) throw new Error(`${command} ${args.join(' ')} failed (status ${r.status})`);
  return { wallMs, cpuMs: (Number(m[1]) + Number(m[2])) * 1000 };
}

export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function fmt(n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return 'n/a';
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** `label: ours X unit | anchor Y unit | ratio R×` — the shape of every figure line. */
export function ratioLine(
  label: string,
  ours: number,
  anchorName: string,
  anchor: number,
  unit: string,
  ratio: number,
  note = '',
): string {
  return `${label}: ours ${fmt(ours)} ${unit} | ${anchorName} ${fmt(anchor)} ${unit} | ratio ${fmt(ratio, 2)}×${note ? ` ${note}` : ''}`;
}

/** A finite number, or null (JSON has no NaN). */
export function finite(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}
