/**
 * Lowers what wasm-ld links for `wasm64` (64-bit memory and table) to a
 * module Node 20 runs without flags (32-bit memory and table), and puts a
 * check in front of every memory access and indirect call.
 *
 * A C pointer stays a 64-bit kernel virtual address everywhere. Each load
 * and store first calls the C runtime's `__bc_check_load`/`__bc_check_store`
 * with the pointer, the access size and the instruction's offset; they return
 * the address to use (the pointer itself when it is inside the driver's
 * memory window and its page may be accessed that way, a bounce slot filled
 * by the machine otherwise) and the access then goes through
 * `i32.wrap_i64`: a window is 4 GiB aligned, so the low 32 bits of a window
 * address are its offset in the WebAssembly memory. Stores call
 * `__bc_store_done` afterwards (the machine writes a bounced store back).
 * Indirect calls check that the function pointer belongs to this window.
 *
 * Data segments are taken out (the loader copies them into the window); the
 * element segment is placed at the fixed table offset TEXT_RVA. Every output
 * instruction is mapped back to the input instruction it came from, so a trap
 * offset in the output finds its line in the input's DWARF.
 */
import { CDriverError } from './errors.js';
import { ByteCursor, functionNames, importedFunctionCount, wasmSections, type WasmSection } from './wasmBinary.js';

/** Table index (and image RVA) of the first function pointer: the page after the image's code-slot page. */
export const TEXT_RVA = 0x2000;

export interface DataSegment {
  /** Offset from __memory_base. */
  offset: number;
  bytes: Uint8Array;
}

export interface LoweredModule {
  wasm: Uint8Array;
  dataSegments: DataSegment[];
  /** Pairs [output module offset, input code-section offset], sorted by output offset. */
  offsetMap: Int32Array;
  /** Functions (by index) the rewriter left unchecked: the C runtime's own. */
  runtimeFunctions: number[];
}

const RUNTIME_PREFIX = '__bc_';
const CHECK_LOAD = '__bc_check_load';
const CHECK_STORE = '__bc_check_store';
const STORE_DONE = '__bc_store_done';
const CHECK_FP = '__bc_check_fp';

/** Bytes accessed by each load/store opcode (0x28..0x3e) and the value type stored. */
const LOAD_BYTES = new Map<number, number>([
  [0x28, 4],
  [0x29, 8],
  [0x2a, 4],
  [0x2b, 8],
  [0x2c, 1],
  [0x2d, 1],
  [0x2e, 2],
  [0x2f, 2],
  [0x30, 1],
  [0x31, 1],
  [0x32, 2],
  [0x33, 2],
  [0x34, 4],
  [0x35, 4],
]);
const I32 = 0x7f;
const I64 = 0x7e;
const F32 = 0x7d;
const F64 = 0x7c;
const STORE_INFO = new Map<number, { bytes: number; type: number }>([
  [0x36, { bytes: 4, type: I32 }],
  [0x37, { bytes: 8, type: I64 }],
  [0x38, { bytes: 4, type: F32 }],
  [0x39, { bytes: 8, type: F64 }],
  [0x3a, { bytes: 1, type: I32 }],
  [0x3b, { bytes: 2, type: I32 }],
  [0x3c, { bytes: 1, type: I64 }],
  [0x3d, { bytes: 2, type: I64 }],
  [0x3e, { bytes: 4, type: I64 }],
]);
const SCRATCH_TYPES = [I32, I64, F32, F64];

class ByteSink {
  private buffer = new Uint8Array(1024);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buffer[this.length++] = b;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buffer.set(b, this.length);
    this.length += b.length;
  }

  uleb(value: number): void {
    let v = value;
    do {
      let b = v % 128;
      v = Math.floor(v / 128);
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
  }

  sleb(value: bigint): void {
    let v = value;
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return;
    }
  }

  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

interface FuncType {
  params: number;
}

interface Context {
  bytes: Uint8Array;
  sections: WasmSection[];
  types: FuncType[];
  /** Type index of each defined function. */
  functionTypes: number[];
  importedFunctions: number;
  names: Map<number, string>;
  checkLoad: number;
  checkStore: number;
  storeDone: number;
  checkFp: number;
  memory64: boolean;
  table64: boolean;
}

