import {
  IMAGE_DATA_DIRECTORY,
  ImageDirectoryEntry,
  KLDR_DATA_TABLE_ENTRY,
  LIST_ENTRY64,
  UNICODE_STRING64,
  encodeUnwindInfo,
} from '../format/index.js';
import type { AddressSpace } from './addressSpace.js';
import { MachineError } from './errors.js';
import { IMAGE_CODE_START } from './layout.js';
import {
  DATA_DIRECTORY_OFFSET,
  buildImageTables,
  buildPeHeader,
  defaultTextEnd,
  exportNameLength,
  imageTablesBound,
} from './peImage.js';
import {
  STANDARD_FRAME,
  buildRoutineBody,
  padRoutine,
  routineSlotSize,
  type FrameSpec,
  type RoutineBody,
} from './x64Code.js';
import type { PhysicalMemory } from './physical.js';
import type { LoadedModule, UnloadedModule } from './types.js';
import type { VirtualMemory } from './virtualMemory.js';

const PAGE = 0x1000;
const LARGE_PAGE = 0x200000;
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

/** A routine the machine wrote into an image (code address, frame, body, unwind data). */
export interface ImageRoutine {
  readonly label: string;
  readonly va: bigint;
  readonly rva: number;
  /** Bytes reserved for it (the body padded with int 3). */
  readonly slotSize: number;
  readonly frame: FrameSpec;
  /** What its body calls, in call-site order (none: a nop stands where a call would be). */
  callTargets: bigint[];
  body: RoutineBody;
  readonly unwind: Uint8Array;
}

/**
 * One image's allocation state. Code grows up from `next`; the export and
 * exception tables are packed at the top of `.text` (below `textEnd`), so
 * code plus the tables' upper bound must stay under `textEnd`. Data slots
 * grow down from `dataTop` to `dataFloor`, inside `.data`.
 */
interface ImageState {
  name: string;
  base: bigint;
  timeDateStamp: number;
  next: number;
  textEnd: number;
  dataTop: number;
  dataFloor: number;
  routines: Map<string, ImageRoutine>;
  /** Routines in ascending address order (allocation order). */
  ordered: ImageRoutine[];
  data: Map<string, bigint>;
  nameTotal: number;
  unwinds: Set<string>;
  unwindTotal: number;
  /** Routines were added since the tables were last written. */
  dirty: boolean;
}

/**
 * Where in an image code and data addresses are handed out. Defaults: code
 * from 0x1000 up to `textEnd` (three quarters of the image, the tables at its
 * top), data from the end of the image down to `textEnd`.
 */
