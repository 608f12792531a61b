import { hex } from '../../format/index.js';
import type { DumpProblem } from './types.js';

/** Maps a PFN to the file offset of its page; built once when the dump is opened. */
export interface PhysicalIndex {
  /** Pages the index knows of (including any that the file is too short to hold). */
  readonly pageCount: bigint;
  /** File offset of the page holding `pfn`, or undefined when the dump does not contain it. */
  fileOffsetOf(pfn: bigint): bigint | undefined;
  /** Every page, ascending PFN. */
  pages(): Iterable<{ pfn: bigint; fileOffset: bigint }>;
}

/** A dump without physical pages (triage, header-only, unsupported). */
export const EMPTY_INDEX: PhysicalIndex = {
  pageCount: 0n,
  fileOffsetOf: () => undefined,
  pages: () => [],
};

interface IndexedRun {
  basePage: bigint;
  /** Pages of the run that the file actually holds. */
  pageCount: bigint;
  /** File offset of the run's first page: the prefix sum of the runs before it, in file order. */
  fileOffset: bigint;
}

/** A 52-bit physical address space has at most 2^40 page frames. */
export const PFN_LIMIT = 1n << 40n;

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
  private readonly sorted: IndexedRun[];
  readonly pageCount: bigint;

  constructor(
    runs: readonly { basePage: bigint; pageCount: bigint }[],
    firstPageOffset: bigint,
    fileSize: bigint,
    problems: DumpProblem[],
  ) {
    let offset = firstPageOffset;
    let total = 0n;
    const indexed: IndexedRun[] = [];
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
    for (const run of indexed) {
      const prev = this.sorted[this.sorted.length - 1];
      if (prev !== undefined && run.basePage < prev.basePage + prev.pageCount) {
        problems.push({
          code: 'E_DUMP_CORRUPT',
          severity: 'warning',
          structure: 'PHYSICAL_MEMORY_DESCRIPTOR64',
          message: `run at PFN ${hex(run.basePage)} overlaps the run at PFN ${hex(prev.basePage)} (${hex(prev.pageCount)} pages); the overlapping pages are read from the earlier run`,
        });
        const overlapEnd = prev.basePage + prev.pageCount;
        const skip = overlapEnd - run.basePage;
        if (skip >= run.pageCount) continue;
        this.sorted.push({
          basePage: overlapEnd,
          pageCount: run.pageCount - skip,
          fileOffset: run.fileOffset + skip * 0x1000n,
        });
        continue;
      }
      this.sorted.push(run);
    }
  }

  fileOffsetOf(pfn: bigint): bigint | undefined {
    let lo = 0;
    let hi = this.sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const run = this.sorted[mid]!;
      if (pfn < run.basePage) hi = mid - 1;
      else if (pfn >= run.basePage + run.pageCount) lo = mid + 1;
      else return run.fileOffset + (pfn - run.basePage) * 0x1000n;
    }
    return undefined;
  }

  *pages(): Iterable<{ pfn: bigint; fileOffset: bigint }> {
    for (const run of this.sorted) {
      for (let k = 0n; k < run.pageCount; k++)
        yield { pfn: run.basePage + k, fileOffset: run.fileOffset + k * 0x1000n };
    }
  }
}

/** Bits per rank block: a lookup popcounts at most 16 words. */
const BLOCK_BITS = 512;
const BLOCK_WORDS = BLOCK_BITS / 32;

function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
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
  /** Set bits whose page the file holds; pages of later set bits are cut off by EOF. */
  private readonly pagesHeld: number;
  readonly pageCount: bigint;

  /** `bitmap` is the raw bitmap (ceil(bits/8) bytes); bits at or beyond `bitCount` are ignored. */
  constructor(
    bitmap: Uint8Array,
    readonly bitCount: bigint,
    private readonly firstPageOffset: bigint,
    fileSize: bigint,
  ) {
    const wordCount = Math.ceil(Number(bitCount) / 32);
    this.words = new Uint32Array(wordCount);
    const view = new DataView(bitmap.buffer, bitmap.byteOffset, bitmap.byteLength);
    const fullWords = Math.min(wordCount, Math.floor(bitmap.length / 4));
    for (let i = 0; i < fullWords; i++) this.words[i] = view.getUint32(i * 4, true);
    for (let b = fullWords * 4; b < bitmap.length && b < wordCount * 4; b++) {
      this.words[b >> 2]! |= bitmap[b]! << ((b & 3) * 8);
    }
    const tailBits = Number(bitCount % 32n);
    if (tailBits !== 0 && wordCount > 0) this.words[wordCount - 1]! &= (1 << tailBits) - 1;
    const blocks = Math.ceil(wordCount / BLOCK_WORDS);
    this.ranks = new Float64Array(blocks + 1);
    let total = 0;
    for (let blk = 0; blk < blocks; blk++) {
      this.ranks[blk] = total;
      const end = Math.min(wordCount, (blk + 1) * BLOCK_WORDS);
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

  fileOffsetOf(pfn: bigint): bigint | undefined {
    if (pfn < 0n || pfn >= this.bitCount) return undefined;
    const bit = Number(pfn);
    if (((this.words[bit >>> 5]! >>> (bit & 31)) & 1) === 0) return undefined;
    const rank = this.rank(bit);
    return rank < this.pagesHeld ? this.firstPageOffset + BigInt(rank) * 0x1000n : undefined;
  }

  *pages(): Iterable<{ pfn: bigint; fileOffset: bigint }> {
    let offset = this.firstPageOffset;
    let n = 0;
    for (let w = 0; w < this.words.length; w++) {
      let word = this.words[w]!;
      while (word !== 0) {
        if (n++ >= this.pagesHeld) return;
        const low = word & -word;
        const bit = 31 - Math.clz32(low);
        yield { pfn: BigInt(w * 32 + bit), fileOffset: offset };
        offset += 0x1000n;
        word = (word ^ low) >>> 0;
      }
    }
  }
}
