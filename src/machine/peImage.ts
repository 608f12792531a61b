/**
 * The first page of a loaded image: a minimal PE32+ header (DOS header,
 * 'PE\0\0', IMAGE_FILE_HEADER, IMAGE_OPTIONAL_HEADER64, two section headers)
 * so that debuggers and analyzers reading an image base find the
 * TimeDateStamp, CheckSum and SizeOfImage they use to identify a module.
 */
export interface PeHeaderFields {
  imageBase: bigint;
  sizeOfImage: number;
  entryPointRva: number;
  timeDateStamp: number;
  checkSum: number;
  /** IMAGE_FILE_DLL for .dll images. */
  isDll: boolean;
}

const E_LFANEW = 0xf0;
const IMAGE_FILE_MACHINE_AMD64 = 0x8664;
const IMAGE_FILE_EXECUTABLE_IMAGE = 0x0002;
const IMAGE_FILE_LARGE_ADDRESS_AWARE = 0x0020;
const IMAGE_FILE_DLL = 0x2000;
const IMAGE_NT_OPTIONAL_HDR64_MAGIC = 0x20b;
const IMAGE_SUBSYSTEM_NATIVE = 1;
const IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE = 0x40;
const IMAGE_DLLCHARACTERISTICS_NX_COMPAT = 0x100;
const IMAGE_SCN_CODE_EXECUTE_READ = 0x6000_0020;
const IMAGE_SCN_DATA_READ_WRITE_NONPAGED = 0xc800_0040;
export const PE_HEADER_BYTES = 0x400;

export function buildPeHeader(fields: PeHeaderFields): Uint8Array {
  const out = new Uint8Array(PE_HEADER_BYTES);
  const v = new DataView(out.buffer);
  v.setUint16(0, 0x5a4d, true); // 'MZ'
  v.setUint32(0x3c, E_LFANEW, true);
  v.setUint32(E_LFANEW, 0x0000_4550, true); // 'PE\0\0'
  const fh = E_LFANEW + 4;
  v.setUint16(fh + 0, IMAGE_FILE_MACHINE_AMD64, true);
  v.setUint16(fh + 2, 2, true); // NumberOfSections
  v.setUint32(fh + 4, fields.timeDateStamp >>> 0, true);
  v.setUint16(fh + 16, 0xf0, true); // SizeOfOptionalHeader
  v.setUint16(
    fh + 18,
    IMAGE_FILE_EXECUTABLE_IMAGE | IMAGE_FILE_LARGE_ADDRESS_AWARE | (fields.isDll ? IMAGE_FILE_DLL : 0),
    true,
  );

  const textSize = Math.max(0x1000, Math.floor(((fields.sizeOfImage - 0x1000) * 3) / 4 / 0x1000) * 0x1000);
  const dataRva = 0x1000 + textSize;
  const dataSize = Math.max(0, fields.sizeOfImage - dataRva);
  const oh = fh + 20;
  v.setUint16(oh + 0x00, IMAGE_NT_OPTIONAL_HDR64_MAGIC, true);
  v.setUint8(oh + 0x02, 14); // MajorLinkerVersion
  v.setUint32(oh + 0x04, textSize, true); // SizeOfCode
  v.setUint32(oh + 0x08, dataSize, true); // SizeOfInitializedData
  v.setUint32(oh + 0x10, fields.entryPointRva >>> 0, true);
  v.setUint32(oh + 0x14, 0x1000, true); // BaseOfCode
  v.setBigUint64(oh + 0x18, fields.imageBase, true);
  v.setUint32(oh + 0x20, 0x1000, true); // SectionAlignment
  v.setUint32(oh + 0x24, 0x200, true); // FileAlignment
  v.setUint16(oh + 0x28, 10, true); // MajorOperatingSystemVersion
  v.setUint16(oh + 0x2c, 10, true); // MajorImageVersion
  v.setUint16(oh + 0x30, 10, true); // MajorSubsystemVersion
  v.setUint32(oh + 0x38, fields.sizeOfImage >>> 0, true);
  v.setUint32(oh + 0x3c, PE_HEADER_BYTES, true); // SizeOfHeaders
  v.setUint32(oh + 0x40, fields.checkSum >>> 0, true);
  v.setUint16(oh + 0x44, IMAGE_SUBSYSTEM_NATIVE, true);
  v.setUint16(oh + 0x46, IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE | IMAGE_DLLCHARACTERISTICS_NX_COMPAT, true);
  v.setBigUint64(oh + 0x48, 0x40000n, true); // SizeOfStackReserve
  v.setBigUint64(oh + 0x50, 0x1000n, true); // SizeOfStackCommit
  v.setBigUint64(oh + 0x58, 0x100000n, true); // SizeOfHeapReserve
  v.setBigUint64(oh + 0x60, 0x1000n, true); // SizeOfHeapCommit
  v.setUint32(oh + 0x6c, 16, true); // NumberOfRvaAndSizes

  const sections = oh + 0xf0;
  writeSection(out, sections, '.text', textSize, 0x1000, IMAGE_SCN_CODE_EXECUTE_READ);
  writeSection(out, sections + 40, '.data', dataSize, dataRva, IMAGE_SCN_DATA_READ_WRITE_NONPAGED);
  return out;
}

function writeSection(
  out: Uint8Array,
  at: number,
  name: string,
  size: number,
  rva: number,
  characteristics: number,
): void {
  const v = new DataView(out.buffer);
  for (let i = 0; i < name.length; i++) out[at + i] = name.charCodeAt(i);
  v.setUint32(at + 8, size, true); // VirtualSize
  v.setUint32(at + 12, rva, true); // VirtualAddress
  v.setUint32(at + 16, size, true); // SizeOfRawData
  v.setUint32(at + 20, rva, true); // PointerToRawData (file layout mirrors memory here)
  v.setUint32(at + 36, characteristics >>> 0, true);
}
