import { MachineError } from './errors.js';

export type FrameOwner = 'kernel' | 'user' | 'device' | 'pagetable' | 'free';
export interface PhysicalRun {
  basePage: bigint;
  pageCount: bigint;
}

const PAGE = 0x1000;
/** New pages are carved out of shared slabs so populating millions of pages does not cost one ArrayBuffer each. */
const SLAB_PAGES = 256;

/**
 * Sparse physical RAM in 4 KiB frames. Only frames that were written or
 * allocated hold bytes; the rest read as zeros. PFNs are numbers inside
 * (a 52-bit physical address space keeps PFNs below 2^40) and bigint at the API.
 */
export class PhysicalMemory {
  readonly runs: readonly PhysicalRun[];
  readonly totalPages: bigint;
  readonly highestPfn: bigint;

  /** Bytes of frames that were written; every key is also in `owners`. */
  private readonly pages = new Map<number, Uint8Array>();
  /** Allocated or written frames; an absent PFN is 'free'. */
  private readonly owners = new Map<number, Exclude<FrameOwner, 'free'>>();
  private readonly runStarts: number[];
  private readonly runEnds: number[];
  private sortedCache: number[] | null = [];
  private slab: Uint8Array = new Uint8Array(0);
  private slabUsed = SLAB_PAGES;
  /** Allocation cursor: index of the run and the next PFN to try in it. */
  private cursorRun = 0;
  private cursorPfn: number;
  private readonly released: number[] = [];
  /** Page buffers shared by several frames (sharePages); writing to such a frame first gives it its own copy. */
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
    this.cursorPfn = Math.max(Number(firstAllocatablePfn), this.runStarts[0]!);
  }

  /** Frames that were allocated or written (allocated frames cost no memory until written). */
  get populatedCount(): number {
    return this.owners.size;
  }

  /** Backed frames nobody has allocated or written. */
  get freeCount(): bigint {
    return this.totalPages - BigInt(this.owners.size);
  }

  isBacked(pfn: bigint): boolean {
    return this.runIndexOf(Number(pfn)) >= 0;
  }

  isPopulated(pfn: bigint): boolean {
    return this.owners.has(Number(pfn));
  }

  *populatedFrames(): Iterable<bigint> {
    for (const pfn of this.sortedPopulated()) yield BigInt(pfn);
  }

  owner(pfn: bigint): FrameOwner {
    return this.owners.get(Number(pfn)) ?? 'free';
  }

  *framesOwnedBy(...owners: FrameOwner[]): Iterable<bigint> {
    const wanted = new Set(owners);
    if (wanted.has('free')) {
      // Walks every backed frame: only practical for small machines, but honest.
      for (let i = 0; i < this.runStarts.length; i++) {
        for (let pfn = this.runStarts[i]!; pfn < this.runEnds[i]!; pfn++) {
          if (wanted.has(this.owners.get(pfn) ?? 'free')) yield BigInt(pfn);
        }
      }
      return;
    }
    const hits: number[] = [];
    for (const [pfn, owner] of this.owners) if (wanted.has(owner)) hits.push(pfn);
    hits.sort((a, b) => a - b);
    for (const pfn of hits) yield BigInt(pfn);
  }

  /** The frame's bytes (a live view for populated frames: treat as read-only), zeros if never touched. */
  readPage(pfn: bigint): Uint8Array {
    const n = Number(pfn);
    this.checkBacked(n);
    return this.pages.get(n) ?? PhysicalMemory.ZERO_PAGE;
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
    const bytes = this.pages.get(pfn);
    const inPlace = bytes !== undefined && !this.sharedPages.has(bytes) && this.owners.get(pfn) !== 'pagetable';
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
      const page = this.pages.get(pfn);
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
      this.populate(pfn).set(data.subarray(done, done + chunk), offset);
      done += chunk;
      addr += BigInt(chunk);
    }
  }

  /** Fast path for bulk population: copies whole pages starting at `pfn` (data.length must be a multiple of 4096). */
  writePages(pfn: bigint, data: Uint8Array): void {
    const count = this.checkWholePages(pfn, data.length);
    this.contentChanges++;
    const first = Number(pfn);
    for (let i = 0; i < count; i++) this.populate(first + i).set(data.subarray(i * PAGE, (i + 1) * PAGE));
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
    for (let i = 0; i < count; i++) {
      if (this.owners.get(first + i) === 'pagetable') this.pageTableWrites++;
      this.pages.set(first + i, data.subarray(i * PAGE, (i + 1) * PAGE));
      if (!this.owners.has(first + i)) this.setOwner(first + i, 'user');
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
    for (let i = 0; i < count; i++) {
      if (this.owners.get(first + i) === 'pagetable') this.pageTableWrites++;
      this.pages.set(first + i, shared);
      if (!this.owners.has(first + i)) this.setOwner(first + i, 'user');
    }
  }

  /** Allocates one zeroed frame for `owner` (never a frame that is owned or already holds data). Costs no memory until written. */
  allocateFrame(owner: FrameOwner): bigint {
    let pfn = this.released.pop();
    // A released frame may have been written (and so taken) since it was freed.
    while (pfn !== undefined && this.owners.has(pfn)) pfn = this.released.pop();
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
        const busy = this.firstBusy(start, count);
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
    if (this.owners.has(n)) {
      throw new MachineError('E_MACHINE_FRAME_IN_USE', `frame 0x${n.toString(16)} is already in use`, { pfn });
    }
    this.claim(n, owner);
  }

  /** Returns a frame to the allocator; its bytes are dropped (it reads as zeros again). */
  freeFrame(pfn: bigint): void {
    const n = Number(pfn);
    if (!this.owners.has(n)) {
      throw new MachineError('E_MACHINE_FRAME_FREE', `frame 0x${n.toString(16)} is not allocated`, { pfn });
    }
    this.contentChanges++;
    this.storageChanges++;
    this.owners.delete(n);
    this.pages.delete(n);
    this.sortedCache = null;
    this.released.push(n);
  }

  private claim(pfn: number, owner: FrameOwner): void {
    if (owner === 'free') {
      throw new MachineError('E_MACHINE_ARGUMENT', "a frame cannot be allocated to owner 'free'", { pfn });
    }
    this.contentChanges++;
    this.storageChanges++;
    const page = this.pages.get(pfn);
    if (page && this.sharedPages.has(page)) this.pages.delete(pfn);
    else page?.fill(0);
    this.setOwner(pfn, owner);
  }

  private setOwner(pfn: number, owner: Exclude<FrameOwner, 'free'>): void {
    this.storageChanges++;
    if (!this.owners.has(pfn) && this.sortedCache) {
      const last = this.sortedCache[this.sortedCache.length - 1];
      if (last === undefined || last < pfn) this.sortedCache.push(pfn);
      else this.sortedCache = null;
    }
    this.owners.set(pfn, owner);
  }

  /** The frame's storage, ready to be written: created on first touch, unshared if it was shared. */
  private populate(pfn: number): Uint8Array {
    if (this.owners.get(pfn) === 'pagetable') this.pageTableWrites++;
    const existing = this.pages.get(pfn);
    if (existing && !this.sharedPages.has(existing)) return existing;
    if (this.slabUsed === SLAB_PAGES) {
      this.slab = new Uint8Array(SLAB_PAGES * PAGE);
      this.slabUsed = 0;
    }
    const page = this.slab.subarray(this.slabUsed * PAGE, (this.slabUsed + 1) * PAGE);
    this.slabUsed++;
    if (existing) page.set(existing);
    this.storageChanges++;
    this.pages.set(pfn, page);
    // Touched RAM nobody allocated is not 'free' any more: it holds someone's data.
    if (!this.owners.has(pfn)) this.setOwner(pfn, 'user');
    return page;
  }

  private sortedPopulated(): number[] {
    if (!this.sortedCache) {
      this.sortedCache = [...this.owners.keys()].sort((a, b) => a - b);
    }
    return this.sortedCache.slice();
  }

  private nextFreeFrame(): number {
    while (this.cursorRun < this.runStarts.length) {
      if (this.cursorPfn < this.runStarts[this.cursorRun]!) this.cursorPfn = this.runStarts[this.cursorRun]!;
      while (this.cursorPfn < this.runEnds[this.cursorRun]!) {
        const pfn = this.cursorPfn++;
        if (!this.owners.has(pfn)) return pfn;
      }
      this.cursorRun++;
    }
    throw new MachineError('E_MACHINE_OUT_OF_MEMORY', 'physical memory exhausted', { totalPages: this.totalPages });
  }

  private firstBusy(start: number, count: number): number {
    for (let pfn = start + count - 1; pfn >= start; pfn--) {
      if (this.owners.has(pfn)) return pfn;
    }
    return -1;
  }

  private runIndexOf(pfn: number): number {
    let lo = 0;
    let hi = this.runStarts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (pfn < this.runStarts[mid]!) hi = mid - 1;
      else if (pfn >= this.runEnds[mid]!) lo = mid + 1;
      else return mid;
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
