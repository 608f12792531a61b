import { POOL_TRACKER_TABLE } from '../format/index.js';
import type { PoolTagStatistics } from './pool.js';
import type { VirtualMemory } from './virtualMemory.js';

/**
 * Writes PoolTrackTable: one POOL_TRACKER_TABLE entry per pool tag ever
 * used, in tag order from the first entry (Windows hashes tags into the
 * table; `!poolused` reads every entry whose Key is not zero, so order does
 * not matter), at most `capacity` − 1 of them (the last entry stays free, as
 * Windows keeps it for overflow).
 */
export function writePoolTrackTable(
  memory: VirtualMemory,
  table: bigint,
  capacity: number,
  stats: ReadonlyMap<number, PoolTagStatistics>,
): number {
  const tags = [...stats.keys()].sort((a, b) => a - b).slice(0, capacity - 1);
  if (tags.length === 0) return 0;
  const bytes = new Uint8Array(tags.length * POOL_TRACKER_TABLE.size);
  tags.forEach((tag, i) => {
    const s = stats.get(tag)!;
    POOL_TRACKER_TABLE.encodeInto(bytes, i * POOL_TRACKER_TABLE.size, {
      Key: tag,
      NonPagedAllocs: s.nonPagedAllocs,
      NonPagedFrees: s.nonPagedFrees,
      NonPagedBytes: BigInt(s.nonPagedBytes),
      PagedAllocs: s.pagedAllocs,
      PagedFrees: s.pagedFrees,
      PagedBytes: BigInt(s.pagedBytes),
    });
  });
  memory.writeUnguarded(table, bytes);
  return tags.length;
}
