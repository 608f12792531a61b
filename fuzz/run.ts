/**
 * `npm run fuzz -- [--seconds N] [--mutants N] [--seed S] [--jobs N] [--out DIR] [--json]`
 * `npm run fuzz -- --replay DIR/failures/0001.json`
 *
 * The campaign: seeds from seeds.ts, mutants numbered 0, 1, 2… (mutant i
 * depends only on the campaign seed, i and the seeds), handed to worker
 * threads in batches. Each worker has a heap limit; the main thread watches
 * each worker's CPU time per mutant and terminates one that spends more
 * than the budget on a mutant (a hang). Every failure is saved as JSON with
 * a one-line replay command. Exit 1 on any failure. See fuzz/README.md.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { Plant } from './exercise.js';
import { makeMutant, type Patch } from './mutate.js';
import { prepareSeeds, SEED_NAMES, type SeedFile } from './seeds.js';
import { findTargets } from './targets.js';
import { threadTicks } from './ticks.js';
import type { FromWorker, MutantFailure, ToWorker, WorkerInit } from './worker.js';

export interface FuzzOptions {
  seconds: number;
  /** Stop after this many mutants (whichever of the two comes first). */
  mutants: number;
  seed: number;
  jobs: number;
  out: string;
  json: boolean;
  /** CPU time one mutant may take before it counts as a hang. */
  cpuLimitMs: number;
  /** Heap limit of a worker, and the most one mutant may hold. */
  memoryLimitMiB: number;
  batch: number;
  genuine: boolean;
  plant: Plant;
  /** Only these seeds (by name); all when undefined. */
  seeds: string[] | undefined;
  /** Progress lines on stderr. */
  quiet: boolean;
}

export const DEFAULTS: FuzzOptions = {
  seconds: 60,
  mutants: Number.POSITIVE_INFINITY,
  seed: 1,
  jobs: 2,
  out: 'fuzz-out',
  json: false,
  cpuLimitMs: 2000,
  memoryLimitMiB: 256,
  batch: 25,
  genuine: true,
  plant: undefined,
  seeds: undefined,
  quiet: false,
};

export interface SavedFailure extends MutantFailure {
  campaignSeed: number;
  seedFile: SeedFile;
  replay: string;
}

export interface FuzzSummary {
  seed: number;
  jobs: number;
  mutants: number;
  perSeed: Record<string, number>;
  wallSeconds: number;
  workerCpuSeconds: number;
  /** CPU time inside the mutants' runs (the rest of the worker's is making mutants and checking). */
  mutantCpuSeconds: number;
  mutantsPerSecond: number;
  failures: { exception: number; invariant: number; hang: number; memory: number };
  failureFiles: string[];
  maxMutantCpuMs: number;
  maxMutantCpuIndex: number;
  maxMutantMemoryMiB: number;
  maxRssMiB: number;
  workerRestarts: number;
  typedErrors: Record<string, number>;
  targets: Record<string, { fields: number; regions: number; ptes: number }>;
  command: string;
}

interface Slot {
  worker: Worker;
  state: Int32Array;
  tid: number | undefined;
  batch: { from: number; to: number } | undefined;
  /** The mutant being watched and the CPU ticks seen when it started. */
  ready: boolean;
}

/** A path as the user gave it when it is under the current folder, else absolute. */
function shownPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') || isAbsolute(rel) ? resolve(file) : rel;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function sharedSeeds(seeds: readonly SeedFile[]): Promise<WorkerInit['seeds']> {
  const out: WorkerInit['seeds'] = [];
  for (const s of seeds) {
    const bytes = await readFile(s.path);
    const shared = new SharedArrayBuffer(bytes.length);
    new Uint8Array(shared).set(bytes);
    out.push({ name: s.name, bytes: shared });
  }
  return out;
}

const WORKER_URL = new URL('./worker.ts', import.meta.url);

// Workers started from now on get gc(): the memory check collects before it measures a suspect again.
setFlagsFromString('--expose-gc');

