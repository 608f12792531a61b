import { hex } from '../../format/index.js';
import type { DumpFile } from './dumpFile.js';
import { PAGE_BYTES } from './pageCache.js';
import type { PageLoader } from './pager.js';
import type { DumpProblem } from './types.js';

/** Consecutive page frames stored back to back in the file. */
export interface IndexRun {
  pfn: number;
  pages: number;
  fileOffset: number;
}

/**
 * Maps a PFN to the file offset of its page. PFNs and offsets are numbers
 * inside the reader (a PFN has at most 40 bits, a file offset at most 53).
 */
export interface PhysicalIndex {
  /** Pages the index knows of (including any that the file is too short to hold). */
  readonly pageCount: bigint;
  /** File offset of the page holding `pfn`, or -1 when the dump does not hold the whole page. */
  offsetOf(pfn: number): number;
  /** Runs of present pages, ascending PFN, clipped to the pages the file holds. */
  runs(): AsyncIterable<IndexRun>;
  /** offsetOf for bigint callers. */
  fileOffsetOf(pfn: bigint): bigint | undefined;
}

/** A dump without physical pages (triage, header-only, unsupported). */
export const EMPTY_INDEX: PhysicalIndex = {
  pageCount: 0n,
  offsetOf: () => -1,
  runs: async function* () {},
  fileOffsetOf: () => undefined,
};

/** A 52-bit physical address space has at most 2^40 page frames. */
export const PFN_LIMIT = 1n << 40n;
const PFN_LIMIT_N = 2 ** 40;

function bigintOffset(index: PhysicalIndex, pfn: bigint): bigint | undefined {
  if (typeof pfn !== 'bigint' || pfn < 0n || pfn >= PFN_LIMIT) return undefined;
  const at = index.offsetOf(Number(pfn));
  return at < 0 ? undefined : BigInt(at);
}

/** Whole pages from `offset` that fit in a file of `fileSize` bytes. */
function pagesInFile(offset: bigint, fileSize: bigint): bigint {
  return fileSize > offset ? (fileSize - offset) / 0x1000n : 0n;
}

/**
 * DumpType 1: runs are stored in file order; we keep them sorted by PFN with
 * each run's file offset (prefix sums), so a lookup is a binary search over
 * at most 42 runs. Runs are clipped to what the file holds, so neither a
 * lookup nor an iteration ever walks pages past the end of the file. A run
 * beyond 2^40 frames is not indexed (reported) but keeps its place in the
 * file, so the runs after it still map to their own pages.
 */
export class RunsIndex implements PhysicalIndex {
  private readonly sorted: IndexRun[];
  readonly pageCount: bigint;

