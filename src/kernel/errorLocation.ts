/**
 * Where in the user's code an error was thrown: the first stack frame that
 * is not bugcheck's own (this package's src/ or dist/src/), not in
 * node_modules and not Node's. A scenario or a callback routine that throws
 * is then reported with its file:line (source-mapped when the file was
 * TypeScript loaded through tsx). Pure string work on `Error.stack`.
 */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** This package's source folder (src/ when run through tsx, dist/src/ when built), as a path. */
const OWN_SOURCES = decodeURIComponent(new URL('../', import.meta.url).pathname);

/** `    at name (file:line:col)` or `    at file:line:col`; the location is the last `:line:col` of the frame. */
const FRAME = /^\s*at (?:.*?\()?(.+?):(\d+):(\d+)\)?\s*$/;

function framePath(location: string): string {
  if (location.startsWith('file://')) {
    try {
      return decodeURIComponent(new URL(location).pathname);
    } catch {
      return location;
    }
  }
  return location;
}

function isOwn(path: string): boolean {
  return (
    path.startsWith('node:') ||
    path.includes('/node_modules/') ||
    path.startsWith(OWN_SOURCES) ||
    path === 'native' ||
    path.startsWith('<')
  );
}

/** The user's frame of `error`'s stack, or undefined (not an Error, no stack, or only bugcheck's own frames). */
export function userLocation(error: unknown): SourceLocation | undefined {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return undefined;
  for (const text of error.stack.split('\n').slice(1)) {
    const m = FRAME.exec(text);
    if (m === null) continue;
    const file = framePath(m[1]!.replace(/^async /, ''));
    if (isOwn(file)) continue;
    return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

/** ` (at /path/scenario.ts:12:7)` for a message, or '' when the location is unknown. */
export function userLocationSuffix(error: unknown): string {
  const at = userLocation(error);
  return at === undefined ? '' : ` (at ${at.file}:${at.line}:${at.column})`;
}
