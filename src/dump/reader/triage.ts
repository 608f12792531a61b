import {
  DUMP_DRIVER_ENTRY64,
  DUMP_HEADER64_SIZE,
  DUMP_MM_STORAGE64,
  DUMP_UNLOADED_DRIVER64,
  DUMP_UNLOADED_DRIVERS_COUNT_SIZE,
  KLDR_DATA_TABLE_ENTRY,
  TRIAGE_DATA_BLOCK64,
  TRIAGE_DUMP64,
  TRIAGE_DUMP_VALID,
  decodeTriageStringEntry,
  hex,
  triageStringEntrySize,
  type TriageDump64,
} from '../../format/index.js';
import type { DumpFile } from './dumpFile.js';
import { MAX_MODULES } from './modules.js';
import { ProblemCap } from './problemCap.js';
import type { DumpProblem, TriageDataBlockInfo, TriageInfo, TriageModule, UnloadedDriverInfo } from './types.js';

/** Windows keeps 50 unloaded drivers; anything far beyond that is corruption, not history. */
export const MAX_UNLOADED_DRIVERS = 1024;
/** The smallest string-pool entry (an empty name): Length, the terminating WCHAR, padding to 8. */
const TRIAGE_STRING_MIN_SIZE = triageStringEntrySize(0);
/** Tables larger than this are refused rather than read in one go. */
const MAX_TABLE_BYTES = 64 * 1024 * 1024;
/**
 * Data blocks read at most (1 MiB of descriptors). Windows triage dumps carry
 * a few thousand (the genuine one 1831); a count in the millions is a
 * corrupt or re-typed dump, and reading it all would cost one object per claim.
 */
export const MAX_DATA_BLOCKS = 65536;

/** What holds a VA range of a triage dump. */
export type TriageRangeSource = 'data block' | 'KDDEBUGGER_DATA64' | 'stack';
const SOURCES: readonly TriageRangeSource[] = ['data block', 'KDDEBUGGER_DATA64', 'stack'];

/**
 * VA halves are kept biased (x ^ 0x80000000, as a signed 32-bit value): unsigned order becomes the
 * order of small integers, which V8 holds unboxed even in its interpreter, where a number of 2^31
 * and above is a heap object each time it is read or computed.
 */
const BIAS = -0x8000_0000;
const TWO_32 = 0x1_0000_0000;

/** A VA below 2^64 as its biased high and low halves. */
function biasedHalves(va: bigint): [number, number] {
  const v = BigInt.asUintN(64, va);
  return [Number(BigInt.asIntN(32, v >> 32n)) ^ BIAS, Number(BigInt.asIntN(32, v)) ^ BIAS];
}

/**
 * The VA ranges a triage dump carries and where their bytes are in the file, as
 * they are collected: in columns of small integers, not an object and a few
 * bigints per range — a genuine triage dump has some two thousand, read on every
 * `bugcheck analyze` of one.
 */
export class TriageRanges {
  /** @internal biased VA halves, sizes, file offsets and SOURCES indices; for TriageVaMap */
  readonly hi: Int32Array;
  readonly lo: Int32Array;
  readonly sizes: Float64Array;
  readonly offsets: Float64Array;
  readonly sources: Uint8Array;
  length = 0;

  /** Room for `capacity` ranges (the data blocks, the KDDEBUGGER_DATA64 copy and the stack). */
  constructor(capacity: number) {
    this.hi = new Int32Array(capacity);
    this.lo = new Int32Array(capacity);
    this.sizes = new Float64Array(capacity);
    this.offsets = new Float64Array(capacity);
    this.sources = new Uint8Array(capacity);
  }

  /** A range at the VA whose halves as getInt32 reads them are `hi` and `lo`, `size` bytes from file offset `fileOffset`. */
  addInt32Halves(hi: number, lo: number, size: number, fileOffset: number, source: TriageRangeSource): void {
    const i = this.length++;
    this.hi[i] = hi ^ BIAS;
    this.lo[i] = lo ^ BIAS;
    this.sizes[i] = size;
    this.offsets[i] = fileOffset;
    this.sources[i] = SOURCES.indexOf(source);
  }

