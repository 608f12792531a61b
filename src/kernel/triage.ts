import {
  KADDRESS_RANGE,
  KB_TRIAGE_DUMP_DATA_FLAG_BUGCHECK_ACTIVE,
  KBUGCHECK_TRIAGE_DUMP_DATA,
  KE_MAX_TRIAGE_DUMP_DATA_MEMORY_SIZE,
  KTRIAGE_DUMP_DATA_ARRAY,
  KbCallbackReason,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_INSUFFICIENT_RESOURCES,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
  hex,
} from '../format/index.js';
import { initializeListHead } from './list.js';
import { privilegedAccessor, type KernelMemory } from './memory.js';
import { added, type CallbackReport } from './reports.js';
import type { BugCheckRun } from './run.js';
import { StructView } from './views.js';

const HEADER = KTRIAGE_DUMP_DATA_ARRAY.size; // FIELD_OFFSET(KTRIAGE_DUMP_DATA_ARRAY, Blocks) = 0x30
const BLOCK = KADDRESS_RANGE.size; // 0x10
const A = KTRIAGE_DUMP_DATA_ARRAY.offsets;
const ADDRESS_LIMIT = 1n << 64n;

function arrayView(mem: KernelMemory, array: bigint): StructView<ReturnType<typeof KTRIAGE_DUMP_DATA_ARRAY.decode>> {
  return new StructView(privilegedAccessor(mem), KTRIAGE_DUMP_DATA_ARRAY, array);
}

/**
 * KeInitializeTriageDumpDataArray. Only the header is written (List
 * self-linked, counts zero, NumBlocksTotal from Size, MaxDataSize = 32 MiB);
 * blocks beyond NumBlocksUsed are never read, so they are left as they are.
 */
export function initializeTriageDumpDataArray(mem: KernelMemory, array: bigint, size: number): number {
  if (array === 0n) return STATUS_INVALID_PARAMETER;
  if (!Number.isInteger(size) || size < HEADER + BLOCK) return STATUS_BUFFER_TOO_SMALL;
  if (size > 0xffffffff) return STATUS_INVALID_PARAMETER;
  if (!mem.isResident(array, HEADER)) return STATUS_INVALID_PARAMETER;
  mem.zero(array, HEADER);
  initializeListHead(mem, array + BigInt(A.List));
  arrayView(mem, array).write({
    NumBlocksUsed: 0,
    NumBlocksTotal: Math.floor((size - HEADER) / BLOCK),
    DataSize: 0,
    MaxDataSize: KE_MAX_TRIAGE_DUMP_DATA_MEMORY_SIZE,
    ComponentNameBufferLength: 0,
    ComponentName: 0n,
  });
  return STATUS_SUCCESS;
}

/**
 * KeAddTriageDumpDataBlock: appends one range. A range inside an existing
 * block is accepted without adding anything; adjacent ranges are not merged.
 * Size 0 adds nothing and succeeds once the array is valid (ntoskrnl), or is
 * STATUS_INVALID_PARAMETER with `zeroSize: 'invalid-parameter'`.
 */
export function addTriageDumpDataBlock(
  mem: KernelMemory,
  array: bigint,
  address: bigint,
  size: bigint | number,
  zeroSize: 'success' | 'invalid-parameter' = 'success',
): number {
  const length = BigInt(size);
  if (array === 0n || length < 0n || (length === 0n && zeroSize === 'invalid-parameter'))
    return STATUS_INVALID_PARAMETER;
  if (!mem.isResident(array, HEADER)) return STATUS_INVALID_PARAMETER;
  if (length === 0n) return STATUS_SUCCESS;
  if (address === 0n || address + length > ADDRESS_LIMIT) return STATUS_INVALID_PARAMETER;
  const view = arrayView(mem, array);
  const used = view.get('NumBlocksUsed');
  const total = view.get('NumBlocksTotal');
  if (used > total) return STATUS_INVALID_PARAMETER;
  const blocks = array + BigInt(HEADER);
  if (used > 0 && !mem.isResident(blocks, used * BLOCK)) return STATUS_INVALID_PARAMETER;
  for (let i = 0; i < used; i++) {
    const b = KADDRESS_RANGE.decode(mem.read(blocks + BigInt(i * BLOCK), BLOCK));
    if (address >= b.Address && address + length <= b.Address + b.Size) return STATUS_SUCCESS;
  }
  if (used === total) return STATUS_BUFFER_TOO_SMALL;
  const dataSize = BigInt(view.get('DataSize'));
  if (dataSize + length > BigInt(view.get('MaxDataSize'))) return STATUS_INSUFFICIENT_RESOURCES;
  const slot = blocks + BigInt(used * BLOCK);
  if (!mem.isResident(slot, BLOCK)) return STATUS_INVALID_PARAMETER;
  mem.write(slot, KADDRESS_RANGE.encode({ Address: address, Size: length }));
  view.write({ NumBlocksUsed: used + 1, DataSize: Number(dataSize + length) });
  return STATUS_SUCCESS;
}

