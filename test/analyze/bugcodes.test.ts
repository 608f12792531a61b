import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { requireGenuineDump } from '../genuineDump.js';
import { open } from 'node:fs/promises';
import {
  BUG_CHECK_CODES,
  BUG_CHECK_M_VARIANT_BIT,
  UNKNOWN_BUG_CHECK_NAME_PREFIX,
  bugCheckName,
  describeBugCheckParameters,
  lookupBugCheck,
  type BugCheckCodeInfo,
} from '../../src/analyze/bugcodes.js';
import { DUMP_HEADER64 } from '../../src/format/header.js';

/** Count of rows in the public reference's code table (bug-check-code-reference2.md, dated 2025-07-15). */
const REFERENCE_COUNT = 379;

/** The codes the brief asks parameter meanings for (0x141 and 0x15F are live dump codes, outside the table). */
const COMMON_CODES = [
  0x1, 0xa, 0x19, 0x1a, 0x1e, 0x24, 0x3b, 0x4e, 0x50, 0x7a, 0x7b, 0x7e, 0x7f, 0x9c, 0x9f, 0xa0, 0xbe, 0xc1, 0xc2, 0xc4,
  0xc5, 0xce, 0xd1, 0xd5, 0xd6, 0xe2, 0xea, 0xef, 0xf4, 0xfc, 0x101, 0x109, 0x116, 0x117, 0x119, 0x124, 0x133, 0x139,
  0x13a, 0x144, 0x154, 0x1ca, 0xdeaddead,
];

function known(code: number): BugCheckCodeInfo {
  const info = lookupBugCheck(code);
  assert.ok(info, `0x${code.toString(16)} should be in the table`);
  return info;
}

test('the table holds every code of the public reference, once each, in ascending order', () => {
  assert.equal(BUG_CHECK_CODES.length, REFERENCE_COUNT);
  const codes = BUG_CHECK_CODES.map((i) => i.code);
  assert.equal(new Set(codes).size, codes.length, 'codes are unique');
  assert.equal(new Set(BUG_CHECK_CODES.map((i) => i.name)).size, codes.length, 'names are unique');
  codes.slice(1).forEach((code, i) => {
    const previous = codes[i] ?? -1;
    assert.ok(previous < code, `0x${previous.toString(16)} before 0x${code.toString(16)}`);
  });
  for (const code of codes)
    assert.ok(Number.isInteger(code) && code > 0 && code <= 0xffffffff, `0x${code.toString(16)} is unsigned 32-bit`);
  assert.equal(codes[0], 0x00000001);
  assert.equal(codes[codes.length - 1], 0xdeaddead);
});

test('names are upper-case identifiers and summaries are single lines', () => {
  for (const info of BUG_CHECK_CODES) {
    assert.match(info.name, /^[A-Z][A-Z0-9_]*[A-Z0-9]$/, `name of 0x${info.code.toString(16)}`);
    if (info.summary !== undefined) {
      assert.ok(info.summary.length > 10 && !info.summary.includes('\n'), `summary of ${info.name}`);
    }
  }
});

test('code to name facts from the reference', () => {
  const facts: [number, string][] = [
    [0x00000001, 'APC_INDEX_MISMATCH'],
    [0x0000000a, 'IRQL_NOT_LESS_OR_EQUAL'],
    [0x00000050, 'PAGE_FAULT_IN_NONPAGED_AREA'],
    [0x0000006b, 'PROCESS1_INITIALIZATION_FAILED'],
    [0x0000009f, 'DRIVER_POWER_STATE_FAILURE'],
    [0x000000d1, 'DRIVER_IRQL_NOT_LESS_OR_EQUAL'],
    [0x000000d4, 'SYSTEM_SCAN_AT_RAISED_IRQL_CAUGHT_IMPROPER_DRIVER_UNLOAD'],
    // The reference's table cell splits this name around a link; the page title has it whole.
    [0x000000df, 'IMPERSONATING_WORKER_THREAD'],
    [0x000000ef, 'CRITICAL_PROCESS_DIED'],
    [0x00000124, 'WHEA_UNCORRECTABLE_ERROR'],
    [0x00000133, 'DPC_WATCHDOG_VIOLATION'],
    [0x00000139, 'KERNEL_SECURITY_CHECK_FAILURE'],
    // The reference's table cell says CPI_FIRMWARE_WATCHDOG_TIMEOUT; its own page gives the real name.
    [0x000001d0, 'ACPI_FIRMWARE_WATCHDOG_TIMEOUT'],
    [0x000001d9, 'HAL_IOMMU_INTERNAL_ERROR'],
    [0x00000bff, 'BC_BTHMINI_VERIFIER_FAULT'],
    [0x00020001, 'HYPERVISOR_ERROR'],
    [0x1000007e, 'SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M'],
    [0x100000ea, 'THREAD_STUCK_IN_DEVICE_DRIVER_M'],
    [0x4000008a, 'THREAD_TERMINATE_HELD_MUTEX'],
    [0xc0000218, 'STATUS_CANNOT_LOAD_REGISTRY_FILE'],
    [0xc000021a, 'WINLOGON_FATAL_ERROR'],
    [0xc0000221, 'STATUS_IMAGE_CHECKSUM_MISMATCH'],
    [0xdeaddead, 'MANUALLY_INITIATED_CRASH1'],
  ];
  for (const [code, name] of facts) {
    assert.equal(bugCheckName(code), name);
    assert.equal(known(code).code, code);
  }
});

