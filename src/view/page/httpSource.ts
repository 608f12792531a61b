import type { DumpSource } from '../../dump/reader/index.js';

const BLOCK = 64 * 1024;
const MAX_BLOCKS = 256;

/**
 * A dump served by `bugcheck view`'s loopback server, read with HTTP Range
 * requests in 64 KiB blocks (the last 256 kept): the reader's many small
 * positional reads become few requests, and the file is never fetched whole.
 */
export class HttpRangeDumpSource implements DumpSource {
  private readonly blocks = new Map<number, Promise<Uint8Array>>();

  constructor(
    private readonly url: string,
    readonly name: string,
    readonly size: number,
  ) {}

  private block(index: number): Promise<Uint8Array> {
    let hit = this.blocks.get(index);
    if (hit !== undefined) {
      this.blocks.delete(index);
      this.blocks.set(index, hit);
      return hit;
    }
    const start = index * BLOCK;
    const end = Math.min(this.size, start + BLOCK) - 1;
    hit = fetch(this.url, { headers: { Range: `bytes=${start}-${end}` } }).then(async (response) => {
      if (response.status !== 206 && response.status !== 200)
        throw new Error(`reading ${this.name} at ${start}: HTTP ${response.status}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      return response.status === 200 ? bytes.subarray(start, end + 1) : bytes;
    });
    hit.catch(() => this.blocks.delete(index));
    this.blocks.set(index, hit);
    if (this.blocks.size > MAX_BLOCKS) this.blocks.delete(this.blocks.keys().next().value as number);
    return hit;
  }

  async read(target: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    const end = Math.min(this.size, position + length);
    let at = position;
    while (at < end) {
      const index = Math.floor(at / BLOCK);
      const bytes = await this.block(index);
      const from = at - index * BLOCK;
      const n = Math.min(end - at, bytes.length - from);
      if (n <= 0) break;
      target.set(bytes.subarray(from, from + n), offset + (at - position));
      at += n;
    }
    return at - position;
  }
}
