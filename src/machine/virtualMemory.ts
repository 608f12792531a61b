import { isCanonical } from '../format/index.js';
import type { AddressSpace } from './addressSpace.js';
import { MachineError, PageFault, type MemoryAccess } from './errors.js';
import type { MachineGuard } from './guard.js';
import type { PhysicalMemory } from './physical.js';

const MAX_ACCESS = 0x4000000;

interface Piece {
  pa: bigint;
  length: number;
}

/**
 * A mapped 4 KiB page as the fast path sees it: its attributes, the frame's
 * storage (undefined while it reads as zeros) and whether that storage may be
 * written in place. Valid while neither the page tables nor any frame's
 * storage has changed (both generations are checked on every use).
 */
interface PageSlot {
  /** [base, end): the page's virtual range. */
  base: bigint;
  end: bigint;
  pa: bigint;
  pageable: boolean;
  writable: boolean;
  bytes: Uint8Array | undefined;
  view: DataView | undefined;
  inPlace: boolean;
}

const SLOT_LIMIT = 4096;

/**
 * Virtual memory of one address space: every access is translated through the
 * page tables first, then shown to the guard, and only then touches RAM.
 * The machine's own bookkeeping (building the module list, pool headers)
 * uses the `unguarded` variants: it is the model, not code running at HIGH_LEVEL.
 */
export class VirtualMemory {
  private readonly slots = new Map<bigint, PageSlot>();
  private slotsPageTables = -1;
  private slotsStorage = -1;
  /** The two slots used last (most recent first). */
  private recent: PageSlot | undefined;
  private previous: PageSlot | undefined;

  constructor(
    private readonly physical: PhysicalMemory,
    private readonly space: AddressSpace,
    private readonly guard: () => MachineGuard | null,
  ) {}

  read(va: bigint, length: number): Uint8Array {
    // Most accesses are a field or a small structure inside one page: no piece list needed.
    const o = Number(va & 0xfffn);
    const s = length > 0 && o + length <= 0x1000 ? this.slot(va) : undefined;
    if (s) {
      this.guard()?.onAccess(va, length, 'read', s.pageable);
      const bytes = this.current(s);
      return bytes ? bytes.slice(o, o + length) : new Uint8Array(length);
    }
    const { pieces, pageable } = this.resolve(va, length, 'read');
    this.guard()?.onAccess(va, length, 'read', pageable);
    return this.gather(pieces, length);
  }

  write(va: bigint, data: Uint8Array): void {
    const o = Number(va & 0xfffn);
    const s = data.length > 0 && o + data.length <= 0x1000 ? this.slot(va) : undefined;
    if (s?.writable) {
      this.guard()?.onAccess(va, data.length, 'write', s.pageable);
      const bytes = this.inPlace(s);
      if (bytes) {
        bytes.set(data, o);
        this.physical.noteDirectWrite();
      } else {
        this.physical.write(s.pa | BigInt(o), data);
      }
      return;
    }
    const { pieces, pageable } = this.resolve(va, data.length, 'write');
    this.guard()?.onAccess(va, data.length, 'write', pageable);
    this.scatter(pieces, data);
  }

  /*
   * Scalar accesses: the same translate → guard → touch order as read/write,
   * without allocating a buffer. Anything but a plain access inside one mapped,
   * backed page takes the general path (which raises the faults).
   */
  readU8(va: bigint): number {
    const s = this.slot(va);
    if (!s) return this.read(va, 1)[0]!;
    this.guard()?.onAccess(va, 1, 'read', s.pageable);
    return this.current(s)?.[Number(va & 0xfffn)] ?? 0;
  }

  readU16(va: bigint): number {
    const o = Number(va & 0xfffn);
    const s = o <= 0xffe ? this.slot(va) : undefined;
    if (!s) return viewOf(this.read(va, 2)).getUint16(0, true);
    this.guard()?.onAccess(va, 2, 'read', s.pageable);
    const bytes = this.current(s);
    return bytes ? this.viewOfSlot(s, bytes).getUint16(o, true) : 0;
  }

  readU32(va: bigint): number {
    const o = Number(va & 0xfffn);
    const s = o <= 0xffc ? this.slot(va) : undefined;
    if (!s) return viewOf(this.read(va, 4)).getUint32(0, true);
    this.guard()?.onAccess(va, 4, 'read', s.pageable);
    const bytes = this.current(s);
    return bytes ? this.viewOfSlot(s, bytes).getUint32(o, true) : 0;
  }

  readU64(va: bigint): bigint {
    const o = Number(va & 0xfffn);
    const s = o <= 0xff8 ? this.slot(va) : undefined;
    if (!s) return viewOf(this.read(va, 8)).getBigUint64(0, true);
    this.guard()?.onAccess(va, 8, 'read', s.pageable);
    const bytes = this.current(s);
    return bytes ? this.viewOfSlot(s, bytes).getBigUint64(o, true) : 0n;
  }

