/**
 * Where a seed's structure is: found once per seed by reading it with the
 * project's own reader and format layouts — header fields, the runs, the
 * bitmap header and bits, TRIAGE_DUMP64 and what its offsets point at, the
 * blob chain, the page-table entries that map the structures the commands
 * walk, the KDBG and the loaded-module entries. The mutator aims there.
 */
import {
  BITMAP_DUMP_HEADER64,
  DUMP_BLOB_FILE_HEADER,
  DUMP_BLOB_HEADER,
  DUMP_DRIVER_ENTRY64,
  DUMP_HEADER32,
  DUMP_HEADER64,
  DUMP_MM_STORAGE64,
  DUMP_UNLOADED_DRIVER64,
  KLDR_DATA_TABLE_ENTRY,
  PHYSICAL_MEMORY_DESCRIPTOR64,
  PHYSICAL_MEMORY_RUN64,
  TRIAGE_DATA_BLOCK64,
  TRIAGE_DUMP64,
  type FieldInfo,
} from '../src/format/index.js';
import { BytesDumpSource, type CrashDump, openDumpSource } from '../src/dump/reader/index.js';

export interface Target {
  name: string;
  offset: number;
  size: 1 | 2 | 4 | 8;
  /** Values that mean something for this field (valid DumpTypes, signatures…). */
  known?: bigint[];
  /** Page-table entries: the physical address of the table that holds them. */
  tablePa?: number;
}

export interface Region {
  name: string;
  offset: number;
  length: number;
}

export interface SeedTargets {
  name: string;
  bytes: Uint8Array;
  fields: Target[];
  regions: Region[];
  ptes: (Target & { tablePa: number })[];
  bitmap: { offset: number; length: number } | undefined;
  boundaries: number[];
  /** Offsets byte flips favour. */
  hot: number[];
}

const fourCC = (s: string): bigint =>
  BigInt(s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16)) | (BigInt(s.charCodeAt(3)) << 24n);

const KNOWN: Record<string, bigint[]> = {
  Signature: [fourCC('PAGE'), fourCC('SDMP'), fourCC('FDMP'), fourCC('DUMP')],
  ValidDump: [fourCC('DU64'), fourCC('DUMP')],
  DumpType: [0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 0x42n],
  MachineImageType: [0x8664n, 0x14cn, 0xaa64n, 0x1c4n, 0n],
  MajorVersion: [0xfn, 0xcn],
  HeaderSize: [0x10n, 0x20n, 0n, 0x1cn],
};

type AnyLayout = { name: string; fields: readonly FieldInfo[] };

function isLayout(codec: unknown): codec is AnyLayout {
  return typeof codec === 'object' && codec !== null && Array.isArray((codec as { fields?: unknown }).fields);
}

/** Every scalar field of a layout placed at `base` (nested structures flattened). */
function layoutFields(layout: AnyLayout, base: number, prefix: string, fileSize: number, out: Target[]): void {
  for (const f of layout.fields) {
    const name = `${prefix}.${f.name}`;
    if (isLayout(f.codec)) layoutFields(f.codec, base + f.offset, name, fileSize, out);
    else if ((f.size === 1 || f.size === 2 || f.size === 4 || f.size === 8) && /^[ui]\d+$/.test(f.kind)) {
      const at = base + f.offset;
      if (at + f.size > fileSize) continue;
      const known = KNOWN[f.name];
      out.push(known === undefined ? { name, offset: at, size: f.size } : { name, offset: at, size: f.size, known });
    }
  }
}

interface PhysRun {
  pfn: number;
  count: number;
  fileOffset: number;
}

/** PFN → file offset from the reader's own bulk read (one pass; seeds are small). */
async function physicalMap(dump: CrashDump): Promise<PhysRun[]> {
  const runs: PhysRun[] = [];
  try {
    for await (const chunk of dump.physicalChunks({ chunkBytes: 0x400000 }))
      for (const r of chunk.runs)
        runs.push({ pfn: Number(r.pfn), count: r.pageCount, fileOffset: Number(chunk.fileOffset) + r.byteOffset });
  } catch {
    // No physical memory (triage, header-only): no page-table targets.
  }
  return runs;
}

function fileOffsetOf(runs: readonly PhysRun[], pa: number): number | undefined {
  const pfn = Math.floor(pa / 0x1000);
  for (const r of runs)
    if (pfn >= r.pfn && pfn < r.pfn + r.count) return r.fileOffset + (pfn - r.pfn) * 0x1000 + (pa % 0x1000);
  return undefined;
}

