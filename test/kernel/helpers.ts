import {
  KBUGCHECK_REASON_CALLBACK_RECORD,
  KBUGCHECK_CALLBACK_RECORD,
  KbDumpIoType,
  type GuidString,
} from '../../src/format/index.js';
import {
  createX64Machine,
  POOL_FLAG_NON_PAGED,
  POOL_FLAG_PAGED,
  type Machine,
  type MachineOptions,
} from '../../src/machine/index.js';
import {
  Kernel,
  type CrashDumpPlan,
  type CrashDumpWriterFactory,
  type DumpIoListener,
  type KernelSettingsInput,
} from '../../src/kernel/index.js';

export interface WriterCall {
  op: 'create' | 'writePrimary' | 'writeSecondaryData' | 'complete' | 'abort';
  guid?: GuidString;
  data?: Uint8Array;
}

export interface FakeWriter {
  factory: CrashDumpWriterFactory;
  calls: WriterCall[];
  plan: CrashDumpPlan | null;
  blocks: { guid: GuidString; data: Uint8Array }[];
  /** Every write, in order, as the listener was told about it. */
  writes: { type: number; offset: bigint; data: Uint8Array | null }[];
}

export interface FakeWriterOptions {
  /** Bytes of "body" written in writePrimary after the 0x2000-byte header. */
  bodyBytes?: number;
  chunk?: number;
  failAt?: 'create' | 'writePrimary' | 'writeSecondaryData' | 'complete';
  /** Report offsets as -1 (a writer that streams). */
  sequentialOffsets?: boolean;
}

/**
 * An in-memory stand-in for the dump writer that records what the kernel
 * asked of it and reports each write to the DumpIo listener as the real
 * writer does: header, body chunks, one write per secondary block, complete.
 */
export function fakeWriter(options: FakeWriterOptions = {}): FakeWriter {
  const state: FakeWriter = {
    factory: null as unknown as CrashDumpWriterFactory,
    calls: [],
    plan: null,
    blocks: [],
    writes: [],
  };
  state.factory = (_machine: Machine, plan: CrashDumpPlan, io: DumpIoListener) => {
    state.calls.push({ op: 'create' });
    if (options.failAt === 'create') throw new Error('writer: cannot open the dump file');
    state.plan = plan;
    const chunk = options.chunk ?? plan.settings.ioChunkBytes;
    let offset = 0n;
    const report = (type: number, data: Uint8Array | null): void => {
      state.writes.push({ type, offset: options.sequentialOffsets ? -1n : offset, data: data ? data.slice() : null });
      io(type, options.sequentialOffsets ? -1n : offset, data);
      if (data) offset += BigInt(data.length);
    };
    return {
      writePrimary() {
        state.calls.push({ op: 'writePrimary' });
        if (options.failAt === 'writePrimary') throw new Error('writer: disk full');
        const header = new Uint8Array(0x2000).fill(0x50);
        report(KbDumpIoType.KbDumpIoHeader, header);
        const body = new Uint8Array(options.bodyBytes ?? 0x3000);
        for (let i = 0; i < body.length; i++) body[i] = (i * 7) & 0xff;
        for (let done = 0; done < body.length; done += chunk)
          report(KbDumpIoType.KbDumpIoBody, body.subarray(done, done + chunk));
      },
      writeSecondaryData(guid, data) {
        state.calls.push({ op: 'writeSecondaryData', guid, data: data.slice() });
        if (options.failAt === 'writeSecondaryData') throw new Error('writer: secondary area full');
        state.blocks.push({ guid, data: data.slice() });
        const blob = new Uint8Array(0x20 + data.length);
        blob.set(data, 0x20);
        report(KbDumpIoType.KbDumpIoSecondaryData, blob);
      },
      complete() {
        state.calls.push({ op: 'complete' });
        if (options.failAt === 'complete') throw new Error('writer: cannot fix up the header');
        report(KbDumpIoType.KbDumpIoComplete, null);
        return {
          path: plan.settings.path,
          dumpType: 6,
          fileSize: offset,
          primaryBodyEnd: 0x2000n,
          secondaryDataOffset: 0x2000n,
          blobCount: state.blocks.length,
          pagesWritten: 3n,
        };
      },
      abort() {
        state.calls.push({ op: 'abort' });
      },
    };
  };
  return state;
}

export interface Setup {
  machine: Machine;
  kernel: Kernel;
  writer: FakeWriter;
}

export function setup(
  settings: KernelSettingsInput = {},
  writerOptions: FakeWriterOptions = {},
  machineOptions: MachineOptions = {},
): Setup {
  const machine = createX64Machine(machineOptions);
  const writer = fakeWriter(writerOptions);
  // Protocol tests count blocks exactly; the model's own diagnostics block has its own test. They also list
  // records in registration order ('fifo'); the default order (ntoskrnl's) has its own tests (registration.test.ts).
  const kernel = new Kernel(
    machine,
    { callbackOrder: 'fifo', ...settings, dump: { modelDiagnostics: false, ...settings.dump } },
    writer.factory,
  );
  return { machine, kernel, writer };
}

/** A zeroed reason record in nonpaged pool, initialised as a driver would. */
export function newReasonRecord(kernel: Kernel): bigint {
  const record = kernel.machine.ExAllocatePool2(POOL_FLAG_NON_PAGED, KBUGCHECK_REASON_CALLBACK_RECORD.size, 'Drv1');
  kernel.KeInitializeCallbackRecord(record);
  return record;
}

export function newLegacyRecord(kernel: Kernel): bigint {
  const record = kernel.machine.ExAllocatePool2(POOL_FLAG_NON_PAGED, KBUGCHECK_CALLBACK_RECORD.size, 'Drv1');
  kernel.KeInitializeCallbackRecord(record, KBUGCHECK_CALLBACK_RECORD);
  return record;
}

export function nonPaged(machine: Machine, bytes: number): bigint {
  return machine.ExAllocatePool2(POOL_FLAG_NON_PAGED, bytes, 'Drv1');
}

export function paged(machine: Machine, bytes: number): bigint {
  return machine.ExAllocatePool2(POOL_FLAG_PAGED, bytes, 'Drv1');
}

export function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Reads the list at `head` in memory (Flink order), as a dump reader would. */
export function listEntries(machine: Machine, head: bigint, max = 100000): bigint[] {
  const out: bigint[] = [];
  for (let cur = machine.readU64(head); cur !== head && out.length < max; cur = machine.readU64(cur)) out.push(cur);
  return out;
}

/**
 * Bytes of a secondary data area holding blobs of these data lengths: the 0x10-byte DumpBlob header, then per
 * blob a 0x20-byte header and the data padded to 8 (dumpformat.md §3). 0 without blobs.
 */
export function secondaryArea(...lengths: number[]): number {
  return lengths.length === 0
    ? 0
    : 0x10 + lengths.reduce((n, length) => n + 0x20 + length + ((8 - (length % 8)) % 8), 0);
}
