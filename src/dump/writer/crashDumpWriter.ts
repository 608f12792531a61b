import { DUMP_HEADER64_SIZE, DumpType, KbDumpIoType } from '../../format/index.js';
import type { GuidString } from '../../format/guid.js';
import {
  SILENT_DUMP_IO_LISTENER,
  type CrashDumpPlan,
  type CrashDumpSession,
  type CrashDumpSummary,
  type CrashDumpWriterFactory,
  type DumpIoListener,
} from '../../kernel/crashDumpTarget.js';
import type { Machine } from '../../machine/index.js';
import { bitmapBodySize, planBitmap, writeBitmapBody, type BitmapLayout } from './bitmapBody.js';
import { BodyStream, type ProgressListener } from './bodyStream.js';
import { DumpOutput } from './dumpOutput.js';
import { DumpWriterError, DumpWriterErrorCode } from './errors.js';
import { planRuns, runsBodySize, writeRunsBody, type RunsLayout } from './fullBody.js';
import { buildDumpHeader } from './headerBuilder.js';
import { selectPages, type PageSelection } from './pageSelection.js';
import { SecondaryDataArea } from './secondaryDataArea.js';
import { fileDumpSink, type DumpSink, type DumpSinkFactory } from './sinks.js';
import { SystemMemoryReader } from './systemMemory.js';
import { planTriage, TRIAGE_MINIDUMP_FIELDS, writeTriageBody, type TriageLayout } from './triageBody.js';
import type { TriageRangeProblem } from './triageDataBlocks.js';

export const DEFAULT_IO_CHUNK_BYTES = 0x100000;

/** What the writer reports beyond the kernel's CrashDumpSummary. */
export interface DumpWriterSummary extends CrashDumpSummary {
  /**
   * RequiredDumpSpace as written with the header (end of the primary body + the plan's secondary area
   * estimate; never rewritten), and by how much the file ended up larger than it (0 unless callbacks
   * wrote more than the kernel could foresee).
   */
  requiredDumpSpace: { value: bigint; exceededBy: bigint };
  /** Complete and kernel dumps: how the plan's page lists were applied. */
  pages?: {
    /** Added PFNs that were not already in the dump. */
    added: bigint;
    /** Removed PFNs that would otherwise have been in the dump. */
    removed: bigint;
    /** Added PFNs outside the machine's RAM (nothing to read; left out). */
    unbackedAdded: bigint;
    /** DumpType 1 only: pages inside runs written as zeros to stay within 42 runs. */
    zeroFilled: bigint;
  };
  /** Small dumps: what the triage body holds and which requested ranges are missing. */
  triage?: {
    dataBlocks: number;
    driverCount: number;
    stackBytes: number;
    processCopy: 'memory' | 'synthetic';
    threadCopy: 'memory' | 'synthetic';
    skippedRanges: TriageRangeProblem[];
  };
  /** Number of writes reported to the DumpIo listener (the final Complete excluded). */
  ioWrites: number;
}

export interface DumpWriterSession extends CrashDumpSession {
  complete(): DumpWriterSummary;
}

/** How a writer session is built beyond the plan: where its bytes go. */
export interface DumpWriterOptions {
  /**
   * The sink of the dump (default: a FileDumpSink at plan.settings.path). A
   * DumpSink is used as given (for one dump); a factory is called with the
   * settings' path for each dump.
   */
  sink?: DumpSink | DumpSinkFactory;
}

type SessionState = 'ready' | 'primary-written' | 'completed' | 'aborted' | 'failed';

type BodyPlan =
  | { kind: 'runs'; selection: PageSelection; layout: RunsLayout }
  | { kind: 'bitmap'; selection: PageSelection; layout: BitmapLayout }
  | { kind: 'triage'; layout: TriageLayout };

/**
 * One crash dump being written. The kernel drives it: writePrimary (header
 * and body), writeSecondaryData once per block, then complete. Every byte
 * goes through one DumpFileSink.
 */
class CrashDumpWriterSession implements DumpWriterSession {
  private state: SessionState = 'ready';
  private readonly sink: DumpOutput;
  private readonly reader: SystemMemoryReader;
  private body: BodyPlan | undefined;
  private dumpType = 0;
  private primaryEnd = 0n;
  private requiredDumpSpace = 0n;
  private area: SecondaryDataArea | undefined;

