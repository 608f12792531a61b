import {
  KB_ADD_PAGES_FEATURE_MASK,
  KB_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST,
  KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS,
  KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS,
  KB_REMOVE_PAGES_FEATURE_MASK,
  KBUGCHECK_ADD_PAGES,
  KBUGCHECK_REMOVE_PAGES,
  KbCallbackReason,
  PAGE_SHIFT,
  PAGE_SIZE,
  hex,
} from '../format/index.js';
import { privilegedAccessor } from './memory.js';
import { added, type CallbackReport, type PageRangeReport } from './reports.js';
import { protectedFrames } from './protectedPages.js';
import type { BugCheckRun, ListId } from './run.js';
import { StructView } from './views.js';

export type PagesOperation = 'add' | 'remove';

const KNOWN_FLAGS =
  (KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS |
    KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS |
    KB_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST |
    KB_ADD_PAGES_FEATURE_MASK |
    KB_REMOVE_PAGES_FEATURE_MASK) >>>
  0;
const PAGE = BigInt(PAGE_SIZE);
const ADDRESS_LIMIT = 1n << 64n;

/**
 * KbCallbackAddPages / KbCallbackRemovePages: each record is called until it
 * stops returning ADDITIONAL_RANGES_EXIST (bounded), one run of pages per
 * call, Context preserved between calls. Virtual runs are translated through
 * the kernel page tables to PFNs. A record's pages reach the plan only if all
 * of its calls completed.
 */
export function pagesPass(run: BugCheckRun, operation: PagesOperation, into: Set<bigint>): void {
  const reason = operation === 'add' ? KbCallbackReason.KbCallbackAddPages : KbCallbackReason.KbCallbackRemovePages;
  const layout = operation === 'add' ? KBUGCHECK_ADD_PAGES : KBUGCHECK_REMOVE_PAGES;
  const view = new StructView(privilegedAccessor(run.k.mem), layout, run.k.reasonData);
  const { maxRanges, maxPagesPerCallback } = run.k.settings.pages;
  const list: ListId = run.k.settings.addRemovePagesList === 'separate' ? 'addRemovePages' : 'reason';

  const entries = run.snapshot(list, [reason]);
  run.guarded(list, entries, function* (from, at) {
    for (let i = from; i < entries.length; i++) {
      at.index = i;
      const entry = entries[i]!;
      const pfns = new Set<bigint>();
      let context = 0n;
      let report: CallbackReport | null = null;
      let complete = true;
      for (let call = 0; ; call++) {
        view.assign({ Context: context, Flags: 0, BugCheckCode: run.bugCheck.code >>> 0, Address: 0n, Count: 0n });
        const done = run.callReason(entry, layout.size);
        if (!done) {
          complete = report === null ? false : complete;
          break;
        }
        report = done.report;
        if (done.outcome === 'incomplete') {
          complete = false;
          break;
        }
        const r = view.read();
        context = r.Context;
        const range = takeRange(
          run,
          report,
          operation,
          r.Flags >>> 0,
          r.Address,
          r.Count,
          maxPagesPerCallback - pfns.size,
          pfns,
        );
        report.contribution.pageRanges = added(report.contribution.pageRanges, range);
        if (done.outcome === 'deregistered' || (r.Flags & KB_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST) === 0) break;
        if (call + 1 >= maxRanges) {
          run.violation(
            report,
            'limit',
            `still returning ADDITIONAL_RANGES_EXIST after ${maxRanges} calls; no more calls`,
          );
          break;
        }
        yield undefined;
      }
      if (report && complete) {
        for (const pfn of pfns) into.add(pfn);
        if (operation === 'add') report.contribution.pagesAdded = pfns.size;
        else report.contribution.pagesRemoved = pfns.size;
      }
      yield undefined;
    }
  });
}

function takeRange(
  run: BugCheckRun,
  report: CallbackReport,
  operation: PagesOperation,
  flags: number,
  address: bigint,
  count: bigint,
  budget: number,
  pfns: Set<bigint>,
): PageRangeReport {
  const virtual = (flags & KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS) !== 0;
  const physical = (flags & KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS) !== 0;
  const unknown = (flags & ~KNOWN_FLAGS) >>> 0;
  if (unknown !== 0) run.violation(report, 'invalid-flags', `unknown flag bits ${hex(unknown)} in Flags ${hex(flags)}`);
  const out: PageRangeReport = {
    operation,
    space: virtual === physical ? 'invalid' : virtual ? 'virtual' : 'physical',
    address,
    count,
    pages: 0,
  };
  if (count === 0n) return out;
  if (virtual === physical) {
    run.violation(
      report,
      'invalid-flags',
      `Flags ${hex(flags)} must have exactly one of VIRTUAL_ADDRESS / PHYSICAL_ADDRESS; range ignored`,
    );
    return out;
  }
  const ram = run.k.machine.physical.totalPages;
  if (count > ram) {
    // No run of pages can be longer than the machine's RAM: the count is garbage, so none of it is taken.
    run.violation(
      report,
      'limit',
      `range of ${count} pages is larger than the machine's RAM (${ram} pages); nothing ${operation === 'add' ? 'added' : 'removed'}`,
      address,
    );
    return out;
  }
  let pages = count;
  if (pages > BigInt(budget)) {
    run.violation(report, 'limit', `range of ${count} pages exceeds the remaining budget of ${budget} pages; clipped`);
    pages = BigInt(Math.max(0, budget));
  }
  const start = address - (address % PAGE);
  if (start + pages * PAGE > ADDRESS_LIMIT) {
    run.violation(
      report,
      'invalid-address',
      `range ${hex(address)} + ${count} pages wraps past the top of the address space; range ignored`,
      address,
    );
    return out;
  }
  let missing = 0n;
  let firstMissing: bigint | null = null;
  let kept = 0;
  let firstKept: bigint | null = null;
  const keep = operation === 'remove' ? protectedFrames(run) : null;
  const { machine } = run.k;
  for (let i = 0n; i < pages; i++) {
    let pfn: bigint | undefined;
    if (virtual) {
      const va = start + i * PAGE;
      const t = machine.kernelSpace.translate(va);
      if (t) pfn = t.pa >> BigInt(PAGE_SHIFT);
      else firstMissing ??= va;
    } else {
      const candidate = (start >> BigInt(PAGE_SHIFT)) + i;
      if (machine.physical.isBacked(candidate)) pfn = candidate;
      else firstMissing ??= candidate << BigInt(PAGE_SHIFT);
    }
    if (pfn === undefined) missing++;
    else if (keep?.has(pfn)) {
      kept++;
      firstKept ??= start + i * PAGE;
    } else if (!pfns.has(pfn)) {
      pfns.add(pfn);
      out.pages++;
    }
  }
  if (missing > 0n) {
    const what = virtual ? 'not mapped' : 'not backed by RAM';
    run.violation(
      report,
      'invalid-address',
      `${missing} of ${pages} page(s) of the ${out.space} range at ${hex(address)} are ${what}; those pages ignored`,
      firstMissing ?? address,
    );
  }
  if (kept > 0) {
    run.violation(
      report,
      'protected-page',
      `${kept} of ${pages} page(s) of the ${out.space} range at ${hex(address)} hold page tables, the KDBG, the loaded-module list or the bug check's own data; those pages stay in the dump`,
      firstKept ?? address,
    );
  }
  return out;
}
