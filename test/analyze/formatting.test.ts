import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  debuggerModuleName,
  fileTimeToIso,
  findModule,
  formatEnumtag,
  formatHexdump,
  formatUptime,
  jsonHex,
  linkTimestampIso,
  moduleOffsetText,
  printable,
  presenceFromStatus,
  windbgAddress,
} from '../../src/analyze/index.js';

describe('analyze: text helpers', () => {
  it('writes addresses like WinDbg and JSON hex without padding', () => {
    assert.equal(windbgAddress(0xfffff8048b58334cn), 'fffff804`8b58334c');
    assert.equal(windbgAddress(0x1000n), '00000000`00001000');
    assert.equal(jsonHex(0x1000007e), '0x1000007e');
    assert.equal(jsonHex(0n), '0x0');
    assert.equal(jsonHex(-1n), '0xffffffffffffffff');
  });

  it('converts FILETIME to ISO and refuses zero and PAGE filler', () => {
    const ms = Date.UTC(2021, 1, 21, 1, 38, 22, 987);
    const fileTime = BigInt(ms) * 10000n + 116444736000000000n;
    assert.equal(fileTimeToIso(fileTime), '2021-02-21T01:38:22.987Z');
    assert.equal(fileTimeToIso(116444736000000000n), '1970-01-01T00:00:00.000Z');
    assert.equal(fileTimeToIso(0n), undefined);
    assert.equal(fileTimeToIso(0x4547415045474150n), undefined);
    assert.equal(fileTimeToIso(0xffffffffffffffffn), undefined, 'beyond the Date range');
  });

  it('writes the ISO text Date would, from 1601 to 9999 (computed without Date)', () => {
    const dates = [1n, 116444735999990000n, 126227808000000000n, 131000000000000001n, 2650467743999999999n];
    for (let i = 0n; i < 500n; i++) dates.push(1n + i * 5300935487999999n);
    for (const fileTime of dates) {
      const expected = new Date(Number((fileTime - 116444736000000000n) / 10000n)).toISOString();
      assert.equal(fileTimeToIso(fileTime), expected, `FILETIME ${fileTime}`);
    }
    assert.equal(fileTimeToIso(126227808000000000n), '2001-01-01T00:00:00.000Z');
  });

  it('shows a module TimeDateStamp as a date only between 1993 and the crash (a day of slack)', () => {
    const crash = new Date('2021-02-21T01:38:22.987Z');
    assert.equal(linkTimestampIso(0x503208a5, crash), '2012-08-20T09:51:33Z');
    assert.equal(linkTimestampIso(0x0d8333e6, crash), undefined, '1977: a hash');
    assert.equal(linkTimestampIso(0xfe185fa8, crash), undefined, '2105: a hash');
    assert.equal(linkTimestampIso(0x9e9a9ac0, crash), undefined, '2054: a hash');
    assert.equal(linkTimestampIso(0, crash), undefined);
    const crashSeconds = Math.floor(crash.getTime() / 1000);
    assert.equal(linkTimestampIso(crashSeconds + 3600, crash), '2021-02-21T02:38:22Z');
    assert.equal(linkTimestampIso(crashSeconds + 2 * 86400, crash), undefined);
    assert.equal(linkTimestampIso(Date.UTC(1993, 0, 1) / 1000, crash), '1993-01-01T00:00:00Z');
  });

  it('escapes control characters of names read from a dump', () => {
    assert.equal(printable('\\SystemRoot\\x.sys'), '\\SystemRoot\\x.sys');
    assert.equal(printable('a\x1b[2Jb\nc\x7f\x9bd\u00e9'), 'a\\x1b[2Jb\\x0ac\\x7f\\x9bd\u00e9');
  });

  it('formats uptime as days h:mm:ss.mmm', () => {
    assert.equal(formatUptime(37470697n), '0 days 0:00:03.747');
    const ticks = ((((2n * 24n + 5n) * 60n + 7n) * 60n + 9n) * 1000n + 42n) * 10000n;
    assert.equal(formatUptime(ticks), '2 days 5:07:09.042');
  });
});

