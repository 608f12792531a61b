import { array, bytes, decodeLatin1, encodeLatin1, struct, u16, u32, u64, u8 } from './layout.js';

/**
 * PE32+ image layouts (winnt.h) as they appear at a loaded image's base in
 * kernel memory: the DOS header, the NT headers, the section table, and the
 * export directory that debuggers read to name addresses `module!export+0x…`.
 */

export const IMAGE_DOS_SIGNATURE = 0x5a4d; // 'MZ'
export const IMAGE_NT_SIGNATURE = 0x0000_4550; // 'PE\0\0'
export const IMAGE_NT_OPTIONAL_HDR64_MAGIC = 0x20b;
export const IMAGE_FILE_MACHINE_AMD64 = 0x8664;
export const IMAGE_NUMBEROF_DIRECTORY_ENTRIES = 16;

/** IMAGE_FILE_HEADER.Characteristics bits. */
export const ImageFileCharacteristics = {
  EXECUTABLE_IMAGE: 0x0002,
  LARGE_ADDRESS_AWARE: 0x0020,
  DLL: 0x2000,
} as const;

/** IMAGE_OPTIONAL_HEADER64.DllCharacteristics bits. */
export const ImageDllCharacteristics = {
  HIGH_ENTROPY_VA: 0x0020,
  DYNAMIC_BASE: 0x0040,
  FORCE_INTEGRITY: 0x0080,
  NX_COMPAT: 0x0100,
  GUARD_CF: 0x4000,
} as const;

export const IMAGE_SUBSYSTEM_NATIVE = 1;

/** Indices into IMAGE_OPTIONAL_HEADER64.DataDirectory. */
export const ImageDirectoryEntry = {
  EXPORT: 0,
  IMPORT: 1,
  RESOURCE: 2,
  EXCEPTION: 3,
  SECURITY: 4,
  BASERELOC: 5,
  DEBUG: 6,
} as const;

/** IMAGE_SECTION_HEADER.Characteristics bits. */
export const ImageSectionCharacteristics = {
  CNT_CODE: 0x0000_0020,
  CNT_INITIALIZED_DATA: 0x0000_0040,
  MEM_NOT_PAGED: 0x0800_0000,
  MEM_EXECUTE: 0x2000_0000,
  MEM_READ: 0x4000_0000,
  MEM_WRITE: 0x8000_0000,
} as const;

/** IMAGE_DOS_HEADER (0x40 bytes); `e_lfanew` is the file offset (= RVA) of the NT headers. */
export const IMAGE_DOS_HEADER = struct('IMAGE_DOS_HEADER', {
  e_magic: u16,
  e_cblp: u16,
  e_cp: u16,
  e_crlc: u16,
  e_cparhdr: u16,
  e_minalloc: u16,
  e_maxalloc: u16,
  e_ss: u16,
  e_sp: u16,
  e_csum: u16,
  e_ip: u16,
  e_cs: u16,
  e_lfarlc: u16,
  e_ovno: u16,
  e_res: array(u16, 4),
  e_oemid: u16,
  e_oeminfo: u16,
  e_res2: array(u16, 10),
  e_lfanew: u32,
});
export type ImageDosHeader = ReturnType<typeof IMAGE_DOS_HEADER.decode>;

/** IMAGE_FILE_HEADER (0x14 bytes). */
export const IMAGE_FILE_HEADER = struct('IMAGE_FILE_HEADER', {
  Machine: u16,
  NumberOfSections: u16,
  TimeDateStamp: u32,
  PointerToSymbolTable: u32,
  NumberOfSymbols: u32,
  SizeOfOptionalHeader: u16,
  Characteristics: u16,
});
export type ImageFileHeader = ReturnType<typeof IMAGE_FILE_HEADER.decode>;

/** IMAGE_DATA_DIRECTORY: an RVA and a size. */
export const IMAGE_DATA_DIRECTORY = struct('IMAGE_DATA_DIRECTORY', {
  VirtualAddress: u32,
  Size: u32,
});
export type ImageDataDirectory = ReturnType<typeof IMAGE_DATA_DIRECTORY.decode>;

