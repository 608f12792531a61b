import {
  DUMP_DRIVER_ENTRY64,
  DUMP_HEADER64,
  DUMP_HEADER64_SIZE,
  DUMP_MM_STORAGE64,
  DUMP_UNLOADED_DRIVER64,
  KDDEBUGGER_DATA64,
  KLDR_DATA_TABLE_ENTRY,
  TRIAGE_DATA_BLOCK64,
  TRIAGE_DUMP64,
  TRIAGE_DUMP_VALID,
  isCanonical,
} from '../../format/index.js';
import type { CrashDumpPlan } from '../../kernel/crashDumpTarget.js';
import type { LoadedModule, Machine } from '../../machine/index.js';
import type { BodyStream } from './bodyStream.js';
import { DumpWriterError, DumpWriterErrorCode } from './errors.js';
import type { SystemMemoryReader, VaSegment } from './systemMemory.js';
import { planTriageDataBlocks, type TriageRangeProblem } from './triageDataBlocks.js';

/** MiniDumpFields of the genuine samples: BASIC_INFO | DEBUGGER_DATA | DATA_BLOCKS (MMINFO clear, MM info present anyway). */
export const TRIAGE_MINIDUMP_FIELDS = 0xcff;
/**
 * Structure sizes and offsets the triage body needs. They come from the
 * machine's KDDEBUGGER_DATA64 (as a debugger would take them); these
 * Windows 10 19041 x64 values (the genuine sample's) stand in for any the
 * block leaves zero.
 */
export const TRIAGE_FALLBACK_LAYOUT = {
  SizePrcb: 0xaf00,
  SizeEProcess: 0xa40,
  SizeEThread: 0x898,
  OffsetPrcbCurrentThread: 0x8,
  OffsetKThreadApcProcess: 0xb8,
} as const;
export type TriageObjectLayout = { -readonly [K in keyof typeof TRIAGE_FALLBACK_LAYOUT]: number };
/** Kernel stack kept from Rsp upwards. */
export const TRIAGE_MAX_STACK = 0x4000;
/** MmUnloadedDrivers holds this many entries on Windows; older ones are gone. */
export const TRIAGE_MAX_UNLOADED_DRIVERS = 50;
const DISPATCHER_TYPE_PROCESS = 3;
const DISPATCHER_TYPE_THREAD = 6;
const KERNEL_SPACE_START = 0xffff_8000_0000_0000n;
const U32_LIMIT = 0x1_0000_0000n;

/** One fixed piece of the triage body, bytes already built. */
interface Piece {
  name: string;
  offset: number;
  bytes: Uint8Array;
}

export interface TriageDataBlock {
  virtualAddress: bigint;
  offset: number;
  size: number;
}

export interface TriageLayout {
  /** TRIAGE_DUMP64 through the data-block table, in file order. */
  pieces: Piece[];
  blocks: TriageDataBlock[];
  /** File offset where TRGD goes; SizeOfDump = validOffset + 4. */
  validOffset: number;
  sizeOfDump: number;
  problems: TriageRangeProblem[];
  stack: { topOfStack: bigint; size: number };
  /** How the EPROCESS / ETHREAD copies were obtained. */
  processSource: 'memory' | 'synthetic';
  threadSource: 'memory' | 'synthetic';
  driverCount: number;
}

/**
 * Builds every fixed piece of the small dump and places them in the order
 * of the genuine sample: TRIAGE_DUMP64, MM info, unloaded drivers, KPRCB,
 * EPROCESS, ETHREAD, call stack, KDDEBUGGER_DATA64, driver list, string
 * pool, data-block table, data-block contents, TRGD. Pieces start on 8-byte
 * boundaries; data-block contents are packed back to back.
 */
