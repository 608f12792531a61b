/**
 * A fuzz worker thread: finds the seeds' targets once, then runs batches of
 * mutants (or one replayed mutant) through exercise(). Before each mutant it
 * writes the mutant number and its own CPU ticks (/proc/thread-self/stat)
 * into shared memory, so the main thread can see a mutant that spends more
 * than the CPU budget and terminate this thread.
 */
import { readlinkSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { type ErrorCounts, exercise, FuzzFailure, type Plant, plantedHold } from './exercise.js';
import { makeMutant, OverlaySource, type Patch } from './mutate.js';
import { findTargets, type SeedTargets } from './targets.js';
import { threadTicks } from './ticks.js';

export interface WorkerSeed {
  name: string;
  bytes: SharedArrayBuffer;
}

export interface WorkerInit {
  seeds: WorkerSeed[];
  campaignSeed: number;
  plant: Plant;
  /** Int32Array: [busy (0/1), mutant number, CPU ticks at its start]. */
  state: SharedArrayBuffer;
  memoryLimitBytes: number;
}

export interface MutantFailure {
  index: number;
  seed: string;
  kind: 'exception' | 'invariant' | 'memory' | 'hang';
  stage: string;
  message: string;
  patches?: Patch[];
  notes?: string[];
  cpuMs?: number;
}

export type ToWorker =
  | { type: 'batch'; from: number; to: number }
  | { type: 'replay'; seed: string; patches: Patch[]; index: number };

export type FromWorker =
  | { type: 'ready'; tid: number; targets: Record<string, { fields: number; regions: number; ptes: number }> }
  | {
      type: 'done';
      from: number;
      to: number;
      perSeed: Record<string, number>;
      typed: Record<string, number>;
      failures: MutantFailure[];
      maxCpuMs: number;
      maxCpuIndex: number;
      maxMemoryBytes: number;
      cpuMs: number;
      /** The worker thread's whole CPU time for the batch (mutants, their making and the checks). */
      threadCpuMs: number;
    };

const TICK_MS = 10;

function memoryNow(): number {
  const h = getHeapStatistics() as ReturnType<typeof getHeapStatistics> & { external_memory?: number };
  return h.used_heap_size + (h.external_memory ?? 0);
}

const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
  const init = workerData as WorkerInit;
  const port = parentPort!;
  const state = new Int32Array(init.state);
  const seeds: SeedTargets[] = [];
  for (const s of init.seeds) seeds.push(await findTargets(s.name, new Uint8Array(s.bytes)));
  const byName = new Map(seeds.map((s) => [s.name, s]));
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  port.postMessage({
    type: 'ready',
    tid,
    targets: Object.fromEntries(
      seeds.map((s) => [s.name, { fields: s.fields.length, regions: s.regions.length, ptes: s.ptes.length }]),
    ),
  } satisfies FromWorker);
  if (gc === undefined)
    process.emitWarning('fuzz worker: no gc() (run node with --expose-gc): memory checks cannot collect first');
  gc?.();
  const baseline = memoryNow();

  /** Runs one mutant; returns its failure, if any, and its CPU ms. */
  const runOne = async (
    index: number,
    seed: SeedTargets,
    patches: Patch[],
    counts: ErrorCounts,
  ): Promise<{ failure?: Omit<MutantFailure, 'index' | 'seed'>; cpuMs: number; memory: number }> => {
    state[1] = index;
    const start = threadTicks();
    state[2] = start;
    Atomics.store(state, 0, 1);
    let failure: Omit<MutantFailure, 'index' | 'seed'> | undefined;
    try {
      await exercise(new OverlaySource(seed.bytes, patches, `${seed.name}#${index}`), counts, index, init.plant);
    } catch (e) {
      failure =
        e instanceof FuzzFailure
          ? { kind: e.kind, stage: e.stage, message: e.message }
          : { kind: 'exception', stage: 'harness', message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
    Atomics.store(state, 0, 0);
    const cpuMs = start < 0 ? 0 : (threadTicks() - start) * TICK_MS;
    let memory = memoryNow() - baseline;
    if (memory > init.memoryLimitBytes) {
      // Garbage of earlier mutants counts too: run this mutant again and count only what that run adds.
      // (Freed buffers leave the count late, after V8's sweeper: so the growth of one run, not a level.)
      plantedHold.length = 0;
      for (let i = 0; i < 3; i++) {
        gc?.();
        await new Promise((resolveWait) => setTimeout(resolveWait, 20));
      }
      const before = memoryNow();
      try {
        await exercise(new OverlaySource(seed.bytes, patches, `${seed.name}#${index}`), new Map(), index, init.plant);
      } catch {
        // Already recorded above if it failed.
      }
      memory = memoryNow() - before;
      plantedHold.length = 0;
    }
    if (failure === undefined && memory > init.memoryLimitBytes)
      failure = {
        kind: 'memory',
        stage: 'all',
        message: `${(memory / 2 ** 20).toFixed(0)} MiB of heap and buffers held after the mutant (limit ${init.memoryLimitBytes / 2 ** 20} MiB)`,
      };
    return failure === undefined ? { cpuMs, memory } : { failure, cpuMs, memory };
  };

  port.on('message', async (msg: ToWorker) => {
    const batchTicks = threadTicks();
    const counts: ErrorCounts = new Map();
    const failures: MutantFailure[] = [];
    const perSeed: Record<string, number> = {};
    let maxCpuMs = 0;
    let maxCpuIndex = -1;
    let maxMemoryBytes = 0;
    let cpuMs = 0;
    const jobs: { index: number; seed: SeedTargets; patches: Patch[]; notes: string[] }[] = [];
    if (msg.type === 'batch') {
      for (let i = msg.from; i < msg.to; i++) {
        const m = makeMutant(init.campaignSeed, i, seeds);
        jobs.push({ index: i, seed: byName.get(m.seed)!, patches: m.patches, notes: m.notes });
      }
    } else {
      const seed = byName.get(msg.seed);
      if (seed === undefined) throw new Error(`replay: no seed named ${msg.seed}`);
      jobs.push({ index: msg.index, seed, patches: msg.patches, notes: [] });
    }
    for (const job of jobs) {
      const r = await runOne(job.index, job.seed, job.patches, counts);
      perSeed[job.seed.name] = (perSeed[job.seed.name] ?? 0) + 1;
      cpuMs += r.cpuMs;
      if (r.cpuMs > maxCpuMs) {
        maxCpuMs = r.cpuMs;
        maxCpuIndex = job.index;
      }
      maxMemoryBytes = Math.max(maxMemoryBytes, r.memory);
      if (r.failure !== undefined)
        failures.push({
          index: job.index,
          seed: job.seed.name,
          ...r.failure,
          patches: job.patches,
          notes: job.notes,
          cpuMs: r.cpuMs,
        });
    }
    port.postMessage({
      type: 'done',
      from: msg.type === 'batch' ? msg.from : msg.index,
      to: msg.type === 'batch' ? msg.to : msg.index + 1,
      perSeed,
      typed: Object.fromEntries(counts),
      failures,
      maxCpuMs,
      maxCpuIndex,
      maxMemoryBytes,
      cpuMs,
      threadCpuMs: (threadTicks() - batchTicks) * TICK_MS,
    } satisfies FromWorker);
  });
}

// Imported for its types by run.ts: only a worker thread runs.
if (parentPort !== null) await main();
