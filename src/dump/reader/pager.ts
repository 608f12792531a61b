import type { DumpFile } from './dumpFile.js';
import { PAGE_BYTES, type PageCache } from './pageCache.js';

/**
 * Thrown by the reader's synchronous core when it needs a page that is not
 * cached and the source has no synchronous reads (a Blob). The async caller
 * awaits `fetch()`, which puts the page in its cache, and runs the step
 * again. On file and memory sources it never happens.
 */
export class PendingRead {
  constructor(private readonly load: () => Promise<void>) {}

  fetch(): Promise<void> {
    return this.load();
  }
}

/**
 * Runs `step` until it completes, fetching whatever it was missing in
 * between. Each fetch caches one more page and the caches the core uses hold
 * far more pages than one step needs, so this ends; the bound is a guard.
 */
export async function untilDone<T>(step: () => T): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return step();
    } catch (e) {
      if (!(e instanceof PendingRead) || attempt >= MAX_FETCHES_PER_STEP) throw e;
      await e.fetch();
    }
  }
}

const MAX_FETCHES_PER_STEP = 64;

/** Loads 4 KiB pieces of the file into a PageCache: synchronously where the source allows, else by PendingRead. */
export class PageLoader {
  constructor(
    readonly file: DumpFile,
    readonly cache: PageCache,
    private readonly what: string,
  ) {
    if (cache.capacity < 1) throw new RangeError('PageLoader needs a cache of at least one page');
  }

  /** The slot of `key`, whose `length` (≤ 4096) bytes start at file `position`; loaded if absent. */
  slot(key: number, position: number, length = PAGE_BYTES): number {
    const hit = this.cache.lookup(key);
    return hit >= 0 ? hit : this.load(key, position, length);
  }

  /** Loads `key` (known to be absent); the bytes past `length` read as zero. */
  load(key: number, position: number, length = PAGE_BYTES): number {
    const cache = this.cache;
    if (this.file.canReadSync) {
      const slot = cache.claim(key);
      const slab = cache.slab(slot);
      const at = cache.offset(slot);
      try {
        this.file.fillSync(slab, at, length, position, this.what);
      } catch (e) {
        cache.drop(key);
        throw e;
      }
      if (length < PAGE_BYTES) slab.fill(0, at + length, at + PAGE_BYTES);
      return slot;
    }
    // Filled aside and stored only once complete: another read may use the cache while this one waits.
    throw new PendingRead(async () => {
      const page = new Uint8Array(PAGE_BYTES);
      await this.file.fillAsync(page, 0, length, position, this.what);
      cache.store(key, page);
    });
  }
}
