import picocolors from 'picocolors';
import wrapAnsi from 'wrap-ansi';
import type { TextStyle } from '../analyze/index.js';
import { capProblems, hiddenProblemsText, jsonHex, problemLine } from '../analyze/index.js';
import type { DumpProblem } from '../dump/reader/index.js';

/** Anything main() can write to: process.stdout/stderr, or a capture in tests. */
export interface OutputStream {
  write(chunk: string | Uint8Array): unknown;
  isTTY?: boolean;
  /** Terminal width (process.stdout.columns). */
  columns?: number;
  /** The file descriptor written to, when it is one of the process's own (bin/bugcheck.cjs writes pipes and files directly). */
  fd?: number;
  /** Streams that can push back (write() returned false) say when to go on. */
  once?(event: 'drain', listener: () => void): unknown;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Environment consulted for NO_COLOR / FORCE_COLOR; defaults to process.env. */
  env?: Record<string, string | undefined>;
}

export type Colors = ReturnType<typeof picocolors.createColors>;

/** What every command gets: where to write, how to colour, and the exit code it sets. */
export class CliContext {
  readonly colors: Colors;
  readonly style: TextStyle;
  readonly errorColors: Colors;
  /** Set by a command that fails without throwing (e.g. a dump with error-level problems). */
  exitCode = 0;
  /** Whether the running command was asked for --json (errors are then printed as JSON). */
  json = false;

  constructor(readonly io: CliIo) {
    const env = io.env ?? process.env;
    this.colors = picocolors.createColors(colourEnabled(io.stdout, env));
    this.errorColors = picocolors.createColors(colourEnabled(io.stderr, env));
    this.style = styleFrom(this.colors);
  }

  /**
   * Columns of the terminal text must fit: COLUMNS when set, else the width
   * of stdout when it is a terminal; undefined (no wrapping) for pipes and
   * files, so scripts see whole lines. JSON is never wrapped.
   */
  get columns(): number | undefined {
    const env = this.io.env ?? process.env;
    const fromEnv = Number(env.COLUMNS);
    if (env.COLUMNS !== undefined && Number.isInteger(fromEnv) && fromEnv >= MIN_COLUMNS) return fromEnv;
    const width = this.io.stdout.columns;
    return this.io.stdout.isTTY === true && typeof width === 'number' && width >= MIN_COLUMNS ? width : undefined;
  }

  /** Writes lines to stdout, each wrapped to the terminal's width (continuations indented). */
  print(lines: string | readonly string[]): void {
    const list = typeof lines === 'string' ? [lines] : lines;
    if (list.length === 0) return;
    const columns = this.columns;
    this.io.stdout.write(`${(columns === undefined ? list : list.map((l) => fitLine(l, columns))).join('\n')}\n`);
  }

  /**
   * Writes a piece of a long output to stdout and, when the stream pushes
   * back, waits until it drains — so hundreds of megabytes pass through
   * without piling up in memory.
   */
  async writeStdout(chunk: string | Uint8Array): Promise<void> {
    const stream = this.io.stdout;
    if (stream.write(chunk) === false && typeof stream.once === 'function') {
      await new Promise<void>((resolve) => stream.once?.('drain', resolve));
    }
  }

  /** Writes a value as indented JSON to stdout; bigints become `0x…` strings. */
  printJson(value: unknown): void {
    this.io.stdout.write(`${toJson(value)}\n`);
  }

  /**
   * One line per problem on stderr (stdout stays clean for the data and for
   * JSON), at most PROBLEM_LINES_PER_CODE of one code and severity, then one
   * line counting the rest (a damaged table can yield thousands of the same
   * warning). Error-level problems mean the dump is bad: the exit code
   * becomes 1 (no `error:` line ever ends in exit 0), although the command
   * printed what it could.
   */
  warnProblems(problems: readonly DumpProblem[]): void {
    if (problems.some((p) => p.severity === 'error')) this.exitCode = 1;
    const { shown, hidden } = capProblems(problems);
    for (const p of shown) this.io.stderr.write(`bugcheck: ${this.severityTag(p.severity)}: ${problemText(p)}\n`);
    for (const h of hidden)
      this.io.stderr.write(`bugcheck: ${this.severityTag(h.severity)}: ${hiddenProblemsText(h)}\n`);
  }

  private severityTag(severity: 'warning' | 'error'): string {
    return severity === 'error' ? this.errorColors.red('error') : this.errorColors.yellow('warning');
  }
}

/** Problems of one code and severity printed one by one; the rest are counted (defined with the capping, in src/analyze). */
export { PROBLEM_LINES_PER_CODE } from '../analyze/index.js';

/** NO_COLOR (any non-empty value) turns colour off; FORCE_COLOR (non-empty, not 0) turns it on; otherwise only on a TTY. */
export function colourEnabled(stream: OutputStream, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

export function styleFrom(c: Colors): TextStyle {
  return {
    title: c.bold,
    label: c.cyan,
    value: c.bold,
    address: c.green,
    dim: c.dim,
    warning: c.yellow,
    error: c.red,
  };
}

export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? jsonHex(v) : v), 2);
}

/** A reader problem as one line (the analyzer's wording; the offset shown as hex). */
export function problemText(p: DumpProblem): string {
  return problemLine({ ...p, offset: p.offset === undefined ? undefined : jsonHex(p.offset) });
}

/** Narrower than this, wrapping would do more harm than good. */
const MIN_COLUMNS = 40;
/** Continuation lines of a wrapped line start this far in. */
const WRAP_INDENT = '    ';

/** One line, wrapped at word boundaries (hard-broken when a word is longer) to `columns`. */
export function fitLine(line: string, columns: number): string {
  if (line.length <= columns) return line;
  const [first, ...rest] = wrapAnsi(line, columns, { hard: true, trim: false }).split('\n');
  if (rest.length === 0) return first ?? '';
  const tail = wrapAnsi(rest.map((l) => l.trim()).join(' '), columns - WRAP_INDENT.length, { hard: true })
    .split('\n')
    .map((l) => WRAP_INDENT + l);
  return [first, ...tail].join('\n');
}
