import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Source files of a folder (not recursive: both layers are flat). */
async function sources(folder: string): Promise<{ file: string; text: string }[]> {
  const dir = new URL(`../../../${folder}/`, import.meta.url);
  const names = (await readdir(dir)).filter((f) => f.endsWith('.ts'));
  return Promise.all(
    names.map(async (file) => ({ file: `${folder}/${file}`, text: await readFile(new URL(file, dir), 'utf8') })),
  );
}

describe('reader: no Node outside fileSource.ts', () => {
  it('tsconfig.isomorphic.json (no Node types, DOM lib) compiles src/format and src/dump/reader', () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      `${root}tsconfig.isomorphic.json`,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
      },
    );
    assert.ok(parsed !== undefined);
    assert.deepEqual(parsed.options.types, []);
    const files = parsed.fileNames.map((f) => f.slice(root.length));
    assert.ok(files.includes('src/dump/reader/index.ts') && files.includes('src/format/index.ts'));
    assert.ok(!files.includes('src/dump/reader/fileSource.ts'));
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    const messages = ts
      .getPreEmitDiagnostics(program)
      .map(
        (d) => `${d.file?.fileName.slice(root.length) ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
      );
    assert.deepEqual(messages, []);
    // Nothing it compiled pulled fileSource.ts (or any Node module) back in.
    assert.ok(!program.getSourceFiles().some((f) => f.fileName.endsWith('src/dump/reader/fileSource.ts')));
    assert.ok(!program.getSourceFiles().some((f) => f.fileName.includes('@types/node')));
  });

  it('only fileSource.ts imports a node: module or names Buffer', async () => {
    for (const { file, text } of [...(await sources('src/format')), ...(await sources('src/dump/reader'))]) {
      if (file === 'src/dump/reader/fileSource.ts') continue;
      assert.doesNotMatch(text, /from\s+'node:/, `${file} imports a Node module`);
      assert.doesNotMatch(text, /\bBuffer\.(from|alloc|concat|isBuffer|byteLength)\b/, `${file} uses Buffer`);
      assert.doesNotMatch(text, /from\s+'\.\/fileSource\.js'/, `${file} imports fileSource.ts statically`);
    }
  });
});
