import { analyzeDump, formatAnalysis } from '../../analyze/index.js';
import type { CliCommand } from '../command.js';
import { withDump } from '../dump.js';
import { EXIT_FAILURE } from '../errors.js';

/** `bugcheck analyze DUMP` — the `!analyze -v` view. Exit 1 when the dump has error-level problems. */
export const analyzeCommand: CliCommand = {
  name: 'analyze',
  register(program, ctx) {
    program
      .command('analyze')
      .description(
        'bug check code, name and parameter meanings, system facts, crashing context, faulting module, secondary data and problems (like WinDbg !analyze -v)',
      )
      .argument('<dump>', 'crash dump file')
      .option('--json', 'print the analysis as JSON')
      .addHelpText(
        'after',
        '\nExit code 1 when the dump could not be read or has error-level problems (the analysis is still printed).',
      )
      .action(async (path: string, options: { json?: boolean }) => {
        ctx.json = options.json === true;
        const analysis = await withDump(path, analyzeDump);
        if (ctx.json) ctx.printJson(analysis);
        else ctx.print(formatAnalysis(analysis, ctx.style));
        if (analysis.problems.some((p) => p.severity === 'error')) ctx.exitCode = EXIT_FAILURE;
      });
  },
};
