import { createCrashDumpWriter } from '../dump/writer/index.js';
import { Kernel, KernelError, type CrashDumpKind, type CrashDumpWriterFactory, type KernelSettingsInput } from '../kernel/index.js';
import { createX64Machine, MachineError, type MachineOptions } from '../machine/index.js';
import { SimulatedSystem } from '../system.js';
import { ScenarioError, ScenarioErrorCode } from './errors.js';
import type { ScenarioOptions } from './options.js';

/** Told how far the primary body is: bytes done and total (the header is not counted). */
export type DumpProgress = (done: bigint, total: bigint) => void;

/** The writer createMachine uses, with a progress listener on writePrimary. */
function writerWithProgress(progress: DumpProgress | undefined): CrashDumpWriterFactory {
  if (progress === undefined) return createCrashDumpWriter;
  return (machine, plan, io) => {
    const session = createCrashDumpWriter(machine, plan, io);
    return {
      writePrimary: (inner) =>
        session.writePrimary((done, total) => {
          inner?.(done, total);
          progress(done, total);
        }),
      writeSecondaryData: (guid, data) => session.writeSecondaryData(guid, data),
      complete: () => session.complete(),
      abort: () => session.abort(),
    };
  };
}

/** Machine options and kernel settings for one run of a scenario. */
export function scenarioMachineOptions(options: ScenarioOptions, kind: CrashDumpKind, dumpPath: string): { machine: MachineOptions; kernel: KernelSettingsInput } {
  const machine: MachineOptions = { memoryBytes: options.memoryBytes };
  if (options.processors !== undefined) machine.processors = options.processors;
  if (options.build !== undefined) machine.build = options.build;
  if (options.productType !== undefined) machine.productType = options.productType;
  if (options.seed !== undefined) machine.seed = options.seed;
  const dump: NonNullable<KernelSettingsInput['dump']> = { enabled: options.dump.enabled, kind, path: dumpPath };
  if (options.dump.completeFormat !== undefined) dump.completeFormat = options.dump.completeFormat;
  if (options.dump.ioChunkBytes !== undefined) dump.ioChunkBytes = options.dump.ioChunkBytes;
  return { machine, kernel: { ...options.kernel, dump } };
}

/**
 * A fresh machine for one run: what createMachine builds (machine, kernel,
 * dump writer), plus a progress listener while the dump body is written.
 */
export function createScenarioSystem(options: ScenarioOptions, kind: CrashDumpKind, dumpPath: string, progress?: DumpProgress): SimulatedSystem {
  const { machine: machineOptions, kernel: kernelSettings } = scenarioMachineOptions(options, kind, dumpPath);
  try {
    const machine = createX64Machine(machineOptions);
    const kernel = new Kernel(machine, kernelSettings, writerWithProgress(progress));
    return new SimulatedSystem(machine, kernel);
  } catch (error) {
    // The schema checks what it can name; the machine and kernel check the rest.
    if (error instanceof MachineError || (error instanceof KernelError && error.code === 'E_KERNEL_SETTINGS')) {
      throw new ScenarioError(ScenarioErrorCode.Options, `scenario options: ${error.message}`, { cause: error.code });
    }
    throw error;
  }
}
