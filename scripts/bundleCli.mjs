// Builds the `bugcheck` command that bin/bugcheck.cjs runs (npm run build, and prepare on install):
// one CommonJS bundle per command in dist/cli/<command>.cjs holding that command and only what it
// imports, plus dist/cli/all.cjs with every command (for --help and unknown words). Start-up is then
// one file to read and compile (V8 caches the compiled code beside it) instead of a module graph to
// resolve. tsx, which only `run` needs, stays outside the bundles and is required when a scenario loads.
//
// Inside a bundle each module keeps its own URL: `import.meta.url` of src/scenario/demo.ts still names
// src/scenario/demo.ts (resolved from the bundle's folder), so paths computed from it stay right.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'cli');
const cli = path.join(root, 'src', 'cli');
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

// The command names, in help order, from the compiled registry (tsc runs first).
const { COMMANDS } = await import(pathToFileURL(path.join(root, 'dist', 'src', 'cli', 'main.js')).href);
const names = COMMANDS.map((c) => c.name);
for (const name of names) {
  if (!existsSync(path.join(cli, 'commands', `${name}.ts`)))
    throw new Error(
      `command "${name}" has no module src/cli/commands/${name}.ts (one module per command, named after it)`,
    );
}

/** The entry of a bundle: the program with these commands and nothing else. */
function entrySource(commands) {
  const imports = commands.map((name, i) => `import * as m${i} from './commands/${name}.ts';`).join('\n');
  const list = commands.map((name, i) => `pick(m${i}, ${JSON.stringify(name)})`).join(', ');
  return `${imports}
import { runProgram } from './program.ts';
function pick(module, name) {
  const command = Object.values(module).find((v) => typeof v === 'object' && v !== null && v.name === name && typeof v.register === 'function');
  if (command === undefined) throw new Error('src/cli/commands/' + name + '.ts exports no command named ' + name);
  return command;
}
const commands = [${list}];
export function main(argv, io) {
  return runProgram(commands, argv, io);
}
`;
}

const entries = Object.fromEntries([...names.map((name) => [name, [name]]), ['all', names]]);

const virtualEntries = {
  name: 'bugcheck-cli-entries',
  setup(b) {
    b.onResolve({ filter: /^bugcheck-cli:/ }, (args) => ({
      path: args.path.slice('bugcheck-cli:'.length),
      namespace: 'bugcheck-cli',
    }));
    b.onLoad({ filter: /.*/, namespace: 'bugcheck-cli' }, (args) => ({
      contents: entrySource(entries[args.path]),
      resolveDir: cli,
      loader: 'ts',
    }));
  },
};

const ownUrls = {
  name: 'bugcheck-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const rel = path.relative(root, args.path).split(path.sep).join('/');
      return {
        contents: source.replaceAll('import.meta.url', `__bugcheckModuleUrl(${JSON.stringify(rel)})`),
        loader: 'ts',
      };
    });
  },
};

// commander loads node:child_process (and with it net, dgram, …) at start-up for executable
// subcommands, which bugcheck has none of: it gets it when it first spawns, i.e. never.
const lazyChildProcess = {
  name: 'bugcheck-lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const eager = "require('node:child_process')";
      if (!source.includes(eager)) return undefined;
      return {
        contents: source.replace(eager, "{ get spawn() { return require('node:child_process').spawn; } }"),
        loader: 'js',
      };
    });
  },
};

// picocolors asks process.stdout whether it is a terminal when it loads; that makes Node's stdout
// stream, which for a pipe loads net and its stream machinery (~9 ms), and the launcher writes pipes
// and files without it. The same question, asked of the descriptor (node:tty loads net too: only for a
// character device other than /dev/null, where a benchmark or a script sends the output).
const picocolorsWithoutStdout = {
  name: 'bugcheck-picocolors-without-stdout',
  setup(b) {
    b.onLoad({ filter: /[\\/]picocolors[\\/]picocolors\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const eager = '(p.stdout || {}).isTTY';
      if (!source.includes(eager)) throw new Error(`${args.path}: no ${eager} to replace (a new picocolors?)`);
      return { contents: source.replace(eager, '__bugcheckIsTerminal(1)'), loader: 'js' };
    });
  },
};

// wrap-ansi builds Intl.Segmenter and its emoji regular expressions when it is loaded (through
// string-width): about a third of the analyze bundle's start-up, for lines that are wrapped only on a
// terminal. It is built on its own (dist/cli/wrap-ansi.cjs, with string-width, strip-ansi, ansi-styles and
// get-east-asian-width, ~40 KB that a command writing to a pipe or a file never runs, nor then reads), and
// importers get a stand-in that requires it on the first call.
const lazyWrapAnsi = {
  name: 'bugcheck-lazy-wrap-ansi',
  setup(b) {
    b.onResolve({ filter: /^wrap-ansi$/ }, () => ({ path: 'wrap-ansi', namespace: 'bugcheck-lazy' }));
    b.onResolve({ filter: /^\.\/wrap-ansi\.cjs$/ }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'bugcheck-lazy' }, () => ({
      contents: `let wrap;
export default function wrapAnsi(string, columns, options) {
  wrap ??= require('./wrap-ansi.cjs').default;
  return wrap(string, columns, options);
}
`,
      resolveDir: root,
      loader: 'js',
    }));
  },
};