/** The worker module, loaded through tsx's ES module API as src/fleet/pool.ts does. */
function spawnWorker(init: WorkerInit, memoryLimitMiB: number): Worker {
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => m.register()).then(() => import(${JSON.stringify(WORKER_URL.href)}));`;
  return new Worker(code, {
    eval: true,
    execArgv: [],
    workerData: init,
    resourceLimits: { maxOldGenerationSizeMb: memoryLimitMiB, maxYoungGenerationSizeMb: 32 },
    stdout: false,
    stderr: false,
  });
}

function commandLine(o: FuzzOptions): string {
  const parts = ['npm run fuzz --'];
  if (Number.isFinite(o.mutants)) parts.push(`--mutants ${o.mutants}`);
  if (Number.isFinite(o.seconds)) parts.push(`--seconds ${o.seconds}`);
  parts.push(`--seed ${o.seed}`, `--jobs ${o.jobs}`);
  if (o.out !== DEFAULTS.out) parts.push(`--out ${o.out}`);
  if (o.seeds !== undefined) parts.push(`--seeds ${o.seeds.join(',')}`);
  return parts.join(' ');
}

/** Runs a campaign; resolves with its summary (failures saved under `out/failures`). */
export async function runCampaign(options: Partial<FuzzOptions> = {}): Promise<FuzzSummary> {
  const o: FuzzOptions = { ...DEFAULTS, ...options };
  const log = (line: string): void => {
    if (!o.quiet) process.stderr.write(`${line}\n`);
  };
  const seeds = await prepareSeeds(o.out, o.genuine, o.seeds);
  if (seeds.length === 0) throw new Error('no seeds to mutate');
  const shared = await sharedSeeds(seeds);
  const seedByName = new Map(seeds.map((s) => [s.name, s]));
  const failuresDir = join(o.out, 'failures');
  const summary: FuzzSummary = {
    seed: o.seed,
    jobs: o.jobs,
    mutants: 0,
    perSeed: {},
    wallSeconds: 0,
    workerCpuSeconds: 0,
    mutantCpuSeconds: 0,
    mutantsPerSecond: 0,
    failures: { exception: 0, invariant: 0, hang: 0, memory: 0 },
    failureFiles: [],
    maxMutantCpuMs: 0,
    maxMutantCpuIndex: -1,
    maxMutantMemoryMiB: 0,
    maxRssMiB: 0,
    workerRestarts: 0,
    typedErrors: {},
    targets: {},
    command: commandLine(o),
  };
  let saved = 0;
  let targetsForMain: Awaited<ReturnType<typeof findTargets>>[] | undefined;
  const save = async (f: MutantFailure): Promise<void> => {
    summary.failures[f.kind]++;
    let patches = f.patches;
    let notes = f.notes;
    if (patches === undefined) {
      // A worker that was terminated could not say: the mutant is made again here, the same way.
      targetsForMain ??= await Promise.all(shared.map((s) => findTargets(s.name, new Uint8Array(s.bytes))));
      const m = makeMutant(o.seed, f.index, targetsForMain);
      patches = m.patches;
      notes = m.notes;
    }
    await mkdir(failuresDir, { recursive: true });
    const file = join(failuresDir, `${String(++saved).padStart(4, '0')}.json`);
    const seedFile = seedByName.get(f.seed)!;
    const record: SavedFailure = {
      ...f,
      patches,
      notes: notes ?? [],
      campaignSeed: o.seed,
      seedFile,
      replay: `npm run fuzz -- --replay ${shownPath(file)}`,
    };
    await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
    summary.failureFiles.push(file);
    log(
      `FAIL ${f.kind} in ${f.stage}, mutant ${f.index} of ${f.seed} (${(notes ?? []).join('; ')}): ${f.message.split('\n')[0]}`,
    );
    log(`  reproduce: ${record.replay}`);
  };

  const queue: { from: number; to: number }[] = [];
  let next = 0;
  const started = performance.now();
  const deadline = started + o.seconds * 1000;
  // Ctrl-C (or SIGTERM) ends the campaign like the deadline does: the batches in flight finish, the summary is printed.
  let stopRequested = false;
  const stop = (): void => {
    stopRequested = true;
    log('fuzz: stopping after the batches in flight');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const moreWork = (): { from: number; to: number } | undefined => {
    const q = queue.shift();
    if (q !== undefined) return q;
    if (stopRequested || performance.now() >= deadline || next >= o.mutants) return undefined;
    const from = next;
    next = Math.min(next + o.batch, o.mutants);
    return { from, to: next };
  };

  const slots: Slot[] = [];
  let startFailures = 0;
  const pending: Promise<void>[] = [];
  let finishOne: (() => void) | undefined;
  let live = 0;
  const done = new Promise<void>((resolveDone) => {
    finishOne = () => {
      if (--live === 0) resolveDone();
    };
  });

  const start = (slot: Slot): void => {
    const work = moreWork();
    slot.batch = work;
    if (work === undefined) {
      void slot.worker.terminate();
      finishOne?.();
      return;
    }
    slot.worker.postMessage({ type: 'batch', ...work } satisfies ToWorker);
  };

  const launch = (): Slot => {
    const state = new SharedArrayBuffer(12);
    const init: WorkerInit = {
      seeds: shared,
      campaignSeed: o.seed,
      plant: o.plant,
      state,
      memoryLimitBytes: o.memoryLimitMiB * 2 ** 20,
    };
    const slot: Slot = {
      worker: spawnWorker(init, o.memoryLimitMiB),
      state: new Int32Array(state),
      tid: undefined,
      batch: undefined,
      ready: false,
    };
    let ended = false;
    slot.worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'ready') {
        slot.tid = msg.tid;
        slot.ready = true;
        summary.targets = msg.targets;
        start(slot);
        return;
      }
      summary.mutants += msg.to - msg.from;
      for (const [k, v] of Object.entries(msg.perSeed)) summary.perSeed[k] = (summary.perSeed[k] ?? 0) + v;
      for (const [k, v] of Object.entries(msg.typed)) summary.typedErrors[k] = (summary.typedErrors[k] ?? 0) + v;
      summary.workerCpuSeconds += msg.threadCpuMs / 1000;
      summary.mutantCpuSeconds += msg.cpuMs / 1000;
      if (msg.maxCpuMs > summary.maxMutantCpuMs) {
        summary.maxMutantCpuMs = msg.maxCpuMs;
        summary.maxMutantCpuIndex = msg.maxCpuIndex;
      }
      summary.maxMutantMemoryMiB = Math.max(summary.maxMutantMemoryMiB, msg.maxMemoryBytes / 2 ** 20);
      for (const f of msg.failures) pending.push(save(f));
      start(slot);
    });
    const died = (why: string, kind: 'hang' | 'memory' | 'exception'): void => {
      if (ended) return;
      ended = true;
      const batch = slot.batch;
      slots.splice(slots.indexOf(slot), 1);
      if (batch === undefined) {
        // Before its first batch (or after its last): nothing of a mutant to blame.
        log(`fuzz: a worker stopped outside a batch: ${why}`);
        if (!slot.ready) startFailures++;
        finishOne?.();
        return;
      }
      const index = slot.state[1]!;
      const at = Atomics.load(slot.state, 0) === 1 && index >= batch.from && index < batch.to ? index : batch.from;
      // The batch's other mutants run again in a fresh worker (the same mutants: they are deterministic).
      if (at > batch.from) queue.push({ from: batch.from, to: at });
      if (at + 1 < batch.to) queue.push({ from: at + 1, to: batch.to });
      summary.mutants += 1;
      const seedName = shared[at % shared.length]!.name;
      summary.perSeed[seedName] = (summary.perSeed[seedName] ?? 0) + 1;
      pending.push(save({ index: at, seed: seedName, kind, stage: 'worker', message: why }));
      summary.workerRestarts++;
      const fresh = launch();
      slots.push(fresh);
      finishOne?.();
    };
    slot.worker.on('error', (err: Error & { code?: string }) => {
      const memory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      died(
        memory
          ? `the worker ran out of its ${o.memoryLimitMiB} MiB heap: ${err.message}`
          : `the worker failed: ${err.stack ?? err.message}`,
        memory ? 'memory' : 'exception',
      );
    });
    slot.worker.on('exit', () => {
      if (!ended && slot.batch !== undefined) died('the worker exited', 'exception');
      ended = true;
    });
    (slot as Slot & { kill: (why: string) => void }).kill = (why) => {
      died(why, 'hang');
      void slot.worker.terminate();
    };
    live++;
    return slot;
  };

  for (let j = 0; j < Math.max(1, o.jobs); j++) slots.push(launch());

  const limitTicks = Math.ceil(o.cpuLimitMs / 10);
  let lastReport = performance.now();
  const watchdog = setInterval(() => {
    summary.maxRssMiB = Math.max(summary.maxRssMiB, process.memoryUsage.rss() / 2 ** 20);
    for (const slot of [...slots]) {
      if (slot.tid === undefined || Atomics.load(slot.state, 0) !== 1) continue;
      const now = threadTicks(`/proc/self/task/${slot.tid}/stat`);
      const startTicks = slot.state[2]!;
      if (now >= 0 && startTicks >= 0 && now - startTicks > limitTicks)
        (slot as Slot & { kill: (why: string) => void }).kill(
          `mutant ${slot.state[1]} spent more than ${o.cpuLimitMs} ms of CPU (${(now - startTicks) * 10} ms): terminated`,
        );
    }
    if (performance.now() - lastReport >= 10_000) {
      lastReport = performance.now();
      const s = (lastReport - started) / 1000;
      const f = summary.failures;
      log(
        `fuzz: ${summary.mutants} mutants in ${s.toFixed(0)} s (${(summary.mutants / s).toFixed(0)}/s), failures: ${f.exception} exception, ${f.invariant} invariant, ${f.hang} hang, ${f.memory} memory`,
      );
    }
  }, 100);

  await done;
  clearInterval(watchdog);
  process.removeListener('SIGINT', stop);
  process.removeListener('SIGTERM', stop);
  if (startFailures > 0) throw new Error(`${startFailures} worker(s) could not start (see above)`);
  await Promise.all(pending);
  summary.wallSeconds = (performance.now() - started) / 1000;
  summary.mutantsPerSecond = summary.mutants / summary.wallSeconds;
  return summary;
}

function formatSummary(s: FuzzSummary): string {
  const f = s.failures;
  const typed = Object.entries(s.typedErrors)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([k, v]) => `  ${k}: ${v}`);
  return [
    `fuzz: ${s.mutants} mutants (seed ${s.seed}, ${s.jobs} workers) in ${s.wallSeconds.toFixed(1)} s: ${s.mutantsPerSecond.toFixed(0)} mutants/s, ${s.workerCpuSeconds.toFixed(1)} s of worker CPU (${s.mutantCpuSeconds.toFixed(1)} s in the mutants' runs; ${((s.workerCpuSeconds * 1000) / Math.max(1, s.mutants)).toFixed(2)} ms per mutant)`,
    `per seed: ${Object.entries(s.perSeed)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `failures: ${f.exception} untyped exceptions, ${f.invariant} broken invariants, ${f.hang} hangs (> CPU limit), ${f.memory} over the memory limit`,
    `slowest mutant: ${s.maxMutantCpuMs} ms CPU (mutant ${s.maxMutantCpuIndex}); most held by one mutant: ${s.maxMutantMemoryMiB.toFixed(1)} MiB; process RSS peak ${s.maxRssMiB.toFixed(0)} MiB; worker restarts ${s.workerRestarts}`,
    'typed errors (stage code: count), most frequent:',
    ...typed,
    ...s.failureFiles.map((file) => `failure saved: ${file} (replay: npm run fuzz -- --replay ${shownPath(file)})`),
  ].join('\n');
}

/** Replays one saved failure in a worker with the same limits; resolves with whether it still fails. */
export async function replay(file: string, o: FuzzOptions): Promise<MutantFailure | undefined> {
  const record = JSON.parse(await readFile(file, 'utf8')) as SavedFailure;
  let seedFile = record.seedFile;
  if (!existsSync(seedFile.path) || sha256(await readFile(seedFile.path)) !== seedFile.sha256) {
    const out = resolve(seedFile.path, '../..');
    const seeds = await prepareSeeds(existsSync(out) ? out : o.out, true);
    const again = seeds.find((s) => s.name === record.seed);
    if (again === undefined) throw new Error(`replay: seed ${record.seed} cannot be made again`);
    if (again.sha256 !== seedFile.sha256)
      process.stderr.write(`fuzz: warning: seed ${record.seed} differs from the one the failure was found on\n`);
    seedFile = again;
  }
  const shared = await sharedSeeds([seedFile]);
  const state = new SharedArrayBuffer(12);
  const worker = spawnWorker(
    {
      seeds: shared,
      campaignSeed: record.campaignSeed,
      plant: o.plant,
      state,
      memoryLimitBytes: o.memoryLimitMiB * 2 ** 20,
    },
    o.memoryLimitMiB,
  );
  const flags = new Int32Array(state);
  return new Promise((resolvePromise, reject) => {
    let tid: number | undefined;
    const finish = (f: MutantFailure | undefined): void => {
      clearInterval(timer);
      void worker.terminate();
      resolvePromise(f);
    };
    const base = { index: record.index, seed: record.seed, stage: 'worker' };
    const timer = setInterval(() => {
      if (tid === undefined || Atomics.load(flags, 0) !== 1) return;
      const used = threadTicks(`/proc/self/task/${tid}/stat`) - flags[2]!;
      if (used * 10 > o.cpuLimitMs) finish({ ...base, kind: 'hang', message: `more than ${o.cpuLimitMs} ms of CPU` });
    }, 100);
    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'ready') {
        tid = msg.tid;
        worker.postMessage({
          type: 'replay',
          seed: record.seed,
          patches: record.patches as Patch[],
          index: record.index,
        } satisfies ToWorker);
      } else finish(msg.failures[0]);
    });
    worker.on('error', (err: Error & { code?: string }) =>
      err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? finish({ ...base, kind: 'memory', message: err.message }) : reject(err),
    );
  });
}

function parseArgs(argv: string[]): { options: FuzzOptions; replay?: string } {
  const o: FuzzOptions = { ...DEFAULTS };
  let replayFile: string | undefined;
  let secondsGiven = false;
  const number = (flag: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < min)
      throw new Error(`${flag} needs a number ≥ ${min}, got ${v ?? 'nothing'}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = argv[i + 1];
    switch (a) {
      case '--seconds':
        o.seconds = number(a, v, 0);
        secondsGiven = true;
        i++;
        break;
      case '--mutants':
        o.mutants = Math.floor(number(a, v, 1));
        i++;
        break;
      case '--seed':
        o.seed = Math.floor(number(a, v, 0)) >>> 0;
        i++;
        break;
      case '--jobs':
        o.jobs = Math.floor(number(a, v, 1));
        i++;
        break;
      case '--out':
        if (v === undefined) throw new Error('--out needs a folder');
        o.out = v;
        i++;
        break;
      case '--batch':
        o.batch = Math.floor(number(a, v, 1));
        i++;
        break;
      case '--cpu-limit-ms':
        o.cpuLimitMs = number(a, v, 10);
        i++;
        break;
      case '--replay':
        replayFile = v;
        i++;
        break;
      case '--plant':
        if (v !== 'typeerror' && v !== 'hang' && v !== 'memory')
          throw new Error('--plant takes typeerror, hang or memory');
        o.plant = v;
        i++;
        break;
      case '--seeds':
        if (v === undefined) throw new Error(`--seeds needs a list of: ${SEED_NAMES.join(', ')}`);
        o.seeds = v.split(',');
        for (const name of o.seeds)
          if (!(SEED_NAMES as readonly string[]).includes(name))
            throw new Error(`--seeds: no seed named ${name} (known: ${SEED_NAMES.join(', ')})`);
        i++;
        break;
      case '--no-genuine':
        o.genuine = false;
        break;
      case '--json':
        o.json = true;
        break;
      case '--quiet':
        o.quiet = true;
        break;
      case '-h':
      case '--help':
        process.stdout.write(
          'npm run fuzz -- [--seconds N] [--mutants N] [--seed S] [--jobs N] [--out DIR] [--json] [--seeds a,b] [--no-genuine]\nnpm run fuzz -- --replay DIR/failures/NNNN.json\n(see fuzz/README.md)\n',
        );
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${a} (try --help)`);
    }
  }
  // --mutants alone runs until that many are done; with --seconds, whichever comes first.
  if (Number.isFinite(o.mutants) && !secondsGiven) o.seconds = Number.POSITIVE_INFINITY;
  return replayFile === undefined ? { options: o } : { options: o, replay: replayFile };
}

async function cli(): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`fuzz: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const { options, replay: replayFile } = parsed;
  if (replayFile !== undefined) {
    const f = await replay(replayFile, options);
    if (f === undefined) {
      process.stdout.write(`fuzz: ${replayFile}: the mutant no longer fails\n`);
      return 0;
    }
    process.stdout.write(`fuzz: ${replayFile}: ${f.kind} in ${f.stage}: ${f.message}\n`);
    return 1;
  }
  const summary = await runCampaign(options);
  process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSummary(summary)}\n`);
  const f = summary.failures;
  return f.exception + f.invariant + f.hang + f.memory > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  process.exitCode = await cli();
}
