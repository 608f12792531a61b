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
  return genuineDumpPresent() || process.env.CI === 'true'
    ? false
    : `${GENUINE_DUMP_MISSING}; set CI=true to make this a failure`;
}

/** Inside a test: the path, or undefined after skipping (outside CI) / failing (CI=true) when it is missing. */
export function requireGenuineDump(t: TestContext, path: string = GENUINE_DUMP_PATH): string | undefined {
  if (existsSync(path)) return path;
  const message = path === GENUINE_DUMP_PATH ? GENUINE_DUMP_MISSING : `genuine dump not found at ${path}`;
  if (process.env.CI === 'true') assert.fail(message);
  t.skip(message);
  return undefined;
}

/**
 * TRIAGE_DUMP64 of the genuine dump (dumpformat.md §2.4; rizin prints the same),
 * every field but the IA-64-only ArchitectureSpecific bytes (zero on x64).
 */
export const GENUINE_TRIAGE_DUMP64 = {
  ServicePackBuild: 0,
  SizeOfDump: 0x13a28c,
  ValidOffset: 0x13a288,
  ContextOffset: 0x348,
  ExceptionOffset: 0xf00,
  MmOffset: 0x2080,
  UnloadedDriversOffset: 0x20d0,
  PrcbOffset: 0x21b8,
  ProcessOffset: 0xd0b8,
  ThreadOffset: 0xdaf8,
  CallStackOffset: 0xe390,
  SizeOfCallStack: 0x2118,
  DriverListOffset: 0x10828,
  DriverCount: 0x97,
  StringPoolOffset: 0x15d18,
  StringPoolSize: 0x3720,
  BrokenDriverOffset: 0,
  TriageOptions: 0xffffffff,
  TopOfStack: 0xffff850429890ee8n,
  DataPageAddress: 0n,
  DataPageOffset: 0,
  DataPageSize: 0,
  DebuggerDataOffset: 0x104a8,
  DebuggerDataSize: 0x380,
  DataBlocksOffset: 0x19438,
  DataBlocksCount: 0x727,
} as const;
