import {
  IMAGE_DATA_DIRECTORY,
  IMAGE_DOS_HEADER,
  IMAGE_DOS_SIGNATURE,
  IMAGE_EXPORT_DIRECTORY,
  IMAGE_FILE_HEADER,
  IMAGE_NT_OPTIONAL_HDR64_MAGIC,
  IMAGE_NT_SIGNATURE,
  IMAGE_NUMBEROF_DIRECTORY_ENTRIES,
  IMAGE_OPTIONAL_HEADER64,
  IMAGE_SECTION_HEADER,
  ImageDirectoryEntry,
  ImageSectionCharacteristics,
  RUNTIME_FUNCTION,
} from '../format/index.js';
import type { VirtualMemory } from './memory.js';
import { NOT_CACHED, readNow, u16At, u32At } from './memory.js';
import { debuggerModuleName, type ModuleRange } from './modules.js';

/**
 * Loaded PE32+ images read back from a dump's memory (never from disk): the
 * headers, the section table, the exception directory (.pdata: x64
 * RUNTIME_FUNCTION entries) and the export directory. Everything is read
 * through VirtualMemory, so an image whose pages are not in the dump (every
 * driver of a triage dump) simply has no sections, unwind data or exports.
 * Offsets and sizes come from the format layer's winnt.h layouts (src/format/pe.ts, unwind.ts); the
 * reads stay field by field so a header cut short by a missing page still yields what is there.
 */

const DOS_E_LFANEW = IMAGE_DOS_HEADER.offsets.e_lfanew;
const FILE_HEADER_SIZE = IMAGE_FILE_HEADER.size;
const FILE_NUMBER_OF_SECTIONS = IMAGE_FILE_HEADER.offsets.NumberOfSections;
const FILE_SIZE_OF_OPTIONAL_HEADER = IMAGE_FILE_HEADER.offsets.SizeOfOptionalHeader;
const OPT64_NUMBER_OF_RVA_AND_SIZES = IMAGE_OPTIONAL_HEADER64.offsets.NumberOfRvaAndSizes;
const OPT64_DATA_DIRECTORY = IMAGE_OPTIONAL_HEADER64.offsets.DataDirectory;
const SECTION_HEADER_SIZE = IMAGE_SECTION_HEADER.size;
const SECTION = IMAGE_SECTION_HEADER.offsets;
const EXPORTS = IMAGE_EXPORT_DIRECTORY.offsets;
/** RUNTIME_FUNCTION (x64): BeginAddress, EndAddress, UnwindInfoAddress, all RVAs. */
export const RUNTIME_FUNCTION_SIZE = RUNTIME_FUNCTION.size;

/** Limits that keep a crafted header from making us read or hold much. */
const MAX_SECTIONS = 96;
const MAX_EXPORT_NAMES = 0x10000;
const MAX_EXPORT_NAME_BYTES = 256;
const MAX_HEADER_BYTES = 0x1000;

export interface SectionInfo {
  name: string;
  rva: number;
  size: number;
  characteristics: number;
}

export interface ImageHeaders {
  sections: SectionInfo[];
  exception?: { rva: number; size: number };
  export?: { rva: number; size: number };
}

export interface RuntimeFunction {
  begin: number;
  end: number;
  unwindData: number;
}

export interface ExportedSymbol {
  rva: number;
  name: string;
}

export interface ModuleImage {
  module: ModuleRange;
  /** `nt`, `amdppm`. */
  name: string;
  /** Headers read from the image base; undefined when they are not in the dump. */
  headers: ImageHeaders | undefined;
}

function directory(
  headerBytes: Uint8Array,
  optional: number,
  index: number,
): { rva: number; size: number } | undefined {
  const at = optional + OPT64_DATA_DIRECTORY + index * IMAGE_DATA_DIRECTORY.size;
  if (at + 8 > headerBytes.length) return undefined;
  const rva = u32At(headerBytes, at);
  const size = u32At(headerBytes, at + 4);
  return rva === 0 || size === 0 ? undefined : { rva, size };
}

