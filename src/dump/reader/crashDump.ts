import {
  BugcheckError,
  DUMP_HEADER64,
  ImageFileMachine,
  KDBG_OWNER_TAG,
  KDDEBUGGER_DATA64,
  dumpTypeName,
  hex,
  isPageFiller,
  machineName,
  type ContextAmd64,
  type ExceptionRecord64,
  type KdDebuggerData64,
} from '../../format/index.js';
import { readBody, type LazyIndex } from './body.js';
import { DumpFile, MAX_READ, SYNC_READ_LIMIT } from './dumpFile.js';
import { DumpError, isEngineFailure } from './errors.js';
import { readHeader } from './header.js';
import { DumpMemory, PA_LIMIT, ReadOp } from './memory.js';
import { walkLoadedModuleList } from './modules.js';
import { PAGE_BYTES, PageCache } from './pageCache.js';
import { PageLoader, untilDone } from './pager.js';
import { scanSecondaryData } from './secondaryData.js';
import type { DumpSource } from './source.js';
import { pageWalkerFor, type PageWalker } from './translate.js';
import { readTriage, type TriageRangeSource, type TriageVaMap } from './triage.js';
import type {
  DumpBody,
  DumpHeaderInfo,
  DumpProblem,
  MemoryFill,
  MemoryRead,
  ModuleList,
  OpenDumpOptions,
  PhysicalChunk,
  PhysicalChunkOptions,
  ReadVirtualOptions,
  SecondaryDataBlob,
  SecondaryDataScan,
  Translation,
  TriageInfo,
} from './types.js';

const PAGE = PAGE_BYTES;
const U64_LIMIT = 1n << 64n;
const PA_LIMIT_N = BigInt(PA_LIMIT);
const TWO_32 = 0x1_0000_0000;
/** Data pages cached by default: 64 MiB at most, allocated a MiB at a time as pages are read. */
export const DEFAULT_PAGE_CACHE = 16384;
/** Page-table pages cached apart from data, so data never evicts the tables a walk needs (16 MiB at most). */
const TABLE_CACHE_PAGES = 4096;
/** blobChunks' default chunk: big enough for few reads, small enough to never matter. */
export const DEFAULT_BLOB_CHUNK = 1024 * 1024;
/** physicalChunks' default buffer. */
export const DEFAULT_PHYSICAL_CHUNK = 4 * 1024 * 1024;

/** A caller-supplied value in a message: hex() only for values it can show. */
function showValue(v: unknown): string {
  return typeof v === 'bigint' || (typeof v === 'number' && Number.isSafeInteger(v)) ? hex(v) : String(v);
}

/** Anything thrown from inside the reader reaches callers as a DumpError. */
function asDumpError(e: unknown, what: string): DumpError {
  if (e instanceof DumpError) return e;
  if (e instanceof BugcheckError) return new DumpError('E_DUMP_CORRUPT', `${what}: ${e.message}`, e.details);
  // A RangeError from bytes out of bounds (a DataView past a short buffer) is the dump's; an engine failure is ours.
  if (e instanceof RangeError && !isEngineFailure(e)) return new DumpError('E_DUMP_CORRUPT', `${what}: ${e.message}`);
  throw e;
}

/** A caller's error as a rejected promise (for the methods that are not `async` functions). */
/** What a triage read names when the file fails it. */
const TRIAGE_WHAT: Record<TriageRangeSource, string> = {
  'data block': 'triage data block',
  KDDEBUGGER_DATA64: 'triage KDDEBUGGER_DATA64',
  stack: 'triage stack',
};

/** A triage read at `cur` that no range holds: absent up to the next range (or the end). */
function triageGap(op: ReadOp, cur: bigint, map: TriageVaMap): void {
  const next = map.nextStart(cur);
  const n = next === undefined ? op.length - op.pos : Math.min(op.length - op.pos, Number(next - cur));
  op.absent(n, 'not-in-dump');
}

function rejection(e: unknown, what: string): Promise<never> {
  try {
    return Promise.reject(asDumpError(e, what));
  } catch (other) {
    return Promise.reject(other);
  }
}

async function guarded<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asDumpError(e, what);
  }
}

