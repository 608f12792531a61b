/**
 * The reader's synchronous core for physical and virtual memory: page-table
 * entries come from a cache of table pages, data pages from a cache of their
 * own, translations of the dump's own address space from a TLB, and all
 * arithmetic is on numbers. On a source with synchronous reads (files,
 * memory) a miss is read on the spot; on any other (a Blob) the core throws a
 * PendingRead, the async caller fetches the page and runs the step again.
 * Each step handles at most one page of the request and records its progress
 * in the ReadOp, so a retried step never repeats finished work.
 */
import type { DumpFile } from './dumpFile.js';
import { PAGE_BYTES, type PageCache } from './pageCache.js';
import { PendingRead, type PageLoader } from './pager.js';
import type { PhysicalIndex } from './physicalIndex.js';
import { newWalkResult, type EntryReader, type PageWalker, type WalkResult } from './translate.js';
import type { MemoryRead, PageStatus } from './types.js';

const PAGE = PAGE_BYTES;
const TWO_32 = 0x1_0000_0000;
/** Physical addresses at or above 2^52 hold no page of any dump (PFNs have 40 bits). */
export const PA_LIMIT = 2 ** 52;
/** Reads bigger than this do not keep their pages in the data cache (a scan must not evict what is hot). */
const BYPASS_CACHE_BYTES = 64 * 1024;
const TLB_SIZE = 1 << 14;
const SEEN_SIZE = 1 << 15;
/** Pages of the aligned window loadWindow reads (64 KiB). */
const WINDOW_PAGES = 16;
/** Windows nearRecentMiss() remembers: "a short while ago" is the last ~1000 windows that missed. */
const RECENT_WINDOWS = 1024;
/** Reads up to this size in `shared` mode land in one reused scratch buffer instead of a new array. */
export const SHARED_SCRATCH_BYTES = 64 * 1024;
/** Levels whose last table page read() remembers (a power of two). */
const RECENT_LEVELS = 8;

/**
 * One read in progress: where its bytes go, how far it has got, and the
 * statuses so far in the caller's address space (neighbours with the same
 * status merged).
 */
export class ReadOp {
  pos = 0;
  readonly status: MemoryRead['status'] = [];
  complete = true;
  /** Large reads go around the data cache. */
  readonly bypass: boolean;
  /** Set when an asynchronous direct fill has put bytes [filledAt, filledAt+filledLength) in place. */
  filledAt = -1;
  filledLength = 0;

  constructor(
    readonly target: Uint8Array,
    readonly at: number,
    readonly length: number,
    private readonly base: bigint,
  ) {
    this.bypass = length > BYPASS_CACHE_BYTES;
  }

  get done(): boolean {
    return this.pos >= this.length;
  }

  /** The next `n` bytes are in place. */
  present(n: number): void {
    this.record(n, 'present');
  }

  /** The next `n` bytes are not in the dump: they read as zero (the caller's buffer may hold anything). */
  absent(n: number, status: PageStatus): void {
    this.target.fill(0, this.at + this.pos, this.at + this.pos + n);
    this.complete = false;
    this.record(n, status);
  }

  private record(n: number, status: PageStatus): void {
    if (n === 0) return;
    const last = this.status[this.status.length - 1];
    if (last !== undefined && last.status === status) last.length += n;
    else this.status.push({ address: this.pos === 0 ? this.base : this.base + BigInt(this.pos), length: n, status });
    this.pos += n;
  }
}

export class DumpMemory implements EntryReader {
  lo = 0;
  hi = 0;
  private readonly walked: WalkResult = newWalkResult();
  private readonly tlbTags = new Float64Array(TLB_SIZE).fill(-1);
  private readonly tlbFrames = new Float64Array(TLB_SIZE);
  private readonly recentPfns = new Float64Array(RECENT_LEVELS).fill(-1);
  private readonly recentSlots = new Int32Array(RECENT_LEVELS);
  /** Where loadWindow reads a window of pages before they are stored. */
  private readonly window = new Uint8Array(WINDOW_PAGES * PAGE);
  /** Windows that missed lately (direct-mapped), for nearRecentMiss(). */
  private readonly recentWindows = new Float64Array(RECENT_WINDOWS).fill(-1);
  /** Misses in each of those windows so far (up to windowAfter). */
  private readonly recentWindowMisses = new Uint8Array(RECENT_WINDOWS);
  /** Earlier misses in a window before a miss loads the whole window: 1 on async sources, 2 on sync ones. */
  private readonly windowAfter: number;
  /** PFNs that missed once (direct-mapped), for admit(). */
  private readonly seen = new Float64Array(SEEN_SIZE).fill(-1);
  private readonly canReadSync: boolean;
  /** Where `shared` reads that are not a view of one cached page are put (allocated on first use). */
  private scratch: Uint8Array | undefined;

