/**
 * A WebAssembly-backed window of kernel virtual memory: one C driver's
 * address space on the machine (see src/cdriver/README.md).
 *
 * The window is a 4 GiB-aligned kernel VA range [base, base + bytes) whose
 * storage is one WebAssembly.Memory: the machine maps the window's pages to
 * ordinary frames and makes each frame's storage a view of the Memory at the
 * page's offset (PhysicalMemory.adoptPages). What C code stores through a
 * pointer is therefore, byte for byte and without a copy, what the kernel,
 * the verifier and the dump writer read at that address. The Memory never
 * grows, so its buffer (and every view) stays valid.
 *
 * The window also keeps one byte per page (`PAGE_READ`, `PAGE_WRITE`) that
 * the C runtime reads before an access: set only for pages mapped resident
 * whose frame's storage is this window's view at that very offset. Any other
 * page (unmapped, pageable, read-only, aliased) has 0 there, and the access is
 * done by the machine instead, with all its checks.
 */
import { MachineError } from './errors.js';
import { IoSpace, type IoSpaceAttributes } from './ioSpace.js';
import type { Machine } from './machine.js';
import { PoolAllocator, PoolError, STATUS_INSUFFICIENT_RESOURCES, poolKind } from './pool.js';
import { POOL_FLAG_RAISE_ON_FAILURE, poolTagValue } from './poolFlags.js';
import { VirtualMemory } from './virtualMemory.js';
import { Wasm, type WasmMemory } from './wasmApi.js';

export const WINDOW_ALIGNMENT = 1n << 32n;
const PAGE = 0x1000;
const WASM_PAGE = 0x10000;
export const PAGE_READ = 1;
export const PAGE_WRITE = 2;
/** First window: the PML4 slot of the kernel images (0x1F0), past where ntoskrnl and loadModule drivers go. */
const FIRST_WINDOW = 0xfffff808_0000_0000n;
const LAST_WINDOW = 0xfffff87f_0000_0000n;

export interface WindowRegion {
  /** Offset from the window base. */
  offset: number;
  bytes: number;
}

export interface WasmWindowLayout {
  /** Nonpaged and paged pool regions (their pages are mapped on demand). */
  nonPagedPool: WindowRegion;
  pagedPool: WindowRegion;
  /** MmMapIoSpace mappings. */
  ioSpace: WindowRegion;
  /** The runtime's own bytes: the page table and bounce slots (never mapped). */
  runtime: WindowRegion;
}

/**
 * One window. Create with `WasmWindow.reserve(machine, bytes)`; map the image
 * through the machine (then `sync`), map stacks with `mapPages`, allocate
 * pool with `allocatePool`.
 */
export class WasmWindow {
  readonly memory: WasmMemory;
  readonly buffer: ArrayBuffer;
  readonly bytes: Uint8Array;
  /** One byte per window page: PAGE_READ | PAGE_WRITE when the C runtime may access it directly. */
  readonly pageTable: Uint8Array;
  private readonly pool: PoolAllocator;
  private readonly io: IoSpace;
  private readonly memoryView: VirtualMemory;
  /** PFN whose storage is the view of each window page, by page index. */
  private readonly adopted = new Map<number, number>();
  private syncedPageTables = -1;
  private syncedStorage = -1;
  private released = false;

  private constructor(
    readonly machine: Machine,
    readonly base: bigint,
    readonly size: number,
    readonly layout: WasmWindowLayout,
  ) {
    this.memory = new Wasm.Memory({ initial: size / WASM_PAGE, maximum: size / WASM_PAGE });
    this.buffer = this.memory.buffer;
    this.bytes = new Uint8Array(this.buffer);
    const pages = size / PAGE;
    if (layout.runtime.bytes < pages)
      throw new MachineError('E_MACHINE_ARGUMENT', 'the window runtime region cannot hold its page table');
    this.pageTable = this.bytes.subarray(layout.runtime.offset, layout.runtime.offset + pages);
    this.memoryView = new VirtualMemory(machine.physical, machine.kernelSpace, () => machine.guard);
    this.pool = new PoolAllocator(
      machine.physical,
      machine.kernelSpace,
      this.memoryView,
      base + BigInt(layout.nonPagedPool.offset),
      base + BigInt(layout.pagedPool.offset),
    );
    this.io = new IoSpace(
      machine.physical,
      machine.kernelSpace,
      base + BigInt(layout.ioSpace.offset),
      BigInt(layout.ioSpace.bytes),
    );
  }

