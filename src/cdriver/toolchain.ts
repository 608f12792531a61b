/**
 * C → WebAssembly for drivers: Clang and wasm-ld from @yowasp/clang (LLVM as
 * WebAssembly, installed by npm, no download at run time), target wasm64 so
 * pointers, SIZE_T and ULONG_PTR are 8 bytes and structures have their x64
 * layout, linked position-independent (`-shared`, data and table addresses
 * relative to imported bases), then lowered for Node 20 by lower.ts.
 * Results are cached by a hash of every input (sources, headers, flags,
 * toolchain version) in defaultCacheDir().
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLineTable, type LineRow } from './dwarfLine.js';
import { CDriverError } from './errors.js';
import { lowerModule, type DataSegment } from './lower.js';
import { defaultCacheDir, includeDir, runtimeSource } from './paths.js';
import { customSection, dylinkInfo, wasmSections, type DylinkInfo } from './wasmBinary.js';

/** Bumped whenever lowering, the runtime or the compile flags change what a cached module means. */
const PIPELINE_VERSION = 1;
/** Local headers (.h) taken along from a source's folder and from each include folder. */
const MAX_LOCAL_HEADERS = 500;
const MAX_SOURCE_BYTES = 16 * 1024 * 1024;
const OUTPUT = '__bugcheck_driver.wasm';

export interface CSource {
  /** Path as shown in diagnostics; read from disk unless `text` is given. */
  path: string;
  text?: string;
}

export interface CompileDriverOptions {
  /** The driver's C files (one driver: they are linked together). */
  sources: readonly (string | CSource)[];
  /** -D NAME=VALUE (true: -D NAME). */
  defines?: Readonly<Record<string, string | number | boolean>>;
  /** -I folders (their .h files are taken along). */
  includeDirs?: readonly string[];
  /** Optimisation level (default 2). */
  optimize?: 0 | 1 | 2 | 3 | 's';
  /** More Clang flags, e.g. ['-Wextra']. */
  flags?: readonly string[];
  /** false: no cache; a string: this cache folder instead of defaultCacheDir(). */
  cache?: boolean | string;
}

/** A compiled C driver, ready for `loadDriver`. */
export interface CompiledCDriver {
  readonly kind: 'c-driver';
  /** Cache key: SHA-256 of every input. */
  readonly key: string;
  /** Source paths as given. */
  readonly sources: readonly string[];
  /** The lowered module (32-bit memory and table, checked accesses). */
  readonly wasm: Uint8Array;
  readonly dataSegments: readonly DataSegment[];
  readonly dylink: DylinkInfo;
  /** [output module offset, input code offset] pairs (see lower.ts). */
  readonly offsetMap: Int32Array;
  /** DWARF line rows of the input module (file:line of an input code offset). */
  readonly lines: readonly LineRow[];
  /** Clang's warnings, as it printed them ('' when none). */
  readonly diagnostics: string;
  readonly fromCache: boolean;
  /** Milliseconds spent compiling (0 when taken from the cache). */
  readonly compileMs: number;
}

interface ClangModule {
  runClang: (args: string[], files: Tree, options: RunOptions) => Promise<Tree> | Tree | undefined;
  runLLVM: (args: string[] | null, files: Tree, options: RunOptions) => Promise<Tree> | Tree | undefined;
  version: string;
}
interface Tree {
  [name: string]: Tree | string | Uint8Array;
}
interface RunOptions {
  stdout?: ((bytes: Uint8Array | null) => void) | null;
  stderr?: ((bytes: Uint8Array | null) => void) | null;
  fetchProgress?: () => void;
}

let clang: Promise<ClangModule> | null = null;

/** Loads Clang (once) and its resources, silently. Imported only when C is compiled. */
export function loadToolchain(): Promise<ClangModule> {
  clang ??= (async () => {
    let mod: ClangModule;
    try {
      mod = (await import('@yowasp/clang')) as unknown as ClangModule;
    } catch (error) {
      clang = null;
      throw new CDriverError('E_CDRIVER_TOOLCHAIN', `cannot load @yowasp/clang: ${(error as Error).message}`);
    }
    await mod.runLLVM(null, {}, { fetchProgress: () => undefined });
    return mod;
  })();
  return clang;
}

