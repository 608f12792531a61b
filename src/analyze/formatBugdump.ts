import type { BugDumpRecord, BugDumpResult } from './bugdump.js';
import { formatHexdump, presenceFromStatus } from './hexdump.js';
import { plainStyle, type TextStyle } from './style.js';
import { appendAll, printable, sizeHex, windbgAddress } from './text.js';

/** One record: its fields, then its buffer as a `db` hexdump. */
export function formatBugdumpRecord(r: BugDumpRecord, s: TextStyle = plainStyle): string[] {
  const lines: string[] = [];
  lines.push(
    s.title(`Dumping data for component '${r.component === null ? '(not in the dump)' : printable(r.component)}'`),
  );
  const field = (label: string, value: string): void => {
    lines.push(`  ${s.label(label.padEnd(16))}${value}`);
  };
  field('Record', s.address(windbgAddress(r.address)));
  field(
    'CallbackRoutine',
    `${s.address(windbgAddress(r.callbackRoutine))}${r.routineSymbol === null ? '' : ` (${s.value(r.routineSymbol)})`}`,
  );
  field(
    'Component',
    `${s.address(windbgAddress(r.componentAddress))}${r.component === null ? s.warning(' (not in the dump)') : ''}`,
  );
  field('Buffer', s.address(windbgAddress(r.buffer)));
  field(
    'Length',
    `${sizeHex(r.length)}${r.truncated && r.data !== null ? s.warning(` (first ${sizeHex(r.data.bytes.length)} bytes shown)`) : ''}`,
  );
  field('State', `${r.stateName} (${r.state})`);
  field('Checksum', sizeHex(r.checksum));
  if (r.omitted) {
    lines.push(`  ${s.warning('buffer not read: the buffers shown already reach the limit of bytes held')}`);
  } else if (r.data === null) {
    lines.push(`  ${s.dim('no buffer (Buffer NULL or Length 0)')}`);
  } else {
    if (!r.data.complete) lines.push(`  ${s.warning('?? = not in the dump')}`);
    appendAll(
      lines,
      formatHexdump(r.data.bytes, {
        address: r.buffer,
        isPresent: presenceFromStatus(r.buffer, r.data.status),
        style: s,
        indent: '  ',
      }),
    );
  }
  return lines;
}

/** The lines before the records: the list head, how many records, and what the buffers show. */
export function formatBugdumpHeading(result: BugDumpResult, s: TextStyle = plainStyle): string[] {
  if (!result.available) return [result.reason ?? 'no bug check callback records in this dump'];
  const head = result.listHead === null ? '?' : windbgAddress(result.listHead);
  const shown =
    result.records.length === result.totalRecords
      ? `${result.totalRecords}`
      : `${result.records.length} of ${result.totalRecords}`;
  return [
    `${s.label('KeBugCheckCallbackListHead')} at ${s.address(head)}: ${shown} record${result.totalRecords === 1 ? '' : 's'}`,
    s.dim('Legacy callbacks run after the dump is written: buffers show what they held before the crash.'),
  ];
}

/**
 * `!bugdump` output: the heading, then per record its fields and its buffer.
 * (The CLI prints heading and records one at a time, so a long list is never one big array of lines.)
 */
export function formatBugdump(result: BugDumpResult, s: TextStyle = plainStyle): string[] {
  const lines = formatBugdumpHeading(result, s);
  if (!result.available) return lines;
  for (const r of result.records) {
    lines.push('');
    appendAll(lines, formatBugdumpRecord(r, s));
  }
  return lines;
}
