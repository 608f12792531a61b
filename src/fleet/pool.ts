import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FleetError, FleetErrorCode } from './errors.js';
import type { DumpOutcome } from './summary.js';

/** Files sent to a worker in one message: few enough to spread the work evenly, enough to keep messages rare. */
export const BATCH_FILES = 8;
/** Batches a worker holds at once: the next is already there when it finishes one. */
const BATCHES_IN_FLIGHT = 2;
/** Workers that may be started to replace ones that died, per job, before the run gives up. */
const RESTARTS_PER_JOB = 4;

export interface BatchRequest {
  id: number;
  files: string[];
}
export interface BatchAnswer {
  id: number;
  outcomes: DumpOutcome[];
}

/** One per CPU. */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

export interface SummarizeOptions {
  /** Worker threads; 1 analyses in this thread. */
  jobs: number;
  /** Called for every dump as its result arrives (in no particular order when jobs > 1). */
  onOutcome: (outcome: DumpOutcome) => void;
}

/**
 * Analyses every file and reports each dump's summary (or error) through
 * `onOutcome`; nothing is kept here, so memory stays flat whatever the number
 * of files. With jobs > 1 the files go to that many worker threads in small
 * batches; a worker that dies fails only the files it held (E_FLEET_WORKER)
 * and is replaced.
 */
export async function summarizeDumps(files: AsyncIterable<string>, options: SummarizeOptions): Promise<void> {
  if (!Number.isSafeInteger(options.jobs) || options.jobs < 1) {
    throw new FleetError(FleetErrorCode.Internal, `jobs must be a whole number ≥ 1, got ${options.jobs}`);
  }
  if (options.jobs === 1) {
    // Loaded only here: with workers, this thread never analyses, so it does not load the analyzer.
    const { summarizeDumpFile } = await import('./summary.js');
    for await (const file of files) options.onOutcome(await summarizeDumpFile(file));
    return;
  }
  await new WorkerPool(options.jobs, options.onOutcome).run(files[Symbol.asyncIterator]());
}

/** A worker and the batches it has not answered yet. */
interface PoolWorker {
  worker: Worker;
  pending: Map<number, string[]>;
  dead: boolean;
}

const here = import.meta.url;
const sourceExtension = here.endsWith('.ts') ? '.ts' : '.js';

/** The worker module; from the TypeScript sources it is loaded through tsx, as the CLI itself is. */
function startWorker(): Worker {
  const entry = new URL(`./worker${sourceExtension}`, here);
  if (sourceExtension === '.js') return new Worker(entry);
  // tsx's ES module API (index.mjs beside the CommonJS one require.resolve names); createRequire, not
  // import.meta.resolve, so it also works where a bundler keeps only import.meta.url.
  const tsx = pathToFileURL(
    createRequire(here)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => m.register()).then(() => import(${JSON.stringify(entry.href)}));`;
  return new Worker(code, { eval: true, execArgv: [] });
}

class WorkerPool {
  private readonly workers: PoolWorker[] = [];
  private nextId = 0;
  private exhausted = false;
  private restarts = 0;
  private finish!: () => void;
  private fail!: (error: unknown) => void;
  private feeding = false;
  private files!: AsyncIterator<string>;

  constructor(
    private readonly jobs: number,
    private readonly onOutcome: (outcome: DumpOutcome) => void,
  ) {}

  async run(files: AsyncIterator<string>): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
    });
    this.files = files;
    for (let i = 0; i < this.jobs; i++) this.workers.push(this.spawn());
    void this.feed();
    try {
      await done;
    } finally {
      this.exhausted = true; // no replacement for the workers stopped now
      await Promise.all(this.workers.map((w) => w.worker.terminate()));
    }
  }

  private spawn(): PoolWorker {
    const pw: PoolWorker = { worker: startWorker(), pending: new Map(), dead: false };
    pw.worker.on('message', (answer: BatchAnswer) => {
      pw.pending.delete(answer.id);
      for (const outcome of answer.outcomes) this.onOutcome(outcome);
      void this.feed();
    });
    const died = (why: string): void => {
      if (pw.dead) return;
      pw.dead = true;
      for (const batch of pw.pending.values()) {
        for (const file of batch) {
          this.onOutcome({
            file,
            error: new FleetError(FleetErrorCode.Worker, `the worker analysing this dump stopped: ${why}`, {
              file,
            }).toJSON(),
          });
        }
      }
      pw.pending.clear();
      const index = this.workers.indexOf(pw);
      if (index >= 0 && this.restarts < this.jobs * RESTARTS_PER_JOB && !this.exhausted) {
        this.restarts++;
        this.workers[index] = this.spawn();
      }
      void this.feed();
    };
    pw.worker.on('error', (error) => died(error instanceof Error ? error.message : String(error)));
    pw.worker.on('exit', (code) => died(`exit code ${code}`));
    return pw;
  }

  /** Tops every live worker up to BATCHES_IN_FLIGHT batches; resolves the run when all is answered. */
  private async feed(): Promise<void> {
    if (this.feeding) return;
    this.feeding = true;
    try {
      for (;;) {
        const target = this.workers.find((w) => !w.dead && w.pending.size < BATCHES_IN_FLIGHT);
        if (target === undefined || this.exhausted) break;
        const batch: string[] = [];
        while (batch.length < BATCH_FILES) {
          const next = await this.files.next();
          if (next.done === true) {
            this.exhausted = true;
            break;
          }
          batch.push(next.value);
        }
        if (batch.length === 0) break;
        if (target.dead) {
          // It died while the batch was being gathered: give the batch to whoever is alive next time round.
          const alive = this.workers.find((w) => !w.dead);
          if (alive === undefined) break;
          this.send(alive, batch);
        } else this.send(target, batch);
      }
    } catch (error) {
      this.fail(error);
      return;
    } finally {
      this.feeding = false;
    }
    const busy = this.workers.some((w) => w.pending.size > 0);
    if (this.exhausted && !busy) this.finish();
    else if (!this.workers.some((w) => !w.dead)) {
      this.fail(new FleetError(FleetErrorCode.Worker, 'every worker thread stopped; giving up'));
    }
  }

  private send(pw: PoolWorker, files: string[]): void {
    const id = this.nextId++;
    pw.pending.set(id, files);
    pw.worker.postMessage({ id, files } satisfies BatchRequest);
  }
}
