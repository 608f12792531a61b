import {
  PTE_FRAME_MASK,
  PTE_FRAME_MASK_1G,
  PTE_FRAME_MASK_2M,
  PTE_LARGE,
  PTE_PRESENT,
  PTE_PROTOTYPE,
  PTE_TRANSITION,
  directoryTableBaseAddress,
  isCanonical,
  pageTableIndices,
} from '../../format/index.js';
import type { PagingLevel, Translation } from './types.js';

/** Reads one 8-byte entry of physical memory; undefined when its page is not in the dump. */
export type PhysicalU64Reader = (pa: bigint) => Promise<bigint | undefined>;

/**
 * x64 4-level walk. Exactly four table reads at most, so a table that points
 * at itself (the Windows self-map) or at another level cannot make us loop.
 * A not-present PTE with Transition set and Prototype clear still names a
 * resident page (Windows' standby/modified lists), so it translates.
 */
export async function translateX64(
  va: bigint,
  directoryTableBase: bigint,
  readU64: PhysicalU64Reader,
  isInDump: (pa: bigint) => boolean,
): Promise<Translation> {
  if (va < 0n || va > 0xffff_ffff_ffff_ffffn || !isCanonical(va)) return { status: 'non-canonical' };
  const idx = pageTableIndices(va);
  const steps: { level: PagingLevel; index: number }[] = [
    { level: 'PML4E', index: idx.pml4 },
    { level: 'PDPTE', index: idx.pdpt },
    { level: 'PDE', index: idx.pd },
    { level: 'PTE', index: idx.pt },
  ];
  let table = directoryTableBaseAddress(directoryTableBase);
  for (const { level, index } of steps) {
    const entry = await readU64(table + BigInt(index) * 8n);
    if (entry === undefined) return { status: 'not-in-dump', level, tablePa: table };
    if ((entry & PTE_PRESENT) === 0n) {
      const transition = level === 'PTE' && (entry & PTE_TRANSITION) !== 0n && (entry & PTE_PROTOTYPE) === 0n;
      if (!transition) return { status: 'not-mapped', level };
    }
    if (level === 'PDPTE' && (entry & PTE_LARGE) !== 0n) {
      return mapped((entry & PTE_FRAME_MASK_1G) + (va & 0x3fff_ffffn), 0x4000_0000, isInDump);
    }
    if (level === 'PDE' && (entry & PTE_LARGE) !== 0n) {
      return mapped((entry & PTE_FRAME_MASK_2M) + (va & 0x1f_ffffn), 0x20_0000, isInDump);
    }
    if (level === 'PTE') return mapped((entry & PTE_FRAME_MASK) + (va & 0xfffn), 0x1000, isInDump);
    table = entry & PTE_FRAME_MASK;
  }
  // Unreachable: the PTE step always returns.
  return { status: 'unsupported', reason: 'page walk ended without a PTE' };
}

function mapped(pa: bigint, pageSize: number, isInDump: (pa: bigint) => boolean): Translation {
  return { status: 'mapped', pa, pageSize, inDump: isInDump(pa) };
}
