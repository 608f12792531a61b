import type { EntryReader, PageWalker, WalkResult } from './translate.js';
import type { PagingLevel, Translation } from './types.js';

/**
 * ARM64 (VMSAv8-64) virtual-to-physical translation as Windows on ARM64 sets
 * it up: 4 KiB granule, 48-bit virtual addresses, four levels (L0–L3, 9 bits
 * of VA each: 47:39, 38:30, 29:21, 20:12). The dump header's
 * DirectoryTableBase is the L0 table (Windows gives TTBR0_EL1 and TTBR1_EL1
 * the same root, so kernel-half VAs — bits 63:48 all ones — and user-half
 * VAs — all zeros — walk the same tables; anything else is non-canonical).
 *
 * Descriptors: bit 0 valid; at L0–L2 bit 1 set = table (next level's address
 * in bits 47:12), clear = block (L1: 1 GiB at bits 47:30, L2: 2 MiB at bits
 * 47:21; a block at L0 is invalid with this granule); at L3 bits 1:0 = 0b11
 * is a page (bits 47:12), 0b01 is invalid.
 *
 * The walk is pure: `walkArm64` is a generator that yields each physical
 * address it needs an 8-byte entry from and is resumed with that entry
 * (undefined when the page is not in the dump), so it can be driven by a
 * synchronous reader (`translateArm64`) or an asynchronous one
 * (`translateArm64Async`). At most four entries are read: no table can make
 * it loop.
 */

const ADDRESS_BITS_47_12 = 0x0000_ffff_ffff_f000n;
const BLOCK_1G_MASK = 0x0000_ffff_c000_0000n;
const BLOCK_2M_MASK = 0x0000_ffff_ffe0_0000n;
const LEVELS: readonly PagingLevel[] = ['L0', 'L1', 'L2', 'L3'];
const SHIFTS = [39n, 30n, 21n, 12n] as const;

/** Root table address from DirectoryTableBase (TTBR: ASID in 63:48 and CnP in bit 0 are not address). */
export function arm64TableRoot(directoryTableBase: bigint): bigint {
  return directoryTableBase & ADDRESS_BITS_47_12;
}

type Outcome =
  | { status: 'mapped'; pa: bigint; pageSize: number }
  | { status: 'not-mapped'; level: PagingLevel }
  | { status: 'not-in-dump'; level: PagingLevel; tablePa: bigint }
  | { status: 'non-canonical' };

export function* walkArm64(va: bigint, directoryTableBase: bigint): Generator<bigint, Outcome, bigint | undefined> {
  const top = va >> 48n;
  if (va < 0n || va > 0xffff_ffff_ffff_ffffn || (top !== 0n && top !== 0xffffn)) return { status: 'non-canonical' };
  let table = arm64TableRoot(directoryTableBase);
  for (let level = 0; level < 4; level++) {
    const name = LEVELS[level]!;
    const index = (va >> SHIFTS[level]!) & 0x1ffn;
    const entryPa = table + index * 8n;
    const entry = yield entryPa;
    if (entry === undefined) return { status: 'not-in-dump', level: name, tablePa: table };
    if ((entry & 1n) === 0n) return { status: 'not-mapped', level: name };
    const isTableOrPage = (entry & 2n) !== 0n;
    if (level === 3) {
      if (!isTableOrPage) return { status: 'not-mapped', level: name };
      return { status: 'mapped', pa: (entry & ADDRESS_BITS_47_12) | (va & 0xfffn), pageSize: 0x1000 };
    }
    if (!isTableOrPage) {
      if (level === 1)
        return { status: 'mapped', pa: (entry & BLOCK_1G_MASK) | (va & 0x3fff_ffffn), pageSize: 0x40000000 };
      if (level === 2) return { status: 'mapped', pa: (entry & BLOCK_2M_MASK) | (va & 0x1f_ffffn), pageSize: 0x200000 };
      return { status: 'not-mapped', level: name };
    }
    table = entry & ADDRESS_BITS_47_12;
  }
  return { status: 'not-mapped', level: 'L3' };
}

function finish(o: Outcome, isInDump: (pa: bigint) => boolean): Translation {
  return o.status === 'mapped' ? { ...o, inDump: isInDump(o.pa) } : o;
}

/** Translates with a synchronous "8-byte entry at PA" reader. */
export function translateArm64(
  va: bigint,
  directoryTableBase: bigint,
  readEntry: (pa: bigint) => bigint | undefined,
  isInDump: (pa: bigint) => boolean,
): Translation {
  const walk = walkArm64(va, directoryTableBase);
  let step = walk.next();
  while (step.done !== true) step = walk.next(readEntry(step.value));
  return finish(step.value, isInDump);
}

/** The same walk over an asynchronous reader (the reader's page cache). */
export async function translateArm64Async(
  va: bigint,
  directoryTableBase: bigint,
  readEntry: (pa: bigint) => Promise<bigint | undefined>,
  isInDump: (pa: bigint) => boolean,
): Promise<Translation> {
  const walk = walkArm64(va, directoryTableBase);
  let step = walk.next();
  while (step.done !== true) step = walk.next(await readEntry(step.value));
  return finish(step.value, isInDump);
}

/**
 * walkArm64 as the reader's PageWalker (translate.ts): driven by the core's
 * synchronous EntryReader, so ARM64 dumps get the same caches, TLB and
 * DumpSource paths as x64 ones.
 */
export const arm64Walker: PageWalker = {
  levels: LEVELS,
  root: (dtb) => Number(arm64TableRoot(dtb)),
  walk(vaHi: number, vaLo: number, root: number, mem: EntryReader, out: WalkResult): void {
    const walk = walkArm64((BigInt(vaHi) << 32n) | BigInt(vaLo), BigInt(root));
    let step = walk.next();
    for (let level = 0; !step.done; level++) {
      const entry = mem.read(Number(step.value), level) ? (BigInt(mem.hi) << 32n) | BigInt(mem.lo) : undefined;
      step = walk.next(entry);
    }
    const o = step.value;
    out.status = o.status;
    if (o.status === 'mapped') {
      out.pa = Number(o.pa);
      out.pageSize = o.pageSize;
    } else if (o.status === 'not-mapped') out.level = LEVELS.indexOf(o.level);
    else if (o.status === 'not-in-dump') {
      out.level = LEVELS.indexOf(o.level);
      out.tablePa = Number(o.tablePa);
    }
  },
};
