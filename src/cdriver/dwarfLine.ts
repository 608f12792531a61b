/**
 * A reader for the DWARF line table (`.debug_line`, versions 2–5) of a
 * WebAssembly module, enough to turn a code offset into `file:line:column`.
 * In WebAssembly, DWARF addresses are offsets from the start of the Code
 * section's payload.
 */
import { ByteCursor } from './wasmBinary.js';

export interface LineRow {
  address: number;
  file: string;
  line: number;
  column: number;
  /** The row that ends a sequence: its address is one past the last instruction. */
  endSequence: boolean;
}

const DW_LNS_copy = 1;
const DW_LNS_advance_pc = 2;
const DW_LNS_advance_line = 3;
const DW_LNS_set_file = 4;
const DW_LNS_set_column = 5;
const DW_LNS_negate_stmt = 6;
const DW_LNS_set_basic_block = 7;
const DW_LNS_const_add_pc = 8;
const DW_LNS_fixed_advance_pc = 9;
const DW_LNE_end_sequence = 1;
const DW_LNE_set_address = 2;

const DW_FORM_block = 0x09;
const DW_FORM_block1 = 0x0a;
const DW_FORM_data1 = 0x0b;
const DW_FORM_data2 = 0x05;
const DW_FORM_data4 = 0x06;
const DW_FORM_data8 = 0x07;
const DW_FORM_data16 = 0x1e;
const DW_FORM_string = 0x08;
const DW_FORM_strp = 0x0e;
const DW_FORM_line_strp = 0x1f;
const DW_FORM_udata = 0x0f;
const DW_LNCT_path = 1;
const DW_LNCT_directory_index = 2;

export interface DwarfStrings {
  debugStr: Uint8Array | null;
  debugLineStr: Uint8Array | null;
}

/** Every row of every line program in `.debug_line`, sorted by address. */
export function readLineTable(debugLine: Uint8Array, strings: DwarfStrings): LineRow[] {
  const rows: LineRow[] = [];
  const c = new ByteCursor(debugLine, 0);
  while (!c.done) {
    let unitLength = c.u32();
    let offsetSize = 4;
    if (unitLength === 0xffffffff) {
      unitLength = Number(c.u64());
      offsetSize = 8;
    }
    const unitEnd = c.offset + unitLength;
    readProgram(new ByteCursor(debugLine, c.offset, unitEnd), offsetSize, strings, rows);
    c.offset = unitEnd;
  }
  rows.sort((a, b) => a.address - b.address || Number(b.endSequence) - Number(a.endSequence));
  return rows;
}

function stringAt(section: Uint8Array | null, offset: number): string {
  if (!section || offset >= section.length) return '';
  return new ByteCursor(section, offset).cString();
}

function readForm(c: ByteCursor, form: number, offsetSize: number, strings: DwarfStrings): string | number {
  switch (form) {
    case DW_FORM_string:
      return c.cString();
    case DW_FORM_line_strp:
      return stringAt(strings.debugLineStr, offsetSize === 8 ? Number(c.u64()) : c.u32());
    case DW_FORM_strp:
      return stringAt(strings.debugStr, offsetSize === 8 ? Number(c.u64()) : c.u32());
    case DW_FORM_udata:
      return c.uleb();
    case DW_FORM_data1:
      return c.u8();
    case DW_FORM_data2:
      return c.u16();
    case DW_FORM_data4:
      return c.u32();
    case DW_FORM_data8:
      return Number(c.u64());
    case DW_FORM_data16:
      c.bytesOf(16);
      return 0;
    case DW_FORM_block:
      c.bytesOf(c.uleb());
      return 0;
    case DW_FORM_block1:
      c.bytesOf(c.u8());
      return 0;
    default:
      throw new RangeError(`unsupported DWARF form 0x${form.toString(16)} in .debug_line`);
  }
}

