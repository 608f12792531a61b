/**
 * Shared by the C driver tests: one compile cache for the whole test run (in
 * the OS temp folder, keyed by every input, so a stale entry can never be
 * taken), small machines, and drivers compiled from text.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileDriver, createMachine, type CompiledCDriver, type SimulatedSystem } from '../../src/index.js';
import type { KernelSettingsInput } from '../../src/index.js';

export const TEST_CACHE = path.join(os.tmpdir(), 'bugcheck-test-cdriver-cache');
// The CLI (and anything else using the default) shares the same cache during tests.
process.env.BUGCHECK_CACHE_DIR = TEST_CACHE;

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = path.join(REPO, 'test', 'cdriver', 'fixtures');

/** Compiles C text (named `name` in diagnostics) through the test cache. */
export function compileText(
  name: string,
  text: string,
  defines?: Record<string, string | number>,
): Promise<CompiledCDriver> {
  return compileDriver({ sources: [{ path: name, text }], cache: TEST_CACHE, ...(defines ? { defines } : {}) });
}

export function compileFiles(files: string[], defines?: Record<string, string | number>): Promise<CompiledCDriver> {
  return compileDriver({ sources: files, cache: TEST_CACHE, ...(defines ? { defines } : {}) });
}

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

export function smallSystem(kernel: KernelSettingsInput = { dump: { enabled: false } }): SimulatedSystem {
  return createMachine({ memoryBytes: 64n << 20n, processors: 2, kernel });
}
