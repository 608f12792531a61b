import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONTEXT_ALL, KbDumpIoType, type ContextAmd64, type ExceptionRecord64 } from '../../../src/format/index.js';
import type { GuidString } from '../../../src/format/guid.js';
import type { CrashDumpKind, CrashDumpPlan, DumpSettings } from '../../../src/kernel/crashDumpTarget.js';
import { createX64Machine, POOL_FLAG_NON_PAGED, type Machine } from '../../../src/machine/index.js';
import { openCrashDumpWriter, type DumpWriterSummary } from '../../../src/dump/writer/index.js';

export const PAGE = 0x1000;

/** A fresh directory in os.tmpdir(), removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bugcheck-writer-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Bytes that differ per page and per seed, so a misplaced page cannot look right. */
export function pattern(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * A small machine with recognisable memory of every kind a dump treats
 * differently: kernel pool, a removed kernel page, a user frame, device
 * frames, a partially mapped kernel range, a loaded and an unloaded driver.
 */
export interface Scenario {
  machine: Machine;
  /** Nonpaged pool buffer (3 pages) filled with pattern(…, 1). */
  poolVa: bigint;
  poolBytes: Uint8Array;
  /** A kernel pool page whose PFN the plan removes. */
  removedVa: bigint;
  removedPfn: bigint;
  /** A frame owned 'user' with pattern(…, 3). */
  userPfn: bigint;
  /** Two device frames with pattern(…, 4); the plan adds them. */
  devicePa: bigint;
  deviceBytes: Uint8Array;
  /** A kernel page mapped by the test at halfMappedVa; the page after it is not mapped. */
  halfMappedVa: bigint;
  halfMappedBytes: Uint8Array;
  /** Bytes written on the crashing processor's stack at the plan's Rsp. */
  stackBytes: Uint8Array;
  driverName: string;
  unloadedName: string;
}

export function buildScenario(options: { memoryBytes?: bigint; seed?: number; processors?: number } = {}): Scenario {
  const machine = createX64Machine({
    memoryBytes: options.memoryBytes ?? 64n << 20n,
    seed: options.seed ?? 7,
    processors: options.processors ?? 2,
  });
  const poolBytes = pattern(3 * PAGE, 1);
  const poolVa = machine.ExAllocatePool2(POOL_FLAG_NON_PAGED, poolBytes.length, 'Wtst');
  machine.writeVirtual(poolVa, poolBytes);

  const removedVa = machine.ExAllocatePool2(POOL_FLAG_NON_PAGED, PAGE, 'Wrmv');
  machine.writeVirtual(removedVa, pattern(PAGE, 2));
  const removedPfn = machine.kernelSpace.translate(removedVa)!.pa >> 12n;

  const userPfn = machine.physical.allocateFrame('user');
  machine.physical.write(userPfn << 12n, pattern(PAGE, 3));

  const deviceBytes = pattern(2 * PAGE, 4);
  const devicePa = machine.allocateDeviceMemory(2);
  machine.physical.write(devicePa, deviceBytes);

  // A kernel VA nobody uses: one mapped page followed by an unmapped one.
  let halfMappedVa = 0xffff_f6fb_7000_0000n;
  while (
    machine.kernelSpace.translate(halfMappedVa) !== undefined ||
    machine.kernelSpace.translate(halfMappedVa + 0x1000n) !== undefined
  )
    halfMappedVa += 0x20_0000n;
  const halfPfn = machine.physical.allocateFrame('kernel');
  machine.kernelSpace.map4K(halfMappedVa, halfPfn << 12n);
  const halfMappedBytes = pattern(PAGE, 5);
  machine.physical.write(halfPfn << 12n, halfMappedBytes);

  const driverName = 'wrtest.sys';
  machine.loadModule(driverName, 0x6000, { timeDateStamp: 0x5f5e1234, checkSum: 0xabcd });
  const unloadedName = 'gone_driver.sys';
  machine.unloadModule(machine.loadModule(unloadedName, 0x3000));

  const stackBytes = pattern(0x200, 6);
  const cpu = machine.processors[1] ?? machine.processors[0]!;
  machine.writeVirtual(cpu.stackBase - 0x200n, stackBytes);

  return {
    machine,
    poolVa,
    poolBytes,
    removedVa,
    removedPfn,
    userPfn,
    devicePa,
    deviceBytes,
    halfMappedVa,
    halfMappedBytes,
    stackBytes,
    driverName,
    unloadedName,
  };
}

export const BUGCHECK_CODE = 0x1000007e;
export const BUGCHECK_PARAMETERS = [
  0xc0000005n,
  0xfffff80512345678n,
  0xffff8b0c1d2e3f40n,
  0xffff8b0c1d2e3000n,
] as const;

/** The crashing processor's context as KeBugCheckEx would capture it. */
export function crashContext(machine: Machine, processorIndex: number): ContextAmd64 {
  const cpu = machine.processors[processorIndex]!;
  const base = cpu.context;
  return {
    ...base,
    ContextFlags: CONTEXT_ALL,
    MxCsr: 0x1f80,
    FltSave: { ...base.FltSave, MxCsr: 0x1f80, ControlWord: 0x27f },
    SegCs: 0x10,
    SegDs: 0x2b,
    SegEs: 0x2b,
    SegFs: 0x53,
    SegGs: 0x2b,
    SegSs: 0x18,
    EFlags: 0x282,
    Rip: machine.symbols.KeBugCheckEx,
    Rsp: cpu.stackBase - 0x200n,
    Rbp: cpu.stackBase - 0x100n,
    Rax: 0x7en,
    Rcx: BigInt(BUGCHECK_CODE),
    Rdx: BUGCHECK_PARAMETERS[0],
  };
}

export function crashException(machine: Machine): ExceptionRecord64 {
  return {
    ExceptionCode: 0x80000003,
    ExceptionFlags: 1,
    ExceptionRecord: 0n,
    ExceptionAddress: machine.symbols.KeBugCheckEx,
    NumberParameters: 1,
    ExceptionInformation: [0x1234n, ...Array.from({ length: 14 }, () => 0n)],
  };
}

export type PlanOverrides = Partial<Omit<CrashDumpPlan, 'settings'>> & { settings?: Partial<DumpSettings> };

export function makePlan(
  s: Scenario,
  kind: CrashDumpKind,
  dumpPath: string,
  overrides: PlanOverrides = {},
): CrashDumpPlan {
  const processorIndex = overrides.processorIndex ?? Math.min(1, s.machine.processors.length - 1);
  const { settings, ...rest } = overrides;
  return {
    settings: { kind, completeFormat: 'bitmap', path: dumpPath, ioChunkBytes: 0x100000, ...settings },
    bugCheck: { code: BUGCHECK_CODE, parameters: BUGCHECK_PARAMETERS },
    processorIndex,
    context: crashContext(s.machine, processorIndex),
    exception: crashException(s.machine),
    addedPages: new Set([s.devicePa >> 12n, (s.devicePa >> 12n) + 1n]),
    removedPages: new Set([s.removedPfn]),
    triageRanges: [
      { address: s.poolVa, size: s.poolBytes.length },
      { address: s.halfMappedVa + 0x800n, size: 0x1000 },
      { address: 0x10000n, size: 0x100 },
      { address: 0x0000_9000_0000_0000n, size: 0x10 },
    ],
    secondaryDataSizeEstimate: 0,
    ...rest,
  };
}

export interface IoEvent {
  type: number;
  offset: bigint;
  length: number;
}

export interface WrittenDump {
  summary: DumpWriterSummary;
  events: IoEvent[];
  progress: [bigint, bigint][];
  /** The file rebuilt from the DumpIo reports alone. */
  mirrorPath: string;
}

export interface Blob {
  guid: GuidString;
  data: Uint8Array;
}

/**
 * Runs a whole writer session as KeBugCheckEx would, with a DumpIo listener
 * that mirrors every reported buffer into a second file at its offset.
 */
export function writeDump(s: Scenario, plan: CrashDumpPlan, blobs: readonly Blob[] = []): WrittenDump {
  const mirrorPath = `${plan.settings.path}.mirror`;
  const mirror = fs.openSync(mirrorPath, 'w');
  const events: IoEvent[] = [];
  const progress: [bigint, bigint][] = [];
  try {
    const session = openCrashDumpWriter(s.machine, plan, (type, offset, data) => {
      events.push({ type, offset, length: data === null ? 0 : data.length });
      if (data !== null) fs.writeSync(mirror, data, 0, data.length, Number(offset));
    });
    session.writePrimary((done, total) => progress.push([done, total]));
    for (const b of blobs) session.writeSecondaryData(b.guid, b.data);
    const summary = session.complete();
    return { summary, events, progress, mirrorPath };
  } finally {
    fs.closeSync(mirror);
  }
}

export function filesEqual(a: string, b: string): boolean {
  const fa = fs.openSync(a, 'r');
  const fb = fs.openSync(b, 'r');
  try {
    const sa = fs.fstatSync(fa).size;
    if (sa !== fs.fstatSync(fb).size) return false;
    const ba = Buffer.alloc(1 << 20);
    const bb = Buffer.alloc(1 << 20);
    for (let pos = 0; pos < sa; pos += ba.length) {
      const n = fs.readSync(fa, ba, 0, ba.length, pos);
      fs.readSync(fb, bb, 0, n, pos);
      if (!ba.subarray(0, n).equals(bb.subarray(0, n))) return false;
    }
    return true;
  } finally {
    fs.closeSync(fa);
    fs.closeSync(fb);
  }
}

export function readFileRange(file: string, offset: number, length: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const out = Buffer.alloc(length);
    const n = fs.readSync(fd, out, 0, length, offset);
    return out.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

export const { KbDumpIoHeader, KbDumpIoBody, KbDumpIoSecondaryData, KbDumpIoComplete } = KbDumpIoType;