  /** A fresh window of `bytes` (a multiple of 64 KiB, at most 4 GiB) at the first free 4 GiB-aligned slot. */
  static reserve(machine: Machine, bytes: number, layout: WasmWindowLayout): WasmWindow {
    if (!Number.isInteger(bytes) || bytes <= 0 || bytes % WASM_PAGE !== 0 || bytes > 0x1_0000_0000)
      throw new MachineError('E_MACHINE_ARGUMENT', `a window is 64 KiB..4 GiB in 64 KiB steps, not ${bytes}`, {
        bytes,
      });
    for (const r of Object.values(layout)) {
      if (r.offset < 0 || r.offset + r.bytes > bytes || r.offset % PAGE !== 0)
        throw new MachineError('E_MACHINE_ARGUMENT', 'window regions must be page-aligned and inside the window', {
          region: r,
        });
    }
    for (let base = FIRST_WINDOW; base <= LAST_WINDOW; base += WINDOW_ALIGNMENT) {
      if (taken(machine, base)) continue;
      const window = new WasmWindow(machine, base, bytes, layout);
      windows(machine).add(window);
      return window;
    }
    throw new MachineError('E_MACHINE_ARGUMENT', 'no free 4 GiB-aligned kernel window is left', { bytes });
  }

  /** The window holding `va`, if any. */
  static containing(machine: Machine, va: bigint): WasmWindow | undefined {
    for (const w of windows(machine)) if (w.contains(va, 1)) return w;
    return undefined;
  }

  contains(va: bigint, length: number): boolean {
    return va >= this.base && va + BigInt(length) <= this.base + BigInt(this.size);
  }

  offsetOf(va: bigint): number {
    return Number(va - this.base);
  }

  /**
   * The window's bytes for [va, va + length) when every page of it is one the
   * C runtime may touch directly (resident, and writable for a write), else
   * null: then the access must go through the machine.
   */
  direct(va: bigint, length: number, write: boolean): Uint8Array | null {
    if (length <= 0 || !this.contains(va, length)) return null;
    const offset = this.offsetOf(va);
    const need = write ? PAGE_READ | PAGE_WRITE : PAGE_READ;
    for (let page = Math.floor(offset / PAGE); page <= Math.floor((offset + length - 1) / PAGE); page++)
      if (((this.pageTable[page] ?? 0) & need) !== need) return null;
    return this.bytes.subarray(offset, offset + length);
  }

  /**
   * Maps `pages` fresh kernel frames at window offset `offset` (nonpaged,
   * writable unless told otherwise) and makes them this window's pages.
   */
  mapPages(offset: number, pages: number, attrs: { writable?: boolean } = {}): void {
    this.checkRange(offset, pages * PAGE);
    const { physical, kernelSpace } = this.machine;
    for (let i = 0; i < pages; i++) {
      const pfn = physical.allocateFrame('kernel');
      kernelSpace.map4K(this.base + BigInt(offset + i * PAGE), pfn << 12n, {
        writable: attrs.writable ?? true,
        noExecute: true,
      });
    }
    this.sync(offset, pages * PAGE);
  }

  /** Unmaps and frees what mapPages mapped. */
  unmapPages(offset: number, pages: number): void {
    const { physical, kernelSpace } = this.machine;
    for (let i = 0; i < pages; i++) {
      const va = this.base + BigInt(offset + i * PAGE);
      const t = kernelSpace.translate(va);
      if (!t) continue;
      kernelSpace.unmap(va);
      physical.freeFrame(t.pa >> 12n);
    }
    this.sync(offset, pages * PAGE);
  }