describe('analyze: module helpers', () => {
  const modules = [
    { name: '\\SystemRoot\\system32\\ntoskrnl.exe', base: 0xfffff8047ba00000n, size: 0x1046000 },
    { name: '\\SystemRoot\\System32\\drivers\\amdppm.sys', base: 0xfffff8048b580000n, size: 0x3b000 },
    { name: 'empty.sys', base: 0x1000n, size: 0 },
  ];

  it('names modules as WinDbg does', () => {
    assert.equal(debuggerModuleName(modules[0]!.name), 'nt');
    assert.equal(debuggerModuleName(modules[1]!.name), 'amdppm');
    assert.equal(debuggerModuleName('noext'), 'noext');
  });

  it('finds the module holding an address, end exclusive', () => {
    assert.equal(findModule(modules, 0xfffff8048b58334cn), modules[1]);
    assert.equal(moduleOffsetText(modules[1]!, 0xfffff8048b58334cn), 'amdppm+0x334c');
    assert.equal(findModule(modules, 0xfffff8048b580000n), modules[1]);
    assert.equal(findModule(modules, 0xfffff8048b5bb000n), undefined);
    assert.equal(findModule(modules, 0x1000n), undefined, 'a zero-size module holds nothing');
  });
});

describe('analyze: db-style hexdump', () => {
  const bytes = Uint8Array.from({ length: 20 }, (_, i) => 0x41 + i);

  it('prints 16 bytes a line with a dash after the 8th and an ASCII column', () => {
    const lines = formatHexdump(bytes, { address: 0xfffff8048b58334cn });
    assert.deepEqual(lines, [
      'fffff804`8b58334c  41 42 43 44 45 46 47 48-49 4a 4b 4c 4d 4e 4f 50  ABCDEFGHIJKLMNOP',
      // The short last line keeps the ASCII column where the full lines have it.
      `fffff804\`8b58335c  51 52 53 54${' '.repeat(36)}  QRST`,
    ]);
    assert.equal(lines[0]!.indexOf('ABCD'), lines[1]!.indexOf('QRST'));
  });

  it('shows ?? and ? for bytes that are not in the dump', () => {
    const read = {
      address: 0x1000n,
      status: [
        { address: 0x1000n, length: 4, status: 'present' },
        { address: 0x1004n, length: 16, status: 'not-in-dump' },
      ],
    };
    const lines = formatHexdump(bytes, { address: 0x1000n, isPresent: presenceFromStatus(read.address, read.status) });
    assert.equal(lines[0], '00000000`00001000  41 42 43 44 ?? ?? ?? ??-?? ?? ?? ?? ?? ?? ?? ??  ABCD????????????');
    assert.match(lines[1]!, /^00000000`00001010 {2}\?\? \?\? \?\? \?\? +\?\?\?\?$/);
  });

  it('replaces non-printable bytes with dots and supports offsets and upper case', () => {
    const lines = formatHexdump(Uint8Array.from([0x00, 0x7f, 0x20, 0x7e, 0xab]), { prefix: 'offset', upperCase: true });
    assert.equal(lines[0], `0000  00 7F 20 7E AB${' '.repeat(33)}  .. ~.`);
  });
});

describe('analyze: .enumtag listing', () => {
  it('prints {GUID} - 0xNNN bytes, the preview, and what was left out', () => {
    const lines = formatEnumtag([
      { guid: '54c84888-01d1-4c1e-bed6-282c98241303', size: 0x1000, data: new Uint8Array(0x20).fill(0x61) },
      { guid: '00000000-0000-0000-0000-000000000000', size: 0, data: new Uint8Array(0) },
    ]);
    assert.equal(lines[0], '{54C84888-01D1-4C1E-BED6-282C98241303} - 0x1000 bytes');
    assert.equal(lines[1], '  0000  61 61 61 61 61 61 61 61-61 61 61 61 61 61 61 61  aaaaaaaaaaaaaaaa');
    assert.equal(lines[2], '  0010  61 61 61 61 61 61 61 61-61 61 61 61 61 61 61 61  aaaaaaaaaaaaaaaa');
    assert.equal(lines[3], '  ... 0xfe0 more bytes');
    assert.equal(lines[5], '{00000000-0000-0000-0000-000000000000} - 0x0 bytes');
    assert.equal(lines[6], '');
  });
});