  constructor(
    runs: readonly { basePage: bigint; pageCount: bigint }[],
    firstPageOffset: bigint,
    fileSize: bigint,
    problems: DumpProblem[],
  ) {
    let offset = firstPageOffset;
    let total = 0n;
    const indexed: { basePage: bigint; pageCount: bigint; fileOffset: bigint }[] = [];
    for (const [i, run] of runs.entries()) {
      const at = offset;
      // Every run's pages occupy the file, so they always count towards the later runs' offsets.
      offset += run.pageCount * 0x1000n;
      total += run.pageCount;
      if (run.basePage < 0n || run.pageCount < 0n || run.basePage + run.pageCount > PFN_LIMIT) {
        problems.push({
          code: 'E_DUMP_CORRUPT',
          severity: 'error',
          structure: 'PHYSICAL_MEMORY_DESCRIPTOR64',
          message: `Run[${i}] (BasePage ${hex(run.basePage)}, PageCount ${hex(run.pageCount)}) lies beyond 2^40 page frames: its pages are not indexed, but still occupy the file before the runs after it`,
        });
        continue;
      }
      const inFile = pagesInFile(at, fileSize);
      // biome-ignore lint/complexity/useMathMinMax: bigint operands
      const held = run.pageCount < inFile ? run.pageCount : inFile;
      if (held > 0n) indexed.push({ basePage: run.basePage, pageCount: held, fileOffset: at });
    }
    this.pageCount = total;
    indexed.sort((a, b) => (a.basePage < b.basePage ? -1 : a.basePage > b.basePage ? 1 : 0));
    // Overlapping runs would give one PFN two pages; keep the first (lowest PFN start) and say so.
    this.sorted = [];
    let prevEnd = -1n;
    let prevBase = 0n;
    let prevCount = 0n;
    for (const run of indexed) {
      let { basePage, pageCount, fileOffset } = run;
      if (basePage < prevEnd) {
        problems.push({
          code: 'E_DUMP_CORRUPT',
          severity: 'warning',
          structure: 'PHYSICAL_MEMORY_DESCRIPTOR64',
          message: `run at PFN ${hex(run.basePage)} overlaps the run at PFN ${hex(prevBase)} (${hex(prevCount)} pages); the overlapping pages are read from the earlier run`,
        });
        const skip = prevEnd - basePage;
        if (skip >= pageCount) continue;
        basePage = prevEnd;
        pageCount -= skip;
        fileOffset += skip * 0x1000n;
      }
      this.sorted.push({ pfn: Number(basePage), pages: Number(pageCount), fileOffset: Number(fileOffset) });
      prevBase = basePage;
      prevCount = pageCount;
      prevEnd = basePage + pageCount;
    }
  }

  offsetOf(pfn: number): number {
    const sorted = this.sorted;
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const run = sorted[mid]!;
      if (pfn < run.pfn) hi = mid - 1;
      else if (pfn >= run.pfn + run.pages) lo = mid + 1;
      else return run.fileOffset + (pfn - run.pfn) * PAGE_BYTES;
    }
    return -1;
  }

  fileOffsetOf(pfn: bigint): bigint | undefined {
    return bigintOffset(this, pfn);
  }

  async *runs(): AsyncIterable<IndexRun> {
    for (const run of this.sorted) yield { ...run };
  }

  *pages(): Iterable<{ pfn: bigint; fileOffset: bigint }> {
    for (const run of this.sorted) {
      for (let k = 0; k < run.pages; k++)
        yield { pfn: BigInt(run.pfn + k), fileOffset: BigInt(run.fileOffset + k * PAGE_BYTES) };
    }
  }
}

/** Bits per rank block: a lookup popcounts at most 16 words. */
const BLOCK_BITS = 512;
const BLOCK_WORDS = BLOCK_BITS / 32;
/** True on little-endian hosts, where a Uint32Array over the file's bytes reads the bitmap's words as stored. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** The bitmap's little-endian 32-bit words over `bytes` (copied only on big-endian hosts or when misaligned). */
export function bitmapWords(bytes: Uint8Array, wordCount: number): Uint32Array {
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0 && bytes.length >= wordCount * 4)
    return new Uint32Array(bytes.buffer, bytes.byteOffset, wordCount);
  const words = new Uint32Array(wordCount);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fullWords = Math.min(wordCount, Math.floor(bytes.length / 4));
  for (let i = 0; i < fullWords; i++) words[i] = view.getUint32(i * 4, true);
  for (let b = fullWords * 4; b < bytes.length && b < wordCount * 4; b++) words[b >> 2]! |= bytes[b]! << ((b & 3) * 8);
  return words;
}

/**
 * Turns bitmap words into runs of set bits, chunk by chunk, assigning file
 * offsets in bit order (pages are packed in PFN order) and stopping at the
 * pages the file holds.
 */
export class BitRuns {
  private start = 0;
  private length = 0;
  /** Set bits before the open run = its first page's index in the file. */
  private rank = 0;
  done = false;

  constructor(
    private readonly firstPageOffset: number,
    private readonly pagesHeld: number,
  ) {}

