import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

let dir: Promise<string> | undefined;
let counter = 0;
after(async () => {
  if (dir !== undefined) await rm(await dir, { recursive: true, force: true });
});

/**
 * A fresh folder directly in os.tmpdir() (removed after the test file):
 * outside this repository, so no package.json with "type": "module" applies.
 */
export async function tempFolder(name = 'case'): Promise<string> {
  dir ??= mkdtemp(join(tmpdir(), 'bugcheck-scenario-'));
  const path = join(await dir, `${name}-${counter++}`);
  await mkdir(path, { recursive: true });
  return path;
}

/** Writes a scenario source into a fresh temp folder and returns its path. */
export async function writeScenario(fileName: string, source: string): Promise<string> {
  const folder = await tempFolder('scenario');
  const path = join(folder, fileName);
  await writeFile(path, source);
  return path;
}

/** GUID the test scenarios tag their secondary data with. */
export const TEST_GUID = '6f1d0c55-2b1e-4f7a-9c1a-0d5e7c3b9a01';
/** Bytes the test scenarios put in that block. */
export const TEST_BLOCK_TEXT = 'last request: IRP_MJ_READ at DISPATCH_LEVEL';

/**
 * A copy-paste style TypeScript scenario: `import type` from 'bugcheck'
 * (erased, never resolved), an interface, top-level await and
 * import.meta — ESM-only features — and a driver with one secondary data
 * callback, then a 0xD1 blamed on the driver.
 */
export function typescriptScenario(options = "{ memory: '64MiB', processors: 2 }"): string {
  return `import type { ScenarioDefinition } from 'bugcheck';

interface Note { text: string }
const note: Note = { text: ${JSON.stringify(TEST_BLOCK_TEXT)} };
const ready: boolean = await Promise.resolve(import.meta.url.startsWith('file:'));

export default {
  options: ${options},
  run(system, lib) {
    if (!ready) throw new Error('import.meta.url is not a file URL');
    const driver = system.loadDriver({
      name: 'mydriver.sys',
      DriverEntry(d) {
        const log = d.allocateNonPaged(0x100);
        d.machine.writeVirtual(log, new TextEncoder().encode(note.text));
        d.registerReasonCallback((_reason, _record, data) => {
          const v = d.kernel.view(lib.KBUGCHECK_SECONDARY_DUMP_DATA, data);
          v.set('OutBufferLength', note.text.length);
          if (v.get('OutBuffer') !== 0n) {
            v.set('Guid', ${JSON.stringify(TEST_GUID)});
            v.set('OutBuffer', log);
          }
        }, lib.KbCallbackReason.KbCallbackSecondaryDumpData, 'MyDriver');
      },
    });
    system.KeBugCheckEx(lib.bugCheckCode('DRIVER_IRQL_NOT_LESS_OR_EQUAL'), 0x10n, 2n, 0n, driver.codeAddress('MyDriverDpc'));
  },
} satisfies ScenarioDefinition;
`;
}

/** The same scenario as plain JavaScript: a default-exported run function and a named options export. */
export function javascriptScenario(): string {
  return `export const options = { memory: '64MiB', dump: { kind: 'small' } };

export default function run(system, lib, context) {
  const text = ${JSON.stringify(TEST_BLOCK_TEXT)} + ' (' + context.dumpKind + ')';
  const driver = system.loadDriver({
    name: 'jsdriver.sys',
    DriverEntry(d) {
      const log = d.allocateNonPaged(0x100);
      d.machine.writeVirtual(log, new TextEncoder().encode(text));
      d.registerReasonCallback((_reason, _record, data) => {
        const v = d.kernel.view(lib.KBUGCHECK_SECONDARY_DUMP_DATA, data);
        v.set('OutBufferLength', text.length);
        if (v.get('OutBuffer') !== 0n) {
          v.set('Guid', ${JSON.stringify(TEST_GUID)});
          v.set('OutBuffer', log);
        }
      }, lib.KbCallbackReason.KbCallbackSecondaryDumpData, 'JsDriver');
    },
  });
  system.KeBugCheckEx(0xd1, 0x20n, 2n, 1n, driver.codeAddress('JsDpc'));
}
`;
}
