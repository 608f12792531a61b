/**
 * The browser tests' rules and fixtures. Chromium comes from Debian's
 * `chromium` package (.ci/run installs it); outside CI a missing browser
 * skips those tests with the path looked at, under CI=true it fails them.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { CrashDumpKind } from '../../src/kernel/index.js';
import { createDemoScenario } from '../../src/scenario/demo.js';
import { runScenario, scenarioFromDefinition } from '../../src/scenario/index.js';

export const CHROMIUM_PATH = process.env.BUGCHECK_CHROMIUM ?? '/usr/bin/chromium';
const MISSING = `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set BUGCHECK_CHROMIUM)`;

/** For `describe` options: a skip reason when the browser is missing outside CI, else false (under CI=true the tests run and fail). */
export function browserSkip(): string | false {
  return existsSync(CHROMIUM_PATH) || process.env.CI === 'true'
    ? false
    : `${MISSING}; set CI=true to make this a failure`;
}

/** Headless Chromium with the flags this machine needs (no sandbox as root, no network of its own, fresh profile). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) assert.fail(MISSING);
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The demo scenario on a 64 MiB machine (its complete dump is 64 MiB): complete, kernel and small dumps. */
export async function writeDemoDumps(): Promise<Record<CrashDumpKind, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'bugcheck-view-demo-'));
  const scenario = scenarioFromDefinition(createDemoScenario({ mirrorDir: dir, memory: '64MiB', steps: 40 }), 'demo');
  const outcome = await runScenario(scenario, { outDir: dir });
  const paths = Object.fromEntries(outcome.runs.map((r) => [r.dumpKind, r.dumpPath]));
  return paths as Record<CrashDumpKind, string>;
}
