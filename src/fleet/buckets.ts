import type { FleetErrorJson } from './errors.js';
import type { DumpOutcome, DumpSummary } from './summary.js';

/** Example files kept per bucket unless asked otherwise. */
export const DEFAULT_BUCKET_EXAMPLES = 3;

/** One FAILURE_BUCKET_ID and the dumps that share it (`bucket --json`'s `buckets[]`). */
export interface FailureBucket {
  failureBucketId: string;
  count: number;
  /** Bug check codes seen, `0x…`, in numeric order. */
  codes: string[];
  /** Faulting modules seen, in code-point order. */
  modules: string[];
  /** Earliest and latest SystemTime (ISO 8601) of the bucket's dumps; null when none has one. */
  firstSeen: string | null;
  lastSeen: string | null;
  /** Example files: the first few in code-point order, so the choice does not depend on which worker finished first. */
  files: string[];
}

export interface BucketReport {
  buckets: FailureBucket[];
  failed: { file: string; error: FleetErrorJson }[];
  /** Dumps looked at, failed ones included. */
  dumps: number;
}

interface Accumulator {
  count: number;
  codes: Set<string>;
  modules: Set<string>;
  firstSeen: string | null;
  lastSeen: string | null;
  files: string[];
}

/** Inserts `file` into the sorted `files`, keeping at most `limit` (the smallest). */
function keepSmallest(files: string[], file: string, limit: number): void {
  if (limit <= 0) return;
  if (files.length === limit && file >= files[limit - 1]!) return;
  let at = files.length;
  while (at > 0 && files[at - 1]! > file) at--;
  files.splice(at, 0, file);
  if (files.length > limit) files.pop();
}

/**
 * Groups dump summaries by FAILURE_BUCKET_ID as they arrive, in any order:
 * memory grows with the number of buckets (and failures), not of dumps, and
 * the report is the same whatever order the results came in.
 */
export class BucketAggregator {
  private readonly byId = new Map<string, Accumulator>();
  private readonly failed: { file: string; error: FleetErrorJson }[] = [];
  private dumps = 0;

  constructor(private readonly examples: number = DEFAULT_BUCKET_EXAMPLES) {}

  add(outcome: DumpOutcome): void {
    this.dumps++;
    if ('error' in outcome) this.failed.push({ file: outcome.file, error: outcome.error });
    else this.addSummary(outcome.summary);
  }

  private addSummary(s: DumpSummary): void {
    let a = this.byId.get(s.failureBucketId);
    if (a === undefined) {
      a = { count: 0, codes: new Set(), modules: new Set(), firstSeen: null, lastSeen: null, files: [] };
      this.byId.set(s.failureBucketId, a);
    }
    a.count++;
    a.codes.add(s.code);
    if (s.module !== null) a.modules.add(s.module);
    if (s.systemTime !== null) {
      if (a.firstSeen === null || s.systemTime < a.firstSeen) a.firstSeen = s.systemTime;
      if (a.lastSeen === null || s.systemTime > a.lastSeen) a.lastSeen = s.systemTime;
    }
    keepSmallest(a.files, s.file, this.examples);
  }

  /** Biggest bucket first; equal counts by id. Failures by file name. */
  report(): BucketReport {
    const buckets: FailureBucket[] = [...this.byId.entries()].map(([failureBucketId, a]) => ({
      failureBucketId,
      count: a.count,
      codes: [...a.codes].sort((x, y) => Number(BigInt(x) - BigInt(y))),
      modules: [...a.modules].sort(),
      firstSeen: a.firstSeen,
      lastSeen: a.lastSeen,
      files: [...a.files],
    }));
    buckets.sort((x, y) => y.count - x.count || (x.failureBucketId < y.failureBucketId ? -1 : 1));
    const failed = [...this.failed].sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : 0));
    return { buckets, failed, dumps: this.dumps };
  }
}
