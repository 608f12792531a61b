import { MachineError } from './errors.js';

export type FrameOwner = 'kernel' | 'user' | 'device' | 'pagetable' | 'free';
export interface PhysicalRun {
  basePage: bigint;
  pageCount: bigint;
}

const PAGE = 0x1000;
/**
 * Bulk-populated RAM lives in 1 MiB chunks of 256 consecutive frames (aligned
 * on PFN multiples of 256), so a populated range is one contiguous buffer:
 * `writePages` copies a chunk at a time and the dump writer hands whole spans
 * to the file without copying pages. Frames written one at a time on a chunk
 * nobody populated in bulk get a 4 KiB page of their own instead, carved from
 * shared slabs, so a machine touched here and there stays small.
 */
const CHUNK_SHIFT = 8;
const CHUNK_PAGES = 1 << CHUNK_SHIFT;
/** Single pages are carved out of shared slabs so populating many pages one by one does not cost one ArrayBuffer each. */
const SLAB_PAGES = 256;

/** Frame state: owner in bits 0–2, storage in bits 3–4 (one byte per frame of every run). */
const OWNER_MASK = 0b111;
const STORE_SHIFT = 3;
/** No storage: the frame reads as zeros. */
const STORE_NONE = 0;
/** Its bytes are the frame's slot in the chunk covering it. */
const STORE_CHUNK = 1;
/** Its bytes are a page object of its own (`pageObjects`): a slab page, an adopted view or a shared template. */
const STORE_OBJECT = 2;

const OWNER_NAMES: readonly FrameOwner[] = ['free', 'kernel', 'user', 'device', 'pagetable'];
const OWNER_CODES: Readonly<Record<FrameOwner, number>> = { free: 0, kernel: 1, user: 2, device: 3, pagetable: 4 };
const FREE = 0;
const USER = 2;
const PAGETABLE = 4;

/** What `forEachSpan` hands out: `pages` consecutive frames, their live bytes back to back, or null when they read as zeros. */
export type FrameSpanVisitor = (bytes: Uint8Array | null, pages: number) => void;

/**
 * Sparse physical RAM in 4 KiB frames. Only frames that were written or
 * allocated hold bytes; the rest read as zeros. PFNs are numbers inside
 * (a 52-bit physical address space keeps PFNs below 2^40) and bigint at the API.
 * Per frame it keeps one byte (owner and where its bytes are) in an array per
 * run of the memory map; the bytes themselves are in chunks or page objects.
 */
export class PhysicalMemory {
  readonly runs: readonly PhysicalRun[];
  readonly totalPages: bigint;
  readonly highestPfn: bigint;

  private readonly runStarts: number[];
  private readonly runEnds: number[];
  /** Per run: one state byte per frame (owner | storage << STORE_SHIFT). */
  private readonly states: Uint8Array[];
  /** Per run: its 1 MiB chunks, indexed by (pfn >> CHUNK_SHIFT) − (runStart >> CHUNK_SHIFT), created on first bulk write. */
  private readonly chunks: (Uint8Array | undefined)[][];
  /** Bytes of frames whose storage is STORE_OBJECT. */
  private readonly pageObjects = new Map<number, Uint8Array>();
  /** Frames whose owner is not free. */
  private populated = 0;
  /** Run index of the last lookup: accesses come in runs. */
  private lastRun = 0;
  private slab: Uint8Array = new Uint8Array(0);
  private slabUsed = SLAB_PAGES;
  /** Allocation cursor: index of the run and the next PFN to try in it. */
  private cursorRun = 0;
  private cursorPfn: number;
  private readonly released: number[] = [];
  /** Page objects shared by several frames (sharePages); writing to such a frame first gives it its own copy. */
  private readonly sharedPages = new WeakSet<Uint8Array>();
  private static readonly ZERO_PAGE = new Uint8Array(PAGE);
  /**
   * Bumped by every write to a frame owned 'pagetable'. Address spaces cache
   * translations (a TLB) and drop the cache when this changes, so a PTE
   * rewritten by any path — even a raw physical write — is seen at once.
   */
  private pageTableWrites = 0;
  /** Bumped when a frame's storage object or owner changes: a `frameStorage` answer may then be stale. */
  private storageChanges = 0;
  /** Bumped by every change to RAM contents, whatever the path. */
  private contentChanges = 0;

