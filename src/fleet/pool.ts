import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FleetError, FleetErrorCode } from './errors.js';
import type { DumpOutcome } from './summary.js';
import { type BatchAnswer, type BatchRequest, FLEET_WORKER_DATA } from './worker.js';

/** Files per message when their number is not known in advance (an async iterable). */
export const BATCH_FILES = 8;
/**
 * The most files in one message when their number is known: batches are the remaining files over
 * BATCHES_PER_WORKER × jobs (guided self-scheduling), so a run of 10,000 dumps is ~200 messages each
 * way instead of 1,250, and the last batches are single files that keep every worker busy to the end.
 */
export const MAX_BATCH_FILES = 64;
const BATCHES_PER_WORKER = 4;
/** Batches a worker holds at once: the next is already there when it finishes one. */
const BATCHES_IN_FLIGHT = 2;
/** How long the single-threaded path analyses before it lets the event loop run (timers, signals). */
const EVENT_LOOP_TURN_MS = 50;
/** Workers that may be started to replace ones that died, per job, before the run gives up. */
const RESTARTS_PER_JOB = 4;

/** One per CPU. */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/** Files in the next batch when `remaining` are left for `jobs` workers. */
export function batchSize(remaining: number, jobs: number): number {
  return Math.max(1, Math.min(MAX_BATCH_FILES, Math.ceil(remaining / (jobs * BATCHES_PER_WORKER))));
}

export type OnOutcome = (outcome: DumpOutcome) => void;

/**
 * What analyses dumps: this thread (jobs 1) or `jobs` worker threads, started
 * when the pool is (so they boot while the caller lists the files). `run`
 * reports each dump's summary (or error) through `onOutcome`; nothing is kept
 * here, so memory stays flat whatever the number of files. A worker that dies
 * fails only the files it held (E_FLEET_WORKER) and is replaced. `close`
 * stops the workers; call it once, after the last run.
 */
export interface DumpPool {
  readonly jobs: number;
  run(files: readonly string[] | AsyncIterable<string>, onOutcome: OnOutcome): Promise<void>;
  close(): Promise<void>;
}

export function startDumpPool(jobs: number): DumpPool {
  if (!Number.isSafeInteger(jobs) || jobs < 1) {
    throw new FleetError(FleetErrorCode.Internal, `jobs must be a whole number ≥ 1, got ${jobs}`);
  }
  return jobs === 1 ? new ThreadPool() : new WorkerPool(jobs);
}

export interface SummarizeOptions {
  /** Worker threads; 1 analyses in this thread. */
  jobs: number;
  /** Called for every dump as its result arrives (in no particular order when jobs > 1). */
  onOutcome: OnOutcome;
}

/** startDumpPool, one run, close. */
export async function summarizeDumps(
  files: readonly string[] | AsyncIterable<string>,
  options: SummarizeOptions,
): Promise<void> {
  const pool = startDumpPool(options.jobs);
  try {
    await pool.run(files, options.onOutcome);
  } finally {
    await pool.close();
  }
}

/** jobs 1: the same per-dump work as a worker's (summarizeDumpFile), in this thread. */
class ThreadPool implements DumpPool {
  readonly jobs = 1;

  async run(files: readonly string[] | AsyncIterable<string>, onOutcome: OnOutcome): Promise<void> {
    // Loaded only here: with workers, this thread never analyses.
    const { summarizeDumpFile } = await import('./summary.js');
    // A small dump is analysed without waiting on anything, so the event loop gets a turn now and then
    // (the progress bar redraws on a timer).
    let turn = performance.now();
    for await (const file of files) {
      onOutcome(await summarizeDumpFile(file));
      if (performance.now() - turn >= EVENT_LOOP_TURN_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        turn = performance.now();
      }
    }
  }

  async close(): Promise<void> {}
}

/** A worker and the batches it has not answered yet. */
interface PoolWorker {
  worker: Worker;
  pending: Map<number, string[]>;
  dead: boolean;
}

const here = import.meta.url;
const sourceExtension = here.endsWith('.ts') ? '.ts' : '.js';

/**
 * The CLI bundle this code runs in (dist/cli/<command>.cjs, scripts/bundleCli.mjs), if it does: there
 * `__filename` is the bundle, and this module's URL (which the bundler rewrites) names
 * src/fleet/pool.ts two folders above it. Undefined in an ES module (the sources, dist/src).
 */
function cliBundle(): string | undefined {
  if (typeof __filename !== 'string' || !__filename.endsWith('.cjs') || !here.startsWith('file:')) return undefined;
  const bundled = join(dirname(__filename), '..', '..', 'src', 'fleet', 'pool.ts');
  return fileURLToPath(here) === bundled ? __filename : undefined;
}

/**
 * A worker thread serving batches (worker.ts). In the CLI bundle it is the bundle itself, already
 * compiled JavaScript holding worker.ts, which serves when started with FLEET_WORKER_DATA; from
 * dist/src it is worker.js; from the TypeScript sources it is worker.ts loaded through tsx, as the
 * CLI itself is then.
 */
