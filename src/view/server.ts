/**
 * `bugcheck view DUMP`: a small HTTP server on the loopback interface only.
 * `/` is the viewer page; `/dump` is the dump's bytes, read from the file
 * with the Range the page asks for (the page runs the reader itself, so the
 * file is never sent whole). Nothing else is served.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { basename } from 'node:path';
import { ViewError, ViewErrorCode } from './errors.js';
import { pageHtml } from './bundle.js';

/** The only address the server listens on. */
export const VIEW_HOST = '127.0.0.1';

export interface ViewServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` → [start, end] inclusive, or undefined when unsatisfiable. */
export function parseRange(header: string, size: number): [number, number] | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (m === null || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start <= end && start < size ? [start, end] : undefined;
}

function sendDump(path: string, size: number, request: IncomingMessage, response: ServerResponse): void {
  const common = { 'Accept-Ranges': 'bytes', 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store' };
  const range = request.headers.range;
  let start = 0;
  let end = size - 1;
  if (range !== undefined) {
    const parsed = parseRange(range, size);
    if (parsed === undefined) {
      response.writeHead(416, { ...common, 'Content-Range': `bytes */${size}` }).end();
      return;
    }
    [start, end] = parsed;
    response.writeHead(206, {
      ...common,
      'Content-Range': `bytes ${start}-${end}/${size}`,
      'Content-Length': end - start + 1,
    });
  } else {
    response.writeHead(200, { ...common, 'Content-Length': size });
  }
  if (request.method === 'HEAD' || size === 0) {
    response.end();
    return;
  }
  const stream = createReadStream(path, { start, end });
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}

/** Serves the page for `dumpPath` on 127.0.0.1:`port` (0: any free port). */
export async function startViewServer(dumpPath: string, port = 0): Promise<ViewServer> {
  const info = await stat(dumpPath);
  const size = info.size;
  const html = await pageHtml({ mode: 'served', dumpUrl: '/dump', name: basename(dumpPath), size });
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
    } else if (url.pathname === '/' || url.pathname === '/index.html') {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : html);
    } else if (url.pathname === '/dump') {
      sendDump(dumpPath, size, request, response);
    } else {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new ViewError(ViewErrorCode.Listen, `cannot listen on ${VIEW_HOST}:${port}: ${error.message}`, {
          port,
          cause: error.code,
        }),
      ),
    );
    server.listen(port, VIEW_HOST, resolve);
  });
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  return {
    url: `http://${VIEW_HOST}:${bound}/`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
