import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FleetError, FleetErrorCode } from './errors.js';

/** A folder is searched for files with this extension (any case). */
export const DUMP_EXTENSION = '.dmp';

function isDumpName(name: string): boolean {
  return name.toLowerCase().endsWith(DUMP_EXTENSION);
}

/** Whether `path` names a folder (false when it does not exist: a missing file fails when it is opened). */
export async function isDirectory(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info?.isDirectory() === true;
}

/**
 * The dump files a command line names, in a stable order: every path that is
 * not a folder as given (whatever its extension; a missing one fails later,
 * as one failed dump), every folder searched recursively for `*.dmp`, its
 * entries in code-point order. Links to files are followed, links to folders
 * are not (no cycles). Yields names one by one, so a folder of a million
 * dumps never becomes one array here.
 */
export async function* dumpFiles(paths: readonly string[]): AsyncGenerator<string> {
  for (const path of paths) {
    if (await isDirectory(path)) yield* walk(path);
    else yield path;
  }
}

async function* walk(folder: string): AsyncGenerator<string> {
  let names: { name: string; kind: 'dir' | 'file' | 'link' | 'other' }[];
  try {
    const dir = await opendir(folder);
    names = [];
    for await (const entry of dir) {
      const kind = entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : entry.isSymbolicLink() ? 'link' : 'other';
      names.push({ name: entry.name, kind });
    }
  } catch (error) {
    throw new FleetError(
      FleetErrorCode.Directory,
      `cannot list folder ${folder}: ${error instanceof Error ? error.message : String(error)}`,
      { path: folder },
    );
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of names) {
    const path = join(folder, entry.name);
    if (entry.kind === 'dir') yield* walk(path);
    else if (!isDumpName(entry.name)) continue;
    else if (entry.kind === 'file') yield path;
    else if (entry.kind === 'link' && (await stat(path).catch(() => undefined))?.isFile() === true) yield path;
  }
}

/** Every dump file the paths name (for a progress total); throws E_FLEET_NO_DUMPS when there is none. */
export async function listDumpFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for await (const file of dumpFiles(paths)) files.push(file);
  if (files.length === 0) {
    throw new FleetError(FleetErrorCode.NoDumps, `no ${DUMP_EXTENSION} files in ${paths.join(', ')}`, {
      paths: [...paths],
    });
  }
  return files;
}