  constructor(
    private readonly file: DumpFile,
    readonly index: PhysicalIndex,
    private readonly tables: PageLoader,
    readonly data: PageCache,
    readonly walker: PageWalker | undefined,
    /** Root table of the dump's own address space (the header's DirectoryTableBase): the one the TLB serves. */
    readonly defaultRoot: number,
  ) {
    this.canReadSync = file.canReadSync;
    this.windowAfter = file.canReadSync ? 2 : 1;
  }

  /** The top-level table for a DirectoryTableBase (the dump's own when none is given); needs a walker. */
  rootFor(directoryTableBase: bigint | undefined, walker: PageWalker): number {
    return directoryTableBase === undefined ? this.defaultRoot : walker.root(directoryTableBase);
  }

  /**
   * EntryReader: the 8-byte entry at `pa`, through the table cache. The table
   * page last used at each level is remembered (walks of one region share
   * their upper tables), checked against the cache so an evicted slot is
   * never used.
   */
  read(pa: number, level: number): boolean {
    const pfn = Math.floor(pa / PAGE);
    const cache = this.tables.cache;
    const memo = level & (RECENT_LEVELS - 1);
    let slot = -1;
    if (this.recentPfns[memo] === pfn) {
      const s = this.recentSlots[memo]!;
      if (cache.keyAt(s) === pfn) slot = s;
    }
    if (slot < 0) {
      slot = cache.lookup(pfn);
      if (slot < 0) {
        const at = this.index.offsetOf(pfn);
        if (at < 0) return false;
        slot = this.tables.load(pfn, at);
      }
      this.recentPfns[memo] = pfn;
      this.recentSlots[memo] = slot;
    }
    const view = cache.view(slot);
    const o = cache.offset(slot) + (pa - pfn * PAGE);
    this.lo = view.getUint32(o, true);
    this.hi = view.getUint32(o + 4, true);
    return true;
  }

  /** Walks `va` (two 32-bit halves) from `root`; the outcome is valid until the next walk. */
  walk(vaHi: number, vaLo: number, root: number): WalkResult {
    this.walker!.walk(vaHi, vaLo, root, this, this.walked);
    return this.walked;
  }

  /**
   * Physical address of the 4 KiB frame holding `va`, or -1 (then `walked`
   * says why). Translations of the default address space are remembered.
   */
  frameOf(vaHi: number, vaLo: number, root: number): number {
    const useTlb = root === this.defaultRoot;
    const vpn = vaLo >>> 12;
    const key = vaHi * 0x10_0000 + vpn;
    const slot = (vpn ^ (vaHi << 4)) & (TLB_SIZE - 1);
    if (useTlb && this.tlbTags[slot] === key) return this.tlbFrames[slot]!;
    const w = this.walk(vaHi, vaLo, root);
    if (w.status !== 'mapped') return -1;
    const frame = w.pa - (vaLo & 0xfff);
    if (useTlb) {
      this.tlbTags[slot] = key;
      this.tlbFrames[slot] = frame;
    }
    return frame;
  }

  get lastWalk(): WalkResult {
    return this.walked;
  }

  /** True when the dump holds the whole page of `pfn`. */
  holds(pfn: number): boolean {
    return pfn < PA_LIMIT / PAGE && this.index.offsetOf(pfn) >= 0;
  }

  /**
   * One step of a virtual read: the rest of the page at op.pos, translated
   * from `root`, starting at address vaHi·2^32 + vaLo (the op's base + pos).
   */
  stepVirtual(op: ReadOp, vaHi: number, vaLo: number, root: number): number {
    const inPage = vaLo & 0xfff;
    const n = Math.min(PAGE - inPage, op.length - op.pos);
    const frame = this.frameOf(vaHi, vaLo, root);
    if (frame < 0) op.absent(n, this.walked.status === 'not-in-dump' ? 'not-in-dump' : 'not-mapped');
    else if (this.copyPage(op, frame / PAGE, inPage, n)) op.present(n);
    else op.absent(n, 'not-in-dump');
    return n;
  }