/**
 * KbCallbackTriageDumpData: every record is called once (BUGCHECK_ACTIVE,
 * MaxVirtMemSize = the whole budget for each record, as ntoskrnl offers it,
 * or with `triage.budget: 'shared'` what the records before it left); the
 * ranges of the array it returns in DataArray are checked and appended to
 * `into` (the plan's triageRanges).
 */
export function triagePass(run: BugCheckRun, into: { address: bigint; size: number }[]): void {
  const { settings } = run.k;
  const view = new StructView(privilegedAccessor(run.k.mem), KBUGCHECK_TRIAGE_DUMP_DATA, run.k.reasonData);
  const budget = { left: settings.triage.maxVirtMemSize };
  const [p1, p2, p3, p4] = run.bugCheck.parameters;
  const entries = run.snapshot('reason', [KbCallbackReason.KbCallbackTriageDumpData]);
  run.guarded('reason', entries, function* (from, at) {
    for (let i = from; i < entries.length; i++) {
      at.index = i;
      if (settings.triage.budget === 'per-callback') budget.left = settings.triage.maxVirtMemSize;
      view.assign({
        DataArray: 0n,
        Flags: KB_TRIAGE_DUMP_DATA_FLAG_BUGCHECK_ACTIVE,
        MaxVirtMemSize: budget.left,
        BugCheckCode: run.bugCheck.code >>> 0,
        BugCheckParameter1: p1,
        BugCheckParameter2: p2,
        BugCheckParameter3: p3,
        BugCheckParameter4: p4,
      });
      const done = run.callReason(entries[i]!, KBUGCHECK_TRIAGE_DUMP_DATA.size);
      if (done && done.outcome !== 'incomplete') takeArray(run, done.report, view.get('DataArray'), budget, into);
      yield undefined;
    }
  });
}

/** The ranges of the KTRIAGE_DUMP_DATA_ARRAY a callback returned, within `budget` (bytes left, updated). */
function takeArray(
  run: BugCheckRun,
  report: CallbackReport,
  array: bigint,
  budget: { left: number },
  into: { address: bigint; size: number }[],
): void {
  const { mem, settings } = run.k;
  if (array === 0n) return;
  if (report.componentAddress === 0n) {
    run.violation(
      report,
      'missing-component',
      'triage ranges ignored: the record was registered without a component name',
    );
    return;
  }
  const residency = mem.residency(array, HEADER);
  if (residency !== 'resident') {
    run.violation(
      report,
      residency === 'pageable' ? 'paged-memory' : 'invalid-buffer',
      `DataArray ${hex(array)} is ${residency}; ignored`,
      array,
    );
    return;
  }
  const header = arrayView(mem, array).read();
  let used = header.NumBlocksUsed;
  if (used > header.NumBlocksTotal) {
    run.violation(
      report,
      'invalid-buffer',
      `DataArray NumBlocksUsed ${used} > NumBlocksTotal ${header.NumBlocksTotal}; only NumBlocksTotal read`,
      array,
    );
    used = header.NumBlocksTotal;
  }
  if (used > settings.triage.maxBlocksPerArray) {
    run.violation(
      report,
      'limit',
      `DataArray holds ${used} blocks; only the first ${settings.triage.maxBlocksPerArray} read`,
      array,
    );
    used = settings.triage.maxBlocksPerArray;
  }
  const blocks = array + BigInt(HEADER);
  if (used > 0 && !mem.isResident(blocks, used * BLOCK)) {
    run.violation(
      report,
      'invalid-buffer',
      `DataArray blocks at ${hex(blocks)} (${used} × 16 bytes) are not resident; ignored`,
      blocks,
    );
    return;
  }
  for (let i = 0; i < used; i++) {
    const b = KADDRESS_RANGE.decode(mem.read(blocks + BigInt(i * BLOCK), BLOCK));
    if (b.Size === 0n) continue;
    if (b.Address + b.Size > ADDRESS_LIMIT) {
      run.violation(
        report,
        'invalid-address',
        `range ${hex(b.Address)} + ${hex(b.Size)} wraps past the top of the address space; ignored`,
        b.Address,
      );
      continue;
    }
    if (b.Size > BigInt(budget.left)) {
      run.violation(
        report,
        'limit',
        `range ${hex(b.Address)} + ${hex(b.Size)} exceeds the ${budget.left} bytes left of MaxVirtMemSize; ${budget.left === 0 ? 'ignored' : 'truncated'} and no further ranges taken`,
        b.Address,
      );
      if (budget.left > 0 && takeRange(run, report, b.Address, budget.left, into)) budget.left = 0;
      break;
    }
    if (takeRange(run, report, b.Address, Number(b.Size), into)) budget.left -= Number(b.Size);
  }
}

function takeRange(
  run: BugCheckRun,
  report: CallbackReport,
  address: bigint,
  size: number,
  into: { address: bigint; size: number }[],
): boolean {
  const residency = run.k.mem.residency(address, size);
  if (residency !== 'resident') {
    run.violation(
      report,
      residency === 'pageable' ? 'paged-memory' : 'invalid-address',
      `triage range ${hex(address)} + ${hex(size)} is ${residency}; ignored`,
      address,
    );
    return false;
  }
  into.push({ address, size });
  report.contribution.triageRanges = added(report.contribution.triageRanges, { address, size });
  return true;
}
