/**
 * What `bugcheck demo` runs, as a scenario file: `bugcheck run
 * examples/scenarios/demo.ts --out DIR` (dumpmirror.sys then writes
 * `<dump>.mirror` next to each dump). The scenario itself is
 * src/scenario/demo.ts; `createDemoScenario({ mirrorDir?, memory?, steps? })`
 * builds it with other settings.
 */
import { createDemoScenario } from '../../src/scenario/demo.js';

export * from '../../src/scenario/demo.js';
export default createDemoScenario();