  get pageTableGeneration(): number {
    return this.pageTableWrites;
  }

  get storageGeneration(): number {
    return this.storageChanges;
  }

  /** Unchanged between two reads means no byte of RAM changed in between (callers may memoise what they derived). */
  get contentGeneration(): number {
    return this.contentChanges;
  }

  constructor(runs: readonly PhysicalRun[], firstAllocatablePfn = 0n) {
    if (runs.length === 0 || runs.length > 42) {
      throw new MachineError('E_MACHINE_MEMORY_MAP', `a memory map needs 1..42 runs, got ${runs.length}`, {
        runs: runs.length,
      });
    }
    let previousEnd = -1;
    let total = 0n;
    for (const run of runs) {
      if (run.pageCount <= 0n || Number(run.basePage) < previousEnd) {
        throw new MachineError('E_MACHINE_MEMORY_MAP', 'memory map runs must be non-empty, ascending and disjoint', {
          basePage: run.basePage,
        });
      }
      previousEnd = Number(run.basePage + run.pageCount);
      total += run.pageCount;
    }
    this.runs = Object.freeze(runs.map((r) => Object.freeze({ basePage: r.basePage, pageCount: r.pageCount })));
    this.totalPages = total;
    this.highestPfn = BigInt(previousEnd - 1);
    this.runStarts = runs.map((r) => Number(r.basePage));
    this.runEnds = runs.map((r) => Number(r.basePage + r.pageCount));
    // Zero-filled typed arrays cost address space, not memory, until a frame's state is set.
    this.states = runs.map((r) => new Uint8Array(Number(r.pageCount)));
    this.chunks = this.runStarts.map((start, i) => {
      const chunkCount = ((this.runEnds[i]! - 1) >>> CHUNK_SHIFT) - (start >>> CHUNK_SHIFT) + 1;
      return new Array<Uint8Array | undefined>(chunkCount).fill(undefined);
    });
    this.cursorPfn = Math.max(Number(firstAllocatablePfn), this.runStarts[0]!);
  }

  /** Frames that were allocated or written (allocated frames cost no memory until written). */
  get populatedCount(): number {
    return this.populated;
  }

  /** Backed frames nobody has allocated or written. */
  get freeCount(): bigint {
    return this.totalPages - BigInt(this.populated);
  }

  isBacked(pfn: bigint): boolean {
    return this.runIndexOf(Number(pfn)) >= 0;
  }

  isPopulated(pfn: bigint): boolean {
    const n = Number(pfn);
    const r = this.runIndexOf(n);
    return r >= 0 && (this.states[r]![n - this.runStarts[r]!]! & OWNER_MASK) !== FREE;
  }

  *populatedFrames(): Iterable<bigint> {
    for (let r = 0; r < this.states.length; r++) {
      const state = this.states[r]!;
      const start = this.runStarts[r]!;
      for (let i = 0; i < state.length; i++) if ((state[i]! & OWNER_MASK) !== FREE) yield BigInt(start + i);
    }
  }

  owner(pfn: bigint): FrameOwner {
    const n = Number(pfn);
    const r = this.runIndexOf(n);
    return r < 0 ? 'free' : OWNER_NAMES[this.states[r]![n - this.runStarts[r]!]! & OWNER_MASK]!;
  }

  *framesOwnedBy(...owners: FrameOwner[]): Iterable<bigint> {
    const ranges: [number, number][] = [];
    this.forEachOwnedRange(owners, (first, count) => ranges.push([first, count]));
    for (const [first, count] of ranges) for (let i = 0; i < count; i++) yield BigInt(first + i);
  }