  add(va: bigint, size: number, fileOffset: number, source: TriageRangeSource): void {
    const [hi, lo] = biasedHalves(va);
    this.addInt32Halves(hi ^ BIAS, lo ^ BIAS, size, fileOffset, source);
  }
}

/** Sort keys carry a position in their low 17 bits (at most MAX_DATA_BLOCKS + 2 ranges). */
const POSITION_SPAN = 0x2_0000;

/**
 * `kept` (indices into the biased halves `hi`, `lo`) ordered by VA, equal VAs in their given order:
 * a stable sort by the low halves, then by the high halves, each a native sort of doubles whose low
 * bits carry the position. A comparator would be called some 20,000 times for the genuine dump's
 * 1,831 blocks, and V8 would compile it with its optimizing compiler on the way (~5 ms of CPU).
 */
function sortedByStart(hi: Int32Array, lo: Int32Array, kept: Int32Array): Int32Array {
  const n = kept.length;
  if (n >= POSITION_SPAN) throw new Error(`TriageVaMap: ${n} ranges, more than the ${POSITION_SPAN - 1} it sorts`);
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) keys[k] = (lo[kept[k]!]! - BIAS) * POSITION_SPAN + k;
  keys.sort();
  const byLo = new Int32Array(n);
  for (let p = 0; p < n; p++) byLo[p] = kept[keys[p]! % POSITION_SPAN]!;
  for (let p = 0; p < n; p++) keys[p] = (hi[byLo[p]!]! - BIAS) * POSITION_SPAN + p;
  keys.sort();
  const order = new Int32Array(n);
  for (let j = 0; j < n; j++) order[j] = byLo[keys[j]! % POSITION_SPAN]!;
  return order;
}

/**
 * VA → file lookup over every range a triage dump carries. Ranges may overlap;
 * `maxEnd[i]` (largest end among ranges 0..i, sorted by start) lets a lookup
 * stop as soon as no earlier range can reach the address. Starts and ends are
 * biased 32-bit halves (an end may pass 2^64: its high half is then above the
 * 32-bit range), compared as numbers.
 */
export class TriageVaMap {
  private readonly startHi: Int32Array;
  private readonly startLo: Int32Array;
  private readonly size: Float64Array;
  private readonly fileOffset: Float64Array;
  private readonly source: Uint8Array;
  private readonly maxEndHi: Float64Array;
  private readonly maxEndLo: Int32Array;

  constructor(ranges: TriageRanges) {
    const { hi, lo, sizes, offsets, sources } = ranges;
    // Ranges of no bytes hold no address; the rest by start, equal starts in their given order.
    const kept = new Int32Array(ranges.length);
    let n = 0;
    for (let i = 0; i < ranges.length; i++) if (sizes[i]! > 0) kept[n++] = i;
    const order = sortedByStart(hi, lo, kept.subarray(0, n));
    this.startHi = new Int32Array(n);
    this.startLo = new Int32Array(n);
    this.size = new Float64Array(n);
    this.fileOffset = new Float64Array(n);
    this.source = new Uint8Array(n);
    this.maxEndHi = new Float64Array(n);
    this.maxEndLo = new Int32Array(n);
    let mHi = Number.NEGATIVE_INFINITY;
    let mLo = 0;
    for (let j = 0; j < n; j++) {
      const i = order[j]!;
      const h = hi[i]!;
      const l = lo[i]!;
      const size = sizes[i]!;
      this.startHi[j] = h;
      this.startLo[j] = l;
      this.size[j] = size;
      this.fileOffset[j] = offsets[i]!;
      this.source[j] = sources[i]!;
      // The end, carried into the high half when the low half passes its biased maximum.
      let endLo = l + size;
      let endHi = h;
      if (endLo >= -BIAS) {
        endLo -= TWO_32;
        endHi += 1;
      }
      if (endHi > mHi || (endHi === mHi && endLo > mLo)) {
        mHi = endHi;
        mLo = endLo;
      }
      this.maxEndHi[j] = mHi;
      this.maxEndLo[j] = mLo;
    }
  }