  /** Reads `target.length` bytes at `va` into `target` (one access, as `read`). */
  readInto(va: bigint, target: Uint8Array): void {
    const length = target.length;
    const o = Number(va & 0xfffn);
    const s = length > 0 && o + length <= 0x1000 ? this.slot(va) : undefined;
    if (!s) {
      target.set(this.read(va, length));
      return;
    }
    this.guard()?.onAccess(va, length, 'read', s.pageable);
    const bytes = this.current(s);
    if (!bytes) target.fill(0);
    else if (length <= 64) for (let i = 0; i < length; i++) target[i] = bytes[o + i]!;
    else target.set(bytes.subarray(o, o + length));
  }

  /**
   * One guarded access of `length` bytes (inside one page) read as ANSI text:
   * the bytes before the first NUL as latin1, and whether a NUL was found.
   * The text is decoded straight from the frame: no copy of the bytes.
   */
  readAnsiPiece(va: bigint, length: number): { text: string; terminated: boolean } {
    const o = Number(va & 0xfffn);
    const s = length > 0 && o + length <= 0x1000 ? this.slot(va) : undefined;
    let bytes: Uint8Array | undefined;
    let start = 0;
    if (s) {
      this.guard()?.onAccess(va, length, 'read', s.pageable);
      bytes = this.current(s);
      start = o;
      if (!bytes) return { text: '', terminated: true };
    } else {
      bytes = this.read(va, length);
    }
    let end = start;
    const limit = start + length;
    while (end < limit && bytes[end] !== 0) end++;
    return { text: latin1(bytes, start, end), terminated: end < limit };
  }

  writeU8(va: bigint, v: number): void {
    const s = this.slot(va);
    if (!s?.writable) {
      this.write(va, Uint8Array.of(v & 0xff));
      return;
    }
    this.guard()?.onAccess(va, 1, 'write', s.pageable);
    const bytes = this.inPlace(s);
    if (!bytes) {
      this.physical.write(s.pa | (va & 0xfffn), Uint8Array.of(v & 0xff));
      return;
    }
    bytes[Number(va & 0xfffn)] = v & 0xff;
    this.physical.noteDirectWrite();
  }

  writeU32(va: bigint, v: number): void {
    const o = Number(va & 0xfffn);
    const s = o <= 0xffc ? this.slot(va) : undefined;
    if (!s?.writable) {
      const b = new Uint8Array(4);
      viewOf(b).setUint32(0, v >>> 0, true);
      this.write(va, b);
      return;
    }
    this.guard()?.onAccess(va, 4, 'write', s.pageable);
    const bytes = this.inPlace(s);
    if (!bytes) {
      const b = new Uint8Array(4);
      viewOf(b).setUint32(0, v >>> 0, true);
      this.physical.write(s.pa | (va & 0xfffn), b);
      return;
    }
    this.viewOfSlot(s, bytes).setUint32(o, v >>> 0, true);
    this.physical.noteDirectWrite();
  }

  writeU64(va: bigint, v: bigint): void {
    const o = Number(va & 0xfffn);
    const s = o <= 0xff8 ? this.slot(va) : undefined;
    if (!s?.writable) {
      const b = new Uint8Array(8);
      viewOf(b).setBigUint64(0, BigInt.asUintN(64, v), true);
      this.write(va, b);
      return;
    }
    this.guard()?.onAccess(va, 8, 'write', s.pageable);
    const bytes = this.inPlace(s);
    if (!bytes) {
      const b = new Uint8Array(8);
      viewOf(b).setBigUint64(0, BigInt.asUintN(64, v), true);
      this.physical.write(s.pa | (va & 0xfffn), b);
      return;
    }
    this.viewOfSlot(s, bytes).setBigUint64(o, BigInt.asUintN(64, v), true);
    this.physical.noteDirectWrite();
  }

  /**
   * The frame bytes holding `va` and its index in them (into `into`), when `va` lies in a mapped, backed,
   * writable page whose storage is written in place; false otherwise (the general path then decides).
   * For a caller that reads and writes one byte again and again while no guard is installed (the kernel's
   * own accesses to a record's State around a call): valid while PhysicalMemory's pageTableGeneration and
   * storageGeneration are unchanged, and a write through it must be followed by `noteDirectWrite`.
   */
  directByte(va: bigint, into: { bytes: Uint8Array; index: number }): boolean {
    const s = this.slot(va);
    if (s === undefined || !s.writable || !s.inPlace || s.bytes === undefined) return false;
    into.bytes = s.bytes;
    into.index = Number(va & 0xfffn);
    return true;
  }

  readUnguarded(va: bigint, length: number): Uint8Array {
    return this.gather(this.resolve(va, length, 'read').pieces, length);
  }

  writeUnguarded(va: bigint, data: Uint8Array): void {
    this.scatter(this.resolve(va, data.length, 'write').pieces, data);
  }

  isValid(va: bigint): boolean {
    return this.space.translate(va) !== undefined;
  }

