import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CDriverError } from './errors.js';

let root: string | null = null;

/** The package's root folder (where include/ and src/cdriver/runtime/ are), from source or from dist/. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'bugcheck') {
          root = dir;
          return dir;
        }
      } catch {
        // not ours; keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new CDriverError(
        'E_CDRIVER_TOOLCHAIN',
        'cannot find the bugcheck package root (a package.json named "bugcheck")',
      );
    dir = parent;
  }
}

/** Our wdm.h, ntddk.h, ntstrsafe.h, initguid.h, ntdef.h and bugcheck.h. */
export function includeDir(): string {
  return join(packageRoot(), 'include');
}

export function runtimeSource(): string {
  return join(packageRoot(), 'src', 'cdriver', 'runtime', 'bcrt.c');
}

/**
 * Where compiled drivers are cached: BUGCHECK_CACHE_DIR, else the user's
 * cache folder (XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches on
 * macOS, %LOCALAPPDATA% on Windows) + bugcheck/cdriver.
 */
export function defaultCacheDir(): string {
  const env = process.env;
  if (env.BUGCHECK_CACHE_DIR) return env.BUGCHECK_CACHE_DIR;
  let base: string;
  if (process.platform === 'win32') base = env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local');
  else if (process.platform === 'darwin') base = join(homedir(), 'Library', 'Caches');
  else base = env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(base, 'bugcheck', 'cdriver');
}
