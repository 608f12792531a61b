/**
 * Where the tests find the genuine Windows 10 triage dump, and the one rule
 * for when it is missing: skip with the path looked at, except under CI=true,
 * where a missing file is a failure. The file is never copied into the repo.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';

export const GENUINE_DUMP_URL = new URL('../../shared/dumps/triage_x64.dmp', import.meta.url);
export const GENUINE_DUMP_PATH = fileURLToPath(GENUINE_DUMP_URL);
export const GENUINE_DUMP_MISSING = `genuine dump not found at ${GENUINE_DUMP_PATH} (expected <repo>/../shared/dumps/triage_x64.dmp)`;

export function genuineDumpPresent(): boolean {
  return existsSync(GENUINE_DUMP_PATH);
}

/** For `describe`/`it` options: a skip reason when the dump is missing outside CI, else false (the test runs, and fails if it is missing). */
export function genuineDumpSkip(): string | false {
  return genuineDumpPresent() || process.env.CI === 'true' ? false : `${GENUINE_DUMP_MISSING}; set CI=true to make this a failure`;
}

/** Inside a test: the path, or undefined after skipping (outside CI) / failing (CI=true) when it is missing. */
export function requireGenuineDump(t: TestContext, path: string = GENUINE_DUMP_PATH): string | undefined {
  if (existsSync(path)) return path;
  const message = path === GENUINE_DUMP_PATH ? GENUINE_DUMP_MISSING : `genuine dump not found at ${path}`;
  if (process.env.CI === 'true') assert.fail(message);
  t.skip(message);
  return undefined;
}
