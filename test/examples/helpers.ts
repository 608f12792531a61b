import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  createMachine,
  openDump,
  type CrashDump,
  type CreateMachineOptions,
  type DriverObject,
  type GuidString,
  type SimulatedSystem,
} from '../../src/index.js';
import type { BugCheckResult, KernelSettingsInput } from '../../src/index.js';

/** The machine minimum: small dumps stay quick, complete dumps write 64 MiB. */
export const SMALL_MACHINE = 64n << 20n;

/** A fresh directory in os.tmpdir(); cleanup removes it. */
export function tempDir(): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bugcheck-examples-'));
  return { dir, file: (name) => path.join(dir, name), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function smallSystem(
  kernel: KernelSettingsInput,
  options: Omit<CreateMachineOptions, 'kernel'> = {},
): SimulatedSystem {
  return createMachine({ memoryBytes: SMALL_MACHINE, processors: 2, ...options, kernel });
}

/** 0xD1 DRIVER_IRQL_NOT_LESS_OR_EQUAL blamed on `driver`: a read of a bad address at DISPATCH_LEVEL from inside its image. */
export function crashIn(system: SimulatedSystem, driver: DriverObject, label = 'DispatchRead+0x4a'): BugCheckResult {
  return system.KeBugCheckEx(0xd1, 0xffff_a000_0000_0008n, 2n, 0n, driver.codeAddress(label));
}

/** Every blob's data, in file order. */
export async function blobs(dump: CrashDump): Promise<{ guid: GuidString; data: Uint8Array }[]> {
  const scan = await dump.secondaryData();
  const out: { guid: GuidString; data: Uint8Array }[] = [];
  for (const blob of scan.blobs) out.push({ guid: blob.guid, data: await dump.readBlob(blob) });
  return out;
}

export async function blobsTagged(dump: CrashDump, guid: GuidString): Promise<Uint8Array[]> {
  return (await blobs(dump)).filter((b) => b.guid === guid).map((b) => b.data);
}

export { openDump };

/** Byte-for-byte comparison of two files, 1 MiB at a time. */
export function filesEqual(a: string, b: string): boolean {
  const fa = fs.openSync(a, 'r');
  const fb = fs.openSync(b, 'r');
  try {
    const size = fs.fstatSync(fa).size;
    if (size !== fs.fstatSync(fb).size) return false;
    const ba = Buffer.alloc(1 << 20);
    const bb = Buffer.alloc(1 << 20);
    for (let pos = 0; pos < size; pos += ba.length) {
      const n = fs.readSync(fa, ba, 0, ba.length, pos);
      if (fs.readSync(fb, bb, 0, n, pos) !== n || !ba.subarray(0, n).equals(bb.subarray(0, n))) return false;
    }
    return true;
  } finally {
    fs.closeSync(fa);
    fs.closeSync(fb);
  }
}

/** File offsets of `needle` in `file`, read 1 MiB at a time (a match may straddle two chunks). */
export function findInFile(file: string, needle: Uint8Array, chunkBytes = 1 << 20): number[] {
  if (needle.length === 0 || needle.length > chunkBytes) throw new RangeError('needle must be 1..chunkBytes bytes');
  const fd = fs.openSync(file, 'r');
  const hits: number[] = [];
  try {
    const size = fs.fstatSync(fd).size;
    const overlap = needle.length - 1;
    const buffer = Buffer.alloc(chunkBytes + overlap);
    // Chunk k covers [k·chunkBytes − overlap, (k+1)·chunkBytes): a match straddling a boundary is seen once.
    for (let start = 0; start < size; start += chunkBytes) {
      const from = Math.max(0, start - overlap);
      const n = fs.readSync(fd, buffer, 0, Math.min(start + chunkBytes, size) - from, from);
      const view = buffer.subarray(0, n);
      // A match found here ends at or after `start`, so the previous chunk could not have seen it.
      for (let at = view.indexOf(needle); at >= 0; at = view.indexOf(needle, at + 1)) hits.push(from + at);
    }
  } finally {
    fs.closeSync(fd);
  }
  return hits;
}
