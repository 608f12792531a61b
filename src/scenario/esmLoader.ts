import * as nodeModule from 'node:module';
import { MessageChannel, type MessagePort } from 'node:worker_threads';

/**
 * A scenario is an ES module wherever it lives. tsx decides between ESM and
 * CommonJS the way Node does (extension, then the nearest package.json
 * "type"), so a `.ts` file in a folder without `"type": "module"` (e.g. the
 * temp directory) would be compiled to CommonJS, where top-level await and
 * import.meta do not exist. This resolve hook runs after tsx's and marks the
 * scenario files it was told about as `module`; tsx then compiles them as ESM.
 * Only the scenario file itself is marked: what it imports follows Node's rules.
 */
const HOOK_SOURCE = `
const forced = new Set();
export function initialize({ port }) {
  port.on('message', (message) => {
    forced.add(message.url);
    port.postMessage({ id: message.id });
  });
  port.unref();
}
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (typeof resolved.url === 'string' && forced.has(resolved.url.split('?')[0])) return { ...resolved, format: 'module' };
  return resolved;
}
`;

interface HookChannel {
  port: MessagePort;
  nextId: number;
}

let channel: HookChannel | null | undefined;

function hookChannel(): HookChannel | null {
  if (channel !== undefined) return channel;
  // module.register arrived in Node 20.6; without it, tsx's own rules apply.
  const register = (nodeModule as { register?: typeof nodeModule.register }).register;
  if (typeof register !== 'function') {
    channel = null;
    return channel;
  }
  const { port1, port2 } = new MessageChannel();
  register(`data:text/javascript,${encodeURIComponent(HOOK_SOURCE)}`, { data: { port: port2 }, transferList: [port2] });
  port1.unref();
  channel = { port: port1, nextId: 1 };
  return channel;
}

function forceModule(hook: HookChannel, url: string): Promise<void> {
  const id = hook.nextId++;
  return new Promise((resolve) => {
    const onMessage = (message: { id?: number }): void => {
      if (message.id !== id) return;
      hook.port.off('message', onMessage);
      hook.port.unref();
      resolve();
    };
    hook.port.on('message', onMessage);
    hook.port.ref();
    hook.port.postMessage({ url, id });
  });
}

/** Extensions whose files are compiled as ES modules even outside a `"type": "module"` package. */
const FORCED_EXTENSIONS = new Set(['.ts', '.tsx', '.js', '.jsx']);

/**
 * Imports a TypeScript or JavaScript file with tsx (no build step), as an ES
 * module unless its extension says CommonJS (`.cts`, `.cjs`). Each call
 * evaluates the file afresh (tsx gives every import its own namespace).
 */
export async function importModuleFile(fileUrl: string, extension: string): Promise<Record<string, unknown>> {
  if (FORCED_EXTENSIONS.has(extension)) {
    const hook = hookChannel();
    if (hook !== null) await forceModule(hook, fileUrl);
  }
  // tsx (and esbuild under it) is loaded only by the commands that load scenarios.
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport(fileUrl, import.meta.url)) as Record<string, unknown>;
}
