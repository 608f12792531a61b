import { MachineError } from './errors.js';
import type { PhysicalRun } from './physical.js';
import type { SeededRandom } from './random.js';

/** Smallest machine we build: enough for the 2 MiB-mapped kernel image, pools and stacks. */
export const MINIMUM_MEMORY_BYTES = 64n * 1024n * 1024n;
/** Largest claim we accept (the memory map and PFNs stay well inside 2^52). */
export const MAXIMUM_MEMORY_BYTES = 1n << 46n;

/**
 * A PC-like firmware memory map holding exactly `memoryBytes` of RAM: page 0,
 * the legacy VGA/BIOS window (0xA0000–0xFFFFF), two firmware-reserved ranges
 * whose place depends on the seed, and the PCI MMIO window below 4 GiB are
 * holes; RAM that does not fit below 4 GiB is remapped above it.
 */
export function buildFirmwareMemoryMap(memoryBytes: bigint, random: SeededRandom): PhysicalRun[] {
  if (memoryBytes < MINIMUM_MEMORY_BYTES || memoryBytes > MAXIMUM_MEMORY_BYTES || memoryBytes % 0x1000n !== 0n) {
    throw new MachineError(
      'E_MACHINE_OPTIONS',
      `memoryBytes must be a multiple of 4096 between ${MINIMUM_MEMORY_BYTES} and ${MAXIMUM_MEMORY_BYTES}, got ${memoryBytes}`,
      { memoryBytes },
    );
  }
  const acpiStart = 0x3800n + BigInt(random.below(0x400));
  const acpiPages = 0x10n + BigInt(random.below(0x30));
  const nvsStart = 0x7f000n + BigInt(random.below(0x800));
  const nvsPages = 0x100n + BigInt(random.below(0x200));
  const holes: Array<[bigint, bigint]> = [
    [0x0n, 0x1n],
    [0x9fn, 0x100n],
    [acpiStart, acpiStart + acpiPages],
    [nvsStart, nvsStart + nvsPages],
    [0xc0000n, 0x100000n],
  ];
  const runs: PhysicalRun[] = [];
  let remaining = memoryBytes / 0x1000n;
  let cursor = 0n;
  for (const [holeStart, holeEnd] of holes) {
    if (remaining === 0n) break;
    const available = holeStart - cursor;
    if (available > 0n) {
      const take = available < remaining ? available : remaining;
      runs.push({ basePage: cursor, pageCount: take });
      remaining -= take;
    }
    cursor = holeEnd;
  }
  if (remaining > 0n) runs.push({ basePage: cursor, pageCount: remaining });
  return runs;
}
