import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SYNTH_MODULES, genuineDump, readAt, synthKernelDump, writeTemp } from '../analyze/helpers.js';
import { json, runCli } from './helpers.js';

interface ModulesJson {
  loaded: { name: string; image: string; base: string; end: string; size: number; timeDateStamp: string; timestamp?: string; checkSum: string }[];
  unloaded: { name: string; base: string; end: string; size: number }[];
  problems: unknown[];
}

describe('bugcheck modules', () => {
  it('lists the 151 loaded and the unloaded drivers in a table', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const run = await runCli(['modules', path]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.equal(lines[0], '151 loaded modules:');
    assert.match(lines[1]!, /^start +end +size +timestamp +module +image$/);
    assert.match(lines[2]!, /^fffff8047ba00000 +fffff8047ca46000 +01046000 +0d8333e6 \S+ +nt +\\SystemRoot\\system32\\ntoskrnl\.exe$/);
    assert.ok(lines.some((l) => /^fffff8048b580000 +fffff8048b5bb000 +0003b000 .* amdppm +\\SystemRoot\\System32\\drivers\\amdppm\.sys$/.test(l)));
    const unloadedAt = lines.findIndex((l) => /^\d+ unloaded modules?:$/.test(l));
    assert.ok(unloadedAt > 151);
    assert.equal(lines.slice(3, unloadedAt - 1).filter((l) => l !== '').length, 150);
    assert.ok(lines.every((l) => l === l.trimEnd()), 'no trailing padding');
  });

  it('--json matches the driver list in the file', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const m = json<ModulesJson>(await runCli(['modules', path, '--json']));
    assert.equal(m.loaded.length, 151);
    // Driver entries straight from the file: DriverListOffset at TRIAGE_DUMP64+0x30, 0x90 bytes each, DllBase at +0x38, SizeOfImage at +0x48.
    const triage = new DataView((await readAt(path, 0x2000, 0x80)).buffer);
    const list = new DataView((await readAt(path, triage.getUint32(0x30, true), 151 * 0x90)).buffer);
    m.loaded.forEach((mod, i) => {
      const base = list.getBigUint64(i * 0x90 + 0x38, true);
      const size = list.getUint32(i * 0x90 + 0x48, true);
      assert.equal(mod.base, '0x' + base.toString(16));
      assert.equal(mod.size, size);
      assert.equal(mod.end, '0x' + (base + BigInt(size)).toString(16));
    });
    assert.equal(m.loaded[0]!.name, 'nt');
    assert.equal(m.loaded[0]!.timeDateStamp, '0xd8333e6');
    assert.equal(m.loaded[0]!.timestamp, new Date(0x0d8333e6 * 1000).toISOString().replace('.000Z', 'Z'));
    assert.ok(m.unloaded.length > 0);
    for (const u of m.unloaded) assert.equal(BigInt(u.end) - BigInt(u.base), BigInt(u.size));
    assert.deepEqual(m.problems, []);
  });

  it('walks PsLoadedModuleList in a full dump', async () => {
    const path = await writeTemp(synthKernelDump(1, new Uint8Array(0x1000)));
    const m = json<ModulesJson>(await runCli(['modules', path, '--json']));
    assert.deepEqual(m.loaded.map((x) => [x.name, x.base, x.size]), SYNTH_MODULES.map((x) => [x.name === 'ntoskrnl.exe' ? 'nt' : x.name.replace(/\.sys$/, ''), '0x' + x.base.toString(16), x.size]));
    assert.deepEqual(m.unloaded, []);
  });
});