test('gaps in the numbering and live dump codes are not in the table', () => {
  for (const code of [0x0, 0x83, 0x84, 0x9d, 0x141, 0x15f, 0x1000000a]) {
    assert.equal(lookupBugCheck(code), undefined, `0x${code.toString(16)}`);
  }
});

test('every common code has four parameter meanings and a summary', () => {
  for (const code of COMMON_CODES) {
    const info = known(code);
    assert.ok(info.summary, `${info.name} summary`);
    assert.ok(info.parameters, `${info.name} parameters`);
    assert.equal(info.parameters.length, 4);
    for (const [i, param] of info.parameters.entries()) {
      assert.ok(param.name.trim().length > 0, `${info.name} P${i + 1} name`);
      assert.ok(param.meaning.trim().length > 0, `${info.name} P${i + 1} meaning`);
    }
  }
});

test('codes whose parameter 1 selects a sub-case carry the main cases', () => {
  const expectations: [number, number[]][] = [
    [0x19, [0x2, 0x3, 0x20, 0x21, 0x22]],
    [0x1a, [0x41790, 0x41792, 0x61941, 0x3f, 0x1236]],
    [0x4e, [0x1, 0x2, 0x7, 0x99, 0x9a]],
    [0x9f, [0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x500]],
    [0xa0, [0x1, 0xd, 0xf, 0x101, 0x701]],
    [0xc2, [0x7, 0xa, 0x99]],
    [0xc4, [0x0, 0x3f, 0xe6, 0x1000]],
    [0x124, [0x0, 0x4]],
    [0x133, [0x0, 0x1]],
    [0x139, [0, 2, 3, 10, 37]],
  ];
  for (const [code, values] of expectations) {
    const info = known(code);
    assert.equal(info.caseParameter ?? 1, 1, `${info.name} selects by P1`);
    assert.ok(info.cases, `${info.name} has cases`);
    for (const value of values) {
      const c = info.cases.get(value);
      assert.ok(c, `${info.name} case 0x${value.toString(16)}`);
      assert.ok(c.description.length > 5);
      if (c.parameters !== undefined) {
        assert.equal(c.parameters.length, 3);
        for (const param of c.parameters) assert.ok(param.name.length > 0 && param.meaning.length > 0);
      }
    }
  }
  assert.match(known(0x139).cases?.get(3)?.description ?? '', /FAST_FAIL_CORRUPT_LIST_ENTRY/);
  assert.equal(known(0xc1).caseParameter, 4);
  assert.equal(known(0x109).caseParameter, 4);
  assert.equal(known(0x14f).caseParameter, 2);
});

test("an _M code without meanings of its own gets its base code's", () => {
  for (const [variant, base] of <[number, number][]>[
    [0x1000007e, 0x7e],
    [0x1000007f, 0x7f],
    [0x1000008e, 0x8e],
    [0x100000ea, 0xea],
  ]) {
    assert.equal((variant & ~BUG_CHECK_M_VARIANT_BIT) >>> 0, base);
    const row = BUG_CHECK_CODES.find((i) => i.code === variant);
    assert.ok(row, 'row present');
    assert.equal(row.parameters, undefined, 'the table row itself has no parameters');
    const info = known(variant);
    assert.equal(info.code, variant);
    assert.match(info.name, /_M$/);
    assert.deepEqual(info.parameters, known(base).parameters);
    assert.equal(info.cases, known(base).cases);
  }
  // 0xDEADDEAD has the same bit set but is no _M variant: it keeps its own meanings.
  assert.equal(known(0xdeaddead).name, 'MANUALLY_INITIATED_CRASH1');
  assert.equal(known(0xdeaddead).parameters?.length, 4);
});

