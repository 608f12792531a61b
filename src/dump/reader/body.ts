import {
  BITMAP_DUMP_BITMAP_OFFSET,
  BITMAP_DUMP_HEADER64,
  BITMAP_VALID_DUMP,
  DUMP_FULL_SIGNATURE,
  type DUMP_HEADER32,
  DUMP_HEADER64_SIZE,
  DUMP_SUMMARY_SIGNATURE,
  DumpType,
  TRIAGE_DUMP64,
  decodePhysicalMemoryDescriptor64,
  dumpTypeName,
  hex,
  isPageFiller,
  type TriageDump64,
} from '../../format/index.js';
import type { DumpFile } from './dumpFile.js';
import type { RawHeader } from './header.js';
import { PageCache } from './pageCache.js';
import { PageLoader } from './pager.js';
import {
  BitmapIndex,
  EMPTY_INDEX,
  PFN_LIMIT,
  PagedBitmapIndex,
  RunsIndex,
  type PhysicalIndex,
} from './physicalIndex.js';
import type { DumpBody, DumpProblem } from './types.js';

/**
 * Bitmaps above this (8 TiB of RAM) are refused: building their index
 * streams the whole bitmap once.
 */
export const MAX_BITMAP_BYTES = 256 * 1024 * 1024;
/**
 * Bitmaps up to this size (1 MiB: 32 GiB of RAM) are read when the dump is
 * opened and held whole; bigger ones only when physical memory is first
 * needed, through a PagedBitmapIndex, so opening a dump for its header never
 * reads them.
 */
export const EAGER_BITMAP_BYTES = 1024 * 1024;
/** Bitmap pages a PagedBitmapIndex keeps (32 MiB at most, grown as used). */
const BITMAP_CACHE_PAGES = 8192;

/** The PFN index, built at open or on first use. */
export class LazyIndex {
  private built: PhysicalIndex | undefined;
  private building: Promise<PhysicalIndex> | undefined;

  constructor(private readonly source: PhysicalIndex | (() => Promise<PhysicalIndex>)) {
    if (typeof source !== 'function') this.built = source;
  }

  /** The index if it is built. */
  get ready(): PhysicalIndex | undefined {
    return this.built;
  }

  get(): Promise<PhysicalIndex> {
    if (this.built !== undefined) return Promise.resolve(this.built);
    const source = this.source as () => Promise<PhysicalIndex>;
    this.building ??= source().then(
      (index) => {
        this.built = index;
        return index;
      },
      (e: unknown) => {
        // A failed build (a read error) may be retried by the next access.
        this.building = undefined;
        throw e;
      },
    );
    return this.building;
  }
}

export interface ParsedBody {
  body: DumpBody;
  index: LazyIndex;
  triage: TriageDump64 | undefined;
  /** Where the secondary-data area may start, most likely first. */
  secondaryCandidates: bigint[];
  /** Further candidates that need the index built (a big bitmap's page count); tried after the others. */
  laterCandidates?: () => Promise<bigint[]>;
}

