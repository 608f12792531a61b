import { struct, u32, u64 } from './layout.js';

/**
 * Small kernel tables KDDEBUGGER_DATA64 points to, as debuggers read them.
 */

/**
 * POOL_TRACKER_TABLE (0x28 bytes on x64): per pool tag, allocations, frees
 * and bytes in use, nonpaged and paged — what `!poolused` lists. Key is the
 * tag as a little-endian ULONG ('Drvr' → 0x72767244).
 */
export const POOL_TRACKER_TABLE = struct('POOL_TRACKER_TABLE', {
  Key: u32,
  NonPagedAllocs: u32,
  NonPagedFrees: u32,
  NonPagedBytes: u64,
  PagedAllocs: u32,
  PagedFrees: u32,
  PagedBytes: u64,
});
export type PoolTrackerTable = ReturnType<typeof POOL_TRACKER_TABLE.decode>;

/**
 * One entry of IopTriageDumpDataBlocks: a virtual range [StartAddress,
 * EndAddress) the kernel adds to triage dumps. The genuine 19041 dump holds
 * 31 such pairs after IopNumTriageDumpDataBlocks (a ULONG) — start and
 * exclusive end, not start and size. The names are ours.
 */
export const IOP_TRIAGE_DUMP_DATA_BLOCK = struct('IOP_TRIAGE_DUMP_DATA_BLOCK', {
  StartAddress: u64,
  EndAddress: u64,
});
export type IopTriageDumpDataBlock = ReturnType<typeof IOP_TRIAGE_DUMP_DATA_BLOCK.decode>;
