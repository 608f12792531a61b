import {
  KLDR_DATA_TABLE_ENTRY,
  LIST_ENTRY64,
  decodeUtf16le,
  hex,
  isPageFiller,
  type UnicodeString64,
} from '../../format/index.js';
import { ProblemCap } from './problemCap.js';
import type { DumpProblem, MemoryRead, TriageModule } from './types.js';

/** More loaded modules than this means a corrupt list; the walk stops there. */
export const MAX_MODULES = 4096;
/**
 * Bytes of a module name that are read (512 WCHARs). UNICODE_STRING.Length
 * allows 64 KiB, but a driver path is far shorter; 4096 entries × 64 KiB names
 * from a crafted list would hold hundreds of MiB. Longer names are cut and reported.
 */
export const MAX_MODULE_NAME_BYTES = 1024;

type ReadVirtual = (va: bigint, length: number) => Promise<MemoryRead>;

/** The string's text (odd byte counts lose their last byte), at most MAX_MODULE_NAME_BYTES of it. */
async function readUnicodeString(
  s: UnicodeString64,
  readVirtual: ReadVirtual,
): Promise<{ text: string; truncated: boolean } | undefined> {
  const bytes = Math.min(s.Length, MAX_MODULE_NAME_BYTES) & ~1;
  if (bytes === 0 || s.Buffer === 0n) return undefined;
  const r = await readVirtual(s.Buffer, bytes);
  if (!r.complete) return undefined;
  return {
    text: decodeUtf16le(r.bytes),
    truncated: s.Length > MAX_MODULE_NAME_BYTES,
  };
}

/**
 * Walks PsLoadedModuleList (KLDR_DATA_TABLE_ENTRY.InLoadOrderLinks) through
 * the dump's memory. Bounded by MAX_MODULES and a visited set, so a list
 * that loops back anywhere other than its head stops instead of spinning.
 */
export async function walkLoadedModuleList(
  head: bigint,
  readVirtual: ReadVirtual,
): Promise<{ loaded: TriageModule[]; problems: DumpProblem[] }> {
  const loaded: TriageModule[] = [];
  const problems: DumpProblem[] = [];
  // `offset` of a DumpProblem is a file offset; these entries are virtual addresses, which every message names.
  const problem = (message: string, _address: bigint, severity: 'warning' | 'error' = 'error'): void => {
    problems.push({ code: 'E_DUMP_MODULE_LIST', severity, structure: 'KLDR_DATA_TABLE_ENTRY', message });
  };
  if (head === 0n || isPageFiller(head)) {
    problem(`the header's PsLoadedModuleList (${hex(head)}) is not an address`, head);
    return { loaded, problems };
  }
  const headRead = await readVirtual(head, LIST_ENTRY64.size);
  if (!headRead.complete) {
    problem(
      `PsLoadedModuleList at ${hex(head)} is not readable in the dump (${headRead.status.map((s) => s.status).join(', ')})`,
      head,
    );
    return { loaded, problems };
  }
  const seen = new Set<bigint>([head]);
  const warning = (message: string, offset: bigint): DumpProblem => ({
    code: 'E_DUMP_MODULE_LIST',
    severity: 'warning',
    structure: 'KLDR_DATA_TABLE_ENTRY',
    offset,
    message,
  });
  const push = (p: DumpProblem): void => {
    problems.push(p);
  };
  const missingNames = new ProblemCap(push, 'modules whose name is not in the dump');
  const longNames = new ProblemCap(push, 'modules with names cut short');
  let link = LIST_ENTRY64.decode(headRead.bytes).Flink;
  while (link !== head) {
    if (loaded.length >= MAX_MODULES) {
      problem(`more than ${MAX_MODULES} entries in PsLoadedModuleList; the walk stops`, link);
      break;
    }
    if (seen.has(link)) {
      problem(`PsLoadedModuleList loops back to ${hex(link)} without returning to its head`, link);
      break;
    }
    seen.add(link);
    const r = await readVirtual(link, KLDR_DATA_TABLE_ENTRY.size);
    if (!r.complete) {
      problem(
        `module entry at ${hex(link)} is not readable in the dump; the walk stops after ${loaded.length} modules`,
        link,
      );
      break;
    }
    const e = KLDR_DATA_TABLE_ENTRY.decode(r.bytes);
    const full = await readUnicodeString(e.FullDllName, readVirtual);
    const name = full ?? (await readUnicodeString(e.BaseDllName, readVirtual));
    if (name === undefined)
      missingNames.report(
        warning(`module at ${hex(e.DllBase)} (entry ${hex(link)}): its name is not in the dump`, link),
      );
    else if (name.truncated) {
      const length = full !== undefined ? e.FullDllName.Length : e.BaseDllName.Length;
      longNames.report(
        warning(
          `module at ${hex(e.DllBase)} (entry ${hex(link)}): its name is ${hex(length)} bytes long; only the first ${hex(MAX_MODULE_NAME_BYTES)} are kept`,
          link,
        ),
      );
    }
    loaded.push({
      name: name?.text ?? '',
      base: e.DllBase,
      size: e.SizeOfImage,
      timeDateStamp: e.TimeDateStamp,
      checkSum: e.CheckSum,
      entryOffset: link,
    });
    link = e.InLoadOrderLinks.Flink;
  }
  missingNames.finish();
  longNames.finish();
  return { loaded, problems };
}
