import { KLDR_DATA_TABLE_ENTRY, LIST_ENTRY64, UNICODE_STRING64 } from '../format/index.js';
import type { AddressSpace } from './addressSpace.js';
import { MachineError } from './errors.js';
import { IMAGE_CODE_START } from './layout.js';
import { buildPeHeader } from './peImage.js';
import type { PhysicalMemory } from './physical.js';
import type { LoadedModule, UnloadedModule } from './types.js';
import type { VirtualMemory } from './virtualMemory.js';

const PAGE = 0x1000;
const LARGE_PAGE = 0x200000;
/** Size of one code slot handed out by allocateCodeAddress. */
const CODE_SLOT = 0x20;
/** A tiny leaf routine: sub rsp,28h / add rsp,28h / ret, padded with int 3, so disassembly at a routine address looks like code. */
const ROUTINE_STUB = Uint8Array.of(0x48, 0x83, 0xec, 0x28, 0x48, 0x83, 0xc4, 0x28, 0xc3);
/** LDRP_* flags Windows 10 shows on a driver entry (image, entry processed, ...). */
const LDR_FLAGS_DRIVER = 0x4910_4000;
/** MI_UNLOADED_DRIVERS: the ring MmUnloadedDrivers points to. */
export const MI_UNLOADED_DRIVERS = 50;
/** UNLOADED_DRIVERS entry: UNICODE_STRING Name, StartAddress, EndAddress, CurrentTime. */
export const UNLOADED_DRIVER_ENTRY_SIZE = 0x28;
export const LARGEST_IMAGE = 0x1000_0000;

export interface ModuleListDeps {
  physical: PhysicalMemory;
  space: AddressSpace;
  memory: VirtualMemory;
  /** Nonpaged pool allocation (ExAllocatePool2 path, guard included). */
  allocateNonPaged(numberOfBytes: number, tag: string): bigint;
  freePool(va: bigint, tag: string): void;
  /** PsLoadedModuleList: the list head inside ntoskrnl. */
  listHead: bigint;
  /** The MmUnloadedDrivers ring and the MmLastUnloadedDriver counter variable. */
  unloadedRing: bigint;
  lastUnloadedVariable: bigint;
}

/** Code slots grow up from `next` to `end`; data slots grow down from `dataTop` to `dataFloor`. */
interface CodeSlots {
  next: number;
  end: number;
  dataTop: number;
  dataFloor: number;
  labels: Map<string, bigint>;
  data: Map<string, bigint>;
}

/** Where in an image code and data addresses are handed out (defaults: code from 0x1000 up, data from the end down). */
export interface ImageRanges {
  codeStart: number;
  codeEnd: number;
  dataFloor: number;
  dataTop: number;
}

/**
 * Loaded images and the loader's bookkeeping in simulated memory: each image
 * is mapped (PE header in its first page), and has a KLDR_DATA_TABLE_ENTRY
 * in nonpaged pool linked into the circular list headed at PsLoadedModuleList.
 */
export class ModuleList {
  readonly loaded: LoadedModule[] = [];
  readonly unloaded: UnloadedModule[] = [];
  /** findByAddress index; invalidated by every load/unload. */
  private byBase: { base: bigint; end: bigint; module: LoadedModule }[] | null | undefined;
  private byBaseFor = -1;
  private byBaseFirst: LoadedModule | undefined;
  private readonly slots = new Map<bigint, CodeSlots>();
  private readonly nameBuffers = new Map<bigint, bigint>();
  private lastUnloaded = 0;

  /** The list head lives in the first image loaded (ntoskrnl), so it is initialised once that image is mapped. */
  constructor(private readonly deps: ModuleListDeps) {}