function checkLength(length: number, what: string): void {
  if (!Number.isSafeInteger(length) || length < 0 || length > MAX_READ) {
    throw new DumpError('E_DUMP_ARGUMENT', `${what}: length ${length} is out of range (0..${MAX_READ})`, { length });
  }
}

/** Addresses up to here take any valid length without reaching 2^64. */
const SAFE_TOP = U64_LIMIT - BigInt(MAX_READ) - 1n;

function checkRange(address: bigint, length: number, what: string): void {
  checkLength(length, what);
  if (typeof address === 'bigint' && address >= 0n && address <= SAFE_TOP) return;
  if (typeof address !== 'bigint') {
    throw new DumpError('E_DUMP_ARGUMENT', `${what}: address ${String(address)} is not a bigint`, { address });
  }
  if (address < 0n || address + BigInt(length) > U64_LIMIT) {
    throw new DumpError(
      'E_DUMP_ARGUMENT',
      `${what}: ${hex(address)} + ${hex(length)} is outside the 64-bit address space`,
      { address },
    );
  }
}

function checkTarget(target: Uint8Array, what: string): void {
  if (!(target instanceof Uint8Array)) throw new DumpError('E_DUMP_ARGUMENT', `${what}: target is not a Uint8Array`);
}

function checkDirectoryTableBase(dtb: unknown, what: string): void {
  if (dtb !== undefined && typeof dtb !== 'bigint')
    throw new DumpError('E_DUMP_ARGUMENT', `${what}: directoryTableBase ${String(dtb)} is not a bigint`);
}

/** Checks openDump's options before anything is opened. */
export function checkOpenOptions(options: OpenDumpOptions): number {
  const cacheSize = options.pageCacheSize ?? DEFAULT_PAGE_CACHE;
  if (!Number.isSafeInteger(cacheSize) || cacheSize < 0) {
    throw new DumpError('E_DUMP_ARGUMENT', `pageCacheSize must be a non-negative integer, got ${cacheSize}`);
  }
  return cacheSize;
}

/**
 * An opened Windows kernel crash dump. Everything is read on demand through
 * positional reads of its DumpSource and bounded caches; the PFN index is
 * built at open (runs, bitmaps up to 1 MiB) or on first use (bigger bitmaps).
 * Methods throw only DumpError; what is wrong with the file itself is
 * collected in `problems`.
 */
export class CrashDump {
  readonly path: string;
  readonly fileSize: bigint;
  readonly header: DumpHeaderInfo;
  readonly dumpType: number;
  readonly dumpTypeName: string;
  readonly machine: { type: number; name: string };
  readonly context: ContextAmd64 | undefined;
  readonly exception: ExceptionRecord64 | undefined;
  readonly body: DumpBody;
  readonly problems: DumpProblem[];
  readonly triage: TriageInfo | undefined;

  private readonly data: PageCache;
  private readonly tables: PageCache;
  private readonly walker: PageWalker | undefined;
  private core: DumpMemory | undefined;
  /** Virtual reads can run synchronously: a source with readSync, page tables to walk, no triage map. */
  private readonly syncPaging: boolean;
  private secondary: Promise<SecondaryDataScan> | undefined;
  private moduleList: Promise<ModuleList> | undefined;
  private kdbg: Promise<KdDebuggerData64 | undefined> | undefined;

  private constructor(
    private readonly file: DumpFile,
    init: {
      header: DumpHeaderInfo;
      context: ContextAmd64 | undefined;
      exception: ExceptionRecord64 | undefined;
      body: DumpBody;
      problems: DumpProblem[];
      triage: TriageInfo | undefined;
    },
    private readonly index: LazyIndex,
    private readonly triageMap: TriageVaMap | undefined,
    /** Driver-list problems found at open (already in `problems`), returned again by modules(). */
    private readonly triageModuleProblems: readonly DumpProblem[],
    private readonly secondaryCandidates: bigint[],
    private readonly laterCandidates: (() => Promise<bigint[]>) | undefined,
    pageCacheSize: number,
  ) {
    this.path = file.path;
    this.fileSize = file.size;
    this.header = init.header;
    this.dumpType = init.header.dumpType;
    this.dumpTypeName = dumpTypeName(init.header.dumpType);
    this.machine = { type: init.header.machineImageType, name: machineName(init.header.machineImageType) };
    this.context = init.context;
    this.exception = init.exception;
    this.body = init.body;
    this.problems = init.problems;
    this.triage = init.triage;
    this.data = new PageCache(pageCacheSize);
    this.tables = new PageCache(TABLE_CACHE_PAGES);
    const paged = init.header.is64 && (init.body.kind === 'full' || init.body.kind === 'bitmap');
    this.walker = paged ? pageWalkerFor(init.header.machineImageType) : undefined;
    this.syncPaging = file.canReadSync && this.walker !== undefined && triageMap === undefined;
  }

