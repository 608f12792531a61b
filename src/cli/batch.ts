import { printable } from '../analyze/index.js';
import { dumpFiles, noDumpsError } from '../fleet/files.js';
import { analyzeDumpFile, summaryOf } from '../fleet/summary.js';
import type { CliContext } from './context.js';
import { EXIT_FAILURE } from './errors.js';
import { bugcheckCommand, shownPath } from './invocation.js';

/** A bug check code as WinDbg writes it: `0xD1`. */
export function codeText(hex: string): string {
  return `0x${BigInt(hex).toString(16).toUpperCase()}`;
}

/** One compact JSON line; bigints become `0x…` like every other --json output. */
function jsonLine(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))}\n`;
}

/**
 * `bugcheck analyze DUMP… | DIR…`: every dump the paths name (folders
 * recursively, `*.dmp`), one after another. Text: one summary line per dump,
 * then the totals; --json: NDJSON, the single-dump analysis object per line
 * (its `file` as found), or `{ "file", "error" }` for a dump that cannot be
 * read. A failure is one line, never the end of the run; exit 1 at the end
 * when any dump failed or has error-level problems.
 */
export async function analyzeBatch(ctx: CliContext, paths: readonly string[]): Promise<void> {
  const s = ctx.style;
  let dumps = 0;
  let failed = 0;
  let withErrors = 0;
  let firstDump: string | undefined;
  const buckets = new Set<string>();
  for await (const file of dumpFiles(paths)) {
    dumps++;
    const result = await analyzeDumpFile(file);
    if ('error' in result) {
      failed++;
      await ctx.writeStdout(
        ctx.json
          ? jsonLine({ file, error: result.error })
          : `${printable(file)}  ${s.error('error')}: ${printable(result.error.message)} (${result.error.code})\n`,
      );
      continue;
    }
    const summary = summaryOf(file, result.analysis);
    firstDump ??= file;
    buckets.add(summary.failureBucketId);
    if (summary.errors > 0) withErrors++;
    if (ctx.json) {
      await ctx.writeStdout(jsonLine({ ...result.analysis, file }));
      continue;
    }
    const bc = result.analysis.bugCheck;
    const fields = [
      printable(file),
      `${s.value(codeText(bc.code))} ${bc.name ?? 'UNKNOWN_BUGCHECK'}`,
      s.value(printable(summary.failureBucketId)),
      summary.systemTime ?? '-',
    ];
    if (summary.errors > 0) fields.push(s.error(`${summary.errors} error${summary.errors === 1 ? '' : 's'}`));
    await ctx.writeStdout(`${fields.join('  ')}\n`);
  }
  if (dumps === 0) {
    throw noDumpsError(paths);
  }
  if (failed > 0 || withErrors > 0) ctx.exitCode = EXIT_FAILURE;
  if (ctx.json) return;
  const cli = bugcheckCommand(ctx.io.env);
  const lines = [
    '',
    `${s.title('Dumps:')} ${dumps}  analysed: ${dumps - failed}  failed: ${failed}  with error-level problems: ${withErrors}  failure buckets: ${buckets.size}`,
  ];
  lines.push('', s.title('Try next:'));
  lines.push(`  ${cli} bucket ${paths.map((p) => shownPath(p)).join(' ')}    # group them by FAILURE_BUCKET_ID`);
  if (firstDump !== undefined) lines.push(`  ${cli} analyze ${shownPath(firstDump)}    # one dump in full`);
  ctx.print(lines);
}
