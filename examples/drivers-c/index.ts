/**
 * The seven sample drivers in C (the twins of examples/drivers/), and what a
 * scenario needs to use them: compile, load in the TypeScript set's order,
 * let them work for a while (including the simulated devices' side, which is
 * not the driver's), and pin a crash on one. See README.md beside this file.
 */
import { fileURLToPath } from 'node:url';
import {
  compileDriver,
  guid,
  struct,
  type CDriver,
  type CompileDriverOptions,
  type CompiledCDriver,
  type GuidString,
  type SimulatedSystem,
} from '../../src/index.js';

export const C_SAMPLE_NAMES = [
  'flightrec',
  'dumpmirror',
  'devstate',
  'secretkeeper',
  'bulklog',
  'triagehlp',
  'legacydev',
] as const;
export type CSampleName = (typeof C_SAMPLE_NAMES)[number];

/** The source file of a sample. */
export function cSampleSource(name: CSampleName): string {
  return fileURLToPath(new URL(`./${name}.c`, import.meta.url));
}

export type CSampleDefines = Partial<Record<CSampleName, Record<string, string | number>>>;

/** Compiles the seven (each from the cache after the first time). */
export async function compileCSamples(
  options: { defines?: CSampleDefines; cache?: CompileDriverOptions['cache'] } = {},
): Promise<Record<CSampleName, CompiledCDriver>> {
  const out: Partial<Record<CSampleName, CompiledCDriver>> = {};
  for (const name of C_SAMPLE_NAMES) {
    out[name] = await compileDriver({
      sources: [cSampleSource(name)],
      ...(options.defines?.[name] ? { defines: options.defines[name] } : {}),
      ...(options.cache !== undefined ? { cache: options.cache } : {}),
    });
  }
  return out as Record<CSampleName, CompiledCDriver>;
}

const GUID_BYTES = struct('GUID', { value: guid });

/** A GUID as the 16 bytes C passes by pointer. */
export function guidBytes(value: GuidString): Uint8Array {
  return GUID_BYTES.encode({ value });
}

/** The data sources the sample set gives flightrec.sys (as examples/drivers/index.ts does). */
export const FLIGHT_RECORDER_C_DATA_SOURCES: readonly { guid: GuidString; entrySize: number; entryCount: number }[] = [
  { guid: '43f2c3a8-e748-4f44-b2b3-a299e9d7afa0', entrySize: 32, entryCount: 64 },
  { guid: '3eb0a132-03b3-43ee-a98b-41de44c54f93', entrySize: 128, entryCount: 16 },
];

export interface CSampleLoadOptions {
  /** The file dumpmirror.sys's "mirror" host channel writes. */
  mirrorPath: string;
  /** Which samples to load (default all seven, in the TypeScript set's order). */
  only?: readonly CSampleName[];
}

/** Loads the compiled samples into `system` (image names `<name>.sys`); flightrec gets its two data sources. */
export function loadCSampleDrivers(
  system: SimulatedSystem,
  compiled: Record<CSampleName, CompiledCDriver>,
  options: CSampleLoadOptions,
): CDriver[] {
  const drivers: CDriver[] = [];
  for (const name of options.only ?? C_SAMPLE_NAMES) {
    const driver = system.loadDriver({
      name: `${name}.sys`,
      compiled: compiled[name],
      ...(name === 'dumpmirror' ? { hostChannels: { mirror: options.mirrorPath } } : {}),
    });
    if (name === 'flightrec') {
      for (const source of FLIGHT_RECORDER_C_DATA_SOURCES) {
        const index = driver.call(
          'FlightRecorderDataSourceCreate',
          guidBytes(source.guid),
          source.entrySize,
          source.entryCount,
        );
        if (typeof index !== 'number' || index < 0) throw new Error(`flightrec.sys refused data source ${source.guid}`);
      }
    }
    drivers.push(driver);
  }
  return drivers;
}

const RECEIVE_DESCRIPTOR_SIZE = 0x40;
const RANGE_SIZE = 24;

/**
 * devstate.sys's device at work for one step: it DMAs a receive descriptor
 * into its ring and a line into its trace buffer (physical writes — the
 * device, not the CPU), then the driver's interrupt handler (C) updates the
 * mailbox. The same bytes examples/drivers/deviceStateSaver.ts writes.
 */
export function deviceStateSaverCRun(system: SimulatedSystem, driver: CDriver, step: number): void {
  const { machine } = system;
  const extension = machine.readU64(driver.symbol('g_Extension'));
  const ring = machine.readU64(extension + 8n);
  const ringPages = Number(machine.readU64(extension + 8n + 8n));
  const trace = machine.readU64(extension + 8n + BigInt(RANGE_SIZE));
  const tracePages = Number(machine.readU64(extension + 8n + BigInt(RANGE_SIZE) + 8n));
  const slots = (ringPages * 0x1000) / RECEIVE_DESCRIPTOR_SIZE;
  const descriptor = new Uint8Array(RECEIVE_DESCRIPTOR_SIZE);
  const dv = new DataView(descriptor.buffer);
  dv.setUint32(0, 0x4452_5852, true); // 'RXRD'
  dv.setUint32(4, step, true);
  dv.setUint32(8, 60 + ((step * 37) % 1400), true);
  descriptor.set(Buffer.from(`frame ${step}`, 'latin1'), 16);
  machine.physical.write(ring + BigInt((step % slots) * RECEIVE_DESCRIPTOR_SIZE), descriptor);
  const line = Buffer.from(`[fw ${String(step).padStart(6, '0')}] rx ok\n`, 'latin1');
  const lineSlots = Math.floor((tracePages * 0x1000) / line.length);
  machine.physical.write(trace + BigInt((step % lineSlots) * line.length), line);
  driver.call('DeviceStateSaverInterrupt', step);
}

const RUNS: Record<CSampleName, ((system: SimulatedSystem, driver: CDriver, step: number) => void) | null> = {
  flightrec: (_s, d, step) => d.call('FlightRecorderRun', step),
  dumpmirror: null,
  devstate: deviceStateSaverCRun,
  secretkeeper: (_s, d, step) => d.call('SecretKeeperRun', step),
  bulklog: (_s, d, step) => d.call('BulkLoggerRun', step),
  triagehlp: (_s, d, step) => d.call('TriageHelperRun', step),
  legacydev: (_s, d, step) => d.call('LegacyDeviceRun', step),
};

function sampleOf(driver: CDriver): CSampleName | undefined {
  return C_SAMPLE_NAMES.find((n) => driver.name.toLowerCase() === `${n}.sys`);
}

/** `steps` rounds of each C sample's normal work, the same work simulateActivity gives the TypeScript set. */
export function simulateCActivity(system: SimulatedSystem, drivers: readonly CDriver[], steps: number): void {
  for (let step = 0; step < steps; step++) {
    for (const driver of drivers) {
      const name = sampleOf(driver);
      if (name) RUNS[name]?.(system, driver, step);
    }
  }
}

/** A 0xD1 DRIVER_IRQL_NOT_LESS_OR_EQUAL pinned on a C driver: P4 is an instruction inside its image. */
export function bugCheckBlamedOnC(driver: CDriver): { code: number; parameters: [bigint, bigint, bigint, bigint] } {
  const label = `${driver.name.replace(/\.sys$/i, '')}!DpcForIsr+0x4a`;
  return { code: 0xd1, parameters: [0x18n, 2n, 0n, driver.codeAddress(label)] };
}