  /**
   * Calls `visit` for every maximal range of consecutive frames whose owner
   * is one of `owners`, in ascending order (ranges never cross a hole of the
   * memory map). For building a dump's page selection without one call per frame.
   */
  forEachOwnedRange(owners: readonly FrameOwner[], visit: (firstPfn: number, count: number) => void): void {
    let wanted = 0;
    for (const owner of owners) wanted |= 1 << OWNER_CODES[owner];
    for (let r = 0; r < this.states.length; r++) {
      const state = this.states[r]!;
      const start = this.runStarts[r]!;
      let i = 0;
      while (i < state.length) {
        if (((wanted >>> (state[i]! & OWNER_MASK)) & 1) === 0) {
          i++;
          continue;
        }
        const first = i;
        while (i < state.length && ((wanted >>> (state[i]! & OWNER_MASK)) & 1) !== 0) i++;
        visit(start + first, i - first);
      }
    }
  }

  /**
   * Hands out the live bytes of frames [firstPfn, firstPfn + count) in order
   * and without copying: each call of `visit` covers `pages` consecutive
   * frames whose bytes lie back to back in one buffer (at most one chunk, 256
   * frames), or null for frames that read as zeros. Views are valid until the
   * next change to RAM; treat them as read-only. Throws as `read` does for an
   * unbacked frame.
   */
  forEachSpan(firstPfn: number, count: number, visit: FrameSpanVisitor): void {
    const end = firstPfn + count;
    let pfn = firstPfn;
    while (pfn < end) {
      this.checkBacked(pfn);
      const r = this.lastRun;
      const start = this.runStarts[r]!;
      const state = this.states[r]!;
      const runEnd = Math.min(end, this.runEnds[r]!);
      while (pfn < runEnd) {
        const storage = state[pfn - start]! >>> STORE_SHIFT;
        let next = pfn + 1;
        if (storage === STORE_CHUNK) {
          const chunkEnd = Math.min(runEnd, ((pfn >>> CHUNK_SHIFT) + 1) << CHUNK_SHIFT);
          while (next < chunkEnd && state[next - start]! >>> STORE_SHIFT === STORE_CHUNK) next++;
          const chunk = this.chunkOf(r, pfn)!;
          visit(
            chunk.subarray((pfn & (CHUNK_PAGES - 1)) * PAGE, ((next - 1) & (CHUNK_PAGES - 1)) * PAGE + PAGE),
            next - pfn,
          );
        } else if (storage === STORE_OBJECT) {
          visit(this.pageObjects.get(pfn)!, 1);
        } else {
          while (next < runEnd && state[next - start]! >>> STORE_SHIFT === STORE_NONE) next++;
          visit(null, next - pfn);
        }
        pfn = next;
      }
    }
  }

  /** The frame's bytes (a live view for populated frames: treat as read-only), zeros if never touched. */
  readPage(pfn: bigint): Uint8Array {
    const n = Number(pfn);
    this.checkBacked(n);
    return this.storedBytes(this.lastRun, n) ?? PhysicalMemory.ZERO_PAGE;
  }

  /**
   * The storage behind a backed frame, for callers that access it in place
   * (the virtual-memory fast path): its live bytes (undefined while it reads
   * as zeros) and whether it may be written in place (its own storage, not a
   * page table, so a write needs no bookkeeping beyond `noteDirectWrite`).
   * Valid until `storageGeneration` changes. Throws as `read` does for an
   * unbacked frame.
   */
  frameStorage(pfn: number): { bytes: Uint8Array | undefined; inPlace: boolean } {
    this.checkBacked(pfn);
    const r = this.lastRun;
    const bytes = this.storedBytes(r, pfn);
    const inPlace =
      bytes !== undefined &&
      !this.sharedPages.has(bytes) &&
      (this.states[r]![pfn - this.runStarts[r]!]! & OWNER_MASK) !== PAGETABLE;
    return { bytes, inPlace };
  }

  /** Called after writing in place into storage obtained from `frameStorage`. */
  noteDirectWrite(): void {
    this.contentChanges++;
  }

  read(pa: bigint, length: number): Uint8Array {
    checkLength(length);
    const out = new Uint8Array(length);
    let done = 0;
    let addr = pa;
    while (done < length) {
      const pfn = Number(addr >> 12n);
      const offset = Number(addr & 0xfffn);
      const chunk = Math.min(PAGE - offset, length - done);
      this.checkBacked(pfn);
      const page = this.storedBytes(this.lastRun, pfn);
      if (page) out.set(page.subarray(offset, offset + chunk), done);
      done += chunk;
      addr += BigInt(chunk);
    }
    return out;
  }

