import { struct, u16, u32, u64, u8 } from './layout.js';

/**
 * MMPFN of a Windows 10 19041-family x64 kernel (0x30 bytes): one entry per
 * physical page, at MmPfnDatabase + PFN × 0x30. The unions are declared by
 * their plain storage; the helpers below pack and unpack the bit fields
 * `!pfn` prints (share count in u2, page location and cache attribute in e1,
 * PTE frame and PfnExists in u4).
 */
export const MMPFN = struct('MMPFN', {
  /** MIPFNFLINK: list link, working-set index or event, depending on the state. */
  u1: u64,
  /** VA of the PTE that maps the page (PteLong). */
  PteAddress: u64,
  /** MMPTE the page's PTE goes back to when the page leaves the working set. */
  OriginalPte: u64,
  /** MIPFNBLINK: ShareCount:62 for an active page (Blink:40 on a list). */
  u2: u64,
  ReferenceCount: u16,
  /** MMPFNENTRY1: PageLocation:3, WriteInProgress:1, Modified:1, ReadInProgress:1, CacheAttribute:2. */
  e1: u8,
  /** MMPFNENTRY3: Priority:3, OnProtectedStandby:1, InPageError:1, SystemChargedPage:1, RemovalRequested:1, ParityError:1. */
  e3: u8,
  /** MI_PFN_FLAGS5. */
  u5: u32,
  /** MI_PFN_FLAGS4: PteFrame:40, ResidentPage:1, …, Partition:10 @43, FileOnly @53, PfnExists @54, …, PrototypePte @63. */
  u4: u64,
});
export type Mmpfn = ReturnType<typeof MMPFN.decode>;

/** MMLISTS: where a page is (MMPFNENTRY1.PageLocation). */
export const MmPageLocation = {
  ZeroedPageList: 0,
  FreePageList: 1,
  StandbyPageList: 2,
  ModifiedPageList: 3,
  ModifiedNoWritePageList: 4,
  BadPageList: 5,
  ActiveAndValid: 6,
  TransitionPage: 7,
} as const;

/** MI_PFN_CACHE_ATTRIBUTE. */
export const MiCacheAttribute = { MiNonCached: 0, MiCached: 1, MiWriteCombined: 2 } as const;

/** MM_READWRITE protection in a software PTE (Protection:5 at bit 5). */
export const MM_READWRITE_ORIGINAL_PTE = 4n << 5n;

const PTE_FRAME_MASK = (1n << 40n) - 1n;
const SHARE_COUNT_MASK = (1n << 62n) - 1n;
const PFN_EXISTS = 1n << 54n;

export function packPfnEntry1(f: { pageLocation: number; modified?: boolean; cacheAttribute?: number }): number {
  return (f.pageLocation & 7) | ((f.modified ? 1 : 0) << 4) | ((f.cacheAttribute ?? 0) << 6);
}

export function unpackPfnEntry1(e1: number): { pageLocation: number; modified: boolean; cacheAttribute: number } {
  return { pageLocation: e1 & 7, modified: (e1 & 0x10) !== 0, cacheAttribute: e1 >> 6 };
}

export function packPfnFlags4(f: { pteFrame: bigint; pfnExists?: boolean }): bigint {
  return (f.pteFrame & PTE_FRAME_MASK) | (f.pfnExists === false ? 0n : PFN_EXISTS);
}

export function unpackPfnFlags4(u4: bigint): { pteFrame: bigint; pfnExists: boolean } {
  return { pteFrame: u4 & PTE_FRAME_MASK, pfnExists: (u4 & PFN_EXISTS) !== 0n };
}

/** ShareCount of an active page (MIPFNBLINK.ShareCount). */
export function pfnShareCount(u2: bigint): bigint {
  return u2 & SHARE_COUNT_MASK;
}
