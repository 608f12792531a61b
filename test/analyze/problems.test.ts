import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  analyzeDump,
  capProblems,
  formatAnalysis,
  hiddenProblemsText,
  PROBLEM_LINES_PER_CODE,
  type ProblemJson,
} from '../../src/analyze/index.js';
import { openDump } from '../../src/dump/reader/index.js';
import { genuineDump, genuineDumpWithDriverCount } from './helpers.js';

function problem(code: string, severity: 'warning' | 'error', n: number): ProblemJson {
  return { code, severity, message: `${code} number ${n}` };
}

describe('analyze: capping problem lists for text', () => {
  it('keeps the first 20 of each code and severity in order and counts the rest per group', () => {
    const list: ProblemJson[] = [];
    for (let i = 0; i < 45; i++) list.push(problem('E_A', 'warning', i));
    list.splice(3, 0, problem('E_B', 'error', 0));
    for (let i = 0; i < 21; i++) list.push(problem('E_A', 'error', i));
    list.push(problem('E_C', 'warning', 0));
    const { shown, hidden } = capProblems(list);
    assert.equal(PROBLEM_LINES_PER_CODE, 20);
    assert.deepEqual(
      shown.filter((p) => p.code === 'E_A' && p.severity === 'warning').map((p) => p.message),
      Array.from({ length: 20 }, (_, i) => `E_A number ${i}`),
    );
    assert.equal(shown.filter((p) => p.code === 'E_A' && p.severity === 'error').length, 20);
    assert.equal(shown[3]?.code, 'E_B', 'original order kept');
    assert.equal(shown[shown.length - 1]?.code, 'E_C');
    assert.equal(shown.length, 20 + 1 + 20 + 1);
    assert.deepEqual(hidden, [
      { code: 'E_A', severity: 'warning', count: 25 },
      { code: 'E_A', severity: 'error', count: 1 },
    ]);
    assert.equal(hiddenProblemsText(hidden[0]!), '25 more warnings like these not shown (E_A)');
    assert.equal(hiddenProblemsText(hidden[1]!), '1 more error like these not shown (E_A)');
    assert.deepEqual(capProblems(list.slice(0, 20)).hidden, [], 'exactly 20 of a kind: nothing counted');
  });

  it('formatAnalysis shows at most 20 lines per code of a damaged driver list, then one counting line; the analysis keeps all', async (t) => {
    const genuine = await genuineDump(t);
    if (genuine === undefined) return;
    const path = await genuineDumpWithDriverCount(genuine);
    const dump = await openDump(path);
    let a: Awaited<ReturnType<typeof analyzeDump>>;
    try {
      a = await analyzeDump(dump);
    } finally {
      await dump.close();
    }
    const counts = new Map<string, number>();
    for (const p of a.problems) counts.set(`${p.severity} ${p.code}`, (counts.get(`${p.severity} ${p.code}`) ?? 0) + 1);
    const corruptWarnings = counts.get('warning E_DUMP_CORRUPT') ?? 0;
    assert.ok(corruptWarnings > 1000, `${corruptWarnings} warnings in the analysis object`);

    const lines = formatAnalysis(a);
    const at = lines.findIndex((l) => l.startsWith('Problems:'));
    assert.match(lines[at]!, new RegExp(`^Problems: +${a.problems.length}$`));
    const problemLines = lines.slice(at + 1);
    const expected = [...counts.values()].reduce((sum, n) => sum + Math.min(n, 20) + (n > 20 ? 1 : 0), 0);
    assert.equal(problemLines.length, expected);
    assert.equal(
      problemLines.filter((l) => /^ {2}warning: .*\(E_DUMP_CORRUPT\)$/.test(l) && !/not shown/.test(l)).length,
      20,
    );
    assert.deepEqual(
      problemLines.filter((l) => /like these not shown/.test(l)),
      [...counts]
        .filter(([, n]) => n > 20)
        .map(([key, n]) => {
          const [severity, code] = key.split(' ');
          return `  ${severity}: ${n - 20} more ${severity}${n - 20 === 1 ? '' : 's'} like these not shown (${code})`;
        }),
    );
    assert.ok(
      problemLines.includes(`  warning: ${corruptWarnings - 20} more warnings like these not shown (E_DUMP_CORRUPT)`),
    );
  });
});
