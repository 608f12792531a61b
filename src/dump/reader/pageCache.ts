/**
 * A bounded least-recently-used cache of file pages, keyed by file offset.
 * Map keeps insertion order, so re-inserting on a hit makes the first key the
 * least recently used one.
 */
export class PageCache {
  private readonly pages = new Map<bigint, Uint8Array>();
  hits = 0;
  misses = 0;

  constructor(readonly capacity: number) {}

  get(key: bigint): Uint8Array | undefined {
    const page = this.pages.get(key);
    if (page === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.pages.delete(key);
    this.pages.set(key, page);
    return page;
  }

  set(key: bigint, page: Uint8Array): void {
    if (this.capacity <= 0) return;
    this.pages.delete(key);
    this.pages.set(key, page);
    while (this.pages.size > this.capacity) {
      const oldest = this.pages.keys().next().value as bigint;
      this.pages.delete(oldest);
    }
  }

  get size(): number {
    return this.pages.size;
  }

  clear(): void {
    this.pages.clear();
  }
}
