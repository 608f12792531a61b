import { dumpHeaderListing, formatHeaderListing, jsonHex } from '../../analyze/index.js';
import type { CliCommand } from '../command.js';
import { dumpProblems, withDump } from '../dump.js';

/** `bugcheck header DUMP` — every header field with its file offset (like WinDbg's .dumpdebug). */
export const headerCommand: CliCommand = {
  name: 'header',
  register(program, ctx) {
    program
      .command('header')
      .description(
        "list every field of the dump header and of the body's header (runs, bitmap header or TRIAGE_DUMP64) with its file offset (like WinDbg .dumpdebug)",
      )
      .argument('<dump>', 'crash dump file')
      .option(
        '--json',
        'print { title, sections: [{ structure, offset, size, fields: [{ offset, name, type, size, value, note? }] }], problems }',
      )
      .action(async (path: string, options: { json?: boolean }) => {
        ctx.json = options.json === true;
        const { listing, problems } = await withDump(path, async (dump) => ({
          listing: await dumpHeaderListing(dump),
          problems: dumpProblems(dump),
        }));
        if (ctx.json) {
          if (problems.some((p) => p.severity === 'error')) ctx.exitCode = 1;
          ctx.printJson({
            title: listing.title,
            sections: listing.sections.map((s) => ({
              structure: s.structure,
              offset: jsonHex(s.offset),
              size: s.size,
              fields: s.fields.map((f) => ({ ...f, offset: jsonHex(f.offset) })),
            })),
            problems: problems.map((p) => ({ ...p, offset: p.offset === undefined ? undefined : jsonHex(p.offset) })),
          });
        } else {
          ctx.print(formatHeaderListing(listing, ctx.style));
          ctx.warnProblems(problems);
        }
      });
  },
};
