/**
 * Builds Windows kernel crash dumps of DumpType 1, 4, 5, 6 (and 32-bit or
 * other-typed header-only dumps) in code, from the builder's own offset
 * tables (./tables, written from the format notes) — never from src/format
 * or the product's writer, so each can check the other. Small dumps come
 * back as bytes; big sparse ones go to a file.
 */
import { open } from 'node:fs/promises';
import { encodeKdDebuggerData } from './kernel.js';
import { PAGE, type PfnRange, type SynthMemory } from './memory.js';
import {
  BITMAP_DUMP_HEADER64,
  BITMAP_OFFSET,
  BITMAP_VALID_DUMP,
  CONTEXT_AMD64,
  CONTEXT_ALL,
  CONTEXT_RECORD64_SIZE,
  DUMP_BLOB_FILE_HEADER,
  DUMP_BLOB_HEADER,
  DUMP_BLOB_SIGNATURE1,
  DUMP_BLOB_SIGNATURE2,
  DUMP_DRIVER_ENTRY64,
  DUMP_FULL_SIGNATURE,
  DUMP_HEADER32,
  DUMP_HEADER64,
  DUMP_MM_STORAGE64,
  DUMP_SUMMARY_SIGNATURE,
  DUMP_UNLOADED_DRIVER64,
  EXCEPTION_RECORD32,
  EXCEPTION_RECORD64,
  TRIAGE_DATA_BLOCK64,
  TRIAGE_DUMP64,
  TRIAGE_DUMP_VALID,
  UNLOADED_DRIVERS_COUNT_SIZE,
  blobBuildNumberFor,
  encodeHeader32,
  encodeHeader64,
  encodePhysicalMemoryBlock32,
  encodePhysicalMemoryBlock64,
  encodeStringPoolEntry,
  encodeStruct,
  fillPage,
  postPadFor,
  writeStruct,
  zeroValues,
  type ContextAmd64,
  type ContextAmd64Patch,
  type DumpHeader32Patch,
  type DumpHeader64Patch,
  type DumpMmStorage64Patch,
  type ExceptionRecord64Patch,
  type KdDebuggerData64Patch,
  type TriageDump64,
  type TriageDump64Patch,
} from './tables/index.js';

export interface SynthBlob {
  /** The blob's Tag, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`. */
  guid: string;
  data: Uint8Array;
  prePad?: number;
  /** Default: pad the data to 8 bytes, as Windows does. */
  postPad?: number;
  /** Lies for corruption tests: written instead of the true values. */
  headerSize?: number;
  dataSize?: number;
  postPadField?: number;
}

export interface SynthTriage {
  drivers?: { name: string; base: bigint; size: number; timeDateStamp?: number; checkSum?: number }[];
  unloadedDrivers?: { name: string; start: bigint; end: bigint }[];
  dataBlocks?: { va: bigint; bytes: Uint8Array }[];
  /** KDDEBUGGER_DATA64 copy (OwnerTag/Size are filled in); null for none. */
  kdbg?: KdDebuggerData64Patch | null;
  mmInfo?: DumpMmStorage64Patch;
  stack?: { top: bigint; bytes: Uint8Array };
  prcb?: Uint8Array;
  process?: Uint8Array;
  thread?: Uint8Array;
  /** Raw TRIAGE_DUMP64 overrides, applied after layout (for corruption tests). */
  fields?: TriageDump64Patch;
}

export interface SynthDumpSpec {
  dumpType: number;
  is32?: boolean;
  machineImageType?: number;
  memory?: SynthMemory;
  directoryTableBase?: bigint;
  bugCheckCode?: number;
  bugCheckParameters?: [bigint, bigint, bigint, bigint];
  kdDebuggerDataBlock?: bigint;
  psLoadedModuleList?: bigint;
  numberProcessors?: number;
  context?: ContextAmd64Patch;
  exception?: ExceptionRecord64Patch;
  /** Raw header overrides, applied last. */
  header?: DumpHeader64Patch;
  header32?: DumpHeader32Patch;
  /** Type 1: runs in file order (default: the memory's present ranges, ascending). */
  runs?: PfnRange[];
  bitmap?: {
    signature?: 'SDMP' | 'FDMP';
    signatureField?: number;
    bits?: bigint;
    dumpOptions?: number;
    pagesField?: bigint;
    headerSizeField?: bigint;
    bitmapSizeField?: bigint;
  };
  triage?: SynthTriage;
  /** undefined: no secondary-data area at all. */
  blobs?: SynthBlob[];
  blobBuildNumber?: number;
  /** Bytes appended after the blob area (or the body, without blobs). */
  tail?: Uint8Array;
  /** Cut the file to this many bytes. */
  truncateTo?: bigint;
}

