/**
 * Base class of every error bugcheck throws on purpose. `code` is stable and
 * documented; `toJSON()` is what `--json` prints.
 */
export class BugcheckError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }

  toJSON(): { name: string; code: string; message: string; details: Record<string, unknown> } {
    return { name: this.name, code: this.code, message: this.message, details: jsonSafe(this.details) };
  }
}

/** A structure could not be decoded or encoded: names the structure, field and offset. */
export class FormatError extends BugcheckError {
  constructor(message: string, details: { structure?: string; field?: string; offset?: number | bigint } = {}) {
    super('E_FORMAT', message, details);
  }
}

/** Turns bigint values into hex strings so details survive JSON.stringify. */
export function jsonSafe(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = typeof v === 'bigint' ? `0x${v.toString(16)}` : v;
  }
  return out;
}

export function hex(value: number | bigint, width = 0): string {
  const big = typeof value === 'bigint' ? value : BigInt(Math.trunc(value));
  // Negative values are shown as their 64-bit two's complement, like a debugger does.
  const s = (big < 0n ? BigInt.asUintN(64, big) : big).toString(16).toUpperCase();
  return `0x${s.padStart(width, '0')}`;
}
