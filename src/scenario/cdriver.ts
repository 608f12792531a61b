/**
 * The scenario `bugcheck run mydriver.c` runs: load the compiled C driver
 * (its DriverEntry registers its callbacks), then bug check with the code
 * asked for, unless DriverEntry bug-checked the machine itself.
 */
import { basename, extname } from 'node:path';
import type { CDriverOptions, CompiledCDriver } from '../cdriver/index.js';
import { scenarioFromDefinition, type LoadedScenario } from './load.js';

export interface CDriverBugCheck {
  code: number;
  parameters: [bigint, bigint, bigint, bigint];
}

/** MANUALLY_INITIATED_CRASH, what `.crash` and the keyboard crash raise. */
export const DEFAULT_C_BUGCHECK: CDriverBugCheck = { code: 0xe2, parameters: [0n, 0n, 0n, 0n] };

export interface CDriverScenarioOptions {
  /** Driver (image) name; default: the first source's name with .sys. */
  driverName?: string;
  bugCheck?: CDriverBugCheck;
  /** Scenario options (memory, dump kind…); default a kernel dump. */
  options?: Record<string, unknown>;
  load?: Omit<CDriverOptions, 'name' | 'compiled'>;
}

export interface CDriverScenario extends LoadedScenario {
  /** What DriverEntry's load threw in the last run (the scenario runner reports it only by code). */
  readonly loadError: () => unknown;
}

/** `mydriver.c` → `mydriver` (also the dump names' stem). */
export function cDriverBaseName(firstSource: string): string {
  return basename(firstSource, extname(firstSource)).replace(/[^A-Za-z0-9._-]+/g, '-') || 'driver';
}

export function cDriverScenario(compiled: CompiledCDriver, options: CDriverScenarioOptions = {}): CDriverScenario {
  const stem = cDriverBaseName(compiled.sources[0] ?? 'driver.c');
  const driverName = options.driverName ?? `${stem}.sys`;
  const bugCheck = options.bugCheck ?? DEFAULT_C_BUGCHECK;
  let loadError: unknown;
  const scenario = scenarioFromDefinition(
    {
      options: { name: stem, dump: { kind: 'kernel' }, ...options.options },
      run(system) {
        loadError = undefined;
        try {
          system.loadDriver({ ...options.load, name: driverName, compiled });
        } catch (error) {
          loadError = error;
          throw error;
        }
        if (system.kernel.bugCheckResult === null) system.KeBugCheckEx(bugCheck.code, ...bugCheck.parameters);
      },
    },
    compiled.sources.join(' '),
  );
  return { ...scenario, loadError: () => loadError };
}