// The bug check table's data (src/analyze/bugcodes/codes*.ts, ~300 KB, two fifths of the analyze
// bundle) is built on its own, one file per code range in dist/cli/bugcodes/, which a bundle requires
// the first time it looks a code of that range up: `analyze` of one dump reads one range's file and
// not the rest on every start. The ranges' rows are plain data (compared by value, never by identity
// across ranges), so each file carrying its own copy of bugcodes/common.ts changes nothing.
const bugcodesDir = path.join(root, 'src', 'analyze', 'bugcodes');
const bugcodeRanges = readdirSync(bugcodesDir)
  .filter((f) => /^codes\w+\.ts$/.test(f))
  .map((f) => {
    const exported = /export function (details\w+)\(/.exec(readFileSync(path.join(bugcodesDir, f), 'utf8'))?.[1];
    if (exported === undefined) throw new Error(`src/analyze/bugcodes/${f} exports no details…() function`);
    return { name: path.basename(f, '.ts'), exported };
  });
const bugcodesOnDemand = {
  name: 'bugcheck-bugcodes-on-demand',
  setup(b) {
    b.onResolve({ filter: /^\.\/bugcodes\/codes\w+\.js$/ }, (args) =>
      path.basename(args.importer) === 'bugcodes.ts' && path.dirname(args.importer) === path.dirname(bugcodesDir)
        ? { path: path.basename(args.path, '.js'), namespace: 'bugcheck-bugcodes' }
        : undefined,
    );
    b.onResolve({ filter: /^\.\/bugcodes\/codes\w+\.cjs$/ }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'bugcheck-bugcodes' }, (args) => {
      const range = bugcodeRanges.find((r) => r.name === args.path);
      if (range === undefined) throw new Error(`no src/analyze/bugcodes/${args.path}.ts`);
      return {
        contents: `export function ${range.exported}() { return require('./bugcodes/${range.name}.cjs').${range.exported}(); }\n`,
        loader: 'js',
      };
    });
  },
};

