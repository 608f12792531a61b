/**
 * The scenario behind `bugcheck demo`: the seven sample drivers plus one
 * deliberately sloppy driver and one written in C (examples/drivers-c/mydriver.c,
 * compiled on first use, then from the cache), a short burst of activity, then a
 * DRIVER_IRQL_NOT_LESS_OR_EQUAL (0xD1) whose faulting instruction (P4) lies
 * inside devstate.sys.
 *
 * It lives in the product (the demo command must not depend on example
 * code) but loads the sample drivers from examples/drivers: they are the
 * shipped samples (package.json "files" includes examples) and the demo is
 * their showcase. Not exported from ./index.ts: the drivers import the
 * package index, which exports this layer.
 *
 * Run it yourself with `bugcheck run examples/scenarios/demo.ts --out DIR`
 * (that file re-exports this one; dumpmirror.sys then writes `<dump>.mirror`
 * next to each dump).
 */
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEVICE_STATE_SAVER_DRIVER_NAME,
  SAMPLE_SECONDARY_DATA_GUIDS,
  bugCheckBlamedOn,
  loadSampleDrivers,
  simulateActivity,
} from '../../examples/drivers/index.js';
import type { DriverDefinition } from '../system.js';
import type { ScenarioDefinition } from './define.js';
import type { ScenarioLibrary } from './library.js';

export const DEMO_SLOPPY_DRIVER_NAME = 'sloppy.sys';
export const DEMO_SLOPPY_COMPONENT = 'SloppyStats';
/** The driver the demo's bug check is blamed on. */
export const DEMO_CULPRIT = DEVICE_STATE_SAVER_DRIVER_NAME;
/** The C driver the demo loads beside the TypeScript ones (the README's C tutorial driver). */
export const DEMO_C_DRIVER_NAME = 'mydriver.sys';
export const DEMO_C_DRIVER_SOURCE = fileURLToPath(new URL('../../examples/drivers-c/mydriver.c', import.meta.url));

/** Rounds of activity before the crash: enough to wrap the flight recorder's rings and fill the bulk log. */
export const DEMO_ACTIVITY_STEPS = 250;
export { SAMPLE_SECONDARY_DATA_GUIDS };

/** The copy-paste example scenario (`.ts` in the sources, `.js` once built), for "try next" hints. */
export const SECONDARY_DATA_EXAMPLE = fileURLToPath(
  new URL(`../../examples/scenarios/secondary-data${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

/**
 * A driver that breaks the first rule of a bug check callback: its
 * secondary-data routine allocates pool at HIGH_LEVEL (ExAllocatePool2 must
 * not be called above DISPATCH_LEVEL). The kernel model stops the routine
 * there, records the violation, and the bug check goes on without its data.
 */
export function sloppyDriver(lib: ScenarioLibrary): DriverDefinition {
  return {
    name: DEMO_SLOPPY_DRIVER_NAME,
    DriverEntry(driver) {
      driver.registerReasonCallback(
        function SloppyBugCheckSecondaryDumpDataCallback(_reason, _record, data) {
          const request = driver.kernel.view(lib.KBUGCHECK_SECONDARY_DUMP_DATA, data);
          // Wrong: a fresh buffer for the statistics, allocated while the system is crashing.
          const statistics = driver.kernel.ExAllocatePool2(lib.POOL_FLAG_NON_PAGED, 0x200, 'Slpy');
          request.set('OutBuffer', statistics);
          request.set('OutBufferLength', 0x200);
        },
        lib.KbCallbackReason.KbCallbackSecondaryDumpData,
        DEMO_SLOPPY_COMPONENT,
      );
    },
  };
}

export interface DemoScenarioOptions {
  /** Folder for dumpmirror.sys's copies; default: next to each dump. */
  mirrorDir?: string;
  /** Machine RAM; default 256MiB (a complete dump is about that size). */
  memory?: string;
  steps?: number;
}

/** Where dumpmirror.sys copies the dump of a run. */
export function demoMirrorPath(dumpPath: string, mirrorDir?: string): string {
  return mirrorDir === undefined ? `${dumpPath}.mirror` : join(mirrorDir, `${basename(dumpPath)}.mirror`);
}

export function createDemoScenario(options: DemoScenarioOptions = {}): ScenarioDefinition {
  return {
    options: {
      name: 'demo',
      description: 'seven sample drivers, a sloppy one and one in C; 0xD1 in devstate.sys',
      memory: options.memory ?? '256MiB',
      processors: 4,
      dump: { kind: 'all' },
    },
    async run(system, lib, context) {
      const drivers = loadSampleDrivers(system, { mirrorPath: demoMirrorPath(context.dumpPath, options.mirrorDir) });
      drivers.push(system.loadDriver(sloppyDriver(lib)));
      await system.loadDriver({ name: DEMO_C_DRIVER_NAME, sources: [DEMO_C_DRIVER_SOURCE] });
      simulateActivity(system, drivers, options.steps ?? DEMO_ACTIVITY_STEPS);
      const culprit = system.driver(DEMO_CULPRIT);
      if (culprit === undefined) throw new Error(`${DEMO_CULPRIT} is not loaded`);
      const blamed = bugCheckBlamedOn(culprit);
      system.KeBugCheckEx(blamed.code, ...blamed.parameters);
    },
  };
}
