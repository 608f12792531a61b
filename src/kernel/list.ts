import type { KernelMemory } from './memory.js';

/**
 * Doubly linked LIST_ENTRY lists kept in simulated memory (Flink at +0,
 * Blink at +8), so a dump reader can walk them the way the debugger does.
 */
const FLINK = 0n;
const BLINK = 8n;
const LIST_ENTRY_SIZE = 16;

export function initializeListHead(mem: KernelMemory, head: bigint): void {
  mem.writeU64(head + FLINK, head);
  mem.writeU64(head + BLINK, head);
}

/** A head that was never initialised (both links zero) becomes an empty list. */
export function ensureListHead(mem: KernelMemory, head: bigint): void {
  if (mem.readU64(head + FLINK) === 0n && mem.readU64(head + BLINK) === 0n) initializeListHead(mem, head);
}

export function insertTailList(mem: KernelMemory, head: bigint, entry: bigint): void {
  const last = mem.readU64(head + BLINK);
  mem.writeU64(entry + FLINK, head);
  mem.writeU64(entry + BLINK, last);
  mem.writeU64(last + FLINK, entry);
  mem.writeU64(head + BLINK, entry);
}

export function insertHeadList(mem: KernelMemory, head: bigint, entry: bigint): void {
  const first = mem.readU64(head + FLINK);
  mem.writeU64(entry + FLINK, first);
  mem.writeU64(entry + BLINK, head);
  mem.writeU64(first + BLINK, entry);
  mem.writeU64(head + FLINK, entry);
}

/** Both neighbours point back at the entry (what a checked RemoveEntryList verifies). */
export function entryLinksConsistent(mem: KernelMemory, entry: bigint): boolean {
  if (!mem.isResident(entry, LIST_ENTRY_SIZE)) return false;
  const flink = mem.readU64(entry + FLINK);
  const blink = mem.readU64(entry + BLINK);
  if (!mem.isResident(flink, LIST_ENTRY_SIZE) || !mem.isResident(blink, LIST_ENTRY_SIZE)) return false;
  return mem.readU64(flink + BLINK) === entry && mem.readU64(blink + FLINK) === entry;
}

/**
 * The entry's own links are sound as seen by a forward walk: its predecessor
 * still points at it (it is on the list) and its Flink leads somewhere
 * readable. A broken link between two entries is charged to the one the walk
 * reaches second, since the walk trusted the Flink that led to it.
 */
export function ownLinksSound(mem: KernelMemory, entry: bigint): boolean {
  if (!mem.isResident(entry, LIST_ENTRY_SIZE)) return false;
  return linksSound(mem, entry, mem.readU64(entry + FLINK), mem.readU64(entry + BLINK));
}

/** ownLinksSound for an entry whose Flink/Blink the caller has just read (with the rest of its record). */
export function linksSound(mem: KernelMemory, entry: bigint, flink: bigint, blink: bigint): boolean {
  return (
    mem.isResident(blink, LIST_ENTRY_SIZE) &&
    mem.readU64(blink + FLINK) === entry &&
    mem.isResident(flink, LIST_ENTRY_SIZE)
  );
}

/**
 * Unlinks `entry` after checking its neighbours point back at it; on a
 * corrupt list it changes nothing and returns false. The entry's own links
 * are left as they were, as RemoveEntryList does.
 */
export function removeEntryList(mem: KernelMemory, entry: bigint): boolean {
  if (!entryLinksConsistent(mem, entry)) return false;
  const flink = mem.readU64(entry + FLINK);
  const blink = mem.readU64(entry + BLINK);
  mem.writeU64(blink + FLINK, flink);
  mem.writeU64(flink + BLINK, blink);
  return true;
}

export interface WalkedEntry {
  address: bigint;
  /** Blink of this entry points at the entry visited before it. */
  blinkOk: boolean;
}

export interface ListWalk {
  entries: WalkedEntry[];
  /** Why the walk stopped before getting back to the head, if it did. */
  stopped: { reason: 'cycle' | 'bound' | 'unreadable' | 'head-unreadable'; at: bigint } | null;
}

/**
 * Bounded, cycle-safe forward walk. An entry whose Blink is wrong is still
 * returned (flagged) and the walk goes on through its Flink; an entry that
 * cannot be read, a cycle that does not pass the head, or more than
 * `maxEntries` entries end the walk.
 */
export function walkList(
  mem: KernelMemory,
  head: bigint,
  maxEntries: number,
  make: (address: bigint, blinkOk: boolean) => WalkedEntry = plainEntry,
): ListWalk {
  const entries: WalkedEntry[] = [];
  if (mem.residency(head, LIST_ENTRY_SIZE) === 'not-mapped')
    return { entries, stopped: { reason: 'head-unreadable', at: head } };
  let prev = head;
  let cur = mem.readU64(head + FLINK);
  while (cur !== head) {
    // No set of visited entries on the way: a cycle that misses the head runs into the bound, and only
    // then are the entries searched for the first one met twice (where a walk that kept the set stops).
    if (entries.length >= maxEntries) return firstRepeat(entries) ?? { entries, stopped: { reason: 'bound', at: cur } };
    if (mem.residency(cur, LIST_ENTRY_SIZE) === 'not-mapped')
      return { entries, stopped: { reason: 'unreadable', at: cur } };
    entries.push(make(cur, mem.readU64(cur + BLINK) === prev));
    prev = cur;
    cur = mem.readU64(cur); // Flink is at +0
  }
  return { entries, stopped: null };
}

function plainEntry(address: bigint, blinkOk: boolean): WalkedEntry {
  return { address, blinkOk };
}

/** The walk cut at the first entry met a second time, if any (a cycle that does not pass the head). */
export function firstRepeat(entries: WalkedEntry[]): ListWalk | null {
  const seen = new Set<bigint>();
  for (let i = 0; i < entries.length; i++) {
    const at = entries[i]!.address;
    if (seen.has(at)) return { entries: entries.slice(0, i), stopped: { reason: 'cycle', at } };
    seen.add(at);
  }
  return null;
}