  /** The cached page holding `va` (mapped, backed), or undefined (then the general path decides what happens). */
  private slot(va: bigint): PageSlot | undefined {
    if (!this.slotValid()) {
      this.slots.clear();
      this.recent = undefined;
      this.previous = undefined;
      this.slotsPageTables = this.physical.pageTableGeneration;
      this.slotsStorage = this.physical.storageGeneration;
    }
    // Accesses come in runs on the same one or two pages (a record and its neighbour, the reason block):
    // compare before hashing.
    const recent = this.recent;
    if (recent !== undefined && va >= recent.base && va < recent.end) return recent;
    const previous = this.previous;
    if (previous !== undefined && va >= previous.base && va < previous.end) {
      this.previous = recent;
      this.recent = previous;
      return previous;
    }
    const vpn = va >> 12n;
    let s = this.slots.get(vpn);
    if (s === undefined) {
      const t = this.space.translatePage(va);
      if (!t) return undefined;
      const pfn = t.pa >> 12n;
      if (!this.physical.isBacked(pfn)) return undefined;
      const { bytes, inPlace } = this.physical.frameStorage(Number(pfn));
      const base = vpn << 12n;
      s = {
        base,
        end: base + 0x1000n,
        pa: t.pa,
        pageable: t.pageable,
        writable: t.writable,
        bytes,
        view: undefined,
        inPlace,
      };
      if (this.slots.size >= SLOT_LIMIT) this.slots.clear();
      this.slots.set(vpn, s);
    }
    this.previous = recent;
    this.recent = s;
    return s;
  }

  /**
   * The slot's bytes at the moment of the access: a guard that changed the
   * page tables or a frame's storage is honoured, as in the general path
   * (which also translates before the guard and touches RAM after it).
   */
  private current(s: PageSlot): Uint8Array | undefined {
    return this.slotValid() ? s.bytes : this.physical.readPage(s.pa >> 12n);
  }

  /** Bytes to write in place, or undefined when the write must go through PhysicalMemory.write (first touch, shared, page table). */
  private inPlace(s: PageSlot): Uint8Array | undefined {
    return s.inPlace && this.slotValid() ? s.bytes : undefined;
  }

  private slotValid(): boolean {
    return (
      this.slotsPageTables === this.physical.pageTableGeneration &&
      this.slotsStorage === this.physical.storageGeneration
    );
  }

  private viewOfSlot(s: PageSlot, bytes: Uint8Array): DataView {
    if (s.view === undefined || s.view.buffer !== bytes.buffer || s.view.byteOffset !== bytes.byteOffset)
      s.view = viewOf(bytes);
    return s.view;
  }

  private resolve(va: bigint, length: number, access: MemoryAccess): { pieces: Piece[]; pageable: boolean } {
    if (!Number.isInteger(length) || length < 0 || length > MAX_ACCESS) {
      throw new MachineError('E_MACHINE_ARGUMENT', `bad access length ${length}`, { va, length });
    }
    const pieces: Piece[] = [];
    let pageable = false;
    let cursor = va;
    let remaining = length;
    while (remaining > 0) {
      if (cursor < 0n || cursor > 0xffff_ffff_ffff_ffffn || !isCanonical(cursor)) {
        throw this.fault(new PageFault(BigInt.asUintN(64, cursor), access, 'non-canonical'));
      }
      const page = this.space.translatePage(cursor);
      if (!page) throw this.fault(new PageFault(cursor, access, 'not-mapped'));
      const t = { ...page, pa: page.pa | (cursor & 0xfffn) };
      if (access === 'write' && !t.writable) throw this.fault(new PageFault(cursor, access, 'read-only'));
      pageable ||= t.pageable;
      const inPage = t.pageSize - Number(cursor & BigInt(t.pageSize - 1));
      const chunk = Math.min(inPage, remaining);
      pieces.push({ pa: t.pa, length: chunk });
      cursor += BigInt(chunk);
      remaining -= chunk;
    }
    return { pieces, pageable };
  }

  /** The guard hears of a fault before it is thrown (a HIGH_LEVEL routine may catch it; the fault still happened). */
  private fault(fault: PageFault): PageFault {
    this.guard()?.onFault?.(fault);
    return fault;
  }

  private gather(pieces: Piece[], length: number): Uint8Array {
    if (pieces.length === 1) return this.physical.read(pieces[0]!.pa, length);
    const out = new Uint8Array(length);
    let done = 0;
    for (const p of pieces) {
      out.set(this.physical.read(p.pa, p.length), done);
      done += p.length;
    }
    return out;
  }

  private scatter(pieces: Piece[], data: Uint8Array): void {
    let done = 0;
    for (const p of pieces) {
      this.physical.write(p.pa, data.subarray(done, done + p.length));
      done += p.length;
    }
  }
}

function viewOf(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n === 0) return '';
  if (n <= 64) {
    // Names and components: the codes copied into a plain array are half the cost of applying a typed subarray.
    const codes = new Array<number>(n);
    for (let i = 0; i < n; i++) codes[i] = bytes[start + i]!;
    return String.fromCharCode.apply(null, codes);
  }
  const piece = bytes.subarray(start, end);
  // Longer strings this way; long ones go through Buffer (no argument-count limit).
  return n <= 1024
    ? String.fromCharCode.apply(null, piece as unknown as number[])
    : Buffer.from(piece.buffer, piece.byteOffset, piece.length).toString('latin1');
}