  /** Copies `data` to `pa`. Whole aligned pages are copied without any per-byte work. */
  write(pa: bigint, data: Uint8Array): void {
    this.contentChanges++;
    let done = 0;
    let addr = pa;
    while (done < data.length) {
      const pfn = Number(addr >> 12n);
      const offset = Number(addr & 0xfffn);
      const chunk = Math.min(PAGE - offset, data.length - done);
      this.checkBacked(pfn);
      this.populate(this.lastRun, pfn).set(data.subarray(done, done + chunk), offset);
      done += chunk;
      addr += BigInt(chunk);
    }
  }

  /**
   * Fast path for bulk population: copies whole pages starting at `pfn`
   * (data.length must be a multiple of 4096) into the chunks covering them,
   * one copy per chunk. Frames that have a page object of their own (written
   * one at a time before, or adopted) are written in place.
   */
  writePages(pfn: bigint, data: Uint8Array): void {
    const count = this.checkWholePages(pfn, data.length);
    this.contentChanges++;
    this.storageChanges++;
    const first = Number(pfn);
    const r = this.runIndexOf(first);
    const state = this.states[r]!;
    const start = this.runStarts[r]!;
    const end = first + count;
    for (let from = first; from < end; ) {
      const to = Math.min(end, ((from >>> CHUNK_SHIFT) + 1) << CHUNK_SHIFT);
      const chunk = this.chunkOf(r, from) ?? this.createChunk(r, from);
      chunk.set(data.subarray((from - first) * PAGE, (to - first) * PAGE), (from & (CHUNK_PAGES - 1)) * PAGE);
      for (let p = from; p < to; p++) {
        const s = state[p - start]!;
        const owner = s & OWNER_MASK;
        if (owner === PAGETABLE) this.pageTableWrites++;
        else if (owner === FREE) this.populated++;
        if (s >>> STORE_SHIFT === STORE_OBJECT) {
          const own = this.pageObjects.get(p)!;
          if (!this.sharedPages.has(own)) {
            own.set(data.subarray((p - first) * PAGE, (p - first + 1) * PAGE));
            continue;
          }
          this.pageObjects.delete(p);
        }
        state[p - start] = (owner === FREE ? USER : owner) | (STORE_CHUNK << STORE_SHIFT);
      }
      from = to;
    }
  }

  /**
   * Zero-copy bulk population: the frames starting at `pfn` take `data` as
   * their storage. The caller hands the buffer over and must not change it
   * afterwards except through this object.
   */
  adoptPages(pfn: bigint, data: Uint8Array): void {
    const count = this.checkWholePages(pfn, data.length);
    this.contentChanges++;
    this.storageChanges++;
    const first = Number(pfn);
    const end = first + count;
    const r = this.runIndexOf(first);
    for (let from = first; from < end; ) {
      const chunkEnd = ((from >>> CHUNK_SHIFT) + 1) << CHUNK_SHIFT;
      if ((from & (CHUNK_PAGES - 1)) === 0 && chunkEnd <= end) {
        // A whole chunk's frames: the caller's bytes become the chunk, so adopting costs no copy and no Map entry per frame.
        this.adoptChunk(r, from, data.subarray((from - first) * PAGE, (chunkEnd - first) * PAGE));
        from = chunkEnd;
      } else {
        this.setObject(from, data.subarray((from - first) * PAGE, (from - first + 1) * PAGE));
        from++;
      }
    }
  }

  /**
   * Fills `count` frames from `pfn` with the same 4 KiB content without
   * storing it `count` times: the frames share one read-only copy and get a
   * private one when written (copy-on-write). For populating many GiB quickly.
   */
  sharePages(pfn: bigint, count: number, template: Uint8Array): void {
    if (template.length !== PAGE) {
      throw new MachineError('E_MACHINE_ARGUMENT', `sharePages needs a 4096-byte template, got ${template.length}`, {
        length: template.length,
      });
    }
    this.checkWholePages(pfn, count * PAGE);
    const shared = template.slice();
    this.sharedPages.add(shared);
    this.contentChanges++;
    this.storageChanges++;
    const first = Number(pfn);
    for (let i = 0; i < count; i++) this.setObject(first + i, shared);
  }