/** Parses the headers at `base` (all reads bounded by MAX_HEADER_BYTES); undefined when absent or not PE32+. */
export async function readImageHeaders(memory: VirtualMemory, base: bigint): Promise<ImageHeaders | undefined> {
  const dos = await memory.read(base, 0x40);
  if (dos === undefined || u16At(dos, 0) !== IMAGE_DOS_SIGNATURE) return undefined;
  const lfanew = u32At(dos, DOS_E_LFANEW);
  if (lfanew < 0x40 || lfanew > MAX_HEADER_BYTES - 0x100) return undefined;
  const nt = await memory.read(base + BigInt(lfanew), 4 + FILE_HEADER_SIZE);
  if (nt === undefined || u32At(nt, 0) !== IMAGE_NT_SIGNATURE) return undefined;
  const sectionCount = Math.min(u16At(nt, 4 + FILE_NUMBER_OF_SECTIONS), MAX_SECTIONS);
  const optionalSize = u16At(nt, 4 + FILE_SIZE_OF_OPTIONAL_HEADER);
  const optionalAt = lfanew + 4 + FILE_HEADER_SIZE;
  const sectionsAt = optionalAt + optionalSize;
  const end = Math.min(sectionsAt + sectionCount * SECTION_HEADER_SIZE, MAX_HEADER_BYTES);
  if (optionalSize < OPT64_DATA_DIRECTORY) return undefined;
  // The optional header first (it must be there); the section table only if it is.
  const headerBytes = await memory.read(base, sectionsAt);
  if (headerBytes === undefined || u16At(headerBytes, optionalAt) !== IMAGE_NT_OPTIONAL_HDR64_MAGIC) return undefined;
  const directories = Math.min(
    u32At(headerBytes, optionalAt + OPT64_NUMBER_OF_RVA_AND_SIZES),
    IMAGE_NUMBEROF_DIRECTORY_ENTRIES,
  );
  const out: ImageHeaders = { sections: [] };
  const { EXCEPTION, EXPORT } = ImageDirectoryEntry;
  const exception = directories > EXCEPTION ? directory(headerBytes, optionalAt, EXCEPTION) : undefined;
  const exports = directories > EXPORT ? directory(headerBytes, optionalAt, EXPORT) : undefined;
  if (exception !== undefined) out.exception = exception;
  if (exports !== undefined) out.export = exports;
  const table = end > sectionsAt ? await memory.read(base + BigInt(sectionsAt), end - sectionsAt) : undefined;
  if (table !== undefined) {
    for (let at = 0; at + SECTION_HEADER_SIZE <= table.length; at += SECTION_HEADER_SIZE) {
      let name = '';
      for (let i = 0; i < 8 && table[at + SECTION.Name + i] !== 0; i++)
        name += String.fromCharCode(table[at + SECTION.Name + i]!);
      out.sections.push({
        name,
        size: u32At(table, at + SECTION.VirtualSize),
        rva: u32At(table, at + SECTION.VirtualAddress),
        characteristics: u32At(table, at + SECTION.Characteristics),
      });
    }
  }
  return out;
}

/**
 * Modules sorted by base for address lookups, with each image's headers,
 * unwind entries and exports read on first use and kept.
 */
export class ImageCatalog {
  private readonly sorted: ModuleRange[];
  private readonly images = new Map<ModuleRange, Promise<ModuleImage>>();
  /** The images whose headers have been read (what isExecutableNow can answer from). */
  private readonly imagesRead = new Map<ModuleRange, ModuleImage>();
  private readonly exportTables = new Map<ModuleRange, Promise<ExportedSymbol[] | undefined>>();
  /** [lowest, end): where any module lies. A stack scan asks about every slot, most of them pool or stack addresses outside it. */
  private readonly lowest: bigint;
  private end = 0n;

