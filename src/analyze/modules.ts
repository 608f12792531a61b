import { jsonHex } from './text.js';

/** The part of a module the analyzer needs; TriageModule satisfies it. */
export interface ModuleRange {
  name: string;
  base: bigint;
  size: number;
}

/** Kernel image file names WinDbg calls `nt`. */
const KERNEL_IMAGES = new Set(['ntoskrnl.exe', 'ntkrnlmp.exe', 'ntkrnlpa.exe', 'ntkrpamp.exe', 'ntkrla57.exe']);

/** The file name of a module path (`\SystemRoot\System32\drivers\amdppm.sys` → `amdppm.sys`). */
export function moduleFileName(name: string): string {
  const cut = Math.max(name.lastIndexOf('\\'), name.lastIndexOf('/'));
  return cut >= 0 ? name.slice(cut + 1) : name;
}

/** WinDbg's module name: the file name without extension, `nt` for the kernel image. */
export function debuggerModuleName(name: string): string {
  const file = moduleFileName(name);
  if (KERNEL_IMAGES.has(file.toLowerCase())) return 'nt';
  const dot = file.lastIndexOf('.');
  return dot > 0 ? file.slice(0, dot) : file;
}

export function findModule<M extends ModuleRange>(modules: readonly M[], address: bigint): M | undefined {
  return modules.find((m) => m.size > 0 && address >= m.base && address < m.base + BigInt(m.size));
}

/** `amdppm+0x334c`, as WinDbg's `ln` would name the address without symbols. */
export function moduleOffsetText(module: ModuleRange, address: bigint): string {
  return `${debuggerModuleName(module.name)}+${jsonHex(address - module.base)}`;
}