export interface SynthLayout {
  fileSize: bigint;
  headerSize: number;
  /** End of the primary body = where the secondary-data area starts (if any). */
  bodyEnd: bigint;
  blobAreaOffset: bigint | undefined;
  /** File offset of each blob's header and data, in order. */
  blobs: { headerOffset: bigint; dataOffset: bigint }[];
  /** Type 1/5/6: file offset of a present PFN's page. */
  pageOffset: (pfn: bigint) => bigint | undefined;
  firstPageOffset: bigint | undefined;
  presentPages: bigint;
  triage: TriageDump64 | undefined;
}

export const SYNTH_DEFAULTS = {
  bugCheckCode: 0x1000007e,
  bugCheckParameters: [0xffffffffc0000005n, 0xfffff8048b58334cn, 0xffff850429891ee8n, 0xffff850429891720n] as [
    bigint,
    bigint,
    bigint,
    bigint,
  ],
  kdDebuggerDataBlock: 0xfffff8047c600b20n,
  psLoadedModuleList: 0xfffff8047c62a390n,
  psActiveProcessHead: 0xfffff8047c61e200n,
  pfnDataBase: 0xfffff8047c6fc500n,
  systemTime: 0x01d6e1c5b39a4e00n,
  systemUpTime: 0x23bc1e9n,
  buildNumber: 19041,
};

/** A plausible kernel-mode CONTEXT (CONTEXT_ALL, both MxCsr copies equal), overridable field by field. */
export function synthContext(over: ContextAmd64Patch = {}): ContextAmd64 {
  const base = zeroValues(CONTEXT_AMD64);
  const { FltSave, ...registers } = over;
  return {
    ...base,
    ContextFlags: CONTEXT_ALL,
    MxCsr: 0x1f80,
    SegCs: 0x10,
    SegDs: 0x2b,
    SegEs: 0x2b,
    SegFs: 0x53,
    SegGs: 0x2b,
    SegSs: 0x18,
    EFlags: 0x40286,
    Rip: SYNTH_DEFAULTS.bugCheckParameters[1],
    Rsp: 0xffff850429892120n,
    ...registers,
    FltSave: { ...base.FltSave, ControlWord: 0x27f, MxCsr: 0x1f80, MxCsr_Mask: 0xffff, ...FltSave },
  };
}

interface Piece {
  offset: bigint;
  bytes: Uint8Array;
}

interface Plan {
  pieces: Piece[];
  size: bigint;
  layout: SynthLayout;
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

function u32le(x: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, x >>> 0, true);
  return b;
}

/** Present PFN ranges → file offsets (prefix sums in the given order). */
function pageOffsets(ranges: PfnRange[], first: bigint): (pfn: bigint) => bigint | undefined {
  const starts: bigint[] = [];
  let acc = 0n;
  for (const r of ranges) {
    starts.push(acc);
    acc += r.pageCount;
  }
  return (pfn) => {
    for (let i = 0; i < ranges.length; i++) {
      const r = ranges[i]!;
      if (pfn >= r.basePage && pfn < r.basePage + r.pageCount) return first + (starts[i]! + pfn - r.basePage) * 0x1000n;
    }
    return undefined;
  };
}

