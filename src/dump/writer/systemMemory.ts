import { isCanonical } from '../../format/index.js';
import type { Machine } from '../../machine/index.js';

const PAGE = 0x1000n;

/** A half-open VA interval [start, end). */
export interface VaSegment {
  start: bigint;
  end: bigint;
}

/**
 * Reads the system address space the way the crash-dump stack does: by
 * walking the page tables itself. It never goes through Machine.readVirtual,
 * so the HIGH_LEVEL guard the kernel installs for callbacks does not apply
 * and a hole is an answer ("unreadable"), not a PageFault.
 */
export class SystemMemoryReader {
  constructor(private readonly machine: Machine) {}

  /** Physical address of `va`, or undefined when it is not mapped to backed RAM. */
  translate(va: bigint): bigint | undefined {
    if (va < 0n || va > 0xffff_ffff_ffff_ffffn || !isCanonical(va)) return undefined;
    const t = this.machine.kernelSpace.translate(va);
    if (t === undefined) return undefined;
    if (!this.machine.physical.isBacked(t.pa >> 12n)) return undefined;
    return t.pa;
  }

  isReadable(va: bigint): boolean {
    return this.translate(va) !== undefined;
  }

  /**
   * The readable parts of [va, va + size), page by page, merged; the
   * complement inside the range is what cannot be read.
   */
  readableSegments(va: bigint, size: bigint): VaSegment[] {
    const out: VaSegment[] = [];
    const end = va + size;
    let cursor = va;
    while (cursor < end) {
      const pageEnd = (cursor & ~(PAGE - 1n)) + PAGE;
      const stop = pageEnd < end ? pageEnd : end;
      if (this.isReadable(cursor)) {
        const last = out[out.length - 1];
        if (last !== undefined && last.end === cursor) last.end = stop;
        else out.push({ start: cursor, end: stop });
      }
      cursor = stop;
    }
    return out;
  }

  /** Length of the readable prefix of [va, va + size). */
  readablePrefix(va: bigint, size: number): number {
    const first = this.readableSegments(va, BigInt(size))[0];
    return first !== undefined && first.start === va ? Number(first.end - first.start) : 0;
  }

  /**
   * Copies [va, va + length) into `target` at `targetOffset`; unreadable
   * bytes are left as they are in `target`. Returns how many bytes were read.
   */
  readInto(va: bigint, length: number, target: Uint8Array, targetOffset = 0): number {
    let done = 0;
    let read = 0;
    while (done < length) {
      const cursor = va + BigInt(done);
      const inPage = Number(PAGE - (cursor & (PAGE - 1n)));
      const n = Math.min(inPage, length - done);
      const pa = this.translate(cursor);
      if (pa !== undefined) {
        target.set(this.machine.physical.read(pa, n), targetOffset + done);
        read += n;
      }
      done += n;
    }
    return read;
  }

  /** [va, va + length) as bytes (zeros where unreadable). */
  read(va: bigint, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.readInto(va, length, out);
    return out;
  }

  /** A u64 at `va`, or undefined if any of its bytes cannot be read. */
  readU64(va: bigint): bigint | undefined {
    if (this.readablePrefix(va, 8) < 8) return undefined;
    const b = this.read(va, 8);
    return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
  }

  /** A NUL-terminated ANSI string's length including the NUL, bounded by `max`; undefined if unreadable. */
  ansiStringSize(va: bigint, max: number): number | undefined {
    const prefix = this.readablePrefix(va, max);
    if (prefix === 0) return undefined;
    const bytes = this.read(va, prefix);
    const nul = bytes.indexOf(0);
    return nul < 0 ? prefix : nul + 1;
  }
}
