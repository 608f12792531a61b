import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as root from '../../../src/index.js';
import * as reader from '../../../src/dump/reader/index.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(`${repo}package.json`, 'utf8')) as {
  exports: Record<string, string | { types: string; default: string }>;
};

describe('package entry points', () => {
  it('every subpath maps dist JS and types to a module under src/', () => {
    const subpaths = Object.keys(pkg.exports);
    for (const name of ['.', './reader', './analyze', './format', './machine', './kernel', './writer', './scenario'])
      assert.ok(subpaths.includes(name), `exports has ${name}`);
    for (const [name, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      const js = target.default.match(/^\.\/dist\/(src\/.+)\.js$/);
      assert.ok(js !== null, `${name}: ${target.default}`);
      assert.equal(target.types, `./dist/${js[1]}.d.ts`, `${name}: types beside the JS`);
      assert.ok(existsSync(`${repo}${js[1]}.ts`), `${name}: ${js[1]}.ts exists`);
    }
    assert.equal((pkg.exports['./reader'] as { default: string }).default, './dist/src/dump/reader/index.js');
  });

  it('the root exports a curated list, with what the README library section uses', () => {
    for (const name of [
      'openDump',
      'openDumpSource',
      'analyzeDump',
      'createMachine',
      'KbCallbackReason',
      'BlobDumpSource',
    ])
      assert.ok(name in root, name);
    assert.equal(root.openDump, reader.openDump);
    // Curated: far from every layer's whole surface (those are the subpaths).
    assert.ok(Object.keys(root).length < 150, `${Object.keys(root).length} names`);
    assert.ok(!('PagedBitmapIndex' in root) && !('PTE_FRAME_MASK' in root));
  });

  it('bugcheck/reader has the DumpSource API and openDump (which loads the Node file source on demand)', async () => {
    for (const name of ['openDump', 'openDumpSource', 'CrashDump', 'DumpError', 'BlobDumpSource', 'BytesDumpSource'])
      assert.ok(name in reader, name);
    assert.ok(!('FileDumpSource' in reader), 'the Node file source is not part of the isomorphic entry');
    const { FileDumpSource } = await import('../../../src/dump/reader/fileSource.js');
    assert.equal(root.FileDumpSource, FileDumpSource);
  });
});
