import assert from 'node:assert/strict';
import { open, readFile } from 'node:fs/promises';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, type TestContext } from 'node:test';
import { TRIAGE_DUMP64 } from '../../src/format/index.js';
import { requireGenuineDump } from '../genuineDump.js';
import {
  PageTableBuilder,
  SynthMemory,
  VirtualHeap,
  buildDump,
  writeKdDebuggerData,
  writeModuleList,
  type SynthDumpSpec,
  type SynthModule,
} from '../synth/index.js';

export { GENUINE_DUMP_PATH } from '../genuineDump.js';

/**
 * The genuine triage dump's path, or undefined after skipping the test when
 * it is absent. Under CI=true a missing dump fails the test instead.
 */
export async function genuineDump(t: TestContext): Promise<string | undefined> {
  return requireGenuineDump(t);
}

/** Positional read straight from the file, independent of the reader under test. */
export async function readAt(path: string, offset: number, length: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const out = new Uint8Array(length);
    const { bytesRead } = await handle.read(out, 0, length, offset);
    assert.equal(bytesRead, length, `short read of ${length} bytes at 0x${offset.toString(16)}`);
    return out;
  } finally {
    await handle.close();
  }
}

let dir: Promise<string> | undefined;
let counter = 0;
after(async () => {
  if (dir !== undefined) await rm(await dir, { recursive: true, force: true });
});

/** A fresh path in a per-test-file temp directory (removed afterwards). */
export async function tempPath(name = 'dump', ext = '.dmp'): Promise<string> {
  dir ??= mkdtemp(join(tmpdir(), 'bugcheck-analyze-'));
  return join(await dir, `${name}-${process.pid}-${counter++}${ext}`);
}

/** Writes bytes to a fresh temp file and returns its path. */
export async function writeTemp(bytes: Uint8Array, name = 'dump'): Promise<string> {
  const path = await tempPath(name);
  await writeFile(path, bytes);
  return path;
}

/**
 * A temp copy of the genuine triage dump with TRIAGE_DUMP64.DriverCount
 * (the body header is at 0x2000) set to `driverCount`: 0xffffffff makes the
 * reader walk past the real list and report over a thousand bad name offsets.
 */
export async function genuineDumpWithDriverCount(genuinePath: string, driverCount = 0xffffffff): Promise<string> {
  const bytes = new Uint8Array(await readFile(genuinePath));
  new DataView(bytes.buffer).setUint32(0x2000 + TRIAGE_DUMP64.offsets.DriverCount, driverCount, true);
  return writeTemp(bytes, 'drivercount');
}

export const SYNTH_MODULES: SynthModule[] = [
  {
    name: 'ntoskrnl.exe',
    fullName: '\\SystemRoot\\system32\\ntoskrnl.exe',
    base: 0xfffff8047ba00000n,
    size: 0x1046000,
    timeDateStamp: 0x0d8333e6,
    checkSum: 0xa5938c,
  },
  { name: 'mydriver.sys', base: 0xfffff8048b580000n, size: 0x2c000, timeDateStamp: 0x5f000000, checkSum: 0x1234 },
];

/** VA of a page the synthetic kernel maps and the dump holds. */
export const SYNTH_DATA_VA = 0xfffff80000201000n;
const SYNTH_DATA_PA = 0x3000000n;

/**
 * A small full (1) or bitmap (5/6) dump with real page tables, a
 * PsLoadedModuleList of SYNTH_MODULES, KDBG and one data page at
 * SYNTH_DATA_VA whose bytes are `data`.
 */
export function synthKernelDump(dumpType: number, data: Uint8Array, extra: Partial<SynthDumpSpec> = {}): Uint8Array {
  const memory = new SynthMemory();
  const tables = new PageTableBuilder(memory);
  tables.map4k(SYNTH_DATA_VA, SYNTH_DATA_PA);
  memory.write(SYNTH_DATA_PA, data);
  const heap = new VirtualHeap(tables, 0xfffff8047c600000n, 0x2000n);
  const moduleList = writeModuleList(heap, SYNTH_MODULES);
  const kdbg = writeKdDebuggerData(heap, { KernBase: SYNTH_MODULES[0]!.base, PsLoadedModuleList: moduleList.head });
  return buildDump({
    dumpType,
    memory,
    directoryTableBase: tables.directoryTableBase(0x2n),
    kdDebuggerDataBlock: kdbg,
    psLoadedModuleList: moduleList.head,
    ...extra,
  }).bytes;
}