export function planTriage(machine: Machine, plan: CrashDumpPlan, reader: SystemMemoryReader): TriageLayout {
  const processor = machine.processors[plan.processorIndex]!;
  let cursor = DUMP_HEADER64_SIZE + TRIAGE_DUMP64.size;
  const pieces: Piece[] = [];
  const place = (name: string, bytes: Uint8Array): number => {
    cursor = align8(cursor);
    const offset = cursor;
    pieces.push({ name, offset, bytes });
    cursor += bytes.length;
    return offset;
  };

  const mmOffset = place('mm', DUMP_MM_STORAGE64.encode({ Version: 1, Size: DUMP_MM_STORAGE64.size }));
  const unloadedOffset = place('unloaded drivers', buildUnloadedDrivers(machine));
  const kdbg = reader.read(machine.kdbg, KDDEBUGGER_DATA64.size);
  const objects = triageObjectLayout(kdbg);
  const prcbOffset = place('prcb', reader.read(processor.prcb, objects.SizePrcb));

  const thread = findObject(
    reader,
    reader.readU64(processor.prcb + BigInt(objects.OffsetPrcbCurrentThread)),
    objects.SizeEThread,
  );
  const process =
    thread === undefined
      ? undefined
      : findObject(reader, reader.readU64(thread + BigInt(objects.OffsetKThreadApcProcess)), objects.SizeEProcess);
  const processOffset = place(
    'process',
    process === undefined
      ? syntheticObject(DISPATCHER_TYPE_PROCESS, objects.SizeEProcess)
      : reader.read(process, objects.SizeEProcess),
  );
  const threadOffset = place(
    'thread',
    thread === undefined
      ? syntheticObject(DISPATCHER_TYPE_THREAD, objects.SizeEThread)
      : reader.read(thread, objects.SizeEThread),
  );

  const topOfStack = plan.context.Rsp;
  const stackSize = callStackSize(reader, topOfStack, processor.stackLimit, processor.stackBase);
  const callStackOffset = place('call stack', reader.read(topOfStack, stackSize));
  const debuggerDataOffset = place('debugger data', kdbg);

  // The driver list refers to string-pool entries by file offset, so the pool's place is computed first.
  const driverListOffset = align8(cursor);
  const poolOffset = align8(driverListOffset + machine.modules.length * DUMP_DRIVER_ENTRY64.size);
  const { pool, entryOffsets } = buildStringPool(
    machine.modules.map((m) => m.fullName),
    poolOffset,
  );
  place('driver list', buildDriverList(machine.modules, reader, entryOffsets));
  place('string pool', pool);

  const dataBlocks = planTriageDataBlocks(machine, reader, plan.triageRanges, plan.context, objects.SizePrcb);
  const tableOffset = align8(cursor);
  let contentOffset = tableOffset + dataBlocks.blocks.length * TRIAGE_DATA_BLOCK64.size;
  const blocks: TriageDataBlock[] = dataBlocks.blocks.map((b: VaSegment) => {
    const block = { virtualAddress: b.start, offset: contentOffset, size: Number(b.end - b.start) };
    contentOffset += block.size;
    return block;
  });
  place('data block table', buildDataBlockTable(blocks));
  const validOffset = align8(contentOffset);
  const sizeOfDump = validOffset + 4;
  if (BigInt(sizeOfDump) >= U32_LIMIT) {
    throw new DumpWriterError(
      DumpWriterErrorCode.Limit,
      `small dump would be ${sizeOfDump} bytes; TRIAGE_DUMP64 offsets are 32-bit`,
      { sizeOfDump },
    );
  }

  const triage = TRIAGE_DUMP64.encode({
    ServicePackBuild: 0,
    SizeOfDump: sizeOfDump,
    ValidOffset: validOffset,
    ContextOffset: DUMP_HEADER64.offsets.ContextRecord,
    ExceptionOffset: DUMP_HEADER64.offsets.Exception,
    MmOffset: mmOffset,
    UnloadedDriversOffset: unloadedOffset,
    PrcbOffset: prcbOffset,
    ProcessOffset: processOffset,
    ThreadOffset: threadOffset,
    CallStackOffset: callStackOffset,
    SizeOfCallStack: stackSize,
    DriverListOffset: driverListOffset,
    DriverCount: machine.modules.length,
    StringPoolOffset: poolOffset,
    StringPoolSize: pool.length,
    BrokenDriverOffset: 0,
    TriageOptions: 0xffff_ffff,
    TopOfStack: topOfStack,
    DataPageAddress: 0n,
    DataPageOffset: 0,
    DataPageSize: 0,
    DebuggerDataOffset: debuggerDataOffset,
    DebuggerDataSize: KDDEBUGGER_DATA64.size,
    DataBlocksOffset: tableOffset,
    DataBlocksCount: blocks.length,
  });
  pieces.unshift({ name: 'TRIAGE_DUMP64', offset: DUMP_HEADER64_SIZE, bytes: triage });

  return {
    pieces,
    blocks,
    validOffset,
    sizeOfDump,
    problems: dataBlocks.problems,
    stack: { topOfStack, size: stackSize },
    processSource: process === undefined ? 'synthetic' : 'memory',
    threadSource: thread === undefined ? 'synthetic' : 'memory',
    driverCount: machine.modules.length,
  };
}

