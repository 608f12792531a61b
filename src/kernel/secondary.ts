import {
  DumpType,
  KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA,
  KBUGCHECK_SECONDARY_DUMP_DATA,
  KBUGCHECK_SECONDARY_DUMP_DATA_EX,
  KbCallbackReason,
  NULL_GUID,
  decodeGuid,
  hex,
  type GuidString,
} from '../format/index.js';
import type { DumpSettings } from './crashDumpTarget.js';
import { blobSpace, sizePassSpace } from './dumpSpace.js';
import { privilegedAccessor } from './memory.js';
import { SecondaryBlock, listOf, type CallbackReport } from './reports.js';
import type { BugCheckRun, CallResult } from './run.js';
import type { WalkedEntry } from './list.js';
import { StructView } from './views.js';
import { EntrySteps, type PhaseStep } from './watchdog.js';

/** The DUMP_TYPE value a multi-part callback is told, for the dump the writer is asked to produce. */
export function dumpTypeFor(dump: DumpSettings): number {
  switch (dump.kind) {
    case 'small':
      return DumpType.Triage;
    case 'kernel':
      return DumpType.BitmapKernel;
    case 'complete':
      return dump.completeFormat === 'runs' ? DumpType.Full : DumpType.BitmapFull;
  }
}

export type SecondaryWrite = (guid: GuidString, data: Uint8Array) => void;

function secondaryExView(run: BugCheckRun): StructView<ReturnType<typeof KBUGCHECK_SECONDARY_DUMP_DATA_EX.decode>> {
  return new StructView(privilegedAccessor(run.k.mem), KBUGCHECK_SECONDARY_DUMP_DATA_EX, run.k.reasonData);
}

/**
 * Size pass: every KbCallbackSecondaryDumpData record is called with
 * OutBuffer = NULL and reports how much it will write. Returns the bytes
 * those blobs may take in the secondary data area (headers and padding
 * included, each capped at MaximumAllowed), for RequiredDumpSpace.
 */
export function secondarySizePass(run: BugCheckRun): number {
  const { settings } = run.k;
  const max = settings.secondaryData.maximumAllowed;
  const emptyBlocks = settings.secondaryData.emptyBlocks;
  let total = 0;
  // OutBufferLength as the routine left it: one 4-byte access at an address made once.
  const outLengthVa = run.k.reasonData + BigInt(KBUGCHECK_SECONDARY_DUMP_DATA.offsets.OutBufferLength);
  // Every call is handed the same structure: encoded once, written (as one access) before each call.
  const handed = KBUGCHECK_SECONDARY_DUMP_DATA.encode({
    InBuffer: run.k.inBuffer,
    InBufferLength: run.k.inBufferLength,
    MaximumAllowed: max,
    OutBuffer: 0n,
    OutBufferLength: 0,
  });
  const entries = run.snapshot('reason', [KbCallbackReason.KbCallbackSecondaryDumpData]);
  const answer: CallResult = { outcome: 'finished', report: undefined as unknown as CallbackReport };
  const step = (i: number): PhaseStep => {
    run.k.mem.write(run.k.reasonData, handed);
    const done = run.callReason(entries[i]!, KBUGCHECK_SECONDARY_DUMP_DATA.size, answer);
    if (done?.outcome === 'finished') {
      const announced = run.k.mem.readU32(outLengthVa);
      done.report.contribution.sizePassBytes = announced;
      if (announced > max) {
        run.violation(
          done.report,
          'limit',
          `size pass announced ${announced} bytes, MaximumAllowed is ${max} (${settings.secondaryData.overLimitPolicy})`,
        );
      }
      // Even under 'drop' the data pass may return a length within the limit, which is then written.
      total += sizePassSpace(announced, max, emptyBlocks);
    }
    return undefined;
  };
  run.guarded('reason', entries, (from, at) => new EntrySteps(from, entries.length, at, step));
  return total;
}

interface Returned {
  guid: GuidString;
  outBuffer: bigint;
  outLength: number;
  part: number;
  /** MaximumAllowed the call was given. */
  maximumAllowed: number;
}

interface Block {
  guid: GuidString;
  data: Uint8Array;
  truncatedFrom: number | null;
}