  /** Allocates one zeroed frame for `owner` (never a frame that is owned or already holds data). Costs no memory until written. */
  allocateFrame(owner: FrameOwner): bigint {
    let pfn = this.released.pop();
    // A released frame may have been written (and so taken) since it was freed.
    while (pfn !== undefined && this.ownerCode(pfn) !== FREE) pfn = this.released.pop();
    pfn ??= this.nextFreeFrame();
    this.claim(pfn, owner);
    return BigInt(pfn);
  }

  /**
   * Allocates `count` physically contiguous zeroed frames inside one run.
   * `alignPages` lets 2 MiB (512) or 1 GiB (262144) mappings get an aligned block.
   */
  allocateContiguousFrames(count: number, owner: FrameOwner, alignPages = 1): bigint {
    if (!Number.isInteger(count) || count <= 0) {
      throw new MachineError('E_MACHINE_ARGUMENT', `cannot allocate ${count} contiguous frames`, { count });
    }
    for (let r = this.cursorRun; r < this.runStarts.length; r++) {
      let start = alignUp(r === this.cursorRun ? this.cursorPfn : this.runStarts[r]!, alignPages);
      while (start + count <= this.runEnds[r]!) {
        const busy = this.firstBusy(r, start, count);
        if (busy < 0) {
          for (let i = 0; i < count; i++) this.claim(start + i, owner);
          if (r === this.cursorRun && start === this.cursorPfn) this.cursorPfn += count;
          return BigInt(start);
        }
        start = alignUp(busy + 1, alignPages);
      }
    }
    throw new MachineError(
      'E_MACHINE_OUT_OF_MEMORY',
      `no ${count} contiguous free frames (alignment ${alignPages} pages)`,
      { count, alignPages },
    );
  }

  /** Claims a specific frame (firmware-placed structures such as the boot PML4). */
  claimFrame(pfn: bigint, owner: FrameOwner): void {
    const n = Number(pfn);
    this.checkBacked(n);
    if (this.ownerCode(n) !== FREE) {
      throw new MachineError('E_MACHINE_FRAME_IN_USE', `frame 0x${n.toString(16)} is already in use`, { pfn });
    }
    this.claim(n, owner);
  }

  /** Returns a frame to the allocator; its bytes are dropped (it reads as zeros again). */
  freeFrame(pfn: bigint): void {
    const n = Number(pfn);
    const r = this.runIndexOf(n);
    if (r < 0 || (this.states[r]![n - this.runStarts[r]!]! & OWNER_MASK) === FREE) {
      throw new MachineError('E_MACHINE_FRAME_FREE', `frame 0x${n.toString(16)} is not allocated`, { pfn });
    }
    this.contentChanges++;
    this.storageChanges++;
    this.pageObjects.delete(n);
    this.states[r]![n - this.runStarts[r]!] = FREE | (STORE_NONE << STORE_SHIFT);
    this.populated--;
    this.released.push(n);
  }

  private claim(pfn: number, owner: FrameOwner): void {
    if (owner === 'free') {
      throw new MachineError('E_MACHINE_ARGUMENT', "a frame cannot be allocated to owner 'free'", { pfn });
    }
    this.contentChanges++;
    this.storageChanges++;
    const r = this.runIndexOf(pfn);
    const state = this.states[r]!;
    const i = pfn - this.runStarts[r]!;
    let storage = state[i]! >>> STORE_SHIFT;
    if (storage === STORE_OBJECT) {
      const page = this.pageObjects.get(pfn)!;
      if (this.sharedPages.has(page)) {
        this.pageObjects.delete(pfn);
        storage = STORE_NONE;
      } else page.fill(0);
    } else if (storage === STORE_CHUNK) {
      const slot = (pfn & (CHUNK_PAGES - 1)) * PAGE;
      this.chunkOf(r, pfn)!.fill(0, slot, slot + PAGE);
    }
    if ((state[i]! & OWNER_MASK) === FREE) this.populated++;
    state[i] = OWNER_CODES[owner] | (storage << STORE_SHIFT);
  }

