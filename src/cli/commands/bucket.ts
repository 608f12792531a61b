import { Option } from 'commander';
import { printable } from '../../analyze/index.js';
import { BucketAggregator, type BucketReport, DEFAULT_BUCKET_EXAMPLES } from '../../fleet/buckets.js';
import { dumpFilesSync, noDumpsError } from '../../fleet/files.js';
import { type DumpPool, defaultJobs, startDumpPool } from '../../fleet/pool.js';
import { codeText } from '../batch.js';
import type { CliCommand } from '../command.js';
import type { CliContext } from '../context.js';
import { EXIT_FAILURE, UsageError } from '../errors.js';
import { bugcheckCommand, shownPath } from '../invocation.js';
import { countProgressBar } from '../progress.js';
import { borderlessTable } from '../table.js';

function wholeNumber(name: string, min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min)
      throw new UsageError(`${name} must be a whole number ≥ ${min}, got "${value}"`);
    return n;
  };
}

function formatBucketReport(ctx: CliContext, report: BucketReport): string[] {
  const s = ctx.style;
  const day = (iso: string | null): string => (iso === null ? '-' : iso.replace(/\.\d{3}Z$/, 'Z'));
  const rows = report.buckets.map((b) => [
    String(b.count),
    printable(b.failureBucketId),
    b.codes.map(codeText).join(','),
    printable(b.modules.join(',')) || '-',
    day(b.firstSeen),
    day(b.lastSeen),
    printable(b.files[0] ?? ''),
  ]);
  const lines = borderlessTable(
    ['COUNT', 'FAILURE_BUCKET_ID', 'CODES', 'MODULES', 'FIRST SEEN', 'LAST SEEN', 'EXAMPLE'],
    rows,
  );
  lines.push(
    '',
    `${s.title('Dumps:')} ${report.dumps}  buckets: ${report.buckets.length}  failed: ${report.failed.length}`,
  );
  for (const f of report.failed)
    lines.push(`  ${printable(f.file)}  ${s.error('error')}: ${printable(f.error.message)} (${f.error.code})`);
  const top = report.buckets[0]?.files[0];
  if (top !== undefined) {
    const cli = bugcheckCommand(ctx.io.env);
    lines.push(
      '',
      s.title('Try next:'),
      `  ${cli} analyze ${shownPath(top)}    # the biggest bucket's first dump in full`,
    );
    lines.push(`  ${cli} view ${shownPath(top)}    # the same dump in a browser page`);
  }
  return lines;
}

/** `bugcheck bucket DIR…` — group many dumps by FAILURE_BUCKET_ID, on worker threads. */
export const bucketCommand: CliCommand = {
  name: 'bucket',
  register(program, ctx) {
    program
      .command('bucket')
      .description(
        'group crash dumps by FAILURE_BUCKET_ID (bug check code + faulting function): count, codes, modules, first/last SystemTime and example files, biggest bucket first',
      )
      .argument('<paths...>', 'folders (searched recursively for *.dmp) or dump files')
      .addOption(
        new Option('--jobs <n>', 'worker threads analysing dumps (1: in this thread)')
          .argParser(wholeNumber('--jobs', 1))
          .default(defaultJobs(), 'one per CPU'),
      )
      .addOption(
        new Option('--examples <n>', 'example files kept per bucket')
          .argParser(wholeNumber('--examples', 0))
          .default(DEFAULT_BUCKET_EXAMPLES),
      )
      .option(
        '--json',
        'print { buckets: [{ failureBucketId, count, codes, modules, firstSeen, lastSeen, files }], failed: [{ file, error }] }',
      )
      .addHelpText(
        'after',
        '\nA progress bar shows on stderr when it is a terminal. Exit code 1 when any dump could not be read (it is listed under failed).',
      )
      .action(async (paths: string[], options: { jobs: number; examples: number; json?: boolean }) => {
        ctx.json = options.json === true;
        const aggregator = new BucketAggregator(options.examples);
        // The workers boot while the rest of the folders are listed: started once there is a file for each.
        const files: string[] = [];
        let pool: DumpPool | undefined;
        try {
          for (const file of dumpFilesSync(paths)) {
            files.push(file);
            if (files.length === options.jobs && options.jobs > 1) pool = startDumpPool(options.jobs);
          }
          if (files.length === 0) throw noDumpsError(paths);
          pool ??= startDumpPool(Math.min(options.jobs, files.length));
          const progress = await countProgressBar(ctx.io.stderr, 'Analysing', files.length);
          try {
            await pool.run(files, (outcome) => {
              aggregator.add(outcome);
              progress.increment();
            });
          } finally {
            progress.stop();
          }
        } finally {
          await pool?.close();
        }
        const report = aggregator.report();
        if (report.failed.length > 0) ctx.exitCode = EXIT_FAILURE;
        if (ctx.json) ctx.printJson({ buckets: report.buckets, failed: report.failed });
        else ctx.print(formatBucketReport(ctx, report));
      });
  },
};
