import { PAGE_SIZE } from '../../format/index.js';
import type { Machine } from '../../machine/index.js';
import type { BodyStream } from './bodyStream.js';

/** Appends the bytes of frames [first, end) straight from the machine's page storage (frames never written are zeros). */
export function writeFrames(machine: Machine, first: number, end: number, out: BodyStream): void {
  machine.physical.forEachSpan(first, end - first, (bytes, pages) => {
    if (bytes === null) out.appendZeros(pages * PAGE_SIZE);
    else out.appendView(bytes);
  });
}