  /** Gives a frame a page object as its storage (adopted or shared); a free frame becomes 'user'. */
  private setObject(pfn: number, page: Uint8Array): void {
    const r = this.runIndexOf(pfn);
    const state = this.states[r]!;
    const i = pfn - this.runStarts[r]!;
    const owner = state[i]! & OWNER_MASK;
    if (owner === PAGETABLE) this.pageTableWrites++;
    if (owner === FREE) this.populated++;
    this.pageObjects.set(pfn, page);
    state[i] = (owner === FREE ? USER : owner) | (STORE_OBJECT << STORE_SHIFT);
  }

  /** The 256 frames of the chunk at `pfn` (chunk-aligned, all in run `r`) take `bytes` as their chunk. */
  private adoptChunk(r: number, pfn: number, bytes: Uint8Array): void {
    this.chunks[r]![(pfn >>> CHUNK_SHIFT) - (this.runStarts[r]! >>> CHUNK_SHIFT)] = bytes;
    const state = this.states[r]!;
    const start = this.runStarts[r]!;
    for (let p = pfn; p < pfn + CHUNK_PAGES; p++) {
      const s = state[p - start]!;
      const owner = s & OWNER_MASK;
      if (owner === PAGETABLE) this.pageTableWrites++;
      else if (owner === FREE) this.populated++;
      if (s >>> STORE_SHIFT === STORE_OBJECT) this.pageObjects.delete(p);
      state[p - start] = (owner === FREE ? USER : owner) | (STORE_CHUNK << STORE_SHIFT);
    }
  }

  /** The frame's bytes, or undefined while it reads as zeros (a view of its chunk slot, its page object). */
  private storedBytes(r: number, pfn: number): Uint8Array | undefined {
    const storage = this.states[r]![pfn - this.runStarts[r]!]! >>> STORE_SHIFT;
    if (storage === STORE_CHUNK) {
      const slot = (pfn & (CHUNK_PAGES - 1)) * PAGE;
      return this.chunkOf(r, pfn)!.subarray(slot, slot + PAGE);
    }
    return storage === STORE_OBJECT ? this.pageObjects.get(pfn) : undefined;
  }

  /**
   * The frame's storage, ready to be written: its chunk slot or page object;
   * created on first touch (in its chunk when there is one, else a slab
   * page), unshared if it was shared.
   */
  private populate(r: number, pfn: number): Uint8Array {
    const state = this.states[r]!;
    const i = pfn - this.runStarts[r]!;
    const s = state[i]!;
    const owner = s & OWNER_MASK;
    if (owner === PAGETABLE) this.pageTableWrites++;
    const storage = s >>> STORE_SHIFT;
    let previous: Uint8Array | undefined;
    if (storage === STORE_CHUNK) {
      const slot = (pfn & (CHUNK_PAGES - 1)) * PAGE;
      return this.chunkOf(r, pfn)!.subarray(slot, slot + PAGE);
    }
    if (storage === STORE_OBJECT) {
      previous = this.pageObjects.get(pfn)!;
      if (!this.sharedPages.has(previous)) return previous;
    }
    this.storageChanges++;
    // Touched RAM nobody allocated is not 'free' any more: it holds someone's data.
    if (owner === FREE) this.populated++;
    const newOwner = owner === FREE ? USER : owner;
    const chunk = this.chunkOf(r, pfn);
    let page: Uint8Array;
    if (chunk !== undefined) {
      const slot = (pfn & (CHUNK_PAGES - 1)) * PAGE;
      page = chunk.subarray(slot, slot + PAGE);
      if (previous) page.set(previous);
      else page.fill(0);
      this.pageObjects.delete(pfn);
      state[i] = newOwner | (STORE_CHUNK << STORE_SHIFT);
    } else {
      if (this.slabUsed === SLAB_PAGES) {
        this.slab = new Uint8Array(SLAB_PAGES * PAGE);
        this.slabUsed = 0;
      }
      page = this.slab.subarray(this.slabUsed * PAGE, (this.slabUsed + 1) * PAGE);
      this.slabUsed++;
      if (previous) page.set(previous);
      this.pageObjects.set(pfn, page);
      state[i] = newOwner | (STORE_OBJECT << STORE_SHIFT);
    }
    return page;
  }

