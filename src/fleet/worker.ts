/**
 * The worker-thread side of the bucket pool: analyses the files of each batch
 * it is sent, one after another, and answers with their outcomes. It serves
 * only in a worker thread started with FLEET_WORKER_DATA, so a bundle that
 * holds this module (the CLI's, which pool.ts starts again as the worker)
 * behaves as before everywhere else.
 */
import { isMainThread, type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { type DumpOutcome, summarizeDumpFile } from './summary.js';

export interface BatchRequest {
  id: number;
  files: string[];
}
export interface BatchAnswer {
  id: number;
  outcomes: DumpOutcome[];
}

/** The workerData a pool worker is started with. */
export const FLEET_WORKER_DATA = { bugcheckFleetWorker: 1 } as const;

function isFleetWorker(): boolean {
  return (
    !isMainThread &&
    typeof workerData === 'object' &&
    workerData !== null &&
    (workerData as Record<string, unknown>).bugcheckFleetWorker === FLEET_WORKER_DATA.bugcheckFleetWorker
  );
}

/** Answers every batch on `port`, in the order they came. */
export function serveBatches(port: MessagePort): void {
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (request: BatchRequest) => {
    queue = queue.then(async () => {
      const outcomes: DumpOutcome[] = [];
      for (const file of request.files) outcomes.push(await summarizeDumpFile(file));
      port.postMessage({ id: request.id, outcomes } satisfies BatchAnswer);
    });
  });
}

if (isFleetWorker() && parentPort !== null) serveBatches(parentPort);