  /** A whole virtual read on a source with synchronous reads. */
  readVirtualSync(op: ReadOp, vaHi: number, vaLo: number, root: number): void {
    while (op.pos < op.length) {
      vaLo += this.stepVirtual(op, vaHi, vaLo, root);
      if (vaLo >= TWO_32) {
        vaLo -= TWO_32;
        vaHi++;
      }
    }
  }

  /**
   * A whole virtual read on a source with synchronous reads whose bytes
   * may be the reader's own memory: a view of the cached page when the range
   * lies in one page the data cache holds, else a view of a scratch buffer
   * reused by the next such read (a new array above SHARED_SCRATCH_BYTES).
   * Nothing is allocated but the view and the small result objects.
   */
  readVirtualShared(base: bigint, vaHi: number, vaLo: number, root: number, length: number): MemoryRead {
    const inPage = vaLo & 0xfff;
    if (length > 0 && inPage + length <= PAGE) {
      const frame = this.frameOf(vaHi, vaLo, root);
      if (frame >= 0) {
        const data = this.data;
        const slot = data.find(frame / PAGE);
        if (slot >= 0) {
          const o = data.offset(slot) + inPage;
          return {
            address: base,
            bytes: data.slab(slot).subarray(o, o + length),
            status: [{ address: base, length, status: 'present' }],
            complete: true,
          };
        }
      }
    }
    let target: Uint8Array;
    if (length <= SHARED_SCRATCH_BYTES) {
      this.scratch ??= new Uint8Array(SHARED_SCRATCH_BYTES);
      target = this.scratch.subarray(0, length);
    } else target = new Uint8Array(length);
    const op = new ReadOp(target, 0, length, base);
    this.readVirtualSync(op, vaHi, vaLo, root);
    return { address: base, bytes: target, status: op.status, complete: op.complete };
  }

  /** A whole physical read from `pa` (< PA_LIMIT) on a source with synchronous reads. */
  readPhysicalSync(op: ReadOp, pa: number): void {
    while (op.pos < op.length) this.stepPhysical(op, pa + op.pos);
  }

  /** One step of a physical read at `pa` (= the op's base + pos, below PA_LIMIT). */
  stepPhysical(op: ReadOp, pa: number): void {
    const pfn = Math.floor(pa / PAGE);
    const inPage = pa - pfn * PAGE;
    const n = Math.min(PAGE - inPage, op.length - op.pos);
    const at = this.index.offsetOf(pfn);
    if (at < 0) {
      op.absent(n, 'not-in-dump');
      return;
    }
    // Following pages stored right after this one are read in one go, around the cache.
    let span = n;
    let nextPfn = pfn + 1;
    let nextAt = at + PAGE;
    while (op.pos + span < op.length && this.index.offsetOf(nextPfn) === nextAt) {
      span += Math.min(PAGE, op.length - op.pos - span);
      nextPfn++;
      nextAt += PAGE;
    }
    if (span > n) this.fillDirect(op, span, at + inPage);
    else this.copyPage(op, pfn, inPage, n);
    op.present(span);
  }

  /**
   * Copies `n` bytes of page `pfn` from `inPage` to the op's target at its
   * position; false when the dump does not hold the page.
   */
  private copyPage(op: ReadOp, pfn: number, inPage: number, n: number): boolean {
    if (op.filledAt === op.pos && op.filledLength === n) {
      // A retried step whose bytes an asynchronous direct fill already put in place.
      op.filledAt = -1;
      return true;
    }
    const data = this.data;
    let slot = data.lookup(pfn);
    if (slot < 0) {
      const at = pfn < PA_LIMIT / PAGE ? this.index.offsetOf(pfn) : -1;
      if (at < 0) return false;
      if (op.bypass || data.capacity === 0) {
        this.fillDirect(op, n, at + inPage);
        return true;
      }
      if (data.capacity >= 4 * WINDOW_PAGES && this.nearRecentMiss(pfn)) slot = this.loadWindow(pfn, at);
      else if (this.admit(pfn)) slot = this.loadPage(pfn, at);
      else {
        this.fillDirect(op, n, at + inPage);
        return true;
      }
    }
    const o = data.offset(slot) + inPage;
    op.target.set(data.slab(slot).subarray(o, o + n), op.at + op.pos);
    return true;
  }

