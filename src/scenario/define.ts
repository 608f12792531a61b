import type { CrashDumpKind } from '../kernel/index.js';
import type { SimulatedSystem } from '../system.js';
import type { ScenarioLibrary } from './library.js';
import type { ScenarioOptions, ScenarioOptionsInput } from './options.js';

/** Facts about the run in progress, the third argument of `run`. */
export interface ScenarioContext {
  /** The dump this run writes (each kind gets its own fresh machine). */
  dumpKind: CrashDumpKind;
  /** Where the dump goes. */
  dumpPath: string;
  /** 0-based number of this run and how many there are (e.g. 3 with `--dump-type all`). */
  runIndex: number;
  runCount: number;
  /** The validated options. */
  options: ScenarioOptions;
}

/**
 * A scenario's body: load drivers (they register their callbacks in
 * DriverEntry), let them do some work, then call `system.KeBugCheckEx`.
 * It gets a fresh machine every time; it may be async. It must bug check.
 */
export type ScenarioRunFunction = (system: SimulatedSystem, lib: ScenarioLibrary, context: ScenarioContext) => unknown;

/**
 * The default export of a scenario module:
 *
 * ```ts
 * import type { ScenarioDefinition } from 'bugcheck'; // types only: erased, nothing is resolved at run time
 * export default {
 *   options: { memory: '128MiB', dump: { kind: 'kernel' } },
 *   run(system, lib) { … system.KeBugCheckEx(0xd1, …); },
 * } satisfies ScenarioDefinition;
 * ```
 *
 * or a default-exported run function with an optional `export const options`.
 */
export interface ScenarioDefinition {
  options?: ScenarioOptionsInput;
  run: ScenarioRunFunction;
}

/** Identity function that gives a scenario object its type (optional: `satisfies ScenarioDefinition` does the same). */
export function defineScenario<T extends ScenarioDefinition>(scenario: T): T {
  return scenario;
}
