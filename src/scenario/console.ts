import { Console } from 'node:console';

/**
 * A scenario's own output goes to stderr: bugcheck's report (and `run
 * --json`) owns stdout. While a scenario module loads and while it runs —
 * its drivers' DriverEntry and callback routines included — every method of
 * the global `console` writes to stderr (`console.log` and friends would go
 * to stdout). Nested uses share one redirection; everything is restored when
 * the outermost ends, however it ends.
 *
 * `process.stdout.write` is redirected too, but only when the caller says
 * process.stdout is where its report goes (`bugcheck` run from a shell):
 * elsewhere other code of the process (a test runner) may be using it.
 */
let depth = 0;
let saved: Map<string, unknown> | undefined;
let savedWrite: typeof process.stdout.write | undefined;
let redirectProcessStdout = false;

type ConsoleMethods = Record<string, unknown>;

/** Whether a scenario's direct `process.stdout.write` calls go to stderr as well (the CLI sets it when stdout is its report). */
export function setScenarioStdoutRedirect(enabled: boolean): void {
  redirectProcessStdout = enabled;
}

function redirect(): void {
  const target = console as unknown as ConsoleMethods;
  const onStderr = new Console({ stdout: process.stderr, stderr: process.stderr }) as unknown as ConsoleMethods;
  saved = new Map();
  for (const name of Object.keys(onStderr)) {
    if (typeof onStderr[name] !== 'function') continue;
    saved.set(name, target[name]);
    target[name] = onStderr[name];
  }
  if (redirectProcessStdout) {
    savedWrite = process.stdout.write;
    process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  }
}

function restore(): void {
  const target = console as unknown as ConsoleMethods;
  for (const [name, method] of saved ?? []) target[name] = method;
  saved = undefined;
  if (savedWrite !== undefined) process.stdout.write = savedWrite;
  savedWrite = undefined;
}

export async function withConsoleOnStderr<T>(work: () => Promise<T>): Promise<T> {
  if (depth++ === 0) redirect();
  try {
    return await work();
  } finally {
    if (--depth === 0) restore();
  }
}
