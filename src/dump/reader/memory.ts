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
  /** PFNs that missed once (direct-mapped), for admit(). */
  private readonly seen = new Float64Array(SEEN_SIZE).fill(-1);
  private readonly canReadSync: boolean;

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
  }

  /** EntryReader: the 8-byte entry at `pa`, through the table cache. */
  read(pa: number): boolean {
    const pfn = Math.floor(pa / PAGE);
    const cache = this.tables.cache;
    let slot = cache.lookup(pfn);
    if (slot < 0) {
      const at = this.index.offsetOf(pfn);
      if (at < 0) return false;
      slot = this.tables.load(pfn, at);
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
      if (op.bypass || !this.admit(pfn)) {
        this.fillDirect(op, n, at + inPage);
        return true;
      }
      slot = this.loadData(pfn, at);
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
    if (this.data.capacity === 0) return false;
    const i = pfn & (SEEN_SIZE - 1);
    if (this.seen[i] === pfn) return true;
    this.seen[i] = pfn;
    return false;
  }

  private loadData(pfn: number, at: number): number {
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