// And each code's row on its own (dist/cli/bugcode-rows/<code in hex>.cjs, a literal of the row the
// range builds, from the compiled ranges tsc has just written to dist/src): the bundles' row.ts requires
// the one a lookup asks for, so `analyze` of one dump builds the row or two it shows, not the 64 codes of
// each range it touches (plus their file and code cache). test/cli/lazyLoading.test.ts compares every
// row file with its range.
const rowCodes = [];
const rows = new Map();
for (const r of bugcodeRanges) {
  const compiled = await import(
    pathToFileURL(path.join(root, 'dist', 'src', 'analyze', 'bugcodes', `${r.name}.js`)).href
  );
  for (const [code, detail] of compiled[r.exported]()) rows.set(code, detail);
}
/** JavaScript source of a row: strings, numbers, arrays, plain objects and Maps, all it holds. */
function literal(v) {
  if (v === undefined) return 'undefined';
  if (typeof v === 'string')
    return JSON.stringify(v).replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return JSON.stringify(v);
  if (v instanceof Map) return `new Map(${literal([...v])})`;
  if (Array.isArray(v)) return `[${v.map(literal).join(',')}]`;
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}:${literal(x)}`)
      .join(',')}}`;
  throw new Error(`bug check row: cannot write ${typeof v} ${String(v)} as a literal`);
}
const bugcodeRows = {
  name: 'bugcheck-bugcode-rows',
  setup(b) {
    b.onResolve({ filter: /^\.\/bugcodes\/row\.js$/ }, (args) =>
      path.basename(args.importer) === 'bugcodes.ts' && path.dirname(args.importer) === path.dirname(bugcodesDir)
        ? { path: 'row', namespace: 'bugcheck-bugcode-rows' }
        : undefined,
    );
    b.onResolve({ filter: /^\.\/bugcode-rows\// }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'bugcheck-bugcode-rows' }, () => ({
      contents: `export const BUILD_RANGE = 'build-range';
const CODES = new Set(${JSON.stringify(rowCodes)});
export function detailRow(code) {
  if (!CODES.has(code)) return undefined;
  const file = './bugcode-rows/' + code.toString(16) + '.cjs';
  return require(file).detail;
}
`,
      loader: 'js',
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
mkdirSync(path.join(outdir, 'bugcode-rows'), { recursive: true });
for (const [code, detail] of rows) {
  rowCodes.push(code);
  writeFileSync(
    path.join(outdir, 'bugcode-rows', `${code.toString(16)}.cjs`),
    `'use strict';\nexports.detail = ${literal(detail)};\n`,
  );
}
/** What every bundle of dist/cli is: CommonJS for Node 20, its module list kept (metafile). */
const nodeBundle = {
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  legalComments: 'eof',
  logLevel: 'warning',
  metafile: true,
};
const result = await build({
  ...nodeBundle,
  entryPoints: Object.keys(entries).map((name) => ({ in: `bugcheck-cli:${name}`, out: name })),
  outdir,
  // Packages that find their own files next to themselves (import.meta.url) stay outside the bundles.
  external: ['tsx', 'tsx/*', 'esbuild', '@yowasp/clang', 'open'],
  plugins: [
    virtualEntries,
    ownUrls,
    lazyChildProcess,
    lazyWrapAnsi,
    picocolorsWithoutStdout,
    bugcodesOnDemand,
    bugcodeRows,
  ],
  banner: {
    js: [
      `const __bugcheckModuleUrl = (rel) => require('node:url').pathToFileURL(require('node:path').join(__dirname, '..', '..', rel)).href;`,
      `const __bugcheckIsTerminal = (fd) => { try { const fs = require('node:fs'); const stat = fs.fstatSync(fd); return stat.isCharacterDevice() && stat.rdev !== fs.statSync('/dev/null', { throwIfNoEntry: false })?.rdev && require('node:tty').isatty(fd); } catch { return false; } };`,
    ].join('\n'),
  },
  // packageVersion() answers this instead of reading package.json (src/cli/version.ts).
  define: { BUGCHECK_BUNDLED_VERSION: JSON.stringify(packageJson.version) },
  // Whitespace only: minifySyntax drops the names of function expressions nothing refers to, and the
  // model names a routine's export after its function (the demo's dumps then differed from a library
  // run's: test/cli/launcher.test.ts). Without the whitespace and comments a bundle is a third smaller:
  // fewer bytes to read and to hold as a string on every start. Which modules a bundle holds is in
  // dist/cli/bundles.json (written below), since the "// path" comments go too.
  minifyWhitespace: true,
});
const wrapAnsi = await build({
  ...nodeBundle,
  entryPoints: { 'wrap-ansi': path.join(root, 'node_modules', 'wrap-ansi', 'index.js') },
  outdir,
  minifyWhitespace: true,
});
const ranges = await build({
  ...nodeBundle,
  entryPoints: bugcodeRanges.map((r) => path.join(bugcodesDir, `${r.name}.ts`)),
  outdir: path.join(outdir, 'bugcodes'),
});
// esbuild escapes non-ASCII characters in code but not in the comments it keeps; one of them makes the whole
// source a two-byte string for V8, slower to read and to compile.
// A bundle the launcher compiles through its code cache gets the CommonJS function wrapper written around
// it here, so the launcher compiles the file's text as it is instead of a 0.4 MB concatenated copy (see
// loadBundle in bin/bugcheck.cjs). Not a bundle that imports an ES module at run time (the launcher
// require()s it) nor one that starts itself as a worker thread (src/fleet/pool.ts): those run as files;
// nor the code ranges, which such a bundle require()s too (and which are small).
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {';
const commandBundles = new Set(Object.keys(result.metafile.outputs));
const otherFiles = [...Object.keys(wrapAnsi.metafile.outputs), ...Object.keys(ranges.metafile.outputs)];
for (const file of [...commandBundles, ...otherFiles]) {
  const source = readFileSync(file, 'utf8');
  let text = source.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (commandBundles.has(file) && !text.includes('import(') && !text.includes('new Worker('))
    text = `${WRAPPER_HEAD}${text}\n})`;
  if (text !== source) writeFileSync(file, text);
}
const outputs = Object.entries(result.metafile.outputs);
// The modules each bundle holds (test/cli/lazyLoading.test.ts checks what analyze carries).
writeFileSync(
  path.join(outdir, 'bundles.json'),
  `${JSON.stringify(
    Object.fromEntries(
      outputs.map(([file, o]) => [
        path.basename(file, '.cjs'),
        Object.keys(o.inputs)
          .filter((i) => !i.includes(':'))
          .sort(),
      ]),
    ),
    null,
    1,
  )}\n`,
);
const sizes = outputs.map(([file, o]) => `${path.basename(file, '.cjs')} ${(o.bytes / 1024).toFixed(0)} KiB`);
console.log(
  `bugcheck CLI: ${outputs.length} bundles in dist/cli (${sizes.join(', ')}), ${bugcodeRanges.length} bug check code ranges in dist/cli/bugcodes`,
);
