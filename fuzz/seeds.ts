/**
 * The seeds: small dumps of every type, written by the project itself (a
 * 64 MiB machine running the sample drivers: secondary data blobs, AddPages,
 * triage data blocks, a legacy bug check callback), one ARM64 dump from the
 * synthetic builder, and the genuine Windows 10 triage dump when present.
 * They are written to `<out>/seeds/` and reused while their recipe is the
 * same, so a replay reads the very bytes the campaign mutated.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { bugCheckBlamedOn, loadSampleDrivers, simulateActivity } from '../examples/drivers/index.js';
import { createMachine } from '../src/index.js';
import { buildArm64KernelDump } from '../test/synth/arm64.js';

export interface SeedFile {
  /** Stable name: what a saved failure refers to. */
  name: string;
  path: string;
  sha256: string;
}

/** The genuine dump the brief names, relative to the repository. */
export const GENUINE_DUMP = resolve(import.meta.dirname, '../../shared/dumps/triage_x64.dmp');

/** Bumped whenever a recipe changes, so cached seeds are rewritten. */
const RECIPE_VERSION = 1;

interface OwnRecipe {
  name: string;
  kind: 'complete' | 'kernel' | 'small';
  completeFormat?: 'bitmap' | 'runs';
}

const OWN: readonly OwnRecipe[] = [
  { name: 'complete-runs', kind: 'complete', completeFormat: 'runs' },
  { name: 'complete-bitmap', kind: 'complete', completeFormat: 'bitmap' },
  { name: 'kernel', kind: 'kernel' },
  { name: 'small', kind: 'small' },
];

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** One bug check of the sample drivers on a fresh 64 MiB machine; the dump's bytes. */
async function writeOwnSeed(recipe: OwnRecipe, dir: string): Promise<Uint8Array> {
  const path = join(dir, `${recipe.name}.dmp`);
  const system = createMachine({
    memoryBytes: 64n << 20n,
    processors: 2,
    seed: 8,
    kernel: {
      dump: { kind: recipe.kind, path, completeFormat: recipe.completeFormat ?? 'bitmap' },
    },
  });
  const drivers = loadSampleDrivers(system, { mirrorPath: join(dir, `${recipe.name}.mirror`) });
  simulateActivity(system, drivers, 12);
  const culprit = drivers[1] ?? drivers[0]!;
  const crash = bugCheckBlamedOn(culprit);
  const result = system.KeBugCheckEx(crash.code, ...crash.parameters);
  if (result.dumpStatus !== 'written')
    throw new Error(
      `seed ${recipe.name}: the dump was not written (${result.dumpError?.message ?? result.dumpStatus})`,
    );
  await rm(join(dir, `${recipe.name}.mirror`), { force: true });
  return readFile(path);
}

/** Every seed's name, in the campaign's order (the genuine one only when the file is there). */
export const SEED_NAMES = [...OWN.map((r) => r.name), 'arm64', 'genuine-triage'] as const;

/**
 * Writes (or reuses) the seeds in `<out>/seeds` and returns them in a fixed
 * order. `genuine` false leaves the genuine dump out; `only` keeps the seeds
 * named (a quick run, the harness's own test).
 */
export async function prepareSeeds(out: string, genuine = true, only?: readonly string[]): Promise<SeedFile[]> {
  const wanted = (name: string): boolean => only === undefined || only.includes(name);
  const dir = join(out, 'seeds');
  await mkdir(dir, { recursive: true });
  const stamp = join(dir, 'RECIPE');
  const fresh = existsSync(stamp) && (await readFile(stamp, 'utf8')).trim() === String(RECIPE_VERSION);
  const seeds: SeedFile[] = [];
  for (const recipe of OWN) {
    if (!wanted(recipe.name)) continue;
    const path = join(dir, `${recipe.name}.dmp`);
    const bytes = fresh && existsSync(path) ? await readFile(path) : await writeOwnSeed(recipe, dir);
    seeds.push({ name: recipe.name, path, sha256: sha256(bytes) });
  }
  const armPath = join(dir, 'arm64.dmp');
  if (wanted('arm64')) {
    if (!fresh || !existsSync(armPath)) await writeFile(armPath, buildArm64KernelDump().bytes);
    seeds.push({ name: 'arm64', path: armPath, sha256: sha256(await readFile(armPath)) });
  }
  // Only a complete set is stamped: a partial run must not pass off stale seeds as fresh.
  if (only === undefined) await writeFile(stamp, `${RECIPE_VERSION}\n`);
  if (genuine && wanted('genuine-triage') && existsSync(GENUINE_DUMP))
    seeds.push({ name: 'genuine-triage', path: GENUINE_DUMP, sha256: sha256(await readFile(GENUINE_DUMP)) });
  return seeds;
}
