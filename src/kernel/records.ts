import { KBUGCHECK_CALLBACK_RECORD, KBUGCHECK_REASON_CALLBACK_RECORD } from '../format/index.js';
import type { KernelMemory } from './memory.js';

export type RecordKind = 'reason' | 'legacy';

/** The fields of either record type that the kernel reads back at bug check time. */
export interface RecordFields {
  routine: bigint;
  component: bigint;
  state: number;
  /** KBUGCHECK_REASON_CALLBACK_RECORD.Reason; null for a legacy record. */
  reason: number | null;
  /** Legacy only (0 for reason records). */
  buffer: bigint;
  length: number;
}

/**
 * What the bug check's record check reads besides the fields and keeps no longer than the check: the
 * stored Checksum and Entry.Flink / Entry.Blink (read with the rest of the record). Not part of
 * RecordFields, which a bug check keeps for every record it met.
 */
export interface RecordLinks {
  checksum: bigint;
  flink: bigint;
  blink: bigint;
  /** Flink's low and high 32 bits as numbers (a walk makes the next record's page and offset from them, no bigint). */
  flinkLow: number;
  flinkHigh: number;
}

const R = KBUGCHECK_REASON_CALLBACK_RECORD.offsets;
const L = KBUGCHECK_CALLBACK_RECORD.offsets;
const REASON_OFFSET = BigInt(R.Reason);

export function recordSize(kind: RecordKind): number {
  return kind === 'reason' ? KBUGCHECK_REASON_CALLBACK_RECORD.size : KBUGCHECK_CALLBACK_RECORD.size;
}

const REASON_STATE = BigInt(R.State);
const LEGACY_STATE = BigInt(L.State);

export function stateOffset(kind: RecordKind): bigint {
  return kind === 'reason' ? REASON_STATE : LEGACY_STATE;
}

// One reusable buffer per record type: a record is read as one access of its whole size, then decoded field by field.
const reasonScratch = new Uint8Array(KBUGCHECK_REASON_CALLBACK_RECORD.size);
const reasonView = new DataView(reasonScratch.buffer);
const legacyScratch = new Uint8Array(KBUGCHECK_CALLBACK_RECORD.size);
const legacyView = new DataView(legacyScratch.buffer);

/** The record's fields from one access of its whole size; `links`, when given, gets its Checksum and links. */
export function readRecord(mem: KernelMemory, kind: RecordKind, record: bigint, links?: RecordLinks): RecordFields {
  return readRecordInto(
    mem,
    kind,
    record,
    { routine: 0n, component: 0n, state: 0, reason: null, buffer: 0n, length: 0 },
    links,
  );
}

/** readRecord into an object the caller has (a bug check's walked entry holds its record's fields itself). */
export function readRecordInto<T extends RecordFields>(
  mem: KernelMemory,
  kind: RecordKind,
  record: bigint,
  into: T,
  links?: RecordLinks,
): T {
  if (kind === 'reason') {
    mem.readInto(record, reasonScratch);
    const v = reasonView;
    if (links) readLinks(v, R.Checksum, links);
    into.routine = v.getBigUint64(R.CallbackRoutine, true);
    into.component = v.getBigUint64(R.Component, true);
    into.state = v.getUint8(R.State);
    into.reason = v.getInt32(R.Reason, true);
    into.buffer = 0n;
    into.length = 0;
    return into;
  }
  mem.readInto(record, legacyScratch);
  const v = legacyView;
  if (links) readLinks(v, L.Checksum, links);
  into.routine = v.getBigUint64(L.CallbackRoutine, true);
  into.component = v.getBigUint64(L.Component, true);
  into.state = v.getUint8(L.State);
  into.reason = null;
  into.buffer = v.getBigUint64(L.Buffer, true);
  into.length = v.getUint32(L.Length, true);
  return into;
}

function readLinks(v: DataView, checksumOffset: number, links: RecordLinks): void {
  links.checksum = v.getBigUint64(checksumOffset, true);
  links.flink = v.getBigUint64(0, true);
  links.blink = v.getBigUint64(8, true);
  links.flinkLow = v.getUint32(0, true);
  links.flinkHigh = v.getUint32(4, true);
}

/** KBUGCHECK_REASON_CALLBACK_RECORD.Reason alone (one 4-byte access). */
export function readReason(mem: KernelMemory, record: bigint): number {
  return mem.readU32(record + REASON_OFFSET) | 0;
}

export function readState(mem: KernelMemory, kind: RecordKind, record: bigint): number {
  return mem.readU8(record + stateOffset(kind));
}

export function writeState(mem: KernelMemory, kind: RecordKind, record: bigint, state: number): void {
  mem.writeU8(record + stateOffset(kind), state);
}

/**
 * The record checksum (docs/model.md, "Record checksum"): a pointer-sized
 * wrap-around sum of the fields registration filled in. For legacy records
 * this is the sum ReactOS's dispatcher verifies (CallbackRoutine + Buffer +
 * Length + Component); reason records use the same idea over their own fields
 * (CallbackRoutine + Reason + Component), since no public source gives one.
 */
export function recordChecksum(
  kind: RecordKind,
  f: Pick<RecordFields, 'routine' | 'component' | 'reason' | 'buffer' | 'length'>,
): bigint {
  const sum =
    kind === 'reason'
      ? f.routine + BigInt(f.reason ?? 0) + f.component
      : f.routine + f.buffer + BigInt(f.length >>> 0) + f.component;
  return BigInt.asUintN(64, sum);
}

export function writeReasonRecord(
  mem: KernelMemory,
  record: bigint,
  routine: bigint,
  reason: number,
  component: bigint,
): void {
  mem.writeU64(record + BigInt(R.CallbackRoutine), routine);
  mem.writeU64(record + BigInt(R.Component), component);
  mem.writeU32(record + BigInt(R.Reason), reason);
  mem.writeU64(
    record + BigInt(R.Checksum),
    recordChecksum('reason', { routine, component, reason, buffer: 0n, length: 0 }),
  );
}

export function writeLegacyRecord(
  mem: KernelMemory,
  record: bigint,
  routine: bigint,
  buffer: bigint,
  length: number,
  component: bigint,
): void {
  mem.writeU64(record + BigInt(L.CallbackRoutine), routine);
  mem.writeU64(record + BigInt(L.Buffer), buffer);
  mem.writeU32(record + BigInt(L.Length), length);
  mem.writeU64(record + BigInt(L.Component), component);
  mem.writeU64(
    record + BigInt(L.Checksum),
    recordChecksum('legacy', { routine, component, reason: null, buffer, length }),
  );
}
