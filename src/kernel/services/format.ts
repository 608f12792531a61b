/**
 * The printf-style formatting of DbgPrint and the RtlString*Printf family,
 * as the Windows kernel reads a format (LLP64, MSVC sizes): `%l`/`%lu`/`%lx`
 * are 32-bit, `%ll`, `%I64`, `%I`, `%z`, `%t`, `%j` and `%p` are 64-bit;
 * `%s` is an ANSI string (wide in the W functions), `%S`/`%ws`/`%ls` the
 * other width, `%Z` a PANSI_STRING and `%wZ` a PUNICODE_STRING; `%c`, `%C`,
 * `%wc`; `%d %i %u %x %X %o`, `%e %f %g` (doubles), `%%`. Flags `-+ #0`,
 * width and precision (also `*`). `%p` prints 16 upper-case hex digits, as
 * the kernel does; a NULL string prints `(null)`.
 */

/** Reads variadic arguments from a wasm64 va_list: each at its natural alignment, int-promoted. */
export interface VaArgs {
  int32(): number;
  int64(): bigint;
  float64(): number;
}

export interface FormatMemory {
  /** An ANSI string at `va` (to its NUL). */
  ansiString(va: bigint): string;
  /** A UTF-16 string at `va` (to its NUL). */
  wideString(va: bigint): string;
  /** A counted string: STRING (wide false) or UNICODE_STRING (wide true) at `va`. */
  countedString(va: bigint, wide: boolean): string;
}

/** Reads arguments laid out by Clang for wasm64 from a byte reader. */
export class WasmVaList implements VaArgs {
  constructor(
    private readonly read: (va: bigint, length: number) => Uint8Array,
    private cursor: bigint,
  ) {}

