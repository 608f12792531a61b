import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';

const repo = fileURLToPath(new URL('../../', import.meta.url));

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sources(path)));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

it('product code imports no example code, except the demo scenario loading the shipped sample drivers', async () => {
  const found: string[] = [];
  for (const file of await sources(join(repo, 'src'))) {
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
      if (m[1]!.includes('examples/')) found.push(`${relative(repo, file)} → ${m[1]}`);
    }
  }
  assert.deepEqual(found, ['src/scenario/demo.ts → ../../examples/drivers/index.js']);
});
