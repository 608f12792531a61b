import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { loadScenario, scenarioLibrary, ScenarioError, type LoadedScenario } from '../../src/scenario/index.js';
import { javascriptScenario, typescriptScenario, writeScenario } from './helpers.js';

async function loadError(path: string): Promise<ScenarioError> {
  try {
    await loadScenario(path);
  } catch (error) {
    assert.ok(error instanceof ScenarioError, `expected ScenarioError, got ${String(error)}`);
    assert.doesNotMatch(error.message, /\n/, 'one line');
    return error;
  }
  assert.fail(`${path} loaded`);
}

/** Calls the scenario's run with stand-ins that record what it did, without a machine. */
async function callRun(s: LoadedScenario): Promise<unknown> {
  return s.run({} as never, scenarioLibrary, {
    dumpKind: 'kernel',
    dumpPath: 'x.dmp',
    runIndex: 0,
    runCount: 1,
    options: s.options,
  });
}

describe('loadScenario', () => {
  it('loads a .ts file from os.tmpdir() as an ES module, with no package.json anywhere above it', async () => {
    const path = await writeScenario('copy-paste.ts', typescriptScenario());
    for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
      assert.equal(existsSync(join(dir, 'package.json')), false, `no package.json in ${dir}`);
    }
    assert.ok(path.startsWith(tmpdir()));
    const s = await loadScenario(path);
    assert.equal(s.source, path);
    assert.equal(s.name, 'copy-paste');
    assert.equal(s.options.memoryBytes, 64n << 20n);
    assert.equal(s.options.processors, 2);
    assert.equal(typeof s.run, 'function');
  });

  it('keeps ESM semantics: top-level await, import.meta.url and `this` undefined at top level', async () => {
    const path = await writeScenario(
      'esm.ts',
      `const where: string = import.meta.url;
const n = await Promise.resolve(41);
const topThis = this;
export default { run: () => ({ where, n: n + 1, topThis }) };
`,
    );
    const s = await loadScenario(path);
    const result = (await callRun(s)) as { where: string; n: number; topThis: unknown };
    assert.equal(result.n, 42);
    assert.match(result.where, /^file:\/\/.*esm\.ts/);
    assert.equal(result.topThis, undefined);
  });

  it('loads a .js file as an ES module: default run function plus named options', async () => {
    const path = await writeScenario('plain.js', javascriptScenario());
    const s = await loadScenario(path);
    assert.equal(s.name, 'plain');
    assert.deepEqual(s.options.dump.kinds, ['small']);
    assert.equal(s.options.memoryBytes, 64n << 20n);
  });

  it('loads .mjs, and CommonJS .cjs through module.exports', async () => {
    const mjs = await loadScenario(
      await writeScenario('m.mjs', `export default { options: { name: 'from-mjs' }, run() { return 'mjs'; } };\n`),
    );
    assert.equal(mjs.name, 'from-mjs');
    assert.equal(await callRun(mjs), 'mjs');
    const cjs = await loadScenario(
      await writeScenario('c.cjs', `module.exports = { options: { processors: 1 }, run() { return 'cjs'; } };\n`),
    );
    assert.equal(cjs.options.processors, 1);
    assert.equal(await callRun(cjs), 'cjs');
  });

  it('evaluates the file afresh on every load', async () => {
    const path = await writeScenario('fresh.ts', `let calls = 0;\nexport default { run: () => ++calls };\n`);
    const a = await loadScenario(path);
    const b = await loadScenario(path);
    assert.equal(await callRun(a), 1);
    assert.equal(await callRun(a), 2);
    assert.equal(await callRun(b), 1);
  });

  it('says when the file is missing or not a module', async () => {
    const missing = await loadError(join(tmpdir(), 'bugcheck-no-such-scenario.ts'));
    assert.equal(missing.code, 'E_SCENARIO_NOT_FOUND');
    assert.match(missing.message, /^scenario file not found: .*bugcheck-no-such-scenario\.ts$/);
    const folder = await loadError(tmpdir());
    assert.equal(folder.code, 'E_SCENARIO_NOT_FOUND');
    assert.match(folder.message, /is not a file$/);
    const text = await loadError(await writeScenario('notes.txt', 'hello'));
    assert.equal(text.code, 'E_SCENARIO_LOAD');
    assert.match(text.message, /"\.txt" is not a TypeScript or JavaScript module extension/);
  });

  it('turns a syntax error or a failing import into one line', async () => {
    const syntax = await loadError(await writeScenario('broken.ts', 'export default { run( {\n'));
    assert.equal(syntax.code, 'E_SCENARIO_LOAD');
    assert.match(
      syntax.message,
      /^scenario .*broken\.ts could not be loaded: .*broken\.ts:2:0: ERROR: Expected identifier but found end of file$/,
    );
    const importing = await loadError(
      await writeScenario(
        'imports.ts',
        `import { x } from './not-there.js';\nexport default { run() { return x; } };\n`,
      ),
    );
    assert.equal(importing.code, 'E_SCENARIO_LOAD');
    assert.match(importing.message, /not-there/);
    const throwing = await loadError(
      await writeScenario('top-throw.ts', `throw new Error('configuration missing');\nexport default { run() {} };\n`),
    );
    assert.equal(throwing.code, 'E_SCENARIO_LOAD');
    assert.match(throwing.message, /could not be loaded: configuration missing \(at \/.*top-throw\.ts:1:7\)$/);
  });

  it('checks the shape of the default export', async () => {
    const none = await loadError(await writeScenario('none.ts', 'export const run = () => 1;\n'));
    assert.equal(none.code, 'E_SCENARIO_SHAPE');
    assert.match(none.message, /no default export; expected "export default \{ options, run\(system, lib\)/);
    const number = await loadError(await writeScenario('number.ts', 'export default 42;\n'));
    assert.match(number.message, /the default export is number/);
    const noRun = await loadError(await writeScenario('norun.ts', `export default { options: {} };\n`));
    assert.equal(noRun.code, 'E_SCENARIO_SHAPE');
    assert.match(noRun.message, /"run" is missing, expected a function run\(system, lib, context\)$/);
    const typo = await loadError(
      await writeScenario('typo.ts', `export default { optoins: { memory: '1GiB' }, run() {} };\n`),
    );
    assert.match(typo.message, /unknown member "optoins" in the default export \(expected: options, run\)$/);
    const twice = await loadError(
      await writeScenario('twice.ts', `export const options = {};\nexport default { options: {}, run() {} };\n`),
    );
    assert.match(twice.message, /options are given twice/);
  });

  it('names the bad option, prefixed by the scenario', async () => {
    const bad = await loadError(
      await writeScenario('badmem.ts', `export default { options: { memory: 'huge' }, run() {} };\n`),
    );
    assert.equal(bad.code, 'E_SCENARIO_OPTIONS');
    assert.match(
      bad.message,
      /^scenario .*badmem\.ts: scenario option "memory": expected a size like "256MiB", got "huge"$/,
    );
    const unknown = await loadError(
      await writeScenario('unknown.js', `export const options = { memroy: '64MiB' };\nexport default function () {}\n`),
    );
    assert.match(unknown.message, /scenario option "memroy" is not known/);
  });
});
