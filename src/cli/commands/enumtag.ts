import { formatEnumtagBytes, formatEnumtagHeading, formatEnumtagRest, jsonHex, sizeHex } from '../../analyze/index.js';
import type { CliCommand } from '../command.js';
import { dumpProblems, withDump } from '../dump.js';
import { CliError, CliErrorCode, JSON_HEX_MAX_BYTES } from '../errors.js';

/** Bytes of each block shown without --full. */
export const ENUMTAG_PREVIEW_BYTES = 0x40;
/** --full reads and prints a block this many bytes at a time (a multiple of 16: whole hexdump lines). */
const ENUMTAG_CHUNK_BYTES = 0x100000;

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** `bugcheck enumtag DUMP` — every secondary data blob, like WinDbg's `.enumtag`. */
export const enumtagCommand: CliCommand = {
  name: 'enumtag',
  register(program, ctx) {
    program
      .command('enumtag')
      .description(
        'list every secondary data block (bug check callback data): {GUID} - size, with a hex/ASCII preview (like WinDbg .enumtag)',
      )
      .argument('<dump>', 'crash dump file')
      .option('--full', 'dump every byte of every block instead of a preview')
      .option(
        '--json',
        'print [{ index, guid, size, offset }] (offset = file offset of the data; with --full also data as hex, up to 16 MiB in all)',
      )
      .addHelpText(
        'after',
        "\n--full --json refuses blocks of more than 16 MiB in all (exit 1): write a block's bytes with 'bugcheck blob DUMP GUID -o FILE'.",
      )
      .action(async (path: string, options: { json?: boolean; full?: boolean }) => {
        ctx.json = options.json === true;
        const full = options.full === true;
        await withDump(path, async (dump) => {
          const scan = await dump.secondaryData();
          if (ctx.json) {
            const total = scan.blobs.reduce((n, b) => n + b.size, 0);
            if (full && total > JSON_HEX_MAX_BYTES) {
              throw new CliError(
                CliErrorCode.TooLargeForJson,
                `the secondary data blocks hold ${sizeHex(total)} bytes, more than the ${sizeHex(JSON_HEX_MAX_BYTES)} --full --json prints as hex; leave out --full and write each block with 'bugcheck blob ${path} GUID -o FILE'`,
                { bytes: total, limit: JSON_HEX_MAX_BYTES },
              );
            }
            ctx.warnProblems(dumpProblems(dump, scan.problems));
            const out: { index: number; guid: string; size: number; offset: string; data?: string }[] = [];
            for (const blob of scan.blobs) {
              const entry: (typeof out)[number] = {
                index: blob.index,
                guid: blob.guid,
                size: blob.size,
                offset: jsonHex(blob.offset),
              };
              if (full) {
                const hex: string[] = [];
                for await (const chunk of dump.blobChunks(blob)) hex.push(toHex(chunk));
                entry.data = hex.join('');
              }
              out.push(entry);
            }
            ctx.printJson(out);
            return;
          }
          ctx.warnProblems(dumpProblems(dump, scan.problems));
          if (scan.blobs.length === 0) {
            const bodyEnd = dump.body.kind === 'none' ? undefined : dump.body.end;
            ctx.print(
              scan.areaOffset !== undefined
                ? 'The secondary data area holds no blocks.'
                : bodyEnd !== undefined && bodyEnd > dump.fileSize
                  ? `The secondary data area would start at file offset ${jsonHex(bodyEnd)}, past the end of the file (${jsonHex(dump.fileSize)} bytes): the file is truncated.`
                  : 'No secondary data in this dump.',
            );
            return;
          }
          for (const blob of scan.blobs) {
            ctx.print(formatEnumtagHeading(blob.guid, blob.size, ctx.style));
            if (full) {
              // Piece by piece: a block of hundreds of megabytes is never held whole, as bytes or as text.
              let offset = 0;
              for await (const chunk of dump.blobChunks(blob, ENUMTAG_CHUNK_BYTES)) {
                await ctx.writeStdout(`${formatEnumtagBytes(chunk, offset, blob.size, ctx.style).join('\n')}\n`);
                offset += chunk.length;
              }
              ctx.print('');
            } else {
              const preview = await dump.readBlobRange(blob, 0, Math.min(blob.size, ENUMTAG_PREVIEW_BYTES));
              ctx.print([
                ...formatEnumtagBytes(preview, 0, preview.length, ctx.style),
                ...formatEnumtagRest(blob.size, preview.length, ctx.style),
                '',
              ]);
            }
          }
          if (!full && scan.blobs.some((b) => b.size > ENUMTAG_PREVIEW_BYTES))
            ctx.print(ctx.style.dim('(previews only: --full shows every byte)'));
        });
      });
  },
};