function unsupported(what: string, where: string): never {
  throw new CDriverError('E_CDRIVER_MODULE', `${where}: ${what} is not supported in a C driver`, { where });
}

function readTypes(bytes: Uint8Array, sections: WasmSection[]): FuncType[] {
  const s = sections.find((x) => x.id === 1);
  if (!s) return [];
  const c = new ByteCursor(bytes, s.start, s.end);
  const types: FuncType[] = [];
  for (let n = c.uleb(); n > 0; n--) {
    const form = c.u8();
    if (form !== 0x60) unsupported(`type form 0x${form.toString(16)}`, 'type section');
    const params = c.uleb();
    for (let i = 0; i < params; i++) readValType(c);
    for (let r = c.uleb(); r > 0; r--) readValType(c);
    types.push({ params });
  }
  return types;
}

function readValType(c: ByteCursor): void {
  const t = c.u8();
  // Reference types with a heap type index (GC) would carry one more LEB; C never produces them.
  if (t === 0x63 || t === 0x64) c.sleb();
}

function readFunctionTypes(bytes: Uint8Array, sections: WasmSection[]): number[] {
  const s = sections.find((x) => x.id === 3);
  if (!s) return [];
  const c = new ByteCursor(bytes, s.start, s.end);
  const out: number[] = [];
  for (let n = c.uleb(); n > 0; n--) out.push(c.uleb());
  return out;
}

/** Import section with the memory and table turned 32-bit. */
function lowerImports(ctx: Context, s: WasmSection, out: ByteSink): void {
  const c = new ByteCursor(ctx.bytes, s.start, s.end);
  const n = c.uleb();
  out.uleb(n);
  for (let i = 0; i < n; i++) {
    out.bytes(nameBytes(c));
    out.bytes(nameBytes(c));
    const kind = c.u8();
    out.byte(kind);
    if (kind === 0) out.uleb(c.uleb());
    else if (kind === 1) {
      out.byte(c.u8());
      ctx.table64 = lowerLimits(c, out) || ctx.table64;
    } else if (kind === 2) {
      ctx.memory64 = lowerLimits(c, out) || ctx.memory64;
    } else if (kind === 3) {
      out.byte(c.u8());
      out.byte(c.u8());
    } else unsupported(`import kind ${kind}`, 'import section');
  }
}

function nameBytes(c: ByteCursor): Uint8Array {
  const start = c.offset;
  const length = c.uleb();
  c.bytesOf(length);
  return c.bytes.subarray(start, c.offset);
}

/** Copies limits, clearing the 64-bit flag; returns whether it was set. */
function lowerLimits(c: ByteCursor, out: ByteSink): boolean {
  const flags = c.u8();
  if (flags & 0x2) unsupported('a shared memory', 'import section');
  out.byte(flags & ~0x4);
  const min = c.uleb();
  out.uleb(Math.min(min, 0xffffffff));
  if (flags & 1) out.uleb(Math.min(c.uleb(), 0x10000));
  return (flags & 0x4) !== 0;
}

/** Constant expression `global.get G [i64.const K i64.add] end` or `i64.const K end`: returns K (G is a base). */
function readBaseOffset(c: ByteCursor, where: string): number {
  let offset = 0;
  let sawBase = false;
  for (;;) {
    const op = c.u8();
    if (op === 0x0b) break;
    if (op === 0x23) {
      c.uleb();
      sawBase = true;
    } else if (op === 0x42 || op === 0x41) offset += c.sleb();
    else if (op === 0x7c || op === 0x6a) {
      // add: base + constant
    } else unsupported(`opcode 0x${op.toString(16)} in a segment offset`, where);
  }
  if (!sawBase) unsupported('an absolute (non position-independent) segment', where);
  return offset;
}

function readDataSegments(ctx: Context, s: WasmSection): DataSegment[] {
  const c = new ByteCursor(ctx.bytes, s.start, s.end);
  const segments: DataSegment[] = [];
  for (let n = c.uleb(); n > 0; n--) {
    const flags = c.uleb();
    if (flags === 1) unsupported('a passive data segment', 'data section');
    if (flags === 2) c.uleb();
    const offset = readBaseOffset(c, 'data section');
    const length = c.uleb();
    segments.push({ offset, bytes: c.bytesOf(length).slice() });
  }
  return segments;
}

