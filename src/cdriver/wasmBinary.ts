/**
 * The few facts of a WebAssembly module the C driver layer reads itself:
 * its sections, the `dylink.0` memory and table sizes the linker asks for,
 * the function names of the `name` section, where each function body starts,
 * and any custom section (DWARF) by name. Positional reads over the bytes;
 * nothing is copied.
 */
import { CDriverError } from './errors.js';

export interface WasmSection {
  id: number;
  /** Custom sections only. */
  name: string;
  /** Offset of the payload (after the id and size). */
  payload: number;
  /** Offset of the contents (the payload, after the name for custom sections). */
  start: number;
  end: number;
}

export interface DylinkInfo {
  memorySize: number;
  memoryAlignment: number;
  tableSize: number;
  tableAlignment: number;
}

export interface FunctionBody {
  /** Index in the function index space (imports first). */
  index: number;
  /** Module offset of the body's size field and of its end (exclusive). */
  start: number;
  end: number;
}

export class ByteCursor {
  constructor(
    readonly bytes: Uint8Array,
    public offset: number,
    readonly end: number = bytes.length,
  ) {}

  get done(): boolean {
    return this.offset >= this.end;
  }

  u8(): number {
    if (this.offset >= this.end) throw new CDriverError('E_CDRIVER_MODULE', `truncated module at ${this.offset}`);
    return this.bytes[this.offset++]!;
  }

  u16(): number {
    return this.u8() | (this.u8() << 8);
  }

  u32(): number {
    return (this.u8() | (this.u8() << 8) | (this.u8() << 16) | (this.u8() << 24)) >>> 0;
  }

  u64(): bigint {
    const lo = BigInt(this.u32());
    return lo | (BigInt(this.u32()) << 32n);
  }

  /** Unsigned LEB128 up to 2^53. */
  uleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.u8();
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
      if (scale > 2 ** 63) throw new CDriverError('E_CDRIVER_MODULE', `LEB128 too long at ${this.offset}`);
    }
  }

  /** Signed LEB128 (values within ±2^53). */
  sleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.u8();
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return byte & 0x40 ? result - scale : result;
      if (scale > 2 ** 70) throw new CDriverError('E_CDRIVER_MODULE', `LEB128 too long at ${this.offset}`);
    }
  }

  bytesOf(length: number): Uint8Array {
    if (this.offset + length > this.end)
      throw new CDriverError('E_CDRIVER_MODULE', `truncated module at ${this.offset}`);
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  name(): string {
    return Buffer.from(this.bytesOf(this.uleb())).toString('utf8');
  }

  /** A NUL-terminated string (DWARF). */
  cString(): string {
    const start = this.offset;
    while (this.u8() !== 0);
    return Buffer.from(this.bytes.subarray(start, this.offset - 1)).toString('utf8');
  }
}

export function wasmSections(bytes: Uint8Array): WasmSection[] {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d)
    throw new CDriverError('E_CDRIVER_MODULE', 'not a WebAssembly module');
  const sections: WasmSection[] = [];
  const c = new ByteCursor(bytes, 8);
  while (!c.done) {
    const id = c.u8();
    const size = c.uleb();
    const payload = c.offset;
    let name = '';
    let start = payload;
    if (id === 0) {
      name = c.name();
      start = c.offset;
    }
    sections.push({ id, name, payload, start, end: payload + size });
    c.offset = payload + size;
  }
  return sections;
}

export function customSection(bytes: Uint8Array, sections: readonly WasmSection[], name: string): Uint8Array | null {
  const s = sections.find((x) => x.id === 0 && x.name === name);
  return s ? bytes.subarray(s.start, s.end) : null;
}

/** The `dylink.0` section of a position-independent module (WASM_DYLINK_MEM_INFO). */
export function dylinkInfo(bytes: Uint8Array, sections: readonly WasmSection[]): DylinkInfo {
  const s = sections.find((x) => x.id === 0 && x.name === 'dylink.0');
  if (!s) throw new CDriverError('E_CDRIVER_MODULE', 'the module has no dylink.0 section (not linked with -shared)');
  const c = new ByteCursor(bytes, s.start, s.end);
  while (!c.done) {
    const type = c.u8();
    const size = c.uleb();
    const next = c.offset + size;
    if (type === 1) {
      return { memorySize: c.uleb(), memoryAlignment: c.uleb(), tableSize: c.uleb(), tableAlignment: c.uleb() };
    }
    c.offset = next;
  }
  return { memorySize: 0, memoryAlignment: 0, tableSize: 0, tableAlignment: 0 };
}

/** Number of imported functions (they come first in the function index space). */
export function importedFunctionCount(bytes: Uint8Array, sections: readonly WasmSection[]): number {
  const s = sections.find((x) => x.id === 2);
  if (!s) return 0;
  const c = new ByteCursor(bytes, s.start, s.end);
  let functions = 0;
  for (let n = c.uleb(); n > 0; n--) {
    c.name();
    c.name();
    const kind = c.u8();
    if (kind === 0) {
      c.uleb();
      functions++;
    } else if (kind === 1) {
      c.u8();
      skipLimits(c);
    } else if (kind === 2) skipLimits(c);
    else if (kind === 3) {
      c.u8();
      c.u8();
    } else if (kind === 4) {
      c.u8();
      c.uleb();
    } else throw new CDriverError('E_CDRIVER_MODULE', `unknown import kind ${kind}`);
  }
  return functions;
}

