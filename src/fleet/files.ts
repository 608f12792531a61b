import { type Dirent, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FleetError, FleetErrorCode } from './errors.js';

/** A folder is searched for files with this extension (any case). */
export const DUMP_EXTENSION = '.dmp';

function isDumpName(name: string): boolean {
  return name.toLowerCase().endsWith(DUMP_EXTENSION);
}

/**
 * Whether `path` names a folder (false when it does not exist: a missing file fails when it is opened).
 * Synchronous, as the reads of a dump are: an asynchronous stat would start libuv's thread pool (four
 * threads) for this one question, a few ms of a short command.
 */
export async function isDirectory(path: string): Promise<boolean> {
  return statOrUndefined(path)?.isDirectory() === true;
}

/** statSync that answers undefined instead of throwing (missing, a broken link, no permission). */
function statOrUndefined(path: string): ReturnType<typeof statSync> {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/**
 * The dump files a command line names, in a stable order: every path that is
 * not a folder as given (whatever its extension; a missing one fails later,
 * as one failed dump), every folder searched recursively for `*.dmp`, its
 * entries in code-point order. Links to files are followed, links to folders
 * are not (no cycles). Yields names one by one, so a folder of a million
 * dumps never becomes one array here.
 *
 * Synchronous: one readdir per folder (its names are sorted, so they are all
 * in memory anyway). An asynchronous listing costs a promise per entry, and
 * more per level of nested generators: for a fleet of small dumps that was
 * ~30 µs a file, a few per cent of analysing them, spent on the thread that
 * hands out the work before any worker had any.
 */
export function* dumpFilesSync(paths: readonly string[]): Generator<string> {
  for (const path of paths) {
    if (statOrUndefined(path)?.isDirectory() === true) yield* walk(path);
    else yield path;
  }
}

/** dumpFilesSync as an async iterable, for consumers that await between files. */
export async function* dumpFiles(paths: readonly string[]): AsyncGenerator<string> {
  yield* dumpFilesSync(paths);
}

function* walk(folder: string): Generator<string> {
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    throw new FleetError(
      FleetErrorCode.Directory,
      `cannot list folder ${folder}: ${error instanceof Error ? error.message : String(error)}`,
      { path: folder },
    );
  }
  const names = entries.map((entry) => {
    const kind = entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : entry.isSymbolicLink() ? 'link' : 'other';
    return { name: entry.name, kind };
  });
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of names) {
    const path = join(folder, entry.name);
    if (entry.kind === 'dir') yield* walk(path);
    else if (!isDumpName(entry.name)) continue;
    else if (entry.kind === 'file') yield path;
    else if (entry.kind === 'link' && statOrUndefined(path)?.isFile() === true) yield path;
  }
}

/** E_FLEET_NO_DUMPS: the paths hold no dump. */
export function noDumpsError(paths: readonly string[]): FleetError {
  return new FleetError(FleetErrorCode.NoDumps, `no ${DUMP_EXTENSION} files in ${paths.join(', ')}`, {
    paths: [...paths],
  });
}
