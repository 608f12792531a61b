import { stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ScenarioDefinition, ScenarioRunFunction } from './define.js';
import { ScenarioError, ScenarioErrorCode, firstLine } from './errors.js';
import { userLocation, userLocationSuffix } from '../kernel/errorLocation.js';
import { withConsoleOnStderr } from './console.js';
import { importModuleFile } from './esmLoader.js';
import { parseScenarioOptions, type ScenarioOptions } from './options.js';

/** A scenario ready to run: its validated options and its run function. */
export interface LoadedScenario {
  /** Absolute path of the module, or a label for scenarios given as objects. */
  source: string;
  /** Used in dump file names: options.name, else the file name without extension. */
  name: string;
  options: ScenarioOptions;
  run: ScenarioRunFunction;
}

export const SCENARIO_EXTENSIONS: readonly string[] = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];
const DEFINITION_MEMBERS = ['options', 'run'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The default export, seen through the CommonJS wrappers tsx/Node put around `.cts`/`.cjs` files. */
function defaultExport(namespace: Record<string, unknown>): unknown {
  let value = namespace.default;
  for (let depth = 0; depth < 2 && isObject(value) && !('run' in value) && 'default' in value; depth++)
    value = value.default;
  return value;
}

/**
 * Checks the shape of a scenario (an object with `run` and optional
 * `options`, or a run function with options given separately) and validates
 * its options. Throws ScenarioError (E_SCENARIO_SHAPE / E_SCENARIO_OPTIONS).
 */
export function prepareScenario(
  definition: unknown,
  source: string,
  fallbackName: string,
  separateOptions?: unknown,
): LoadedScenario {
  let run: unknown;
  let options: unknown;
  if (typeof definition === 'function') {
    run = definition;
    options = separateOptions;
  } else if (isObject(definition) && !Array.isArray(definition)) {
    const unknown = Object.keys(definition).filter((k) => !DEFINITION_MEMBERS.includes(k));
    if (unknown.length > 0) {
      throw new ScenarioError(
        ScenarioErrorCode.Shape,
        `scenario ${source}: unknown member${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} in the default export (expected: options, run)`,
        { source, members: unknown },
      );
    }
    run = definition.run;
    options = definition.options;
    if (options !== undefined && separateOptions !== undefined) {
      throw new ScenarioError(
        ScenarioErrorCode.Shape,
        `scenario ${source}: options are given twice (in the default export and as "export const options")`,
        { source },
      );
    }
    options ??= separateOptions;
  } else {
    throw new ScenarioError(
      ScenarioErrorCode.Shape,
      `scenario ${source}: ${definition === undefined ? 'no default export' : `the default export is ${definition === null ? 'null' : typeof definition}`}; expected "export default { options, run(system, lib) { … } }" or "export default function (system, lib) { … }"`,
      { source },
    );
  }
  if (typeof run !== 'function') {
    throw new ScenarioError(
      ScenarioErrorCode.Shape,
      `scenario ${source}: "run" is ${run === undefined ? 'missing' : `a ${typeof run}`}, expected a function run(system, lib, context)`,
      { source },
    );
  }
  let parsed: ScenarioOptions;
  try {
    parsed = parseScenarioOptions(options);
  } catch (error) {
    if (error instanceof ScenarioError) {
      throw new ScenarioError(error.code as ScenarioErrorCode, `scenario ${source}: ${error.message}`, {
        ...error.details,
        source,
      });
    }
    throw error;
  }
  return { source, name: parsed.name ?? fallbackName, options: parsed, run: run as ScenarioRunFunction };
}

/** A scenario given as an object (e.g. the built-in demo, or a test). */
export function scenarioFromDefinition(
  definition: ScenarioDefinition | ScenarioRunFunction,
  name: string,
  options?: unknown,
): LoadedScenario {
  return prepareScenario(definition, name, name, options);
}

function safeName(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '');
  return cleaned.length > 0 ? cleaned.slice(0, 64) : 'scenario';
}

/**
 * Loads a scenario module from a file: TypeScript or JavaScript, anywhere on
 * disk, no build step and no package.json needed (see esmLoader.ts). Throws
 * ScenarioError: E_SCENARIO_NOT_FOUND, E_SCENARIO_LOAD, E_SCENARIO_SHAPE,
 * E_SCENARIO_OPTIONS.
 */
export async function loadScenario(path: string): Promise<LoadedScenario> {
  const absolute = resolve(path);
  const info = await stat(absolute).catch(() => undefined);
  if (info === undefined)
    throw new ScenarioError(ScenarioErrorCode.NotFound, `scenario file not found: ${path}`, { path });
  if (!info.isFile()) throw new ScenarioError(ScenarioErrorCode.NotFound, `scenario ${path} is not a file`, { path });
  const extension = extname(absolute).toLowerCase();
  if (!SCENARIO_EXTENSIONS.includes(extension)) {
    throw new ScenarioError(
      ScenarioErrorCode.Load,
      `scenario ${path}: "${extension || '(no extension)'}" is not a TypeScript or JavaScript module extension (${SCENARIO_EXTENSIONS.join(' ')})`,
      { path },
    );
  }
  let namespace: Record<string, unknown>;
  try {
    namespace = await withConsoleOnStderr(() => importModuleFile(pathToFileURL(absolute).href, extension));
  } catch (error) {
    const at = userLocation(error);
    throw new ScenarioError(
      ScenarioErrorCode.Load,
      `scenario ${path} could not be loaded: ${firstLine(error)}${userLocationSuffix(error)}`,
      { path, ...(at !== undefined ? { location: at } : {}) },
    );
  }
  const separateOptions = namespace.options;
  return prepareScenario(
    defaultExport(namespace),
    path,
    safeName(basename(absolute, extname(absolute))),
    separateOptions,
  );
}
