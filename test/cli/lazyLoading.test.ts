import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it, type TestContext } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = pathToFileURL(`${REPO}src/cli/main.ts`).href;

/** A resolve hook that prints every module URL it resolves on stderr. */
const HOOK = `
import { writeSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  writeSync(2, '@@loaded ' + resolved.url + '\\n');
  return resolved;
}`;
const REGISTER = `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}));`;

/** Runs main(argv) from the sources in a fresh process; returns the exit code and the modules it loaded (tsx's own left out). */
function loadedBy(argv: string[]): { status: number | null; modules: string[]; stderr: string } {
  const script = `const { main } = await import(${JSON.stringify(MAIN)}); process.exitCode = await main(${JSON.stringify(argv)});`;
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      `data:text/javascript,${encodeURIComponent(REGISTER)}`,
      '--input-type=module',
      '-e',
      script,
    ],
    { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  );
  const modules = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('@@loaded '))
    .map((l) => l.slice('@@loaded '.length).replace(pathToFileURL(REPO).href, ''))
    .filter((u) => !u.startsWith('node:') && !u.includes('node_modules/tsx/'));
  return { status: r.status, modules, stderr: r.stderr.replace(/^@@loaded .*\n/gm, '') };
}

/** What only `run`/`demo` need: nothing else may load it. */
const SCENARIO_ONLY = [
  'node_modules/zod/',
  'node_modules/cli-progress/',
  'src/scenario/',
  'src/kernel/',
  'src/system.ts',
];

describe('commands load only what they use (from the sources)', () => {
  it('--version loads the version module and nothing else of ours', () => {
    const r = loadedBy(['--version']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      r.modules.filter((u) => !u.startsWith('src/cli/main.ts')),
      ['src/cli/version.ts'],
    );
  });

  it('analyze loads its own command, the reader and the analyzer: no scenario layer, zod, tables or progress bars', () => {
    const r = loadedBy(['analyze', `${REPO}no-such-dump.dmp`]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /E_DUMP_OPEN/);
    assert.ok(r.modules.includes('src/cli/commands/analyze.ts'));
    assert.ok(r.modules.some((u) => u.startsWith('src/dump/reader/')));
    const commands = r.modules.filter((u) => u.startsWith('src/cli/commands/'));
    assert.deepEqual(commands, ['src/cli/commands/analyze.ts']);
    for (const heavy of [...SCENARIO_ONLY, 'node_modules/cli-table3/'])
      assert.deepEqual(
        r.modules.filter((u) => u.includes(heavy)),
        [],
        `analyze loaded ${heavy}`,
      );
  });
});

/** The built CLI: present after npm install / npm run build (CI builds it); skipped in a tree that was never built. */
function bundle(t: TestContext, name: string): string | undefined {
  const file = `${REPO}dist/cli/${name}.cjs`;
  if (existsSync(file)) return readFileSync(file, 'utf8');
  if (process.env.CI === 'true') assert.fail(`${file} is missing: npm ci should have built it`);
  t.skip(`${file} not built (npm run build)`);
  return undefined;
}

describe('the built CLI: one bundle per command', () => {
  it('each bug check row file (what analyze requires for one code) holds what its range builds for that code', async (t) => {
    if (bundle(t, 'analyze') === undefined) return;
    const expected = new Map<number, unknown>();
    const ranges = readdirSync(`${REPO}src/analyze/bugcodes`).filter((f) => /^codes\w+\.ts$/.test(f));
    for (const file of ranges) {
      const range = (await import(pathToFileURL(`${REPO}src/analyze/bugcodes/${file}`).href)) as Record<
        string,
        unknown
      >;
      const [, build] = Object.entries(range).find(([name]) => name.startsWith('details'))!;
      for (const [code, detail] of (build as () => [number, unknown][])()) expected.set(code, detail);
    }
    const dir = `${REPO}dist/cli/bugcode-rows/`;
    assert.equal(readdirSync(dir).length, expected.size);
    const load = createRequire(import.meta.url);
    for (const [code, detail] of expected)
      assert.deepStrictEqual(
        (load(`${dir}${code.toString(16)}.cjs`) as { detail: unknown }).detail,
        detail,
        `0x${code.toString(16)}`,
      );
  });

  it('the analyze bundle holds no scenario layer, kernel, zod, tables, progress bars, wrap-ansi or tsx', (t) => {
    const source = bundle(t, 'analyze');
    if (source === undefined) return;
    // The build lists the modules of each bundle (from esbuild's metafile) in dist/cli/bundles.json.
    const modules = (JSON.parse(readFileSync(`${REPO}dist/cli/bundles.json`, 'utf8')) as Record<string, string[]>)
      .analyze;
    assert.ok(modules !== undefined, 'bundles.json lists no analyze bundle');
    for (const heavy of [...SCENARIO_ONLY, 'node_modules/cli-table3/', 'node_modules/wrap-ansi/'])
      assert.deepEqual(
        modules.filter((m) => m.includes(heavy)),
        [],
        `analyze.cjs holds ${heavy}`,
      );
    assert.ok(modules.includes('src/cli/commands/analyze.ts'));
    assert.ok(modules.some((m) => m.startsWith('src/dump/reader/')));
    assert.doesNotMatch(source, /\b(?:require|import)\("tsx/);
    assert.match(source, /require\("\.\/wrap-ansi\.cjs"\)/, 'wrap-ansi is required on first use, from its own file');
  });

  it('the run bundle loads tsx only when a scenario is imported, and the launcher answers --version alone', (t) => {
    const source = bundle(t, 'run');
    if (source === undefined) return;
    assert.match(source, /await import\("tsx\/esm\/api"\)/);
    const r = spawnSync(process.execPath, [`${REPO}bin/bugcheck.cjs`, '--version'], { encoding: 'utf8' });
    const pkg = JSON.parse(readFileSync(`${REPO}package.json`, 'utf8')) as { version: string };
    assert.equal(r.stdout, `${pkg.version}\n`);
  });
});

describe('the launcher’s code cache', () => {
  it('is written beside the bundle after a run, and one that does not match the bundle is ignored and replaced', (t) => {
    if (bundle(t, 'header') === undefined) return;
    const cache = `${REPO}dist/cli/header.cjs.cache`;
    const run = (): { status: number | null; stderr: string } => {
      const r = spawnSync(process.execPath, [`${REPO}bin/bugcheck.cjs`, 'header', `${REPO}no-such-dump.dmp`], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      return { status: r.status, stderr: r.stderr };
    };
    rmSync(cache, { force: true });
    const first = run();
    assert.equal(first.status, 1);
    assert.match(first.stderr, /E_DUMP_OPEN/);
    assert.ok(existsSync(cache), 'no cache after the first run');
    const stat = readFileSync(cache).subarray(0, 200).toString('latin1').split('\n')[0]!;
    assert.match(stat, /^bugcheck-code-cache v\d+\.\d+\.\d+ \d+ [0-9.]+$/);
    assert.deepEqual(run(), first);
    writeFileSync(cache, 'bugcheck-code-cache from another build\nnot V8 data');
    assert.deepEqual(run(), first);
    assert.ok(readFileSync(cache).subarray(0, stat.length).toString('latin1') === stat, 'the stale cache was replaced');
  });
});
