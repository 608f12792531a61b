import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GENUINE_DUMP_PATH, requireGenuineDump } from './genuineDump.js';

function withCi<T>(value: string | undefined, body: () => T): T {
  const saved = process.env.CI;
  if (value === undefined) delete process.env.CI;
  else process.env.CI = value;
  try {
    return body();
  } finally {
    if (saved === undefined) delete process.env.CI;
    else process.env.CI = saved;
  }
}

test('a missing genuine dump fails (not skips) when CI=true', (t) => {
  const missing = GENUINE_DUMP_PATH.replace(/triage_x64\.dmp$/, 'does-not-exist.dmp');
  assert.throws(
    () => withCi('true', () => requireGenuineDump(t, missing)),
    (e: Error) => e.name === 'AssertionError' && /genuine dump not found at .*does-not-exist\.dmp/.test(e.message),
  );
});