function planBlobs(
  spec: SynthDumpSpec,
  at: bigint,
  pieces: Piece[],
): { end: bigint; area: bigint | undefined; blobs: SynthLayout['blobs'] } {
  if (spec.blobs === undefined) return { end: at, area: undefined, blobs: [] };
  const fh = encodeStruct(DUMP_BLOB_FILE_HEADER, {
    Signature1: DUMP_BLOB_SIGNATURE1,
    Signature2: DUMP_BLOB_SIGNATURE2,
    HeaderSize: DUMP_BLOB_FILE_HEADER.size,
    BuildNumber: spec.blobBuildNumber ?? blobBuildNumberFor(SYNTH_DEFAULTS.buildNumber),
  });
  pieces.push({ offset: at, bytes: fh });
  let cur = at + BigInt(fh.length);
  const blobs: SynthLayout['blobs'] = [];
  for (const b of spec.blobs) {
    const prePad = b.prePad ?? 0;
    const postPad = b.postPad ?? postPadFor(b.data.length);
    const h = encodeStruct(DUMP_BLOB_HEADER, {
      HeaderSize: b.headerSize ?? DUMP_BLOB_HEADER.size,
      Tag: b.guid,
      DataSize: b.dataSize ?? b.data.length,
      PrePad: prePad,
      PostPad: b.postPadField ?? postPad,
    });
    pieces.push({ offset: cur, bytes: h });
    const dataOffset = cur + BigInt(h.length + prePad);
    pieces.push({ offset: dataOffset, bytes: b.data });
    blobs.push({ headerOffset: cur, dataOffset });
    cur = dataOffset + BigInt(b.data.length + postPad);
  }
  return { end: cur, area: at, blobs };
}

/** The 3000-byte ContextRecord: the CONTEXT at its start, the rest zero (dumpformat.md §1). */
function contextRecord(over: ContextAmd64Patch | undefined): Uint8Array {
  const out = new Uint8Array(CONTEXT_RECORD64_SIZE);
  writeStruct(out, 0, CONTEXT_AMD64, synthContext(over));
  return out;
}

function header64Fields(spec: SynthDumpSpec): DumpHeader64Patch {
  const p = spec.bugCheckParameters ?? SYNTH_DEFAULTS.bugCheckParameters;
  const exception = {
    ...zeroValues(EXCEPTION_RECORD64),
    ExceptionCode: 0x80000003,
    ExceptionFlags: 1,
    ExceptionAddress: 0xfffff8047bdf5a80n,
    ...spec.exception,
  };
  return {
    MajorVersion: 0xf,
    MinorVersion: SYNTH_DEFAULTS.buildNumber,
    DirectoryTableBase: spec.directoryTableBase ?? 0x1ad000n,
    PfnDataBase: SYNTH_DEFAULTS.pfnDataBase,
    PsLoadedModuleList: spec.psLoadedModuleList ?? SYNTH_DEFAULTS.psLoadedModuleList,
    PsActiveProcessHead: SYNTH_DEFAULTS.psActiveProcessHead,
    MachineImageType: spec.machineImageType ?? 0x8664,
    NumberProcessors: spec.numberProcessors ?? 4,
    BugCheckCode: spec.bugCheckCode ?? SYNTH_DEFAULTS.bugCheckCode,
    BugCheckParameter1: p[0],
    BugCheckParameter2: p[1],
    BugCheckParameter3: p[2],
    BugCheckParameter4: p[3],
    KdDebuggerDataBlock: spec.kdDebuggerDataBlock ?? SYNTH_DEFAULTS.kdDebuggerDataBlock,
    ContextRecord: contextRecord(spec.context),
    Exception: exception,
    DumpType: spec.dumpType,
    SystemTime: SYNTH_DEFAULTS.systemTime,
    SystemUpTime: SYNTH_DEFAULTS.systemUpTime,
    ProductType: 1,
    SuiteMask: 0x110,
    WriterStatus: 0,
    Attributes: 0,
  };
}