  /**
   * The range holding the address whose biased halves are `vHi`, `vLo`: its index, with how far
   * into it the address is in `this.into`; -1 when no range holds it.
   */
  private locate(vHi: number, vLo: number): number {
    return this.holding(this.lastAtOrBelow(vHi, vLo), vHi, vLo);
  }

  /** The last range (in start order) starting at or below the biased address; -1 when none does. */
  private lastAtOrBelow(vHi: number, vLo: number): number {
    let lo = 0;
    let hi = this.startHi.length - 1;
    let last = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const sHi = this.startHi[mid]!;
      if (sHi < vHi || (sHi === vHi && this.startLo[mid]! <= vLo)) {
        last = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return last;
  }

  /** Of the ranges up to `last` (lastAtOrBelow of the address), the last that holds it; -1 when none does. */
  private holding(last: number, vHi: number, vLo: number): number {
    for (let i = last; i >= 0; i--) {
      const mHi = this.maxEndHi[i]!;
      if (mHi < vHi || (mHi === vHi && this.maxEndLo[i]! <= vLo)) break;
      // The address is at or above this range's start: how far (exact while within a range's 2^32 bytes).
      const into = (vHi - this.startHi[i]!) * TWO_32 + (vLo - this.startLo[i]!);
      if (into < this.size[i]!) {
        this.into = into;
        return i;
      }
    }
    return -1;
  }

  /** locate()'s offset into the range it found. */
  private into = 0;

  /** The first range starting above the biased address `vHi`, `vLo`; -1 when none does. */
  private nextAbove(vHi: number, vLo: number): number {
    let lo = 0;
    let hi = this.startHi.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const sHi = this.startHi[mid]!;
      if (sHi > vHi || (sHi === vHi && this.startLo[mid]! > vLo)) {
        found = mid;
        hi = mid - 1;
      } else lo = mid + 1;
    }
    return found;
  }

  /** The range holding `va`, where `va` is in the file and how many bytes of the range remain from it. */
  find(va: bigint): { source: TriageRangeSource; fileOffset: number; available: number } | undefined {
    if (va < 0n || va >= 1n << 64n) return undefined;
    const [vHi, vLo] = biasedHalves(va);
    const i = this.locate(vHi, vLo);
    if (i < 0) return undefined;
    const into = this.into;
    return {
      source: SOURCES[this.source[i]!]!,
      fileOffset: this.fileOffset[i]! + into,
      available: this.size[i]! - into,
    };
  }

  /** Start of the next range above `va` (to size a gap), or undefined. */
  nextStart(va: bigint): bigint | undefined {
    let found = -1;
    if (va < 0n) found = this.startHi.length > 0 ? 0 : -1;
    else if (va < 1n << 64n) {
      const [vHi, vLo] = biasedHalves(va);
      found = this.nextAbove(vHi, vLo);
    }
    if (found < 0) return undefined;
    const h = BigInt((this.startHi[found]! ^ BIAS) >>> 0);
    const l = BigInt((this.startLo[found]! ^ BIAS) >>> 0);
    return (h << 32n) | l;
  }