/** Element section with each active segment placed at TEXT_RVA (the low 32 bits of __table_base). */
function lowerElements(ctx: Context, s: WasmSection, out: ByteSink): void {
  const c = new ByteCursor(ctx.bytes, s.start, s.end);
  const n = c.uleb();
  out.uleb(n);
  for (let i = 0; i < n; i++) {
    const flags = c.uleb();
    out.uleb(flags);
    if (flags === 0 || flags === 2 || flags === 4 || flags === 6) {
      if (flags === 2 || flags === 6) out.uleb(c.uleb());
      const offset = readBaseOffset(c, 'element section');
      out.byte(0x41);
      out.sleb(BigInt(TEXT_RVA + offset));
      out.byte(0x0b);
      if (flags === 2) out.byte(c.u8());
      if (flags === 6) readRefType(c, out);
    } else unsupported(`element segment kind ${flags}`, 'element section');
    const count = c.uleb();
    out.uleb(count);
    for (let k = 0; k < count; k++) {
      if (flags === 4 || flags === 6) copyConstExpr(c, out);
      else out.uleb(c.uleb());
    }
  }
}

function readRefType(c: ByteCursor, out: ByteSink): void {
  out.byte(c.u8());
}

function copyConstExpr(c: ByteCursor, out: ByteSink): void {
  for (;;) {
    const op = c.u8();
    out.byte(op);
    if (op === 0x0b) return;
    if (op === 0xd2 || op === 0x23) out.uleb(c.uleb());
    else if (op === 0xd0) out.byte(c.u8());
    else unsupported(`opcode 0x${op.toString(16)} in an element expression`, 'element section');
  }
}

/** Rewrites one function body; records [new offset in body, input code offset] pairs. */
function lowerBody(
  ctx: Context,
  index: number,
  start: number,
  end: number,
  codeStart: number,
  map: number[],
): Uint8Array {
  const name = ctx.names.get(index) ?? `function ${index}`;
  const where = `${name} (function ${index})`;
  const checked = !name.startsWith(RUNTIME_PREFIX);
  const type = ctx.types[ctx.functionTypes[index - ctx.importedFunctions] ?? -1];
  if (!type) throw new CDriverError('E_CDRIVER_MODULE', `${where}: no type`);
  const c = new ByteCursor(ctx.bytes, start, end);
  const out = new ByteSink();
  let locals = type.params;
  const groups: [number, number][] = [];
  for (let n = c.uleb(); n > 0; n--) {
    const count = c.uleb();
    const t = c.u8();
    groups.push([count, t]);
    locals += count;
  }
  const scratch = new Map<number, number>(SCRATCH_TYPES.map((t, i) => [t, locals + i]));
  out.uleb(groups.length + SCRATCH_TYPES.length);
  for (const [count, t] of groups) {
    out.uleb(count);
    out.byte(t);
  }
  for (const t of SCRATCH_TYPES) {
    out.uleb(1);
    out.byte(t);
  }

  const copy = (from: number): void => out.bytes(ctx.bytes.subarray(from, c.offset));
  while (c.offset < end) {
    const at = c.offset;
    map.push(out.length, at - codeStart);
    const op = c.u8();
    if (op >= 0x28 && op <= 0x3e) {
      const align = c.uleb();
      if (align & 0x40) unsupported('a second memory', where);
      const offset = ctx.memory64 ? readU64Leb(c) : BigInt(c.uleb());
      const store = STORE_INFO.get(op);
      if (!ctx.memory64) {
        copy(at);
        continue;
      }
      if (store) {
        const tmp = scratch.get(store.type)!;
        out.byte(0x21); // local.set tmp (the value)
        out.uleb(tmp);
        if (checked) {
          emitCheck(out, store.bytes, offset, ctx.checkStore);
        } else emitPlainAddress(out, offset);
        out.byte(0xa7); // i32.wrap_i64
        out.byte(0x20); // local.get tmp
        out.uleb(tmp);
        out.byte(op);
        out.uleb(align);
        out.uleb(0);
        if (checked) {
          out.byte(0x10);
          out.uleb(ctx.storeDone);
        }
      } else {
        if (checked) emitCheck(out, LOAD_BYTES.get(op)!, offset, ctx.checkLoad);
        else emitPlainAddress(out, offset);
        out.byte(0xa7);
        out.byte(op);
        out.uleb(align);
        out.uleb(0);
      }
      continue;
    }
    switch (op) {
      case 0x3f: // memory.size
        if (c.u8() !== 0) unsupported('a second memory', where);
        out.bytes(Uint8Array.of(0x3f, 0x00));
        if (ctx.memory64) out.byte(0xad); // i64.extend_i32_u
        continue;
      case 0x40: // memory.grow
        if (c.u8() !== 0) unsupported('a second memory', where);
        if (ctx.memory64) out.byte(0xa7);
        out.bytes(Uint8Array.of(0x40, 0x00));
        if (ctx.memory64) out.byte(0xac); // i64.extend_i32_s
        continue;
      case 0x11: {
        // call_indirect typeidx tableidx: the function pointer is on top of the stack.
        const typeIndex = c.uleb();
        const table = c.uleb();
        if (ctx.table64) {
          if (checked) {
            out.byte(0x10);
            out.uleb(ctx.checkFp);
          }
          out.byte(0xa7);
        }
        out.byte(0x11);
        out.uleb(typeIndex);
        out.uleb(table);
        continue;
      }
      default:
        skipImmediates(c, op, where);
        copy(at);
    }
  }
  return out.result();
}