  private chunkOf(r: number, pfn: number): Uint8Array | undefined {
    return this.chunks[r]![(pfn >>> CHUNK_SHIFT) - (this.runStarts[r]! >>> CHUNK_SHIFT)];
  }

  private createChunk(r: number, pfn: number): Uint8Array {
    const chunk = new Uint8Array(CHUNK_PAGES * PAGE);
    this.chunks[r]![(pfn >>> CHUNK_SHIFT) - (this.runStarts[r]! >>> CHUNK_SHIFT)] = chunk;
    return chunk;
  }

  private ownerCode(pfn: number): number {
    const r = this.runIndexOf(pfn);
    return r < 0 ? FREE : this.states[r]![pfn - this.runStarts[r]!]! & OWNER_MASK;
  }

  private nextFreeFrame(): number {
    while (this.cursorRun < this.runStarts.length) {
      const r = this.cursorRun;
      if (this.cursorPfn < this.runStarts[r]!) this.cursorPfn = this.runStarts[r]!;
      const state = this.states[r]!;
      const start = this.runStarts[r]!;
      while (this.cursorPfn < this.runEnds[r]!) {
        const pfn = this.cursorPfn++;
        if ((state[pfn - start]! & OWNER_MASK) === FREE) return pfn;
      }
      this.cursorRun++;
    }
    throw new MachineError('E_MACHINE_OUT_OF_MEMORY', 'physical memory exhausted', { totalPages: this.totalPages });
  }

  /** The highest frame of [start, start + count) in run `r` that is not free, or -1. */
  private firstBusy(r: number, start: number, count: number): number {
    const state = this.states[r]!;
    const base = this.runStarts[r]!;
    for (let pfn = start + count - 1; pfn >= start; pfn--) {
      if ((state[pfn - base]! & OWNER_MASK) !== FREE) return pfn;
    }
    return -1;
  }

  /** Index of the run holding `pfn`, or -1; remembered in `lastRun` when found. */
  private runIndexOf(pfn: number): number {
    const last = this.lastRun;
    if (pfn >= this.runStarts[last]! && pfn < this.runEnds[last]!) return last;
    let lo = 0;
    let hi = this.runStarts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (pfn < this.runStarts[mid]!) hi = mid - 1;
      else if (pfn >= this.runEnds[mid]!) lo = mid + 1;
      else {
        this.lastRun = mid;
        return mid;
      }
    }
    return -1;
  }

  private checkWholePages(pfn: bigint, length: number): number {
    if (length % PAGE !== 0 || length <= 0) {
      throw new MachineError('E_MACHINE_ARGUMENT', `bulk population needs whole pages, got ${length} bytes`, {
        length,
      });
    }
    const count = length / PAGE;
    const first = Number(pfn);
    const run = this.runIndexOf(first);
    if (run < 0 || first + count > this.runEnds[run]!) {
      throw new MachineError(
        'E_PHYSICAL_NOT_BACKED',
        `physical pages 0x${first.toString(16)}..+0x${count.toString(16)} are not all in one run of the memory map`,
        { pfn, count },
      );
    }
    return count;
  }

  /** Throws for a frame outside the memory map; otherwise leaves its run in `lastRun`. */
  private checkBacked(pfn: number): void {
    if (this.runIndexOf(pfn) < 0) {
      throw new MachineError('E_PHYSICAL_NOT_BACKED', `physical page 0x${pfn.toString(16)} is not in the memory map`, {
        pfn: BigInt(pfn),
      });
    }
  }
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

function checkLength(length: number): void {
  if (!Number.isInteger(length) || length < 0 || length > 0x4000000) {
    throw new MachineError('E_MACHINE_ARGUMENT', `bad read length ${length}`, { length });
  }
}
