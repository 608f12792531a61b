/**
 * The composition root: a simulated x64 machine with the bug check facility
 * running on it and the dump writer plugged into KeBugCheckEx. This is the
 * only module that knows all the layers; each layer stays ignorant of the
 * ones above it.
 */
import {
  createX64Machine,
  POOL_FLAG_NON_PAGED,
  type BugCheckCallSite,
  type LoadedModule,
  type Machine,
  type MachineOptions,
} from './machine/index.js';
import { Kernel, type BugCheckResult, type KernelSettingsInput } from './kernel/index.js';
import type { KBugCheckCallbackRoutine, KBugCheckReasonCallbackRoutine } from './kernel/index.js';
import { createCrashDumpWriter } from './dump/writer/index.js';
import { BugcheckError, KBUGCHECK_CALLBACK_RECORD, KBUGCHECK_REASON_CALLBACK_RECORD } from './format/index.js';
import { CDriver, compileDriver, type CDriverOptions, type CompileDriverOptions } from './cdriver/index.js';

/** Pool tag the driver helpers use when a driver names none. */
export const POOL_TAG_DEFAULT = 'Drvr';

export interface CreateMachineOptions extends MachineOptions {
  /** Kernel settings: dump kind and path, secondary-data limits, callback order… (see docs/model.md). */
  kernel?: KernelSettingsInput;
}

/** What a sample driver (or a scenario's driver) declares: WDK-style entry and unload routines. */
export interface DriverDefinition {
  /** Image name, e.g. `flightrec.sys`. */
  name: string;
  /** SizeOfImage; default 0x10000. */
  imageSize?: number;
  timeDateStamp?: number;
  DriverEntry(driver: DriverObject): void;
  DriverUnload?(driver: DriverObject): void;
}

/** Stable codes of SystemError: a driver helper of the composition root that could not do its job. */
export const SystemErrorCode = {
  /** `DriverObject.allocateNonPaged` failed (ExAllocatePool2 returned NULL). */
  DriverAllocation: 'E_DRIVER_ALLOCATION',
  /** A registration helper's Ke* call returned FALSE. */
  DriverRegister: 'E_DRIVER_REGISTER',
  /** The driver is not (or no longer) loaded. */
  DriverNotLoaded: 'E_DRIVER_NOT_LOADED',
} as const;
export type SystemErrorCode = (typeof SystemErrorCode)[keyof typeof SystemErrorCode];