  constructor(
    private readonly machine: Machine,
    private readonly plan: CrashDumpPlan,
    io: DumpIoListener,
    options: DumpWriterOptions,
  ) {
    validatePlan(machine, plan);
    const sink = options.sink ?? fileDumpSink;
    this.sink = new DumpOutput(
      typeof sink === 'function' ? sink(plan.settings.path) : sink,
      plan.settings.ioChunkBytes ?? DEFAULT_IO_CHUNK_BYTES,
      io,
      io !== SILENT_DUMP_IO_LISTENER,
    );
    this.reader = new SystemMemoryReader(machine);
  }

  writePrimary(progress?: ProgressListener): void {
    this.expect('ready', 'writePrimary');
    try {
      this.body = this.planBody();
      const total = this.bodySize(this.body);
      this.primaryEnd = BigInt(DUMP_HEADER64_SIZE) + total;
      // Written once, here: a later rewrite would put a Header write after the SecondaryData ones.
      this.requiredDumpSpace = this.primaryEnd + BigInt(this.plan.secondaryDataSizeEstimate);

      const header = buildDumpHeader(this.machine, this.plan, {
        dumpType: this.dumpType,
        requiredDumpSpace: this.requiredDumpSpace,
        ...(this.body.kind === 'runs' ? { runs: this.body.layout.runs } : {}),
        ...(this.body.kind === 'triage' ? { miniDumpFields: TRIAGE_MINIDUMP_FIELDS } : {}),
      });
      this.sink.open();
      this.sink.write(KbDumpIoType.KbDumpIoHeader, 0, header);

      progress?.(0n, total);
      const out = new BodyStream(this.sink, KbDumpIoType.KbDumpIoBody, BigInt(DUMP_HEADER64_SIZE), total, progress);
      this.writeBody(this.body, out);
      out.flush();
      if (out.position !== this.primaryEnd) {
        throw new DumpWriterError(
          DumpWriterErrorCode.Limit,
          `primary body ended at 0x${out.position.toString(16)}, expected 0x${this.primaryEnd.toString(16)}`,
          {
            position: out.position,
            expected: this.primaryEnd,
          },
        );
      }
      this.area = new SecondaryDataArea(this.sink, this.primaryEnd, this.machine.options.build);
      this.state = 'primary-written';
    } catch (err) {
      this.state = 'failed';
      throw err;
    }
  }

  writeSecondaryData(guid: GuidString, data: Uint8Array): void {
    this.expect('primary-written', 'writeSecondaryData');
    try {
      this.area!.append(guid, data);
    } catch (err) {
      // A block refused before any byte was written (bad GUID, too large) leaves the session usable.
      if (err instanceof DumpWriterError && err.code === DumpWriterErrorCode.Io) this.state = 'failed';
      throw err;
    }
  }

  complete(): DumpWriterSummary {
    this.expect('primary-written', 'complete');
    try {
      const fileSize = this.area!.end;
      // Blobs gathered while nobody listened to the writes go out before the sync.
      this.area!.flush();
      this.sink.sync();
      this.sink.close();
      this.state = 'completed';
      this.sink.reportComplete();
      return this.summary(fileSize);
    } catch (err) {
      if (this.state !== 'completed') this.state = 'failed';
      throw err;
    }
  }

  abort(): void {
    if (this.state === 'completed' || this.state === 'aborted') return;
    const writing = this.state === 'primary-written';
    this.state = 'aborted';
    try {
      // The partial file keeps every block handed over so far, as if each had been written at once.
      if (writing) this.area?.flush();
    } catch {
      // Already failing: the partial file is best effort.
    }
    try {
      this.sink.close();
    } catch {
      // Already failing: the caller is abandoning the dump, a close error adds nothing.
    }
  }

  private expect(state: SessionState, operation: string): void {
    if (this.state !== state) {
      throw new DumpWriterError(
        DumpWriterErrorCode.State,
        `${operation} is not allowed now: the session is ${this.state}`,
        { operation, state: this.state },
      );
    }
  }

  private planBody(): BodyPlan {
    const { settings } = this.plan;
    if (settings.kind === 'small') {
      this.dumpType = DumpType.Triage;
      return { kind: 'triage', layout: planTriage(this.machine, this.plan, this.reader) };
    }
    const selection = selectPages(this.machine, settings.kind, this.plan.addedPages, this.plan.removedPages);
    if (settings.kind === 'complete' && settings.completeFormat === 'runs') {
      this.dumpType = DumpType.Full;
      return { kind: 'runs', selection, layout: planRuns(selection) };
    }
    this.dumpType = settings.kind === 'complete' ? DumpType.BitmapFull : DumpType.BitmapKernel;
    return { kind: 'bitmap', selection, layout: planBitmap(selection, settings.kind) };
  }