  /** [lowest, end): where any module lies (empty when end <= lowest). */
  get span(): { lowest: bigint; end: bigint } {
    return { lowest: this.lowest, end: this.end };
  }

  constructor(
    readonly memory: VirtualMemory,
    modules: readonly ModuleRange[],
  ) {
    this.sorted = modules.filter((m) => m.size > 0).sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
    this.lowest = this.sorted[0]?.base ?? 0n;
    for (const m of this.sorted) if (m.base + BigInt(m.size) > this.end) this.end = m.base + BigInt(m.size);
  }

  /** The module whose [base, base + size) holds `address`. */
  moduleAt(address: bigint): ModuleRange | undefined {
    if (address < this.lowest || address >= this.end) return undefined;
    let lo = 0;
    let hi = this.sorted.length - 1;
    let found: ModuleRange | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = this.sorted[mid]!;
      if (m.base <= address) {
        found = m;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Overlapping entries (a crafted list) are possible: look back for one that covers the address.
    for (let i = lo - 1; i >= 0 && i >= lo - 8; i--) {
      const m = this.sorted[i]!;
      if (address >= m.base && address < m.base + BigInt(m.size)) return m;
    }
    return found !== undefined && address < found.base + BigInt(found.size) ? found : undefined;
  }

  image(module: ModuleRange): Promise<ModuleImage> {
    let p = this.images.get(module);
    if (p === undefined) {
      p = readImageHeaders(this.memory, module.base).then((headers) => {
        const image = { module, name: debuggerModuleName(module.name), headers };
        this.imagesRead.set(module, image);
        return image;
      });
      this.images.set(module, p);
    }
    return p;
  }

  /**
   * Whether `address` lies in an executable section: true/false when the
   * section table is in the dump, undefined when it cannot be told.
   */
  async isExecutable(module: ModuleRange, address: bigint): Promise<boolean | undefined> {
    return executableIn(await this.image(module), address);
  }

  /** isExecutable() answered at once once the image's headers have been read, else NOT_CACHED. */
  isExecutableNow(module: ModuleRange, address: bigint): boolean | undefined | typeof NOT_CACHED {
    const img = this.imagesRead.get(module);
    return img === undefined ? NOT_CACHED : executableIn(img, address);
  }

  /**
   * The RUNTIME_FUNCTION covering `rva` (binary search over the exception
   * directory, entries read one at a time through the page cache).
   * `'no-data'` when the directory is not in the dump; undefined when it is
   * but no entry covers the address (a leaf function).
   */
  async runtimeFunction(module: ModuleRange, rva: number): Promise<RuntimeFunction | undefined | 'no-data'> {
    // The image and the entries are usually held already: no await for them then.
    const dir = (this.imagesRead.get(module) ?? (await this.image(module))).headers?.exception;
    if (dir === undefined) return 'no-data';
    const count = Math.floor(dir.size / RUNTIME_FUNCTION_SIZE);
    if (count === 0) return undefined;
    let lo = 0;
    let hi = count - 1;
    let seen = false;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = module.base + BigInt(dir.rva + mid * RUNTIME_FUNCTION_SIZE);
      let b = readNow(this.memory, at, RUNTIME_FUNCTION_SIZE);
      if (b === NOT_CACHED) b = await this.memory.read(at, RUNTIME_FUNCTION_SIZE);
      let e: RuntimeFunction | undefined;
      if (b !== undefined) {
        const f = RUNTIME_FUNCTION.decode(b);
        e = { begin: f.BeginAddress, end: f.EndAddress, unwindData: f.UnwindInfoAddress };
      }
      if (e === undefined) return seen ? undefined : 'no-data';
      seen = true;
      if (rva < e.begin) hi = mid - 1;
      else if (rva >= e.end) lo = mid + 1;
      else return e;
    }
    return undefined;
  }

  /** Named exports sorted by RVA (forwarders left out); undefined when the export directory is not in the dump. */
  exports(module: ModuleRange): Promise<ExportedSymbol[] | undefined> {
    let p = this.exportTables.get(module);
    if (p === undefined) {
      p = this.readExports(module);
      this.exportTables.set(module, p);
    }
    return p;
  }