function skipLimits(c: ByteCursor): void {
  const flags = c.u8();
  c.uleb();
  if (flags & 1) c.uleb();
}

/** Every function body of the code section, in order. */
export function functionBodies(bytes: Uint8Array, sections: readonly WasmSection[]): FunctionBody[] {
  const code = sections.find((x) => x.id === 10);
  if (!code) return [];
  const first = importedFunctionCount(bytes, sections);
  const c = new ByteCursor(bytes, code.start, code.end);
  const bodies: FunctionBody[] = [];
  const count = c.uleb();
  for (let i = 0; i < count; i++) {
    const start = c.offset;
    const size = c.uleb();
    const end = c.offset + size;
    bodies.push({ index: first + i, start, end });
    c.offset = end;
  }
  return bodies;
}

/** Function names from the `name` section (subsection 1), by function index. */
export function functionNames(bytes: Uint8Array, sections: readonly WasmSection[]): Map<number, string> {
  const names = new Map<number, string>();
  const s = sections.find((x) => x.id === 0 && x.name === 'name');
  if (!s) return names;
  const c = new ByteCursor(bytes, s.start, s.end);
  while (!c.done) {
    const kind = c.u8();
    const size = c.uleb();
    const next = c.offset + size;
    if (kind === 1) {
      for (let n = c.uleb(); n > 0; n--) {
        const index = c.uleb();
        names.set(index, c.name());
      }
    }
    c.offset = next;
  }
  return names;
}

/** Names of the imports (module `env`, kind function) the module needs. */
export function importedFunctionNames(bytes: Uint8Array, sections: readonly WasmSection[]): string[] {
  const s = sections.find((x) => x.id === 2);
  if (!s) return [];
  const c = new ByteCursor(bytes, s.start, s.end);
  const out: string[] = [];
  for (let n = c.uleb(); n > 0; n--) {
    c.name();
    const field = c.name();
    const kind = c.u8();
    if (kind === 0) {
      c.uleb();
      out.push(field);
    } else if (kind === 1) {
      c.u8();
      skipLimits(c);
    } else if (kind === 2) skipLimits(c);
    else if (kind === 3) {
      c.u8();
      c.u8();
    } else {
      c.u8();
      c.uleb();
    }
  }
  return out;
}

export type ValueType = 'i32' | 'i64' | 'f32' | 'f64' | 'other';

export interface FunctionSignature {
  params: ValueType[];
  results: ValueType[];
}

function valueType(byte: number): ValueType {
  return byte === 0x7f ? 'i32' : byte === 0x7e ? 'i64' : byte === 0x7d ? 'f32' : byte === 0x7c ? 'f64' : 'other';
}

/** The signature of every function (imported and defined), by function index. */
export function functionSignatures(bytes: Uint8Array, sections: readonly WasmSection[]): FunctionSignature[] {
  const types: FunctionSignature[] = [];
  const typeSection = sections.find((x) => x.id === 1);
  if (typeSection) {
    const c = new ByteCursor(bytes, typeSection.start, typeSection.end);
    for (let n = c.uleb(); n > 0; n--) {
      if (c.u8() !== 0x60) throw new CDriverError('E_CDRIVER_MODULE', 'unsupported type form');
      const params: ValueType[] = [];
      for (let p = c.uleb(); p > 0; p--) params.push(valueType(c.u8()));
      const results: ValueType[] = [];
      for (let r = c.uleb(); r > 0; r--) results.push(valueType(c.u8()));
      types.push({ params, results });
    }
  }
  const out: FunctionSignature[] = [];
  const importSection = sections.find((x) => x.id === 2);
  if (importSection) {
    const c = new ByteCursor(bytes, importSection.start, importSection.end);
    for (let n = c.uleb(); n > 0; n--) {
      c.name();
      c.name();
      const kind = c.u8();
      if (kind === 0) out.push(types[c.uleb()] ?? { params: [], results: [] });
      else if (kind === 1) {
        c.u8();
        skipLimits(c);
      } else if (kind === 2) skipLimits(c);
      else if (kind === 3) {
        c.u8();
        c.u8();
      } else {
        c.u8();
        c.uleb();
      }
    }
  }
  const functionSection = sections.find((x) => x.id === 3);
  if (functionSection) {
    const c = new ByteCursor(bytes, functionSection.start, functionSection.end);
    for (let n = c.uleb(); n > 0; n--) out.push(types[c.uleb()] ?? { params: [], results: [] });
  }
  return out;
}

/** Exported functions and globals by name: function index, or global index. */
export function exportIndex(
  bytes: Uint8Array,
  sections: readonly WasmSection[],
): Map<string, { kind: number; index: number }> {
  const out = new Map<string, { kind: number; index: number }>();
  const s = sections.find((x) => x.id === 7);
  if (!s) return out;
  const c = new ByteCursor(bytes, s.start, s.end);
  for (let n = c.uleb(); n > 0; n--) {
    const name = c.name();
    const kind = c.u8();
    out.set(name, { kind, index: c.uleb() });
  }
  return out;
}