/**
 * Turns what a callback returned into the bytes of one tagged block, applying
 * the MaximumAllowed policy and refusing buffers that are not resident.
 */
function collectBlock(run: BugCheckRun, report: CallbackReport, r: Returned): Block | null {
  const { settings, mem, inBuffer, inBufferLength } = run.k;
  const max = r.maximumAllowed;
  const policy = settings.secondaryData.overLimitPolicy;
  if (r.outLength === 0) {
    return settings.secondaryData.emptyBlocks === 'write' ? emptyBlock(r.guid) : null;
  }
  let length = r.outLength;
  let truncatedFrom: number | null = null;
  const cap = r.outBuffer === inBuffer ? Math.min(max, inBufferLength) : max;
  if (length > cap) {
    const what =
      cap === max ? `MaximumAllowed (${max})` : `InBufferLength (${inBufferLength}) with OutBuffer = InBuffer`;
    run.violation(
      report,
      'limit',
      `OutBufferLength ${length} exceeds ${what}; block ${policy === 'truncate' ? 'truncated' : 'dropped'}`,
    );
    if (policy === 'drop') return null;
    truncatedFrom = length;
    length = cap;
  }
  if (r.outBuffer === 0n) {
    run.violation(report, 'invalid-buffer', `OutBufferLength ${length} with a NULL OutBuffer; block dropped`);
    return null;
  }
  if (r.outBuffer !== inBuffer) {
    const owned = run.ownedExtent(r.outBuffer);
    const end = r.outBuffer + BigInt(length);
    if (owned !== null && end > owned.end) {
      // Bytes past the buffer the routine owns are another driver's (or the kernel's): only its own part is written.
      const kept = Number(owned.end - r.outBuffer);
      run.violation(
        report,
        'overread',
        `OutBuffer ${hex(r.outBuffer)} + OutBufferLength ${length} runs ${Number(end - owned.end)} byte(s) past the end of ${owned.what}; only the ${kept} byte(s) inside it written`,
        owned.end,
      );
      truncatedFrom ??= length;
      length = kept;
    }
  }
  const residency = mem.residency(r.outBuffer, length);
  if (residency === 'not-mapped') {
    run.violation(
      report,
      'invalid-buffer',
      `OutBuffer ${hex(r.outBuffer)} (+${length}) is not mapped; block dropped`,
      r.outBuffer,
    );
    return null;
  }
  if (residency === 'pageable') {
    run.violation(
      report,
      'paged-memory',
      `OutBuffer ${hex(r.outBuffer)} (+${length}) is in pageable memory; block dropped`,
      r.outBuffer,
    );
    return null;
  }
  if (r.guid === NULL_GUID)
    run.violation(report, 'null-guid', `block of ${length} bytes tagged with the all-zero GUID`);
  return { guid: r.guid, data: length === 0 ? NO_DATA : mem.read(r.outBuffer, length), truncatedFrom };
}

/** Writes the block and records it in the report; returns the bytes that went to the dump. */
function emitBlock(report: CallbackReport, block: Block, part: number, write: SecondaryWrite): number {
  write(block.guid, block.data);
  const entry = new SecondaryBlock(block.guid, block.data.length, part, block.truncatedFrom);
  const blocks = report.contribution.secondaryData;
  // Most records write one block: an array of exactly one, not an empty one grown by push (16 slots), and
  // not an array literal (reports.ts: V8 would pretenure the arrays of that site).
  if (blocks.length === 0) report.contribution.secondaryData = listOf(entry);
  else blocks.push(entry);
  return block.data.length;
}

/**
 * Data pass, after the primary body: every KbCallbackSecondaryDumpData and
 * KbCallbackSecondaryMultiPartDumpData record in list order; each block
 * returned is written as it comes (DumpIo SecondaryData follows each write).
 * With DumpIo records registered (`writesWatched`) each write runs outside
 * the watchdog, so a DumpIo routine it calls gets a budget of its own.
 */