  /** @internal use openDump() or openDumpSource(). */
  static async open(source: DumpSource, options: OpenDumpOptions = {}): Promise<CrashDump> {
    const cacheSize = checkOpenOptions(options);
    let file: DumpFile | undefined;
    try {
      file = new DumpFile(source);
      const problems: DumpProblem[] = [];
      const h = await readHeader(file, problems);
      // ARM64: the analyzer decodes its CONTEXT; translation is translateArm64.ts (arm64Walker).
      if (
        h.info.is64 &&
        h.info.machineImageType !== ImageFileMachine.AMD64 &&
        h.info.machineImageType !== ImageFileMachine.ARM64
      ) {
        problems.push({
          code: 'E_DUMP_UNSUPPORTED',
          severity: 'warning',
          structure: 'DUMP_HEADER64',
          offset: 0x30n,
          message: `machine ${machineName(h.info.machineImageType)}: CONTEXT and virtual address translation are not decoded (AMD64 and ARM64 only)`,
        });
      }
      const b = await readBody(file, h.raw, h.headerSize, problems);
      let triage: TriageInfo | undefined;
      let triageMap: TriageVaMap | undefined;
      let triageModuleProblems: DumpProblem[] = [];
      if (b.triage !== undefined) {
        const t = await readTriage(file, b.triage, h.info.kdDebuggerDataBlock, problems);
        triage = t.info;
        triageMap = t.vaMap;
        triageModuleProblems = t.moduleProblems;
      }
      return new CrashDump(
        file,
        { header: h.info, context: h.context, exception: h.exception, body: b.body, problems, triage },
        b.index,
        triageMap,
        triageModuleProblems,
        b.secondaryCandidates,
        b.laterCandidates,
        cacheSize,
      );
    } catch (e) {
      if (file !== undefined) await file.close().catch(() => undefined);
      else await Promise.resolve(source.close?.()).catch(() => undefined);
      throw asDumpError(e, `opening ${source.name}`);
    }
  }

  /** Data page cache statistics (and the table cache's and the file's), for the benchmark. */
  get cacheStats(): {
    hits: number;
    misses: number;
    pages: number;
    capacity: number;
    tables: { hits: number; misses: number; pages: number; capacity: number };
    fileReads: number;
    fileBytesRead: number;
  } {
    const stats = (c: PageCache) => ({ hits: c.hits, misses: c.misses, pages: c.size, capacity: c.capacity });
    return {
      ...stats(this.data),
      tables: stats(this.tables),
      fileReads: this.file.reads,
      fileBytesRead: this.file.bytesRead,
    };
  }

  /** The memory core, once the PFN index is built. */
  private async memory(): Promise<DumpMemory> {
    if (this.core !== undefined) return this.core;
    const index = await this.index.get();
    this.core ??= new DumpMemory(
      this.file,
      index,
      new PageLoader(this.file, this.tables, 'page table'),
      this.data,
      this.walker,
      this.walker?.root(this.header.directoryTableBase) ?? 0,
    );
    return this.core;
  }

  async readPhysical(pa: bigint, length: number): Promise<MemoryRead> {
    try {
      checkRange(pa, length, 'readPhysical');
      const bytes = new Uint8Array(length);
      const op = new ReadOp(bytes, 0, length, pa);
      await this.fillPhysical(op, pa);
      return { address: pa, bytes, status: op.status, complete: op.complete };
    } catch (e) {
      throw asDumpError(e, 'readPhysical');
    }
  }