/** Pushes bytes and offset and calls the check: ptr → effective address (ptr + offset, or a bounce slot). */
function emitCheck(out: ByteSink, bytes: number, offset: bigint, check: number): void {
  out.byte(0x41);
  out.sleb(BigInt(bytes));
  out.byte(0x42);
  out.sleb(BigInt.asIntN(64, offset));
  out.byte(0x10);
  out.uleb(check);
}

/** Unchecked access (the runtime's own): just add the offset. */
function emitPlainAddress(out: ByteSink, offset: bigint): void {
  if (offset === 0n) return;
  out.byte(0x42);
  out.sleb(BigInt.asIntN(64, offset));
  out.byte(0x7c); // i64.add
}

function readU64Leb(c: ByteCursor): bigint {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const b = c.u8();
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return result;
    shift += 7n;
    if (shift > 70n) throw new CDriverError('E_CDRIVER_MODULE', 'LEB128 too long');
  }
}

function skipBlockType(c: ByteCursor): void {
  const b = c.bytes[c.offset];
  if (b === 0x40 || b === I32 || b === I64 || b === F32 || b === F64 || b === 0x70 || b === 0x6f) c.u8();
  else c.sleb();
}

/** Skips the immediates of every instruction a C program compiled without SIMD, atomics or exceptions uses. */
function skipImmediates(c: ByteCursor, op: number, where: string): void {
  if (op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x1a || op === 0x1b) return;
  if (op >= 0x45 && op <= 0xc4) return;
  switch (op) {
    case 0x02:
    case 0x03:
    case 0x04:
      skipBlockType(c);
      return;
    case 0x0c:
    case 0x0d:
    case 0x10:
    case 0x12:
    case 0x20:
    case 0x21:
    case 0x22:
    case 0x23:
    case 0x24:
    case 0x25:
    case 0x26:
    case 0xd2:
      c.uleb();
      return;
    case 0x0e:
      for (let n = c.uleb(); n >= 0; n--) c.uleb();
      return;
    case 0x13:
      c.uleb();
      c.uleb();
      return;
    case 0x1c:
      for (let n = c.uleb(); n > 0; n--) readValType(c);
      return;
    case 0x41:
      c.sleb();
      return;
    case 0x42:
      readU64Leb(c);
      return;
    case 0x43:
      c.bytesOf(4);
      return;
    case 0x44:
      c.bytesOf(8);
      return;
    case 0xd0:
      c.u8();
      return;
    case 0xd1:
      return;
    case 0xfc: {
      const sub = c.uleb();
      if (sub <= 7) return;
      if (sub === 8 || sub === 10 || sub === 11) unsupported('bulk memory (compile with -mno-bulk-memory)', where);
      if (sub === 9 || sub === 13 || sub === 15 || sub === 16 || sub === 17) {
        c.uleb();
        return;
      }
      if (sub === 12 || sub === 14) {
        c.uleb();
        c.uleb();
        return;
      }
      unsupported(`instruction 0xfc ${sub}`, where);
      return;
    }
    case 0xfd:
      unsupported('SIMD', where);
      return;
    case 0xfe:
      unsupported('atomic instructions', where);
      return;
    default:
      unsupported(`instruction 0x${op.toString(16)}`, where);
  }
}