function planTriage(spec: SynthDumpSpec, pieces: Piece[]): { sizeOfDump: bigint; fields: TriageDump64 } {
  const t = spec.triage ?? {};
  const w: Piece[] = [];
  let cur = DUMP_HEADER64.size + TRIAGE_DUMP64.size;
  const place = (bytes: Uint8Array, a = 8): number => {
    cur = align(cur, a);
    const at = cur;
    w.push({ offset: BigInt(at), bytes });
    cur += bytes.length;
    return at;
  };

  const mm = encodeStruct(DUMP_MM_STORAGE64, { Version: 1, Size: DUMP_MM_STORAGE64.size, ...t.mmInfo });
  const mmOffset = place(mm);

  const unloaded = t.unloadedDrivers ?? [];
  const ul = new Uint8Array(UNLOADED_DRIVERS_COUNT_SIZE + unloaded.length * DUMP_UNLOADED_DRIVER64.size);
  new DataView(ul.buffer).setBigUint64(0, BigInt(unloaded.length), true);
  unloaded.forEach((u, i) => {
    writeStruct(ul, UNLOADED_DRIVERS_COUNT_SIZE + i * DUMP_UNLOADED_DRIVER64.size, DUMP_UNLOADED_DRIVER64, {
      Name: { Length: u.name.length * 2, MaximumLength: u.name.length * 2, Buffer: 0n },
      DriverName: u.name.slice(0, 12),
      StartAddress: u.start,
      EndAddress: u.end,
    });
  });
  const unloadedOffset = place(ul);

  const prcbOffset = t.prcb ? place(t.prcb) : 0;
  const processOffset = t.process ? place(t.process) : 0;
  const threadOffset = t.thread ? place(t.thread) : 0;
  const stackOffset = t.stack ? place(t.stack.bytes) : 0;

  let kdbgOffset = 0;
  let kdbgSize = 0;
  if (t.kdbg !== null) {
    const kd = encodeKdDebuggerData(t.kdbg ?? {});
    kdbgOffset = place(kd);
    kdbgSize = kd.length;
  }

  const drivers = t.drivers ?? [];
  const driverTable = new Uint8Array(drivers.length * DUMP_DRIVER_ENTRY64.size);
  const driverListOffset = place(driverTable);
  const pool: Uint8Array[] = drivers.map((d) => encodeStringPoolEntry(d.name));
  const poolSize = pool.reduce((n, e) => n + e.length, 0);
  const poolBytes = new Uint8Array(poolSize);
  const stringPoolOffset = place(poolBytes);
  let poolCur = 0;
  drivers.forEach((d, i) => {
    poolBytes.set(pool[i]!, poolCur);
    writeStruct(driverTable, i * DUMP_DRIVER_ENTRY64.size, DUMP_DRIVER_ENTRY64, {
      DriverNameOffset: stringPoolOffset + poolCur,
      LdrEntry: {
        DllBase: d.base,
        SizeOfImage: d.size,
        CheckSum: d.checkSum ?? 0,
        TimeDateStamp: d.timeDateStamp ?? 0,
      },
    });
    poolCur += pool[i]!.length;
  });

  const blocks = t.dataBlocks ?? [];
  const blockTable = new Uint8Array(blocks.length * TRIAGE_DATA_BLOCK64.size);
  const dataBlocksOffset = place(blockTable);
  blocks.forEach((b, i) => {
    const at = place(b.bytes, 1);
    writeStruct(blockTable, i * TRIAGE_DATA_BLOCK64.size, TRIAGE_DATA_BLOCK64, {
      VirtualAddress: b.va,
      Offset: at,
      Size: b.bytes.length,
    });
  });

  const validOffset = align(cur, 8);
  const sizeOfDump = validOffset + 4;
  const fields: TriageDump64 = {
    ...zeroValues(TRIAGE_DUMP64),
    SizeOfDump: sizeOfDump,
    ValidOffset: validOffset,
    ContextOffset: 0x348,
    ExceptionOffset: 0xf00,
    MmOffset: mmOffset,
    UnloadedDriversOffset: unloadedOffset,
    PrcbOffset: prcbOffset,
    ProcessOffset: processOffset,
    ThreadOffset: threadOffset,
    CallStackOffset: stackOffset,
    SizeOfCallStack: t.stack?.bytes.length ?? 0,
    DriverListOffset: driverListOffset,
    DriverCount: drivers.length,
    StringPoolOffset: stringPoolOffset,
    StringPoolSize: poolSize,
    TriageOptions: 0xffffffff,
    TopOfStack: t.stack?.top ?? 0n,
    DebuggerDataOffset: kdbgOffset,
    DebuggerDataSize: kdbgSize,
    DataBlocksOffset: dataBlocksOffset,
    DataBlocksCount: blocks.length,
    ...t.fields,
  };
  pieces.push({ offset: BigInt(DUMP_HEADER64.size), bytes: encodeStruct(TRIAGE_DUMP64, fields) }, ...w, {
    offset: BigInt(validOffset),
    bytes: u32le(TRIAGE_DUMP_VALID),
  });
  return { sizeOfDump: BigInt(sizeOfDump), fields };
}

