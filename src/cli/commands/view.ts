import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ViewError, ViewErrorCode } from '../../view/errors.js';
import type { CliCommand } from '../command.js';
import type { CliContext } from '../context.js';
import { withDump } from '../dump.js';
import { UsageError } from '../errors.js';
import { bugcheckCommand, shownPath } from '../invocation.js';

function portNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new UsageError(`--port must be 0…65535, got "${value}"`);
  return n;
}

async function writeStaticPage(ctx: CliContext, dir: string): Promise<void> {
  const { pageHtml } = await import('../../view/bundle.js');
  const html = await pageHtml({ mode: 'static' });
  const file = resolve(dir, 'index.html');
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(file, html);
  } catch (error) {
    throw new ViewError(
      ViewErrorCode.Output,
      `cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`,
      { path: file },
    );
  }
  if (ctx.json) {
    ctx.printJson({ page: file, url: pathToFileURL(file).href, bytes: Buffer.byteLength(html) });
    return;
  }
  ctx.print([
    `Wrote ${shownPath(file)} (${Math.round(Buffer.byteLength(html) / 1024)} KiB, self-contained).`,
    'Open it in a browser and choose a dump: the page reads it in place, a slice at a time; nothing is uploaded.',
    '',
    ctx.style.title('Try next:'),
    `  xdg-open ${shownPath(file)}    # or open it from any browser: ${pathToFileURL(file).href}`,
  ]);
}

/** Serves until SIGINT/SIGTERM; then closes the server and returns. */
async function serve(ctx: CliContext, path: string, options: { port: number; open?: boolean }): Promise<void> {
  // Fails here, with the usual one-line error, when the file is not a dump we can read.
  await withDump(path, async () => undefined);
  const { startViewServer } = await import('../../view/server.js');
  const server = await startViewServer(path, options.port);
  if (ctx.json) ctx.io.stdout.write(`${JSON.stringify({ url: server.url, port: server.port, dump: resolve(path) })}\n`);
  else {
    ctx.print([
      `Serving ${shownPath(path)} at ${ctx.style.value(server.url)} (this machine only; Ctrl+C stops it)`,
      `The page reads the dump from this server in pieces; ${bugcheckCommand(ctx.io.env)} view --static DIR writes a page that opens any dump without a server.`,
    ]);
  }
  if (options.open === true) {
    const open = (await import('open')).default;
    await open(server.url).catch((error: unknown) =>
      ctx.io.stderr.write(
        `bugcheck: warning: could not start a browser (${error instanceof Error ? error.message : String(error)}); open ${server.url}\n`,
      ),
    );
  }
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
}

/** `bugcheck view DUMP` — the dump in a browser page; `view --static DIR` — a page that opens any dump offline. */
export const viewCommand: CliCommand = {
  name: 'view',
  register(program, ctx) {
    program
      .command('view')
      .description(
        'look at a dump in a browser: bug check, registers, stack, modules, secondary data (hex, download), triage blocks, physical memory and the callbacks as a timeline',
      )
      .argument('[dump]', 'crash dump file to serve on 127.0.0.1')
      .option('--port <n>', 'port to listen on (default: any free one)', portNumber, 0)
      .option('--open', 'open the page in the default browser')
      .option('--static <dir>', 'instead: write DIR/index.html, a page that opens any dump chosen from disk, offline')
      .option('--json', 'print { url, port, dump } (served) or { page, url, bytes } (--static) as JSON')
      .addHelpText(
        'after',
        "\nThe page runs bugcheck's reader itself (bundled for the browser): served, it reads the dump from the local server with range requests; static, it reads the chosen file in place. Nothing leaves the machine.",
      )
      .action(
        async (
          dump: string | undefined,
          options: { port: number; open?: boolean; static?: string; json?: boolean },
        ) => {
          ctx.json = options.json === true;
          if (options.static !== undefined) {
            if (dump !== undefined) throw new UsageError('give either DUMP or --static DIR, not both');
            await writeStaticPage(ctx, options.static);
            return;
          }
          if (dump === undefined) throw new UsageError('view needs a DUMP to serve, or --static DIR');
          await serve(ctx, dump, options);
        },
      );
  },
};
