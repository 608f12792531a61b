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

  private readonly ansiAt: { bytes: Uint8Array; index: number } = { bytes: new Uint8Array(1), index: 0 };
  /**
   * The two small blocks at fixed addresses the kernel writes and reads around every call (the reason-specific
   * structure, one of its fields), kept like the State byte: straight in their frame while no guard is
   * installed and neither the page tables nor the frames' storage changed.
   */
  private readonly blocks: DirectBlock[] = [newDirectBlock(), newDirectBlock()];

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
    const length = target.length;
    if (length <= DIRECT_LIMIT) {
      const b = this.block(va, length);
      if (b !== null) {
        const bytes = b.bytes;
        const at = b.index;
        for (let i = 0; i < length; i++) target[i] = bytes[at + i]!;
        return;
      }
    }
    this.depth++;
    try {
      this.machine.readVirtualInto(va, target);
    } finally {
      this.depth--;
    }
  }
  write(va: bigint, data: Uint8Array): void {
    const length = data.length;
    if (length <= DIRECT_LIMIT) {
      const b = this.block(va, length);
      if (b !== null) {
        const bytes = b.bytes;
        const at = b.index;
        for (let i = 0; i < length; i++) bytes[at + i] = data[i]!;
        this.machine.physical.noteDirectWrite();
        return;
      }
    }
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

  /**
   * The frame bytes of [va, va + length) when `va` is one of the two blocks remembered (made so when it can be:
   * a mapped, backed, writable page written in place, the range inside it) and no guard is installed; else null.
   * The same bytes the machine's path would touch, minus the walk (which its slot cache makes anyway).
   */
  private block(va: bigint, length: number): DirectBlock | null {
    const machine = this.machine;
    if (machine.guard !== null) return null;
    const physical = machine.physical;
    const pageTables = physical.pageTableGeneration;
    const storage = physical.storageGeneration;
    const blocks = this.blocks;
    let b = blocks[0]!;
    if (b.va !== va) {
      const other = blocks[1]!;
      // The one used less recently makes room.
      blocks[0] = other;
      blocks[1] = b;
      b = other;
    }
    if (b.va !== va || b.pageTables !== pageTables || b.storage !== storage) {
      if (!machine.directByte(va, b)) {
        b.va = -1n;
        return null;
      }
      b.va = va;
      b.pageTables = pageTables;
      b.storage = storage;
    }
    return b.index + length <= 0x1000 ? b : null;
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
    const b = this.block(va, 4);
    if (b !== null) {
      const bytes = b.bytes;
      const at = b.index;
      return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
    }
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
    // A string that ends within its page (every component name): decoded straight from the frame while no guard
    // is installed (the bytes the machine's page-by-page read would see; no piece object or code array per read).
    const at = this.ansiAt;
    if (this.machine.guard === null && this.machine.directByte(va, at)) {
      const bytes = at.bytes;
      const start = at.index;
      const limit = Math.min(0x1000, start + maxLength);
      let end = start;
      while (end < limit && bytes[end] !== 0) end++;
      if (end < limit || limit - start === maxLength) return latin1(bytes, start, end);
    }
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

  /** residency() of a range the caller knows lies inside the page holding `va` (no offset arithmetic on `va`). */
  residencyInPage(va: bigint): Residency {
    const t = this.machine.kernelSpace.translatePage(va);
    return t === undefined ? 'not-mapped' : t.pageable ? 'pageable' : 'resident';
  }

  isResident(va: bigint, length: number | bigint): boolean {
    return this.residency(va, length) === 'resident';
  }
}

/** Accesses of at most this many bytes may go straight to a remembered block (KernelMemory.block). */
const DIRECT_LIMIT = 64;

interface DirectBlock {
  va: bigint;
  bytes: Uint8Array;
  index: number;
  pageTables: number;
  storage: number;
}

function newDirectBlock(): DirectBlock {
  return { va: -1n, bytes: new Uint8Array(1), index: 0, pageTables: -1, storage: -1 };
}

/** One array for every short string's character codes (String.fromCharCode.apply reads only its first `n`). */
const codes: number[] = [];

/** Bytes [start, end) as latin1 text (what the machine's ANSI reads make of them). */
function latin1(bytes: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n === 0) return '';
  if (n > 64) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  codes.length = n;
  for (let i = 0; i < n; i++) codes[i] = bytes[start + i]!;
  return String.fromCharCode.apply(null, codes);
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
