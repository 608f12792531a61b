import type { DumpProblem } from './types.js';

/** Problems of one kind listed one by one; the rest are counted in a single summary. */
export const MAX_LISTED_PROBLEMS = 16;

/**
 * Bounds the problems one kind of per-entry check can add: a table of
 * millions of bad entries gives MAX_LISTED_PROBLEMS problems and one
 * "… and N more" problem, so the problem list is bounded by the reader, not
 * by a count in the file.
 */
export class ProblemCap {
  private seen = 0;
  private firstLeftOut: DumpProblem | undefined;

  constructor(
    private readonly push: (p: DumpProblem) => void,
    /** What the summary calls the unlisted ones, e.g. "data blocks outside the file". */
    private readonly what: string,
  ) {}

  report(p: DumpProblem): void {
    this.seen++;
    if (this.seen <= MAX_LISTED_PROBLEMS) this.push(p);
    else this.firstLeftOut ??= p;
  }

  /** Adds the summary if any problem was left out. */
  finish(): void {
    const more = this.seen - MAX_LISTED_PROBLEMS;
    const first = this.firstLeftOut;
    if (more <= 0 || first === undefined) return;
    // Located at the first one left out.
    this.push({
      ...first,
      message: `… and ${more} more ${this.what} (not listed; the first ${MAX_LISTED_PROBLEMS} are above)`,
    });
  }
}