export function secondaryDataPass(run: BugCheckRun, write: SecondaryWrite, writesWatched = false): void {
  // Multi-part records exist from Windows Server 2008 (versions.ts); an older kernel never calls them.
  const reasons = run.features.addPagesAndMultiPart
    ? [KbCallbackReason.KbCallbackSecondaryDumpData, KbCallbackReason.KbCallbackSecondaryMultiPartDumpData]
    : [KbCallbackReason.KbCallbackSecondaryDumpData];
  const returned = new ReturnedFields();
  const answer: CallResult = { outcome: 'finished', report: undefined as unknown as CallbackReport };
  // Every single-part call is handed the same structure: encoded once, written (as one access) before each call.
  const handed = KBUGCHECK_SECONDARY_DUMP_DATA.encode({
    InBuffer: run.k.inBuffer,
    InBufferLength: run.k.inBufferLength,
    MaximumAllowed: run.k.settings.secondaryData.maximumAllowed,
    OutBuffer: run.k.inBuffer,
    OutBufferLength: 0,
  });
  const area = { left: run.multiPartReserve };
  const entries = run.snapshot('reason', reasons);
  const step = (i: number): PhaseStep | Iterator<PhaseStep> => {
    const entry = entries[i]!;
    return run.reasonOf(entry) === KbCallbackReason.KbCallbackSecondaryMultiPartDumpData
      ? multiPart(run, entry, write, writesWatched, area)
      : singlePart(run, entry, write, writesWatched, handed, returned, answer);
  };
  run.guarded('reason', entries, (from, at) => new EntrySteps(from, entries.length, at, step));
}

const D = KBUGCHECK_SECONDARY_DUMP_DATA.offsets;

/**
 * What a single-part call left in KBUGCHECK_SECONDARY_DUMP_DATA: Guid,
 * OutBuffer and OutBufferLength from one read of the whole structure (the
 * same access as StructView.readFields). The Guid's text is remembered with
 * its 16 bytes: most calls return the tag the previous one did.
 */
class ReturnedFields {
  private readonly bytes = new Uint8Array(KBUGCHECK_SECONDARY_DUMP_DATA.size);
  private readonly view = new DataView(this.bytes.buffer);
  private readonly lastGuidBytes = new Uint8Array(16);
  private lastGuid: GuidString | undefined;

  /** What the last single-part call returned (one object for the whole pass: collectBlock keeps none of it). */
  readonly returned: Returned = { guid: NULL_GUID, outBuffer: 0n, outLength: 0, part: 0, maximumAllowed: 0 };

  read(run: BugCheckRun): Returned {
    const b = this.bytes;
    run.k.mem.readInto(run.k.reasonData, b);
    const at = D.Guid;
    const last = this.lastGuidBytes;
    let same = this.lastGuid !== undefined;
    for (let i = 0; same && i < 16; i++) same = b[at + i] === last[i];
    if (!same) {
      this.lastGuid = decodeGuid(b, at);
      last.set(b.subarray(at, at + 16));
    }
    const r = this.returned;
    r.guid = this.lastGuid!;
    const outLength = this.view.getUint32(D.OutBufferLength, true);
    r.outLength = outLength;
    // collectBlock never looks at OutBuffer for an empty block (most calls): no bigint made for it then.
    r.outBuffer = outLength === 0 ? 0n : this.view.getBigUint64(D.OutBuffer, true);
    r.part = 0;
    r.maximumAllowed = run.k.settings.secondaryData.maximumAllowed;
    return r;
  }
}

/** What an empty block carries (never written to: it has no bytes). */
const NO_DATA = new Uint8Array(0);

/** The last empty block made: blocks are never changed, and most records return the tag the previous one did. */
let lastEmpty: Block | null = null;

function emptyBlock(guid: GuidString): Block {
  if (lastEmpty === null || lastEmpty.guid !== guid) lastEmpty = { guid, data: NO_DATA, truncatedFrom: null };
  return lastEmpty;
}

function resetInBuffer(run: BugCheckRun): void {
  // Each caller gets a clean system buffer: nothing of the previous callback's data leaks into the next block.
  // Only routines write into it (the kernel reads from it), so it is zeroed again only after one did.
  if (!run.inBufferDirty) return;
  run.k.mem.zero(run.k.inBuffer, run.k.inBufferLength);
  run.inBufferDirty = false;
}

