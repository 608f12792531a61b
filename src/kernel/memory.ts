import { PAGE_SIZE } from '../format/index.js';
import type { Machine } from '../machine/index.js';

export type Residency = 'resident' | 'pageable' | 'not-mapped';

/** Shared source of zeros for zero(); never written. */
const ZEROS = new Uint8Array(0x10000);

/**
 * The kernel's own accesses to simulated memory. While a callback runs the
 * HIGH_LEVEL guard is installed on the machine; accesses made here are the
 * kernel's (walking the list, filling the reason structure, reading a buffer
 * it was handed) and must not be charged to the callback, so they run with
 * `privileged` raised.
 */
export class KernelMemory {
  private depth = 0;
  /**
   * The byte the kernel touched last through readU8/writeU8 (a record's State: written Started, read and
   * written again around every call), straight in its frame while no guard is installed and neither the
   * page tables nor the frames' storage changed (the same access the machine would make, minus the walk).
   */
  private cellVa = -1n;
  private readonly cellAt: { bytes: Uint8Array; index: number } = { bytes: new Uint8Array(1), index: 0 };
  private cellPageTables = -1;
  private cellStorage = -1;

  constructor(private readonly machine: Machine) {}

  get privileged(): boolean {
    return this.depth > 0;
  }

  /**
   * After the watchdog unwound a routine (no finally block ran), drops any
   * privilege a kernel service it was inside had raised.
   */
  resetAfterAbort(): void {
    this.depth = 0;
  }

  run<T>(fn: () => T): T {
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  // The accessors below inline run(): they are on every record check of every bug check phase.

  /** Reads in pieces of at most 1 MiB (the machine bounds one access). */
  read(va: bigint, length: number): Uint8Array {
    const piece = 0x100000;
    this.depth++;
    try {
      if (length <= piece) return this.machine.readVirtual(va, length);
      const out = new Uint8Array(length);
      for (let done = 0; done < length; done += piece) {
        const n = Math.min(piece, length - done);
        out.set(this.machine.readVirtual(va + BigInt(done), n), done);
      }
      return out;
    } finally {
      this.depth--;
    }
  }
  /** One access of `target.length` (≤ 1 MiB) bytes into `target`. */
  readInto(va: bigint, target: Uint8Array): void {
    this.depth++;
    try {
      this.machine.readVirtualInto(va, target);
    } finally {
      this.depth--;
    }
  }
  write(va: bigint, data: Uint8Array): void {
    this.depth++;
    try {
      this.machine.writeVirtual(va, data);
    } finally {
      this.depth--;
    }
  }
  /** Whether `va` is the cached byte (made so when it can be): then cellAt.bytes[cellAt.index] is it. */
  private cell(va: bigint): boolean {
    const machine = this.machine;
    if (machine.guard !== null) return false;
    const physical = machine.physical;
    const pageTables = physical.pageTableGeneration;
    const storage = physical.storageGeneration;
    if (va === this.cellVa && this.cellPageTables === pageTables && this.cellStorage === storage) return true;
    if (!machine.directByte(va, this.cellAt)) {
      this.cellVa = -1n;
      return false;
    }
    this.cellVa = va;
    this.cellPageTables = pageTables;
    this.cellStorage = storage;
    return true;
  }

  readU8(va: bigint): number {
    if (this.cell(va)) return this.cellAt.bytes[this.cellAt.index]!;
    this.depth++;
    try {
      return this.machine.readU8(va);
    } finally {
      this.depth--;
    }
  }
  readU32(va: bigint): number {
    this.depth++;
    try {
      return this.machine.readU32(va);
    } finally {
      this.depth--;
    }
  }
  readU64(va: bigint): bigint {
    this.depth++;
    try {
      return this.machine.readU64(va);
    } finally {
      this.depth--;
    }
  }
  writeU8(va: bigint, v: number): void {
    if (this.cell(va)) {
      this.cellAt.bytes[this.cellAt.index] = v & 0xff;
      this.machine.physical.noteDirectWrite();
      return;
    }
    this.depth++;
    try {
      this.machine.writeU8(va, v);
    } finally {
      this.depth--;
    }
  }
  writeU32(va: bigint, v: number): void {
    this.depth++;
    try {
      this.machine.writeU32(va, v);
    } finally {
      this.depth--;
    }
  }
  writeU64(va: bigint, v: bigint): void {
    this.depth++;
    try {
      this.machine.writeU64(va, BigInt.asUintN(64, v));
    } finally {
      this.depth--;
    }
  }

  /** Zero-fills in bounded pieces (never one allocation sized by a caller's length). */
  zero(va: bigint, length: number): void {
    const piece = ZEROS;
    for (let done = 0; done < length; done += piece.length) {
      const n = Math.min(piece.length, length - done);
      this.write(va + BigInt(done), n === piece.length ? piece : piece.subarray(0, n));
    }
  }

  /** Reads a NUL-terminated ANSI string; never throws. */
  readAnsi(va: bigint, maxLength = 256): string | undefined {
    if (va === 0n) return undefined;
    this.depth++;
    try {
      return this.machine.readAnsiString(va, maxLength);
    } catch {
      return undefined;
    } finally {
      this.depth--;
    }
  }

  /**
   * Whether every page of [va, va+length) is mapped, and whether any is
   * pageable. Walks the page tables only (no access, no guard).
   */
  residency(va: bigint, length: number | bigint): Residency {
    const space = this.machine.kernelSpace;
    // One page, the common case (a record, a LIST_ENTRY, a field): no range arithmetic.
    if (
      typeof length === 'number' &&
      length > 0 &&
      length <= 0x1000 &&
      va >= 0n &&
      Number(va & 0xfffn) + length <= 0x1000
    ) {
      const t = space.translatePage(va);
      return t === undefined ? 'not-mapped' : t.pageable ? 'pageable' : 'resident';
    }
    const len = BigInt(length);
    if (len <= 0n) return 'resident';
    const end = va + len;
    if (va < 0n || end > 1n << 64n) return 'not-mapped';
    let pageable = false;
    const page = BigInt(PAGE_SIZE);
    for (let p = va - (va % page); p < end; p += page) {
      const t = space.translatePage(p);
      if (t === undefined) return 'not-mapped';
      if (t.pageable) pageable = true;
    }
    return pageable ? 'pageable' : 'resident';
  }

  isResident(va: bigint, length: number | bigint): boolean {
    return this.residency(va, length) === 'resident';
  }
}

/** A VirtualAccessor (see views.ts) that goes through the kernel's privileged path. */
export function privilegedAccessor(mem: KernelMemory): {
  readVirtual(va: bigint, length: number): Uint8Array;
  writeVirtual(va: bigint, data: Uint8Array): void;
  readVirtualInto(va: bigint, target: Uint8Array): void;
} {
  return {
    readVirtual: (va, length) => mem.read(va, length),
    writeVirtual: (va, data) => mem.write(va, data),
    readVirtualInto: (va, target) => mem.readInto(va, target),
  };
}