/** Streams the pieces, then each data block's bytes page by page, the padding and TRGD. */
export function writeTriageBody(layout: TriageLayout, reader: SystemMemoryReader, out: BodyStream): void {
  for (const piece of layout.pieces) {
    padTo(out, piece.offset);
    out.append(piece.bytes);
  }
  const page = new Uint8Array(0x1000);
  for (const block of layout.blocks) {
    padTo(out, block.offset);
    for (let done = 0; done < block.size; ) {
      const va = block.virtualAddress + BigInt(done);
      const n = Math.min(0x1000 - Number(va & 0xfffn), block.size - done);
      const view = page.subarray(0, n);
      view.fill(0);
      reader.readInto(va, n, view);
      out.append(view);
      done += n;
    }
  }
  padTo(out, layout.validOffset);
  const valid = new Uint8Array(4);
  new DataView(valid.buffer).setUint32(0, TRIAGE_DUMP_VALID, true);
  out.append(valid);
}

function padTo(out: BodyStream, offset: number): void {
  const gap = BigInt(offset) - out.position;
  if (gap < 0n)
    throw new DumpWriterError(
      DumpWriterErrorCode.Limit,
      `triage piece at 0x${offset.toString(16)} overlaps the previous one`,
      { offset },
    );
  out.appendZeros(gap);
}

/** The KDBG's structure sizes and offsets, with the fallback for any left zero. */
export function triageObjectLayout(kdbgBytes: Uint8Array): TriageObjectLayout {
  const kdbg = KDDEBUGGER_DATA64.decode(kdbgBytes);
  const out = { ...TRIAGE_FALLBACK_LAYOUT } as TriageObjectLayout;
  for (const key of Object.keys(TRIAGE_FALLBACK_LAYOUT) as (keyof TriageObjectLayout)[]) {
    const value = kdbg[key];
    if (typeof value === 'number' && value > 0) out[key] = value;
  }
  return out;
}

/** From Rsp up to the stack base (or 16 KiB of readable memory when Rsp is not on this processor's stack), capped. */
function callStackSize(reader: SystemMemoryReader, rsp: bigint, stackLimit: bigint, stackBase: bigint): number {
  if (rsp < KERNEL_SPACE_START || !isCanonical(rsp)) return 0;
  const wanted = rsp >= stackLimit && rsp < stackBase ? stackBase - rsp : BigInt(TRIAGE_MAX_STACK);
  const capped = Number(wanted < BigInt(TRIAGE_MAX_STACK) ? wanted : BigInt(TRIAGE_MAX_STACK));
  return reader.readablePrefix(rsp, capped);
}

/** `pointer` if it is a readable kernel address with `size` readable bytes behind it. */
function findObject(reader: SystemMemoryReader, pointer: bigint | undefined, size: number): bigint | undefined {
  if (pointer === undefined || pointer < KERNEL_SPACE_START || !isCanonical(pointer)) return undefined;
  return reader.readablePrefix(pointer, size) === size ? pointer : undefined;
}

/** A zeroed object whose DISPATCHER_HEADER says what it is (Type, and Size in dwords). */
function syntheticObject(type: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  out[0] = type;
  out[2] = Math.min(0xff, size / 4);
  return out;
}

