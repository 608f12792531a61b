import {
  IMAGE_DATA_DIRECTORY,
  IMAGE_DOS_HEADER,
  IMAGE_DOS_SIGNATURE,
  IMAGE_EXPORT_DIRECTORY,
  IMAGE_FILE_MACHINE_AMD64,
  IMAGE_NT_HEADERS64,
  IMAGE_NT_OPTIONAL_HDR64_MAGIC,
  IMAGE_NT_SIGNATURE,
  IMAGE_OPTIONAL_HEADER64,
  IMAGE_NUMBEROF_DIRECTORY_ENTRIES,
  IMAGE_SECTION_HEADER,
  IMAGE_SUBSYSTEM_NATIVE,
  ImageDirectoryEntry,
  ImageDllCharacteristics,
  ImageFileCharacteristics,
  ImageSectionCharacteristics,
  RUNTIME_FUNCTION,
  sectionName,
  type ImageDataDirectory,
} from '../format/index.js';

/**
 * The first page of a loaded image — a PE32+ header (DOS header, NT headers,
 * a `.text` and a `.data` section) whose data directories point at the
 * image's export directory and exception directory (`.pdata`) — and the
 * builder of those two tables. Debuggers identify a module by TimeDateStamp,
 * CheckSum and SizeOfImage, name addresses from the export table and unwind
 * stacks with the exception directory.
 */
export interface PeHeaderFields {
  imageBase: bigint;
  sizeOfImage: number;
  entryPointRva: number;
  timeDateStamp: number;
  checkSum: number;
  /** IMAGE_FILE_DLL for .dll images. */
  isDll: boolean;
  /** `.text` is [0x1000, textEnd) (code, and the export and exception tables merged into it); `.data` the rest. */
  textEnd: number;
  exportDirectory: ImageDataDirectory;
  exceptionDirectory: ImageDataDirectory;
}

export const E_LFANEW = 0xf0;
export const PE_HEADER_BYTES = 0x400;
const SECTION_TABLE = E_LFANEW + IMAGE_NT_HEADERS64.size;
/** Offset of DataDirectory[0] from the image base (what ModuleList rewrites when the tables change). */
export const DATA_DIRECTORY_OFFSET =
  E_LFANEW + IMAGE_NT_HEADERS64.offsets.OptionalHeader + IMAGE_OPTIONAL_HEADER64.offsets.DataDirectory;

/** `.text` ends here for an image of this size unless the caller chooses: three quarters of what follows the header page. */
export function defaultTextEnd(sizeOfImage: number): number {
  const text = Math.max(0x1000, Math.floor(((sizeOfImage - 0x1000) * 3) / 4 / 0x1000) * 0x1000);
  return Math.min(0x1000 + text, Math.ceil(sizeOfImage / 0x1000) * 0x1000);
}