export class SystemError extends BugcheckError {
  constructor(code: SystemErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

/**
 * A loaded driver: its image in the module list, and helpers that do what
 * a WDK driver does by hand (allocate a resident record, initialise it,
 * register it with a routine whose address lies inside the driver's image).
 */
export class DriverObject {
  /** Records this driver registered through the helpers, so DriverUnload can deregister them. */
  readonly records: { record: bigint; kind: 'reason' | 'legacy' }[] = [];
  /** Free-form per-driver state (a driver extension). */
  readonly extension: Record<string, unknown> = {};

  constructor(
    readonly definition: DriverDefinition,
    readonly module: LoadedModule,
    readonly kernel: Kernel,
    readonly machine: Machine,
  ) {}

  get name(): string {
    return this.definition.name;
  }

  /** ExAllocatePool2(POOL_FLAG_NON_PAGED) that fails loudly: drivers allocate before the crash. */
  allocateNonPaged(bytes: number, tag: string = POOL_TAG_DEFAULT): bigint {
    const va = this.kernel.ExAllocatePool2(POOL_FLAG_NON_PAGED, bytes, tag);
    if (va === 0n)
      throw new SystemError('E_DRIVER_ALLOCATION', `${this.name}: ExAllocatePool2 of ${bytes} nonpaged bytes failed`);
    return va;
  }

  /** Allocates a KBUGCHECK_REASON_CALLBACK_RECORD, initialises and registers it; returns the record's address. */
  registerReasonCallback(routine: KBugCheckReasonCallbackRoutine, reason: number, component: string): bigint {
    const record = this.allocateNonPaged(KBUGCHECK_REASON_CALLBACK_RECORD.size);
    this.kernel.KeInitializeCallbackRecord(record);
    const ok = this.kernel.KeRegisterBugCheckReasonCallback(record, routine, reason, component, {
      module: this.module,
    });
    if (!ok)
      throw new SystemError(
        'E_DRIVER_REGISTER',
        `${this.name}: KeRegisterBugCheckReasonCallback(reason ${reason}) returned FALSE`,
      );
    this.records.push({ record, kind: 'reason' });
    return record;
  }

  /** Allocates a KBUGCHECK_CALLBACK_RECORD and registers a legacy routine with its buffer. */
  registerBugCheckCallback(
    routine: KBugCheckCallbackRoutine,
    buffer: bigint,
    length: number,
    component: string,
  ): bigint {
    const record = this.allocateNonPaged(KBUGCHECK_CALLBACK_RECORD.size);
    this.kernel.KeInitializeCallbackRecord(record, KBUGCHECK_CALLBACK_RECORD);
    const ok = this.kernel.KeRegisterBugCheckCallback(record, routine, buffer, length, component, {
      module: this.module,
    });
    if (!ok) throw new SystemError('E_DRIVER_REGISTER', `${this.name}: KeRegisterBugCheckCallback returned FALSE`);
    this.records.push({ record, kind: 'legacy' });
    return record;
  }

  /** Deregisters everything registered through the helpers (what a DriverUnload must do). */
  deregisterAll(): void {
    for (const { record, kind } of this.records.splice(0)) {
      if (kind === 'reason') this.kernel.KeDeregisterBugCheckReasonCallback(record);
      else this.kernel.KeDeregisterBugCheckCallback(record);
    }
  }

  /** An address inside this driver's image, e.g. for a faulting instruction in a bug check parameter. */
  codeAddress(label: string): bigint {
    return this.machine.allocateCodeAddress(this.module, label);
  }

  /** DbgPrint: the text goes to the kernel's DbgPrint buffer (`!dbgprint`), as this driver's output. */
  DbgPrint(text: string): void {
    this.machine.dbgPrint(text);
  }
}

/** A C driver already compiled (compileDriver), with its load options (name, window size, host channels…). */
export type CDriverDefinition = CDriverOptions;

/** A C driver given as sources: compiled (or taken from the cache), then loaded. */
export type CDriverSourceDefinition = Omit<CDriverOptions, 'compiled'> & CompileDriverOptions;

function isCDriverDefinition(d: unknown): d is CDriverDefinition {
  return typeof d === 'object' && d !== null && 'compiled' in d;
}

function isCDriverSources(d: unknown): d is CDriverSourceDefinition {
  return typeof d === 'object' && d !== null && 'sources' in d;
}

export class SimulatedSystem {
  readonly drivers: DriverObject[] = [];
  /** C drivers, in load order (see src/cdriver/README.md). */
  readonly cDrivers: CDriver[] = [];

  constructor(
    readonly machine: Machine,
    readonly kernel: Kernel,
  ) {}

  /**
   * Loads a driver and runs its DriverEntry:
   * - a TypeScript DriverDefinition (returns its DriverObject; a throwing DriverEntry unloads the image again);
   * - a compiled C driver `{ name, compiled }` (returns the CDriver);
   * - C sources `{ name, sources: ['mydriver.c'] }`: compiled first (cached), so it returns a Promise.
   * A C DriverEntry that fails or traps throws CDriverError with the driver unloaded again.
   */
  loadDriver(definition: CDriverSourceDefinition): Promise<CDriver>;
  loadDriver(definition: CDriverDefinition): CDriver;
  loadDriver(definition: DriverDefinition): DriverObject;
  loadDriver(
    definition: DriverDefinition | CDriverDefinition | CDriverSourceDefinition,
  ): DriverObject | CDriver | Promise<CDriver> {
    if (isCDriverDefinition(definition)) return this.loadCDriver(definition);
    if (isCDriverSources(definition)) {
      const { name, windowBytes, stackBytes, registryPath, hostChannels, dbgPrintFilter, timeDateStamp, ...compile } =
        definition;
      return compileDriver(compile).then((compiled) =>
        this.loadCDriver({
          name,
          compiled,
          ...(windowBytes !== undefined ? { windowBytes } : {}),
          ...(stackBytes !== undefined ? { stackBytes } : {}),
          ...(registryPath !== undefined ? { registryPath } : {}),
          ...(hostChannels !== undefined ? { hostChannels } : {}),
          ...(dbgPrintFilter !== undefined ? { dbgPrintFilter } : {}),
          ...(timeDateStamp !== undefined ? { timeDateStamp } : {}),
        }),
      );
    }
    return this.loadTypeScriptDriver(definition);
  }

  private loadCDriver(definition: CDriverDefinition): CDriver {
    const driver = CDriver.load(this.machine, this.kernel, definition);
    this.cDrivers.push(driver);
    return driver;
  }

  private loadTypeScriptDriver(definition: DriverDefinition): DriverObject {
    const module = this.machine.loadModule(definition.name, definition.imageSize ?? 0x10000, {
      ...(definition.timeDateStamp !== undefined ? { timeDateStamp: definition.timeDateStamp } : {}),
    });
    const driver = new DriverObject(definition, module, this.kernel, this.machine);
    try {
      definition.DriverEntry(driver);
    } catch (error) {
      driver.deregisterAll();
      this.machine.unloadModule(module);
      throw error;
    }
    this.drivers.push(driver);
    return driver;
  }

  /** Calls DriverUnload (or deregisters the helper-made records) and unloads the image. */
  unloadDriver(driver: DriverObject | CDriver): void {
    if (driver instanceof CDriver) {
      const at = this.cDrivers.indexOf(driver);
      if (at < 0) throw new SystemError('E_DRIVER_NOT_LOADED', `${driver.name} is not loaded`);
      driver.unload();
      this.cDrivers.splice(at, 1);
      return;
    }
    const index = this.drivers.indexOf(driver);
    if (index < 0) throw new SystemError('E_DRIVER_NOT_LOADED', `${driver.name} is not loaded`);
    driver.definition.DriverUnload?.(driver);
    driver.deregisterAll();
    this.machine.unloadModule(driver.module);
    this.drivers.splice(index, 1);
  }

  driver(name: string): DriverObject | undefined {
    return this.drivers.find((d) => d.name.toLowerCase() === name.toLowerCase());
  }

  cDriver(name: string): CDriver | undefined {
    return this.cDrivers.find((d) => d.name.toLowerCase() === name.toLowerCase());
  }

  /**
   * KeBugCheckEx on the kernel's current processor. `site` says where it was
   * called from — `{ caller: driver.codeAddress('MyDpcRoutine') }`, plus the
   * routines that led there (`callers`, innermost first) and the path
   * ('thread': a System worker thread; 'dpc': a DPC at DISPATCH_LEVEL) — and
   * shapes the crashing thread's stack. Without it the caller is the first
   * parameter that lies in a driver's routine (0xD1's P4, for example), if
   * any. A bad `site` throws MachineError E_MACHINE_CALL_SITE before the
   * bug check starts.
   */
  KeBugCheckEx(code: number, p1 = 0n, p2 = 0n, p3 = 0n, p4 = 0n, site?: BugCheckCallSite): BugCheckResult {
    if (site !== undefined) this.machine.setBugCheckCallSite(this.kernel.currentProcessor, site);
    return this.kernel.KeBugCheckEx(code, p1, p2, p3, p4);
  }
}

/** A fresh machine with the bug check facility and the dump writer wired in. */
export function createMachine(options: CreateMachineOptions = {}): SimulatedSystem {
  const { kernel: kernelSettings, ...machineOptions } = options;
  const machine = createX64Machine(machineOptions);
  const kernel = new Kernel(machine, kernelSettings ?? {}, createCrashDumpWriter);
  return new SimulatedSystem(machine, kernel);
}
