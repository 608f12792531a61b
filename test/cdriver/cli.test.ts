/**
 * `bugcheck run DRIVER.c`: good drivers run; bad C (a syntax error, an
 * unknown import, a DriverEntry that fails or traps) gives one clear line and
 * exit 1; a routine that traps is reported and survived, and
 * --fail-on-violation turns it into exit 1.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { json, runCli } from '../cli/helpers.js';
import './helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bugcheck-cdriver-cli-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function source(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const ENTRY = (body: string) => `#include <ntddk.h>
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
  UNREFERENCED_PARAMETER(DriverObject);
  UNREFERENCED_PARAMETER(RegistryPath);
${body}
}
`;

function lastLine(text: string): string {
  return text.trimEnd().split('\n').pop() ?? '';
}

describe('bugcheck run DRIVER.c: bad C', () => {
  it('a syntax error: Clang’s diagnostics, then the first error on the last line, exit 1', async () => {
    const file = source('syntax.c', ENTRY('  return STATUS_SUCCESS\n  int x = ;'));
    const run = await runCli(['run', file, '--out', dir]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /syntax\.c:\d+:\d+: error: expected ';' after return statement\n/);
    assert.match(run.stderr, /\^/, 'with the caret line as Clang prints it');
    assert.match(
      lastLine(run.stderr),
      /^bugcheck: error: \S*syntax\.c:5:24: error: expected ';' after return statement \(E_CDRIVER_COMPILE\)$/,
    );
    const j = json<{ error: { code: string; details: { diagnostics: string } } }>(
      await runCli(['run', file, '--out', dir, '--json']),
    );
    assert.equal(j.error.code, 'E_CDRIVER_COMPILE');
    assert.match(j.error.details.diagnostics, /1 error generated/);
  });

  it('functions no kernel service provides: one line naming the driver and every one of them', async () => {
    const file = source(
      'imports.c',
      `#include <ntddk.h>
NTSTATUS IoCreateDevice(PDRIVER_OBJECT, ULONG, PUNICODE_STRING, ULONG, ULONG, BOOLEAN, PVOID *);
VOID ZwCloseEverything(void);
${ENTRY('  PVOID device;\n  ZwCloseEverything();\n  return IoCreateDevice(DriverObject, 0, NULL, 0, 0, FALSE, &device);')}`,
    );
    const run = await runCli(['run', file, '--out', dir]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
    assert.match(
      run.stderr,
      /^bugcheck: error: imports\.sys cannot be loaded: it imports functions no kernel service provides: (IoCreateDevice, ZwCloseEverything|ZwCloseEverything, IoCreateDevice) \(E_CDRIVER_IMPORTS\)\n$/,
    );
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.startsWith('imports')),
      ['imports.c'],
      'no dump',
    );
  });

  it('a DriverEntry that fails: its status in one line, exit 1', async () => {
    const file = source('fails.c', ENTRY('  return STATUS_INSUFFICIENT_RESOURCES;'));
    const run = await runCli(['run', file, '--out', dir]);
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr,
      'bugcheck: error: fails.sys: DriverEntry returned 0xC000009A (E_CDRIVER_DRIVER_ENTRY_FAILED)\n',
    );
  });

  it('a trap in DriverEntry: one line with the C function and file:line, exit 1', async () => {
    const file = source(
      'traps.c',
      `#include <ntddk.h>
static VOID Helper(volatile ULONG *p) { *p = 1; }
${ENTRY('  Helper((volatile ULONG *)0x10);\n  return STATUS_SUCCESS;')}`,
    );
    const run = await runCli(['run', file, '--out', dir]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
    assert.match(
      run.stderr,
      /^bugcheck: error: traps\.sys: DriverEntry failed: page fault: write of 0x10 \(not-mapped\) in traps\.sys!(Helper|DriverEntry) \(\S*traps\.c:2\) \(E_CDRIVER_TRAP\)\n$/,
    );
  });
});

describe('bugcheck run DRIVER.c: a routine that traps, several files, options', () => {
  const main = () =>
    source(
      'crashy.c',
      `#include <ntddk.h>
VOID RegisterCrashy(void);
${ENTRY('  DbgPrint("crashy: %s\\n", "loaded");\n  RegisterCrashy();\n  return STATUS_SUCCESS;')}`,
    );
  const other = () =>
    source(
      'crashy_cb.c',
      `#include <ntddk.h>
static KBUGCHECK_REASON_CALLBACK_RECORD g_Record;
static volatile ULONG g_Zero;
static VOID Crashy(KBUGCHECK_CALLBACK_REASON Reason, PKBUGCHECK_REASON_CALLBACK_RECORD Record, PVOID Data, ULONG Length) {
  UNREFERENCED_PARAMETER(Reason); UNREFERENCED_PARAMETER(Record); UNREFERENCED_PARAMETER(Data);
  DbgPrint("crashy: %lu\\n", Length / g_Zero);
}
VOID RegisterCrashy(void) {
  KeInitializeCallbackRecord(&g_Record);
  KeRegisterBugCheckReasonCallback(&g_Record, Crashy, KbCallbackSecondaryDumpData, (PUCHAR)"Crashy");
}
`,
    );

  it('compiles the files as one driver named after the first; the trap is reported and the dump written', async () => {
    const run = await runCli([
      'run',
      main(),
      other(),
      '--out',
      dir,
      '--bugcheck',
      'DRIVER_IRQL_NOT_LESS_OR_EQUAL,0x18,2',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Bug check: DRIVER_IRQL_NOT_LESS_OR_EQUAL \(0xd1\) 0x18, 0x2, 0x0, 0x0$/m);
    assert.match(
      run.stdout,
      /^ {2}Crashy {2}KbCallbackSecondaryDumpData {2}BufferIncomplete {2}1 call .* in crashy\.sys$/m,
    );
    assert.match(
      run.stdout,
      /violation \[exception\]: CTrap: integer divide by zero in crashy\.sys!Crashy \(\S*crashy_cb\.c:6\)/,
    );
    assert.match(run.stdout, /^ {2}\[crashy\.sys\] crashy: loaded$/m);
    assert.ok(fs.existsSync(path.join(dir, 'crashy-kernel.dmp')));
  });

  it('--fail-on-violation exits 1; --json carries the violation and the DbgPrint output', async () => {
    const run = await runCli(['run', main(), other(), '--out', dir, '--fail-on-violation', '--json']);
    assert.equal(run.code, 1);
    const report = json<{
      runs: {
        bugCheck: { code: string };
        violations: { kind: string; detail: string }[];
        dbgPrint: { driver: string; text: string }[];
      }[];
    }>(run);
    assert.equal(report.runs[0]?.bugCheck.code, '0xe2');
    assert.equal(report.runs[0]?.violations[0]?.kind, 'exception');
    assert.deepEqual(
      report.runs[0]?.dbgPrint.map((e) => [e.driver, e.text]),
      [['crashy.sys', 'crashy: loaded\n']],
    );
  });

  it('usage errors: .c mixed with a scenario, a bad --bugcheck, -D on a scenario (exit 2)', async () => {
    for (const argv of [
      ['run', main(), path.join(dir, 'x.ts')],
      ['run', main(), '--bugcheck', '0xD1,zz'],
      ['run', main(), '--bugcheck', 'NOT_A_BUG_CHECK'],
      ['run', path.join(dir, 'x.ts'), '-D', 'X=1'],
    ]) {
      const run = await runCli(argv);
      assert.equal(run.code, 2, `${argv.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /\(E_USAGE\)/);
    }
  });
});
