import {
  BITMAP_DUMP_HEADER64,
  CONTEXT_AMD64,
  DUMP_BLOB_FILE_HEADER,
  DUMP_HEADER32,
  DUMP_HEADER32_SIZE,
  DUMP_HEADER64,
  DUMP_HEADER64_SIZE,
  DumpFileAttribute,
  ImageFileMachine,
  PHYSICAL_MEMORY_BLOCK_SIZE,
  PHYSICAL_MEMORY_DESCRIPTOR64,
  PHYSICAL_MEMORY_RUN64,
  PHYSICAL_MEMORY_RUNS_OFFSET,
  MAX_PHYSICAL_MEMORY_RUNS64,
  TRIAGE_DUMP64,
  TriageDumpField,
  dumpTypeName,
  flagNames,
  isPageFiller,
  machineName,
  type Layout,
} from '../format/index.js';
import type { CrashDump } from '../dump/reader/index.js';
import { bugCheckName } from './bugcodes.js';
import {
  isFillerBytes,
  listStructure,
  type FieldNoter,
  type ListedField,
  type ListedStructure,
} from './structureListing.js';
import { plainStyle, type TextStyle } from './style.js';
import { fileTimeToIso, formatUptime } from './time.js';
import { maxOf, offsetHex, padVisible, windbgAddress } from './text.js';

/** What `bugcheck header` shows: the dump header and the header of the body, field by field with file offsets. */
export interface HeaderListing {
  /** WinDbg's `.dumpdebug` title, e.g. `64 bit Kernel Mini Dump Analysis`. */
  title: string;
  sections: ListedStructure[];
}

/**
 * The `.dumpdebug` title after `NN bit Kernel `. Both bitmap types are
 * "Bitmap" dumps; what tells them apart is the address space they hold.
 */
const DUMP_KIND_TITLE: Readonly<Record<number, string>> = {
  1: 'Full Dump Analysis',
  2: 'Summary Dump Analysis',
  3: 'Header Dump Analysis',
  4: 'Mini Dump Analysis',
  5: 'Bitmap Dump Analysis - Full address space is available',
  6: 'Bitmap Dump Analysis - Kernel address space is available, User address space may not be available',
};

