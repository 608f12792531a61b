import { writeFile } from 'node:fs/promises';
import { formatGuidBraced, type GuidString } from '../../format/index.js';
import { jsonHex } from '../../analyze/index.js';
import type { CliCommand } from '../command.js';
import { withDump } from '../dump.js';
import { CliError, CliErrorCode } from '../errors.js';
import { guidArgument, indexArgument } from '../parse.js';

/** `bugcheck blob DUMP GUID` — the raw bytes of one secondary data blob (like IDebugDataSpaces3::ReadTagged). */
export const blobCommand: CliCommand = {
  name: 'blob',
  register(program, ctx) {
    program
      .command('blob')
      .description('write the raw bytes of one secondary data blob to stdout or a file (the first blob with that GUID, as ReadTagged does)')
      .argument('<dump>', 'crash dump file')
      .argument('<guid>', 'blob tag, e.g. 54c84888-01d1-4c1e-bed6-282c98241303 (braces and case optional)', guidArgument)
      .option('--index <n>', 'take the n-th blob carrying that GUID (0 = first)', indexArgument)
      .option('-o, --output <file>', 'write the bytes to this file instead of stdout')
      .option('--json', 'print { guid, index, size, offset, output?, data? } (data as hex when there is no --output; index = position among all blobs)')
      .action(async (path: string, guid: GuidString, options: { index?: number; output?: string; json?: boolean }) => {
        ctx.json = options.json === true;
        await withDump(path, async (dump) => {
          const scan = await dump.secondaryData();
          // A damaged blob further on does not spoil the one asked for.
          ctx.warnProblems(scan.problems, false);
          const matching = scan.blobs.filter((b) => b.guid === guid);
          const which = options.index ?? 0;
          const blob = matching[which];
          if (blob === undefined) {
            const message =
              matching.length === 0
                ? `no secondary data blob has the tag ${formatGuidBraced(guid)} (${scan.blobs.length} blobs in the dump; 'bugcheck enumtag' lists them)`
                : `only ${matching.length} blob(s) have the tag ${formatGuidBraced(guid)}; --index ${which} is out of range`;
            throw new CliError(CliErrorCode.NoSuchBlob, message, { guid, index: which, blobs: scan.blobs.length });
          }
          const data = await dump.readBlob(blob);
          if (options.output !== undefined) {
            try {
              await writeFile(options.output, data);
            } catch (err) {
              throw new CliError(CliErrorCode.Output, `cannot write ${options.output}: ${err instanceof Error ? err.message : String(err)}`, { path: options.output });
            }
          }
          if (ctx.json) {
            const out: Record<string, unknown> = { guid: blob.guid, index: blob.index, size: blob.size, offset: jsonHex(blob.offset) };
            if (options.output !== undefined) out.output = options.output;
            else out.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('hex');
            ctx.printJson(out);
          } else if (options.output === undefined) {
            ctx.io.stdout.write(data);
          } else {
            ctx.io.stderr.write(`bugcheck: wrote ${data.length} bytes of ${formatGuidBraced(blob.guid)} to ${options.output}\n`);
          }
        });
      });
  },
};
