import { open, rm, stat, type FileHandle } from 'node:fs/promises';
import { formatGuidBraced, type GuidString } from '../../format/index.js';
import { jsonHex, sizeHex } from '../../analyze/index.js';
import type { CrashDump, SecondaryDataBlob } from '../../dump/reader/index.js';
import type { CliCommand } from '../command.js';
import type { CliContext } from '../context.js';
import { dumpProblems, withDump } from '../dump.js';
import { CliError, CliErrorCode, JSON_HEX_MAX_BYTES } from '../errors.js';
import { guidArgument, indexArgument } from '../parse.js';

function outputError(path: string, err: unknown): CliError {
  return new CliError(
    CliErrorCode.Output,
    `cannot write ${path}: ${err instanceof Error ? err.message : String(err)}`,
    { path },
  );
}

/**
 * Copies the blob to `path` chunk by chunk (never whole). When the copy fails
 * half-way a regular file is removed rather than left holding part of the blob.
 */
async function writeBlobFile(dump: CrashDump, blob: SecondaryDataBlob, path: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'w');
  } catch (err) {
    throw outputError(path, err);
  }
  let done = false;
  try {
    for await (const chunk of dump.blobChunks(blob)) {
      try {
        await handle.write(chunk);
      } catch (err) {
        throw outputError(path, err);
      }
    }
    done = true;
  } finally {
    await handle.close().catch(() => undefined);
    if (!done) {
      const info = await stat(path).catch(() => undefined);
      if (info?.isFile() === true) await rm(path, { force: true }).catch(() => undefined);
    }
  }
}

async function writeBlobStdout(ctx: CliContext, dump: CrashDump, blob: SecondaryDataBlob): Promise<void> {
  for await (const chunk of dump.blobChunks(blob)) await ctx.writeStdout(chunk);
}

async function blobHex(dump: CrashDump, blob: SecondaryDataBlob): Promise<string> {
  const parts: string[] = [];
  for await (const chunk of dump.blobChunks(blob))
    parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('hex'));
  return parts.join('');
}

/**
 * The blob asked for: the first carrying `guid`, or with `index` the one at
 * that position among all blobs — the `index` of `enumtag --json` and of
 * this command's JSON, so the three count the same way — which must carry `guid`.
 */
function pickBlob(blobs: readonly SecondaryDataBlob[], guid: GuidString, index: number | undefined): SecondaryDataBlob {
  const matching = blobs.filter((b) => b.guid === guid);
  const where = `${blobs.length} blobs in the dump; 'bugcheck enumtag' lists them`;
  if (index === undefined) {
    if (matching[0] !== undefined) return matching[0];
    throw new CliError(
      CliErrorCode.NoSuchBlob,
      `no secondary data blob has the tag ${formatGuidBraced(guid)} (${where})`,
      {
        guid,
        blobs: blobs.length,
      },
    );
  }
  const blob = blobs.find((b) => b.index === index);
  if (blob !== undefined && blob.guid === guid) return blob;
  const carriers = matching.map((b) => b.index).join(', ');
  const message =
    blob === undefined
      ? `no blob at --index ${index} (${where})`
      : `blob ${index} has the tag ${formatGuidBraced(blob.guid)}, not ${formatGuidBraced(guid)}`;
  throw new CliError(
    CliErrorCode.NoSuchBlob,
    `${message}${matching.length > 0 ? `; ${formatGuidBraced(guid)} is at index ${carriers}` : ''}`,
    { guid, index, blobs: blobs.length },
  );
}

/** `bugcheck blob DUMP GUID` — the raw bytes of one secondary data blob (like IDebugDataSpaces3::ReadTagged). */
export const blobCommand: CliCommand = {
  name: 'blob',
  register(program, ctx) {
    program
      .command('blob')
      .description(
        'write the raw bytes of one secondary data blob to stdout or a file (the first blob with that GUID, as ReadTagged does)',
      )
      .argument('<dump>', 'crash dump file')
      .argument(
        '<guid>',
        'blob tag, e.g. 54c84888-01d1-4c1e-bed6-282c98241303 (braces and case optional)',
        guidArgument,
      )
      .option(
        '--index <n>',
        "the blob at position n among all blobs (the index 'enumtag --json' and 'blob --json' show); it must carry GUID",
        indexArgument,
      )
      .option('-o, --output <file>', 'write the bytes to this file instead of stdout')
      .option(
        '--json',
        'print { guid, index, size, offset, output?, data? } (data as hex when there is no --output, for blobs up to 16 MiB; index = position among all blobs)',
      )
      .addHelpText(
        'after',
        '\nBlobs of any size are copied piece by piece. --json without --output refuses blobs over 16 MiB (exit 1): add -o FILE.',
      )
      .action(async (path: string, guid: GuidString, options: { index?: number; output?: string; json?: boolean }) => {
        ctx.json = options.json === true;
        await withDump(path, async (dump) => {
          const scan = await dump.secondaryData();
          // A damaged dump is reported (exit 1) even when the blob asked for is intact and written.
          ctx.warnProblems(dumpProblems(dump, scan.problems));
          const blob = pickBlob(scan.blobs, guid, options.index);
          if (ctx.json && options.output === undefined && blob.size > JSON_HEX_MAX_BYTES) {
            throw new CliError(
              CliErrorCode.TooLargeForJson,
              `blob ${formatGuidBraced(blob.guid)} is ${sizeHex(blob.size)} bytes, more than the ${sizeHex(JSON_HEX_MAX_BYTES)} --json prints as hex; add -o FILE to write the bytes to a file`,
              { guid: blob.guid, index: blob.index, size: blob.size, limit: JSON_HEX_MAX_BYTES },
            );
          }
          if (options.output !== undefined) await writeBlobFile(dump, blob, options.output);
          if (ctx.json) {
            const out: Record<string, unknown> = {
              guid: blob.guid,
              index: blob.index,
              size: blob.size,
              offset: jsonHex(blob.offset),
            };
            if (options.output !== undefined) out.output = options.output;
            else out.data = await blobHex(dump, blob);
            ctx.printJson(out);
          } else if (options.output === undefined) {
            await writeBlobStdout(ctx, dump, blob);
          } else {
            ctx.io.stderr.write(
              `bugcheck: wrote ${blob.size} bytes of ${formatGuidBraced(blob.guid)} to ${options.output}\n`,
            );
          }
        });
      });
  },
};
