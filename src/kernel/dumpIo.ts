import { KBUGCHECK_DUMP_IO, KbCallbackReason, KbDumpIoType } from '../format/index.js';
import type { DumpIoListener } from './crashDumpTarget.js';
import type { BugCheckRun } from './run.js';

const SEQUENTIAL = (1n << 64n) - 1n;

/**
 * The listener the writer reports each write to. For every write it copies
 * the bytes into a resident kernel buffer (so KBUGCHECK_DUMP_IO.Buffer is a
 * real address the callback can read) and calls every KbCallbackDumpIo
 * record. Writes larger than that buffer are split. The set of DumpIo records
 * is taken once, when the dump starts; each record is re-checked before each
 * call (so one that deregisters itself is not called again).
 */
export function createDumpIoListener(run: BugCheckRun): { listener: DumpIoListener; records: number } {
  const entries = run.snapshot('reason', [KbCallbackReason.KbCallbackDumpIo]);
  if (entries.length === 0) return { listener: () => undefined, records: 0 };
  const { mem, settings } = run.k;
  const buffer = run.k.dumpIoBuffer();
  const sequential = settings.dumpIoOffsets === 'sequential';

  const deliver = (type: number, offset: bigint, address: bigint, length: number): void => {
    // The same structure for every record called for this write: encoded once, written before each call.
    const handed = KBUGCHECK_DUMP_IO.encode({ Offset: offset, Buffer: address, BufferLength: length, Type: type });
    // One watchdog chunk per write (the writer runs between writes, never inside a chunk).
    run.guarded('reason', entries, function* (from, at) {
      for (let i = from; i < entries.length; i++) {
        at.index = i;
        mem.write(run.k.reasonData, handed);
        const done = run.callReason(entries[i]!, KBUGCHECK_DUMP_IO.size);
        if (done) done.report.contribution.dumpIoCalls++;
        yield undefined;
      }
    });
  };

  // In 'sequential' mode only a write that continues where the previous one ended is reported as -1;
  // an out-of-order write (our writer makes none; another writer might) keeps its offset, or a mirror could not place it.
  let streamEnd = 0n;
  const listener: DumpIoListener = (type, offset, data) => {
    const continues = offset === streamEnd;
    if (offset >= 0n && data !== null && continues) streamEnd = offset + BigInt(data.length);
    const fileOffset = (delta: number): bigint =>
      offset < 0n || (sequential && continues) ? SEQUENTIAL : offset + BigInt(delta);
    if (type === KbDumpIoType.KbDumpIoComplete || data === null || data.length === 0) {
      // Complete has no buffer and no position in the file.
      deliver(type, type === KbDumpIoType.KbDumpIoComplete ? SEQUENTIAL : fileOffset(0), 0n, 0);
      return;
    }
    for (let done = 0; done < data.length; done += buffer.size) {
      const chunk = data.subarray(done, Math.min(data.length, done + buffer.size));
      mem.write(buffer.address, chunk);
      deliver(type, fileOffset(done), buffer.address, chunk.length);
    }
  };
  return { listener, records: entries.length };
}
