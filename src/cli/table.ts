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

/** A borderless table in the spirit of WinDbg's `lm`: cli-table3 for short tables, plain aligned rows for long ones. */
export function borderlessTable(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return rows.length > TABLE_LIBRARY_MAX_ROWS ? alignedRows(head, rows) : libraryRows(head, rows);
}