  private take(size: number): DataView {
    const align = BigInt(size);
    this.cursor = (this.cursor + align - 1n) & ~(align - 1n);
    const bytes = this.read(this.cursor, size);
    this.cursor += align;
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  int32(): number {
    return this.take(4).getInt32(0, true);
  }

  int64(): bigint {
    return this.take(8).getBigInt64(0, true);
  }

  float64(): number {
    return this.take(8).getFloat64(0, true);
  }
}

type Size = 'hh' | 'h' | 'l' | 'll' | 'I' | 'I32' | 'w' | '';

function pad(text: string, width: number, left: boolean, zero: boolean, signed: boolean): string {
  if (text.length >= width) return text;
  if (left) return text.padEnd(width, ' ');
  if (zero) {
    const sign = signed && /^[+\- ]/.test(text) ? text[0]! : '';
    const prefix = /^[+\- ]?0[xX]/.test(text) ? text.slice(sign.length, sign.length + 2) : '';
    const body = text.slice(sign.length + prefix.length);
    return sign + prefix + body.padStart(width - sign.length - prefix.length, '0');
  }
  return text.padStart(width, ' ');
}

function integerArgument(args: VaArgs, size: Size, unsigned: boolean): bigint {
  const wide = size === 'll' || size === 'I';
  let v = wide ? args.int64() : BigInt(args.int32());
  if (size === 'h') v = unsigned ? BigInt.asUintN(16, v) : BigInt.asIntN(16, v);
  else if (size === 'hh') v = unsigned ? BigInt.asUintN(8, v) : BigInt.asIntN(8, v);
  else if (!wide) v = unsigned ? BigInt.asUintN(32, v) : BigInt.asIntN(32, v);
  else if (unsigned) v = BigInt.asUintN(64, v);
  return v;
}

/**
 * Formats `format` (already decoded to a string of code units) with `args`.
 * `wideFunction`: the W variants, where %s is wide and %S ANSI.
 */
export function formatMessage(format: string, args: VaArgs, memory: FormatMemory, wideFunction = false): string {
  let out = '';
  let i = 0;
  while (i < format.length) {
    const ch = format[i]!;
    if (ch !== '%') {
      out += ch;
      i++;
      continue;
    }
    const start = i;
    i++;
    let left = false;
    let plus = false;
    let space = false;
    let alt = false;
    let zero = false;
    for (;;) {
      const f = format[i];
      if (f === '-') left = true;
      else if (f === '+') plus = true;
      else if (f === ' ') space = true;
      else if (f === '#') alt = true;
      else if (f === '0') zero = true;
      else break;
      i++;
    }
    let width = 0;
    if (format[i] === '*') {
      width = args.int32();
      if (width < 0) {
        left = true;
        width = -width;
      }
      i++;
    } else
      while (/[0-9]/.test(format[i] ?? '')) {
        width = width * 10 + Number(format[i]);
        i++;
      }
    let precision = -1;
    if (format[i] === '.') {
      i++;
      precision = 0;
      if (format[i] === '*') {
        precision = args.int32();
        i++;
      } else
        while (/[0-9]/.test(format[i] ?? '')) {
          precision = precision * 10 + Number(format[i]);
          i++;
        }
    }
    let size: Size = '';
    if (format.startsWith('I64', i)) {
      size = 'll';
      i += 3;
    } else if (format.startsWith('I32', i)) {
      size = 'I32';
      i += 3;
    } else if (format.startsWith('ll', i)) {
      size = 'll';
      i += 2;
    } else if (format.startsWith('hh', i)) {
      size = 'hh';
      i += 2;
    } else if ('Izjt'.includes(format[i] ?? '_')) {
      size = 'I';
      i++;
    } else if (format[i] === 'q' || format[i] === 'L') {
      size = 'll';
      i++;
    } else if (format[i] === 'l') {
      size = 'l';
      i++;
    } else if (format[i] === 'h') {
      size = 'h';
      i++;
    } else if (format[i] === 'w') {
      size = 'w';
      i++;
    }
    const type = format[i];
    i++;
    let text: string;
    switch (type) {
      case '%':
        out += '%';
        continue;
      case 'd':
      case 'i': {
        const v = integerArgument(args, size, false);
        let digits = (v < 0n ? -v : v).toString();
        if (precision >= 0) digits = precision === 0 && v === 0n ? '' : digits.padStart(precision, '0');
        text = (v < 0n ? '-' : plus ? '+' : space ? ' ' : '') + digits;
        out += pad(text, width, left, zero && precision < 0, true);
        continue;
      }
      case 'u':
      case 'x':
      case 'X':
      case 'o': {
        const v = integerArgument(args, size, true);
        const radix = type === 'o' ? 8 : type === 'u' ? 10 : 16;
        let digits = v.toString(radix);
        if (type === 'X') digits = digits.toUpperCase();
        if (precision >= 0) digits = precision === 0 && v === 0n ? '' : digits.padStart(precision, '0');
        const prefix = alt && v !== 0n ? (type === 'x' ? '0x' : type === 'X' ? '0X' : type === 'o' ? '0' : '') : '';
        out += pad(prefix + digits, width, left, zero && precision < 0, false);
        continue;
      }
      case 'p': {
        const v = BigInt.asUintN(64, args.int64());
        out += pad(v.toString(16).toUpperCase().padStart(16, '0'), width, left, false, false);
        continue;
      }
      case 'c':
      case 'C': {
        const code = args.int32();
        const wide = size === 'w' || size === 'l' || (type === 'C') !== wideFunction;
        text = String.fromCharCode(wide ? code & 0xffff : code & 0xff);
        out += pad(text, width, left, false, false);
        continue;
      }
      case 's':
      case 'S': {
        const va = BigInt.asUintN(64, args.int64());
        const wide = size === 'w' || size === 'l' ? true : size === 'h' ? false : (type === 'S') !== wideFunction;
        text = va === 0n ? '(null)' : wide ? memory.wideString(va) : memory.ansiString(va);
        if (precision >= 0) text = text.slice(0, precision);
        out += pad(text, width, left, false, false);
        continue;
      }
      case 'Z': {
        const va = BigInt.asUintN(64, args.int64());
        text = va === 0n ? '(null)' : memory.countedString(va, size === 'w' || size === 'l');
        if (precision >= 0) text = text.slice(0, precision);
        out += pad(text, width, left, false, false);
        continue;
      }
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G': {
        const v = args.float64();
        const p = precision < 0 ? 6 : precision;
        if (!Number.isFinite(v)) text = Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
        else if (type === 'f' || type === 'F') text = v.toFixed(p);
        else if (type === 'e' || type === 'E') text = v.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
        else {
          const exp = v === 0 ? 0 : Math.floor(Math.log10(Math.abs(v)));
          const digits = p === 0 ? 1 : p;
          text =
            exp < -4 || exp >= digits
              ? v.toExponential(digits - 1).replace(/e([+-])(\d)$/, 'e$10$2')
              : v.toFixed(Math.max(0, digits - 1 - exp));
          if (!alt && text.includes('.')) text = text.replace(/\.?0+(e|$)/, '$1');
        }
        if (type === 'E' || type === 'G') text = text.toUpperCase();
        if (v >= 0 && plus) text = `+${text}`;
        else if (v >= 0 && space) text = ` ${text}`;
        out += pad(text, width, left, zero, true);
        continue;
      }
      default:
        // Unknown or unsupported conversion (including %n): printed as written.
        out += format.slice(start, i);
    }
  }
  return out;
}
