import type { AddressSpace } from './addressSpace.js';
import { MachineError } from './errors.js';
import type { MachineGuard } from './guard.js';
import type { PhysicalMemory } from './physical.js';
import type { KernelSymbols, LoadedModule, MachineOptions, Processor, UnloadedModule } from './types.js';

function notYet(what: string): never {
  throw new MachineError('E_MACHINE_NOT_IMPLEMENTED', `${what} is not implemented yet`);
}

/** A simulated x64 Windows 10 machine as the kernel sees it at the moment of a bug check. */
export class Machine {
  readonly options: Required<MachineOptions>;
  readonly physical: PhysicalMemory;
  readonly kernelSpace: AddressSpace;
  readonly symbols: KernelSymbols;
  readonly processors: readonly Processor[];
  readonly modules: readonly LoadedModule[];
  readonly unloadedModules: readonly UnloadedModule[];
  readonly kdbg: bigint;
  guard: MachineGuard | null = null;

  constructor(options: Required<MachineOptions>, physical: PhysicalMemory, kernelSpace: AddressSpace, symbols: KernelSymbols) {
    this.options = options;
    this.physical = physical;
    this.kernelSpace = kernelSpace;
    this.symbols = symbols;
    this.processors = [];
    this.modules = [];
    this.unloadedModules = [];
    this.kdbg = symbols.KdDebuggerDataBlock;
  }

  readVirtual(_va: bigint, _length: number): Uint8Array { return notYet('readVirtual'); }
  writeVirtual(_va: bigint, _data: Uint8Array): void { notYet('writeVirtual'); }
  readU8(_va: bigint): number { return notYet('readU8'); }
  readU16(_va: bigint): number { return notYet('readU16'); }
  readU32(_va: bigint): number { return notYet('readU32'); }
  readU64(_va: bigint): bigint { return notYet('readU64'); }
  writeU8(_va: bigint, _v: number): void { notYet('writeU8'); }
  writeU16(_va: bigint, _v: number): void { notYet('writeU16'); }
  writeU32(_va: bigint, _v: number): void { notYet('writeU32'); }
  writeU64(_va: bigint, _v: bigint): void { notYet('writeU64'); }
  readAnsiString(_va: bigint, _maxLength?: number): string { return notYet('readAnsiString'); }
  allocateAnsiString(_text: string): bigint { return notYet('allocateAnsiString'); }
  isAddressValid(_va: bigint): boolean { return notYet('isAddressValid'); }
  ExAllocatePool2(_flags: bigint, _numberOfBytes: number, _tag: number | string): bigint { return notYet('ExAllocatePool2'); }
  ExFreePoolWithTag(_va: bigint, _tag: number | string): void { notYet('ExFreePoolWithTag'); }
  isPagedPool(_va: bigint): boolean { return notYet('isPagedPool'); }
  allocateDeviceMemory(_pages: number): bigint { return notYet('allocateDeviceMemory'); }
  loadModule(_name: string, _sizeOfImage: number, _opts?: { timeDateStamp?: number; checkSum?: number }): LoadedModule { return notYet('loadModule'); }
  unloadModule(_module: LoadedModule): void { notYet('unloadModule'); }
  findModuleByAddress(_va: bigint): LoadedModule | undefined { return notYet('findModuleByAddress'); }
  allocateCodeAddress(_module: LoadedModule, _label: string): bigint { return notYet('allocateCodeAddress'); }
}

export function createX64Machine(_options: MachineOptions = {}): Machine {
  return notYet('createX64Machine');
}
