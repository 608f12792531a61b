import { readFileSync } from 'node:fs';

/**
 * The package version the CLI bundles were built with: scripts/bundleCli.mjs defines it, so a bundled
 * command neither reads package.json nor resolves a URL for it (~2 ms of a start). Undeclared elsewhere.
 */
declare const BUGCHECK_BUNDLED_VERSION: string | undefined;

/** The package's version: the bundles' own, else from the package.json two or three folders up (src/cli, dist/src/cli). */
export function packageVersion(): string {
  if (typeof BUGCHECK_BUNDLED_VERSION === 'string') return BUGCHECK_BUNDLED_VERSION;
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'bugcheck' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
}
