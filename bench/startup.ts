/**
 * Start-up cost of the `bugcheck` command: `analyze` of the genuine triage
 * dump (../shared/dumps/triage_x64.dmp; the demo's small dump when it is
 * absent), `header` of it and `--version`, each against `node -e 0` run
 * right before or after it (alternating), in CPU time (user + system, as the
 * operating system charged the process) and wall time; the figure is the
 * median of the pairs' ratios. It measures what `npx bugcheck` runs: the
 * built CLI when `npm run build` made one, else the sources through tsx.
 *
 *   node --import tsx bench/startup.ts [--quick]
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BenchResult, finite, fmt, median, ratioLine, timedCommand } from './measure.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LAUNCHER = path.join(REPO, 'bin', 'bugcheck.cjs');
const BUILT_CLI = path.join(REPO, 'dist', 'cli', 'all.cjs');
const GENUINE = path.resolve(REPO, '..', 'shared', 'dumps', 'triage_x64.dmp');

interface Pairs {
  ours: number[];
  node: number[];
  cpuRatios: number[];
  wallRatios: number[];
}

function pairs(args: readonly string[], runs: number): Pairs {
  const out: Pairs = { ours: [], node: [], cpuRatios: [], wallRatios: [] };
  const ours = (): ReturnType<typeof timedCommand> => timedCommand(process.execPath, [LAUNCHER, ...args], REPO);
  const node = (): ReturnType<typeof timedCommand> => timedCommand(process.execPath, ['-e', '0'], REPO);
  ours(); // warm the file cache
  node();
  for (let i = 0; i < runs; i++) {
    let a: ReturnType<typeof timedCommand>;
    let b: ReturnType<typeof timedCommand>;
    if (i % 2 === 0) {
      a = ours();
      b = node();
    } else {
      b = node();
      a = ours();
    }
    out.ours.push(a.cpuMs);
    out.node.push(b.cpuMs);
    out.cpuRatios.push(a.cpuMs / b.cpuMs);
    out.wallRatios.push(a.wallMs / b.wallMs);
  }
  return out;
}

export async function runStartupBench(options: { quick: boolean }): Promise<BenchResult> {
  const runs = options.quick ? 6 : 12;
  let dump = GENUINE;
  let scratch: string | undefined;
  const lines = [
    `launcher ${path.relative(REPO, LAUNCHER)} runs ${existsSync(BUILT_CLI) ? `the built CLI (${path.relative(REPO, BUILT_CLI)})` : 'the sources through tsx (no build: run npm run build)'}; ${runs} alternating pairs each`,
  ];
  try {
    if (!existsSync(dump)) {
      scratch = mkdtempSync(path.join(os.tmpdir(), 'bugcheck-startup-'));
      timedCommand(process.execPath, [LAUNCHER, 'demo', '--dump-type', 'small', '--out', scratch], REPO);
      dump = path.join(scratch, 'demo-small.dmp');
      lines.push(`genuine dump not found at ${GENUINE}: using the demo's small dump`);
    }
    const figures: Record<string, number | null> = {};
    const nodeSamples: number[] = [];
    const cases: [string, string, string[]][] = [
      ['analyzeStartupVsNode', `bugcheck analyze ${path.basename(dump)}`, ['analyze', dump]],
      ['headerStartupVsNode', `bugcheck header ${path.basename(dump)}`, ['header', dump]],
      ['versionStartupVsNode', 'bugcheck --version', ['--version']],
    ];
    for (const [key, label, args] of cases) {
      const p = pairs(args, runs);
      nodeSamples.push(...p.node);
      const ratio = median(p.cpuRatios);
      figures[key] = finite(ratio);
      figures[`${key.replace('VsNode', '')}CpuMs`] = finite(median(p.ours));
      lines.push(
        ratioLine(
          `${label} (CPU)`,
          median(p.ours),
          'node -e 0',
          median(p.node),
          'ms',
          ratio,
          `(pairs min ${fmt(Math.min(...p.cpuRatios), 2)} max ${fmt(Math.max(...p.cpuRatios), 2)}; wall ratio ${fmt(median(p.wallRatios), 2)}×)`,
        ),
      );
    }
    figures.nodeCpuMs = finite(median(nodeSamples));
    return { figures, lines };
  } finally {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runStartupBench({ quick: process.argv.includes('--quick') });
  for (const line of result.lines) console.log(line);
}