function plan(spec: SynthDumpSpec): Plan {
  const pieces: Piece[] = [];
  const memory = spec.memory;
  let bodyEnd: bigint;
  let pageOffset: SynthLayout['pageOffset'] = () => undefined;
  let firstPageOffset: bigint | undefined;
  let presentPages = 0n;
  let triage: TriageDump64 | undefined;
  let headerFields: DumpHeader64Patch = {};
  let headerSize = DUMP_HEADER64.size;

  const addPages = (ranges: PfnRange[], first: bigint): void => {
    pageOffset = pageOffsets(ranges, first);
    firstPageOffset = first;
    for (const r of ranges) presentPages += r.pageCount;
    if (memory === undefined) return;
    for (const [pfn, bytes] of memory.pages) {
      const at = pageOffset(pfn);
      if (at !== undefined) pieces.push({ offset: at, bytes });
    }
  };

  if (spec.is32) {
    headerSize = DUMP_HEADER32.size;
    let block: Uint8Array | undefined;
    bodyEnd = BigInt(DUMP_HEADER32.size);
    if (spec.dumpType === 1) {
      const runs = spec.runs ?? memory?.presentRanges() ?? [];
      block = encodePhysicalMemoryBlock32(runs);
      addPages(runs, bodyEnd);
      bodyEnd += runs.reduce((n, r) => n + r.pageCount, 0n) * 0x1000n;
    }
    const p = spec.bugCheckParameters ?? SYNTH_DEFAULTS.bugCheckParameters;
    const fields32: DumpHeader32Patch = {
      MajorVersion: 0xf,
      MinorVersion: 7601,
      DirectoryTableBase: 0x185000,
      PsLoadedModuleList: 0x82b8a850,
      PsActiveProcessHead: 0x82b82e98,
      MachineImageType: spec.machineImageType ?? 0x14c,
      NumberProcessors: spec.numberProcessors ?? 1,
      BugCheckCode: spec.bugCheckCode ?? SYNTH_DEFAULTS.bugCheckCode,
      BugCheckParameter1: Number(p[0] & 0xffffffffn),
      BugCheckParameter2: Number(p[1] & 0xffffffffn),
      BugCheckParameter3: Number(p[2] & 0xffffffffn),
      BugCheckParameter4: Number(p[3] & 0xffffffffn),
      KdDebuggerDataBlock: 0x82b6fc28,
      Exception: {
        ...zeroValues(EXCEPTION_RECORD32),
        ExceptionCode: 0x80000003,
        ExceptionFlags: 1,
        ExceptionAddress: 0x82a7e000,
      },
      DumpType: spec.dumpType,
      SystemTime: SYNTH_DEFAULTS.systemTime,
      SystemUpTime: SYNTH_DEFAULTS.systemUpTime,
      ProductType: 1,
      SuiteMask: 0x110,
      ...(block ? { PhysicalMemoryBlockBuffer: block } : {}),
    };
    const blobs = planBlobs(spec, bodyEnd, pieces);
    let size = blobs.end + BigInt(spec.tail?.length ?? 0);
    if (spec.tail) pieces.push({ offset: blobs.end, bytes: spec.tail });
    pieces.unshift({
      offset: 0n,
      bytes: encodeHeader32({ ...fields32, RequiredDumpSpace: size, ...spec.header32 }),
    });
    if (spec.truncateTo !== undefined) size = spec.truncateTo;
    return {
      pieces,
      size,
      layout: {
        fileSize: size,
        headerSize,
        bodyEnd,
        blobAreaOffset: blobs.area,
        blobs: blobs.blobs,
        pageOffset,
        firstPageOffset,
        presentPages,
        triage,
      },
    };
  }

  headerFields = header64Fields(spec);
  const start = BigInt(DUMP_HEADER64.size);
  switch (spec.dumpType) {
    case 1: {
      const runs = spec.runs ?? memory?.presentRanges() ?? [];
      headerFields.PhysicalMemoryBlockBuffer = encodePhysicalMemoryBlock64(runs);
      addPages(runs, start);
      bodyEnd = start + presentPages * 0x1000n;
      break;
    }
    case 5:
    case 6: {
      const ranges = memory?.presentRanges() ?? [];
      const last = ranges[ranges.length - 1];
      const maxPfn = last ? last.basePage + last.pageCount : 0n;
      const bits = spec.bitmap?.bits ?? ((maxPfn + 31n) / 32n) * 32n;
      if (bits < maxPfn) throw new Error('synth: bitmap too small for the memory');
      const bitmap = new Uint8Array(Number((bits + 7n) / 8n));
      for (const r of ranges) {
        for (let pfn = r.basePage; pfn < r.basePage + r.pageCount; pfn++) {
          const n = Number(pfn);
          bitmap[n >>> 3] = bitmap[n >>> 3]! | (1 << (n & 7));
        }
      }
      const first = start + BigInt(BITMAP_OFFSET + bitmap.length);
      addPages(ranges, first);
      const bh = encodeStruct(BITMAP_DUMP_HEADER64, {
        Signature:
          spec.bitmap?.signatureField ??
          ((spec.bitmap?.signature ?? (spec.dumpType === 5 ? 'FDMP' : 'SDMP')) === 'FDMP'
            ? DUMP_FULL_SIGNATURE
            : DUMP_SUMMARY_SIGNATURE),
        ValidDump: BITMAP_VALID_DUMP,
        DumpOptions: spec.bitmap?.dumpOptions ?? 0,
        HeaderSize: spec.bitmap?.headerSizeField ?? first,
        Pages: spec.bitmap?.pagesField ?? presentPages,
        BitmapSize: spec.bitmap?.bitmapSizeField ?? bits,
      });
      fillPage(bh, BITMAP_DUMP_HEADER64.fields.Reserved.offset, BITMAP_DUMP_HEADER64.fields.HeaderSize.offset);
      pieces.push({ offset: start, bytes: bh }, { offset: start + BigInt(BITMAP_OFFSET), bytes: bitmap });
      bodyEnd = first + presentPages * 0x1000n;
      break;
    }
    case 4: {
      headerFields.MiniDumpFields = 0xcff;
      const t = planTriage(spec, pieces);
      triage = t.fields;
      bodyEnd = t.sizeOfDump;
      break;
    }
    default:
      bodyEnd = start;
  }
  const blobs = planBlobs(spec, bodyEnd, pieces);
  let size = blobs.end + BigInt(spec.tail?.length ?? 0);
  if (spec.tail) pieces.push({ offset: blobs.end, bytes: spec.tail });
  pieces.unshift({
    offset: 0n,
    bytes: encodeHeader64({ ...headerFields, RequiredDumpSpace: size, ...spec.header }),
  });
  if (spec.truncateTo !== undefined) size = spec.truncateTo;
  return {
    pieces,
    size,
    layout: {
      fileSize: size,
      headerSize,
      bodyEnd,
      blobAreaOffset: blobs.area,
      blobs: blobs.blobs,
      pageOffset,
      firstPageOffset,
      presentPages,
      triage,
    },
  };
}