  /**
   * [va, va + length) as it lies in the ranges, in order: `step(fileOffset, n, source)` for n bytes
   * held at fileOffset, `step(-1, n, undefined)` for n bytes no range holds. The same answers as
   * find() and nextStart() position by position, with the address carried as its halves rather
   * than as bigints (a triage page read is often a few dozen such pieces). `va + length` must not
   * pass 2^64.
   */
  walk(
    va: bigint,
    length: number,
    step: (fileOffset: number, n: number, source: TriageRangeSource | undefined) => void,
  ): void {
    const [vHi, vLo] = biasedHalves(va);
    const count = this.startHi.length;
    // The last range starting at or below the current address: searched once, then moved forward as
    // the address goes up (a binary search per piece made this V8's hottest function, and compiled).
    let last = this.lastAtOrBelow(vHi, vLo);
    let pos = 0;
    while (pos < length) {
      // The address va + pos, its low half carried into the high one.
      let cLo = vLo + pos;
      let cHi = vHi;
      while (cLo > -BIAS - 1) {
        cLo -= TWO_32;
        cHi += 1;
      }
      while (
        last + 1 < count &&
        (this.startHi[last + 1]! < cHi || (this.startHi[last + 1]! === cHi && this.startLo[last + 1]! <= cLo))
      )
        last++;
      const i = this.holding(last, cHi, cLo);
      let n: number;
      if (i >= 0) {
        n = Math.min(this.size[i]! - this.into, length - pos);
        step(this.fileOffset[i]! + this.into, n, SOURCES[this.source[i]!]!);
      } else {
        const next = last + 1 < count ? last + 1 : -1;
        n =
          next < 0
            ? length - pos
            : Math.min(length - pos, (this.startHi[next]! - cHi) * TWO_32 + (this.startLo[next]! - cLo));
        step(-1, n, undefined);
      }
      pos += n;
    }
  }
}

export interface ParsedTriage {
  info: TriageInfo;
  vaMap: TriageVaMap;
  /** The problems of the driver list, string pool and unloaded drivers (also in the dump's problems). */
  moduleProblems: DumpProblem[];
}

/**
 * Reads the pieces TRIAGE_DUMP64 points at. Every offset and count is
 * checked against the file before anything is read or allocated; a bad
 * piece is a problem and the rest is still read.
 */