export interface ImageRanges {
  codeStart: number;
  /** End of `.text` (page aligned). */
  textEnd: number;
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
  /** findByAddress's last hit and the index it was found in. */
  private lastHit: { base: bigint; end: bigint; module: LoadedModule } | undefined;
  private lastHitIn: readonly unknown[] | undefined;
  private readonly slots = new Map<bigint, ImageState>();
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
    const textEnd = defaultTextEnd(size);
    const r = opts.ranges ?? { codeStart: IMAGE_CODE_START, textEnd, dataFloor: textEnd, dataTop: size };
    const state: ImageState = {
      name,
      base,
      timeDateStamp: opts.timeDateStamp >>> 0,
      next: r.codeStart,
      textEnd: r.textEnd,
      dataTop: r.dataTop,
      dataFloor: r.dataFloor,
      routines: new Map(),
      ordered: [],
      data: new Map(),
      nameTotal: 0,
      unwinds: new Set(),
      unwindTotal: 0,
      dirty: true,
    };
    this.slots.set(base, state);
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
      state,
      sizeOfImage,
      opts.entryLabel ?? (name.toLowerCase().endsWith('.sys') ? 'GsDriverEntry' : 'DllMain'),
      STANDARD_FRAME,
    ).va;
    this.deps.memory.writeUnguarded(
      base,
      buildPeHeader({
        imageBase: base,
        sizeOfImage,
        entryPointRva: Number(entryPoint - base),
        timeDateStamp: provisional.timeDateStamp,
        checkSum: provisional.checkSum,
        isDll: name.toLowerCase().endsWith('.dll'),
        textEnd: r.textEnd,
        exportDirectory: IMAGE_DATA_DIRECTORY.zero(),
        exceptionDirectory: IMAGE_DATA_DIRECTORY.zero(),
      }),
    );
    this.writeTables(state);
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
    // Lookups come in runs inside one image (a bug check asks about each of a driver's records in turn): the
    // last hit is tried first, while the index it came from is current.
    const last = this.lastHit;
    if (last !== undefined && this.lastHitIn === index && va >= last.base && va < last.end) return last.module;
    // Images do not overlap, so the one module whose range holds va is also the first in load order.
    let lo = 0;
    let hi = index.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const entry = index[mid]!;
      if (va < entry.base) hi = mid - 1;
      else if (va >= entry.end) lo = mid + 1;
      else {
        this.lastHit = entry;
        this.lastHitIn = index;
        return entry.module;
      }
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

  /**
   * A stable address inside the image for `label` (same label, same
   * address), with a routine body there: `frame` (default STANDARD_FRAME)
   * decides its prologue the first time the label is seen.
   */
  codeAddress(module: LoadedModule, label: string, frame: FrameSpec = STANDARD_FRAME): bigint {
    return this.allocateSlot(this.stateOf(module), module.size, label, frame).va;
  }

  /** The routine the machine wrote at or around `va` (inside its slot), if any. */
  routineAt(va: bigint): { module: LoadedModule; routine: ImageRoutine } | undefined {
    const module = this.findByAddress(va);
    if (!module) return undefined;
    const state = this.slots.get(module.base);
    if (!state) return undefined;
    const list = state.ordered;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = list[mid]!;
      if (va < r.va) hi = mid - 1;
      else if (va >= r.va + BigInt(r.slotSize)) lo = mid + 1;
      else return { module, routine: r };
    }
    return undefined;
  }

  /**
   * The return address of a call from `routine` to `target`: the call site
   * already there, or a new `call` instruction added to the body (the
   * prologue, and so the unwind data, stay as they are). Throws
   * E_MACHINE_IMAGE_FULL when the routine has no call site left.
   */
  callSite(routine: ImageRoutine, target: bigint): bigint {
    let index = routine.callTargets.indexOf(target);
    if (index < 0) {
      const targets = [...routine.callTargets, target];
      const body = buildRoutineBody(routine.frame, { at: routine.va, targets });
      if (body.bytes.length > routine.slotSize) {
        throw new MachineError(
          'E_MACHINE_IMAGE_FULL',
          `routine ${routine.label} has no room for another call (it already calls ${routine.callTargets.length} routines)`,
          { label: routine.label },
        );
      }
      routine.body = body;
      routine.callTargets.push(target);
      this.deps.memory.writeUnguarded(routine.va, padRoutine(body.bytes, routine.slotSize));
      index = targets.length - 1;
    }
    return routine.va + BigInt(routine.body.returnOffsets[index]!);
  }

  /** Routines of a loaded image, in address order. */
  routinesOf(module: LoadedModule): readonly ImageRoutine[] {
    return this.stateOf(module).ordered;
  }

  /**
   * Writes the export and exception tables (and the header's data
   * directories) of every image that gained routines since they were last
   * written. Tables are kept lazily: thousands of routines cost one rebuild.
   */
  flushTables(): void {
    for (const state of this.slots.values()) if (state.dirty) this.writeTables(state);
  }

  private writeTables(state: ImageState): void {
    const tables = buildImageTables(
      state.name,
      state.timeDateStamp,
      state.ordered.map((r) => ({ name: r.label, rva: r.rva, length: r.slotSize, unwind: r.unwind })),
      state.next,
      state.textEnd,
    );
    this.deps.memory.writeUnguarded(state.base + BigInt(tables.startRva), tables.bytes);
    const directory = (index: number, value: { VirtualAddress: number; Size: number }): void =>
      this.writeProtected(state.base + BigInt(DATA_DIRECTORY_OFFSET + index * 8), IMAGE_DATA_DIRECTORY.encode(value));
    directory(ImageDirectoryEntry.EXPORT, tables.exportDirectory);
    directory(ImageDirectoryEntry.EXCEPTION, tables.exceptionDirectory);
    state.dirty = false;
  }

  /** Writes through a read-only mapping (the header page): the loader's own bookkeeping, not a guarded access. */
  private writeProtected(va: bigint, data: Uint8Array): void {
    const t = this.deps.space.translate(va);
    if (!t) throw new MachineError('E_MACHINE_ARGUMENT', 'image header is not mapped', { va });
    this.deps.physical.write(t.pa, data);
  }

  private stateOf(module: LoadedModule): ImageState {
    const state = this.slots.get(module.base);
    if (!state || !this.loaded.some((m) => m.base === module.base && m.ldrEntry === module.ldrEntry)) {
      throw new MachineError('E_MACHINE_MODULE_NOT_LOADED', `${module.name} is not loaded`, { name: module.name });
    }
    return state;
  }

  private allocateSlot(state: ImageState, size: number, label: string, frame: FrameSpec): ImageRoutine {
    const known = state.routines.get(label);
    if (known !== undefined) return known;
    const slotSize = routineSlotSize(frame);
    const body = buildRoutineBody(frame);
    const unwind = encodeUnwindInfo(body.unwind);
    const unwindKey = Buffer.from(unwind).toString('hex');
    const newUnwind = state.unwinds.has(unwindKey) ? 0 : Math.ceil(unwind.length / 4) * 4;
    const nameTotal = state.nameTotal + exportNameLength(label);
    const tables = imageTablesBound(state.name, state.ordered.length + 1, nameTotal, state.unwindTotal + newUnwind);
    if (state.next + slotSize + tables > Math.min(state.textEnd, state.dataTop)) {
      throw new MachineError(
        'E_MACHINE_IMAGE_FULL',
        `no room left in ${state.name} (0x${size.toString(16)} bytes) for routine ${label}`,
        { name: state.name, label },
      );
    }
    const rva = state.next;
    const va = state.base + BigInt(rva);
    state.next += slotSize;
    state.nameTotal = nameTotal;
    if (newUnwind > 0) {
      state.unwinds.add(unwindKey);
      state.unwindTotal += newUnwind;
    }
    const routine: ImageRoutine = { label, va, rva, slotSize, frame, callTargets: [], body, unwind };
    state.routines.set(label, routine);
    state.ordered.push(routine);
    state.dirty = true;
    this.deps.memory.writeUnguarded(va, padRoutine(body.bytes, slotSize));
    return routine;
  }

  /**
   * A zeroed, writable, nonpaged variable of `size` bytes in the image's data
   * area (same label, same address): where a driver keeps globals such as a
   * KBUGCHECK_REASON_CALLBACK_RECORD.
   */
  dataAddress(module: LoadedModule, label: string, size: number): bigint {
    const slots = this.stateOf(module);
    if (!Number.isInteger(size) || size <= 0 || size > 0x10_0000) {
      throw new MachineError('E_MACHINE_ARGUMENT', `bad image data size ${size}`, { size });
    }
    const known = slots.data.get(label);
    if (known !== undefined) return known;
    const top = Math.floor((slots.dataTop - size) / 16) * 16;
    const floor = slots.dataFloor;
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
