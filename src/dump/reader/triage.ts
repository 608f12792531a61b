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

/** A kernel VA range the triage dump carries, and where its bytes are in the file. */
export interface TriageRange {
  va: bigint;
  size: number;
  fileOffset: bigint;
  source: 'data block' | 'KDDEBUGGER_DATA64' | 'stack';
}

/**
 * VA → file lookup over every range a triage dump carries. Ranges may overlap;
 * `maxEnd[i]` (largest end among ranges 0..i, sorted by start) lets a lookup
 * stop as soon as no earlier range can reach the address.
 */
export class TriageVaMap {
  private readonly ranges: TriageRange[];
  private readonly maxEnd: bigint[];

  constructor(ranges: TriageRange[]) {
    // Array.prototype.sort is stable: ranges with the same start keep their given order.
    this.ranges = ranges.filter((r) => r.size > 0).sort((a, b) => (a.va < b.va ? -1 : a.va > b.va ? 1 : 0));
    this.maxEnd = [];
    let m = -1n;
    for (const r of this.ranges) {
      const end = r.va + BigInt(r.size);
      if (end > m) m = end;
      this.maxEnd.push(m);
    }
  }

  /** The range holding `va` and how many bytes of it remain from `va`. */
  find(va: bigint): { range: TriageRange; fileOffset: bigint; available: number } | undefined {
    let lo = 0;
    let hi = this.ranges.length - 1;
    let last = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.ranges[mid]!.va <= va) {
        last = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = last; i >= 0 && this.maxEnd[i]! > va; i--) {
      const r = this.ranges[i]!;
      const end = r.va + BigInt(r.size);
      if (va < end) return { range: r, fileOffset: r.fileOffset + (va - r.va), available: Number(end - va) };
    }
    return undefined;
  }

  /** Start of the next range above `va` (to size a gap), or undefined. */
  nextStart(va: bigint): bigint | undefined {
    let lo = 0;
    let hi = this.ranges.length - 1;
    let found: bigint | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.ranges[mid]!.va > va) {
        found = this.ranges[mid]!.va;
        hi = mid - 1;
      } else lo = mid + 1;
    }
    return found;
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

  const ranges: TriageRange[] = [];
  const dataBlocks: TriageDataBlockInfo[] = [];
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
      const outside = new ProblemCap((p) => problems.push(p), 'data blocks that lie outside the file');
      // Read through the layout's offsets rather than decode(): one object less per block, and a
      // genuine triage dump has thousands (this runs on every `bugcheck analyze` of one).
      const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
      const { VirtualAddress: vaAt, Offset: offsetAt, Size: sizeAt } = TRIAGE_DATA_BLOCK64.offsets;
      const fileBytes = file.byteSize;
      for (let i = 0; i < count; i++) {
        const o = i * stride;
        const va = view.getBigUint64(o + vaAt, true);
        const offset = view.getUint32(o + offsetAt, true);
        const size = view.getUint32(o + sizeAt, true);
        if (offset + size > fileBytes || (offset === 0 && size > 0)) {
          outside.report({
            code: 'E_DUMP_CORRUPT',
            severity: 'error',
            structure: 'TRIAGE_DATA_BLOCK64',
            offset: BigInt(fields.DataBlocksOffset + i * stride),
            message: `data block ${i} (VA ${hex(va)}, ${hex(size)} bytes at ${hex(offset)}) lies outside the file; skipped`,
          });
          continue;
        }
        const fileOffset = BigInt(offset);
        dataBlocks.push({ virtualAddress: va, offset: fileOffset, size });
        ranges.push({ va, size, fileOffset, source: 'data block' });
      }
      outside.finish();
    }
  }
  if (fields.DebuggerDataOffset !== 0 && fields.DebuggerDataSize !== 0) {
    if (inFile(fields.DebuggerDataOffset, fields.DebuggerDataSize)) {
      ranges.push({
        va: kdDebuggerDataBlock,
        size: fields.DebuggerDataSize,
        fileOffset: BigInt(fields.DebuggerDataOffset),
        source: 'KDDEBUGGER_DATA64',
      });
    } else
      problem(
        'KDDEBUGGER_DATA64',
        fields.DebuggerDataOffset,
        `DebuggerDataOffset ${hex(fields.DebuggerDataOffset)} + ${hex(fields.DebuggerDataSize)} is outside the file`,
      );
  }
  if (fields.CallStackOffset !== 0 && fields.SizeOfCallStack !== 0) {
    if (inFile(fields.CallStackOffset, fields.SizeOfCallStack)) {
      ranges.push({
        va: fields.TopOfStack,
        size: fields.SizeOfCallStack,
        fileOffset: BigInt(fields.CallStackOffset),
        source: 'stack',
      });
    } else
      problem(
        'TRIAGE_DUMP64',
        fields.CallStackOffset,
        `call stack (${hex(fields.SizeOfCallStack)} bytes at ${hex(fields.CallStackOffset)}) is outside the file`,
      );
  }

  return {
    info: {
      fields,
      drivers,
      unloadedDrivers,
      dataBlocks,
      mmInfo,
      stack: { topOfStack: fields.TopOfStack, offset: BigInt(fields.CallStackOffset), size: fields.SizeOfCallStack },
    },
    vaMap: new TriageVaMap(ranges),
    moduleProblems,
  };
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