/** Upper bound for in-memory builds; bigger dumps go through writeDumpFile. */
export const MAX_BUFFER_DUMP = 256 * 1024 * 1024;

/** Builds a small dump in memory. */
export function buildDump(spec: SynthDumpSpec): { bytes: Uint8Array; layout: SynthLayout } {
  const p = plan(spec);
  if (p.size > BigInt(MAX_BUFFER_DUMP))
    throw new Error(`synth: ${p.size} bytes is too big for a buffer; use writeDumpFile`);
  const out = new Uint8Array(Number(p.size));
  for (const piece of p.pieces) {
    if (piece.offset >= p.size) continue;
    const room = Number(p.size - piece.offset);
    out.set(piece.bytes.length <= room ? piece.bytes : piece.bytes.subarray(0, room), Number(piece.offset));
  }
  return { bytes: out, layout: p.layout };
}

/** Writes a dump to `path`; pages never written stay file holes (sparse), so multi-GiB dumps are cheap. */
export async function writeDumpFile(spec: SynthDumpSpec, path: string): Promise<SynthLayout> {
  const p = plan(spec);
  const fh = await open(path, 'w');
  try {
    await fh.truncate(Number(p.size));
    for (const piece of p.pieces) {
      if (piece.offset >= p.size) continue;
      const room = Number(p.size - piece.offset);
      const bytes = piece.bytes.length <= room ? piece.bytes : piece.bytes.subarray(0, room);
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await fh.write(bytes, done, bytes.length - done, Number(piece.offset) + done);
        done += bytesWritten;
      }
    }
  } finally {
    await fh.close();
  }
  return p.layout;
}

export { PAGE };