  /**
   * Whether a page that missed goes into the data cache: only on its second
   * miss. A page read once (a wide random spread, a walk over a big
   * structure) is read straight into the caller's buffer, so it neither
   * costs a copy through cold cache memory nor evicts a page in use.
   */
  private admit(pfn: number): boolean {
    const i = pfn & (SEEN_SIZE - 1);
    if (this.seen[i] === pfn) return true;
    this.seen[i] = pfn;
    return false;
  }

  /**
   * Whether enough other misses fell in the same 64 KiB window a short while
   * ago (the last ~1000 windows that missed): reads with locality, such as
   * code and data of one module, then load the whole window at once (like
   * the kernel's fault-around); a wide random spread seldom does. On a
   * source without synchronous reads (a Blob), where every read is a slice
   * and a promise, one earlier miss is enough. From a file a 4 KiB read
   * costs little, while every page stored touches cache memory (on the
   * project's machine a first touch costs more than the read), so it takes
   * two: a wide spread then almost never loads a window (on 1 GiB about one
   * miss in 300 instead of one in 16), a module's pages still do.
   */
  private nearRecentMiss(pfn: number): boolean {
    const window = Math.floor(pfn / WINDOW_PAGES);
    const i = window & (RECENT_WINDOWS - 1);
    if (this.recentWindows[i] !== window) {
      this.recentWindows[i] = window;
      this.recentWindowMisses[i] = 1;
      return false;
    }
    const misses = this.recentWindowMisses[i]!;
    if (misses >= this.windowAfter) return true;
    this.recentWindowMisses[i] = misses + 1;
    return false;
  }

  private loadPage(pfn: number, at: number): number {
    const data = this.data;
    if (this.canReadSync) {
      const slot = data.claim(pfn);
      try {
        this.file.fillSync(data.slab(slot), data.offset(slot), PAGE, at, 'physical page');
      } catch (e) {
        data.drop(pfn);
        throw e;
      }
      return slot;
    }
    throw new PendingRead(async () => {
      const page = new Uint8Array(PAGE);
      await this.file.fillAsync(page, 0, PAGE, at, 'physical page');
      data.store(pfn, page);
    });
  }

  /**
   * Loads the pages of `pfn`'s aligned 64 KiB window that are stored next to
   * it in the file and not cached yet, in one read; returns `pfn`'s slot.
   */
  private loadWindow(pfn: number, at: number): number {
    const index = this.index;
    const windowStart = pfn - (pfn % WINDOW_PAGES);
    let first = pfn;
    while (first > windowStart && index.offsetOf(first - 1) === at - (pfn - first + 1) * PAGE) first--;
    let end = pfn + 1;
    while (end < windowStart + WINDOW_PAGES && index.offsetOf(end) === at + (end - pfn) * PAGE) end++;
    const position = at - (pfn - first) * PAGE;
    const bytes = (end - first) * PAGE;
    if (this.canReadSync) {
      const window = this.window;
      this.file.fillSync(window, 0, bytes, position, 'physical pages');
      return this.storeWindow(window, first, end, pfn);
    }
    throw new PendingRead(async () => {
      const window = new Uint8Array(bytes);
      await this.file.fillAsync(window, 0, bytes, position, 'physical pages');
      this.storeWindow(window, first, end, pfn);
    });
  }

  /**
   * Caches the pages [first, end) held in `window` that are not cached yet,
   * `pfn` last so that it is the one surely kept; returns its slot.
   */
  private storeWindow(window: Uint8Array, first: number, end: number, pfn: number): number {
    const data = this.data;
    for (let p = first; p < end; p++) {
      if (p !== pfn && !data.has(p)) data.store(p, window.subarray((p - first) * PAGE, (p - first + 1) * PAGE));
    }
    return data.store(pfn, window.subarray((pfn - first) * PAGE, (pfn - first + 1) * PAGE));
  }

  /** Reads `n` file bytes at `position` straight into the op's target at its position. */
  private fillDirect(op: ReadOp, n: number, position: number): void {
    if (op.filledAt === op.pos && op.filledLength === n) {
      op.filledAt = -1;
      return;
    }
    const at = op.at + op.pos;
    if (this.canReadSync) {
      this.file.fillSync(op.target, at, n, position, 'physical pages');
      return;
    }
    const pos = op.pos;
    throw new PendingRead(async () => {
      await this.file.fillAsync(op.target, at, n, position, 'physical pages');
      op.filledAt = pos;
      op.filledLength = n;
    });
  }
}
