import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { walkBugCheckCallbacks } from '../../src/analyze/index.js';
import { openDump } from '../../src/dump/reader/index.js';
import { loadScenario, runScenario } from '../../src/scenario/index.js';
import { tempFolder } from './helpers.js';

const example = (name: string): string => fileURLToPath(new URL(`../../examples/scenarios/${name}`, import.meta.url));

describe('example scenarios', () => {
  it('secondary-data.ts leaves its last request in the kernel dump', async () => {
    const outcome = await runScenario(await loadScenario(example('secondary-data.ts')), {
      outDir: await tempFolder('examples'),
    });
    const run = outcome.runs[0]!;
    assert.equal(run.dumpKind, 'kernel');
    assert.deepEqual(run.result.violations, []);
    const dump = await openDump(run.dumpPath);
    try {
      const scan = await dump.secondaryData();
      const blob = scan.blobs.find((b) => b.guid === '3c2d4b1a-8f6e-4d2c-9b1a-5e4f3a2b1c0d');
      assert.ok(blob);
      assert.equal(blob.size, 0x100);
      assert.match(
        Buffer.from(await dump.readBlob(blob)).toString('latin1'),
        /^IRP_MJ_READ offset 0x4000 length 0x200\0/,
      );
    } finally {
      await dump.close();
    }
  });

  it('legacy-and-mistakes.js: two HIGH_LEVEL violations, and the legacy buffer as it was before the crash', async () => {
    const outcome = await runScenario(await loadScenario(example('legacy-and-mistakes.js')), {
      outDir: await tempFolder('examples'),
    });
    const run = outcome.runs[0]!;
    assert.deepEqual(run.result.violations.map((v) => [v.component, v.kind]).sort(), [
      ['OldDevAllocates', 'allocate'],
      ['OldDevWaits', 'wait'],
    ]);
    const dump = await openDump(run.dumpPath);
    try {
      const legacy = await walkBugCheckCallbacks(dump, { component: 'DeviceLog' });
      assert.equal(legacy.records.length, 1);
      assert.match(
        Buffer.from(legacy.records[0]!.data!.bytes).toString('latin1'),
        /^device state: RESETTING, 3 commands queued\0/,
      );
    } finally {
      await dump.close();
    }
  });
});
