import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DUMP_HEADER64, TRIAGE_DUMP64 } from '../../src/format/index.js';
import { genuineDump } from '../analyze/helpers.js';
import { json, runCli } from './helpers.js';

interface HeaderJson {
  title: string;
  sections: {
    structure: string;
    offset: string;
    size: number;
    fields: { offset: string; name: string; type: string; size: number; value: string; note?: string }[];
  }[];
}

describe('bugcheck header', () => {
  it('lists every header field with its offset, then TRIAGE_DUMP64', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const run = await runCli(['header', path]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.equal(lines[0], '----- 64 bit Kernel Mini Dump Analysis');
    assert.ok(lines.some((l) => /^ {2}0x00C +MinorVersion +0x4a61 +build 19041$/.test(l)));
    assert.ok(
      lines.some((l) => /^ {2}0x038 +BugCheckCode +0x1000007e +SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M$/.test(l)),
    );
    for (const f of DUMP_HEADER64.fields.filter((x) => x.name !== 'Exception')) {
      const offset = `0x${f.offset.toString(16).toUpperCase().padStart(3, '0')}`;
      assert.ok(
        lines.some((l) => l.startsWith(`  ${offset}`) && l.includes(` ${f.name} `)),
        `${f.name} at ${offset}`,
      );
    }
    assert.ok(lines.includes('TRIAGE_DUMP64 (file offset 0x2000, 0x080 bytes):'));
    assert.ok(lines.some((l) => /^ {2}0x2078 +DataBlocksOffset +0x19438$/.test(l)));
  });

  it('--json gives sections with hex offsets', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const h = json<HeaderJson>(await runCli(['header', path, '--json']));
    assert.equal(h.title, '64 bit Kernel Mini Dump Analysis');
    assert.deepEqual(
      h.sections.map((s) => [s.structure, s.offset]),
      [
        ['DUMP_HEADER64', '0x0'],
        ['TRIAGE_DUMP64', '0x2000'],
        ['DUMP_BLOB_FILE_HEADER', '0x13a28c'],
      ],
    );
    const minor = h.sections[0]!.fields.find((f) => f.name === 'MinorVersion');
    assert.deepEqual(minor, {
      offset: '0xc',
      name: 'MinorVersion',
      type: 'u32',
      size: 4,
      value: '0x4a61',
      note: 'build 19041',
    });
    assert.equal(h.sections[1]!.fields.length, TRIAGE_DUMP64.fields.length);
  });
});
