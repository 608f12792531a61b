/**
 * The sample drivers: one per part of the bug check callback facility, and
 * the set the demo loads together. See README.md beside this file.
 */
import type { DriverDefinition, DriverObject, GuidString, SimulatedSystem } from '../../src/index.js';
import { BULK_LOGGER_GUID, bulkLoggerRun, createBulkLoggerDriver, type BulkLoggerOptions } from './bulkLogger.js';
import { createDeviceStateSaverDriver, deviceStateSaverRun, type DeviceStateSaverOptions } from './deviceStateSaver.js';
import { createDumpMirrorDriver, type DumpMirrorOptions } from './dumpMirror.js';
import {
  FLIGHT_RECORDER_GUID,
  FLIGHT_RECORDER_SERVICE_GUID,
  FLIGHT_RECORDER_TELEMETRY_GUID,
  createFlightRecorderDriver,
  flightRecorderRun,
  type FlightRecorderOptions,
} from './flightRecorder.js';
import { createLegacyDeviceDriver, legacyDeviceRun, type LegacyDeviceOptions } from './legacyDevice.js';
import { createSecretKeeperDriver, secretKeeperRun, type SecretKeeperOptions } from './secretKeeper.js';
import { createTriageHelperDriver, triageHelperRun, type TriageHelperOptions } from './triageHelper.js';
import { SampleDriverError } from './wdk.js';

export * from './flightRecorder.js';
export * from './dumpMirror.js';
export * from './deviceStateSaver.js';
export * from './secretKeeper.js';
export * from './bulkLogger.js';
export * from './triageHelper.js';
export * from './legacyDevice.js';
export {
  SampleDriverError,
  PAGE_SIZE,
  CONTAINING_RECORD,
  FIELD_OFFSET,
  BYTES_TO_PAGES,
  MmMapIoSpaceEx,
  MmUnmapIoSpace,
  MmGetPhysicalAddress,
  READ_REGISTER_ULONG,
  WRITE_REGISTER_ULONG,
} from './wdk.js';

export interface SampleDriverOptions {
  /** Where dumpmirror.sys writes its copy of the dump (e.g. `${dumpPath}.mirror`). */
  mirrorPath: string;
  flightRecorder?: FlightRecorderOptions;
  dumpMirror?: Omit<DumpMirrorOptions, 'mirrorPath'>;
  deviceStateSaver?: DeviceStateSaverOptions;
  secretKeeper?: SecretKeeperOptions;
  bulkLogger?: BulkLoggerOptions;
  triageHelper?: TriageHelperOptions;
  legacyDevice?: LegacyDeviceOptions;
}

/** Every GUID the sample set tags secondary data with, by what it holds (what `bugcheck enumtag` should list). */
export const SAMPLE_SECONDARY_DATA_GUIDS: Readonly<Record<string, GuidString>> = {
  'flightrec.sys own ring': FLIGHT_RECORDER_GUID,
  'flightrec.sys telemetry data source': FLIGHT_RECORDER_TELEMETRY_GUID,
  'flightrec.sys service data source': FLIGHT_RECORDER_SERVICE_GUID,
  'bulklog.sys log parts': BULK_LOGGER_GUID,
};

/**
 * The seven sample drivers with sensible defaults, in load order: the flight
 * recorder (with two data sources), the dump mirror, the device state saver,
 * the secret keeper, the bulk logger (1 MiB), the triage helper and the
 * legacy device.
 */
export function sampleDrivers(options: SampleDriverOptions): DriverDefinition[] {
  if (typeof options?.mirrorPath !== 'string' || options.mirrorPath.length === 0) {
    throw new SampleDriverError(
      'E_SAMPLE_ARGUMENT',
      'sampleDrivers: mirrorPath (the file dumpmirror.sys writes) is required',
    );
  }
  return [
    createFlightRecorderDriver({
      dataSources: [
        { guid: FLIGHT_RECORDER_TELEMETRY_GUID, entrySize: 32, entryCount: 64 },
        { guid: FLIGHT_RECORDER_SERVICE_GUID, entrySize: 128, entryCount: 16 },
      ],
      ...options.flightRecorder,
    }),
    createDumpMirrorDriver({ ...options.dumpMirror, mirrorPath: options.mirrorPath }),
    createDeviceStateSaverDriver(options.deviceStateSaver),
    createSecretKeeperDriver(options.secretKeeper),
    createBulkLoggerDriver(options.bulkLogger),
    createTriageHelperDriver(options.triageHelper),
    createLegacyDeviceDriver(options.legacyDevice),
  ];
}

/** sampleDrivers() loaded into `system`, in order. */
export function loadSampleDrivers(system: SimulatedSystem, options: SampleDriverOptions): DriverObject[] {
  return sampleDrivers(options).map((definition) => system.loadDriver(definition));
}

/** Per-step activity of each sample; each does nothing for a driver that is not its own. */
const RUNS: readonly ((driver: DriverObject, step: number) => void)[] = [
  flightRecorderRun,
  deviceStateSaverRun,
  secretKeeperRun,
  bulkLoggerRun,
  triageHelperRun,
  legacyDeviceRun,
];

/**
 * Lets the drivers "run briefly": `steps` rounds of each one's normal work
 * (events and samples logged, device DMA, encryptions, trace lines, requests,
 * device commands). Drivers that are not samples are left alone.
 */
export function simulateActivity(system: SimulatedSystem, drivers: readonly DriverObject[], steps: number): void {
  if (!Number.isInteger(steps) || steps < 0)
    throw new SampleDriverError('E_SAMPLE_ARGUMENT', `steps ${steps} must be a non-negative integer`);
  if (system.kernel.bugCheckResult !== null)
    throw new SampleDriverError('E_SAMPLE_HALTED', 'the machine has bug checked; drivers do not run any more');
  for (let step = 0; step < steps; step++) {
    for (const driver of drivers) for (const run of RUNS) run(driver, step);
  }
}

export interface BlamedBugCheck {
  code: number;
  parameters: [bigint, bigint, bigint, bigint];
}

/**
 * A realistic crash to pin on `driver`: 0xD1 DRIVER_IRQL_NOT_LESS_OR_EQUAL,
 * P1 the address referenced (default 0x18: a field of a NULL pointer), P2
 * the IRQL (2, DISPATCH_LEVEL), P3 0 (read), P4 the faulting instruction
 * inside the driver's image. Use as `system.KeBugCheckEx(b.code, ...b.parameters)`.
 */
export function bugCheckBlamedOn(
  driver: DriverObject,
  options: { label?: string; referencedAddress?: bigint } = {},
): BlamedBugCheck {
  const label = options.label ?? 'DpcForIsr';
  return { code: 0xd1, parameters: [options.referencedAddress ?? 0x18n, 2n, 0n, driver.codeAddress(label)] };
}
