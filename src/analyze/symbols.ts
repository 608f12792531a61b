import { debuggerModuleName, type ModuleRange } from './modules.js';
import { type ImageCatalog, nearestExport } from './pe.js';
import { jsonHex } from './text.js';
import { functionStart } from './unwindX64.js';

/**
 * Names for code addresses the way WinDbg names them without symbol files:
 * `module!Export+0x…` when the image's export table is in the dump and the
 * export is the function that holds the address, else `module+0x…`. The x64
 * exception directory, when present, tells where the function starts, so
 * an export that merely precedes a private function is not used for it.
 */
export interface CodeSymbol {
  module: ModuleRange | undefined;
  /** WinDbg module name (`nt`, `amdppm`), or null outside every module. */
  moduleName: string | null;
  /** `nt!KeBugCheckEx`, `nt!KeBugCheckEx+0x10`, `amdppm+0x334c`, or `0x…` outside every module. */
  symbol: string;
  /** Offset of the address in its module. */
  offset: bigint | undefined;
  /** The function holding the address, as far as the dump tells: its export name and/or its start (RVA). */
  function?: { name?: string; start?: number };
}

function plusOffset(n: number | bigint): string {
  return n === 0 || n === 0n ? '' : `+${jsonHex(n)}`;
}

export async function symbolize(catalog: ImageCatalog, address: bigint, unwindData: boolean): Promise<CodeSymbol> {
  const module = catalog.moduleAt(address);
  if (module === undefined) return { module, moduleName: null, symbol: jsonHex(address), offset: undefined };
  const name = debuggerModuleName(module.name);
  const offset = address - module.base;
  const rva = Number(offset);
  const start = unwindData ? await functionStart(catalog, module, rva) : undefined;
  const exports = await catalog.exports(module);
  const e = exports === undefined ? undefined : nearestExport(exports, rva);
  if (e !== undefined && (start === undefined || start <= e.rva)) {
    return {
      module,
      moduleName: name,
      symbol: `${name}!${e.name}${plusOffset(rva - e.rva)}`,
      offset,
      function: { name: e.name, start: e.rva },
    };
  }
  const out: CodeSymbol = { module, moduleName: name, symbol: `${name}+${jsonHex(offset)}`, offset };
  if (start !== undefined) out.function = { start };
  return out;
}

/**
 * The function part of a bucket id: the export name when the function is
 * named, else `module+0x<function start>` (or `+0x<address offset>` when the
 * start is unknown) — the same for every crash in that function when the
 * image's unwind data is in the dump.
 */
export function bucketFunction(s: CodeSymbol): string {
  if (s.moduleName === null) return 'Unknown';
  if (s.function?.name !== undefined) return `${s.moduleName}!${s.function.name}`;
  const at = s.function?.start !== undefined ? BigInt(s.function.start) : (s.offset ?? 0n);
  return `${s.moduleName}+${jsonHex(at)}`;
}
