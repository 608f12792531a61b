/**
 * Loading a compiled C driver onto a simulated machine: its memory window,
 * its image in the module list, its stack, the imports (kernel services and
 * the runtime's slow paths), DriverEntry with a real DRIVER_OBJECT and
 * registry path; then its routines as the kernel calls them, its exported
 * functions for scenarios, and DriverUnload.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { hex, isCanonical } from '../format/index.js';
import type { Kernel, KBugCheckCallbackRoutine, KBugCheckReasonCallbackRoutine } from '../kernel/index.js';
import {
  KeBugCheckUnwind,
  kernelServices,
  recordDbgPrint,
  type CServiceContext,
  type DbgPrintMessage,
  type HostChannel,
} from '../kernel/services/index.js';
import {
  PageFault,
  POOL_FLAG_NON_PAGED,
  Wasm,
  WasmWindow,
  type LoadedModule,
  type Machine,
  type WasmGlobal,
  type WasmInstance,
  type WasmTable,
  type WasmWindowLayout,
} from '../machine/index.js';
import { CDriverError } from './errors.js';
import { DRIVER_OBJECT, IO_TYPE_DRIVER } from './layouts.js';
import { TEXT_RVA } from './lower.js';
import type { CompiledCDriver } from './toolchain.js';
import { CPageFault, captureStack, locateInStack, noteServiceLocation, translateCError, type CodeMap } from './trap.js';
import { exportIndex, functionNames, functionSignatures, wasmSections, type FunctionSignature } from './wasmBinary.js';

const PAGE = 0x1000;
const WASM_PAGE = 0x10000;
export const DEFAULT_WINDOW_BYTES = 64 * 1024 * 1024;
export const DEFAULT_STACK_BYTES = 64 * 1024;
/** Unmapped pages below the stack: an overflow faults instead of writing over the image. */
const STACK_GUARD_BYTES = 0x10000;
const STATUS_SUCCESS_MAX = 0x7fffffff;

export interface CDriverOptions {
  /** Image name, e.g. `mydriver.sys`. */
  name: string;
  /** The compiled driver (compileDriver). */
  compiled: CompiledCDriver;
  /** Size of the driver's memory window (its image, stack, pool and I/O mappings); default 64 MiB. */
  windowBytes?: number;
  /** Its stack; default 64 KiB. */
  stackBytes?: number;
  /** The registry path DriverEntry gets; default \REGISTRY\MACHINE\SYSTEM\ControlSet001\Services\<name>. */
  registryPath?: string;
  /** Host channels (bugcheck.h) by name → file the bytes go to. */
  hostChannels?: Readonly<Record<string, string>>;
  /** DbgPrintEx filter: 'windows' (error level only, the default) or 'all'. */
  dbgPrintFilter?: 'windows' | 'all';
  timeDateStamp?: number;
}

/** How the loaded driver's image and window are laid out (offsets from the window base). */
export interface CDriverLayout {
  imageSize: number;
  textRva: number;
  dataRva: number;
  stackBase: number;
  stackTop: number;
  loadBounce: number;
  storeBounce: number;
  window: WasmWindowLayout;
}

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

export function cDriverLayout(compiled: CompiledCDriver, windowBytes: number, stackBytes: number): CDriverLayout {
  const textBytes = roundUp(Math.max(compiled.dylink.tableSize, 1), PAGE);
  const dataRva = TEXT_RVA + textBytes;
  const imageSize = dataRva + roundUp(Math.max(compiled.dylink.memorySize, 1), PAGE);
  const stackBase = roundUp(imageSize, WASM_PAGE) + STACK_GUARD_BYTES;
  const stackTop = stackBase + roundUp(stackBytes, PAGE);
  const poolStart = stackTop + PAGE;
  const runtimeBytes = roundUp(windowBytes / PAGE, PAGE) + PAGE;
  const runtime = windowBytes - runtimeBytes;
  const room = runtime - poolStart;
  if (room < 16 * PAGE) {
    throw new CDriverError(
      'E_CDRIVER_WINDOW',
      `a ${windowBytes}-byte window cannot hold the ${imageSize}-byte image, a ${stackBytes}-byte stack and a pool`,
      { windowBytes, imageSize, stackBytes },
    );
  }
  const io = roundUp(Math.floor(room / 8), PAGE);
  const paged = roundUp(Math.floor(room / 8), PAGE);
  const nonPaged = room - io - paged;
  return {
    imageSize,
    textRva: TEXT_RVA,
    dataRva,
    stackBase,
    stackTop,
    loadBounce: runtime + runtimeBytes - PAGE,
    storeBounce: runtime + runtimeBytes - PAGE + 0x100,
    window: {
      nonPagedPool: { offset: poolStart, bytes: nonPaged },
      pagedPool: { offset: poolStart + nonPaged, bytes: paged },
      ioSpace: { offset: poolStart + nonPaged + paged, bytes: io },
      runtime: { offset: runtime, bytes: runtimeBytes },
    },
  };
}

