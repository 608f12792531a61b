import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { after, describe, it } from 'node:test';
import {
  SECRET_KEEPER_EXTENSION,
  SecretKeeperEncrypt,
  createSecretKeeperDriver,
  secretKeeperExtension,
} from '../../examples/drivers/secretKeeper.js';
import { crashIn, findInFile, openDump, smallSystem, tempDir } from './helpers.js';

const tmp = tempDir();
after(() => tmp.cleanup());

const PLAINTEXT = Buffer.from('TOP SECRET: the launch code is 0000 (do not put me in a dump)', 'latin1');

async function crashWithKey(kind: 'kernel' | 'complete', protectKeyMaterial: boolean) {
  const file = tmp.file(`secret-${kind}-${protectKeyMaterial}.dmp`);
  const key = randomBytes(32);
  const system = smallSystem({ dump: { kind, path: file } });
  const driver = system.loadDriver(createSecretKeeperDriver({ key, protectKeyMaterial }));
  const ciphertext = SecretKeeperEncrypt(driver, PLAINTEXT);
  assert.notDeepEqual(Buffer.from(ciphertext), PLAINTEXT);
  const ext = secretKeeperExtension(driver)!;
  // The key really is in memory, where the driver put it.
  assert.deepEqual(system.machine.readVirtual(ext.keyPage, 32), new Uint8Array(key));
  const result = crashIn(system, driver);
  assert.equal(result.dumpStatus, 'written');
  assert.deepEqual(result.violations, []);
  return { file, key, ext, result };
}

describe('secretkeeper.sys (KbCallbackRemovePages)', () => {
  for (const kind of ['kernel', 'complete'] as const) {
    it(`keeps the key and the decrypted scratch page out of a ${kind} dump, and nothing more`, async () => {
      const { file, key, ext, result } = await crashWithKey(kind, true);
      assert.ok(fs.statSync(file).size > 1 << 20);
      assert.deepEqual(findInFile(file, key), []);
      assert.deepEqual(findInFile(file, PLAINTEXT), []);

      const report = result.callbacks.find((c) => c.routineModule === 'secretkeeper.sys')!;
      assert.equal(report.calls, 2);
      assert.equal(report.contribution.pagesRemoved, 2);
      assert.deepEqual(
        report.contribution.pageRanges.map((r) => r.space),
        ['virtual', 'physical'],
      );

      const dump = await openDump(file);
      try {
        const keyRead = await dump.readVirtual(ext.keyPage, 32);
        assert.equal(keyRead.status[0]?.status, 'not-in-dump');
        assert.equal((await dump.readPhysical(ext.scratchPagePhysical, 16)).status[0]?.status, 'not-in-dump');
        // The extension is not secret and is still there, with its counters.
        const extension = await dump.readVirtual(ext.extension, SECRET_KEEPER_EXTENSION.size);
        assert.equal(extension.complete, true);
        const decoded = SECRET_KEEPER_EXTENSION.decode(extension.bytes, 0);
        assert.equal(decoded.Encryptions, 1);
        assert.equal(decoded.KeyPage, ext.keyPage);
      } finally {
        await dump.close();
      }
    });
  }

  it('without its RemovePages callback the same driver leaks the key and the plaintext into the dump', async () => {
    const { file, key, ext } = await crashWithKey('kernel', false);
    const keyHits = findInFile(file, key);
    assert.equal(keyHits.length, 1);
    assert.equal(findInFile(file, PLAINTEXT).length, 1);
    const dump = await openDump(file);
    try {
      assert.deepEqual((await dump.readVirtual(ext.keyPage, 32)).bytes, new Uint8Array(key));
    } finally {
      await dump.close();
    }
  });

  it('finds a needle that straddles two chunks (the grep itself can see)', () => {
    const file = tmp.file('straddle.bin');
    const data = randomBytes(3000);
    fs.writeFileSync(file, data);
    const needle = data.subarray(1020, 1040);
    assert.deepEqual(findInFile(file, needle, 1024), [1020]);
    assert.deepEqual(findInFile(file, data.subarray(0, 8), 1024), [0]);
    assert.deepEqual(findInFile(file, data.subarray(2990), 1024), [2990]);
  });
});
