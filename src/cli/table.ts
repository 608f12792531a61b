import Table from 'cli-table3';
import { padVisible } from '../analyze/index.js';

/**
 * Above this many rows a table is laid out by `alignedRows` instead of
 * cli-table3, which measures every cell many times over (60,000 rows took
 * minutes). Both give the same lines for the ASCII cells bugcheck prints.
 */
export const TABLE_LIBRARY_MAX_ROWS = 300;

const BORDERLESS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
};

/** cli-table3, borderless, columns two spaces apart, without the padding it leaves after the last column. */
export function libraryRows(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const table = new Table({
    head: [...head],
    chars: BORDERLESS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  for (const row of rows) table.push([...row]);
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd());
}

/** The same layout in one pass: each column as wide as its widest cell (colour codes not counted). */
export function alignedRows(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const all = [head, ...rows];
  const widths = head.map(() => 0);
  for (const row of all) {
    for (const [column, cell] of row.entries()) widths[column] = Math.max(widths[column] ?? 0, visibleLength(cell));
  }
  return all.map((row) =>
    row
      .map((cell, column) => padVisible(cell, widths[column]!))
      .join('  ')
      .trimEnd(),
  );
}

function visibleLength(text: string): number {
  return text.replace(/\x1b\[[0-9;]*m/g, '').length;
}

/** Cells elided to fit a width keep at least this many characters. */
const MIN_ELIDED_CELL = 8;

/**
 * Cuts the last column so every row fits `width` columns: the cell keeps
 * its start and ends with `…`. The other columns (addresses, sizes) are never
 * cut. Cells carrying colour codes are left whole.
 */
function elideLastColumn(head: readonly string[], rows: readonly (readonly string[])[], width: number): string[][] {
  const all = [head, ...rows];
  const last = head.length - 1;
  let before = 0;
  for (let c = 0; c < last; c++) before += all.reduce((m, r) => Math.max(m, visibleLength(r[c] ?? '')), 0) + 2;
  const room = Math.max(width - before, MIN_ELIDED_CELL);
  return all.map((row) =>
    row.map((cell, c) =>
      c === last && visibleLength(cell) > room && !cell.includes('\x1b') ? `${cell.slice(0, room - 1)}…` : cell,
    ),
  );
}

/**
 * A borderless table in the spirit of WinDbg's `lm`: cli-table3 for short
 * tables, plain aligned rows for long ones. With `width`, the last column is
 * elided so each line fits (a terminal); without, nothing is cut (pipes, files).
 */
export function borderlessTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  width?: number,
): string[] {
  if (width !== undefined) {
    const [h, ...r] = elideLastColumn(head, rows, width);
    head = h!;
    rows = r;
  }
  const lines = rows.length > TABLE_LIBRARY_MAX_ROWS ? alignedRows(head, rows) : libraryRows(head, rows);
  return width === undefined ? lines : lines.map((l) => truncateVisible(l, width));
}

/** Cuts a line to `width` visible columns, ending it with `…`; colour codes are kept (and reset after the cut). */
export function truncateVisible(text: string, width: number): string {
  if (visibleLength(text) <= width) return text;
  let out = '';
  let visible = 0;
  let coloured = false;
  for (let i = 0; i < text.length; ) {
    const sgr = /^\x1b\[[0-9;]*m/.exec(text.slice(i, i + 16));
    if (sgr !== null) {
      out += sgr[0];
      coloured = true;
      i += sgr[0].length;
      continue;
    }
    if (visible === width - 1) break;
    out += text[i];
    visible++;
    i++;
  }
  return `${out}…${coloured ? '\x1b[0m' : ''}`;
}