const FRAME = 0x000ffffffffff000n;
const LEVELS = ['PML4E', 'PDPTE', 'PDE', 'PTE'] as const;

/** The x64 entries that map `va`, as file offsets. */
async function walkEntries(
  dump: CrashDump,
  runs: readonly PhysRun[],
  va: bigint,
  label: string,
  out: Map<number, Target & { tablePa: number }>,
): Promise<void> {
  let table = dump.header.directoryTableBase & FRAME;
  for (let level = 0; level < 4; level++) {
    const index = Number((va >> BigInt(39 - level * 9)) & 0x1ffn);
    const pa = Number(table) + index * 8;
    const at = fileOffsetOf(runs, pa);
    if (at === undefined) return;
    if (!out.has(at))
      out.set(at, { name: `${LEVELS[level]} of ${label}`, offset: at, size: 8, tablePa: Number(table) });
    const read = await dump.readPhysical(BigInt(pa), 8);
    const entry = new DataView(read.bytes.buffer, read.bytes.byteOffset, 8).getBigUint64(0, true);
    if ((entry & 1n) === 0n || (level > 0 && level < 3 && (entry & 0x80n) !== 0n)) return;
    table = entry & FRAME;
  }
}

async function fileOffsetOfVa(dump: CrashDump, runs: readonly PhysRun[], va: bigint): Promise<number | undefined> {
  const t = await dump.translate(va).catch(() => undefined);
  if (t === undefined) return undefined;
  if (t.status === 'triage') return Number(t.fileOffset);
  if (t.status === 'mapped' && t.inDump) return fileOffsetOf(runs, Number(t.pa));
  return undefined;
}