/** DWARF 5 directory/file tables: a list of entries, each with the described content types. */
function readEntryTable(
  c: ByteCursor,
  offsetSize: number,
  strings: DwarfStrings,
): { path: string; directory: number }[] {
  const formatCount = c.u8();
  const formats: [number, number][] = [];
  for (let i = 0; i < formatCount; i++) formats.push([c.uleb(), c.uleb()]);
  const entries: { path: string; directory: number }[] = [];
  for (let n = c.uleb(); n > 0; n--) {
    const entry = { path: '', directory: 0 };
    for (const [type, form] of formats) {
      const value = readForm(c, form, offsetSize, strings);
      if (type === DW_LNCT_path) entry.path = String(value);
      else if (type === DW_LNCT_directory_index) entry.directory = Number(value);
    }
    entries.push(entry);
  }
  return entries;
}

function joinPath(directory: string, path: string): string {
  if (path.startsWith('/') || directory === '' || directory === '.') return path;
  return `${directory.replace(/\/$/, '')}/${path}`;
}

function readProgram(c: ByteCursor, offsetSize: number, strings: DwarfStrings, rows: LineRow[]): void {
  const version = c.u16();
  let addressSize = 8;
  if (version >= 5) {
    addressSize = c.u8();
    c.u8(); // segment selector size
  }
  const headerLength = offsetSize === 8 ? Number(c.u64()) : c.u32();
  const programStart = c.offset + headerLength;
  const minimumInstructionLength = c.u8();
  if (version >= 4) c.u8(); // maximum operations per instruction
  c.u8(); // default_is_stmt
  const lineBase = (c.u8() << 24) >> 24;
  const lineRange = c.u8();
  const opcodeBase = c.u8();
  const standardLengths: number[] = [];
  for (let i = 1; i < opcodeBase; i++) standardLengths.push(c.u8());

  const files: string[] = [];
  if (version >= 5) {
    const directories = readEntryTable(c, offsetSize, strings).map((d) => d.path);
    for (const f of readEntryTable(c, offsetSize, strings))
      files.push(joinPath(directories[f.directory] ?? '', f.path));
  } else {
    const directories = [''];
    for (let d = c.cString(); d !== ''; d = c.cString()) directories.push(d);
    files.push('');
    for (let f = c.cString(); f !== ''; f = c.cString()) {
      const directory = c.uleb();
      c.uleb();
      c.uleb();
      files.push(joinPath(directories[directory] ?? '', f));
    }
  }
  c.offset = programStart;

  let address = 0;
  let file = 1;
  let line = 1;
  let column = 0;
  const emit = (endSequence: boolean): void => {
    rows.push({ address, file: files[file] ?? `file${file}`, line, column, endSequence });
  };
  const reset = (): void => {
    address = 0;
    file = 1;
    line = 1;
    column = 0;
  };
  while (!c.done) {
    const opcode = c.u8();
    if (opcode >= opcodeBase) {
      const adjusted = opcode - opcodeBase;
      address += Math.floor(adjusted / lineRange) * minimumInstructionLength;
      line += lineBase + (adjusted % lineRange);
      emit(false);
      continue;
    }
    switch (opcode) {
      case 0: {
        const length = c.uleb();
        const next = c.offset + length;
        const extended = c.u8();
        if (extended === DW_LNE_end_sequence) {
          emit(true);
          reset();
        } else if (extended === DW_LNE_set_address) {
          address = addressSize === 8 ? Number(c.u64()) : c.u32();
        }
        c.offset = next;
        break;
      }
      case DW_LNS_copy:
        emit(false);
        break;
      case DW_LNS_advance_pc:
        address += c.uleb() * minimumInstructionLength;
        break;
      case DW_LNS_advance_line:
        line += c.sleb();
        break;
      case DW_LNS_set_file:
        file = c.uleb();
        break;
      case DW_LNS_set_column:
        column = c.uleb();
        break;
      case DW_LNS_negate_stmt:
      case DW_LNS_set_basic_block:
        break;
      case DW_LNS_const_add_pc:
        address += Math.floor((255 - opcodeBase) / lineRange) * minimumInstructionLength;
        break;
      case DW_LNS_fixed_advance_pc:
        address += c.u16();
        break;
      default:
        for (let i = 0; i < (standardLengths[opcode - 1] ?? 0); i++) c.uleb();
    }
  }
}

/** The row covering `address` (the last row at or before it, unless a sequence ended in between). */
export function lookupLine(rows: readonly LineRow[], address: number): LineRow | null {
  let lo = 0;
  let hi = rows.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.address <= address) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return null;
  const row = rows[found]!;
  return row.endSequence ? null : row;
}
