import { formatEnumtag, jsonHex, readFileRange, type TaggedBlock } from '../../analyze/index.js';
import type { CliCommand } from '../command.js';
import { withDump } from '../dump.js';

/** Bytes of each block shown without --full. */
export const ENUMTAG_PREVIEW_BYTES = 0x40;

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** `bugcheck enumtag DUMP` — every secondary data blob, like WinDbg's `.enumtag`. */
export const enumtagCommand: CliCommand = {
  name: 'enumtag',
  register(program, ctx) {
    program
      .command('enumtag')
      .description('list every secondary data block (bug check callback data): {GUID} - size, with a hex/ASCII preview (like WinDbg .enumtag)')
      .argument('<dump>', 'crash dump file')
      .option('--full', 'dump every byte of every block instead of a preview')
      .option('--json', 'print [{ index, guid, size, offset }] (offset = file offset of the data; with --full also data as hex)')
      .action(async (path: string, options: { json?: boolean; full?: boolean }) => {
        ctx.json = options.json === true;
        await withDump(path, async (dump) => {
          const scan = await dump.secondaryData();
          ctx.warnProblems(scan.problems);
          if (ctx.json) {
            const out: { index: number; guid: string; size: number; offset: string; data?: string }[] = [];
            for (const blob of scan.blobs) {
              const entry: (typeof out)[number] = { index: blob.index, guid: blob.guid, size: blob.size, offset: jsonHex(blob.offset) };
              if (options.full === true) entry.data = toHex(await dump.readBlob(blob));
              out.push(entry);
            }
            ctx.printJson(out);
            return;
          }
          if (scan.blobs.length === 0) {
            ctx.print(scan.areaOffset === undefined ? 'No secondary data in this dump.' : 'The secondary data area holds no blocks.');
            return;
          }
          for (const blob of scan.blobs) {
            const data = options.full === true ? await dump.readBlob(blob) : await readFileRange(dump.path, blob.offset, Math.min(blob.size, ENUMTAG_PREVIEW_BYTES));
            const block: TaggedBlock = { guid: blob.guid, size: blob.size, data };
            ctx.print(formatEnumtag([block], ctx.style));
          }
          if (options.full !== true && scan.blobs.some((b) => b.size > ENUMTAG_PREVIEW_BYTES)) ctx.print(ctx.style.dim('(previews only: --full shows every byte)'));
        });
      });
  },
};