  /**
   * readPhysical into the caller's `target` (its whole length): no
   * allocation per read. Bytes the dump does not hold are zeroed.
   */
  async readPhysicalInto(pa: bigint, target: Uint8Array): Promise<MemoryFill> {
    try {
      checkTarget(target, 'readPhysicalInto');
      checkRange(pa, target.length, 'readPhysicalInto');
      const op = new ReadOp(target, 0, target.length, pa);
      await this.fillPhysical(op, pa);
      return { address: pa, status: op.status, complete: op.complete };
    } catch (e) {
      throw asDumpError(e, 'readPhysicalInto');
    }
  }

  private async fillPhysical(op: ReadOp, pa: bigint): Promise<void> {
    const memory = this.core ?? (await this.memory());
    if (pa >= PA_LIMIT_N) {
      op.absent(op.length, 'not-in-dump');
      return;
    }
    const base = Number(pa);
    if (this.file.canReadSync) memory.readPhysicalSync(op, base);
    else while (!op.done) await untilDone(() => memory.stepPhysical(op, base + op.pos));
  }

  private pagingSupported(): boolean {
    return this.walker !== undefined;
  }

  private unsupportedReason(): string {
    return `no page tables to walk in this dump (${this.machine.name}, ${this.body.kind === 'none' ? this.body.reason : this.body.kind})`;
  }

  async translate(va: bigint, options: { directoryTableBase?: bigint } = {}): Promise<Translation> {
    return guarded('translate', async () => {
      if (typeof va !== 'bigint')
        throw new DumpError('E_DUMP_ARGUMENT', `translate: address ${String(va)} is not a bigint`, { va });
      const dtb = options.directoryTableBase;
      checkDirectoryTableBase(dtb, 'translate');
      if (this.triageMap !== undefined) {
        const hit = this.triageMap.find(va);
        if (hit !== undefined) return { status: 'triage', fileOffset: BigInt(hit.fileOffset) };
        return { status: 'unsupported', reason: `triage dump: no data block holds ${showValue(va)}` };
      }
      const walker = this.walker;
      if (walker === undefined) return { status: 'unsupported', reason: this.unsupportedReason() };
      if (va < 0n || va >= U64_LIMIT) return { status: 'non-canonical' };
      const memory = await this.memory();
      const root = memory.rootFor(dtb, walker);
      const hi = Number(va >> 32n);
      const lo = Number(va & 0xffffffffn);
      const step = (): Translation => {
        const w = memory.walk(hi, lo, root);
        switch (w.status) {
          case 'mapped':
            return {
              status: 'mapped',
              pa: BigInt(w.pa),
              pageSize: w.pageSize,
              inDump: memory.holds(Math.floor(w.pa / PAGE)),
            };
          case 'not-mapped':
            return { status: 'not-mapped', level: walker.levels[w.level]! };
          case 'not-in-dump':
            return { status: 'not-in-dump', level: walker.levels[w.level]!, tablePa: BigInt(w.tablePa) };
          default:
            return { status: 'non-canonical' };
        }
      };
      return this.file.canReadSync ? step() : untilDone(step);
    });
  }

  /**
   * Not an `async` function: on the synchronous path (a file or bytes, the
   * PFN index built) the whole read runs at once and the result is handed
   * back as an already-settled promise; anything thrown becomes a rejection.
   */
  readVirtual(va: bigint, length: number, options?: ReadVirtualOptions): Promise<MemoryRead> {
    try {
      checkRange(va, length, 'readVirtual');
      const dtb = options?.directoryTableBase;
      if (dtb !== undefined) checkDirectoryTableBase(dtb, 'translate');
      const memory = this.core;
      if (memory !== undefined && this.syncPaging) {
        const root = memory.rootFor(dtb, this.walker!);
        const hi = Number(va >> 32n);
        const lo = Number(va & 0xffffffffn);
        if (options?.shared === true) return Promise.resolve(memory.readVirtualShared(va, hi, lo, root, length));
        const bytes = new Uint8Array(length);
        const op = new ReadOp(bytes, 0, length, va);
        memory.readVirtualSync(op, hi, lo, root);
        return Promise.resolve({ address: va, bytes, status: op.status, complete: op.complete });
      }
      if (this.triageMap !== undefined && this.file.canReadSync && length <= SYNC_READ_LIMIT) {
        const bytes = new Uint8Array(length);
        const op = new ReadOp(bytes, 0, length, va);
        this.fillTriageSync(op, va, this.triageMap);
        return Promise.resolve({ address: va, bytes, status: op.status, complete: op.complete });
      }
      return this.readVirtualAsync(va, length, dtb);
    } catch (e) {
      return rejection(e, 'readVirtual');
    }
  }

