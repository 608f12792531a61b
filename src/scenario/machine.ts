import { KernelError, type CrashDumpKind, type KernelSettingsInput } from '../kernel/index.js';
import { MachineError, type MachineOptions } from '../machine/index.js';
import { createMachine, type SimulatedSystem } from '../system.js';
import { ScenarioError, ScenarioErrorCode } from './errors.js';
import type { ScenarioOptions } from './options.js';

/** Told how far the primary body is: bytes done and total (the header is not counted). */
export type DumpProgress = (done: bigint, total: bigint) => void;

/** Machine options and kernel settings for one run of a scenario. */
export function scenarioMachineOptions(
  options: ScenarioOptions,
  kind: CrashDumpKind,
  dumpPath: string,
): { machine: MachineOptions; kernel: KernelSettingsInput } {
  const machine: MachineOptions = { memoryBytes: options.memoryBytes };
  if (options.processors !== undefined) machine.processors = options.processors;
  if (options.build !== undefined) machine.build = options.build;
  if (options.productType !== undefined) machine.productType = options.productType;
  if (options.seed !== undefined) machine.seed = options.seed;
  const dump: NonNullable<KernelSettingsInput['dump']> = { enabled: options.dump.enabled, kind, path: dumpPath };
  if (options.dump.completeFormat !== undefined) dump.completeFormat = options.dump.completeFormat;
  if (options.dump.ioChunkBytes !== undefined) dump.ioChunkBytes = options.dump.ioChunkBytes;
  if (options.dump.modelDiagnostics !== undefined) dump.modelDiagnostics = options.dump.modelDiagnostics;
  return { machine, kernel: { ...options.kernel, dump } };
}

/** A fresh machine for one run (createMachine), with a progress observer while the dump body is written. */
export function createScenarioSystem(
  options: ScenarioOptions,
  kind: CrashDumpKind,
  dumpPath: string,
  progress?: DumpProgress,
): SimulatedSystem {
  const { machine, kernel } = scenarioMachineOptions(options, kind, dumpPath);
  let system: SimulatedSystem;
  try {
    system = createMachine({ ...machine, kernel });
  } catch (error) {
    // The schema checks what it can name; the machine and kernel check the rest.
    if (error instanceof MachineError || (error instanceof KernelError && error.code === 'E_KERNEL_SETTINGS')) {
      throw new ScenarioError(ScenarioErrorCode.Options, `scenario options: ${error.message}`, { cause: error.code });
    }
    throw error;
  }
  if (progress !== undefined) system.kernel.hooks = { ...system.kernel.hooks, onDumpProgress: progress };
  return system;
}
