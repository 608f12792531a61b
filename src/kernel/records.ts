import { KBUGCHECK_CALLBACK_RECORD, KBUGCHECK_REASON_CALLBACK_RECORD } from '../format/index.js';
import type { KernelMemory } from './memory.js';

export type RecordKind = 'reason' | 'legacy';

/** The fields of either record type that the kernel reads back at bug check time. */
export interface RecordFields {
  routine: bigint;
  component: bigint;
  checksum: bigint;
  state: number;
  /** KBUGCHECK_REASON_CALLBACK_RECORD.Reason; null for a legacy record. */
  reason: number | null;
  /** Legacy only (0 for reason records). */
  buffer: bigint;
  length: number;
}

const R = KBUGCHECK_REASON_CALLBACK_RECORD.offsets;
const L = KBUGCHECK_CALLBACK_RECORD.offsets;

export function recordSize(kind: RecordKind): number {
  return kind === 'reason' ? KBUGCHECK_REASON_CALLBACK_RECORD.size : KBUGCHECK_CALLBACK_RECORD.size;
}

export function stateOffset(kind: RecordKind): bigint {
  return BigInt(kind === 'reason' ? R.State : L.State);
}

export function readRecord(mem: KernelMemory, kind: RecordKind, record: bigint): RecordFields {
  if (kind === 'reason') {
    const f = KBUGCHECK_REASON_CALLBACK_RECORD.decode(mem.read(record, KBUGCHECK_REASON_CALLBACK_RECORD.size));
    return { routine: f.CallbackRoutine, component: f.Component, checksum: f.Checksum, state: f.State, reason: f.Reason, buffer: 0n, length: 0 };
  }
  const f = KBUGCHECK_CALLBACK_RECORD.decode(mem.read(record, KBUGCHECK_CALLBACK_RECORD.size));
  return { routine: f.CallbackRoutine, component: f.Component, checksum: f.Checksum, state: f.State, reason: null, buffer: f.Buffer, length: f.Length };
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
export function recordChecksum(kind: RecordKind, f: Pick<RecordFields, 'routine' | 'component' | 'reason' | 'buffer' | 'length'>): bigint {
  const sum =
    kind === 'reason'
      ? f.routine + BigInt(f.reason ?? 0) + f.component
      : f.routine + f.buffer + BigInt(f.length >>> 0) + f.component;
  return BigInt.asUintN(64, sum);
}

export function writeReasonRecord(mem: KernelMemory, record: bigint, routine: bigint, reason: number, component: bigint): void {
  mem.writeU64(record + BigInt(R.CallbackRoutine), routine);
  mem.writeU64(record + BigInt(R.Component), component);
  mem.writeU32(record + BigInt(R.Reason), reason);
  mem.writeU64(record + BigInt(R.Checksum), recordChecksum('reason', { routine, component, reason, buffer: 0n, length: 0 }));
}

export function writeLegacyRecord(mem: KernelMemory, record: bigint, routine: bigint, buffer: bigint, length: number, component: bigint): void {
  mem.writeU64(record + BigInt(L.CallbackRoutine), routine);
  mem.writeU64(record + BigInt(L.Buffer), buffer);
  mem.writeU32(record + BigInt(L.Length), length);
  mem.writeU64(record + BigInt(L.Component), component);
  mem.writeU64(record + BigInt(L.Checksum), recordChecksum('legacy', { routine, component, reason: null, buffer, length }));
}