  private async readVirtualAsync(va: bigint, length: number, dtb: bigint | undefined): Promise<MemoryRead> {
    try {
      const bytes = new Uint8Array(length);
      const op = new ReadOp(bytes, 0, length, va);
      await this.fillVirtualSlow(op, va, dtb);
      return { address: va, bytes, status: op.status, complete: op.complete };
    } catch (e) {
      throw asDumpError(e, 'readVirtual');
    }
  }

  /**
   * readVirtual into the caller's `target` (its whole length): no
   * allocation per read, the fastest way to read many pages. Bytes that
   * are not present are zeroed.
   */
  readVirtualInto(va: bigint, target: Uint8Array, options?: { directoryTableBase?: bigint }): Promise<MemoryFill> {
    try {
      checkTarget(target, 'readVirtualInto');
      checkRange(va, target.length, 'readVirtualInto');
      const dtb = options?.directoryTableBase;
      if (dtb !== undefined) checkDirectoryTableBase(dtb, 'translate');
      const op = new ReadOp(target, 0, target.length, va);
      const memory = this.core;
      if (memory !== undefined && this.syncPaging) {
        const root = memory.rootFor(dtb, this.walker!);
        memory.readVirtualSync(op, Number(va >> 32n), Number(va & 0xffffffffn), root);
        return Promise.resolve({ address: va, status: op.status, complete: op.complete });
      }
      if (this.triageMap !== undefined && this.file.canReadSync && target.length <= SYNC_READ_LIMIT) {
        this.fillTriageSync(op, va, this.triageMap);
        return Promise.resolve({ address: va, status: op.status, complete: op.complete });
      }
      return this.readVirtualIntoAsync(op, va, dtb);
    } catch (e) {
      return rejection(e, 'readVirtualInto');
    }
  }

  private async readVirtualIntoAsync(op: ReadOp, va: bigint, dtb: bigint | undefined): Promise<MemoryFill> {
    try {
      await this.fillVirtualSlow(op, va, dtb);
      return { address: va, status: op.status, complete: op.complete };
    } catch (e) {
      throw asDumpError(e, 'readVirtualInto');
    }
  }

  private async fillVirtualSlow(op: ReadOp, va: bigint, dtb: bigint | undefined): Promise<void> {
    if (this.triageMap !== undefined) return this.fillTriage(op, va, this.triageMap);
    const walker = this.walker;
    if (walker === undefined) {
      op.absent(op.length, 'not-in-dump');
      return;
    }
    const memory = await this.memory();
    const root = memory.rootFor(dtb, walker);
    let hi = Number(va >> 32n);
    let lo = Number(va & 0xffffffffn);
    if (this.file.canReadSync) {
      memory.readVirtualSync(op, hi, lo, root);
      return;
    }
    while (!op.done) {
      lo += await untilDone(() => memory.stepVirtual(op, hi, lo, root));
      if (lo >= TWO_32) {
        lo -= TWO_32;
        hi++;
      }
    }
  }

  /** Triage dumps: virtual addresses are served from the data blocks, the KDBG copy and the stack copy. */
  private async fillTriage(op: ReadOp, va: bigint, map: TriageVaMap): Promise<void> {
    while (!op.done) {
      const cur = va + BigInt(op.pos);
      const hit = map.find(cur);
      if (hit !== undefined) {
        const n = Math.min(hit.available, op.length - op.pos);
        await this.file.fill(op.target, op.at + op.pos, n, hit.fileOffset, TRIAGE_WHAT[hit.source]);
        op.present(n);
      } else triageGap(op, cur, map);
    }
  }