function runtimeFunction(ctx: Context, name: string): number {
  for (const [index, n] of ctx.names) if (n === name) return index;
  throw new CDriverError('E_CDRIVER_MODULE', `the C runtime function ${name} is missing from the module`);
}

function writeSection(out: ByteSink, id: number, payload: Uint8Array): void {
  out.byte(id);
  out.uleb(payload.length);
  out.bytes(payload);
}

/** Lowers a wasm-ld `-shared` wasm64 module (see the file comment). */
export function lowerModule(input: Uint8Array): LoweredModule {
  const sections = wasmSections(input);
  const names = functionNames(input, sections);
  const ctx: Context = {
    bytes: input,
    sections,
    types: readTypes(input, sections),
    functionTypes: readFunctionTypes(input, sections),
    importedFunctions: importedFunctionCount(input, sections),
    names,
    checkLoad: 0,
    checkStore: 0,
    storeDone: 0,
    checkFp: 0,
    memory64: false,
    table64: false,
  };
  ctx.checkLoad = runtimeFunction(ctx, CHECK_LOAD);
  ctx.checkStore = runtimeFunction(ctx, CHECK_STORE);
  ctx.storeDone = runtimeFunction(ctx, STORE_DONE);
  ctx.checkFp = runtimeFunction(ctx, CHECK_FP);
  const runtimeFunctions = [...names].filter(([, n]) => n.startsWith(RUNTIME_PREFIX)).map(([i]) => i);

  const out = new ByteSink();
  out.bytes(input.subarray(0, 8));
  let dataSegments: DataSegment[] = [];
  const pairs: number[] = [];
  for (const s of sections) {
    if (s.id === 0) {
      // Keep the name section (function names for traps); DWARF and linking metadata stay in the input.
      if (s.name === 'name') writeSection(out, 0, input.subarray(s.payload, s.end));
      continue;
    }
    if (s.id === 2) {
      const sink = new ByteSink();
      lowerImports(ctx, s, sink);
      writeSection(out, 2, sink.result());
    } else if (s.id === 9) {
      const sink = new ByteSink();
      lowerElements(ctx, s, sink);
      writeSection(out, 9, sink.result());
    } else if (s.id === 11) {
      dataSegments = readDataSegments(ctx, s);
    } else if (s.id === 12) {
      // DataCount: there are no data segments left.
    } else if (s.id === 10) {
      const c = new ByteCursor(input, s.start, s.end);
      const count = c.uleb();
      const sink = new ByteSink();
      sink.uleb(count);
      const bodyMaps: { at: number; map: number[] }[] = [];
      for (let i = 0; i < count; i++) {
        const size = c.uleb();
        const bodyStart = c.offset;
        const map: number[] = [];
        const body = lowerBody(ctx, ctx.importedFunctions + i, bodyStart, bodyStart + size, s.start, map);
        sink.uleb(body.length);
        bodyMaps.push({ at: sink.length, map });
        sink.bytes(body);
        c.offset = bodyStart + size;
      }
      const payload = sink.result();
      out.byte(10);
      out.uleb(payload.length);
      const payloadStart = out.length;
      out.bytes(payload);
      for (const { at, map } of bodyMaps) {
        for (let k = 0; k < map.length; k += 2) pairs.push(payloadStart + at + map[k]!, map[k + 1]!);
      }
    } else {
      writeSection(out, s.id, input.subarray(s.payload, s.end));
    }
  }
  return { wasm: out.result(), dataSegments, offsetMap: Int32Array.from(pairs), runtimeFunctions };
}

/** The input code offset of the output instruction at or before `moduleOffset`, or -1. */
export function originalCodeOffset(offsetMap: Int32Array, moduleOffset: number): number {
  let lo = 0;
  let hi = offsetMap.length / 2 - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (offsetMap[mid * 2]! <= moduleOffset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? -1 : offsetMap[found * 2 + 1]!;
}