function fourCc(value: number): string {
  let s = '';
  for (let i = 0; i < 4; i++) {
    const c = (value >>> (8 * i)) & 0xff;
    s += c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : '.';
  }
  return `'${s}'`;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function ansiText(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return Buffer.from(bytes.subarray(0, end < 0 ? bytes.length : end)).toString('latin1');
}

/** Meanings of DUMP_HEADER64/32 fields worth spelling out. */
function headerNoter(machineType: number): FieldNoter {
  return (name, value) => {
    if (typeof value === 'number' && isPageFiller(value) && name !== 'Signature') return 'PAGE filler (not written)';
    if (typeof value === 'bigint' && isPageFiller(value)) return 'PAGE filler (not written)';
    switch (name) {
      case 'Signature':
      case 'ValidDump':
        return num(value) === undefined ? undefined : fourCc(num(value)!);
      case 'MajorVersion':
        return value === 0xf ? 'Free build' : value === 0xc ? 'Checked build' : undefined;
      case 'MinorVersion':
        return typeof value === 'number' ? `build ${value}` : undefined;
      case 'MachineImageType':
        return typeof value === 'number' ? machineName(value) : undefined;
      case 'NumberProcessors':
        return typeof value === 'number' ? `${value} processors` : undefined;
      case 'BugCheckCode':
        return typeof value === 'number' ? bugCheckName(value) : undefined;
      case 'DumpType':
        return typeof value === 'number' ? dumpTypeName(value) : undefined;
      case 'SystemTime':
        return typeof value === 'bigint' ? fileTimeToIso(value) : undefined;
      case 'SystemUpTime':
        return typeof value === 'bigint' ? formatUptime(value) : undefined;
      case 'MiniDumpFields':
        return typeof value === 'number' && value !== 0 ? flagNames(value, TriageDumpField).join(' | ') : undefined;
      case 'Attributes':
        return typeof value === 'number' && value !== 0 ? flagNames(value, DumpFileAttribute).join(' | ') : undefined;
      case 'Comment':
        // Comment starts on a 4-byte boundary, where the filler pattern starts with `P`.
        return value instanceof Uint8Array && !isFillerBytes(value, 0) ? JSON.stringify(ansiText(value)) : undefined;
      case 'ContextRecord': {
        if (
          !(value instanceof Uint8Array) ||
          machineType !== ImageFileMachine.AMD64 ||
          value.length < CONTEXT_AMD64.size
        )
          return undefined;
        const c = CONTEXT_AMD64.decode(value, 0);
        return `CONTEXT (AMD64): Rip=${windbgAddress(c.Rip)} Rsp=${windbgAddress(c.Rsp)} ContextFlags=0x${c.ContextFlags.toString(16)}`;
      }
      default:
        return undefined;
    }
  };
}

function triageNoter(): FieldNoter {
  return (name, value) => {
    if (name === 'ValidOffset') return "offset of the 'TRGD' marker";
    if (name === 'SizeOfDump') return 'end of the triage dump; secondary data follows';
    if ((name === 'DriverCount' || name === 'DataBlocksCount') && typeof value === 'number') return `${value}`;
    return undefined;
  };
}

function bitmapNoter(): FieldNoter {
  return (name, value) => {
    if ((name === 'Signature' || name === 'ValidDump') && typeof value === 'number') return fourCc(value);
    if (name === 'HeaderSize') return 'file offset of the first page';
    if (name === 'Pages' && typeof value === 'bigint') return `${value} pages present`;
    if (name === 'BitmapSize' && typeof value === 'bigint') return `${value} bits`;
    return undefined;
  };
}

/** PHYSICAL_MEMORY_DESCRIPTOR64 head and the runs it declares (at most the 42 that fit). */
function listRuns(header: Uint8Array, base: number): ListedStructure {
  const block = header.subarray(base, base + PHYSICAL_MEMORY_BLOCK_SIZE);
  const head = listStructure(PHYSICAL_MEMORY_DESCRIPTOR64 as Layout<unknown>, block, base);
  const declared =
    block.length >= 4 ? new DataView(block.buffer, block.byteOffset, block.byteLength).getUint32(0, true) : 0;
  const count = Math.min(declared, MAX_PHYSICAL_MEMORY_RUNS64);
  const fields: ListedField[] = [...head.fields];
  for (let i = 0; i < count; i++) {
    const at = PHYSICAL_MEMORY_RUNS_OFFSET + i * PHYSICAL_MEMORY_RUN64.size;
    const run = listStructure(
      PHYSICAL_MEMORY_RUN64 as Layout<unknown>,
      block.subarray(at, at + PHYSICAL_MEMORY_RUN64.size),
      base + at,
    );
    for (const f of run.fields) fields.push({ ...f, name: `Run[${i}].${f.name}` });
  }
  return { structure: PHYSICAL_MEMORY_DESCRIPTOR64.name, offset: base, size: PHYSICAL_MEMORY_BLOCK_SIZE, fields };
}

/**
 * Up to `length` bytes at `offset` exactly as stored, through the dump's open
 * handle; fewer at the end of the file (a truncated dump still lists what it has).
 */
async function storedBytes(dump: CrashDump, offset: bigint, length: number): Promise<Uint8Array> {
  const available = dump.fileSize > offset ? dump.fileSize - offset : 0n;
  const n = available < BigInt(length) ? Number(available) : length;
  return n === 0 ? new Uint8Array(0) : dump.readRaw(offset, n);
}

/**
 * Reads the dump's header and body header as stored and lists every field
 * with its file offset (names and offsets come from the format layer's
 * layouts). Sections: DUMP_HEADER64/32; then PHYSICAL_MEMORY_DESCRIPTOR64
 * (full dumps), BITMAP_DUMP_HEADER64 (bitmap dumps) or TRIAGE_DUMP64
 * (triage dumps); then DUMP_BLOB_FILE_HEADER when there is secondary data.
 */
export async function dumpHeaderListing(dump: CrashDump): Promise<HeaderListing> {
  const is64 = dump.header.is64;
  const layout = (is64 ? DUMP_HEADER64 : DUMP_HEADER32) as Layout<unknown>;
  const headerSize = is64 ? DUMP_HEADER64_SIZE : DUMP_HEADER32_SIZE;
  const headerBytes = await storedBytes(dump, 0n, headerSize);
  const sections: ListedStructure[] = [
    listStructure(layout, headerBytes, 0, headerNoter(dump.header.machineImageType)),
  ];

  const body = dump.body;
  if (body.kind === 'full' && is64) {
    sections.push(listRuns(headerBytes, DUMP_HEADER64.offsets.PhysicalMemoryBlockBuffer));
  } else if (body.kind === 'bitmap') {
    const bytes = await storedBytes(dump, BigInt(headerSize), BITMAP_DUMP_HEADER64.size);
    sections.push(listStructure(BITMAP_DUMP_HEADER64 as Layout<unknown>, bytes, headerSize, bitmapNoter(), false));
  } else if (body.kind === 'triage') {
    const bytes = await storedBytes(dump, BigInt(headerSize), TRIAGE_DUMP64.size);
    sections.push(listStructure(TRIAGE_DUMP64 as Layout<unknown>, bytes, headerSize, triageNoter(), false));
  }

  const secondary = await dump.secondaryData();
  if (secondary.areaOffset !== undefined) {
    const bytes = await storedBytes(dump, secondary.areaOffset, DUMP_BLOB_FILE_HEADER.size);
    sections.push(
      listStructure(
        DUMP_BLOB_FILE_HEADER as Layout<unknown>,
        bytes,
        Number(secondary.areaOffset),
        (name, value) => {
          if ((name === 'Signature1' || name === 'Signature2') && typeof value === 'number') return fourCc(value);
          if (name === 'BuildNumber' && typeof value === 'number') return `build ${value & 0xffff}`;
          return undefined;
        },
        false,
      ),
    );
  }

  const kind = DUMP_KIND_TITLE[dump.dumpType] ?? `Type ${dump.dumpType} Dump Analysis`;
  return { title: `${is64 ? 64 : 32} bit Kernel ${kind}`, sections };
}

/** Human form: the title line, then per structure one line per field: offset, name, value, meaning. */
export function formatHeaderListing(listing: HeaderListing, style: TextStyle = plainStyle): string[] {
  const lines = [style.title(`----- ${listing.title}`), ''];
  for (const section of listing.sections) {
    const nameWidth =
      maxOf(
        section.fields.map((f) => f.name.length),
        8,
      ) + 2;
    const offsetWidth = maxOf(
      section.fields.map((f) => offsetHex(f.offset).length),
      5,
    );
    lines.push(
      style.title(`${section.structure}`) +
        style.dim(` (file offset ${offsetHex(section.offset)}, ${offsetHex(section.size)} bytes):`),
    );
    for (const f of section.fields) {
      const valueText = padVisible(style.value(f.value), 20);
      const note = f.note === undefined ? '' : `  ${f.note.startsWith('PAGE filler') ? style.dim(f.note) : f.note}`;
      lines.push(
        `  ${style.address(offsetHex(f.offset).padEnd(offsetWidth))}  ${style.label(f.name.padEnd(nameWidth))}${valueText}${note}`.trimEnd(),
      );
    }
    lines.push('');
  }
  return lines;
}
