import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BugCheckResult, CrashDumpKind } from '../kernel/index.js';
import type { Machine } from '../machine/index.js';
import { dbgPrintOutput, type DbgPrintEntry } from '../kernel/services/index.js';
import { userLocation, userLocationSuffix } from '../kernel/errorLocation.js';
import { withConsoleOnStderr } from './console.js';
import { scenarioLibrary } from './library.js';
import type { LoadedScenario } from './load.js';
import { createScenarioSystem, type DumpProgress } from './machine.js';
import { ScenarioError, ScenarioErrorCode, firstLine } from './errors.js';

export interface RunScenarioOptions {
  /** Kinds to write, one fresh machine each (overrides the scenario's dump.kind). */
  dumpKinds?: readonly CrashDumpKind[];
  /** Folder for the dumps (created if missing); default the current directory. */
  outDir?: string;
  /** Called before each run. */
  onRunStart?: (kind: CrashDumpKind, index: number, count: number) => void;
  /** Progress of the dump body of each run. */
  onDumpProgress?: (kind: CrashDumpKind, done: bigint, total: bigint) => void;
  /** Called after each run (e.g. to stop a progress bar), also when it failed. */
  onRunEnd?: (kind: CrashDumpKind) => void;
}

/** What one run of a scenario produced. */
export interface ScenarioRun {
  dumpKind: CrashDumpKind;
  /** Where the dump was (to be) written; see result.dumpStatus for whether it was. */
  dumpPath: string;
  /** The machine the run used, as resolved (memory, processors, build…). */
  machine: Machine['options'];
  result: BugCheckResult;
  /** Everything C drivers printed with DbgPrint/DbgPrintEx (and KdPrint) during the run, in order. */
  dbgPrint: readonly DbgPrintEntry[];
}

export interface ScenarioOutcome {
  scenario: LoadedScenario;
  runs: ScenarioRun[];
}

/** `<outDir>/<name>-<kind>.dmp` */
export function scenarioDumpPath(outDir: string, name: string, kind: CrashDumpKind): string {
  return join(outDir, `${name}-${kind}.dmp`);
}

/**
 * Runs a scenario once per dump kind, each time on a fresh machine, and
 * returns every bug check result. Throws ScenarioError E_SCENARIO_FAILED when
 * the run function throws, E_SCENARIO_NO_BUGCHECK when it returns without
 * bug-checking, E_SCENARIO_OPTIONS when the machine refuses the options.
 */
export async function runScenario(
  scenario: LoadedScenario,
  options: RunScenarioOptions = {},
): Promise<ScenarioOutcome> {
  const kinds =
    options.dumpKinds !== undefined && options.dumpKinds.length > 0
      ? [...new Set(options.dumpKinds)]
      : scenario.options.dump.kinds;
  const outDir = resolve(options.outDir ?? '.');
  await mkdir(outDir, { recursive: true });
  const runs: ScenarioRun[] = [];
  for (const [index, kind] of kinds.entries()) {
    const dumpPath = scenarioDumpPath(outDir, scenario.name, kind);
    options.onRunStart?.(kind, index, kinds.length);
    try {
      const progress: DumpProgress | undefined =
        options.onDumpProgress === undefined ? undefined : (done, total) => options.onDumpProgress?.(kind, done, total);
      const system = createScenarioSystem(scenario.options, kind, dumpPath, progress);
      try {
        await withConsoleOnStderr(async () =>
          scenario.run(system, scenarioLibrary, {
            dumpKind: kind,
            dumpPath,
            runIndex: index,
            runCount: kinds.length,
            options: scenario.options,
          }),
        );
      } catch (error) {
        const at = userLocation(error);
        throw new ScenarioError(
          ScenarioErrorCode.Failed,
          `scenario ${scenario.source} threw${kinds.length > 1 ? ` (${kind} dump run)` : ''}: ${firstLine(error)}${userLocationSuffix(error)}`,
          {
            source: scenario.source,
            dumpKind: kind,
            ...(at !== undefined ? { location: at } : {}),
            ...(error instanceof Error && 'code' in error && typeof error.code === 'string'
              ? { cause: error.code }
              : {}),
          },
        );
      }
      const result = system.kernel.bugCheckResult;
      if (result === null) {
        throw new ScenarioError(
          ScenarioErrorCode.NoBugCheck,
          `scenario ${scenario.source} never bug-checked: its run function returned without calling system.KeBugCheckEx(…)`,
          {
            source: scenario.source,
            dumpKind: kind,
          },
        );
      }
      runs.push({
        dumpKind: kind,
        dumpPath,
        machine: system.machine.options,
        result,
        dbgPrint: dbgPrintOutput(system.machine),
      });
    } finally {
      options.onRunEnd?.(kind);
    }
  }
  return { scenario, runs };
}