/** IMAGE_OPTIONAL_HEADER64 (0xF0 bytes with 16 data directories). */
export const IMAGE_OPTIONAL_HEADER64 = struct('IMAGE_OPTIONAL_HEADER64', {
  Magic: u16,
  MajorLinkerVersion: u8,
  MinorLinkerVersion: u8,
  SizeOfCode: u32,
  SizeOfInitializedData: u32,
  SizeOfUninitializedData: u32,
  AddressOfEntryPoint: u32,
  BaseOfCode: u32,
  ImageBase: u64,
  SectionAlignment: u32,
  FileAlignment: u32,
  MajorOperatingSystemVersion: u16,
  MinorOperatingSystemVersion: u16,
  MajorImageVersion: u16,
  MinorImageVersion: u16,
  MajorSubsystemVersion: u16,
  MinorSubsystemVersion: u16,
  Win32VersionValue: u32,
  SizeOfImage: u32,
  SizeOfHeaders: u32,
  CheckSum: u32,
  Subsystem: u16,
  DllCharacteristics: u16,
  SizeOfStackReserve: u64,
  SizeOfStackCommit: u64,
  SizeOfHeapReserve: u64,
  SizeOfHeapCommit: u64,
  LoaderFlags: u32,
  NumberOfRvaAndSizes: u32,
  DataDirectory: array(IMAGE_DATA_DIRECTORY, IMAGE_NUMBEROF_DIRECTORY_ENTRIES),
});
export type ImageOptionalHeader64 = ReturnType<typeof IMAGE_OPTIONAL_HEADER64.decode>;

/** IMAGE_NT_HEADERS64 (0x108 bytes): 'PE\0\0', the file header, the optional header. */
export const IMAGE_NT_HEADERS64 = struct('IMAGE_NT_HEADERS64', {
  Signature: u32,
  FileHeader: IMAGE_FILE_HEADER,
  OptionalHeader: IMAGE_OPTIONAL_HEADER64,
});
export type ImageNtHeaders64 = ReturnType<typeof IMAGE_NT_HEADERS64.decode>;

/**
 * IMAGE_SECTION_HEADER (0x28 bytes). `Name` is 8 bytes, NUL-padded, not
 * necessarily terminated; `VirtualSize` is winnt.h's `Misc.VirtualSize`.
 */
export const IMAGE_SECTION_HEADER = struct('IMAGE_SECTION_HEADER', {
  Name: bytes(8),
  VirtualSize: u32,
  VirtualAddress: u32,
  SizeOfRawData: u32,
  PointerToRawData: u32,
  PointerToRelocations: u32,
  PointerToLinenumbers: u32,
  NumberOfRelocations: u16,
  NumberOfLinenumbers: u16,
  Characteristics: u32,
});
export type ImageSectionHeader = ReturnType<typeof IMAGE_SECTION_HEADER.decode>;

/**
 * IMAGE_EXPORT_DIRECTORY (0x28 bytes). AddressOfFunctions is an array of
 * NumberOfFunctions RVAs; AddressOfNames an array of NumberOfNames name RVAs
 * sorted by name (ordinal binary search); AddressOfNameOrdinals the matching
 * u16 indices into AddressOfFunctions (biased by nothing: index = ordinal − Base).
 */
export const IMAGE_EXPORT_DIRECTORY = struct('IMAGE_EXPORT_DIRECTORY', {
  Characteristics: u32,
  TimeDateStamp: u32,
  MajorVersion: u16,
  MinorVersion: u16,
  Name: u32,
  Base: u32,
  NumberOfFunctions: u32,
  NumberOfNames: u32,
  AddressOfFunctions: u32,
  AddressOfNames: u32,
  AddressOfNameOrdinals: u32,
});
export type ImageExportDirectory = ReturnType<typeof IMAGE_EXPORT_DIRECTORY.decode>;

/** An 8-byte section name field from text (longer names are cut, as the linker does for images). */
export function sectionName(name: string): Uint8Array {
  const out = new Uint8Array(8);
  encodeLatin1(name, out);
  return out;
}

/** The text of an 8-byte section name field (up to the first NUL). */
export function sectionNameText(field: Uint8Array): string {
  const end = field.indexOf(0);
  return decodeLatin1(field.subarray(0, end < 0 ? 8 : end));
}
