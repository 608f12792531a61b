/**
 * Worker thread of the bucket pool: analyses the files of each batch it is
 * sent, one after another, and answers with their outcomes.
 */
import { parentPort } from 'node:worker_threads';
import type { BatchAnswer, BatchRequest } from './pool.js';
import { summarizeDumpFile } from './summary.js';

const port = parentPort;
if (port === null) throw new Error('src/fleet/worker runs only as a worker thread');

let queue: Promise<void> = Promise.resolve();
port.on('message', (request: BatchRequest) => {
  queue = queue.then(async () => {
    const outcomes = [];
    for (const file of request.files) outcomes.push(await summarizeDumpFile(file));
    port.postMessage({ id: request.id, outcomes } satisfies BatchAnswer);
  });
});
