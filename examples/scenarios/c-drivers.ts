/**
 * The seven sample drivers in C (examples/drivers-c) on one machine: compiled
 * (cached after the first run), loaded, 100 rounds of work, then 0xD1 blamed
 * on flightrec.sys. `bugcheck run examples/scenarios/c-drivers.ts --out dumps`
 */
import type { ScenarioDefinition } from '../../src/index.js';
import { bugCheckBlamedOnC, compileCSamples, loadCSampleDrivers, simulateCActivity } from '../drivers-c/index.js';

export default {
  options: {
    name: 'c-drivers',
    description: 'the seven sample drivers in C; 0xD1 in flightrec.sys',
    memory: '128MiB',
    dump: { kind: 'kernel' },
  },
  async run(system, _lib, context) {
    const compiled = await compileCSamples();
    const drivers = loadCSampleDrivers(system, compiled, { mirrorPath: `${context.dumpPath}.mirror` });
    simulateCActivity(system, drivers, 100);
    const crash = bugCheckBlamedOnC(drivers[0]!);
    system.KeBugCheckEx(crash.code, ...crash.parameters);
  },
} satisfies ScenarioDefinition;
