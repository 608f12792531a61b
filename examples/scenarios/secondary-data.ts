/**
 * A minimal scenario: one driver leaves its last request in the dump as
 * secondary data, then a 0xD1 is blamed on it.
 *
 *   bugcheck run examples/scenarios/secondary-data.ts --out dumps
 *   bugcheck enumtag dumps/secondary-data-kernel.dmp
 *
 * Copy it anywhere and change it: it needs no build step and no package.json.
 * The `import type` is erased when it runs (elsewhere, write `from 'bugcheck'`).
 */
import type { ScenarioDefinition } from '../../src/scenario/index.js';

const LAST_REQUEST_GUID = '3c2d4b1a-8f6e-4d2c-9b1a-5e4f3a2b1c0d';

export default {
  options: { memory: '128MiB', processors: 2, dump: { kind: 'kernel' } },
  run(system, lib) {
    const driver = system.loadDriver({
      name: 'mydriver.sys',
      DriverEntry(d) {
        // Whatever the callback hands over must exist before the crash, in nonpaged memory.
        const lastRequest = d.allocateNonPaged(0x100);
        d.machine.writeVirtual(lastRequest, new TextEncoder().encode('IRP_MJ_READ offset 0x4000 length 0x200'));
        d.registerReasonCallback(
          function MyBugCheckSecondaryDumpDataCallback(_reason, _record, data) {
            const request = d.kernel.view(lib.KBUGCHECK_SECONDARY_DUMP_DATA, data);
            request.set('OutBufferLength', 0x100); // size pass (OutBuffer NULL): how much we will write
            if (request.get('OutBuffer') === 0n) return;
            request.set('Guid', LAST_REQUEST_GUID); // data pass: tag the block, point at our buffer
            request.set('OutBuffer', lastRequest);
          },
          lib.KbCallbackReason.KbCallbackSecondaryDumpData,
          'MyDriver',
        );
      },
    });
    system.KeBugCheckEx(
      lib.bugCheckCode('DRIVER_IRQL_NOT_LESS_OR_EQUAL'),
      0x18n,
      2n,
      0n,
      driver.codeAddress('MyDriverDpc'),
    );
  },
} satisfies ScenarioDefinition;