  /** Adds words[0, count) standing for bits from `bit0` (a multiple of 32); finished runs go to `out`. */
  add(words: Uint32Array, count: number, bit0: number, out: IndexRun[]): void {
    for (let i = 0; i < count && !this.done; i++) {
      let x = words[i]!;
      if (x === 0) {
        if (this.length > 0) this.close(out);
        continue;
      }
      const base = bit0 + i * 32;
      if (x === 0xffffffff) {
        this.extend(base, 32, out);
        continue;
      }
      while (x !== 0) {
        const low = ctz32(x);
        const rest = x >>> low;
        const ones = rest === 0xffffffff >>> low ? 32 - low : ctz32(~rest);
        this.extend(base + low, ones, out);
        const end = low + ones;
        x = end >= 32 ? 0 : ((x >>> end) << end) >>> 0;
        if (x !== 0 && this.length > 0) this.close(out);
      }
      if (this.length > 0 && this.start + this.length !== base + 32) this.close(out);
    }
  }

  finish(out: IndexRun[]): void {
    if (this.length > 0) this.close(out);
  }

  private extend(bit: number, n: number, out: IndexRun[]): void {
    if (this.length > 0 && this.start + this.length === bit) {
      this.length += n;
      return;
    }
    if (this.length > 0) this.close(out);
    this.start = bit;
    this.length = n;
  }

  private close(out: IndexRun[]): void {
    const n = Math.min(this.length, this.pagesHeld - this.rank);
    if (n > 0) out.push({ pfn: this.start, pages: n, fileOffset: this.firstPageOffset + this.rank * PAGE_BYTES });
    this.rank += this.length;
    this.length = 0;
    if (this.rank >= this.pagesHeld) this.done = true;
  }
}

/** Set bits of the last word that lie at or past `bitCount` are not part of the bitmap. */
function maskTail(words: Uint32Array, bitCount: number): void {
  const tailBits = bitCount % 32;
  if (tailBits !== 0 && words.length > 0) words[words.length - 1]! &= (1 << tailBits) - 1;
}

/**
 * DumpType 5/6: bit i set ⇔ PFN i present; pages are packed in PFN order from
 * `firstPageOffset`. We hold the bitmap (1 bit per 4 KiB of RAM: 128 KiB for
 * 4 GiB) plus the rank (set bits before) of every 512-bit block, so
 * PFN → file offset is one table lookup and ≤ 16 popcounts.
 */
export class BitmapIndex implements PhysicalIndex {
  private readonly words: Uint32Array;
  private readonly ranks: Float64Array;
  private readonly bits: number;
  private readonly first: number;
  /** Set bits whose page the file holds; pages of later set bits are cut off by EOF. */
  private readonly pagesHeld: number;
  readonly pageCount: bigint;

  /**
   * `bitmap` is the raw bitmap (ceil(bits/8) bytes); bits at or beyond
   * `bitCount` are ignored. It is copied unless `adopt` hands it over (the
   * reader's own buffer: no second copy of a big bitmap).
   */
  constructor(bitmap: Uint8Array, bitCount: bigint, firstPageOffset: bigint, fileSize: bigint, adopt = false) {
    const bits = Number(bitCount);
    const words = bitmapWords(bitmap, Math.ceil(bits / 32));
    this.words = words.buffer === bitmap.buffer && !adopt ? words.slice() : words;
    this.bits = bits;
    this.first = Number(firstPageOffset);
    maskTail(this.words, bits);
    const blocks = Math.ceil(this.words.length / BLOCK_WORDS);
    this.ranks = new Float64Array(blocks + 1);
    let total = 0;
    for (let blk = 0; blk < blocks; blk++) {
      this.ranks[blk] = total;
      const end = Math.min(this.words.length, (blk + 1) * BLOCK_WORDS);
      for (let w = blk * BLOCK_WORDS; w < end; w++) total += popcount32(this.words[w]!);
    }
    this.ranks[blocks] = total;
    this.pageCount = BigInt(total);
    const held = pagesInFile(firstPageOffset, fileSize);
    this.pagesHeld = held < this.pageCount ? Number(held) : total;
  }

