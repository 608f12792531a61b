import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import picocolors from 'picocolors';
import { TABLE_LIBRARY_MAX_ROWS, alignedRows, borderlessTable, libraryRows } from '../../src/cli/table.js';

const colours = picocolors.createColors(true);

function rowsOf(n: number, coloured: boolean): string[][] {
  return Array.from({ length: n }, (_, i) => {
    const name = `drv${'x'.repeat(i % 13)}${i}`;
    return [
      coloured ? colours.green(i.toString(16).padStart(16, '0')) : i.toString(16).padStart(16, '0'),
      (i * 0x1000).toString(16).padStart(8, '0'),
      i % 3 === 0 ? '' : `${i}`.repeat(i % 5),
      coloured ? colours.bold(name) : name,
    ];
  });
}

describe('borderless tables', () => {
  it('alignedRows lays out exactly as cli-table3 does, with and without colour, empty cells included', () => {
    const head = ['start', 'size', 'note', 'module'];
    for (const coloured of [false, true]) {
      for (const n of [1, 7, 40]) {
        const styledHead = coloured ? head.map((h) => colours.bold(h)) : head;
        assert.deepEqual(
          alignedRows(styledHead, rowsOf(n, coloured)),
          libraryRows(styledHead, rowsOf(n, coloured)),
          `${n} rows, colour ${coloured}`,
        );
      }
    }
  });

  it(`switches to aligned rows above ${TABLE_LIBRARY_MAX_ROWS} rows without changing the lines`, () => {
    const head = ['start', 'size', 'note', 'module'];
    const rows = rowsOf(TABLE_LIBRARY_MAX_ROWS + 1, false);
    const lines = borderlessTable(head, rows);
    assert.equal(lines.length, rows.length + 1);
    assert.deepEqual(lines, libraryRows(head, rows));
    assert.ok(lines.every((l) => l === l.trimEnd()));
  });
});
