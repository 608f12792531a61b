import assert from 'node:assert/strict';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { bugcheckCommand, shellWord, shownPath } from '../../src/cli/invocation.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LAUNCHER = join(ROOT, 'bin', 'bugcheck.cjs');

describe('bugcheckCommand (how try-next lines start bugcheck)', () => {
  it('bugcheck when that name on PATH is this package (a global install)', async () => {
    const bin = await mkdtemp(join(tmpdir(), 'bugcheck-global-bin-'));
    await symlink(LAUNCHER, join(bin, 'bugcheck'));
    assert.equal(bugcheckCommand({ PATH: bin }, tmpdir()), 'bugcheck');
  });

  it('not for a node_modules/.bin that npx put on PATH; npx bugcheck in a project that has it, or in the clone', async () => {
    const project = await mkdtemp(join(tmpdir(), 'bugcheck-project-'));
    const bin = join(project, 'node_modules', '.bin');
    await mkdir(bin, { recursive: true });
    await symlink(LAUNCHER, join(bin, 'bugcheck'));
    await writeFile(join(project, 'package.json'), '{"name":"uses-it"}');
    await mkdir(join(project, 'src', 'deep'), { recursive: true });
    assert.equal(bugcheckCommand({ PATH: bin }, join(project, 'src', 'deep')), 'npx bugcheck');
    assert.equal(bugcheckCommand({}, ROOT), 'npx bugcheck');
  });

  it('node <launcher> where npx would fetch something else', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'bugcheck-elsewhere-'));
    assert.equal(bugcheckCommand({}, elsewhere), `node ${shellWord(LAUNCHER)}`);
  });

  it('paths as typed from the current folder, quoted for a shell', () => {
    assert.equal(shownPath('/a/b/c.dmp', '/a'), 'b/c.dmp');
    assert.equal(shownPath('/x/c.dmp', '/a'), '/x/c.dmp');
    assert.equal(shownPath("/a/it's here.dmp", '/a'), `'it'\\''s here.dmp'`);
  });
});
