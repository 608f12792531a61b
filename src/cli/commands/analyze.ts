import { analyzeDump, formatAnalysis } from '../../analyze/index.js';
import type { CliCommand } from '../command.js';
import { withDump } from '../dump.js';
import { EXIT_FAILURE } from '../errors.js';
import { analyzeBatch } from '../batch.js';
import { isDirectory } from '../../fleet/files.js';

/** `bugcheck analyze DUMP` — the `!analyze -v` view. Exit 1 when the dump has error-level problems. */
export const analyzeCommand: CliCommand = {
  name: 'analyze',
  register(program, ctx) {
    program
      .command('analyze')
      .description(
        'bug check code, name and parameter meanings, system facts, crashing context, faulting module, secondary data and problems (like WinDbg !analyze -v)',
      )
      .argument(
        '<dump...>',
        'crash dump file; several files or folders (searched for *.dmp) analyse each: one line per dump',
      )
      .option('--json', 'print the analysis as JSON (several dumps: NDJSON, one object per line, with "file")')
      .addHelpText(
        'after',
        '\nExit code 1 when the dump could not be read or has error-level problems (the analysis is still printed).\nSeveral dumps: a failed one is one line ({ "file", "error" } with --json) and the run goes on; exit 1 at the end if any failed.',
      )
      .action(async (paths: string[], options: { json?: boolean }) => {
        ctx.json = options.json === true;
        if (paths.length > 1 || (await isDirectory(paths[0]!))) return analyzeBatch(ctx, paths);
        const path = paths[0]!;
        const analysis = await withDump(path, analyzeDump);
        if (ctx.json) ctx.printJson(analysis);
        else ctx.print(formatAnalysis(analysis, ctx.style));
        if (analysis.problems.some((p) => p.severity === 'error')) ctx.exitCode = EXIT_FAILURE;
      });
  },
};
