import { BugcheckError } from '../format/index.js';
import type { CrashDump, DumpProblem } from '../dump/reader/index.js';
import { presentRangesFromStatus } from './hexdump.js';
import { jsonHex } from './text.js';

const PAGE = 0x1000;
const PAGE_N = 0x1000n;
const OFFSET_MASK = PAGE_N - 1n;
const PAGE_MASK = ~OFFSET_MASK;
const U64_END = 1n << 64n;
/** The largest read is 64 pages: only a start above this can run past 2^64. */
const MAX_READ = 64 * PAGE;
const NEAR_U64_END = U64_END - BigInt(MAX_READ);
/** Pages held by one DumpMemory (4 MiB): a stack walk touches a few dozen. */
const MAX_CACHED_PAGES = 1024;

/**
 * What the stack walker, the PE reader and the crash-state lookups need of
 * a dump's virtual memory: whole ranges or nothing. Never throws: a range the
 * dump does not hold, an address near 2^64 or a reader error all read as
 * `undefined`, so hostile pointers cannot end an analysis. The bytes may be a
 * view of memory the implementation keeps (DumpMemory's page cache): read them,
 * never write into them.
 */
export interface VirtualMemory {
  read(va: bigint, length: number): Promise<Uint8Array | undefined>;
  /**
   * What read() would answer, given at once where the implementation already holds the pages
   * (DumpMemory's cache), else NOT_CACHED: a stack scan asks hundreds of small questions, and each
   * asynchronous answer costs promises.
   */
  readNow?(va: bigint, length: number): Uint8Array | undefined | typeof NOT_CACHED;
  readU64(va: bigint): Promise<bigint | undefined>;
  readU32(va: bigint): Promise<number | undefined>;
}

/** readNow()'s answer when the pages are not held yet: ask read(). */
export const NOT_CACHED: unique symbol = Symbol('not cached');

/** memory.readNow() where it has one, else NOT_CACHED. */
export function readNow(memory: VirtualMemory, va: bigint, length: number): Uint8Array | undefined | typeof NOT_CACHED {
  return memory.readNow === undefined ? NOT_CACHED : memory.readNow(va, length);
}

interface CachedPage {
  bytes: Uint8Array;
  /** Whether every byte of [from, to) of the page is in the dump. */
  present: (from: number, to: number) => boolean;
  all: boolean;
}

/**
 * VirtualMemory over an open CrashDump, one 4 KiB virtual page per reader
 * call, with a bounded cache. The first reader error is kept as a problem
 * (once), naming the address.
 */
export class DumpMemory implements VirtualMemory {
  private readonly pages = new Map<bigint, CachedPage | null>();
  private reported = false;

  constructor(
    private readonly dump: CrashDump,
    private readonly problems?: DumpProblem[],
  ) {}

  private async page(pageVa: bigint): Promise<CachedPage | null> {
    const hit = this.pages.get(pageVa);
    if (hit !== undefined) return hit;
    let page: CachedPage | null = null;
    try {
      const r = await this.dump.readVirtual(pageVa, PAGE);
      page = r.status.some((s) => s.status === 'present')
        ? { bytes: r.bytes, present: presentRangesFromStatus(pageVa, r.status), all: r.complete }
        : null;
    } catch (err) {
      if (!(err instanceof BugcheckError)) throw err;
      if (!this.reported && this.problems !== undefined) {
        this.reported = true;
        this.problems.push({
          code: err.code,
          severity: 'warning',
          message: `reading virtual address ${jsonHex(pageVa)}: ${err.message}`,
        });
      }
    }
    if (this.pages.size >= MAX_CACHED_PAGES) this.pages.clear();
    this.pages.set(pageVa, page);
    return page;
  }

  readNow(va: bigint, length: number): Uint8Array | undefined | typeof NOT_CACHED {
    if (typeof va !== 'bigint' || va < 0n || !Number.isSafeInteger(length) || length < 0) return undefined;
    if (length > MAX_READ || (va > NEAR_U64_END && va + BigInt(length) > U64_END)) return undefined;
    const offset = Number(va & OFFSET_MASK);
    if (length === 0 || length > PAGE) return NOT_CACHED;
    const firstPage = va & PAGE_MASK;
    const page = this.pages.get(firstPage);
    if (page === undefined) return NOT_CACHED;
    if (page === null) return undefined;
    if (offset + length <= PAGE) {
      if (!page.all && !page.present(offset, offset + length)) return undefined;
      return page.bytes.subarray(offset, offset + length);
    }
    // Across two pages (a return address near a page's end): both held, as read() would copy them.
    const head = PAGE - offset;
    if (!page.all && !page.present(offset, PAGE)) return undefined;
    const next = this.pages.get(firstPage + PAGE_N);
    if (next === undefined) return NOT_CACHED;
    if (next === null || (!next.all && !next.present(0, length - head))) return undefined;
    const out = new Uint8Array(length);
    out.set(page.bytes.subarray(offset, PAGE));
    out.set(next.bytes.subarray(0, length - head), head);
    return out;
  }

  async read(va: bigint, length: number): Promise<Uint8Array | undefined> {
    if (typeof va !== 'bigint' || va < 0n || !Number.isSafeInteger(length) || length < 0) return undefined;
    if (length > MAX_READ || (va > NEAR_U64_END && va + BigInt(length) > U64_END)) return undefined;
    // Most reads (a return address's bytes, an unwind entry) lie in one page, often one already
    // cached or known absent: no await, no bigint arithmetic per page, and a view of the cached
    // page rather than a copy (a stack scan makes thousands of these reads).
    const offset = Number(va & OFFSET_MASK);
    if (length > 0 && offset + length <= PAGE) {
      const firstPage = va & PAGE_MASK;
      const cached = this.pages.get(firstPage);
      const page = cached === undefined ? await this.page(firstPage) : cached;
      if (page === null) return undefined;
      if (!page.all && !page.present(offset, offset + length)) return undefined;
      return page.bytes.subarray(offset, offset + length);
    }
    const out = new Uint8Array(length);
    let pos = 0;
    while (pos < length) {
      const cur = va + BigInt(pos);
      const pageVa = cur & PAGE_MASK;
      const inPage = Number(cur - pageVa);
      const n = Math.min(PAGE - inPage, length - pos);
      const page = await this.page(pageVa);
      if (page === null) return undefined;
      if (!page.all && !page.present(inPage, inPage + n)) return undefined;
      out.set(page.bytes.subarray(inPage, inPage + n), pos);
      pos += n;
    }
    return out;
  }

  async readU64(va: bigint): Promise<bigint | undefined> {
    const b = await this.read(va, 8);
    return b === undefined ? undefined : new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
  }

  async readU32(va: bigint): Promise<number | undefined> {
    const b = await this.read(va, 4);
    return b === undefined ? undefined : new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
  }
}

/** Little-endian readers over a byte array (bounds-checked by DataView). */
export function u16At(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(offset, true);
}
export function u32At(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, true);
}
export function u64At(bytes: Uint8Array, offset: number): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset, true);
}
