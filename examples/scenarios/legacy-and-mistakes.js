// A JavaScript scenario (no types, no build): a legacy KeRegisterBugCheckCallback
// buffer for `bugcheck bugdump`, and a reason callback that breaks two HIGH_LEVEL
// rules, for the violations `bugcheck run` and `bugcheck analyze` report.
//
//   bugcheck run examples/scenarios/legacy-and-mistakes.js --out dumps
//   bugcheck bugdump dumps/legacy-and-mistakes-kernel.dmp DeviceLog
//   bugcheck analyze dumps/legacy-and-mistakes-kernel.dmp

export const options = { memory: '128MiB', processors: 2, dump: { kind: 'kernel' } };

export default function run(system, lib) {
  const driver = system.loadDriver({
    name: 'olddev.sys',
    DriverEntry(d) {
      // Legacy buffer: its routine runs after the dump is written, so the dump shows it as it is now.
      const log = d.allocateNonPaged(0x40);
      d.machine.writeVirtual(log, new TextEncoder().encode('device state: RESETTING, 3 commands queued'));
      d.registerBugCheckCallback(
        function OldDevBugCheckCallback(buffer) {
          d.machine.writeVirtual(buffer, new TextEncoder().encode('too late: not in the dump'));
        },
        log,
        0x40,
        'DeviceLog',
      );

      // Mistakes: allocating pool and waiting at HIGH_LEVEL.
      d.registerReasonCallback(
        function OldDevSecondaryCallback() {
          d.kernel.KeWaitForSingleObject(log);
        },
        lib.KbCallbackReason.KbCallbackSecondaryDumpData,
        'OldDevWaits',
      );
      d.registerReasonCallback(
        function OldDevTriageCallback() {
          d.kernel.ExAllocatePool2(lib.POOL_FLAG_NON_PAGED, 0x100, 'OldD');
        },
        lib.KbCallbackReason.KbCallbackTriageDumpData,
        'OldDevAllocates',
      );
    },
  });
  system.KeBugCheckEx(0xd1, 0x40n, 2n, 1n, driver.codeAddress('OldDevIsr'));
}