function fourCC(n: number): string {
  const b = [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
  return b.every((c) => c >= 0x20 && c < 0x7f) ? String.fromCharCode(...b) : hex(n);
}

function uniq(values: bigint[]): bigint[] {
  return [...new Set(values)];
}

/** Works out the body layout for the dump type and builds the PFN index once. */
export async function readBody(
  file: DumpFile,
  header: RawHeader,
  headerSize: number,
  problems: DumpProblem[],
): Promise<ParsedBody> {
  const none = (reason: string, candidates: bigint[]): ParsedBody => ({
    body: { kind: 'none', reason },
    index: new LazyIndex(EMPTY_INDEX),
    triage: undefined,
    secondaryCandidates: uniq(candidates),
  });
  const report = (
    code: string,
    severity: 'warning' | 'error',
    structure: string,
    offset: bigint | undefined,
    message: string,
  ): void => {
    problems.push(
      offset === undefined ? { code, severity, structure, message } : { code, severity, structure, offset, message },
    );
  };

  if (!header.is64) return readBody32(file, header.raw, headerSize, problems);

  const h = header.raw;
  const start = BigInt(DUMP_HEADER64_SIZE);
  switch (h.DumpType) {
    case DumpType.Full: {
      const d = decodePhysicalMemoryDescriptor64(h.PhysicalMemoryBlockBuffer);
      const never = isPageFiller(d.numberOfRuns);
      for (const p of d.problems)
        report('E_DUMP_CORRUPT', never ? 'error' : 'warning', 'PHYSICAL_MEMORY_DESCRIPTOR64', 0x88n, p);
      if (never) return none('DumpType 1 without a physical memory descriptor', [start]);
      const runs = d.runs.map((r) => ({ basePage: r.BasePage, pageCount: r.PageCount }));
      const index = new RunsIndex(runs, start, file.size, problems);
      const end = start + d.pageSum * 0x1000n;
      if (end > file.size) {
        report(
          'E_DUMP_TRUNCATED',
          'error',
          'PHYSICAL_MEMORY_DESCRIPTOR64',
          file.size,
          `the runs describe ${hex(d.pageSum)} pages ending at ${hex(end)}, past the end of the file (${hex(file.size)}); pages beyond it read as not in the dump`,
        );
      }
      return {
        body: { kind: 'full', runs, numberOfPages: d.numberOfPages, firstPageOffset: start, end },
        index: new LazyIndex(index),
        triage: undefined,
        secondaryCandidates: uniq([end, start + d.numberOfPages * 0x1000n]),
      };
    }
    case DumpType.BitmapFull:
    case DumpType.BitmapKernel:
      return readBitmap(file, problems, none);
    case DumpType.Triage: {
      if (!file.contains(start, TRIAGE_DUMP64.size)) {
        report(
          'E_DUMP_TRUNCATED',
          'error',
          'TRIAGE_DUMP64',
          start,
          `the file ends before TRIAGE_DUMP64 (${hex(TRIAGE_DUMP64.size)} bytes at ${hex(start)})`,
        );
        return none('triage dump without a TRIAGE_DUMP64', [start]);
      }
      const t = TRIAGE_DUMP64.decode(await file.read(start, TRIAGE_DUMP64.size, 'TRIAGE_DUMP64'));
      const sizeOfDump = BigInt(t.SizeOfDump);
      if (sizeOfDump > file.size) {
        report(
          'E_DUMP_TRUNCATED',
          'error',
          'TRIAGE_DUMP64',
          start + 4n,
          `SizeOfDump ${hex(sizeOfDump)} is larger than the file (${hex(file.size)})`,
        );
      } else if (sizeOfDump < start + BigInt(TRIAGE_DUMP64.size)) {
        report(
          'E_DUMP_CORRUPT',
          'error',
          'TRIAGE_DUMP64',
          start + 4n,
          `SizeOfDump ${hex(sizeOfDump)} ends before TRIAGE_DUMP64 does`,
        );
      }
      return {
        body: { kind: 'triage', sizeOfDump, end: sizeOfDump },
        index: new LazyIndex(EMPTY_INDEX),
        triage: t,
        secondaryCandidates: [sizeOfDump],
      };
    }
    case DumpType.Header:
      return none('header-only dump (DUMP_TYPE_HEADER)', [start]);
    default:
      report(
        'E_DUMP_UNSUPPORTED',
        'error',
        'DUMP_HEADER64',
        0xf98n,
        `DumpType ${hex(h.DumpType)} (${dumpTypeName(h.DumpType)}) is not supported: only the header and secondary data are read`,
      );
      return none(`DumpType ${hex(h.DumpType)} (${dumpTypeName(h.DumpType)}) is not supported`, [start]);
  }
}

async function readBitmap(
  file: DumpFile,
  problems: DumpProblem[],
  none: (reason: string, c: bigint[]) => ParsedBody,
): Promise<ParsedBody> {
  const at = BigInt(DUMP_HEADER64_SIZE);
  const fail = (code: string, message: string, offset: bigint): ParsedBody => {
    problems.push({ code, severity: 'error', structure: 'BITMAP_DUMP_HEADER64', offset, message });
    return none(message, [at]);
  };
  if (!file.contains(at, BITMAP_DUMP_HEADER64.size)) {
    return fail(
      'E_DUMP_TRUNCATED',
      `the file ends before the bitmap dump header (${hex(BITMAP_DUMP_HEADER64.size)} bytes at ${hex(at)})`,
      at,
    );
  }
  const b = BITMAP_DUMP_HEADER64.decode(await file.read(at, BITMAP_DUMP_HEADER64.size, 'BITMAP_DUMP_HEADER64'));
  if (
    (b.Signature !== DUMP_SUMMARY_SIGNATURE && b.Signature !== DUMP_FULL_SIGNATURE) ||
    b.ValidDump !== BITMAP_VALID_DUMP
  ) {
    problems.push({
      code: 'E_DUMP_SIGNATURE',
      severity: 'error',
      structure: 'BITMAP_DUMP_HEADER64',
      offset: at,
      message: `bitmap dump header starts ${fourCC(b.Signature)} ${fourCC(b.ValidDump)}, expected SDMP or FDMP followed by DUMP`,
    });
  }
  const bitmapAt = at + BigInt(BITMAP_DUMP_BITMAP_OFFSET);
  if (b.BitmapSize > PFN_LIMIT) {
    return fail(
      'E_DUMP_CORRUPT',
      `BitmapSize ${hex(b.BitmapSize)} bits is beyond a 52-bit physical address space`,
      at + 0x30n,
    );
  }
  const bitmapBytes = (b.BitmapSize + 7n) / 8n;
  if (!file.contains(bitmapAt, bitmapBytes)) {
    return fail(
      'E_DUMP_TRUNCATED',
      `the bitmap (${hex(b.BitmapSize)} bits = ${hex(bitmapBytes)} bytes at ${hex(bitmapAt)}) is bigger than the file allows (${hex(file.size)} bytes)`,
      at + 0x30n,
    );
  }
  if (bitmapBytes > BigInt(MAX_BITMAP_BYTES)) {
    return fail(
      'E_DUMP_UNSUPPORTED',
      `the bitmap (${hex(bitmapBytes)} bytes) is larger than the reader's limit of ${hex(MAX_BITMAP_BYTES)} bytes`,
      at + 0x30n,
    );
  }
  if (b.BitmapSize % 32n !== 0n) {
    problems.push({
      code: 'E_DUMP_BITMAP',
      severity: 'warning',
      structure: 'BITMAP_DUMP_HEADER64',
      offset: at + 0x30n,
      message: `BitmapSize ${hex(b.BitmapSize)} is not a multiple of 32; readers disagree on its last bits`,
    });
  }
  if (b.HeaderSize < bitmapAt + bitmapBytes) {
    problems.push({
      code: 'E_DUMP_CORRUPT',
      severity: 'error',
      structure: 'BITMAP_DUMP_HEADER64',
      offset: at + 0x20n,
      message: `HeaderSize ${hex(b.HeaderSize)} (first page) lies inside the bitmap, which ends at ${hex(bitmapAt + bitmapBytes)}`,
    });
  }
  const end = b.HeaderSize + b.Pages * 0x1000n;
  // What only the bitmap's bits can tell: reported when the index is built.
  const checkPages = (index: PhysicalIndex): bigint => {
    if (index.pageCount !== b.Pages) {
      problems.push({
        code: 'E_DUMP_CORRUPT',
        severity: 'warning',
        structure: 'BITMAP_DUMP_HEADER64',
        offset: at + 0x28n,
        message: `Pages is ${hex(b.Pages)} but the bitmap has ${hex(index.pageCount)} bits set; pages are located by the bitmap`,
      });
    }
    const bitmapEnd = b.HeaderSize + index.pageCount * 0x1000n;
    if (bitmapEnd > file.size) {
      problems.push({
        code: 'E_DUMP_TRUNCATED',
        severity: 'error',
        structure: 'BITMAP_DUMP_HEADER64',
        offset: file.size,
        message: `the ${hex(index.pageCount)} pages end at ${hex(bitmapEnd)}, past the end of the file (${hex(file.size)}); pages beyond it read as not in the dump`,
      });
    }
    return bitmapEnd;
  };
  const body: DumpBody = {
    kind: 'bitmap',
    signature: fourCC(b.Signature),
    dumpOptions: b.DumpOptions,
    firstPageOffset: b.HeaderSize,
    pages: b.Pages,
    bitmapSize: b.BitmapSize,
    end,
  };
  const byteCount = Number(bitmapBytes);
  const position = Number(bitmapAt);
  if (byteCount <= EAGER_BITMAP_BYTES) {
    // Whole words, so the index can use the buffer as it is.
    const bitmap = new Uint8Array(Math.ceil(byteCount / 4) * 4);
    await file.fill(bitmap, 0, byteCount, position, 'bitmap');
    const index = new BitmapIndex(bitmap, b.BitmapSize, b.HeaderSize, file.size, true);
    const bitmapEnd = checkPages(index);
    return { body, index: new LazyIndex(index), triage: undefined, secondaryCandidates: uniq([end, bitmapEnd]) };
  }
  const index = new LazyIndex(async () => {
    const loader = new PageLoader(file, new PageCache(BITMAP_CACHE_PAGES), 'bitmap');
    const built = await PagedBitmapIndex.build(
      file,
      loader,
      position,
      Number(b.BitmapSize),
      Number(b.HeaderSize),
      file.size,
    );
    checkPages(built);
    return built;
  });
  return {
    body,
    index,
    triage: undefined,
    secondaryCandidates: [end],
    laterCandidates: async () => [b.HeaderSize + (await index.get()).pageCount * 0x1000n],
  };
}

/** 32-bit dumps: header and secondary data only; the body's end is worked out where the header allows. */
async function readBody32(
  file: DumpFile,
  h: ReturnType<typeof DUMP_HEADER32.decode>,
  headerSize: number,
  problems: DumpProblem[],
): Promise<ParsedBody> {
  const start = BigInt(headerSize);
  const candidates: bigint[] = [];
  if (h.DumpType === DumpType.Full) {
    const pages = new DataView(h.PhysicalMemoryBlockBuffer.buffer, h.PhysicalMemoryBlockBuffer.byteOffset).getUint32(
      4,
      true,
    );
    if (!isPageFiller(pages)) candidates.push(start + BigInt(pages) * 0x1000n);
  } else if (h.DumpType === DumpType.Triage && file.contains(start + 4n, 4)) {
    // TRIAGE_DUMP32 starts like TRIAGE_DUMP64: ServicePackBuild, then SizeOfDump.
    candidates.push(
      BigInt(new DataView((await file.read(start + 4n, 4, 'TRIAGE_DUMP32.SizeOfDump')).buffer).getUint32(0, true)),
    );
  }
  candidates.push(start);
  problems.push({
    code: 'E_DUMP_UNSUPPORTED',
    severity: 'warning',
    structure: 'DUMP_HEADER32',
    message: `32-bit dump (DumpType ${hex(h.DumpType)}, ${dumpTypeName(h.DumpType)}): only the header and secondary data are read`,
  });
  return {
    body: { kind: 'none', reason: '32-bit dump (DUMP_HEADER32): header and secondary data only' },
    index: new LazyIndex(EMPTY_INDEX),
    triage: undefined,
    secondaryCandidates: uniq(candidates),
  };
}
