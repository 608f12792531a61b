import { bugDumpJson, formatBugdumpHeading, formatBugdumpRecord, walkBugCheckCallbacks } from '../../analyze/index.js';
import type { CliCommand } from '../command.js';
import { dumpProblems, withDump } from '../dump.js';
import { JobError, JobErrorCode } from '../jobErrors.js';

/** `bugcheck bugdump DUMP [COMPONENT]` — WinDbg's `!bugdump`: legacy bug check callback records and their buffers. */
export const bugdumpCommand: CliCommand = {
  name: 'bugdump',
  register(program, ctx) {
    program
      .command('bugdump')
      .description(
        "show the legacy bug check callback records (KeRegisterBugCheckCallback) and each buffer's bytes as the dump holds them, like WinDbg's !bugdump",
      )
      .argument('<dump>', 'crash dump file (kernel or complete; small dumps do not hold these buffers)')
      .argument('[component]', 'only the record(s) registered with this Component name (case-insensitive)')
      .option(
        '--json',
        'print { available, listHead, totalRecords, records: [{ address, component, callbackRoutine, routineSymbol, buffer, length, state, stateName, bytes (hex), pages, … }], problems }',
      )
      .addHelpText(
        'after',
        '\nThe list is walked from KDDEBUGGER_DATA64.KeBugCheckCallbackListHead. Legacy routines run after the dump is written, so a buffer shows what it held before the crash; ?? marks bytes not in the dump.\nExit code 1 on a small dump, when no record has COMPONENT, or when the list is broken.',
      )
      .action(async (path: string, component: string | undefined, options: { json?: boolean }) => {
        ctx.json = options.json === true;
        const result = await withDump(path, async (dump) => {
          const walk = await walkBugCheckCallbacks(dump, component === undefined ? {} : { component });
          return { ...walk, problems: dumpProblems(dump, walk.problems) };
        });
        if (!result.available) {
          // Why it is unavailable may be a damaged field: say so before the error line.
          if (!ctx.json) ctx.warnProblems(result.problems);
          throw new JobError(
            JobErrorCode.NoLegacyBuffers,
            result.reason ?? 'no legacy bug check callback records in this dump',
            { path },
          );
        }
        if (component !== undefined && result.records.length === 0) {
          throw new JobError(
            JobErrorCode.NoSuchComponent,
            `no bug check callback record has component "${component}" (${result.totalRecords} record${result.totalRecords === 1 ? '' : 's'} on the list)`,
            { component },
          );
        }
        if (ctx.json) ctx.printJson(bugDumpJson(result));
        else {
          ctx.print(formatBugdumpHeading(result, ctx.style));
          for (const record of result.records) {
            ctx.print('');
            ctx.print(formatBugdumpRecord(record, ctx.style));
          }
        }
        ctx.warnProblems(result.problems);
      });
  },
};