  /**
   * fillTriage for a source that reads synchronously (a file, bytes): the reads of an analysis, a few
   * hundred of them, then cost no promise each through the layers between here and the file.
   */
  private fillTriageSync(op: ReadOp, va: bigint, map: TriageVaMap): void {
    map.walk(va, op.length, (fileOffset, n, source) => {
      if (source === undefined) op.absent(n, 'not-in-dump');
      else {
        this.file.fillSync(op.target, op.at + op.pos, n, fileOffset, TRIAGE_WHAT[source]);
        op.present(n);
      }
    });
  }

  /**
   * readVirtual for the reader's own walks over addresses taken from the
   * dump: a range running past 2^64 reads as not-mapped from there on
   * instead of being refused, so a hostile pointer is a problem, not an
   * exception.
   */
  private async readVirtualWithin(va: bigint, length: number): Promise<MemoryRead> {
    if (va + BigInt(length) <= U64_LIMIT) return this.readVirtual(va, length);
    const inside = va < U64_LIMIT ? Number(U64_LIMIT - va) : 0;
    const bytes = new Uint8Array(length);
    const status: MemoryRead['status'] = [];
    if (inside > 0) {
      const head = await this.readVirtual(va, inside);
      bytes.set(head.bytes);
      status.push(...head.status);
    }
    const last = status[status.length - 1];
    if (last?.status === 'not-mapped') last.length += length - inside;
    else status.push({ address: va + BigInt(inside), length: length - inside, status: 'not-mapped' });
    return { address: va, bytes, status, complete: false };
  }

  /** Every page the file holds, one object per page; for a bulk read use physicalChunks(). */
  physicalPages(): AsyncIterable<{ pfn: bigint; fileOffset: bigint }> {
    const index = this.index;
    return {
      async *[Symbol.asyncIterator]() {
        for await (const run of (await guarded('physicalPages', () => index.get())).runs()) {
          for (let k = 0; k < run.pages; k++)
            yield { pfn: BigInt(run.pfn + k), fileOffset: BigInt(run.fileOffset + k * PAGE) };
        }
      },
    };
  }

  /**
   * All physical memory the dump holds, read in big chunks into one buffer
   * (the caller's `buffer`, or one of `chunkBytes`, default 4 MiB): each chunk
   * is file bytes [fileOffset, fileOffset + bytes.length) with the runs of
   * consecutive PFNs they hold. `bytes` is a view of the buffer, valid until
   * the next chunk is asked for. Arguments are checked when it is called.
   */
  physicalChunks(options: PhysicalChunkOptions = {}): AsyncIterable<PhysicalChunk> {
    let buffer: Uint8Array;
    try {
      const size = options.buffer?.length ?? options.chunkBytes ?? DEFAULT_PHYSICAL_CHUNK;
      if (options.buffer !== undefined && !(options.buffer instanceof Uint8Array))
        throw new DumpError('E_DUMP_ARGUMENT', 'physicalChunks: buffer is not a Uint8Array');
      if (!Number.isSafeInteger(size) || size < PAGE || size > MAX_READ) {
        throw new DumpError(
          'E_DUMP_ARGUMENT',
          `physicalChunks: a chunk of ${String(size)} bytes is out of range (${hex(PAGE)}..${MAX_READ})`,
        );
      }
      buffer = options.buffer ?? new Uint8Array(size);
    } catch (e) {
      throw asDumpError(e, 'physicalChunks');
    }
    const file = this.file;
    const index = this.index;
    const capacity = Math.floor(buffer.length / PAGE);
    return {
      async *[Symbol.asyncIterator]() {
        let runs: PhysicalChunk['runs'] = [];
        let pages = 0;
        let start = 0;
        const read = async (): Promise<PhysicalChunk> => {
          await guarded('physicalChunks', () => file.fill(buffer, 0, pages * PAGE, start, 'physical pages'));
          const chunk = { bytes: buffer.subarray(0, pages * PAGE), fileOffset: BigInt(start), runs };
          runs = [];
          pages = 0;
          return chunk;
        };
        for await (const run of (await guarded('physicalChunks', () => index.get())).runs()) {
          let { pfn, pages: left, fileOffset } = run;
          while (left > 0) {
            if (pages > 0 && (pages === capacity || fileOffset !== start + pages * PAGE)) yield await read();
            if (pages === 0) start = fileOffset;
            const take = Math.min(left, capacity - pages);
            runs.push({ pfn: BigInt(pfn), pageCount: take, byteOffset: pages * PAGE });
            pages += take;
            pfn += take;
            left -= take;
            fileOffset += take * PAGE;
          }
        }
        if (pages > 0) yield await read();
      },
    };
  }

