#!/usr/bin/env node
// Launcher of `bugcheck`. Runs the built CLI (npm run build: dist/cli/<command>.cjs, one bundle per
// command) when there is one, otherwise the TypeScript sources through tsx. CommonJS on purpose: it
// starts without Node's ES module loader, and a bundle is compiled with a V8 code cache kept beside it
// (<bundle>.cache, rewritten when V8 rejects it; never needed, a failed write is ignored).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

// A closed pipe (`bugcheck … | head`) ends the output, not the program with a stack trace.
function endOnWriteError(err) {
  process.exit(err.code === 'EPIPE' ? (process.exitCode ?? 0) : 1);
}

// process.stdout and process.stderr get that handler when Node first makes them (a getter each), not
// here: making the stream of a pipe loads net and its stream machinery, ~9 ms of CPU, and the CLI's
// output to a pipe or a file does not go through it (see output()).
for (const name of ['stdout', 'stderr']) {
  const descriptor = Object.getOwnPropertyDescriptor(process, name);
  let stream;
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: descriptor.enumerable,
    get() {
      if (stream === undefined) {
        stream = descriptor.get.call(process);
        stream.on('error', endOnWriteError);
      }
      return stream;
    },
  });
}

/** isatty(fd), asking node:tty (which loads net) only about a character device other than /dev/null. */
function isTerminal(fd) {
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isCharacterDevice() || stat.rdev === devNullRdev()) return false;
    return require('node:tty').isatty(fd);
  } catch {
    return false;
  }
}

function devNullRdev() {
  try {
    return fs.statSync('/dev/null').rdev;
  } catch {
    return undefined;
  }
}

/**
 * What the CLI writes to as stdout (fd 1) or stderr (fd 2). A terminal gets Node's stream (colours,
 * columns, progress bars). A pipe or a file gets synchronous writes to the descriptor, which is what
 * Node's stream does there on Linux too (same bytes, same order) without loading it. A descriptor
 * that would block (O_NONBLOCK set by whoever shares it) hands the rest over to Node's stream.
 */
function output(fd, name) {
  if (isTerminal(fd)) return process[name];
  let stream;
  return {
    fd,
    isTTY: false,
    write(chunk) {
      if (stream !== undefined) return stream.write(chunk);
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      let done = 0;
      while (done < bytes.length) {
        try {
          done += fs.writeSync(fd, bytes, done, bytes.length - done);
        } catch (err) {
          if (err.code !== 'EAGAIN') endOnWriteError(err);
          stream = process[name];
          return stream.write(bytes.subarray(done));
        }
      }
      return true;
    },
    // Only asked for after write() returned false, i.e. from Node's stream.
    once(event, listener) {
      (stream ?? process[name]).once(event, listener);
    },
  };
}

const argv = process.argv.slice(2);
const root = path.join(__dirname, '..');
const bundles = path.join(root, 'dist', 'cli');

function version() {
  return JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
}

/** How a bundle loaded through the code cache starts (scripts/bundleCli.mjs writes it around the code). */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {';

/**
 * require() of a bundle, through a code cache: compiling ~0.4 MB of JavaScript is most of a short
 * command's start-up. The cache is used only for the bundle file it was made from (V8 itself checks
 * little more than the source's length): its first line names the bundle's size and mtime. A bundle
 * that imports an ES module at run time (tsx, for `run`) is required plainly: code compiled from a
 * cache cannot call import().
 *
 * Memory first touched is what start-up pays most for on a VM (a page fault costs ~10-20 us there),
 * so the source is read once into a buffer of its size and made a Latin-1 string (the bundles are
 * ASCII: the same text), and a bundle that comes with the function wrapper around it (the build
 * writes it into those it does not start as a worker or a plain require()) is compiled as it is,
 * not concatenated into a second 0.4 MB copy.
 */
function loadBundle(file) {
  const fd = fs.openSync(file, 'r');
  let bytes;
  let stat;
  try {
    stat = fs.fstatSync(fd);
    bytes = Buffer.allocUnsafeSlow(stat.size);
    let done = 0;
    while (done < bytes.length) {
      const n = fs.readSync(fd, bytes, done, bytes.length - done, done);
      if (n === 0) break;
      done += n;
    }
    bytes = bytes.subarray(0, done);
  } finally {
    fs.closeSync(fd);
  }
  const source = bytes.toString(require('node:buffer').isAscii(bytes) ? 'latin1' : 'utf8');
  const wrapped = source.startsWith(WRAPPER_HEAD);
  if (!wrapped && source.includes('import(')) return require(file);
  const vm = require('node:vm');
  const key = Buffer.from(`bugcheck-code-cache ${process.version} ${stat.size} ${stat.mtimeMs}\n`);
  const cacheFile = `${file}.cache`;
  let cachedData;
  try {
    const cache = fs.readFileSync(cacheFile);
    if (cache.subarray(0, key.length).equals(key)) cachedData = cache.subarray(key.length);
  } catch {
    cachedData = undefined;
  }
  const code = wrapped ? source : `${WRAPPER_HEAD}${source}\n})`;
  const script = new vm.Script(code, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, requireFor(file), module, file, path.dirname(file));
  cacheWriters.push(() => {
    if (cachedData !== undefined && !script.cachedDataRejected) return;
    try {
      // After the run, so the functions it compiled are in the cache too.
      const temporary = `${cacheFile}.${process.pid}`;
      fs.writeFileSync(temporary, Buffer.concat([key, script.createCachedData()]));
      fs.renameSync(temporary, cacheFile);
    } catch {
      // A read-only install: no cache, a slower start.
    }
  });
  return module.exports;
}

/** What writes the code caches of the bundles loaded (when missing or rejected), once the command is done. */
const cacheWriters = [];

/**
 * The require() a bundle gets: the bug check code ranges it requires on demand (./bugcodes/…, see
 * scripts/bundleCli.mjs) go through a code cache too — a range is one large function of data that
 * V8 otherwise parses and compiles whole on every start.
 */
function requireFor(file) {
  const plain = require('node:module').createRequire(file);
  const ranges = new Map();
  const bundleRequire = (id) => {
    if (!id.startsWith('./bugcodes/')) return plain(id);
    const range = path.join(path.dirname(file), id);
    if (!ranges.has(range)) ranges.set(range, loadBundle(range));
    return ranges.get(range);
  };
  return Object.assign(bundleRequire, { resolve: plain.resolve, cache: plain.cache, main: plain.main });
}

async function run() {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const io = { stdout: output(1, 'stdout'), stderr: output(2, 'stderr') };
  const named = /^[a-z][a-z0-9-]*$/.test(argv[0] ?? '') ? path.join(bundles, `${argv[0]}.cjs`) : undefined;
  const bundle = named !== undefined && fs.existsSync(named) ? named : path.join(bundles, 'all.cjs');
  if (fs.existsSync(bundle)) {
    const code = await loadBundle(bundle).main(argv, io);
    for (const write of cacheWriters) write();
    return code;
  }
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import(require('node:url').pathToFileURL(path.join(root, 'src', 'cli', 'main.ts')).href);
  return main(argv);
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`bugcheck: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
