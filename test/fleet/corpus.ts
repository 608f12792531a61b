/**
 * A corpus of small (triage) dumps for the fleet tests and bench/fleet.ts:
 * a few base dumps written by scenarios — different drivers, bug check codes
 * and faulting functions, some with a secondary-data callback — then copies
 * of them with other parameters and SystemTimes patched into the header,
 * which is how a fleet's crashes of one bug differ. Copies are cheap (a
 * write of ~125 KB), a scenario run is ~30 ms of CPU: 10,000 dumps take
 * seconds, not minutes.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DUMP_HEADER64 } from '../../src/format/index.js';
import { runScenario, scenarioFromDefinition } from '../../src/scenario/index.js';

const DRIVERS = ['netfilt.sys', 'storflt.sys', 'usbhubx.sys', 'gfxkm.sys', 'audiokm.sys', 'fsmini.sys', 'kbdhook.sys'];
const FUNCTIONS = ['DispatchRead', 'CompletionRoutine', 'DpcForIsr', 'WorkItem'];

/** A bug check code, which parameter holds the faulting instruction, and how the other parameters vary. */
interface CodeShape {
  code: number;
  ipParameter: number;
  vary: (i: number) => [bigint, bigint, bigint, bigint];
}
const CODES: CodeShape[] = [
  {
    code: 0xd1,
    ipParameter: 3,
    vary: (i) => [0xffffd00000000000n + BigInt(i) * 0x18n, BigInt(i % 3), BigInt(i & 1), 0n],
  },
  { code: 0x0a, ipParameter: 3, vary: (i) => [BigInt(i) * 0x1000n, 2n, BigInt(i & 1), 0n] },
  { code: 0x50, ipParameter: 2, vary: (i) => [0xffffb00000000000n + BigInt(i) * 8n, BigInt(i & 1), 0n, 2n] },
  { code: 0x1e, ipParameter: 1, vary: (i) => [[0xc0000005n, 0x80000003n, 0xc0000094n][i % 3]!, 0n, 0n, 0n] },
  { code: 0x1000007e, ipParameter: 1, vary: (i) => [[0xc0000005n, 0xc000001dn][i % 2]!, 0n, 0n, 0n] },
];
const BLOB_GUID = '5b0c0fb3-3e4e-4f8a-9c21-7d1e6a2b9f40';

export interface CorpusBase {
  file: string;
  code: number;
  driver: string;
  bytes: Uint8Array;
}

/** Writes `count` base dumps from scenarios into `dir` (one fresh 64 MiB machine each). */
export async function writeBaseDumps(dir: string, count: number): Promise<CorpusBase[]> {
  const bases: CorpusBase[] = [];
  for (let b = 0; b < count; b++) {
    const shape = CODES[b % CODES.length]!;
    const driverName = DRIVERS[b % DRIVERS.length]!;
    const fn = FUNCTIONS[Math.floor(b / DRIVERS.length) % FUNCTIONS.length]!;
    const scenario = scenarioFromDefinition(
      {
        options: { memory: '64MiB', processors: 1 + (b % 2), seed: 1000 + b, dump: { kind: 'small' } },
        run(system, lib) {
          const driver = system.loadDriver({
            name: driverName,
            DriverEntry(d) {
              if (b % 3 !== 0) return;
              const state = d.allocateNonPaged(0x80);
              d.machine.writeVirtual(state, new TextEncoder().encode(`${driverName} state ${b}`));
              d.registerReasonCallback(
                (_reason, _record, data) => {
                  const sdd = d.kernel.view(lib.KBUGCHECK_SECONDARY_DUMP_DATA, data);
                  sdd.set('OutBufferLength', 0x80);
                  if (sdd.get('OutBuffer') === 0n) return;
                  sdd.set('Guid', BLOB_GUID);
                  sdd.set('OutBuffer', state);
                },
                lib.KbCallbackReason.KbCallbackSecondaryDumpData,
                driverName.replace('.sys', ''),
              );
            },
          });
          // Several labels first, so functions sit at different offsets of the image.
          for (const f of FUNCTIONS) if (f !== fn) driver.codeAddress(`${f}_pad`);
          const parameters = shape.vary(b);
          parameters[shape.ipParameter] = driver.codeAddress(fn);
          system.KeBugCheckEx(shape.code, ...parameters);
        },
      },
      `base-${String(b).padStart(3, '0')}`,
    );
    const outcome = await runScenario(scenario, { outDir: dir });
    const file = outcome.runs[0]!.dumpPath;
    bases.push({ file, code: shape.code, driver: driverName, bytes: await readFile(file) });
  }
  return bases;
}

/** FILETIME of 2025-01-01T00:00:00Z. */
const FILETIME_2025 = 133801920000000000n;
const FILETIME_PER_MINUTE = 600_000_000n;

/**
 * Writes `count` dumps into `dir` (100 to a sub-folder): `bases` base dumps
 * from scenarios, the rest copies of them with P1..P4 (all but the faulting
 * instruction) and SystemTime patched. Returns the files in the order written.
 */
export async function writeCorpus(dir: string, count: number, bases = 60): Promise<string[]> {
  const baseDir = join(dir, 'base');
  await mkdir(baseDir, { recursive: true });
  const base = await writeBaseDumps(baseDir, Math.min(bases, count));
  const files = base.map((b) => b.file);
  const o = DUMP_HEADER64.offsets;
  const folders = new Set<string>();
  for (let i = base.length; i < count; i++) {
    const from = base[i % base.length]!;
    const shape = CODES.find((c) => c.code === from.code)!;
    const bytes = new Uint8Array(from.bytes);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const parameters = shape.vary(i);
    const at = [o.BugCheckParameter1, o.BugCheckParameter2, o.BugCheckParameter3, o.BugCheckParameter4];
    for (const [p, offset] of at.entries())
      if (p !== shape.ipParameter) view.setBigUint64(offset, parameters[p]!, true);
    view.setBigUint64(o.SystemTime, FILETIME_2025 + BigInt((i * 7919) % 525_600) * FILETIME_PER_MINUTE, true);
    const sub = join(dir, String(Math.floor(i / 100)).padStart(3, '0'));
    if (!folders.has(sub)) {
      await mkdir(sub, { recursive: true });
      folders.add(sub);
    }
    const file = join(sub, `crash-${String(i).padStart(5, '0')}.dmp`);
    await writeFile(file, bytes);
    files.push(file);
  }
  return files;
}
