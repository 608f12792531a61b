import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFile } from 'node:fs/promises';
import { TRIAGE_DUMP64 } from '../../src/format/index.js';
import { SYNTH_MODULES, genuineDump, readAt, synthKernelDump, writeTemp } from '../analyze/helpers.js';
import {
  PageTableBuilder,
  SynthMemory,
  VirtualHeap,
  buildDump,
  writeKdDebuggerData,
  writeModuleList,
} from '../synth/index.js';
import { json, runCli } from './helpers.js';

interface ModulesJson {
  loaded: {
    name: string;
    image: string;
    base: string;
    end: string;
    size: number;
    timeDateStamp: string;
    timestamp?: string;
    checkSum: string;
  }[];
  unloaded: { name: string; base: string; end: string; size: number }[];
  problems: { severity: string; message: string }[];
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
    // nt's TimeDateStamp is a build hash (it would read 1977): hex only. CLFS's (2012) can be a date.
    assert.match(
      lines[2]!,
      /^fffff8047ba00000 +fffff8047ca46000 +01046000 +0d8333e6 +nt +\\SystemRoot\\system32\\ntoskrnl\.exe$/,
    );
    assert.ok(
      lines.some((l) => /^\S+ +\S+ +\S+ +fe185fa8 +kd +/.test(l)),
      'kd.sys: 2105 is no date',
    );
    assert.ok(lines.some((l) => /^\S+ +\S+ +\S+ +503208a5 2012-08-20T09:51:33Z +CLFS +/.test(l)));
    assert.ok(
      lines.some((l) =>
        /^fffff8048b580000 +fffff8048b5bb000 +0003b000 .* amdppm +\\SystemRoot\\System32\\drivers\\amdppm\.sys$/.test(
          l,
        ),
      ),
    );
    const unloadedAt = lines.findIndex((l) => /^\d+ unloaded modules?:$/.test(l));
    assert.ok(unloadedAt > 151);
    assert.equal(lines.slice(3, unloadedAt - 1).filter((l) => l !== '').length, 150);
    assert.ok(
      lines.every((l) => l === l.trimEnd()),
      'no trailing padding',
    );
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
      assert.equal(mod.base, `0x${base.toString(16)}`);
      assert.equal(mod.size, size);
      assert.equal(mod.end, `0x${(base + BigInt(size)).toString(16)}`);
    });
    assert.equal(m.loaded[0]!.name, 'nt');
    assert.equal(m.loaded[0]!.timeDateStamp, '0xd8333e6');
    assert.equal('timestamp' in m.loaded[0]!, false, 'a hash, not a date');
    assert.equal(m.loaded.find((x) => x.name === 'kd')?.timestamp, undefined, '2105: after the crash');
    assert.equal(m.loaded.find((x) => x.name === 'CLFS')?.timestamp, '2012-08-20T09:51:33Z');
    assert.ok(
      m.loaded
        .filter((x) => x.timestamp !== undefined)
        .every((x) => x.timestamp! >= '1993' && x.timestamp! <= '2021-02-22'),
    );
    assert.ok(m.unloaded.length > 0);
    for (const u of m.unloaded) assert.equal(BigInt(u.end) - BigInt(u.base), BigInt(u.size));
    assert.deepEqual(m.problems, []);
  });

  it('walks PsLoadedModuleList in a full dump', async () => {
    const path = await writeTemp(synthKernelDump(1, new Uint8Array(0x1000)));
    const m = json<ModulesJson>(await runCli(['modules', path, '--json']));
    assert.deepEqual(
      m.loaded.map((x) => [x.name, x.base, x.size]),
      SYNTH_MODULES.map((x) => [
        x.name === 'ntoskrnl.exe' ? 'nt' : x.name.replace(/\.sys$/, ''),
        `0x${x.base.toString(16)}`,
        x.size,
      ]),
    );
    assert.deepEqual(m.unloaded, []);
  });

  it('a damaged driver list in a small dump: the problems on stderr, exit 1, the aligned table of what was read', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const bytes = new Uint8Array(await readFile(path));
    new DataView(bytes.buffer).setUint32(0x2000 + TRIAGE_DUMP64.offsets.DriverCount, 0xffffffff, true);
    const file = await writeTemp(bytes, 'drivercount');
    const run = await runCli(['modules', file]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^bugcheck: error: DriverCount 4294967295 at 0x10828: .* \(E_DUMP_CORRUPT\)$/m);
    assert.doesNotMatch(run.stderr, /E_INTERNAL/);
    // Over a thousand bad name offsets: twenty lines, then one that counts the rest.
    const warnings = run.stderr.split('\n').filter((l) => l.startsWith('bugcheck: warning: '));
    assert.equal(warnings.filter((l) => /is not a valid string-pool entry/.test(l)).length, 20);
    assert.match(
      warnings[warnings.length - 1]!,
      /^bugcheck: warning: \d{3,} more warnings like these not shown \(E_DUMP_CORRUPT\)$/,
    );
    const lines = run.stdout.split('\n');
    const count = Number(/^(\d+) loaded modules:$/.exec(lines[0]!)?.[1]);
    assert.ok(count > 300, `${count} rows: more than cli-table3 is given`);
    // Every row has its columns where the header has them (trailing empty names leave the row shorter).
    const header = lines[1]!;
    const columns = ['end', 'size', 'timestamp', 'module', 'image'].map((h) => header.indexOf(h));
    for (const line of lines.slice(2, 2 + count)) {
      assert.match(line, /^[0-9a-f]{16} {2}[0-9a-f]{16} {2}[0-9a-f]{8} {2}[0-9a-f]{8}/);
      for (const at of columns) if (line.length >= at) assert.equal(line[at - 1], ' ', `${line}\n${header}`);
    }
    assert.match(
      lines[2]!,
      /^fffff8047ba00000 +fffff8047ca46000 +01046000 +0d8333e6 +nt +\\SystemRoot\\system32\\ntoskrnl\.exe$/,
    );

    const asJson = await runCli(['modules', file, '--json']);
    assert.equal(asJson.code, 1);
    const m = json<ModulesJson>(asJson);
    assert.equal(m.loaded.length, count);
    assert.ok(m.problems.some((p) => p.severity === 'error' && /DriverCount 4294967295/.test(p.message)));
  });

  it('shows control characters in module names escaped, never raw', async () => {
    const memory = new SynthMemory();
    const tables = new PageTableBuilder(memory);
    const heap = new VirtualHeap(tables, 0xfffff8047c600000n, 0x2000n);
    const evil = 'evil\x1b[2J\n.sys';
    const list = writeModuleList(heap, [
      { name: 'ntoskrnl.exe', base: 0xfffff8047ba00000n, size: 0x1046000 },
      { name: evil, base: 0xfffff8048b580000n, size: 0x2000 },
    ]);
    const kdbg = writeKdDebuggerData(heap, { KernBase: 0xfffff8047ba00000n, PsLoadedModuleList: list.head });
    const file = await writeTemp(
      buildDump({
        dumpType: 1,
        memory,
        directoryTableBase: tables.directoryTableBase(0x2n),
        kdDebuggerDataBlock: kdbg,
        psLoadedModuleList: list.head,
      }).bytes,
      'evil',
    );
    const run = await runCli(['modules', file]);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, /\x1b/);
    assert.match(run.stdout, /evil\\x1b\[2J\\x0a\.sys/);
    assert.equal(run.stdout.split('\n').filter((l) => l.startsWith('fffff8')).length, 2, 'one line per module');
    assert.equal(
      json<ModulesJson>(await runCli(['modules', file, '--json'])).loaded[1]!.image.endsWith(evil),
      true,
      'JSON keeps the name as it is',
    );
  });
});