export function buildPeHeader(fields: PeHeaderFields): Uint8Array {
  const out = new Uint8Array(PE_HEADER_BYTES);
  IMAGE_DOS_HEADER.encodeInto(out, 0, {
    e_magic: IMAGE_DOS_SIGNATURE,
    e_cblp: 0x90,
    e_cp: 3,
    e_cparhdr: 4,
    e_maxalloc: 0xffff,
    e_sp: 0xb8,
    e_lfarlc: 0x40,
    e_lfanew: E_LFANEW,
  });
  const size = Math.ceil(fields.sizeOfImage / 0x1000) * 0x1000;
  const textSize = fields.textEnd - 0x1000;
  const dataSize = Math.max(0, size - fields.textEnd);
  const directories = Array.from({ length: IMAGE_NUMBEROF_DIRECTORY_ENTRIES }, () => IMAGE_DATA_DIRECTORY.zero());
  directories[ImageDirectoryEntry.EXPORT] = fields.exportDirectory;
  directories[ImageDirectoryEntry.EXCEPTION] = fields.exceptionDirectory;
  IMAGE_NT_HEADERS64.encodeInto(out, E_LFANEW, {
    Signature: IMAGE_NT_SIGNATURE,
    FileHeader: {
      Machine: IMAGE_FILE_MACHINE_AMD64,
      NumberOfSections: dataSize > 0 ? 2 : 1,
      TimeDateStamp: fields.timeDateStamp >>> 0,
      PointerToSymbolTable: 0,
      NumberOfSymbols: 0,
      SizeOfOptionalHeader: IMAGE_OPTIONAL_HEADER64.size,
      Characteristics:
        ImageFileCharacteristics.EXECUTABLE_IMAGE |
        ImageFileCharacteristics.LARGE_ADDRESS_AWARE |
        (fields.isDll ? ImageFileCharacteristics.DLL : 0),
    },
    OptionalHeader: {
      Magic: IMAGE_NT_OPTIONAL_HDR64_MAGIC,
      MajorLinkerVersion: 14,
      MinorLinkerVersion: 20,
      SizeOfCode: textSize,
      SizeOfInitializedData: dataSize,
      SizeOfUninitializedData: 0,
      AddressOfEntryPoint: fields.entryPointRva >>> 0,
      BaseOfCode: 0x1000,
      ImageBase: fields.imageBase,
      SectionAlignment: 0x1000,
      FileAlignment: 0x200,
      MajorOperatingSystemVersion: 10,
      MinorOperatingSystemVersion: 0,
      MajorImageVersion: 10,
      MinorImageVersion: 0,
      MajorSubsystemVersion: 10,
      MinorSubsystemVersion: 0,
      Win32VersionValue: 0,
      SizeOfImage: fields.sizeOfImage >>> 0,
      SizeOfHeaders: PE_HEADER_BYTES,
      CheckSum: fields.checkSum >>> 0,
      Subsystem: IMAGE_SUBSYSTEM_NATIVE,
      DllCharacteristics:
        ImageDllCharacteristics.HIGH_ENTROPY_VA |
        ImageDllCharacteristics.DYNAMIC_BASE |
        ImageDllCharacteristics.FORCE_INTEGRITY |
        ImageDllCharacteristics.NX_COMPAT |
        ImageDllCharacteristics.GUARD_CF,
      SizeOfStackReserve: 0x40000n,
      SizeOfStackCommit: 0x1000n,
      SizeOfHeapReserve: 0x100000n,
      SizeOfHeapCommit: 0x1000n,
      LoaderFlags: 0,
      NumberOfRvaAndSizes: IMAGE_NUMBEROF_DIRECTORY_ENTRIES,
      DataDirectory: directories,
    },
  });
  IMAGE_SECTION_HEADER.encodeInto(out, SECTION_TABLE, {
    Name: sectionName('.text'),
    VirtualSize: textSize,
    VirtualAddress: 0x1000,
    SizeOfRawData: textSize,
    PointerToRawData: 0x400,
    Characteristics:
      ImageSectionCharacteristics.CNT_CODE |
      ImageSectionCharacteristics.MEM_NOT_PAGED |
      ImageSectionCharacteristics.MEM_EXECUTE |
      ImageSectionCharacteristics.MEM_READ,
  });
  if (dataSize > 0) {
    IMAGE_SECTION_HEADER.encodeInto(out, SECTION_TABLE + IMAGE_SECTION_HEADER.size, {
      Name: sectionName('.data'),
      VirtualSize: dataSize,
      VirtualAddress: fields.textEnd,
      SizeOfRawData: dataSize,
      PointerToRawData: 0x400 + textSize,
      Characteristics:
        ImageSectionCharacteristics.CNT_INITIALIZED_DATA |
        ImageSectionCharacteristics.MEM_NOT_PAGED |
        ImageSectionCharacteristics.MEM_READ |
        ImageSectionCharacteristics.MEM_WRITE,
    });
  }
  return out;
}

/** A routine as the image tables describe it. */
export interface TableRoutine {
  name: string;
  rva: number;
  /** Bytes it occupies (EndAddress = rva + length: its slot, int 3 padding included). */
  length: number;
  /** Its encoded UNWIND_INFO (identical ones are stored once). */
  unwind: Uint8Array;
}

export interface ImageTables {
  /** Image-relative start of `bytes`. */
  startRva: number;
  bytes: Uint8Array;
  exportDirectory: ImageDataDirectory;
  exceptionDirectory: ImageDataDirectory;
  /** Routines whose names are in the export table (all of them unless the area was too small). */
  exported: number;
}

const EXPORT_ARRAYS_PER_ROUTINE = 4 + 4 + 2;