export async function readTriage(
  file: DumpFile,
  fields: TriageDump64,
  kdDebuggerDataBlock: bigint,
  problems: DumpProblem[],
): Promise<ParsedTriage> {
  const problem = (
    structure: string,
    offset: number | bigint,
    message: string,
    severity: 'warning' | 'error' = 'error',
  ): void => {
    problems.push({ code: 'E_DUMP_CORRUPT', severity, structure, offset: BigInt(offset), message });
  };
  const inFile = (offset: number, length: number): boolean => offset > 0 && file.contains(BigInt(offset), length);

  if (inFile(fields.ValidOffset, 4)) {
    const v = new DataView(
      (await file.read(BigInt(fields.ValidOffset), 4, 'TRIAGE_DUMP64.ValidOffset')).buffer,
    ).getUint32(0, true);
    if (v !== TRIAGE_DUMP_VALID)
      problem(
        'TRIAGE_DUMP64',
        fields.ValidOffset,
        `no "TRGD" marker at ValidOffset ${hex(fields.ValidOffset)} (found ${hex(v)})`,
        'warning',
      );
  } else {
    problem('TRIAGE_DUMP64', 0x2008, `ValidOffset ${hex(fields.ValidOffset)} is outside the file`, 'warning');
  }

  let mmInfo: TriageInfo['mmInfo'];
  if (fields.MmOffset !== 0) {
    if (inFile(fields.MmOffset, DUMP_MM_STORAGE64.size)) {
      mmInfo = DUMP_MM_STORAGE64.decode(
        await file.read(BigInt(fields.MmOffset), DUMP_MM_STORAGE64.size, 'DUMP_MM_STORAGE64'),
      );
    } else problem('DUMP_MM_STORAGE64', fields.MmOffset, `MmOffset ${hex(fields.MmOffset)} is outside the file`);
  }

  // Driver-list problems also belong to modules(), which hands them to its callers.
  const moduleProblems: DumpProblem[] = [];
  const moduleProblem: Report = (structure, offset, message, severity = 'error') => {
    const p: DumpProblem = { code: 'E_DUMP_CORRUPT', severity, structure, offset: BigInt(offset), message };
    problems.push(p);
    moduleProblems.push(p);
  };
  const unloadedDrivers = await readUnloadedDrivers(file, fields.UnloadedDriversOffset, moduleProblem);
  const drivers = await readDrivers(file, fields, moduleProblem);

  // The data blocks, then the KDDEBUGGER_DATA64 copy and the stack.
  let ranges = new TriageRanges(2);
  let dataBlocks: () => TriageDataBlockInfo[] = () => [];
  let dataBlockCount = 0;
  let dataBlockBytes = 0;
  if (fields.DataBlocksCount > 0) {
    const stride = TRIAGE_DATA_BLOCK64.size;
    let count = fields.DataBlocksCount;
    const fit =
      file.size > BigInt(fields.DataBlocksOffset)
        ? Number((file.size - BigInt(fields.DataBlocksOffset)) / BigInt(stride))
        : 0;
    if (fields.DataBlocksOffset === 0 || count > fit) {
      problem(
        'TRIAGE_DATA_BLOCK64',
        fields.DataBlocksOffset,
        `DataBlocksCount ${count} at ${hex(fields.DataBlocksOffset)}: only ${fields.DataBlocksOffset === 0 ? 0 : fit} descriptors fit in the file`,
      );
      count = fields.DataBlocksOffset === 0 ? 0 : fit;
    }
    if (count > MAX_DATA_BLOCKS) {
      problem(
        'TRIAGE_DATA_BLOCK64',
        fields.DataBlocksOffset,
        `DataBlocksCount ${count} at ${hex(fields.DataBlocksOffset)}: more than the reader's limit of ${MAX_DATA_BLOCKS} data blocks; reading the first ${MAX_DATA_BLOCKS}`,
      );
      count = MAX_DATA_BLOCKS;
    }
    if (count > 0) {
      const table = await file.read(BigInt(fields.DataBlocksOffset), count * stride, 'TRIAGE_DATA_BLOCK64 table');
      ranges = new TriageRanges(count + 2);
      const outside = new ProblemCap((p) => problems.push(p), 'data blocks that lie outside the file');
      // Read through the layout's offsets rather than decode(), and kept as numbers: a genuine
      // triage dump has thousands of blocks (this runs on every `bugcheck analyze` of one), whose
      // objects and bigints (dataBlocks) are built only when asked for.
      const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
      const { VirtualAddress: vaAt, Offset: offsetAt, Size: sizeAt } = TRIAGE_DATA_BLOCK64.offsets;
      const fileBytes = file.byteSize;
      const kept: number[] = [];
      for (let i = 0; i < count; i++) {
        const o = i * stride;
        const offset = view.getUint32(o + offsetAt, true);
        const size = view.getUint32(o + sizeAt, true);
        if (offset + size > fileBytes || (offset === 0 && size > 0)) {
          outside.report({
            code: 'E_DUMP_CORRUPT',
            severity: 'error',
            structure: 'TRIAGE_DATA_BLOCK64',
            offset: BigInt(fields.DataBlocksOffset + i * stride),
            message: `data block ${i} (VA ${hex(view.getBigUint64(o + vaAt, true))}, ${hex(size)} bytes at ${hex(offset)}) lies outside the file; skipped`,
          });
          continue;
        }
        kept.push(i);
        dataBlockBytes += size;
        ranges.addInt32Halves(
          view.getInt32(o + vaAt + 4, true),
          view.getInt32(o + vaAt, true),
          size,
          offset,
          'data block',
        );
      }
      outside.finish();
      dataBlockCount = kept.length;
      dataBlocks = () =>
        kept.map((i) => {
          const o = i * stride;
          return {
            virtualAddress: view.getBigUint64(o + vaAt, true),
            offset: BigInt(view.getUint32(o + offsetAt, true)),
            size: view.getUint32(o + sizeAt, true),
          };
        });
    }
  }
  if (fields.DebuggerDataOffset !== 0 && fields.DebuggerDataSize !== 0) {
    if (inFile(fields.DebuggerDataOffset, fields.DebuggerDataSize)) {
      ranges.add(kdDebuggerDataBlock, fields.DebuggerDataSize, fields.DebuggerDataOffset, 'KDDEBUGGER_DATA64');
    } else
      problem(
        'KDDEBUGGER_DATA64',
        fields.DebuggerDataOffset,
        `DebuggerDataOffset ${hex(fields.DebuggerDataOffset)} + ${hex(fields.DebuggerDataSize)} is outside the file`,
      );
  }
  if (fields.CallStackOffset !== 0 && fields.SizeOfCallStack !== 0) {
    if (inFile(fields.CallStackOffset, fields.SizeOfCallStack)) {
      ranges.add(fields.TopOfStack, fields.SizeOfCallStack, fields.CallStackOffset, 'stack');
    } else
      problem(
        'TRIAGE_DUMP64',
        fields.CallStackOffset,
        `call stack (${hex(fields.SizeOfCallStack)} bytes at ${hex(fields.CallStackOffset)}) is outside the file`,
      );
  }

  const info: TriageInfo = {
    fields,
    drivers,
    unloadedDrivers,
    dataBlocks: [],
    dataBlockCount,
    dataBlockBytes,
    mmInfo,
    stack: { topOfStack: fields.TopOfStack, offset: BigInt(fields.CallStackOffset), size: fields.SizeOfCallStack },
  };
  // The block list is built the first time it is read (the analysis needs only its count and bytes).
  let built: TriageDataBlockInfo[] | undefined;
  Object.defineProperty(info, 'dataBlocks', {
    enumerable: true,
    configurable: true,
    get: () => {
      built ??= dataBlocks();
      return built;
    },
    set: (list: TriageDataBlockInfo[]) => {
      built = list;
    },
  });
  return { info, vaMap: new TriageVaMap(ranges), moduleProblems };
}