  /**
   * ExAllocatePool2 inside the window (POOL_HEADERs and big-allocation guard
   * pages as in the machine's pool). Returns 0n when the region is full
   * (or throws PoolError with POOL_FLAG_RAISE_ON_FAILURE).
   */
  allocatePool(flags: bigint, numberOfBytes: number, tag: number | string): bigint {
    const tagValue = poolTagValue(tag);
    this.machine.guard?.onAllocate(flags, numberOfBytes, tagValue);
    const kind = poolKind(flags);
    const cursor = (): number =>
      Number((kind === 'paged' ? this.pool.pagedPoolEnd : this.pool.nonPagedPoolEnd) - this.base);
    if (kind !== undefined && Number.isSafeInteger(numberOfBytes) && numberOfBytes >= 0) {
      const region = kind === 'paged' ? this.layout.pagedPool : this.layout.nonPagedPool;
      const pages = numberOfBytes > 0xfe0 ? Math.ceil(numberOfBytes / PAGE) + 1 : 1;
      if (cursor() + pages * PAGE > region.offset + region.bytes) {
        if ((flags & POOL_FLAG_RAISE_ON_FAILURE) === 0n) return 0n;
        throw new PoolError(
          'E_POOL_ALLOCATION_FAILED',
          'ExAllocatePool2 raised STATUS_INSUFFICIENT_RESOURCES: the driver window is full',
          {
            flags,
            numberOfBytes,
            tag: tagValue,
            status: STATUS_INSUFFICIENT_RESOURCES,
          },
        );
      }
    }
    const before = cursor();
    const va = this.pool.allocate(flags, numberOfBytes, tagValue);
    const after = cursor();
    if (after > before) this.sync(before, after - before);
    return va;
  }

  freePool(va: bigint, tag: number | string): void {
    const tagValue = poolTagValue(tag);
    this.machine.guard?.onFree?.(va, tagValue);
    const allocation = this.pool.lookup(va);
    this.pool.free(va, tagValue);
    if (allocation?.big) this.sync(this.offsetOf(va), allocation.numberOfBytes);
  }

  /** Does this window's pool own `va` (a live allocation)? */
  ownsPool(va: bigint): boolean {
    return this.pool.lookup(va) !== undefined;
  }

  /** MmMapIoSpace inside the window: the device frames take this window's views as storage. */
  mapIoSpace(physicalAddress: bigint, numberOfBytes: number, attrs: IoSpaceAttributes = {}): bigint {
    const va = this.io.map(physicalAddress, numberOfBytes, attrs);
    this.sync(this.offsetOf(va & ~0xfffn), numberOfBytes + Number(va & 0xfffn));
    return va;
  }

  unmapIoSpace(va: bigint, numberOfBytes: number): void {
    this.io.unmap(va, numberOfBytes);
    this.sync(this.offsetOf(va & ~0xfffn), numberOfBytes + Number(va & 0xfffn));
  }

  ownsIoSpace(va: bigint): boolean {
    const io = this.base + BigInt(this.layout.ioSpace.offset);
    return va >= io && va < io + BigInt(this.layout.ioSpace.bytes);
  }

  /**
   * Makes every mapped page of [offset, offset + length) this window's, and
   * refreshes their page-table bytes. A frame that reads as something else
   * has its bytes copied in first, so nothing visible changes.
   */
  sync(offset: number, length: number): void {
    const start = Math.max(0, Math.floor(offset / PAGE));
    const end = Math.min(this.size / PAGE, Math.ceil((offset + length) / PAGE));
    for (let page = start; page < end; page++) this.syncPage(page);
    this.syncedPageTables = this.machine.physical.pageTableGeneration;
    this.syncedStorage = this.machine.physical.storageGeneration;
  }

  /**
   * Re-syncs every page the window has made its own if any page table or
   * frame storage of the machine changed since the last sync (something else
   * may have unmapped a page or given a frame new storage).
   */
  refresh(): void {
    const { physical } = this.machine;
    if (physical.pageTableGeneration === this.syncedPageTables && physical.storageGeneration === this.syncedStorage)
      return;
    for (const page of [...this.adopted.keys()]) this.syncPage(page);
    this.syncedPageTables = physical.pageTableGeneration;
    this.syncedStorage = physical.storageGeneration;
  }