  /** Maps an image at `base` and links its loader entry at the tail of PsLoadedModuleList. */
  load(
    name: string,
    sizeOfImage: number,
    base: bigint,
    opts: {
      timeDateStamp: number;
      checkSum: number;
      largePages?: boolean;
      fullName?: string;
      entryLabel?: string;
      ranges?: ImageRanges;
    },
  ): LoadedModule {
    checkImage(name, sizeOfImage);
    if (this.loaded.some((m) => m.name.toLowerCase() === name.toLowerCase())) {
      throw new MachineError('E_MACHINE_MODULE_EXISTS', `a module named ${name} is already loaded`, { name });
    }
    const size = Math.ceil(sizeOfImage / PAGE) * PAGE;
    this.mapImage(base, size, opts.largePages ?? false);
    const fullName = opts.fullName ?? defaultFullName(name);
    const r = opts.ranges ?? { codeStart: IMAGE_CODE_START, codeEnd: size, dataFloor: IMAGE_CODE_START, dataTop: size };
    this.slots.set(base, {
      next: r.codeStart,
      end: r.codeEnd,
      dataTop: r.dataTop,
      dataFloor: r.dataFloor,
      labels: new Map(),
      data: new Map(),
    });
    const provisional: LoadedModule = {
      name,
      fullName,
      base,
      size: sizeOfImage,
      entryPoint: 0n,
      timeDateStamp: opts.timeDateStamp >>> 0,
      checkSum: opts.checkSum >>> 0,
      ldrEntry: 0n,
    };
    const entryPoint = this.allocateSlot(
      base,
      sizeOfImage,
      name,
      opts.entryLabel ?? (name.toLowerCase().endsWith('.sys') ? 'GsDriverEntry' : 'DllMain'),
    );
    this.deps.memory.writeUnguarded(
      base,
      buildPeHeader({
        imageBase: base,
        sizeOfImage,
        entryPointRva: Number(entryPoint - base),
        timeDateStamp: provisional.timeDateStamp,
        checkSum: provisional.checkSum,
        isDll: name.toLowerCase().endsWith('.dll'),
      }),
    );
    this.protectHeader(base, opts.largePages ?? false);

    const ldrEntry = this.deps.allocateNonPaged(KLDR_DATA_TABLE_ENTRY.size, 'MmLd');
    // One buffer holds the full name; BaseDllName points at its last component, as the loader does it.
    const nameBytes = utf16(fullName);
    const nameBuffer = this.deps.allocateNonPaged(nameBytes.length + 2, 'MmLd');
    this.deps.memory.writeUnguarded(nameBuffer, nameBytes);
    const baseOffset = (fullName.length - name.length) * 2;
    const entry = KLDR_DATA_TABLE_ENTRY.encode({
      DllBase: base,
      EntryPoint: entryPoint,
      SizeOfImage: sizeOfImage,
      FullDllName: { Length: nameBytes.length, MaximumLength: nameBytes.length + 2, Buffer: nameBuffer },
      BaseDllName: {
        Length: name.length * 2,
        MaximumLength: name.length * 2 + 2,
        Buffer: nameBuffer + BigInt(baseOffset),
      },
      Flags: LDR_FLAGS_DRIVER,
      LoadCount: 1,
      CheckSum: provisional.checkSum,
      TimeDateStamp: provisional.timeDateStamp,
    });
    this.deps.memory.writeUnguarded(ldrEntry, entry);
    this.nameBuffers.set(ldrEntry, nameBuffer);
    const head = this.deps.listHead;
    if (this.loaded.length === 0) this.writeList(head, head, head);
    const tail = this.readList(head).Blink;
    this.writeList(ldrEntry, head, tail);
    this.writeFlink(tail, ldrEntry);
    this.writeBlink(head, ldrEntry);

    const module: LoadedModule = Object.freeze({ ...provisional, entryPoint, ldrEntry });
    this.loaded.push(module);
    this.byBase = undefined;
    return module;
  }

  /** Unlinks the entry, frees its pool, unmaps the image and records it in MmUnloadedDrivers. */
  unload(module: LoadedModule, unloadTime: bigint): UnloadedModule {
    const index = this.loaded.findIndex((m) => m.ldrEntry === module.ldrEntry && m.base === module.base);
    if (index < 0) {
      throw new MachineError('E_MACHINE_MODULE_NOT_LOADED', `${module.name} is not loaded`, {
        name: module.name,
        base: module.base,
      });
    }
    if (index < 2) {
      throw new MachineError('E_MACHINE_MODULE_NOT_LOADED', `${module.name} cannot be unloaded`, { name: module.name });
    }
    const { Flink, Blink } = this.readList(module.ldrEntry);
    this.writeFlink(Blink, Flink);
    this.writeBlink(Flink, Blink);
    this.deps.freePool(this.nameBuffers.get(module.ldrEntry)!, 'MmLd');
    this.deps.freePool(module.ldrEntry, 'MmLd');
    this.nameBuffers.delete(module.ldrEntry);
    this.loaded.splice(index, 1);
    this.byBase = undefined;
    this.slots.delete(module.base);

    const size = BigInt(Math.ceil(module.size / PAGE) * PAGE);
    for (let va = module.base; va < module.base + size; va += BigInt(PAGE)) {
      const t = this.deps.space.translate(va)!;
      this.deps.space.unmap(va);
      this.deps.physical.freeFrame(t.pa >> 12n);
    }
    const record: UnloadedModule = Object.freeze({
      name: module.name,
      startAddress: module.base,
      endAddress: module.base + size,
      unloadTime,
    });
    this.unloaded.push(record);
    this.recordUnload(record);
    return record;
  }