type Report = (structure: string, offset: number | bigint, message: string, severity?: 'warning' | 'error') => void;

async function readUnloadedDrivers(file: DumpFile, offset: number, problem: Report): Promise<UnloadedDriverInfo[]> {
  const out: UnloadedDriverInfo[] = [];
  if (offset === 0) return out;
  if (!file.contains(BigInt(offset), DUMP_UNLOADED_DRIVERS_COUNT_SIZE)) {
    problem('DUMP_UNLOADED_DRIVER64', offset, `UnloadedDriversOffset ${hex(offset)} is outside the file`);
    return out;
  }
  const stored = new DataView((await file.read(BigInt(offset), 8, 'unloaded driver count')).buffer).getBigUint64(
    0,
    true,
  );
  const first = BigInt(offset + DUMP_UNLOADED_DRIVERS_COUNT_SIZE);
  const stride = DUMP_UNLOADED_DRIVER64.size;
  const fit = (file.size - first) / BigInt(stride);
  let count = stored;
  if (count > fit || count > BigInt(MAX_UNLOADED_DRIVERS)) {
    count = fit < BigInt(MAX_UNLOADED_DRIVERS) ? fit : BigInt(MAX_UNLOADED_DRIVERS);
    problem(
      'DUMP_UNLOADED_DRIVER64',
      offset,
      `unloaded driver count ${stored} is implausible (room for ${fit} in the file, limit ${MAX_UNLOADED_DRIVERS}); reading ${count}`,
    );
  }
  if (count === 0n) return out;
  const table = await file.read(first, Number(count) * stride, 'DUMP_UNLOADED_DRIVER64 table');
  for (let i = 0; i < Number(count); i++) {
    const e = DUMP_UNLOADED_DRIVER64.decode(table, i * stride);
    // Name.Length is the full name's byte count; DriverName keeps only its first 12 WCHARs.
    const chars = Math.min(Math.floor(e.Name.Length / 2), 12);
    out.push({ name: e.DriverName.slice(0, chars), startAddress: e.StartAddress, endAddress: e.EndAddress });
  }
  return out;
}

/**
 * The triage body ends at SizeOfDump when that is plausible (past
 * TRIAGE_DUMP64 and inside the file); otherwise at the end of the file.
 */