/** The Clang version the toolchain package ships (e.g. 22.0.0-git20542-10). */
export async function toolchainVersion(): Promise<string> {
  return (await loadToolchain()).version;
}

/** The installed @yowasp/clang version, read without loading the toolchain (part of every cache key). */
function toolchainPackageVersion(): string {
  try {
    const manifest = join(dirname(fileURLToPath(import.meta.resolve('@yowasp/clang'))), '..', 'package.json');
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  } catch {
    // fall through: an unresolvable toolchain fails later, when it is loaded
  }
  return 'unknown';
}

interface InputFile {
  /** Path passed to Clang (and printed in its diagnostics). */
  clangPath: string;
  /** Where it is on disk ('' for text given in memory). */
  absolute: string;
  bytes: Uint8Array;
}

function readSource(path: string): Uint8Array {
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new CDriverError('E_CDRIVER_SOURCE', `${path} is not a file`, { path });
    if (st.size > MAX_SOURCE_BYTES)
      throw new CDriverError('E_CDRIVER_SOURCE', `${path} is larger than ${MAX_SOURCE_BYTES} bytes`, { path });
    return readFileSync(path);
  } catch (error) {
    if (error instanceof CDriverError) throw error;
    throw new CDriverError('E_CDRIVER_SOURCE', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? ''}`, {
      path,
    });
  }
}

/** The path Clang sees: relative to the current folder when the file is under it, else absolute (POSIX form). */
function clangPathOf(path: string): string {
  const absolute = resolve(path);
  const rel = relative(process.cwd(), absolute);
  const chosen = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
  return chosen.split(sep).join('/');
}

function headersIn(folder: string, found: Map<string, InputFile>, depth: number): void {
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return;
  }
  for (const entry of entries.sort()) {
    if (found.size >= MAX_LOCAL_HEADERS) return;
    const path = join(folder, entry);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(path);
    } catch {
      continue;
    }
    if (st.isFile() && /\.(h|inc)$/i.test(entry) && st.size <= MAX_SOURCE_BYTES) {
      const clangPath = clangPathOf(path);
      if (!found.has(clangPath)) found.set(clangPath, { clangPath, absolute: path, bytes: readFileSync(path) });
    } else if (st.isDirectory() && depth > 0 && entry !== 'node_modules' && !entry.startsWith('.')) {
      headersIn(path, found, depth - 1);
    }
  }
}

function addToTree(tree: Tree, path: string, bytes: Uint8Array): void {
  const parts = path.replace(/^\/+/, '').split('/');
  let dir = tree;
  for (const part of parts.slice(0, -1)) {
    const next = dir[part];
    if (next === undefined || typeof next === 'string' || next instanceof Uint8Array) {
      const made: Tree = {};
      dir[part] = made;
      dir = made;
    } else dir = next;
  }
  dir[parts[parts.length - 1]!] = bytes;
}

function defineFlags(defines: CompileDriverOptions['defines']): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(defines ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new CDriverError('E_CDRIVER_SOURCE', `define ${JSON.stringify(name)} is not a C identifier`);
    if (value === false) continue;
    out.push(value === true ? `-D${name}` : `-D${name}=${String(value)}`);
  }
  return out;
}

const VIRTUAL_INCLUDE = '/bugcheck/include';
const VIRTUAL_RUNTIME = '/bugcheck/bcrt.c';

function clangArgs(options: CompileDriverOptions, sources: InputFile[], userIncludes: string[]): string[] {
  return [
    '--target=wasm64-unknown-unknown',
    '-std=c17',
    `-O${String(options.optimize ?? 2)}`,
    '-g',
    '-fPIC',
    '-ffreestanding',
    '-fms-extensions',
    '-fshort-wchar',
    '-fno-stack-protector',
    '-mno-bulk-memory',
    '-nostdlib',
    '-Wall',
    '-Wno-unused-function',
    '-isystem',
    VIRTUAL_INCLUDE,
    ...userIncludes.flatMap((dir) => ['-I', dir]),
    ...defineFlags(options.defines),
    ...(options.flags ?? []),
    ...sources.map((s) => s.clangPath),
    VIRTUAL_RUNTIME,
    '-Wl,--no-entry',
    '-Wl,-shared',
    '-Wl,--experimental-pic',
    '-Wl,--export-all',
    '-Wl,--allow-undefined',
    '-o',
    OUTPUT,
  ];
}

function firstError(diagnostics: string): string {
  const line = diagnostics.split('\n').find((l) => /\b(fatal )?error: /.test(l));
  return line?.trim() ?? (diagnostics.trim().split('\n').pop() || 'the compiler failed');
}

interface CacheEntry {
  version: number;
  sources: string[];
  diagnostics: string;
  dylink: DylinkInfo;
  dataSegments: { offset: number; bytes: string }[];
  offsetMap: string;
  lines: { files: string[]; rows: number[] };
}

function encodeLines(lines: readonly LineRow[]): CacheEntry['lines'] {
  const files: string[] = [];
  const index = new Map<string, number>();
  const rows: number[] = [];
  for (const r of lines) {
    let f = index.get(r.file);
    if (f === undefined) {
      f = files.length;
      files.push(r.file);
      index.set(r.file, f);
    }
    rows.push(r.address, f, r.line, r.column, r.endSequence ? 1 : 0);
  }
  return { files, rows };
}

function decodeLines(lines: CacheEntry['lines']): LineRow[] {
  const out: LineRow[] = [];
  for (let i = 0; i + 4 < lines.rows.length; i += 5) {
    out.push({
      address: lines.rows[i]!,
      file: lines.files[lines.rows[i + 1]!] ?? '',
      line: lines.rows[i + 2]!,
      column: lines.rows[i + 3]!,
      endSequence: lines.rows[i + 4] === 1,
    });
  }
  return out;
}

function cacheFolder(options: CompileDriverOptions): string | null {
  if (options.cache === false) return null;
  return typeof options.cache === 'string' ? options.cache : defaultCacheDir();
}

function readCache(folder: string, key: string): CompiledCDriver | null {
  try {
    const wasm = readFileSync(join(folder, `${key}.wasm`));
    const entry = JSON.parse(readFileSync(join(folder, `${key}.json`), 'utf8')) as CacheEntry;
    if (entry.version !== PIPELINE_VERSION) return null;
    return {
      kind: 'c-driver',
      key,
      sources: entry.sources,
      wasm: new Uint8Array(wasm),
      dataSegments: entry.dataSegments.map((d) => ({ offset: d.offset, bytes: Buffer.from(d.bytes, 'base64') })),
      dylink: entry.dylink,
      offsetMap: new Int32Array(new Uint8Array(Buffer.from(entry.offsetMap, 'base64')).buffer),
      lines: decodeLines(entry.lines),
      diagnostics: entry.diagnostics,
      fromCache: true,
      compileMs: 0,
    };
  } catch {
    return null;
  }
}

function writeCache(folder: string, driver: CompiledCDriver): void {
  try {
    mkdirSync(folder, { recursive: true });
    const entry: CacheEntry = {
      version: PIPELINE_VERSION,
      sources: [...driver.sources],
      diagnostics: driver.diagnostics,
      dylink: driver.dylink,
      dataSegments: driver.dataSegments.map((d) => ({
        offset: d.offset,
        bytes: Buffer.from(d.bytes).toString('base64'),
      })),
      offsetMap: Buffer.from(
        driver.offsetMap.buffer,
        driver.offsetMap.byteOffset,
        driver.offsetMap.byteLength,
      ).toString('base64'),
      lines: encodeLines(driver.lines),
    };
    // Written under temporary names and renamed: a reader never sees half a file.
    const tmp = `.${process.pid}.${Date.now()}`;
    writeFileSync(join(folder, `${driver.key}.wasm${tmp}`), driver.wasm);
    writeFileSync(join(folder, `${driver.key}.json${tmp}`), JSON.stringify(entry));
    renameSync(join(folder, `${driver.key}.wasm${tmp}`), join(folder, `${driver.key}.wasm`));
    renameSync(join(folder, `${driver.key}.json${tmp}`), join(folder, `${driver.key}.json`));
  } catch {
    // A cache that cannot be written only costs the next run a compile.
  }
}

/** Compiles (or takes from the cache) one C driver made of `options.sources`. */
export async function compileDriver(options: CompileDriverOptions): Promise<CompiledCDriver> {
  if (!options || !Array.isArray(options.sources) || options.sources.length === 0)
    throw new CDriverError('E_CDRIVER_SOURCE', 'a C driver needs at least one source file');
  const sources: InputFile[] = options.sources.map((s) => {
    const path = typeof s === 'string' ? s : s.path;
    if (typeof path !== 'string' || path === '') throw new CDriverError('E_CDRIVER_SOURCE', 'a source needs a path');
    const inMemory = typeof s !== 'string' && s.text !== undefined;
    const bytes = inMemory ? Buffer.from(s.text ?? '', 'utf8') : readSource(path);
    return { clangPath: clangPathOf(path), absolute: inMemory ? '' : resolve(path), bytes };
  });
  const headers = new Map<string, InputFile>();
  for (const s of options.sources) {
    const path = typeof s === 'string' ? s : s.path;
    if (typeof s === 'string' || s.text === undefined) headersIn(dirname(resolve(path)), headers, 2);
  }
  const userIncludes = (options.includeDirs ?? []).map((dir) => {
    headersIn(resolve(dir), headers, 4);
    return clangPathOf(dir);
  });
  const ours = new Map<string, InputFile>();
  headersIn(includeDir(), ours, 2);
  const runtime = readFileSync(runtimeSource());
  const args = clangArgs(options, sources, userIncludes);

  const hash = createHash('sha256');
  hash.update(`bugcheck-cdriver ${PIPELINE_VERSION} clang ${toolchainPackageVersion()}\0`);
  hash.update(`${args.join('\0')}\0`);
  const hashFile = (name: string, bytes: Uint8Array): void => {
    hash.update(`${name}\0${bytes.length}\0`);
    hash.update(bytes);
  };
  for (const f of [...sources, ...headers.values()]) hashFile(f.clangPath, f.bytes);
  for (const f of ours.values()) hashFile(relative(includeDir(), f.absolute), f.bytes);
  hash.update(runtime);
  const key = hash.digest('hex').slice(0, 40);

  const folder = cacheFolder(options);
  if (folder) {
    const cached = readCache(folder, key);
    if (cached) return cached;
  }

  const started = performance.now();
  const tree: Tree = {};
  for (const f of [...sources, ...headers.values()]) addToTree(tree, f.clangPath, f.bytes);
  for (const f of ours.values())
    addToTree(tree, `${VIRTUAL_INCLUDE}/${relative(includeDir(), f.absolute).split(sep).join('/')}`, f.bytes);
  addToTree(tree, VIRTUAL_RUNTIME, runtime);

  const { runClang } = await loadToolchain();
  let diagnostics = '';
  const decoder = new TextDecoder();
  const collect = (bytes: Uint8Array | null): void => {
    if (bytes) diagnostics += decoder.decode(bytes, { stream: true });
  };
  let out: Tree | undefined;
  try {
    out = (await runClang(['clang', ...args], tree, { stdout: collect, stderr: collect })) ?? undefined;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'number') throw error;
    throw new CDriverError('E_CDRIVER_COMPILE', firstError(diagnostics), {
      diagnostics,
      sources: sources.map((s) => s.clangPath),
    });
  }
  const linked = out?.[OUTPUT];
  if (!(linked instanceof Uint8Array))
    throw new CDriverError('E_CDRIVER_COMPILE', 'the linker produced no module', { diagnostics });

  const sections = wasmSections(linked);
  const lowered = lowerModule(linked);
  const debugLine = customSection(linked, sections, '.debug_line');
  const lines = debugLine
    ? readLineTable(debugLine, {
        debugStr: customSection(linked, sections, '.debug_str'),
        debugLineStr: customSection(linked, sections, '.debug_line_str'),
      })
    : [];
  const driver: CompiledCDriver = {
    kind: 'c-driver',
    key,
    sources: sources.map((s) => s.clangPath),
    wasm: lowered.wasm,
    dataSegments: lowered.dataSegments,
    dylink: dylinkInfo(linked, sections),
    offsetMap: lowered.offsetMap,
    lines,
    diagnostics,
    fromCache: false,
    compileMs: performance.now() - started,
  };
  if (folder) writeCache(folder, driver);
  return driver;
}