test('codes are taken as unsigned, and a signed read of the same ULONG finds the same entry', () => {
  assert.equal(lookupBugCheck(0xc000021a - 0x100000000)?.name, 'WINLOGON_FATAL_ERROR');
  assert.equal(bugCheckName(0xdeaddead | 0), 'MANUALLY_INITIATED_CRASH1'); // int32 view of 0xDEADDEAD
  assert.equal(lookupBugCheck(0x1_0000_0001), undefined);
  assert.equal(lookupBugCheck(1.5), undefined);
  assert.equal(lookupBugCheck(Number.NaN), undefined);
});

test('an unknown code gets a clearly marked fallback name', () => {
  assert.equal(UNKNOWN_BUG_CHECK_NAME_PREFIX, 'UNKNOWN_BUGCHECK_CODE_');
  assert.equal(bugCheckName(0x83), 'UNKNOWN_BUGCHECK_CODE_0x00000083');
  assert.equal(bugCheckName(0x12345678), 'UNKNOWN_BUGCHECK_CODE_0x12345678');
  assert.equal(bugCheckName(-1), 'UNKNOWN_BUGCHECK_CODE_0xFFFFFFFF');
  assert.equal(bugCheckName(1.5), 'UNKNOWN_BUGCHECK_CODE_1.5');
});

test('describeBugCheckParameters refines the meanings by the selected case', () => {
  const stuck = describeBugCheckParameters(0x9f, [0x3n, 0xffffa001n, 0xffffa002n, 0xffffa003n]);
  assert.ok(stuck?.meanings);
  assert.equal(stuck.selected?.value, 3);
  assert.equal(stuck.selected?.parameter, 1);
  assert.equal(stuck.meanings[0].name, 'Violation');
  assert.equal(stuck.meanings[1].name, 'PDO');
  assert.equal(stuck.meanings[3].name, 'Blocked IRP');

  // 0xC1 is selected by parameter 4, so the case's three meanings fill P1-P3.
  const irql = describeBugCheckParameters(0xc1, [2n, 0n, 0x40n, 0x30n]);
  assert.equal(irql?.selected?.parameter, 4);
  assert.deepEqual(
    irql?.meanings?.map((m) => m.name),
    ['Current IRQL', 'Pool type', 'Size', 'Subtype'],
  );

  // 0x14F is selected by parameter 2.
  const pdc = describeBugCheckParameters(0x14f, [7n, 0x100n, 0n, 0n]);
  assert.deepEqual(
    pdc?.meanings?.map((m) => m.name),
    ['Client ID', 'Client type', 'Reason', 'Path'],
  );

  // A selector value without a case, or one wider than 32 bits, leaves the general meanings.
  const other = describeBugCheckParameters(0x9f, [0x77n, 0n, 0n, 0n]);
  assert.equal(other?.selected, undefined);
  assert.deepEqual(other?.meanings, known(0x9f).parameters);
  assert.equal(describeBugCheckParameters(0x9f, [0x1_0000_0003n, 0n, 0n, 0n])?.selected, undefined);

  // A code with no meanings in the table, and a code not in it.
  const bare = describeBugCheckParameters(0x2, [0n, 0n, 0n, 0n]);
  assert.equal(bare?.info.name, 'DEVICE_QUEUE_NOT_BUSY');
  assert.equal(bare?.meanings, undefined);
  assert.equal(describeBugCheckParameters(0x83, [0n, 0n, 0n, 0n]), undefined);
});

async function readGenuineHeader(t: TestContext): Promise<Uint8Array | undefined> {
  const path = requireGenuineDump(t);
  if (path === undefined) return undefined;
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(DUMP_HEADER64.size);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    assert.equal(bytesRead, buffer.length, 'dump header read whole');
    return buffer;
  } finally {
    await handle.close();
  }
}

test("the bug check of the genuine triage dump resolves to its name and the base code's meanings", async (t) => {
  const bytes = await readGenuineHeader(t);
  if (bytes === undefined) return;
  const header = DUMP_HEADER64.decode(bytes, 0);
  const described = describeBugCheckParameters(header.BugCheckCode, [
    header.BugCheckParameter1,
    header.BugCheckParameter2,
    header.BugCheckParameter3,
    header.BugCheckParameter4,
  ]);
  assert.ok(described, `bug check 0x${header.BugCheckCode.toString(16)} is in the table`);
  assert.equal(described.info.name, 'SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M');
  assert.deepEqual(described.meanings, known(0x7e).parameters);
  assert.equal(described.meanings?.[0].name, 'Exception code');
  // P1 holds the exception's NTSTATUS (sign-extended): an access violation here.
  assert.equal(Number(header.BugCheckParameter1 & 0xffffffffn), 0xc0000005);
});
