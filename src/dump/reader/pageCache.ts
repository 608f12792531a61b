/** Bytes of one cached page. */
export const PAGE_BYTES = 0x1000;
/** Pages per slab: the arena grows a slab (1 MiB) at a time, so a cache that is barely used stays small. */
const SLAB_PAGES = 256;
const SLAB_SHIFT = 8;

/**
 * A bounded cache of 4 KiB pages keyed by a number (a PFN, a bitmap page),
 * stored in slabs of one arena: a hit is a Map lookup, a miss reuses a slot,
 * and nothing is allocated per page. Eviction is CLOCK (second chance), an
 * LRU approximation without reordering on every hit.
 *
 * Callers read a page as `slab(slot)` at byte `offset(slot)`, or through
 * `view(slot)` for little-endian words.
 */
export class PageCache {
  private readonly slots = new Map<number, number>();
  private keys: Float64Array;
  private referenced: Uint8Array;
  private readonly slabs: Uint8Array[] = [];
  private readonly views: DataView[] = [];
  private used = 0;
  private hand = 0;
  hits = 0;
  misses = 0;

  constructor(readonly capacity: number) {
    this.keys = new Float64Array(0);
    this.referenced = new Uint8Array(0);
  }

  /** The slot holding `key`, or -1. */
  lookup(key: number): number {
    const slot = this.slots.get(key);
    if (slot === undefined) {
      this.misses++;
      return -1;
    }
    this.hits++;
    this.referenced[slot] = 1;
    return slot;
  }

  /**
   * The slot holding `key`, or -1 without counting a miss (a caller that
   * falls back to a path which looks the key up again counts it there).
   */
  find(key: number): number {
    const slot = this.slots.get(key);
    if (slot === undefined) return -1;
    this.hits++;
    this.referenced[slot] = 1;
    return slot;
  }

  /** The key `slot` holds now (NaN for an empty slot): lets a caller check a slot it remembered. */
  keyAt(slot: number): number {
    return this.keys[slot]!;
  }

  /** True when `key` is cached, without counting a hit or a miss. */
  has(key: number): boolean {
    return this.slots.has(key);
  }

  /**
   * A slot for `key`, which the caller fills with the page's 4096 bytes
   * before anything else uses the cache; -1 when the capacity is 0.
   */
  claim(key: number): number {
    if (this.capacity <= 0) return -1;
    const existing = this.slots.get(key);
    if (existing !== undefined) return existing;
    let slot: number;
    if (this.used < this.capacity) {
      slot = this.used++;
      this.grow(slot);
    } else {
      // Second chance: clear referenced slots until one was not used since the last sweep.
      while (this.referenced[this.hand] === 1) {
        this.referenced[this.hand] = 0;
        this.hand = (this.hand + 1) % this.capacity;
      }
      slot = this.hand;
      this.hand = (this.hand + 1) % this.capacity;
      this.slots.delete(this.keys[slot]!);
    }
    this.keys[slot] = key;
    this.referenced[slot] = 1;
    this.slots.set(key, slot);
    return slot;
  }

  /** Stores a copy of `page` (4096 bytes) under `key`; returns the slot or -1. */
  store(key: number, page: Uint8Array): number {
    const slot = this.claim(key);
    if (slot >= 0) this.slab(slot).set(page.subarray(0, PAGE_BYTES), this.offset(slot));
    return slot;
  }

  /** Forgets `key` (a fill that failed). */
  drop(key: number): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    this.slots.delete(key);
    this.referenced[slot] = 0;
    this.keys[slot] = Number.NaN;
  }

  slab(slot: number): Uint8Array {
    return this.slabs[slot >>> SLAB_SHIFT]!;
  }

  view(slot: number): DataView {
    return this.views[slot >>> SLAB_SHIFT]!;
  }

  offset(slot: number): number {
    return (slot & (SLAB_PAGES - 1)) * PAGE_BYTES;
  }

  private grow(slot: number): void {
    if (slot >= this.keys.length) {
      const n = Math.min(this.capacity, Math.max(SLAB_PAGES, this.keys.length * 2));
      const keys = new Float64Array(n);
      keys.set(this.keys);
      const referenced = new Uint8Array(n);
      referenced.set(this.referenced);
      this.keys = keys;
      this.referenced = referenced;
    }
    const slab = slot >>> SLAB_SHIFT;
    if (slab >= this.slabs.length) {
      const pages = Math.min(SLAB_PAGES, this.capacity - slab * SLAB_PAGES);
      const bytes = new Uint8Array(pages * PAGE_BYTES);
      this.slabs.push(bytes);
      this.views.push(new DataView(bytes.buffer));
    }
  }

  /** Pages held. */
  get size(): number {
    return this.slots.size;
  }

  /** Bytes of page storage allocated so far. */
  get memoryBytes(): number {
    return this.slabs.reduce((n, s) => n + s.length, 0);
  }

  clear(): void {
    this.slots.clear();
    this.slabs.length = 0;
    this.views.length = 0;
    this.keys = new Float64Array(0);
    this.referenced = new Uint8Array(0);
    this.used = 0;
    this.hand = 0;
  }
}
