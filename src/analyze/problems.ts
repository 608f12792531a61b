import { printable } from './text.js';

/**
 * Problem lists for people: a damaged table can yield thousands of the same
 * warning (a triage driver list with a wild DriverCount gives ~1,600), so
 * text output shows the first few of each code and severity and counts the
 * rest. JSON output never goes through here: it keeps every problem.
 */

/** Problems of one code and severity shown one by one in text; the rest are counted. */
export const PROBLEM_LINES_PER_CODE = 20;

/** What capping needs of a problem: the reader's DumpProblem and the analysis's ProblemJson both fit. */
export interface ProblemKind {
  code: string;
  severity: 'warning' | 'error';
}

/** Problems of one code and severity left out of the text. */
export interface HiddenProblems {
  code: string;
  severity: 'warning' | 'error';
  count: number;
}

export interface CappedProblems<P extends ProblemKind> {
  /** In their original order: at most `perCode` of each code and severity. */
  shown: P[];
  /** One entry per code and severity that had more, in the order each was first met. */
  hidden: HiddenProblems[];
}

export function capProblems<P extends ProblemKind>(
  problems: readonly P[],
  perCode: number = PROBLEM_LINES_PER_CODE,
): CappedProblems<P> {
  const seen = new Map<string, HiddenProblems>();
  const shown: P[] = [];
  for (const p of problems) {
    const key = `${p.severity} ${p.code}`;
    let group = seen.get(key);
    if (group === undefined) {
      group = { code: p.code, severity: p.severity, count: 0 };
      seen.set(key, group);
    }
    group.count += 1;
    if (group.count <= perCode) shown.push(p);
  }
  const hidden: HiddenProblems[] = [];
  for (const g of seen.values()) if (g.count > perCode) hidden.push({ ...g, count: g.count - perCode });
  return { shown, hidden };
}

/** The counting line's text, without the severity tag: `1593 more warnings like these not shown (E_DUMP_CORRUPT)`. */
export function hiddenProblemsText(h: HiddenProblems): string {
  return `${h.count} more ${h.severity}${h.count === 1 ? '' : 's'} like these not shown (${h.code})`;
}

/** A problem as one line of text: message, then where (structure, file offset) unless the message already says it, then the code. */
export function problemLine(p: {
  code: string;
  message: string;
  structure?: string | undefined;
  offset?: string | undefined;
}): string {
  const where = [p.structure, p.offset === undefined ? undefined : `file offset ${p.offset}`].filter(
    (x): x is string => x !== undefined && !p.message.includes(x),
  );
  return `${printable(p.message)}${where.length > 0 ? ` [${where.join(', ')}]` : ''} (${p.code})`;
}