/** Reads the seed with the reader and lists where its structures are. */
export async function findTargets(name: string, bytes: Uint8Array): Promise<SeedTargets> {
  const fields: Target[] = [];
  const regions: Region[] = [];
  const boundaries = new Set<number>([0, 0x1000, 0x2000, bytes.length - 1, bytes.length]);
  const ptes = new Map<number, Target & { tablePa: number }>();
  let bitmap: SeedTargets['bitmap'];
  const dump = await openDumpSource(new BytesDumpSource(bytes, name));
  try {
    const is64 = dump.header.is64;
    layoutFields(is64 ? DUMP_HEADER64 : DUMP_HEADER32, 0, 'DUMP_HEADER', bytes.length, fields);
    const pmd = is64
      ? DUMP_HEADER64.offsets.PhysicalMemoryBlockBuffer
      : DUMP_HEADER32.offsets.PhysicalMemoryBlockBuffer;
    if (is64) {
      layoutFields(PHYSICAL_MEMORY_DESCRIPTOR64, pmd, 'PHYSICAL_MEMORY_DESCRIPTOR64', bytes.length, fields);
      for (let i = 0; i < 4; i++)
        layoutFields(PHYSICAL_MEMORY_RUN64, pmd + 0x10 + i * 0x10, `Run[${i}]`, bytes.length, fields);
      regions.push({ name: 'ContextRecord', offset: DUMP_HEADER64.offsets.ContextRecord, length: 0x4d0 });
    }
    const body = dump.body;
    if (body.kind === 'bitmap') {
      layoutFields(BITMAP_DUMP_HEADER64, 0x2000, 'BITMAP_DUMP_HEADER64', bytes.length, fields);
      const length = Math.min(Number((body.bitmapSize + 7n) / 8n), bytes.length - 0x2038);
      bitmap = { offset: 0x2038, length };
      boundaries.add(0x2038 + length).add(Number(body.firstPageOffset));
    }
    if (body.kind !== 'none' && body.end < BigInt(bytes.length)) boundaries.add(Number(body.end));
    if (body.kind === 'full') boundaries.add(Number(body.firstPageOffset));
    if (dump.triage !== undefined) {
      const base = 0x1000;
      layoutFields(TRIAGE_DUMP64, base, 'TRIAGE_DUMP64', bytes.length, fields);
      const t = dump.triage.fields;
      const add = (offset: number, layout: AnyLayout, label: string): void => {
        if (offset > 0 && offset < bytes.length) {
          layoutFields(layout, offset, label, bytes.length, fields);
          boundaries.add(offset);
        }
      };
      add(t.MmOffset, DUMP_MM_STORAGE64, 'DUMP_MM_STORAGE64');
      for (let i = 0; i < Math.min(3, t.DriverCount); i++)
        add(t.DriverListOffset + i * DUMP_DRIVER_ENTRY64.size, DUMP_DRIVER_ENTRY64, `Driver[${i}]`);
      if (t.UnloadedDriversOffset > 0 && t.UnloadedDriversOffset + 8 <= bytes.length) {
        fields.push({ name: 'UnloadedDrivers.Count', offset: t.UnloadedDriversOffset, size: 8 });
        add(t.UnloadedDriversOffset + 8, DUMP_UNLOADED_DRIVER64, 'UnloadedDriver[0]');
      }
      for (let i = 0; i < Math.min(4, t.DataBlocksCount); i++)
        add(t.DataBlocksOffset + i * TRIAGE_DATA_BLOCK64.size, TRIAGE_DATA_BLOCK64, `DataBlock[${i}]`);
      for (const [label, offset, length] of [
        ['StringPool', t.StringPoolOffset, Math.min(t.StringPoolSize, 0x400)],
        ['Prcb', t.PrcbOffset, 0x400],
        ['Thread', t.ThreadOffset, 0x400],
        ['Process', t.ProcessOffset, 0x400],
        ['CallStack', t.CallStackOffset, Math.min(t.SizeOfCallStack, 0x400)],
        ['DebuggerData', t.DebuggerDataOffset, Math.min(t.DebuggerDataSize, 0x400)],
      ] as const)
        if (offset > 0 && offset + length <= bytes.length && length > 0) {
          regions.push({ name: label, offset, length });
          boundaries.add(offset);
        }
    }
    const scan = await dump.secondaryData().catch(() => undefined);
    if (scan?.areaOffset !== undefined) {
      const area = Number(scan.areaOffset);
      layoutFields(DUMP_BLOB_FILE_HEADER, area, 'DUMP_BLOB_FILE_HEADER', bytes.length, fields);
      boundaries.add(area);
      for (const b of scan.blobs.slice(0, 16)) {
        const h = Number(b.headerOffset);
        layoutFields(DUMP_BLOB_HEADER, h, `Blob[${b.index}]`, bytes.length, fields);
        boundaries.add(h).add(Number(b.offset));
        if (b.size > 0)
          regions.push({ name: `Blob[${b.index}] data`, offset: Number(b.offset), length: Math.min(b.size, 0x100) });
      }
    }
    // Memory the walks read: KDBG, the module list, and the page tables that map them (x64 full/bitmap).
    const runs = await physicalMap(dump);
    const vas: [bigint, string][] = [
      [dump.header.kdDebuggerDataBlock, 'KDBG'],
      [dump.header.psLoadedModuleList, 'PsLoadedModuleList'],
      ...dump.header.bugCheckParameters.map((p, i): [bigint, string] => [p, `BugCheckParameter${i + 1}`]),
    ];
    const list = await dump.modules().catch(() => undefined);
    for (const m of list?.loaded.slice(0, 4) ?? []) {
      vas.push([m.base, m.name], [m.entryOffset, `ldr entry of ${m.name}`]);
      const at = dump.triage !== undefined ? Number(m.entryOffset) : await fileOffsetOfVa(dump, runs, m.entryOffset);
      if (at !== undefined && at + KLDR_DATA_TABLE_ENTRY.size <= bytes.length)
        layoutFields(KLDR_DATA_TABLE_ENTRY, at, `KLDR_DATA_TABLE_ENTRY(${m.name})`, bytes.length, fields);
    }
    const kdbg = await fileOffsetOfVa(dump, runs, dump.header.kdDebuggerDataBlock);
    if (kdbg !== undefined)
      regions.push({ name: 'KDBG', offset: kdbg, length: Math.min(0x340, 0x1000 - (kdbg % 0x1000)) });
    const listHead = await fileOffsetOfVa(dump, runs, dump.header.psLoadedModuleList);
    if (listHead !== undefined)
      fields.push(
        { name: 'PsLoadedModuleList.Flink', offset: listHead, size: 8 },
        { name: 'PsLoadedModuleList.Blink', offset: listHead + 8, size: 8 },
      );
    if (dump.machine.type === 0x8664 && runs.length > 0)
      for (const [va, label] of vas) await walkEntries(dump, runs, va, label, ptes);
  } finally {
    await dump.close();
  }
  const hot = [...new Set([...fields.map((f) => f.offset), ...regions.map((r) => r.offset)])];
  return {
    name,
    bytes,
    fields,
    regions,
    ptes: [...ptes.values()],
    bitmap,
    boundaries: [...boundaries].filter((b) => b >= 0 && b <= bytes.length).sort((a, b) => a - b),
    hot,
  };
}