function nameBytes(name: string): Uint8Array {
  return Buffer.from(`${name.replace(/\0/g, '?')}\0`, 'utf8');
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** Upper bound of the table bytes for `count` routines with `nameTotal` name bytes (NULs included) and `unwindTotal` distinct unwind bytes. */
export function imageTablesBound(imageName: string, count: number, nameTotal: number, unwindTotal: number): number {
  const fixed = count * RUNTIME_FUNCTION.size + unwindTotal;
  const exports =
    IMAGE_EXPORT_DIRECTORY.size + nameBytes(imageName).length + count * EXPORT_ARRAYS_PER_ROUTINE + nameTotal;
  return fixed + exports + TABLE_SLACK;
}

/** Alignment padding the packing may add (two 4-byte alignments, the 16-byte start, the name-fit margin). */
const TABLE_SLACK = 48;

/** Bytes `name` takes in the export name table (UTF-8, NUL-terminated). */
export function exportNameLength(name: string): number {
  return nameBytes(name).length;
}

/**
 * The exception directory (RUNTIME_FUNCTIONs sorted by address, each with its
 * UNWIND_INFO) and the export directory (every routine exported by name,
 * ordinals in address order, names sorted as the loader's binary search
 * needs), packed at the top of [areaStartRva, areaEndRva). If the export
 * names do not all fit, the routines at the highest addresses go unnamed;
 * the exception directory always covers every routine.
 */
export function buildImageTables(
  imageName: string,
  timeDateStamp: number,
  routines: readonly TableRoutine[],
  areaStartRva: number,
  areaEndRva: number,
): ImageTables {
  const sorted = [...routines].sort((a, b) => a.rva - b.rva);
  const unwindAt = new Map<string, number>();
  const unwinds: Uint8Array[] = [];
  let unwindBytes = 0;
  const unwindIndex = sorted.map((r) => {
    const key = Buffer.from(r.unwind).toString('hex');
    let at = unwindAt.get(key);
    if (at === undefined) {
      at = unwindBytes;
      unwindAt.set(key, at);
      unwinds.push(r.unwind);
      unwindBytes += align(r.unwind.length, 4);
    }
    return at;
  });
  const names = sorted.map((r) => nameBytes(r.name));
  const moduleName = nameBytes(imageName);
  const fixed = sorted.length * RUNTIME_FUNCTION.size + unwindBytes;
  const room = areaEndRva - areaStartRva - fixed - TABLE_SLACK;
  // Take as many names (in address order) as fit.
  let exported = 0;
  let exportBytes = IMAGE_EXPORT_DIRECTORY.size + moduleName.length;
  while (exported < sorted.length) {
    const next = exportBytes + EXPORT_ARRAYS_PER_ROUTINE + names[exported]!.length;
    if (next > room) break;
    exportBytes = next;
    exported++;
  }
  const total = align(fixed, 4) + align(exportBytes, 4);
  const startRva = Math.floor((areaEndRva - total) / 16) * 16;
  const bytes = new Uint8Array(areaEndRva - startRva);
  const v = new DataView(bytes.buffer);
  // .pdata first, then the unwind infos, then the export directory and its arrays and names.
  const pdataOffset = 0;
  const unwindOffset = sorted.length * RUNTIME_FUNCTION.size;
  let at = unwindOffset;
  for (const u of unwinds) {
    bytes.set(u, at);
    at += align(u.length, 4);
  }
  sorted.forEach((r, i) => {
    RUNTIME_FUNCTION.encodeInto(bytes, pdataOffset + i * RUNTIME_FUNCTION.size, {
      BeginAddress: r.rva,
      EndAddress: r.rva + r.length,
      UnwindInfoAddress: startRva + unwindOffset + unwindIndex[i]!,
    });
  });
  const exportOffset = align(at, 4);
  const functionsOffset = exportOffset + IMAGE_EXPORT_DIRECTORY.size;
  const namesOffset = functionsOffset + exported * 4;
  const ordinalsOffset = namesOffset + exported * 4;
  let stringOffset = ordinalsOffset + exported * 2;
  bytes.set(moduleName, stringOffset);
  const moduleNameRva = startRva + stringOffset;
  stringOffset += moduleName.length;
  const named = sorted.slice(0, exported).map((r, ordinalIndex) => ({ r, ordinalIndex, name: names[ordinalIndex]! }));
  const nameRva = new Map<number, number>();
  for (const n of named) {
    bytes.set(n.name, stringOffset);
    nameRva.set(n.ordinalIndex, startRva + stringOffset);
    stringOffset += n.name.length;
  }
  for (const [i, n] of named.entries()) v.setUint32(functionsOffset + i * 4, n.r.rva, true);
  const byName = [...named].sort((a, b) => Buffer.compare(a.name, b.name));
  byName.forEach((n, i) => {
    v.setUint32(namesOffset + i * 4, nameRva.get(n.ordinalIndex)!, true);
    v.setUint16(ordinalsOffset + i * 2, n.ordinalIndex, true);
  });
  IMAGE_EXPORT_DIRECTORY.encodeInto(bytes, exportOffset, {
    TimeDateStamp: timeDateStamp >>> 0,
    Name: moduleNameRva,
    Base: 1,
    NumberOfFunctions: exported,
    NumberOfNames: exported,
    AddressOfFunctions: startRva + functionsOffset,
    AddressOfNames: startRva + namesOffset,
    AddressOfNameOrdinals: startRva + ordinalsOffset,
  });
  return {
    startRva,
    bytes,
    exportDirectory: { VirtualAddress: startRva + exportOffset, Size: stringOffset - exportOffset },
    exceptionDirectory: { VirtualAddress: startRva + pdataOffset, Size: sorted.length * RUNTIME_FUNCTION.size },
    exported,
  };
}