interface CompiledExtras {
  module: object;
  names: Map<number, string>;
  signatures: FunctionSignature[];
  exports: Map<string, { kind: number; index: number }>;
}

const extras = new WeakMap<CompiledCDriver, CompiledExtras>();

/** The WebAssembly.Module and the facts read from it, once per compiled driver. */
function compiledExtras(compiled: CompiledCDriver): CompiledExtras {
  let e = extras.get(compiled);
  if (!e) {
    const sections = wasmSections(compiled.wasm);
    e = {
      module: new Wasm.Module(compiled.wasm),
      names: functionNames(compiled.wasm, sections),
      signatures: functionSignatures(compiled.wasm, sections),
      exports: exportIndex(compiled.wasm, sections),
    };
    extras.set(compiled, e);
  }
  return e;
}

const RUNTIME_IMPORTS = ['__bc_slow_load', '__bc_slow_store', '__bc_flush_store', '__bc_bad_function_pointer'];
const GLOBAL_IMPORTS = ['__stack_pointer', '__memory_base', '__table_base'];

/** What the module needs that nothing provides, as one message (or null). */
function missingImports(module: object, services: Record<string, unknown>): string | null {
  const functions: string[] = [];
  const data: string[] = [];
  const pointers: string[] = [];
  for (const imp of Wasm.Module.imports(module)) {
    if (imp.module === 'GOT.mem') data.push(imp.name);
    else if (imp.module === 'GOT.func') pointers.push(imp.name);
    else if (imp.kind === 'function' && !(imp.name in services) && !RUNTIME_IMPORTS.includes(imp.name))
      functions.push(imp.name);
    else if (imp.kind === 'global' && !GLOBAL_IMPORTS.includes(imp.name)) data.push(imp.name);
  }
  const parts: string[] = [];
  if (functions.length > 0) parts.push(`functions no kernel service provides: ${functions.join(', ')}`);
  if (data.length > 0) parts.push(`data it declares but never defines: ${data.join(', ')}`);
  if (pointers.length > 0) parts.push(`the address of kernel routines (not supported): ${pointers.join(', ')}`);
  return parts.length === 0 ? null : parts.join('; ');
}

function utf16z(text: string): Uint8Array {
  return Buffer.from(`${text}\0`, 'utf16le');
}