  /**
   * Unmaps what is still mapped in the window (stack, pool, I/O mappings;
   * unload the image through the machine first), frees its frames (a device's
   * frames get their bytes back instead) and gives the slot up.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    const { physical, kernelSpace } = this.machine;
    const io = this.layout.ioSpace;
    for (const page of [...this.adopted.keys()]) {
      const va = this.base + BigInt(page * PAGE);
      const t = kernelSpace.translate(va);
      this.detach(page);
      if (!t || t.pageSize !== PAGE) continue;
      kernelSpace.unmap(va);
      const offset = page * PAGE;
      if (offset < io.offset || offset >= io.offset + io.bytes) physical.freeFrame(t.pa >> 12n);
    }
    this.pageTable.fill(0);
    windows(this.machine).delete(this);
  }

  private syncPage(page: number): void {
    const { physical, kernelSpace } = this.machine;
    const va = this.base + BigInt(page * PAGE);
    const t = kernelSpace.translate(va);
    if (!t || t.pageSize !== PAGE) {
      this.detach(page);
      return;
    }
    const pfn = Number(t.pa >> 12n);
    const offset = page * PAGE;
    let storage: Uint8Array | undefined;
    try {
      storage = physical.frameStorage(pfn).bytes;
    } catch {
      this.pageTable[page] = 0;
      return;
    }
    const mine = storage !== undefined && storage.buffer === this.buffer && storage.byteOffset === offset;
    if (!mine) {
      if (storage !== undefined && storage.buffer === this.buffer) {
        // This frame already lives at another offset of this window: an alias the runtime cannot serve directly.
        this.pageTable[page] = 0;
        return;
      }
      const previous = this.adopted.get(page);
      if (previous !== undefined && previous !== pfn) this.detach(page);
      const view = this.bytes.subarray(offset, offset + PAGE);
      if (storage) view.set(storage);
      else view.fill(0);
      physical.adoptPages(BigInt(pfn), view);
      this.adopted.set(page, pfn);
    }
    this.pageTable[page] = t.pageable ? 0 : t.writable ? PAGE_READ | PAGE_WRITE : PAGE_READ;
  }

  /** The frame that had this page's view gets a private copy of its bytes (it is leaving the window). */
  private detach(page: number): void {
    const pfn = this.adopted.get(page);
    if (pfn === undefined) return;
    this.adopted.delete(page);
    this.pageTable[page] = 0;
    const { physical } = this.machine;
    let storage: Uint8Array | undefined;
    try {
      storage = physical.frameStorage(pfn).bytes;
    } catch {
      return;
    }
    // A frame still in use (a device frame unmapped from the window) keeps its bytes in storage of its own.
    if (
      storage &&
      storage.buffer === this.buffer &&
      storage.byteOffset === page * PAGE &&
      physical.isPopulated(BigInt(pfn))
    )
      physical.adoptPages(BigInt(pfn), storage.slice());
  }

  private checkRange(offset: number, length: number): void {
    if (!Number.isInteger(offset) || offset < 0 || offset % PAGE !== 0 || offset + length > this.size)
      throw new MachineError('E_MACHINE_ARGUMENT', `window range 0x${offset.toString(16)}+0x${length.toString(16)}`, {
        offset,
        length,
      });
  }
}

const windowSets = new WeakMap<Machine, Set<WasmWindow>>();

function windows(machine: Machine): Set<WasmWindow> {
  let set = windowSets.get(machine);
  if (!set) {
    set = new Set();
    windowSets.set(machine, set);
  }
  return set;
}

/** A 4 GiB slot is taken if another window uses it or anything is mapped in its first or last 2 MiB. */
function taken(machine: Machine, base: bigint): boolean {
  for (const w of windows(machine)) if (w.base === base) return true;
  for (const probe of [0n, 0x1000n, WINDOW_ALIGNMENT - 0x1000n])
    if (machine.kernelSpace.translatePage(base + probe) !== undefined) return true;
  return false;
}
