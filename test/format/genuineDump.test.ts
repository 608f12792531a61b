import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withGenuineDump } from './helpers.js';

test('a missing genuine dump fails (not skips) when CI=true', async (t) => {
  const saved = process.env.CI;
  process.env.CI = 'true';
  try {
    const missing = new URL('../../../shared/dumps/does-not-exist.dmp', import.meta.url);
    await assert.rejects(
      withGenuineDump(t, async () => assert.fail('body must not run'), missing),
      (e: Error) => e.name === 'AssertionError' && /genuine dump not found at .*does-not-exist\.dmp/.test(e.message),
    );
  } finally {
    if (saved === undefined) delete process.env.CI;
    else process.env.CI = saved;
  }
});
