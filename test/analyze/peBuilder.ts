/**
 * Builds small PE32+ images in memory for the unwinder and symbol tests:
 * headers with a .text and a .rdata section, an exception directory of x64
 * RUNTIME_FUNCTIONs with their UNWIND_INFO, and an export directory. Offsets
 * follow the PE format specification (written here, not taken from src/).
 */

export const IMAGE_TEXT_RVA = 0x1000;
export const IMAGE_RDATA_RVA = 0x3000;

/** One UNWIND_CODE operation (the prolog's, in the order UNWIND_INFO lists them: last instruction first). */
export type UnwindOp =
  | { op: 'push'; at: number; reg: number }
  | { op: 'alloc'; at: number; bytes: number }
  | { op: 'setfp'; at: number }
  | { op: 'save'; at: number; reg: number; offset: number }
  | { op: 'machframe'; at: number; errorCode: boolean };

export interface ImageFunction {
  begin: number;
  end: number;
  prologSize?: number;
  ops?: UnwindOp[];
  frameRegister?: number;
  frameOffset?: number;
  /** Chain this entry's unwind info to the function beginning at this RVA (a fragment). */
  chainTo?: number;
  /** No RUNTIME_FUNCTION at all (a leaf). */
  leaf?: boolean;
}

export interface ImageSpec {
  size: number;
  functions: ImageFunction[];
  exports?: { name: string; rva: number }[];
  /** Bytes placed at RVAs (the code). */
  code?: { rva: number; bytes: number[] }[];
  /** Leave out the exception directory (as if .pdata were paged out). */
  noExceptionDirectory?: boolean;
}

function encodeOps(ops: readonly UnwindOp[]): number[] {
  const slots: number[] = [];
  const code = (at: number, op: number, info: number): number => (at & 0xff) | (op << 8) | (info << 12);
  for (const o of ops) {
    switch (o.op) {
      case 'push':
        slots.push(code(o.at, 0, o.reg));
        break;
      case 'alloc':
        if (o.bytes <= 128) slots.push(code(o.at, 2, o.bytes / 8 - 1));
        else if (o.bytes / 8 < 0x10000) slots.push(code(o.at, 1, 0), o.bytes / 8);
        else slots.push(code(o.at, 1, 1), o.bytes & 0xffff, o.bytes >>> 16);
        break;
      case 'setfp':
        slots.push(code(o.at, 3, 0));
        break;
      case 'save':
        slots.push(code(o.at, 4, o.reg), o.offset / 8);
        break;
      case 'machframe':
        slots.push(code(o.at, 10, o.errorCode ? 1 : 0));
        break;
    }
  }
  return slots;
}