function startWorker(): Worker {
  const bundle = cliBundle();
  if (bundle !== undefined) return new Worker(bundle, { workerData: FLEET_WORKER_DATA });
  const entry = new URL(`./worker${sourceExtension}`, here);
  if (sourceExtension === '.js') return new Worker(entry, { workerData: FLEET_WORKER_DATA });
  // tsx's ES module API (index.mjs beside the CommonJS one require.resolve names); createRequire, not
  // import.meta.resolve, so it also works where a bundler keeps only import.meta.url.
  const tsx = pathToFileURL(
    createRequire(here)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => m.register()).then(() => import(${JSON.stringify(entry.href)}));`;
  return new Worker(code, { eval: true, execArgv: [], workerData: FLEET_WORKER_DATA });
}

/** The next batch of a run's files; empty when there are no more. */
type NextBatch = () => Promise<string[]>;

/** Batches of an array: the remaining files over the workers, shrinking to single files at the end. */
function arrayBatches(files: readonly string[], jobs: number): NextBatch {
  let at = 0;
  return async () => {
    const batch = files.slice(at, at + batchSize(files.length - at, jobs));
    at += batch.length;
    return batch;
  };
}

/** Batches of BATCH_FILES from an async iterable, whose length is not known. */
function iteratorBatches(files: AsyncIterable<string>): NextBatch {
  const iterator = files[Symbol.asyncIterator]();
  let done = false;
  return async () => {
    const batch: string[] = [];
    while (!done && batch.length < BATCH_FILES) {
      const next = await iterator.next();
      if (next.done === true) done = true;
      else batch.push(next.value);
    }
    return batch;
  };
}

interface PoolRun {
  next: NextBatch;
  exhausted: boolean;
  onOutcome: OnOutcome;
  finish: () => void;
  fail: (error: unknown) => void;
}

class WorkerPool implements DumpPool {
  private readonly workers: PoolWorker[] = [];
  private nextId = 0;
  private restarts = 0;
  private closed = false;
  private feeding = false;
  private current: PoolRun | undefined;

  constructor(readonly jobs: number) {
    for (let i = 0; i < jobs; i++) this.workers.push(this.spawn());
  }

  async run(files: readonly string[] | AsyncIterable<string>, onOutcome: OnOutcome): Promise<void> {
    if (this.closed || this.current !== undefined) {
      throw new FleetError(FleetErrorCode.Internal, 'the worker pool is closed or already running');
    }
    const next = Array.isArray(files)
      ? arrayBatches(files as readonly string[], this.jobs)
      : iteratorBatches(files as AsyncIterable<string>);
    try {
      await new Promise<void>((finish, fail) => {
        this.current = { next, exhausted: false, onOutcome, finish, fail };
        void this.feed();
      });
    } finally {
      this.current = undefined;
    }
  }

  async close(): Promise<void> {
    this.closed = true; // no replacement for the workers stopped now
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private spawn(): PoolWorker {
    const pw: PoolWorker = { worker: startWorker(), pending: new Map(), dead: false };
    pw.worker.on('message', (answer: BatchAnswer) => {
      pw.pending.delete(answer.id);
      const run = this.current;
      if (run !== undefined) for (const outcome of answer.outcomes) run.onOutcome(outcome);
      void this.feed();
    });
    const died = (why: string): void => {
      if (pw.dead) return;
      pw.dead = true;
      for (const batch of pw.pending.values()) {
        for (const file of batch) {
          this.current?.onOutcome({
            file,
            error: new FleetError(FleetErrorCode.Worker, `the worker analysing this dump stopped: ${why}`, {
              file,
            }).toJSON(),
          });
        }
      }
      pw.pending.clear();
      const index = this.workers.indexOf(pw);
      if (index >= 0 && this.restarts < this.jobs * RESTARTS_PER_JOB && !this.closed) {
        this.restarts++;
        this.workers[index] = this.spawn();
      }
      void this.feed();
    };
    pw.worker.on('error', (error) => died(error instanceof Error ? error.message : String(error)));
    pw.worker.on('exit', (code) => died(`exit code ${code}`));
    return pw;
  }

  /** Tops every live worker up to BATCHES_IN_FLIGHT batches; ends the run when all is answered. */
  private async feed(): Promise<void> {
    const run = this.current;
    if (this.feeding || run === undefined) return;
    this.feeding = true;
    try {
      for (;;) {
        const target = this.workers.find((w) => !w.dead && w.pending.size < BATCHES_IN_FLIGHT);
        if (target === undefined || run.exhausted) break;
        const batch = await run.next();
        if (batch.length === 0) {
          run.exhausted = true;
          break;
        }
        // The target may have died while the batch was gathered: whoever is alive takes it.
        const to = target.dead ? this.workers.find((w) => !w.dead) : target;
        if (to === undefined) break;
        this.send(to, batch);
      }
    } catch (error) {
      run.fail(error);
      return;
    } finally {
      this.feeding = false;
    }
    if (run.exhausted && !this.workers.some((w) => w.pending.size > 0)) run.finish();
    else if (!this.workers.some((w) => !w.dead)) {
      run.fail(new FleetError(FleetErrorCode.Worker, 'every worker thread stopped; giving up'));
    }
  }

  private send(pw: PoolWorker, files: string[]): void {
    const id = this.nextId++;
    pw.pending.set(id, files);
    pw.worker.postMessage({ id, files } satisfies BatchRequest);
  }
}
