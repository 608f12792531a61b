import {
  DumpType,
  KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA,
  KBUGCHECK_SECONDARY_DUMP_DATA,
  KBUGCHECK_SECONDARY_DUMP_DATA_EX,
  KbCallbackReason,
  NULL_GUID,
  hex,
  type GuidString,
} from '../format/index.js';
import type { DumpSettings } from './crashDumpTarget.js';
import { sizePassSpace } from './dumpSpace.js';
import { privilegedAccessor } from './memory.js';
import { readReason, recordSize } from './records.js';
import type { CallbackReport } from './reports.js';
import type { BugCheckRun } from './run.js';
import { StructView } from './views.js';

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

function secondaryView(run: BugCheckRun): StructView<ReturnType<typeof KBUGCHECK_SECONDARY_DUMP_DATA.decode>> {
  return new StructView(privilegedAccessor(run.k.mem), KBUGCHECK_SECONDARY_DUMP_DATA, run.k.reasonData);
}

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
  const view = secondaryView(run);
  // Every call is handed the same structure: encoded once, written (as one access) before each call.
  const handed = KBUGCHECK_SECONDARY_DUMP_DATA.encode({
    InBuffer: run.k.inBuffer,
    InBufferLength: run.k.inBufferLength,
    MaximumAllowed: max,
    OutBuffer: 0n,
    OutBufferLength: 0,
  });
  for (const entry of run.snapshot('reason', [KbCallbackReason.KbCallbackSecondaryDumpData])) {
    run.k.mem.write(run.k.reasonData, handed);
    const done = run.callReason(entry, KBUGCHECK_SECONDARY_DUMP_DATA.size);
    if (done?.outcome !== 'finished') continue;
    const announced = view.get('OutBufferLength');
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
  return total;
}

interface Returned {
  guid: GuidString;
  outBuffer: bigint;
  outLength: number;
  part: number;
}

/**
 * Turns what a callback returned into the bytes of one tagged block, applying
 * the MaximumAllowed policy and refusing buffers that are not resident.
 */
function collectBlock(
  run: BugCheckRun,
  report: CallbackReport,
  r: Returned,
): { guid: GuidString; data: Uint8Array; truncatedFrom: number | null } | null {
  const { settings, mem, inBuffer, inBufferLength } = run.k;
  const max = settings.secondaryData.maximumAllowed;
  const policy = settings.secondaryData.overLimitPolicy;
  if (r.outLength === 0) {
    return settings.secondaryData.emptyBlocks === 'write' ? { guid: r.guid, data: NO_DATA, truncatedFrom: null } : null;
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
  return { guid: r.guid, data: mem.read(r.outBuffer, length), truncatedFrom };
}

/** Writes the block (if any) and returns how many bytes went to the dump, or null when none did. */
function emit(run: BugCheckRun, report: CallbackReport, r: Returned, write: SecondaryWrite): number | null {
  const block = collectBlock(run, report, r);
  if (!block) return null;
  write(block.guid, block.data);
  report.contribution.secondaryData.push({
    guid: block.guid,
    bytes: block.data.length,
    part: r.part,
    truncatedFrom: block.truncatedFrom,
  });
  return block.data.length;
}

/**
 * Data pass, after the primary body: every KbCallbackSecondaryDumpData and
 * KbCallbackSecondaryMultiPartDumpData record in list order; each block
 * returned is written as it comes (DumpIo SecondaryData follows each write).
 */
export function secondaryDataPass(run: BugCheckRun, write: SecondaryWrite): void {
  const reasons = [KbCallbackReason.KbCallbackSecondaryDumpData, KbCallbackReason.KbCallbackSecondaryMultiPartDumpData];
  let handed: Uint8Array | undefined;
  const view = secondaryView(run);
  for (const entry of run.snapshot('reason', reasons)) {
    const reason = run.k.mem.isResident(entry.address, recordSize('reason'))
      ? readReason(run.k.mem, entry.address)
      : null;
    if (reason === KbCallbackReason.KbCallbackSecondaryMultiPartDumpData) {
      multiPart(run, entry, write);
    } else {
      // Every single-part call is handed the same structure: encoded once, written (as one access) before each call.
      handed ??= KBUGCHECK_SECONDARY_DUMP_DATA.encode({
        InBuffer: run.k.inBuffer,
        InBufferLength: run.k.inBufferLength,
        MaximumAllowed: run.k.settings.secondaryData.maximumAllowed,
        OutBuffer: run.k.inBuffer,
        OutBufferLength: 0,
      });
      singlePart(run, entry, write, handed, view);
    }
  }
}

/** What an empty block carries (never written to: it has no bytes). */
const NO_DATA = new Uint8Array(0);

function resetInBuffer(run: BugCheckRun): void {
  // Each caller gets a clean system buffer: nothing of the previous callback's data leaks into the next block.
  run.k.mem.zero(run.k.inBuffer, run.k.inBufferLength);
}

function singlePart(
  run: BugCheckRun,
  entry: { address: bigint; blinkOk: boolean },
  write: SecondaryWrite,
  handed: Uint8Array,
  view: StructView<ReturnType<typeof KBUGCHECK_SECONDARY_DUMP_DATA.decode>>,
): void {
  resetInBuffer(run);
  run.k.mem.write(run.k.reasonData, handed);
  const done = run.callReason(entry, KBUGCHECK_SECONDARY_DUMP_DATA.size);
  if (!done || done.outcome === 'incomplete') return;
  const out = view.readFields('Guid', 'OutBuffer', 'OutBufferLength');
  const returned: Returned = { guid: out.Guid, outBuffer: out.OutBuffer, outLength: out.OutBufferLength, part: 0 };
  const written = emit(run, done.report, returned, write);
  const announced = done.report.contribution.sizePassBytes;
  if (written !== null && announced !== null && written > announced) {
    run.violation(
      done.report,
      'size-mismatch',
      `data pass wrote ${written} bytes, the size pass announced ${announced}`,
    );
  }
}

function multiPart(run: BugCheckRun, entry: { address: bigint; blinkOk: boolean }, write: SecondaryWrite): void {
  const { settings } = run.k;
  const view = secondaryExView(run);
  const max = settings.secondaryData.maximumAllowed;
  const bound = settings.secondaryData.multiPartMaxParts;
  const [p1, p2, p3, p4] = run.bugCheck.parameters;
  let context = 0n;
  for (let part = 0; ; part++) {
    resetInBuffer(run);
    view.assign({
      InBuffer: run.k.inBuffer,
      InBufferLength: run.k.inBufferLength,
      MaximumAllowed: max,
      OutBuffer: run.k.inBuffer,
      OutBufferLength: 0,
      Context: context,
      Flags: 0,
      DumpType: dumpTypeFor(settings.dump) >>> 0,
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
    emit(run, done.report, { guid: out.Guid, outBuffer: out.OutBuffer, outLength: out.OutBufferLength, part }, write);
    if (done.outcome === 'deregistered' || (out.Flags & KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA) === 0) return;
    if (part + 1 >= bound) {
      run.violation(done.report, 'limit', `still asking for ADDITIONAL_DATA after ${bound} parts; no more calls`);
      return;
    }
  }
}