  private bodySize(body: BodyPlan): bigint {
    switch (body.kind) {
      case 'runs':
        return runsBodySize(body.layout);
      case 'bitmap':
        return bitmapBodySize(body.layout);
      case 'triage':
        return BigInt(body.layout.sizeOfDump - DUMP_HEADER64_SIZE);
    }
  }

  private writeBody(body: BodyPlan, out: BodyStream): void {
    switch (body.kind) {
      case 'runs':
        writeRunsBody(this.machine, body.selection, body.layout, out);
        return;
      case 'bitmap':
        writeBitmapBody(this.machine, body.selection, body.layout, out);
        return;
      case 'triage':
        writeTriageBody(body.layout, this.reader, out);
        return;
    }
  }

  private summary(fileSize: bigint): DumpWriterSummary {
    const body = this.body!;
    const base: DumpWriterSummary = {
      path: this.plan.settings.path,
      dumpType: this.dumpType,
      fileSize,
      primaryBodyEnd: this.primaryEnd,
      secondaryDataOffset: this.primaryEnd,
      blobCount: this.area!.blobCount,
      pagesWritten: body.kind === 'runs' ? body.layout.numberOfPages : body.kind === 'bitmap' ? body.layout.pages : 0n,
      requiredDumpSpace: {
        value: this.requiredDumpSpace,
        exceededBy: fileSize > this.requiredDumpSpace ? fileSize - this.requiredDumpSpace : 0n,
      },
      ioWrites: this.sink.writeCount,
    };
    if (body.kind === 'triage') {
      const t = body.layout;
      base.triage = {
        dataBlocks: t.blocks.length,
        driverCount: t.driverCount,
        stackBytes: t.stack.size,
        processCopy: t.processSource,
        threadCopy: t.threadSource,
        skippedRanges: t.problems,
      };
    } else {
      base.pages = {
        added: body.selection.addedApplied,
        removed: body.selection.removedApplied,
        unbackedAdded: body.selection.unbackedAdded,
        zeroFilled: body.kind === 'runs' ? body.layout.zeroFilledPages : 0n,
      };
    }
    return base;
  }
}

function validatePlan(machine: Machine, plan: CrashDumpPlan): void {
  const s = plan.settings;
  const bad = (message: string, details: Record<string, unknown>): never => {
    throw new DumpWriterError(DumpWriterErrorCode.Settings, message, details);
  };
  if (s.kind !== 'complete' && s.kind !== 'kernel' && s.kind !== 'small')
    bad(`unknown dump kind ${String(s.kind)}`, { kind: s.kind });
  if (s.completeFormat !== undefined && s.completeFormat !== 'bitmap' && s.completeFormat !== 'runs') {
    bad(`unknown complete dump format ${String(s.completeFormat)}`, { completeFormat: s.completeFormat });
  }
  if (typeof s.path !== 'string' || s.path.length === 0) bad('dump path is empty', { path: s.path });
  if (s.ioChunkBytes !== undefined && (!Number.isSafeInteger(s.ioChunkBytes) || s.ioChunkBytes <= 0)) {
    bad(`ioChunkBytes must be a positive integer, got ${String(s.ioChunkBytes)}`, { ioChunkBytes: s.ioChunkBytes });
  }
  if (
    !Number.isInteger(plan.processorIndex) ||
    plan.processorIndex < 0 ||
    plan.processorIndex >= machine.processors.length
  ) {
    bad(`processor ${plan.processorIndex} does not exist (the machine has ${machine.processors.length})`, {
      processorIndex: plan.processorIndex,
    });
  }
  if (!Number.isSafeInteger(plan.secondaryDataSizeEstimate) || plan.secondaryDataSizeEstimate < 0) {
    bad(`secondaryDataSizeEstimate must be a non-negative integer, got ${String(plan.secondaryDataSizeEstimate)}`, {
      secondaryDataSizeEstimate: plan.secondaryDataSizeEstimate,
    });
  }
}

/** Opens a writer session with the writer's own summary type. */
export function openCrashDumpWriter(
  machine: Machine,
  plan: CrashDumpPlan,
  io: DumpIoListener,
  options: DumpWriterOptions = {},
): DumpWriterSession {
  return new CrashDumpWriterSession(machine, plan, io, options);
}

/** A factory for the kernel's KeBugCheckEx whose dumps go to the sink `options` names. */
export function crashDumpWriterFactory(options: DumpWriterOptions): CrashDumpWriterFactory {
  return (machine, plan, io) => openCrashDumpWriter(machine, plan, io, options);
}

/** The factory the kernel's KeBugCheckEx receives: dumps go to files. */
export const createCrashDumpWriter: CrashDumpWriterFactory = (machine, plan, io) =>
  openCrashDumpWriter(machine, plan, io);