/** ULONG64 count then DUMP_UNLOADED_DRIVER64 entries, most recent last (the newest 50). */
function buildUnloadedDrivers(machine: Machine): Uint8Array {
  const list = machine.unloadedModules.slice(-TRIAGE_MAX_UNLOADED_DRIVERS);
  const out = new Uint8Array(8 + list.length * DUMP_UNLOADED_DRIVER64.size);
  new DataView(out.buffer).setBigUint64(0, BigInt(list.length), true);
  list.forEach((u, i) => {
    const bytes = Math.min(u.name.length * 2, 0xfffe);
    DUMP_UNLOADED_DRIVER64.encodeInto(out, 8 + i * DUMP_UNLOADED_DRIVER64.size, {
      Name: { Length: bytes, MaximumLength: bytes, Buffer: 0n },
      DriverName: u.name.slice(0, 12),
      StartAddress: u.startAddress,
      EndAddress: u.endAddress,
    });
  });
  return out;
}

/** {Length (WCHARs), WCHAR[Length], WCHAR 0} per name, each padded to 8 bytes. */
function buildStringPool(names: readonly string[], poolOffset: number): { pool: Uint8Array; entryOffsets: number[] } {
  const sizes = names.map((n) => align8(4 + n.length * 2 + 2));
  const pool = new Uint8Array(sizes.reduce((a, b) => a + b, 0));
  const view = new DataView(pool.buffer);
  const entryOffsets: number[] = [];
  let at = 0;
  names.forEach((name, i) => {
    entryOffsets.push(poolOffset + at);
    view.setUint32(at, name.length, true);
    for (let c = 0; c < name.length; c++) view.setUint16(at + 4 + c * 2, name.charCodeAt(c), true);
    at += sizes[i]!;
  });
  return { pool, entryOffsets };
}

/**
 * DUMP_DRIVER_ENTRY64 per module: the string-pool offset and the module's
 * KLDR_DATA_TABLE_ENTRY scrubbed as Windows writes it — every field zero
 * except DllBase, SizeOfImage, CheckSum and TimeDateStamp (all 151 entries of
 * the genuine triage dump), so no live kernel pointer (list links, name
 * buffers, section) leaves the machine. The four values come from the entry
 * in memory, or from the module record when the entry cannot be read.
 */
function buildDriverList(
  modules: readonly LoadedModule[],
  reader: SystemMemoryReader,
  nameOffsets: readonly number[],
): Uint8Array {
  const out = new Uint8Array(modules.length * DUMP_DRIVER_ENTRY64.size);
  const ldrAt = DUMP_DRIVER_ENTRY64.offsets.LdrEntry;
  const size = KLDR_DATA_TABLE_ENTRY.size;
  modules.forEach((m, i) => {
    const at = i * DUMP_DRIVER_ENTRY64.size;
    DUMP_DRIVER_ENTRY64.encodeInto(out, at, { DriverNameOffset: nameOffsets[i]! });
    const live =
      reader.readablePrefix(m.ldrEntry, size) === size
        ? KLDR_DATA_TABLE_ENTRY.decode(reader.read(m.ldrEntry, size))
        : null;
    KLDR_DATA_TABLE_ENTRY.encodeInto(out, at + ldrAt, {
      DllBase: live?.DllBase ?? m.base,
      SizeOfImage: live?.SizeOfImage ?? m.size,
      CheckSum: live?.CheckSum ?? m.checkSum,
      TimeDateStamp: live?.TimeDateStamp ?? m.timeDateStamp,
    });
  });
  return out;
}

function buildDataBlockTable(blocks: readonly TriageDataBlock[]): Uint8Array {
  const out = new Uint8Array(blocks.length * TRIAGE_DATA_BLOCK64.size);
  blocks.forEach((b, i) => {
    TRIAGE_DATA_BLOCK64.encodeInto(out, i * TRIAGE_DATA_BLOCK64.size, {
      VirtualAddress: b.virtualAddress,
      Offset: b.offset,
      Size: b.size,
    });
  });
  return out;
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
