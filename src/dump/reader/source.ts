/**
 * Where a dump's bytes come from. The reader needs only a size and positional
 * reads into buffers it owns, so the same reader serves a file (Node), a
 * `Blob`/`File` (a browser) or bytes already in memory. Nothing here uses a
 * Node module: the file source lives in fileSource.ts.
 */
export interface DumpSource {
  /** Bytes in the source; fixed while it is open. */
  readonly size: number;
  /** Names the source in messages: a path, a file name. */
  readonly name: string;
  /**
   * Reads up to `length` bytes at `position` into `target[offset…]` and
   * resolves to how many were read (fewer only at the end of the source).
   */
  read(target: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /** The same, synchronously: sources that have it (files, memory) are read without a promise per read. */
  readSync?(target: Uint8Array, offset: number, length: number, position: number): number;
  /** Releases the source (a file handle); called once by CrashDump.close(). */
  close?(): Promise<void> | void;
}

/** A dump held in memory (a fetched file, a test fixture). The bytes are not copied. */
export class BytesDumpSource implements DumpSource {
  readonly size: number;

  constructor(
    private readonly bytes: Uint8Array,
    readonly name = 'memory',
  ) {
    this.size = bytes.length;
  }

  readSync(target: Uint8Array, offset: number, length: number, position: number): number {
    const n = Math.max(0, Math.min(length, this.size - position));
    target.set(this.bytes.subarray(position, position + n), offset);
    return n;
  }

  read(target: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return Promise.resolve(this.readSync(target, offset, length, position));
  }
}

/**
 * A `Blob` or `File` (what a browser's file picker or drop gives): every read
 * is a slice of it, so a dump of any size is read in place, never whole.
 */
export class BlobDumpSource implements DumpSource {
  readonly size: number;
  readonly name: string;

  constructor(
    private readonly blob: Blob,
    name?: string,
  ) {
    this.size = blob.size;
    this.name = name ?? fileName(blob) ?? 'blob';
  }

  async read(target: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    const end = Math.min(this.size, position + length);
    if (end <= position) return 0;
    const bytes = new Uint8Array(await this.blob.slice(position, end).arrayBuffer());
    target.set(bytes, offset);
    return bytes.length;
  }
}

function fileName(blob: Blob): string | undefined {
  const name = (blob as { name?: unknown }).name;
  return typeof name === 'string' && name.length > 0 ? name : undefined;
}
