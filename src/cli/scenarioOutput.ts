import { Option } from 'commander';
import { analyzeDump, formatAnalysis, type DumpAnalysis } from '../analyze/index.js';
import type { CrashDumpKind } from '../kernel/index.js';
import {
  CRASH_DUMP_KINDS,
  formatBugCheckResult,
  runScenario,
  scenarioRunJson,
  type LoadedScenario,
  type ScenarioOutcome,
  type ScenarioRunJson,
} from '../scenario/index.js';
import type { CliContext } from './context.js';
import { withDump } from './dump.js';
import { EXIT_FAILURE } from './errors.js';
import { dumpProgressBar } from './progress.js';
import { shownPath } from './invocation.js';

/** `--dump-type complete|kernel|small|all`. */
export function dumpTypeOption(defaultValue?: string): Option {
  const option = new Option(
    '--dump-type <type>',
    'dump to write: complete, kernel, small, or all (one fresh machine each)',
  ).choices([...CRASH_DUMP_KINDS, 'all']);
  return defaultValue === undefined ? option : option.default(defaultValue);
}

export function dumpKindsOf(type: string | undefined): CrashDumpKind[] | undefined {
  if (type === undefined) return undefined;
  return type === 'all' ? [...CRASH_DUMP_KINDS] : [type as CrashDumpKind];
}

/**
 * Runs the scenario once per dump kind (`--dump-type`, else the scenario's
 * own) into `out`, with the dump-body progress bar on stderr when it is a
 * terminal. What `run` and `demo` share.
 */
export async function runScenarioWithProgress(
  ctx: CliContext,
  scenario: LoadedScenario,
  options: { out: string; dumpType?: string | undefined },
): Promise<ScenarioOutcome> {
  const bar = await dumpProgressBar(ctx.io.stderr);
  const kinds = dumpKindsOf(options.dumpType);
  return runScenario(scenario, {
    ...(kinds !== undefined ? { dumpKinds: kinds } : {}),
    outDir: options.out,
    onDumpProgress: (kind, done, total) => bar.update(kind, done, total),
    // Called after every run, also a failed one, so the terminal never keeps a half bar.
    onRunEnd: () => bar.stop(),
  });
}

export interface ScenarioRunReportJson extends ScenarioRunJson {
  /** `bugcheck analyze --json` of the dump written; null when none was written. */
  analysis: DumpAnalysis | null;
}

export interface ScenarioReportJson {
  scenario: { source: string; name: string; description: string | null };
  runs: ScenarioRunReportJson[];
}

/**
 * Opens every dump the scenario wrote, analyses it, and prints per run what
 * every callback contributed followed by the analysis (or one JSON object).
 * Exit code 1 when a dump failed to be written or has error-level problems.
 * With `printJson: false` the caller prints the JSON (to add members).
 */
export async function printScenarioOutcome(
  ctx: CliContext,
  outcome: ScenarioOutcome,
  options: { printJson?: boolean } = {},
): Promise<ScenarioReportJson> {
  const s = ctx.style;
  const runs: ScenarioRunReportJson[] = [];
  for (const run of outcome.runs) {
    let analysis: DumpAnalysis | null = null;
    if (run.result.dumpStatus === 'written') analysis = await withDump(run.dumpPath, analyzeDump);
    if (run.result.dumpStatus === 'failed' || analysis?.problems.some((p) => p.severity === 'error'))
      ctx.exitCode = EXIT_FAILURE;
    runs.push({ ...scenarioRunJson(run), analysis });
    if (ctx.json) continue;
    ctx.print([s.title(`=== ${run.dumpKind} dump: ${run.dumpPath} ===`), ...formatBugCheckResult(run.result, s), '']);
    if (analysis !== null)
      ctx.print([s.title(`--- bugcheck analyze ${run.dumpPath} ---`), ...formatAnalysis(analysis, s), '']);
    if (run.result.dumpError !== null) {
      ctx.io.stderr.write(
        `bugcheck: ${ctx.errorColors.red('error')}: ${run.dumpKind} dump was not written: ${run.result.dumpError.message} (${run.result.dumpError.code})\n`,
      );
    }
  }
  const report: ScenarioReportJson = {
    scenario: {
      source: outcome.scenario.source,
      name: outcome.scenario.name,
      description: outcome.scenario.options.description ?? null,
    },
    runs,
  };
  if (ctx.json && options.printJson !== false) ctx.printJson(report);
  return report;
}

/** "Try next" commands for the dumps a scenario wrote (none when it wrote none). */
export function scenarioTryNext(outcome: ScenarioOutcome, cli: string): string[] {
  const written = outcome.runs.filter((r) => r.result.dumpStatus === 'written').map((r) => shownPath(r.dumpPath));
  const first = written[0];
  if (first === undefined) return [];
  return [
    'Try next:',
    `  ${cli} enumtag ${first}    # the secondary data blocks (like WinDbg .enumtag)`,
    `  ${cli} view ${first}    # the dump in a browser page`,
    ...(written.length > 1 ? [`  ${cli} analyze ${written.join(' ')}    # one line per dump`] : []),
  ];
}
