import { readFileSync, realpathSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The launcher of this copy of the package: package.json's `bin.bugcheck`,
 * found from this module's folder upwards (src/cli, dist/src/cli, or a
 * bundle that keeps the module's own URL).
 */
function launcherPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; bin?: unknown };
      if (pkg.name === 'bugcheck') {
        const bin = typeof pkg.bin === 'string' ? pkg.bin : (pkg.bin as Record<string, unknown> | undefined)?.bugcheck;
        if (typeof bin === 'string') return join(dir, bin);
      }
    } catch {
      // not here: one folder up
    }
    if (dirname(dir) === dir) return fileURLToPath(new URL('../../bin/bugcheck.cjs', import.meta.url));
    dir = dirname(dir);
  }
}

function real(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** A path or word quoted for a POSIX shell when it needs to be. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A path as the user would type it from the current directory (relative below it, else absolute), shell-quoted. */
export function shownPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  return shellWord(rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path);
}

/** Whether `npx bugcheck` run in `cwd` reaches this package: a project that has it installed, or its own clone. */
function npxReaches(cwd: string, launcher: string): boolean {
  for (let dir = cwd; ; dir = dirname(dir)) {
    const bin = real(join(dir, 'node_modules', '.bin', 'bugcheck'));
    if (bin !== undefined) return bin === launcher;
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'bugcheck') return true;
    } catch {
      // no package.json here
    }
    if (dirname(dir) === dir) return false;
  }
}

/**
 * How to start this copy of bugcheck from a shell in `cwd`, for the "Try
 * next" lines: `bugcheck` when that name on PATH (outside a node_modules/.bin
 * that npx added) is this package (a global install), `npx bugcheck` in a project that has it installed or in its
 * clone, otherwise `node /path/to/bin/bugcheck.cjs` — `npx bugcheck` from a
 * folder where it is not installed would fetch whatever the registry holds
 * under that name.
 */
export function bugcheckCommand(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): string {
  const launcher = launcherPath();
  const ours = real(launcher) ?? launcher;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    // npx and npm run put node_modules/.bin on PATH for that one command only: not a global install.
    if (dir === '' || /node_modules[\\/]\.bin[\\/]?$/.test(dir)) continue;
    if (real(join(dir, 'bugcheck')) === ours) return 'bugcheck';
  }
  if (npxReaches(cwd, ours)) return 'npx bugcheck';
  return `node ${shellWord(launcher)}`;
}
