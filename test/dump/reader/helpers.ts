import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openDump, type CrashDump, type OpenDumpOptions } from '../../../src/dump/reader/index.js';
import {
  PageTableBuilder,
  SynthMemory,
  VirtualHeap,
  buildDump,
  writeKdDebuggerData,
  writeModuleList,
  type SynthDumpSpec,
  type SynthLayout,
  type SynthModule,
} from '../../synth/index.js';

let dirPromise: Promise<string> | undefined;
let counter = 0;

// Registered at load time so it belongs to the test file's root, not to whichever test asks first.
after(async () => {
  if (dirPromise !== undefined) await rm(await dirPromise, { recursive: true, force: true });
});

/** A per-file temp directory, removed when the test file finishes. */
export function tempDir(): Promise<string> {
  dirPromise ??= mkdtemp(join(tmpdir(), 'bugcheck-reader-'));
  return dirPromise;
}

export async function tempPath(name = 'dump'): Promise<string> {
  return join(await tempDir(), `${name}-${process.pid}-${counter++}.dmp`);
}

export async function writeTemp(bytes: Uint8Array, name?: string): Promise<string> {
  const path = await tempPath(name);
  await writeFile(path, bytes);
  return path;
}

/** Builds a synthetic dump, writes it to a temp file and opens it. */
export async function openSynth(
  spec: SynthDumpSpec,
  options?: OpenDumpOptions,
): Promise<{ dump: CrashDump; layout: SynthLayout; bytes: Uint8Array; path: string }> {
  const { bytes, layout } = buildDump(spec);
  const path = await writeTemp(bytes);
  const dump = await openDump(path, options);
  return { dump, layout, bytes, path };
}

export function pattern(seed: number, length = 0x1000): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** VAs and PAs of the standard synthetic kernel (see buildKernelMemory). */
export const VA = {
  small: 0xfffff80000201000n, // 4 KiB page → PA 0x3000000
  smallNotInDump: 0xfffff80000202000n, // 4 KiB page → PA 0x5000000 (absent)
  large2m: 0xfffff80040000000n, // 2 MiB page → PA 0x40000000 (PAT bit set in the PDE)
  large1g: 0xfffff88000000000n, // 1 GiB page → PA 0x80000000
  unmapped: 0xfffff80000400000n,
  tableNotInDump: 0xfffff80000600000n, // PDE → PT page 0x6000000 (absent)
  loopPde: 0xfffff80000801000n, // PDE points at its own PD page
  transition: 0xfffff80000203000n, // PTE not present, Transition set → PA 0x3001000
  heap: 0xfffff8047c600000n,
  user: 0x00007ff612340000n, // mapped only in the second address space
};
export const PA = {
  small: 0x3000000n,
  smallNotInDump: 0x5000000n,
  large2m: 0x40000000n,
  large2mPresentPage: 0x40005000n,
  large1g: 0x80000000n,
  large1gPresentPage: 0x81234000n,
  tableNotInDump: 0x6000000n,
  transition: 0x3001000n,
};

export const MODULES: SynthModule[] = [
  {
    name: 'ntoskrnl.exe',
    fullName: '\\SystemRoot\\system32\\ntoskrnl.exe',
    base: 0xfffff8047ba00000n,
    size: 0x1046000,
    timeDateStamp: 0x0d8333e6,
    checkSum: 0xa5938c,
  },
  {
    name: 'hal.dll',
    fullName: '\\SystemRoot\\system32\\hal.dll',
    base: 0xfffff80479440000n,
    size: 0x6000,
    timeDateStamp: 0x1a7be8e9,
    checkSum: 0xce9f,
  },
  { name: 'bugcheck.sys', base: 0xfffff8048b580000n, size: 0x2c000, timeDateStamp: 0x5f000000, checkSum: 0x1234 },
];

export interface KernelMemory {
  memory: SynthMemory;
  tables: PageTableBuilder;
  heap: VirtualHeap;
  moduleList: { head: bigint; entries: bigint[] };
  kdbg: bigint;
  /** A second address space (user VA mapped) sharing the kernel half. */
  userDtb: bigint;
  contents: { small: Uint8Array; large2m: Uint8Array; large1g: Uint8Array; transition: Uint8Array };
}

/** Physical memory with real page tables, a module list and KDBG — the common fixture for types 1/5/6. */
export function buildKernelMemory(): KernelMemory {
  const memory = new SynthMemory();
  const tables = new PageTableBuilder(memory);
  const contents = { small: pattern(1), large2m: pattern(2), large1g: pattern(3), transition: pattern(4) };

  tables.map4k(VA.small, PA.small);
  memory.write(PA.small, contents.small);
  tables.map4k(VA.smallNotInDump, PA.smallNotInDump);
  // Transition PTE: not present, bit 11 set, bit 10 clear; the frame is still resident.
  tables.setEntry(VA.transition, 3, PA.transition | 0x800n);
  memory.write(PA.transition, contents.transition);
  // 2 MiB page with PAT (bit 12) set: the reader must not treat bit 12 as address.
  tables.map2m(VA.large2m, PA.large2m, 0x3n | 0x1000n);
  memory.write(PA.large2mPresentPage, contents.large2m);
  tables.map1g(VA.large1g, PA.large1g);
  memory.write(PA.large1gPresentPage, contents.large1g);
  tables.setEntry(VA.tableNotInDump, 2, PA.tableNotInDump | 0x3n);
  const loopPdeAddr = tables.entryPa(VA.loopPde, 2);
  tables.setEntry(VA.loopPde, 2, (loopPdeAddr & ~0xfffn) | 0x3n);

  const heap = new VirtualHeap(tables, VA.heap, 0x2000n);
  const moduleList = writeModuleList(heap, MODULES);
  const kdbg = writeKdDebuggerData(heap, {
    KernBase: MODULES[0]!.base,
    PsLoadedModuleList: moduleList.head,
    OffsetPrcbContext: 0x85c0,
  });

  // A second PML4 sharing the kernel half, with one user page.
  const userPml4Pfn = 0x1f0n;
  const userTables = new PageTableBuilder(memory, { pml4Pfn: userPml4Pfn, firstTablePfn: 0x1f1n, selfMapIndex: null });
  for (let i = 256; i < 512; i++)
    memory.writeU64((userPml4Pfn << 12n) + BigInt(i) * 8n, memory.readU64(tables.pml4 + BigInt(i) * 8n));
  userTables.map4k(VA.user, 0x3002000n, 0x7n);
  memory.write(0x3002000n, pattern(5));

  return { memory, tables, heap, moduleList, kdbg, userDtb: userTables.directoryTableBase(0x5n), contents };
}

export function kernelSpec(k: KernelMemory, dumpType: number, extra: Partial<SynthDumpSpec> = {}): SynthDumpSpec {
  return {
    dumpType,
    memory: k.memory,
    // PCID bits in the stored CR3, as in genuine dumps (0x6D4002).
    directoryTableBase: k.tables.directoryTableBase(0x2n),
    kdDebuggerDataBlock: k.kdbg,
    psLoadedModuleList: k.moduleList.head,
    ...extra,
  };
}