  secondaryData(): Promise<SecondaryDataScan> {
    this.secondary ??= guarded('secondaryData', async () => {
      const scan = await scanSecondaryData(this.file, this.secondaryCandidates, this.laterCandidates);
      this.problems.push(...scan.problems);
      return scan;
    });
    return this.secondary;
  }

  /**
   * `length` raw file bytes at `offset`, through the open handle. For listings
   * that show structures exactly as stored; bounded like every other read.
   */
  async readRaw(offset: bigint, length: number): Promise<Uint8Array> {
    return guarded('readRaw', async () => {
      if (typeof offset !== 'bigint' || offset < 0n) {
        throw new DumpError('E_DUMP_ARGUMENT', `readRaw: offset ${String(offset)} is not a non-negative bigint`, {
          offset,
        });
      }
      checkLength(length, 'readRaw');
      if (!this.file.contains(offset, length)) {
        throw new DumpError(
          'E_DUMP_TRUNCATED',
          `readRaw: ${hex(length)} bytes at ${hex(offset)} run past the end of the file (${hex(this.fileSize)} bytes)`,
          {
            offset,
            length,
            fileSize: this.fileSize,
          },
        );
      }
      return this.file.read(offset, length, 'raw file bytes');
    });
  }

  /** Throws unless the blob's data lies inside the file; checked before anything is allocated. */
  private checkBlob(blob: SecondaryDataBlob, what: string): void {
    if (
      typeof blob.offset !== 'bigint' ||
      !Number.isSafeInteger(blob.size) ||
      blob.size < 0 ||
      !this.file.contains(blob.offset, blob.size)
    ) {
      throw new DumpError(
        'E_DUMP_TRUNCATED',
        `${what}: blob ${blob.index} {${blob.guid}} (${showValue(blob.size)} bytes at ${showValue(blob.offset)}) is not inside the file (${hex(this.fileSize)} bytes)`,
        {
          offset: blob.offset,
          size: blob.size,
        },
      );
    }
  }

  /** Bytes [offset, offset+length) of a blob's data; length ≤ 64 MiB. */
  async readBlobRange(blob: SecondaryDataBlob, offset: number, length: number): Promise<Uint8Array> {
    return guarded('readBlobRange', async () => {
      this.checkBlob(blob, 'readBlobRange');
      checkLength(length, 'readBlobRange');
      if (!Number.isSafeInteger(offset) || offset < 0 || offset + length > blob.size) {
        throw new DumpError(
          'E_DUMP_ARGUMENT',
          `readBlobRange: ${hex(length)} bytes at ${String(offset)} are outside blob ${blob.index} {${blob.guid}} (${hex(blob.size)} bytes)`,
          {
            offset,
            length,
            size: blob.size,
          },
        );
      }
      return this.file.read(blob.offset + BigInt(offset), length, `blob {${blob.guid}}`);
    });
  }