export function buildImage(spec: ImageSpec): Uint8Array {
  const image = new Uint8Array(spec.size);
  const v = new DataView(image.buffer);
  // DOS header + PE signature + IMAGE_FILE_HEADER + IMAGE_OPTIONAL_HEADER64 + 2 section headers.
  v.setUint16(0, 0x5a4d, true);
  const lfanew = 0x80;
  v.setUint32(0x3c, lfanew, true);
  v.setUint32(lfanew, 0x4550, true);
  const fh = lfanew + 4;
  v.setUint16(fh, 0x8664, true);
  v.setUint16(fh + 2, 2, true);
  v.setUint16(fh + 16, 0xf0, true);
  const oh = fh + 20;
  v.setUint16(oh, 0x20b, true);
  v.setUint32(oh + 0x38, spec.size, true); // SizeOfImage
  v.setUint32(oh + 0x6c, 16, true); // NumberOfRvaAndSizes
  const sections = oh + 0xf0;
  const section = (i: number, name: string, rva: number, size: number, flags: number): void => {
    const at = sections + i * 40;
    for (let k = 0; k < name.length; k++) image[at + k] = name.charCodeAt(k);
    v.setUint32(at + 8, size, true);
    v.setUint32(at + 12, rva, true);
    v.setUint32(at + 36, flags, true);
  };
  section(0, '.text', IMAGE_TEXT_RVA, IMAGE_RDATA_RVA - IMAGE_TEXT_RVA, 0x60000020);
  section(1, '.rdata', IMAGE_RDATA_RVA, spec.size - IMAGE_RDATA_RVA, 0x40000040);
  for (const c of spec.code ?? []) image.set(c.bytes, c.rva);

  // .rdata: unwind infos, then the RUNTIME_FUNCTION table, then the export directory.
  let cursor = IMAGE_RDATA_RVA;
  const unwindAt = new Map<number, number>();
  const entries = spec.functions.filter((f) => f.leaf !== true).sort((a, b) => a.begin - b.begin);
  // Primary functions first, so a fragment can point at its parent's entry.
  for (const f of entries) {
    const slots = encodeOps(f.ops ?? []);
    const at = cursor;
    const flags = f.chainTo !== undefined ? 0x4 : 0;
    image[at] = 1 | (flags << 3);
    image[at + 1] = f.prologSize ?? 0;
    image[at + 2] = slots.length;
    image[at + 3] = (f.frameRegister ?? 0) | ((f.frameOffset ?? 0) << 4);
    for (const [i, slot] of slots.entries()) v.setUint16(at + 4 + i * 2, slot, true);
    cursor = at + 4 + ((slots.length + 1) & ~1) * 2;
    if (f.chainTo !== undefined) cursor += 12; // filled below, once every unwind info has its RVA
    unwindAt.set(f.begin, at);
    cursor = (cursor + 3) & ~3;
  }
  for (const f of entries) {
    if (f.chainTo === undefined) continue;
    const parent = entries.find((p) => p.begin === f.chainTo)!;
    const at = unwindAt.get(f.begin)!;
    const chained = at + 4 + ((image[at + 2]! + 1) & ~1) * 2;
    v.setUint32(chained, parent.begin, true);
    v.setUint32(chained + 4, parent.end, true);
    v.setUint32(chained + 8, unwindAt.get(parent.begin)!, true);
  }
  const pdata = cursor;
  entries.forEach((f, i) => {
    v.setUint32(pdata + i * 12, f.begin, true);
    v.setUint32(pdata + i * 12 + 4, f.end, true);
    v.setUint32(pdata + i * 12 + 8, unwindAt.get(f.begin)!, true);
  });
  cursor = pdata + entries.length * 12;
  if (spec.noExceptionDirectory !== true) {
    v.setUint32(oh + 0x70 + 3 * 8, pdata, true);
    v.setUint32(oh + 0x70 + 3 * 8 + 4, entries.length * 12, true);
  }

  const exports = [...(spec.exports ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1));
  if (exports.length > 0) {
    const dir = (cursor + 7) & ~7;
    const functionsAt = dir + 40;
    const namesAt = functionsAt + exports.length * 4;
    const ordinalsAt = namesAt + exports.length * 4;
    let stringsAt = ordinalsAt + exports.length * 2;
    v.setUint32(dir + 0x14, exports.length, true);
    v.setUint32(dir + 0x18, exports.length, true);
    v.setUint32(dir + 0x1c, functionsAt, true);
    v.setUint32(dir + 0x20, namesAt, true);
    v.setUint32(dir + 0x24, ordinalsAt, true);
    exports.forEach((e, i) => {
      v.setUint32(functionsAt + i * 4, e.rva, true);
      v.setUint32(namesAt + i * 4, stringsAt, true);
      v.setUint16(ordinalsAt + i * 2, i, true);
      for (let k = 0; k < e.name.length; k++) image[stringsAt + k] = e.name.charCodeAt(k);
      stringsAt += e.name.length + 1;
    });
    v.setUint32(oh + 0x70, dir, true);
    v.setUint32(oh + 0x74, stringsAt - dir, true);
  }
  return image;
}