function triageEnd(file: DumpFile, f: TriageDump64): bigint {
  const sizeOfDump = BigInt(f.SizeOfDump);
  return sizeOfDump >= BigInt(DUMP_HEADER64_SIZE + TRIAGE_DUMP64.size) && sizeOfDump <= file.size
    ? sizeOfDump
    : file.size;
}

async function readDrivers(file: DumpFile, f: TriageDump64, problem: Report): Promise<TriageModule[]> {
  const out: TriageModule[] = [];
  if (f.DriverCount === 0) return out;
  const stride = DUMP_DRIVER_ENTRY64.size;
  let count = f.DriverCount;
  const clamp = (limit: number, why: string): void => {
    if (count <= limit) return;
    problem(
      'DUMP_DRIVER_ENTRY64',
      f.DriverListOffset,
      `DriverCount ${f.DriverCount} at ${hex(f.DriverListOffset)}: ${why}; reading ${limit}`,
    );
    count = limit;
  };
  const end = triageEnd(file, f);
  const start = BigInt(f.DriverListOffset);
  clamp(
    f.DriverListOffset > 0 && end > start ? Number((end - start) / BigInt(stride)) : 0,
    `only that many entries fit before the end of the triage dump at ${hex(end)}`,
  );

  let pool: Uint8Array | undefined;
  if (
    f.StringPoolSize > 0 &&
    f.StringPoolSize <= MAX_TABLE_BYTES &&
    f.StringPoolOffset > 0 &&
    file.contains(BigInt(f.StringPoolOffset), f.StringPoolSize)
  ) {
    pool = await file.read(BigInt(f.StringPoolOffset), f.StringPoolSize, 'triage string pool');
    // One pool entry per driver, each at least 8 bytes: a pool this size names no more drivers.
    clamp(
      Math.floor(f.StringPoolSize / TRIAGE_STRING_MIN_SIZE),
      `the string pool (${hex(f.StringPoolSize)} bytes) holds names for at most that many`,
    );
  } else {
    problem(
      'TRIAGE_STRING',
      f.StringPoolOffset,
      `string pool (${hex(f.StringPoolSize)} bytes at ${hex(f.StringPoolOffset)}) is outside the file; driver names are unavailable`,
    );
  }
  clamp(MAX_MODULES, `more than the reader's limit of ${MAX_MODULES} modules`);
  if (count === 0) return out;
  const table = await file.read(start, count * stride, 'DUMP_DRIVER_ENTRY64 table');
  // The five fields used, read at the layouts' offsets rather than by decode(): a whole entry with its
  // KLDR_DATA_TABLE_ENTRY is five objects and some thirty fields, for each of a few hundred drivers.
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const nameAt = DUMP_DRIVER_ENTRY64.offsets.DriverNameOffset;
  const ldr = DUMP_DRIVER_ENTRY64.offsets.LdrEntry;
  const { DllBase, SizeOfImage, TimeDateStamp, CheckSum } = KLDR_DATA_TABLE_ENTRY.offsets;
  for (let i = 0; i < count; i++) {
    const entryOffset = f.DriverListOffset + i * stride;
    const o = i * stride;
    const driverNameOffset = view.getUint32(o + nameAt, true);
    let name = '';
    if (pool !== undefined) {
      const rel = driverNameOffset - f.StringPoolOffset;
      try {
        name = decodeTriageStringEntry(pool, rel).text;
      } catch (err) {
        problem(
          'TRIAGE_STRING',
          driverNameOffset,
          `driver ${i}: name at ${hex(driverNameOffset)} is not a valid string-pool entry (${(err as Error).message})`,
          'warning',
        );
      }
    }
    out.push({
      name,
      base: view.getBigUint64(o + ldr + DllBase, true),
      size: view.getUint32(o + ldr + SizeOfImage, true),
      timeDateStamp: view.getUint32(o + ldr + TimeDateStamp, true),
      checkSum: view.getUint32(o + ldr + CheckSum, true),
      entryOffset: BigInt(entryOffset),
    });
  }
  return out;
}