class FileChannel implements HostChannel {
  private fd: number | null;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  write(offset: bigint, bytes: Uint8Array): void {
    if (this.fd === null) throw new Error('closed');
    if (offset > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('offset beyond the channel');
    writeSync(this.fd, bytes, 0, bytes.length, Number(offset));
  }
  close(flush: boolean): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      if (flush) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

export type CArgument = number | bigint | boolean | string | Uint8Array;

/** A C driver loaded on a machine. */
export class CDriver {
  readonly name: string;
  readonly window: WasmWindow;
  readonly module: LoadedModule;
  readonly layout: CDriverLayout;
  /** DriverEntry's NTSTATUS, or null when it bug-checked the machine instead of returning. */
  readonly entryStatus: number | null;
  /** Address of its DRIVER_OBJECT and of the registry path UNICODE_STRING. */
  readonly driverObject: bigint;
  readonly registryPath: bigint;

  private readonly instance: WasmInstance;
  private readonly table: WasmTable;
  private readonly map: CodeMap;
  private readonly extras: CompiledExtras;
  private readonly reasonRoutines = new Map<bigint, KBugCheckReasonCallbackRoutine>();
  private readonly legacyRoutines = new Map<bigint, KBugCheckCallbackRoutine>();
  private readonly channels: HostChannel[] = [];
  private pendingStore: { address: bigint; bytes: number } | null = null;
  private controlAddress = 0n;
  private unloaded = false;

  /** Loads the driver and runs DriverEntry. Throws CDriverError when it cannot load or DriverEntry fails. */
  static load(machine: Machine, kernel: Kernel, options: CDriverOptions): CDriver {
    return new CDriver(machine, kernel, options);
  }

  private constructor(
    readonly machine: Machine,
    readonly kernel: Kernel,
    readonly options: CDriverOptions,
  ) {
    const { compiled } = options;
    if (compiled?.kind !== 'c-driver')
      throw new CDriverError('E_CDRIVER_MODULE', 'loadDriver: `compiled` is not a compiled C driver (compileDriver)');
    this.name = options.name;
    this.extras = compiledExtras(compiled);
    this.map = { driver: this.name, names: this.extras.names, offsetMap: compiled.offsetMap, lines: compiled.lines };
    const windowBytes = options.windowBytes ?? DEFAULT_WINDOW_BYTES;
    this.layout = cDriverLayout(compiled, windowBytes, options.stackBytes ?? DEFAULT_STACK_BYTES);

    if (!this.extras.exports.has('DriverEntry'))
      throw new CDriverError('E_CDRIVER_NO_DRIVER_ENTRY', `${this.name} has no DriverEntry (a non-static function)`, {
        driver: this.name,
      });
    this.window = WasmWindow.reserve(machine, roundUp(windowBytes, WASM_PAGE), this.layout.window);
    const base = this.window.base;
    const services = kernelServices(this.serviceContext());
    const missing = missingImports(this.extras.module, services);
    if (missing) {
      this.window.release();
      throw new CDriverError('E_CDRIVER_IMPORTS', `${this.name} cannot be loaded: it imports ${missing}`, {
        driver: this.name,
      });
    }
    try {
      // The loader's own code slots (entry point, labels) and tables stay in the page before TEXT_RVA
      // (`codeEnd` and `textEnd` both name that bound, for either version of the module list).
      const ranges = {
        codeStart: 0x1000,
        codeEnd: TEXT_RVA,
        textEnd: TEXT_RVA,
        dataFloor: TEXT_RVA,
        dataTop: TEXT_RVA,
      };
      this.module = machine.loadModule(this.name, this.layout.imageSize, {
        base,
        ranges,
        ...(options.timeDateStamp !== undefined ? { timeDateStamp: options.timeDateStamp } : {}),
      });
    } catch (error) {
      this.window.release();
      throw error;
    }
    try {
      this.window.sync(0, this.layout.imageSize);
      // The text pages: one byte per function pointer, each a `ret` for a disassembler's sake.
      this.window.bytes.fill(0xc3, TEXT_RVA, this.layout.dataRva);
      for (const segment of compiled.dataSegments)
        this.window.bytes.set(segment.bytes, this.layout.dataRva + segment.offset);
      this.window.mapPages(this.layout.stackBase, (this.layout.stackTop - this.layout.stackBase) / PAGE);

      this.table = new Wasm.Table({ element: 'anyfunc', initial: TEXT_RVA + Math.max(compiled.dylink.tableSize, 1) });
      const imports = this.imports(services);
      this.instance = new Wasm.Instance(this.extras.module, imports);
      this.initialiseRuntime();
      ({ driverObject: this.driverObject, registryPath: this.registryPath } = this.createDriverObject());
      this.entryStatus = this.runDriverEntry();
    } catch (error) {
      this.teardown();
      throw error;
    }
  }

  /** Whether DriverEntry's KeBugCheckEx stopped the machine. */
  get bugCheckedInDriverEntry(): boolean {
    return this.entryStatus === null;
  }

  /** The code map traps are located with. */
  get codeMap(): CodeMap {
    return this.map;
  }

  /** The kernel VA of an exported C symbol: a global's address, or a function's pointer value. */
  symbol(name: string): bigint {
    const entry = this.extras.exports.get(name);
    if (!entry) throw new CDriverError('E_CDRIVER_CALL', `${this.name} exports no symbol ${name}`, { name });
    if (entry.kind === 3) {
      const g = this.instance.exports[name] as WasmGlobal;
      return this.window.base + BigInt(this.layout.dataRva) + BigInt(g.value);
    }
    throw new CDriverError('E_CDRIVER_CALL', `${name} is a function: call it with call()`, { name });
  }

  /**
   * Calls an exported C function. Numbers and bigints pass as they are
   * (converted to the parameter's width); a string passes as a pointer to a
   * NUL-terminated ANSI copy, a Uint8Array as a pointer to a copy that is
   * copied back into it after the call (in/out), both in the driver's
   * nonpaged pool for the duration of the call and wiped after it. Returns
   * the result (bigint for 64-bit results, which are pointers or SIZE_T).
   */
  call(name: string, ...args: CArgument[]): number | bigint | undefined {
    const entry = this.extras.exports.get(name);
    const fn = this.instance.exports[name];
    if (entry?.kind !== 0 || typeof fn !== 'function')
      throw new CDriverError('E_CDRIVER_CALL', `${this.name} exports no function ${name}`, { name });
    if (this.kernel.bugCheckResult !== null && !this.kernel.bugCheckInProgress)
      throw new CDriverError(
        'E_CDRIVER_CALL',
        `${this.name}: the machine has bug checked; drivers do not run any more`,
      );
    const signature = this.extras.signatures[entry.index] ?? { params: [], results: [] };
    if (args.length !== signature.params.length)
      throw new CDriverError(
        'E_CDRIVER_CALL',
        `${name} takes ${signature.params.length} argument(s), ${args.length} given`,
        { name },
      );
    const buffers: { va: bigint; bytes: number; copyBack: Uint8Array | null }[] = [];
    try {
      const values = args.map((arg, i) => this.marshal(name, i, arg, signature.params[i]!, buffers));
      const result = this.invoke(fn, values);
      for (const b of buffers) if (b.copyBack) b.copyBack.set(this.machine.readVirtual(b.va, b.copyBack.length));
      if (typeof result === 'bigint') return BigInt.asUintN(64, result);
      return result as number | undefined;
    } catch (error) {
      if (error instanceof KeBugCheckUnwind) return undefined;
      throw error;
    } finally {
      // The caller's buffers were never the driver's: wiped, so nothing of them is left in its pool (or a dump).
      for (const b of buffers) {
        this.machine.writeVirtual(b.va, new Uint8Array(b.bytes));
        this.window.freePool(b.va, 'BcAr');
      }
    }
  }

  /** An address inside this driver's image for `label` (e.g. a faulting instruction in a bug check parameter). */
  codeAddress(label: string): bigint {
    return this.machine.allocateCodeAddress(this.module, label);
  }

  /** Calls DriverUnload (if DriverEntry set one), deregisters what is left of its records, unloads the image. */
  unload(): void {
    if (this.unloaded) return;
    const unload = this.machine.readU64(this.driverObject + BigInt(DRIVER_OBJECT.offsets.DriverUnload));
    if (unload !== 0n) this.callPointer(unload, [this.driverObject], 'DriverUnload');
    this.teardown();
  }

  // ---- the kernel calling in ------------------------------------------------------------------

  private reasonRoutine(pointer: bigint): KBugCheckReasonCallbackRoutine {
    let fn = this.reasonRoutines.get(pointer);
    if (!fn) {
      fn = (reason, record, data, length) => {
        this.callPointer(pointer, [reason | 0, record, data, length | 0], 'reason callback');
      };
      Object.defineProperty(fn, 'name', { value: this.functionName(pointer) ?? `routine_${hex(pointer)}` });
      this.reasonRoutines.set(pointer, fn);
    }
    return fn;
  }

  private legacyRoutine(pointer: bigint): KBugCheckCallbackRoutine {
    let fn = this.legacyRoutines.get(pointer);
    if (!fn) {
      fn = (buffer, length) => {
        this.callPointer(pointer, [buffer, length | 0], 'bug check callback');
      };
      Object.defineProperty(fn, 'name', { value: this.functionName(pointer) ?? `routine_${hex(pointer)}` });
      this.legacyRoutines.set(pointer, fn);
    }
    return fn;
  }

  /** The function a pointer names, or a trap like a jump to garbage would cause. */
  private callPointer(pointer: bigint, args: (number | bigint)[], what: string): unknown {
    const fn = this.tableEntry(pointer);
    if (!fn) {
      throw translateCError(
        this.map,
        new CDriverError('E_CDRIVER_TRAP', `${this.name}: ${what} ${hex(pointer)} is not a function of the driver`, {
          pointer,
        }),
      );
    }
    return this.invoke(fn, args);
  }

  private tableEntry(pointer: bigint): ((...args: unknown[]) => unknown) | null {
    if (pointer >> 32n !== this.window.base >> 32n) return null;
    const index = Number(pointer & 0xffffffffn);
    if (index < TEXT_RVA || index >= this.table.length) return null;
    return this.table.get(index);
  }

  functionName(pointer: bigint): string | undefined {
    const fn = this.tableEntry(pointer);
    if (!fn) return undefined;
    return this.extras.names.get(Number(fn.name));
  }

  /** Every entry into C code: the window is brought up to date first, and errors come out translated. */
  private invoke(fn: (...args: never[]) => unknown, args: (number | bigint)[]): unknown {
    this.window.refresh();
    try {
      return (fn as (...a: (number | bigint)[]) => unknown)(...args);
    } catch (error) {
      if (error instanceof KeBugCheckUnwind) throw error;
      throw translateCError(this.map, error, (address) => this.inStackGuard(address));
    } finally {
      this.machine.physical.noteDirectWrite();
    }
  }

  private inStackGuard(address: bigint): boolean {
    const low = this.window.base + BigInt(this.layout.stackBase - STACK_GUARD_BYTES);
    return address >= low && address < this.window.base + BigInt(this.layout.stackBase);
  }

  // ---- loading ---------------------------------------------------------------------------------

  private serviceContext(): CServiceContext {
    const self = this;
    return {
      kernel: this.kernel,
      machine: this.machine,
      get window() {
        return self.window;
      },
      get module() {
        return self.module;
      },
      driverName: this.name,
      dbgPrintFilter: this.options.dbgPrintFilter ?? 'windows',
      reasonRoutine: (pointer) => this.reasonRoutine(pointer),
      legacyRoutine: (pointer) => this.legacyRoutine(pointer),
      functionName: (pointer) => this.functionName(pointer),
      print: (message: DbgPrintMessage) => this.print(message),
      openHostChannel: (name) => {
        const path = this.options.hostChannels?.[name];
        if (path === undefined) return undefined;
        const channel = new FileChannel(path);
        this.channels.push(channel);
        return channel;
      },
    };
  }

  private print(message: DbgPrintMessage): void {
    const cpu = this.machine.processors[this.kernel.currentProcessor];
    recordDbgPrint(this.machine, {
      driver: this.name,
      text: message.text,
      ...(message.componentId !== undefined ? { componentId: message.componentId } : {}),
      ...(message.level !== undefined ? { level: message.level } : {}),
      irql: cpu?.irql ?? 0,
      duringBugCheck: this.kernel.inCallback,
    });
  }

  private imports(services: Record<string, (...args: never[]) => unknown>): Record<string, Record<string, never>> {
    const env: Record<string, unknown> = {};
    const wrap = (f: (...args: never[]) => unknown) => {
      return (...args: never[]): unknown => {
        try {
          return f(...args);
        } catch (error) {
          noteServiceLocation(this.map, error);
          throw error;
        }
      };
    };
    for (const [name, f] of Object.entries(services)) env[name] = wrap(f);
    env.__bc_slow_load = wrap((address: bigint, bytes: number) => this.slowLoad(BigInt.asUintN(64, address), bytes));
    env.__bc_slow_store = wrap((address: bigint, bytes: number) => this.slowStore(BigInt.asUintN(64, address), bytes));
    env.__bc_flush_store = wrap(() => this.flushStore());
    env.__bc_bad_function_pointer = wrap((pointer: bigint) => {
      throw new CDriverError(
        'E_CDRIVER_TRAP',
        `call through a function pointer ${hex(BigInt.asUintN(64, pointer))} that is not one of ${this.name}'s functions`,
      );
    });
    const base = this.window.base;
    env.memory = this.window.memory;
    env.__indirect_function_table = this.table;
    env.__stack_pointer = new Wasm.Global(
      { value: 'i64', mutable: true },
      BigInt.asIntN(64, base + BigInt(this.layout.stackTop)),
    );
    env.__memory_base = new Wasm.Global({ value: 'i64' }, BigInt.asIntN(64, base + BigInt(this.layout.dataRva)));
    env.__table_base = new Wasm.Global({ value: 'i64' }, BigInt.asIntN(64, base + BigInt(TEXT_RVA)));
    return { env: env as Record<string, never> };
  }

  /**
   * The fault a CPU would take for this access, with where in the C code it
   * happened, or null. Checked before the machine is asked, so the fault is
   * reported once, as the C code's.
   */
  private accessFault(address: bigint, bytes: number, access: 'read' | 'write'): CPageFault | null {
    let reason: 'not-mapped' | 'non-canonical' | 'read-only' | null = null;
    let at = address;
    for (let page = address & ~0xfffn; page < address + BigInt(bytes); page += 0x1000n) {
      if (!isCanonical(page)) reason = 'non-canonical';
      else {
        const t = this.machine.kernelSpace.translate(page);
        if (!t) reason = 'not-mapped';
        else if (access === 'write' && !t.writable) reason = 'read-only';
      }
      if (reason) {
        at = page < address ? address : page;
        break;
      }
    }
    if (!reason) return null;
    const location = locateInStack(this.map, captureStack());
    const note = this.inStackGuard(at) ? ' (stack overflow: the guard page below the stack)' : '';
    return new CPageFault(new PageFault(at, access, reason), location, note);
  }

  /** A load the window cannot serve: the machine reads it (guarded, faulting) into the bounce slot. */
  private slowLoad(address: bigint, bytes: number): bigint {
    const fault = this.accessFault(address, bytes, 'read');
    if (fault) throw fault;
    const data = this.machine.readVirtual(address, bytes);
    this.window.bytes.set(data, this.layout.loadBounce);
    return BigInt.asIntN(64, this.window.base + BigInt(this.layout.loadBounce));
  }

  private slowStore(address: bigint, bytes: number): bigint {
    const fault = this.accessFault(address, bytes, 'write');
    if (fault) throw fault;
    this.pendingStore = { address, bytes };
    this.setPendingFlag(1);
    return BigInt.asIntN(64, this.window.base + BigInt(this.layout.storeBounce));
  }

  private flushStore(): void {
    const pending = this.pendingStore;
    this.pendingStore = null;
    this.setPendingFlag(0);
    if (!pending) return;
    const data = this.window.bytes.slice(this.layout.storeBounce, this.layout.storeBounce + pending.bytes);
    this.machine.writeVirtual(pending.address, data);
  }

  private setPendingFlag(value: number): void {
    const offset = this.window.offsetOf(this.controlAddress) + 24;
    new DataView(this.window.buffer).setBigUint64(offset, BigInt(value), true);
  }

  private initialiseRuntime(): void {
    const control = this.instance.exports.__bc_control as WasmGlobal | undefined;
    if (!control) throw new CDriverError('E_CDRIVER_MODULE', `${this.name}: the C runtime's __bc_control is missing`);
    this.controlAddress = this.window.base + BigInt(this.layout.dataRva) + BigInt(control.value);
    const v = new DataView(this.window.buffer, this.window.offsetOf(this.controlAddress), 32);
    v.setBigUint64(0, this.window.base, true);
    v.setBigUint64(8, BigInt(this.window.size), true);
    v.setBigUint64(16, this.window.base + BigInt(this.layout.window.runtime.offset), true);
    v.setBigUint64(24, 0n, true);
    for (const init of ['__wasm_apply_data_relocs', '__wasm_call_ctors']) {
      const fn = this.instance.exports[init];
      if (typeof fn === 'function') this.invoke(fn, []);
    }
  }

  private allocate(bytes: number, tag: string): bigint {
    const va = this.window.allocatePool(POOL_FLAG_NON_PAGED, bytes, tag);
    if (va === 0n)
      throw new CDriverError('E_CDRIVER_WINDOW', `${this.name}: its window has no room for ${bytes} bytes`);
    return va;
  }

  private createDriverObject(): { driverObject: bigint; registryPath: bigint } {
    const baseName = this.name.replace(/\.sys$/i, '');
    const driverObject = this.allocate(DRIVER_OBJECT.size, 'Driv');
    const extension = this.allocate(0x40, 'Driv');
    const driverName = utf16z(`\\Driver\\${baseName}`);
    const nameBuffer = this.allocate(driverName.length, 'Driv');
    this.machine.writeVirtual(nameBuffer, driverName);
    this.machine.writeU64(extension, driverObject);
    this.machine.writeVirtual(
      driverObject,
      DRIVER_OBJECT.encode({
        Type: IO_TYPE_DRIVER,
        Size: DRIVER_OBJECT.size,
        DeviceObject: 0n,
        Flags: 0x2, // DRVO_LEGACY_DRIVER
        DriverStart: this.module.base,
        DriverSize: this.module.size,
        DriverSection: this.module.ldrEntry,
        DriverExtension: extension,
        DriverName: { Length: driverName.length - 2, MaximumLength: driverName.length, Buffer: nameBuffer },
        HardwareDatabase: 0n,
        FastIoDispatch: 0n,
        DriverInit: this.module.entryPoint,
        DriverStartIo: 0n,
        DriverUnload: 0n,
        MajorFunction: new Array<bigint>(0x1c).fill(0n),
      }),
    );
    const path = utf16z(
      this.options.registryPath ?? `\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Services\\${baseName}`,
    );
    const pathBuffer = this.allocate(path.length, 'Driv');
    this.machine.writeVirtual(pathBuffer, path);
    const registryPath = this.allocate(16, 'Driv');
    const head = new Uint8Array(16);
    const dv = new DataView(head.buffer);
    dv.setUint16(0, path.length - 2, true);
    dv.setUint16(2, path.length, true);
    dv.setBigUint64(8, pathBuffer, true);
    this.machine.writeVirtual(registryPath, head);
    return { driverObject, registryPath };
  }

  private runDriverEntry(): number | null {
    const entry = this.instance.exports.DriverEntry as (...args: (number | bigint)[]) => unknown;
    let status: number;
    try {
      status = (this.invoke(entry, [this.driverObject, this.registryPath]) as number) | 0;
    } catch (error) {
      if (error instanceof KeBugCheckUnwind) return null;
      const message = error instanceof Error ? error.message : String(error);
      throw new CDriverError('E_CDRIVER_TRAP', `${this.name}: DriverEntry failed: ${message}`, {
        driver: this.name,
        cause: (error as { code?: unknown }).code ?? null,
      });
    }
    if (status < 0 || status > STATUS_SUCCESS_MAX) {
      throw new CDriverError(
        'E_CDRIVER_DRIVER_ENTRY_FAILED',
        `${this.name}: DriverEntry returned ${hex(status >>> 0, 8)}`,
        { driver: this.name, status: status >>> 0 },
      );
    }
    return status;
  }

  private marshal(
    name: string,
    index: number,
    arg: CArgument,
    type: string,
    buffers: { va: bigint; bytes: number; copyBack: Uint8Array | null }[],
  ): number | bigint {
    const bad = (why: string): never => {
      throw new CDriverError('E_CDRIVER_CALL', `${name}: argument ${index + 1} ${why}`, { name, index });
    };
    if (typeof arg === 'string' || arg instanceof Uint8Array) {
      if (type !== 'i64') bad('is a buffer but the parameter is not a pointer');
      const bytes = typeof arg === 'string' ? Buffer.from(`${arg}\0`, 'latin1') : arg;
      const size = Math.max(1, bytes.length);
      const va = this.window.allocatePool(POOL_FLAG_NON_PAGED, size, 'BcAr');
      if (va === 0n) bad('does not fit in the driver window');
      buffers.push({ va, bytes: size, copyBack: typeof arg === 'string' ? null : arg });
      if (bytes.length > 0) this.machine.writeVirtual(va, bytes);
      return BigInt.asIntN(64, va);
    }
    const value = typeof arg === 'boolean' ? (arg ? 1 : 0) : arg;
    if (type === 'i64') return BigInt.asIntN(64, BigInt(value));
    if (type === 'i32') return Number(BigInt.asIntN(32, BigInt(value)));
    if (type === 'f64' || type === 'f32') return Number(value);
    return bad(`has an unsupported parameter type ${type}`);
  }

  private teardown(): void {
    if (this.unloaded) return;
    this.unloaded = true;
    // Records still registered from this driver would call into unloaded code: the model takes them out.
    for (const r of this.kernel.registeredRecords()) {
      if (!this.window?.contains(r.routine, 1)) continue;
      if (r.kind === 'reason') this.kernel.KeDeregisterBugCheckReasonCallback(r.record);
      else this.kernel.KeDeregisterBugCheckCallback(r.record);
    }
    for (const channel of this.channels.splice(0)) {
      try {
        channel.close(false);
      } catch {
        // a channel that cannot close does not keep the driver loaded
      }
    }
    if (this.module) this.machine.unloadModule(this.module);
    this.window?.release();
  }
}