  private async readExports(module: ModuleRange): Promise<ExportedSymbol[] | undefined> {
    const dir = (await this.image(module)).headers?.export;
    if (dir === undefined) return undefined;
    const m = this.memory;
    const base = module.base;
    const d = await m.read(base + BigInt(dir.rva), IMAGE_EXPORT_DIRECTORY.size);
    if (d === undefined) return undefined;
    const functionCount = Math.min(u32At(d, EXPORTS.NumberOfFunctions), MAX_EXPORT_NAMES);
    const nameCount = Math.min(u32At(d, EXPORTS.NumberOfNames), MAX_EXPORT_NAMES);
    const readArray = async (rva: number, count: number, width: 2 | 4): Promise<number[] | undefined> => {
      const out: number[] = [];
      const chunk = 0x10000;
      for (let done = 0; done < count * width; done += chunk) {
        const n = Math.min(chunk, count * width - done);
        const b = await m.read(base + BigInt(rva + done), n);
        if (b === undefined) return undefined;
        for (let i = 0; i + width <= b.length; i += width) out.push(width === 2 ? u16At(b, i) : u32At(b, i));
      }
      return out;
    };
    const functions = await readArray(u32At(d, EXPORTS.AddressOfFunctions), functionCount, 4);
    const names = await readArray(u32At(d, EXPORTS.AddressOfNames), nameCount, 4);
    const ordinals = await readArray(u32At(d, EXPORTS.AddressOfNameOrdinals), nameCount, 2);
    if (functions === undefined || names === undefined || ordinals === undefined) return undefined;
    const symbols: ExportedSymbol[] = [];
    for (let i = 0; i < nameCount; i++) {
      const rva = functions[ordinals[i]!];
      if (rva === undefined || rva === 0) continue;
      // An RVA inside the export directory is a forwarder string ("HAL.Foo"), not code.
      if (rva >= dir.rva && rva < dir.rva + dir.size) continue;
      const name = await this.readName(base + BigInt(names[i]!));
      if (name !== undefined && name.length > 0) symbols.push({ rva, name });
    }
    return symbols.sort((a, b) => a.rva - b.rva || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private async readName(va: bigint): Promise<string | undefined> {
    let text = '';
    let done = 0;
    while (done < MAX_EXPORT_NAME_BYTES) {
      const at = va + BigInt(done);
      // Never across a page end in one read: the next page may be missing although the name ends before it.
      const n = Math.min(64, 0x1000 - Number(at & 0xfffn));
      const chunk = await this.memory.read(at, n);
      if (chunk === undefined) return undefined;
      done += n;
      for (const byte of chunk) {
        if (byte === 0) return text;
        if (byte < 0x20 || byte > 0x7e) return undefined;
        text += String.fromCharCode(byte);
      }
    }
    return text;
  }
}

/** The last export at or below `rva`, by binary search. */
export function nearestExport(exports: readonly ExportedSymbol[], rva: number): ExportedSymbol | undefined {
  let lo = 0;
  let hi = exports.length - 1;
  let found: ExportedSymbol | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const e = exports[mid]!;
    if (e.rva <= rva) {
      found = e;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Whether `address` lies in an executable section of `img` (see ImageCatalog.isExecutable). */
function executableIn(img: ModuleImage, address: bigint): boolean | undefined {
  const module = img.module;
  const sections = img.headers?.sections;
  if (sections === undefined || sections.length === 0) return undefined;
  const rva = Number(address - module.base);
  const s = sections.find((x) => rva >= x.rva && rva < x.rva + Math.max(x.size, 1));
  if (s === undefined) return rva < 0x1000 ? false : undefined;
  return (s.characteristics & (ImageSectionCharacteristics.MEM_EXECUTE | ImageSectionCharacteristics.CNT_CODE)) !== 0;
}