/** One call; its block is written now, or handed back to be written outside the watchdog. */
function singlePart(
  run: BugCheckRun,
  entry: WalkedEntry,
  write: SecondaryWrite,
  writesWatched: boolean,
  handed: Uint8Array,
  returned: ReturnedFields,
  answer: CallResult,
): PhaseStep {
  resetInBuffer(run);
  run.k.mem.write(run.k.reasonData, handed);
  const done = run.callReason(entry, KBUGCHECK_SECONDARY_DUMP_DATA.size, answer);
  if (!done || done.outcome === 'incomplete') return undefined;
  const report = done.report;
  const block = collectBlock(run, report, returned.read(run));
  if (!block) return undefined;
  if (writesWatched) return deferredFinish(run, report, block, write);
  finishSinglePart(run, report, block, write);
  return undefined;
}

/** finishSinglePart as an action (made here: a closure inside singlePart would make it a context on every call). */
function deferredFinish(run: BugCheckRun, report: CallbackReport, block: Block, write: SecondaryWrite): PhaseStep {
  return () => finishSinglePart(run, report, block, write);
}

function finishSinglePart(run: BugCheckRun, report: CallbackReport, block: Block, write: SecondaryWrite): void {
  const written = emitBlock(report, block, 0, write);
  const announced = report.contribution.sizePassBytes;
  if (announced !== null && written > announced) {
    run.violation(report, 'size-mismatch', `data pass wrote ${written} bytes, the size pass announced ${announced}`);
  }
}

/**
 * The ADDITIONAL_DATA loop of one multi-part record, one step per part. Each
 * part's MaximumAllowed is capped by what is left of the area reserved for
 * multi-part data (`area.left`, settings.secondaryData.multiPartAreaBytes),
 * so the secondary data area never outgrows the size announced before the
 * dump was written.
 */
function* multiPart(
  run: BugCheckRun,
  entry: WalkedEntry,
  write: SecondaryWrite,
  writesWatched: boolean,
  area: { left: number },
): Generator<PhaseStep> {
  const { settings } = run.k;
  const view = secondaryExView(run);
  const bound = settings.secondaryData.multiPartMaxParts;
  const [p1, p2, p3, p4] = run.bugCheck.parameters;
  let context = 0n;
  for (let part = 0; ; part++) {
    // Room for one more blob header and its data, rounded down to the 8-byte padding unit.
    const room = Math.floor((area.left - blobSpace(0)) / 8) * 8;
    if (room < 0) {
      run.violation(
        run.report('reason', entry.address),
        'limit',
        `the ${run.multiPartReserve} bytes of the secondary data area reserved for multi-part data are used up; no more calls (part ${part})`,
      );
      return;
    }
    const maximumAllowed = Math.min(settings.secondaryData.maximumAllowed, room);
    resetInBuffer(run);
    view.assign({
      InBuffer: run.k.inBuffer,
      InBufferLength: run.k.inBufferLength,
      MaximumAllowed: maximumAllowed,
      OutBuffer: run.k.inBuffer,
      OutBufferLength: 0,
      Context: context,
      Flags: 0,
      DumpType: dumpTypeFor(run.dumpSettings) >>> 0,
      BugCheckCode: run.bugCheck.code >>> 0,
      BugCheckParameter1: p1,
      BugCheckParameter2: p2,
      BugCheckParameter3: p3,
      BugCheckParameter4: p4,
    });
    const done = run.callReason(entry, KBUGCHECK_SECONDARY_DUMP_DATA_EX.size);
    if (!done || done.outcome === 'incomplete') return;
    const out = view.read();
    context = out.Context;
    const block = collectBlock(run, done.report, {
      guid: out.Guid,
      outBuffer: out.OutBuffer,
      outLength: out.OutBufferLength,
      part,
      maximumAllowed,
    });
    if (block) {
      area.left -= blobSpace(block.data.length);
      const report = done.report;
      const partNumber = part;
      if (writesWatched) yield () => emitBlock(report, block, partNumber, write);
      else emitBlock(report, block, partNumber, write);
    }
    if (done.outcome === 'deregistered' || (out.Flags & KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA) === 0) return;
    if (part + 1 >= bound) {
      run.violation(done.report, 'limit', `still asking for ADDITIONAL_DATA after ${bound} parts; no more calls`);
      return;
    }
    yield undefined;
  }
}