  findByAddress(va: bigint): LoadedModule | undefined {
    const index = this.addressIndex();
    if (index === null) return this.loaded.find((m) => va >= m.base && va < m.base + BigInt(m.size));
    // Images do not overlap, so the one module whose range holds va is also the first in load order.
    let lo = 0;
    let hi = index.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const entry = index[mid]!;
      if (va < entry.base) hi = mid - 1;
      else if (va >= entry.end) lo = mid + 1;
      else return entry.module;
    }
    return undefined;
  }

  /** Loaded images sorted by base (rebuilt after a load or unload); null if two of them overlap. */
  private addressIndex(): readonly { base: bigint; end: bigint; module: LoadedModule }[] | null {
    if (this.byBase === undefined || this.byBaseFor !== this.loaded.length || this.byBaseFirst !== this.loaded[0]) {
      const sorted = this.loaded
        .map((m) => ({ base: m.base, end: m.base + BigInt(m.size), module: m }))
        .sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
      const overlapping = sorted.some((e, i) => i > 0 && e.base < sorted[i - 1]!.end);
      this.byBase = overlapping ? null : sorted;
      this.byBaseFor = this.loaded.length;
      this.byBaseFirst = this.loaded[0];
    }
    return this.byBase;
  }

  /** A stable address inside the image for `label` (same label, same address), with a small routine body there. */
  codeAddress(module: LoadedModule, label: string): bigint {
    if (!this.loaded.some((m) => m.base === module.base && m.ldrEntry === module.ldrEntry)) {
      throw new MachineError('E_MACHINE_MODULE_NOT_LOADED', `${module.name} is not loaded`, { name: module.name });
    }
    return this.allocateSlot(module.base, module.size, module.name, label);
  }

  private allocateSlot(base: bigint, size: number, name: string, label: string): bigint {
    const slots = this.slots.get(base)!;
    const known = slots.labels.get(label);
    if (known !== undefined) return known;
    if (slots.next + CODE_SLOT > Math.min(slots.end, slots.dataTop)) {
      throw new MachineError(
        'E_MACHINE_IMAGE_FULL',
        `no room left in ${name} (0x${size.toString(16)} bytes) for routine ${label}`,
        { name, label },
      );
    }
    const va = base + BigInt(slots.next);
    slots.next += CODE_SLOT;
    slots.labels.set(label, va);
    const body = new Uint8Array(CODE_SLOT).fill(0xcc);
    body.set(ROUTINE_STUB);
    this.deps.memory.writeUnguarded(va, body);
    return va;
  }

  /**
   * A zeroed, writable, nonpaged variable of `size` bytes in the image's data
   * area (same label, same address): where a driver keeps globals such as a
   * KBUGCHECK_REASON_CALLBACK_RECORD.
   */
  dataAddress(module: LoadedModule, label: string, size: number): bigint {
    if (!this.loaded.some((m) => m.base === module.base && m.ldrEntry === module.ldrEntry)) {
      throw new MachineError('E_MACHINE_MODULE_NOT_LOADED', `${module.name} is not loaded`, { name: module.name });
    }
    if (!Number.isInteger(size) || size <= 0 || size > 0x10_0000) {
      throw new MachineError('E_MACHINE_ARGUMENT', `bad image data size ${size}`, { size });
    }
    const slots = this.slots.get(module.base)!;
    const known = slots.data.get(label);
    if (known !== undefined) return known;
    const top = Math.floor((slots.dataTop - size) / 16) * 16;
    const floor = Math.max(slots.dataFloor, slots.next);
    if (top < floor) {
      throw new MachineError(
        'E_MACHINE_IMAGE_FULL',
        `no room left in ${module.name} for ${size} bytes of data (${label})`,
        { name: module.name, label },
      );
    }
    slots.dataTop = top;
    const va = module.base + BigInt(top);
    slots.data.set(label, va);
    return va;
  }

  private mapImage(base: bigint, size: number, largePages: boolean): void {
    const { physical, space } = this.deps;
    if (largePages) {
      const largeCount = Math.ceil(size / LARGE_PAGE);
      const firstPfn = physical.allocateContiguousFrames(largeCount * (LARGE_PAGE / PAGE), 'kernel', LARGE_PAGE / PAGE);
      for (let i = 0; i < largeCount; i++) {
        space.map2M(base + BigInt(i * LARGE_PAGE), (firstPfn << 12n) + BigInt(i * LARGE_PAGE), { writable: true });
      }
      return;
    }
    for (let offset = 0; offset < size; offset += PAGE) {
      const pfn = physical.allocateFrame('kernel');
      space.map4K(base + BigInt(offset), pfn << 12n, { writable: true });
    }
  }

  /** The header page is read-only and not executable once the image is loaded. */
  private protectHeader(base: bigint, largePages: boolean): void {
    if (largePages) return;
    const t = this.deps.space.translate(base)!;
    this.deps.space.unmap(base);
    this.deps.space.map4K(base, t.pa, { writable: false, noExecute: true });
  }

  private recordUnload(record: UnloadedModule): void {
    const slot = this.lastUnloaded % MI_UNLOADED_DRIVERS;
    const at = this.deps.unloadedRing + BigInt(slot * UNLOADED_DRIVER_ENTRY_SIZE);
    const old = this.deps.memory.readUnguarded(at, UNICODE_STRING64.size);
    const oldBuffer = UNICODE_STRING64.decode(old).Buffer;
    if (oldBuffer !== 0n) this.deps.freePool(oldBuffer, 'MmDn');
    const nameBytes = utf16(record.name);
    const buffer = this.deps.allocateNonPaged(nameBytes.length + 2, 'MmDn');
    this.deps.memory.writeUnguarded(buffer, nameBytes);
    const entry = new Uint8Array(UNLOADED_DRIVER_ENTRY_SIZE);
    UNICODE_STRING64.encodeInto(entry, 0, {
      Length: nameBytes.length,
      MaximumLength: nameBytes.length + 2,
      Buffer: buffer,
    });
    const v = new DataView(entry.buffer);
    v.setBigUint64(0x10, record.startAddress, true);
    v.setBigUint64(0x18, record.endAddress, true);
    v.setBigUint64(0x20, record.unloadTime, true);
    this.deps.memory.writeUnguarded(at, entry);
    this.lastUnloaded++;
    const counter = new Uint8Array(4);
    new DataView(counter.buffer).setUint32(0, this.lastUnloaded, true);
    this.deps.memory.writeUnguarded(this.deps.lastUnloadedVariable, counter);
  }

  private readList(at: bigint): { Flink: bigint; Blink: bigint } {
    return LIST_ENTRY64.decode(this.deps.memory.readUnguarded(at, LIST_ENTRY64.size));
  }

  private writeList(at: bigint, flink: bigint, blink: bigint): void {
    this.deps.memory.writeUnguarded(at, LIST_ENTRY64.encode({ Flink: flink, Blink: blink }));
  }

  private writeFlink(at: bigint, flink: bigint): void {
    this.deps.memory.writeUnguarded(at, u64Bytes(flink));
  }

  private writeBlink(at: bigint, blink: bigint): void {
    this.deps.memory.writeUnguarded(at + 8n, u64Bytes(blink));
  }
}

export function defaultFullName(name: string): string {
  const lower = name.toLowerCase();
  if (lower === 'ntoskrnl.exe' || lower.endsWith('.dll')) return `\\SystemRoot\\system32\\${name}`;
  return `\\SystemRoot\\System32\\drivers\\${name}`;
}

function checkImage(name: string, sizeOfImage: number): void {
  if (name.length === 0 || name.length > 200 || /[\\/\0]/.test(name)) {
    throw new MachineError('E_MACHINE_ARGUMENT', `bad module name ${JSON.stringify(name)}`, { name });
  }
  if (!Number.isInteger(sizeOfImage) || sizeOfImage < 0x2000 || sizeOfImage > LARGEST_IMAGE) {
    throw new MachineError(
      'E_MACHINE_ARGUMENT',
      `SizeOfImage of ${name} must be an integer in 0x2000..0x${LARGEST_IMAGE.toString(16)}, got ${sizeOfImage}`,
      {
        name,
        sizeOfImage,
      },
    );
  }
}

function utf16(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  const v = new DataView(out.buffer);
  for (let i = 0; i < text.length; i++) v.setUint16(i * 2, text.charCodeAt(i), true);
  return out;
}

function u64Bytes(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value, true);
  return out;
}
