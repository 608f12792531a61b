/**
 * The builder may import only Node built-ins and its own files: a module of
 * test/synth that reached into src/ would let the product's layouts write
 * the bytes the product then reads, and the synthetic tests would check
 * nothing. (Test files here may import src/ — tables.test.ts must.)
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SYNTH_DIR = dirname(fileURLToPath(import.meta.url));

/** Every module specifier in `source`: static imports and re-exports, side-effect imports, import(), require(). */
function moduleSpecifiers(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
    /\brequire\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
  ];
  return patterns.flatMap((p) => [...source.matchAll(p)].map((m) => m[1]!));
}

/** Why `specifier`, imported by `file`, is not allowed in the builder; undefined if it is. */
function forbidden(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('node:')) return undefined;
  if (!specifier.startsWith('.')) return 'a package (the builder uses only Node built-ins)';
  const target = resolve(dirname(file), specifier);
  const inside = relative(SYNTH_DIR, target);
  return inside.startsWith('..') ? `outside test/synth (${relative(join(SYNTH_DIR, '../..'), target)})` : undefined;
}

function builderModules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return builderModules(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('test/synth imports nothing of the product', () => {
  it('every builder module imports only node: built-ins and files inside test/synth', () => {
    const modules = builderModules(SYNTH_DIR);
    assert.ok(modules.length >= 10, `found only ${modules.length} modules under ${SYNTH_DIR}`);
    const offences = modules.flatMap((file) =>
      moduleSpecifiers(readFileSync(file, 'utf8')).flatMap((spec) => {
        const why = forbidden(file, spec);
        return why === undefined ? [] : [`${relative(SYNTH_DIR, file)}: '${spec}' is ${why}`];
      }),
    );
    assert.deepEqual(offences, []);
  });

  it('the scan finds every form of import it is meant to refuse', () => {
    const sample = [
      "import { DUMP_HEADER64 } from '../../src/format/index.js';",
      "import type {\n  ContextAmd64,\n} from '../../src/format/context.js';",
      "export * from '../dump/reader/index.js';",
      "import '../../src/side-effect.js';",
      "const m = await import('../../src/format/index.js');",
      "import fc from 'fast-check';",
      "import { PAGE } from './memory.js';",
      "import { open } from 'node:fs/promises';",
    ].join('\n');
    const file = join(SYNTH_DIR, 'dump.ts');
    const refused = moduleSpecifiers(sample).filter((s) => forbidden(file, s) !== undefined);
    assert.deepEqual(refused, [
      '../../src/format/index.js',
      '../../src/format/context.js',
      '../dump/reader/index.js',
      'fast-check',
      '../../src/side-effect.js',
      '../../src/format/index.js',
    ]);
  });
});