  /**
   * A blob's data in chunks of `chunkBytes` (default 1 MiB; the last one may be
   * shorter, a zero-size blob yields none), so a blob of any size can be
   * streamed without holding it whole. Arguments and the blob's range are
   * checked when this is called; each chunk is a new array.
   */
  blobChunks(blob: SecondaryDataBlob, chunkBytes: number = DEFAULT_BLOB_CHUNK): AsyncIterable<Uint8Array> {
    try {
      this.checkBlob(blob, 'blobChunks');
      if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1 || chunkBytes > MAX_READ) {
        throw new DumpError(
          'E_DUMP_ARGUMENT',
          `blobChunks: chunk size ${String(chunkBytes)} is out of range (1..${MAX_READ})`,
          { chunkBytes },
        );
      }
    } catch (e) {
      throw asDumpError(e, 'blobChunks');
    }
    const file = this.file;
    return {
      async *[Symbol.asyncIterator]() {
        for (let done = 0; done < blob.size; done += chunkBytes) {
          const n = Math.min(chunkBytes, blob.size - done);
          yield await guarded('blobChunks', () =>
            file.read(blob.offset + BigInt(done), n, `blob {${blob.guid}}`, true),
          );
        }
      },
    };
  }

  async readBlob(blob: SecondaryDataBlob): Promise<Uint8Array> {
    return guarded('readBlob', async () => {
      this.checkBlob(blob, 'readBlob');
      const out = new Uint8Array(blob.size);
      for (let done = 0; done < out.length; done += MAX_READ) {
        await this.file.readInto(
          out.subarray(done, Math.min(out.length, done + MAX_READ)),
          blob.offset + BigInt(done),
          `blob {${blob.guid}}`,
        );
      }
      return out;
    });
  }

  modules(): Promise<ModuleList> {
    this.moduleList ??= guarded('modules', async () => {
      if (this.triage !== undefined)
        return {
          loaded: this.triage.drivers,
          unloaded: this.triage.unloadedDrivers,
          problems: [...this.triageModuleProblems],
        };
      if (!this.pagingSupported()) {
        return {
          loaded: [],
          unloaded: [],
          problems: [
            {
              code: 'E_DUMP_UNSUPPORTED',
              severity: 'warning',
              message: `no module list: this dump has no readable kernel memory (${this.body.kind === 'none' ? this.body.reason : this.machine.name})`,
            },
          ],
        };
      }
      const walk = await walkLoadedModuleList(this.header.psLoadedModuleList, (va, n) => this.readVirtualWithin(va, n));
      this.problems.push(...walk.problems);
      return { loaded: walk.loaded, unloaded: [], problems: walk.problems };
    });
    return this.moduleList;
  }

  kdDebuggerData(): Promise<KdDebuggerData64 | undefined> {
    this.kdbg ??= guarded('kdDebuggerData', async () => {
      const va = this.header.kdDebuggerDataBlock;
      let bytes: Uint8Array;
      if (this.triage !== undefined) {
        const f = this.triage.fields;
        if (
          f.DebuggerDataOffset === 0 ||
          f.DebuggerDataSize === 0 ||
          !this.file.contains(BigInt(f.DebuggerDataOffset), f.DebuggerDataSize)
        )
          return undefined;
        bytes = new Uint8Array(KDDEBUGGER_DATA64.size);
        const n = Math.min(f.DebuggerDataSize, bytes.length);
        await this.file.readInto(bytes.subarray(0, n), BigInt(f.DebuggerDataOffset), 'KDDEBUGGER_DATA64');
      } else {
        if (va === 0n || isPageFiller(va)) return undefined;
        const r = await this.readVirtualWithin(va, KDDEBUGGER_DATA64.size);
        if (!r.complete) {
          this.problems.push({
            code: 'E_DUMP_KDBG',
            severity: 'warning',
            // Located at the header field that points there (a file offset).
            structure: 'DUMP_HEADER64.KdDebuggerDataBlock',
            offset: BigInt(DUMP_HEADER64.offsets.KdDebuggerDataBlock),
            message: `KdDebuggerDataBlock ${hex(va)} is not (completely) in the dump`,
          });
          return undefined;
        }
        bytes = r.bytes;
      }
      const kd = KDDEBUGGER_DATA64.decode(bytes);
      if (kd.Header.OwnerTag !== KDBG_OWNER_TAG) {
        this.problems.push({
          code: 'E_DUMP_KDBG',
          severity: 'warning',
          structure: 'KDDEBUGGER_DATA64',
          message: `KDDEBUGGER_DATA64 at ${hex(va)} has OwnerTag ${hex(kd.Header.OwnerTag)}, not "KDBG" (still encoded, or not a debugger data block)`,
        });
        return undefined;
      }
      return kd;
    });
    return this.kdbg;
  }

  async close(): Promise<void> {
    this.data.clear();
    this.tables.clear();
    await this.file.close();
  }
}

/** Opens a dump from any DumpSource (a Blob, bytes, a file). Throws DumpError only when not even the header can be read and recognised. */
export function openDumpSource(source: DumpSource, options?: OpenDumpOptions): Promise<CrashDump> {
  return CrashDump.open(source, options);
}
