import {
  BugcheckError,
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
import { readBody } from './body.js';
import { DumpFile, MAX_READ } from './dumpFile.js';
import { DumpError } from './errors.js';
import { readHeader } from './header.js';
import { walkLoadedModuleList } from './modules.js';
import { PageCache } from './pageCache.js';
import type { PhysicalIndex } from './physicalIndex.js';
import { scanSecondaryData } from './secondaryData.js';
import { translateX64 } from './translate.js';
import { translateArm64Async } from './translateArm64.js';
import { readTriage, type TriageVaMap } from './triage.js';
import type {
  DumpBody,
  DumpHeaderInfo,
  DumpProblem,
  MemoryRead,
  ModuleList,
  OpenDumpOptions,
  PageStatus,
  SecondaryDataBlob,
  SecondaryDataScan,
  Translation,
  TriageInfo,
} from './types.js';

const PAGE = 0x1000;
const PAGE_N = 0x1000n;
const U64_LIMIT = 1n << 64n;
const DEFAULT_PAGE_CACHE = 256;
/** blobChunks' default chunk: big enough for few reads, small enough to never matter. */
export const DEFAULT_BLOB_CHUNK = 1024 * 1024;

/** A caller-supplied value in a message: hex() only for values it can show. */
function showValue(v: unknown): string {
  return typeof v === 'bigint' || (typeof v === 'number' && Number.isSafeInteger(v)) ? hex(v) : String(v);
}

/** Anything thrown from inside the reader reaches callers as a DumpError. */
function asDumpError(e: unknown, what: string): DumpError {
  if (e instanceof DumpError) return e;
  if (e instanceof BugcheckError) return new DumpError('E_DUMP_CORRUPT', `${what}: ${e.message}`, e.details);
  if (e instanceof RangeError) return new DumpError('E_DUMP_CORRUPT', `${what}: ${e.message}`);
  throw e;
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

function checkRange(address: bigint, length: number, what: string): void {
  checkLength(length, what);
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

/** Collects per-byte-range statuses, merging neighbours with the same status. */
class StatusList {
  readonly items: { address: bigint; length: number; status: PageStatus }[] = [];
  add(address: bigint, length: number, status: PageStatus): void {
    if (length === 0) return;
    const last = this.items[this.items.length - 1];
    if (last !== undefined && last.status === status && last.address + BigInt(last.length) === address)
      last.length += length;
    else this.items.push({ address, length, status });
  }
  get complete(): boolean {
    return this.items.every((s) => s.status === 'present');
  }
}

/**
 * An opened Windows kernel crash dump. Everything is read on demand through
 * positional reads and a bounded page cache; the PFN index is built once at
 * open. Methods throw only DumpError; what is wrong with the file itself is
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

  private readonly cache: PageCache;
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
    private readonly index: PhysicalIndex,
    private readonly triageMap: TriageVaMap | undefined,
    /** Driver-list problems found at open (already in `problems`), returned again by modules(). */
    private readonly triageModuleProblems: readonly DumpProblem[],
    private readonly secondaryCandidates: bigint[],
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
    this.cache = new PageCache(pageCacheSize);
  }

  /** @internal use openDump(). */
  static async open(path: string, options: OpenDumpOptions = {}): Promise<CrashDump> {
    const cacheSize = options.pageCacheSize ?? DEFAULT_PAGE_CACHE;
    if (!Number.isSafeInteger(cacheSize) || cacheSize < 0) {
      throw new DumpError('E_DUMP_ARGUMENT', `pageCacheSize must be a non-negative integer, got ${cacheSize}`);
    }
    const file = await DumpFile.open(path);
    try {
      const problems: DumpProblem[] = [];
      const h = await readHeader(file, problems);
      // ARM64: the analyzer decodes its CONTEXT; translation is translateArm64.ts.
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
          message: `machine ${machineName(h.info.machineImageType)}: CONTEXT and virtual address translation are not decoded (AMD64 only)`,
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
        cacheSize,
      );
    } catch (e) {
      await file.close().catch(() => undefined);
      throw asDumpError(e, `opening ${path}`);
    }
  }

  /** Cache statistics, for the benchmark. */
  get cacheStats(): { hits: number; misses: number; pages: number; capacity: number } {
    return { hits: this.cache.hits, misses: this.cache.misses, pages: this.cache.size, capacity: this.cache.capacity };
  }

  /** The dump's page for a file offset, through the cache; undefined when the file is too short to hold it. */
  private async page(fileOffset: bigint): Promise<Uint8Array | undefined> {
    const hit = this.cache.get(fileOffset);
    if (hit !== undefined) return hit;
    if (!this.file.contains(fileOffset, PAGE)) return undefined;
    const page = await this.file.read(fileOffset, PAGE, 'physical page');
    this.cache.set(fileOffset, page);
    return page;
  }

  /** File offset of the page holding `pfn`, only if the whole page is in the file. */
  private pageOffset(pfn: bigint): bigint | undefined {
    const at = this.index.fileOffsetOf(pfn);
    return at !== undefined && this.file.contains(at, PAGE) ? at : undefined;
  }

  private async readU64Physical(pa: bigint): Promise<bigint | undefined> {
    const at = this.pageOffset(pa >> 12n);
    if (at === undefined) return undefined;
    const page = await this.page(at);
    if (page === undefined) return undefined;
    const off = Number(pa & 0xfffn);
    return new DataView(page.buffer, page.byteOffset, page.byteLength).getBigUint64(off, true);
  }

  /** Copies physical bytes into out[outOffset…]; consecutive pages that are consecutive in the file are read in one go. */
  private async fillPhysical(
    pa: bigint,
    out: Uint8Array,
    outOffset: number,
    length: number,
    statuses: StatusList,
  ): Promise<void> {
    let cur = pa;
    let pos = outOffset;
    const end = outOffset + length;
    while (pos < end) {
      const inPage = Number(cur & 0xfffn);
      const n = Math.min(PAGE - inPage, end - pos);
      const at = this.pageOffset(cur >> 12n);
      if (at === undefined) {
        statuses.add(cur, n, 'not-in-dump');
        cur += BigInt(n);
        pos += n;
        continue;
      }
      // Extend over following pages stored right after this one, for sequential scans.
      let span = n;
      let nextAt = at + PAGE_N;
      while (pos + span < end && span >= PAGE - inPage) {
        const nextPa = cur + BigInt(span);
        if (this.pageOffset(nextPa >> 12n) !== nextAt) break;
        span += Math.min(PAGE, end - pos - span);
        nextAt += PAGE_N;
      }
      if (span === n) {
        const page = await this.page(at);
        if (page === undefined) statuses.add(cur, n, 'not-in-dump');
        else {
          out.set(page.subarray(inPage, inPage + n), pos);
          statuses.add(cur, n, 'present');
        }
      } else {
        await this.file.readInto(out.subarray(pos, pos + span), at + BigInt(inPage), 'physical pages');
        statuses.add(cur, span, 'present');
      }
      cur += BigInt(span);
      pos += span;
    }
  }

  async readPhysical(pa: bigint, length: number): Promise<MemoryRead> {
    return guarded('readPhysical', async () => {
      checkRange(pa, length, 'readPhysical');
      const bytes = new Uint8Array(length);
      const statuses = new StatusList();
      await this.fillPhysical(pa, bytes, 0, length, statuses);
      return { address: pa, bytes, status: statuses.items, complete: statuses.complete };
    });
  }

  private pagingSupported(): boolean {
    return (
      this.header.is64 &&
      (this.header.machineImageType === ImageFileMachine.AMD64 ||
        this.header.machineImageType === ImageFileMachine.ARM64) &&
      (this.body.kind === 'full' || this.body.kind === 'bitmap')
    );
  }

  async translate(va: bigint, options: { directoryTableBase?: bigint } = {}): Promise<Translation> {
    return guarded('translate', async () => {
      if (typeof va !== 'bigint')
        throw new DumpError('E_DUMP_ARGUMENT', `translate: address ${String(va)} is not a bigint`, { va });
      const dtb = options.directoryTableBase;
      if (dtb !== undefined && typeof dtb !== 'bigint')
        throw new DumpError('E_DUMP_ARGUMENT', `translate: directoryTableBase ${String(dtb)} is not a bigint`);
      if (this.triageMap !== undefined) {
        const hit = this.triageMap.find(va);
        if (hit !== undefined) return { status: 'triage', fileOffset: hit.fileOffset };
        return { status: 'unsupported', reason: `triage dump: no data block holds ${showValue(va)}` };
      }
      if (!this.pagingSupported()) {
        return {
          status: 'unsupported',
          reason: `no page tables to walk in this dump (${this.machine.name}, ${this.body.kind === 'none' ? this.body.reason : this.body.kind})`,
        };
      }
      const walk = this.header.machineImageType === ImageFileMachine.ARM64 ? translateArm64Async : translateX64;
      return walk(
        va,
        options.directoryTableBase ?? this.header.directoryTableBase,
        (pa) => this.readU64Physical(pa),
        (pa) => this.pageOffset(pa >> 12n) !== undefined,
      );
    });
  }

  async readVirtual(va: bigint, length: number, options: { directoryTableBase?: bigint } = {}): Promise<MemoryRead> {
    return guarded('readVirtual', async () => {
      checkRange(va, length, 'readVirtual');
      const bytes = new Uint8Array(length);
      const statuses = new StatusList();
      let pos = 0;
      while (pos < length) {
        const cur = va + BigInt(pos);
        if (this.triageMap !== undefined) {
          const hit = this.triageMap.find(cur);
          if (hit !== undefined) {
            const n = Math.min(hit.available, length - pos);
            await this.file.readInto(bytes.subarray(pos, pos + n), hit.fileOffset, `triage ${hit.range.source}`);
            statuses.add(cur, n, 'present');
            pos += n;
          } else {
            const next = this.triageMap.nextStart(cur);
            const n = next === undefined ? length - pos : Math.min(length - pos, Number(next - cur));
            statuses.add(cur, n, 'not-in-dump');
            pos += n;
          }
          continue;
        }
        const n = Math.min(PAGE - Number(cur & 0xfffn), length - pos);
        if (!this.pagingSupported()) {
          statuses.add(cur, length - pos, 'not-in-dump');
          break;
        }
        const t = await this.translate(cur, options);
        if (t.status === 'mapped') {
          if (t.inDump) await this.fillPhysical(t.pa, bytes, pos, n, statuses);
          else statuses.add(cur, n, 'not-in-dump');
        } else statuses.add(cur, n, t.status === 'not-in-dump' ? 'not-in-dump' : 'not-mapped');
        pos += n;
      }
      // Statuses from fillPhysical carry physical addresses; report them against the virtual range.
      return { address: va, bytes, status: this.virtualStatuses(va, statuses), complete: statuses.complete };
    });
  }

  private virtualStatuses(va: bigint, statuses: StatusList): MemoryRead['status'] {
    const out = new StatusList();
    let cur = va;
    for (const s of statuses.items) {
      out.add(cur, s.length, s.status);
      cur += BigInt(s.length);
    }
    return out.items;
  }

  physicalPages(): AsyncIterable<{ pfn: bigint; fileOffset: bigint }> {
    const index = this.index;
    const file = this.file;
    return {
      async *[Symbol.asyncIterator]() {
        for (const p of index.pages()) {
          if (!file.contains(p.fileOffset, PAGE)) continue;
          yield p;
        }
      },
    };
  }

  secondaryData(): Promise<SecondaryDataScan> {
    this.secondary ??= guarded('secondaryData', async () => {
      const scan = await scanSecondaryData(this.file, this.secondaryCandidates);
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
          yield await guarded('blobChunks', () => file.read(blob.offset + BigInt(done), n, `blob {${blob.guid}}`));
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
      const walk = await walkLoadedModuleList(this.header.psLoadedModuleList, (va, n) => this.readVirtual(va, n));
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
        const r = await this.readVirtual(va, KDDEBUGGER_DATA64.size);
        if (!r.complete) {
          this.problems.push({
            code: 'E_DUMP_KDBG',
            severity: 'warning',
            structure: 'KDDEBUGGER_DATA64',
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
    this.cache.clear();
    await this.file.close();
  }
}

/** Opens a dump. Throws DumpError only when not even the header can be read and recognised. */
export function openDump(path: string, options?: OpenDumpOptions): Promise<CrashDump> {
  return CrashDump.open(path, options);
}
