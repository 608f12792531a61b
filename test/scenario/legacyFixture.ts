import { createMachine, type SimulatedSystem } from '../../src/system.js';
import type { CrashDumpKind } from '../../src/kernel/index.js';

/** What the legacy callbacks' buffers held before the crash, and what one of them writes during it. */
export const BEFORE_CRASH = new TextEncoder().encode(
  'flight log: 17 requests pending, last IRP_MJ_WRITE to \\Device\\Harddisk0',
);
export const DURING_CRASH = new TextEncoder().encode('WRITTEN BY THE LEGACY ROUTINE DURING THE BUG CHECK');

export interface LegacyFixture {
  system: SimulatedSystem;
  dumpPath: string;
  /** Buffer addresses by component. */
  buffers: Record<'FlightLog' | 'PartlyGone' | 'NoBuffer', bigint>;
  records: Record<'FlightLog' | 'PartlyGone' | 'NoBuffer', bigint>;
  /** Bytes the PartlyGone buffer held before the crash (its first page; the rest is unmapped). */
  partlyGonePage: Uint8Array;
}

/**
 * A small machine with three legacy KeRegisterBugCheckCallback records,
 * bug-checked into a dump of `kind`:
 * - FlightLog: a 0x80-byte buffer holding BEFORE_CRASH; its routine
 *   overwrites it with DURING_CRASH (after the dump is written);
 * - PartlyGone: Length 0x1100 over a two-page big pool allocation whose
 *   second page is unmapped after registration (0x100 bytes are not in any dump);
 * - NoBuffer: Buffer NULL, Length 0.
 */
export function legacyCallbackDump(kind: CrashDumpKind, dumpPath: string): LegacyFixture {
  const system = createMachine({ memoryBytes: 64n << 20n, processors: 2, kernel: { dump: { kind, path: dumpPath } } });
  const buffers = { FlightLog: 0n, PartlyGone: 0n, NoBuffer: 0n };
  const records = { FlightLog: 0n, PartlyGone: 0n, NoBuffer: 0n };
  const partlyGonePage = new Uint8Array(0x1000);
  for (let i = 0; i < partlyGonePage.length; i++) partlyGonePage[i] = (i * 13 + 7) & 0xff;
  system.loadDriver({
    name: 'legacy.sys',
    DriverEntry(d) {
      buffers.FlightLog = d.allocateNonPaged(0x80);
      const flight = new Uint8Array(0x80);
      flight.set(BEFORE_CRASH);
      d.machine.writeVirtual(buffers.FlightLog, flight);
      records.FlightLog = d.registerBugCheckCallback(
        function FlightLogBugCheckCallback(buffer) {
          d.machine.writeVirtual(buffer, DURING_CRASH);
        },
        buffers.FlightLog,
        0x80,
        'FlightLog',
      );
      // Resident when registered (the kernel checks), then its second page goes away before the crash.
      buffers.PartlyGone = d.allocateNonPaged(0x2000);
      d.machine.writeVirtual(buffers.PartlyGone, partlyGonePage);
      records.PartlyGone = d.registerBugCheckCallback(
        function PartlyGoneCallback() {},
        buffers.PartlyGone,
        0x1100,
        'PartlyGone',
      );
      d.machine.kernelSpace.unmap(buffers.PartlyGone + 0x1000n);
      records.NoBuffer = d.registerBugCheckCallback(function NoBufferCallback() {}, 0n, 0, 'NoBuffer');
    },
  });
  system.KeBugCheckEx(0xd1, 0x28n, 2n, 0n, system.drivers[0]!.codeAddress('LegacyDpc'));
  return { system, dumpPath, buffers, records, partlyGonePage };
}