  /** Bytes held by the index (for the benchmark and the README's memory bound). */
  get memoryBytes(): number {
    return this.words.byteLength + this.ranks.byteLength;
  }

  private rank(bit: number): number {
    const word = bit >>> 5;
    const blk = Math.floor(word / BLOCK_WORDS);
    let r = this.ranks[blk]!;
    for (let w = blk * BLOCK_WORDS; w < word; w++) r += popcount32(this.words[w]!);
    const inWord = bit & 31;
    if (inWord !== 0) r += popcount32(this.words[word]! & (((1 << inWord) - 1) >>> 0));
    return r;
  }

  offsetOf(pfn: number): number {
    if (!(pfn >= 0 && pfn < this.bits)) return -1;
    if (((this.words[pfn >>> 5]! >>> (pfn & 31)) & 1) === 0) return -1;
    const rank = this.rank(pfn);
    return rank < this.pagesHeld ? this.first + rank * PAGE_BYTES : -1;
  }

  fileOffsetOf(pfn: bigint): bigint | undefined {
    return bigintOffset(this, pfn);
  }

  async *runs(): AsyncIterable<IndexRun> {
    const collect = new BitRuns(this.first, this.pagesHeld);
    const step = 1 << 16;
    for (let w = 0; w < this.words.length && !collect.done; w += step) {
      const out: IndexRun[] = [];
      const chunk = this.words.subarray(w, w + step);
      collect.add(chunk, chunk.length, w * 32, out);
      if (w + step >= this.words.length) collect.finish(out);
      yield* out;
    }
  }

  *pages(): Iterable<{ pfn: bigint; fileOffset: bigint }> {
    let offset = this.first;
    let n = 0;
    for (let w = 0; w < this.words.length; w++) {
      let word = this.words[w]!;
      while (word !== 0) {
        if (n++ >= this.pagesHeld) return;
        const low = word & -word;
        const bit = 31 - Math.clz32(low);
        yield { pfn: BigInt(w * 32 + bit), fileOffset: BigInt(offset) };
        offset += PAGE_BYTES;
        word = (word ^ low) >>> 0;
      }
    }
  }
}

/** Bitmap bits per 4 KiB bitmap page. */
const PAGE_BITS = PAGE_BYTES * 8;
/** Bitmap bytes read per chunk while a paged index is built or iterated. */
const BITMAP_CHUNK = 1024 * 1024;

/**
 * A bitmap too big to hold (more than RESIDENT_BITMAP_BYTES): only ranks are
 * kept — one per 4 KiB bitmap page (a double) and one per 512-bit block
 * relative to its page (16 bits), 1/30 of the bitmap's size — and bitmap pages
 * are read through a small cache when a lookup needs them. Building it
 * streams the bitmap once in 1 MiB chunks, so memory stays flat however big
 * the bitmap is.
 */
export class PagedBitmapIndex implements PhysicalIndex {
  private constructor(
    private readonly loader: PageLoader,
    private readonly bitmapAt: number,
    private readonly bitmapBytes: number,
    private readonly bits: number,
    private readonly first: number,
    private readonly pagesHeld: number,
    private readonly pageRanks: Float64Array,
    private readonly blockRanks: Uint16Array,
    readonly pageCount: bigint,
  ) {}

