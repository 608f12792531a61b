/**
 * Where DbgPrint output goes: one list per machine, in the order it was
 * printed (what a kernel debugger's output window shows). `recordDbgPrint`
 * is the single sink every caller uses, so it can be pointed at a
 * machine-level DbgPrint buffer without touching the services.
 */
import type { Machine } from '../../machine/index.js';

export interface DbgPrintEntry {
  /** The driver that printed (image name). */
  driver: string;
  text: string;
  /** DbgPrintEx's ComponentId and Level (absent for DbgPrint). */
  componentId?: number;
  level?: number;
  /** IRQL of the processor when it printed. */
  irql: number;
  /** Printed from inside a bug check callback. */
  duringBugCheck: boolean;
}

const logs = new WeakMap<Machine, DbgPrintEntry[]>();

/** A machine that keeps the kernel's DbgPrint circular buffer (what `!dbgprint` reads), where it has one. */
interface DbgPrintMachine {
  dbgPrint?: (text: string) => number;
}

/**
 * The one sink of debug output: kept per machine for `run` and its JSON, and
 * appended to the machine's DbgPrint buffer when the machine has one, so the
 * dump shows it too.
 */
export function recordDbgPrint(machine: Machine, entry: DbgPrintEntry): void {
  let log = logs.get(machine);
  if (!log) {
    log = [];
    logs.set(machine, log);
  }
  log.push(entry);
  const withBuffer = machine as unknown as DbgPrintMachine;
  if (typeof withBuffer.dbgPrint === 'function') withBuffer.dbgPrint(entry.text);
}

/** Everything printed on `machine` so far. */
export function dbgPrintOutput(machine: Machine): readonly DbgPrintEntry[] {
  return logs.get(machine) ?? [];
}

export const DPFLTR_ERROR_LEVEL = 0;
export const DPFLTR_MASK = 0x80000000;

/**
 * Windows' default filter for DbgPrintEx: a Level of 0..31 is a bit number,
 * anything larger a mask; the default mask of every component (and the
 * system-wide WIN2000 mask) is DPFLTR_ERROR_LEVEL only. 'all' shows every level.
 */
export function dbgPrintExShown(level: number, filter: 'windows' | 'all'): boolean {
  if (filter === 'all') return true;
  const mask = level > 31 ? level & ~DPFLTR_MASK : 1 << level;
  return (mask & (1 << DPFLTR_ERROR_LEVEL)) !== 0;
}