  static async build(
    file: DumpFile,
    loader: PageLoader,
    bitmapAt: number,
    bitCount: number,
    firstPageOffset: number,
    fileSize: bigint,
  ): Promise<PagedBitmapIndex> {
    const bitmapBytes = Math.ceil(bitCount / 8);
    const pages = Math.ceil(bitmapBytes / PAGE_BYTES);
    const pageRanks = new Float64Array(pages + 1);
    const blockRanks = new Uint16Array(Math.ceil(bitCount / BLOCK_BITS));
    const chunk = new Uint8Array(BITMAP_CHUNK);
    let total = 0;
    for (let done = 0; done < bitmapBytes; done += BITMAP_CHUNK) {
      const n = Math.min(BITMAP_CHUNK, bitmapBytes - done);
      await file.fill(chunk, 0, n, bitmapAt + done, 'bitmap');
      chunk.fill(0, n);
      const words = bitmapWords(chunk, BITMAP_CHUNK / 4);
      const wordCount = Math.ceil(n / 4);
      const word0 = done / 4;
      if (done + n === bitmapBytes) maskTail(words.subarray(0, wordCount), bitCount - word0 * 32);
      for (let w = 0; w < wordCount; w++) {
        const word = word0 + w;
        if (word % (PAGE_BITS / 32) === 0) pageRanks[word / (PAGE_BITS / 32)] = total;
        if (word % BLOCK_WORDS === 0) blockRanks[word / BLOCK_WORDS] = total - pageRanks[Math.floor(word / 1024)]!;
        total += popcount32(words[w]!);
      }
    }
    pageRanks[pages] = total;
    const held = pagesInFile(BigInt(firstPageOffset), fileSize);
    const pagesHeld = held < BigInt(total) ? Number(held) : total;
    return new PagedBitmapIndex(
      loader,
      bitmapAt,
      bitmapBytes,
      bitCount,
      firstPageOffset,
      pagesHeld,
      pageRanks,
      blockRanks,
      BigInt(total),
    );
  }

  get memoryBytes(): number {
    return this.pageRanks.byteLength + this.blockRanks.byteLength;
  }

  offsetOf(pfn: number): number {
    if (!(pfn >= 0 && pfn < this.bits && pfn < PFN_LIMIT_N)) return -1;
    const page = Math.floor(pfn / PAGE_BITS);
    const from = page * PAGE_BYTES;
    const slot = this.loader.slot(page, this.bitmapAt + from, Math.min(PAGE_BYTES, this.bitmapBytes - from));
    const view = this.loader.cache.view(slot);
    const at = this.loader.cache.offset(slot);
    const bit = pfn - page * PAGE_BITS;
    const word = bit >>> 5;
    const value = view.getUint32(at + word * 4, true);
    if (((value >>> (bit & 31)) & 1) === 0) return -1;
    const blockStart = word - (word % BLOCK_WORDS);
    let r = this.pageRanks[page]! + this.blockRanks[(pfn - bit + blockStart * 32) / BLOCK_BITS]!;
    for (let w = blockStart; w < word; w++) r += popcount32(view.getUint32(at + w * 4, true));
    const inWord = bit & 31;
    if (inWord !== 0) r += popcount32(value & (((1 << inWord) - 1) >>> 0));
    return r < this.pagesHeld ? this.first + r * PAGE_BYTES : -1;
  }

  fileOffsetOf(pfn: bigint): bigint | undefined {
    return bigintOffset(this, pfn);
  }

  async *runs(): AsyncIterable<IndexRun> {
    const file = this.loader.file;
    const collect = new BitRuns(this.first, this.pagesHeld);
    const chunk = new Uint8Array(BITMAP_CHUNK);
    for (let done = 0; done < this.bitmapBytes && !collect.done; done += BITMAP_CHUNK) {
      const n = Math.min(BITMAP_CHUNK, this.bitmapBytes - done);
      await file.fill(chunk, 0, n, this.bitmapAt + done, 'bitmap');
      chunk.fill(0, n);
      const words = bitmapWords(chunk, BITMAP_CHUNK / 4);
      const wordCount = Math.ceil(n / 4);
      if (done + n === this.bitmapBytes) maskTail(words.subarray(0, wordCount), this.bits - done * 8);
      const out: IndexRun[] = [];
      collect.add(words, wordCount, done * 8, out);
      if (done + n === this.bitmapBytes) collect.finish(out);
      yield* out;
    }
  }
}
