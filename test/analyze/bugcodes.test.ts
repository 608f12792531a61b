import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { requireGenuineDump } from '../genuineDump.js';
import { open } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import {
  BUG_CHECK_CODES,
  BUG_CHECK_M_VARIANT_BIT,
  UNKNOWN_BUG_CHECK_NAME_PREFIX,
  bugCheckMemoryAccess,
  bugCheckName,
  describeBugCheckParameters,
  lookupBugCheck,
  type BugCheckCodeInfo,
  type BugCheckParameterInfo,
  type BugCheckParameterNumber,
  type BugCheckParameterRole,
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

test("lookups hand out the table's own entries (built per code range on demand), merged only for _M variants", () => {
  let merged = 0;
  for (const info of BUG_CHECK_CODES) {
    const looked = known(info.code);
    if (looked === info) continue;
    merged++;
    assert.match(info.name, /_M$/, `0x${info.code.toString(16)} differs from its lookup only as an _M variant`);
    assert.equal(info.parameters, undefined);
    assert.deepEqual(looked.parameters, known((info.code & ~BUG_CHECK_M_VARIANT_BIT) >>> 0).parameters);
    assert.equal(known(info.code), looked, 'a merged entry is built once');
  }
  assert.ok(merged >= 1 && merged <= 8, `${merged} merged _M entries`);
  assert.equal(lookupBugCheck(0x200), undefined, 'a code between the ranges that the reference does not list');
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

// ---------------------------------------------------------------------------
// Parameter meanings for the whole reference
// ---------------------------------------------------------------------------

/**
 * sha256 of "<code in hex> <name>\n" for every row, taken from the table before
 * the parameter meanings were filled in: the code and name list must not move.
 */
const CODE_NAME_DIGEST = '401441061b29d78963be95654d73a56eb1ca8038ecf28c60284ff9f0e68620a4';

/** Codes whose reference page has no parameter section at all. */
const UNDOCUMENTED_CODES = [
  0x2, 0x3, 0x4, 0x6, 0x7, 0x8, 0x9, 0xb, 0xd, 0xe, 0x10, 0x11, 0x13, 0x14, 0x15, 0x16, 0x17, 0x1b, 0x1d, 0x1f, 0x22,
  0x28, 0x29, 0x2c, 0x2d, 0x2f, 0x33, 0x37, 0x38, 0x3a, 0x3c, 0x42, 0x43, 0x45, 0x46, 0x47, 0x49, 0x4b, 0x4c, 0x4f,
  0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x5a, 0x5b, 0x5c, 0x5e, 0x5f, 0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x68,
  0x6a, 0x6c, 0x72, 0x78, 0x81, 0x82, 0x97, 0xb9, 0x10a, 0x111, 0x113, 0x114, 0x115, 0x11a,
];

/** Codes whose page lists its parameters as "None" (or all four as not used). */
const NO_PARAMETER_CODES = [
  0xc, 0xf, 0x1c, 0x31, 0x3e, 0x40, 0x58, 0x5d, 0x69, 0x80, 0x8f, 0x90, 0x94, 0x99, 0xa1, 0xa7, 0xb1, 0xb4, 0xdc, 0xde,
  0xe2, 0x11e, 0x123, 0x12d, 0x130, 0x134, 0x140, 0x147, 0x14c, 0x150, 0x155, 0x17b, 0x1cd, 0x1ce, 0xc0000221,
];

/** Names the analyzer reads as "the address of the code at fault" (see src/analyze/README.md). */
const FAULTING_ADDRESS_NAMES = new Set(['Faulting instruction', 'Exception address']);

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** Every parameter meaning of the table: general ones and each case's own. */
function* allParameters(): Generator<{ where: string; param: BugCheckParameterInfo }> {
  for (const info of BUG_CHECK_CODES) {
    for (const [i, param] of (info.parameters ?? []).entries()) yield { where: `${info.name} P${i + 1}`, param };
    for (const [value, c] of info.cases ?? [])
      for (const [i, param] of (c.parameters ?? []).entries())
        yield { where: `${info.name} case ${hex(value)} slot ${i}`, param };
  }
}

/** Four parameters with `value` at the selecting position and 0 elsewhere. */
function withSelector(selector: BugCheckParameterNumber, value: bigint): [bigint, bigint, bigint, bigint] {
  const params: [bigint, bigint, bigint, bigint] = [0n, 0n, 0n, 0n];
  params[selector - 1] = value;
  return params;
}

test('the code and name list is the one the table had before (digest)', () => {
  const text = BUG_CHECK_CODES.map((i) => `${i.code.toString(16)} ${i.name}\n`).join('');
  assert.equal(createHash('sha256').update(text).digest('hex'), CODE_NAME_DIGEST);
});

test('every code has a summary; every documented code has four parameter meanings', () => {
  const undocumented = new Set(UNDOCUMENTED_CODES);
  for (const row of BUG_CHECK_CODES) {
    const info = known(row.code);
    assert.ok(info.summary && info.summary.length > 10, `${info.name} summary`);
    if (undocumented.has(row.code)) {
      assert.equal(info.parametersDocumented, false, `${info.name} is marked undocumented`);
      assert.equal(info.parameters, undefined, `${info.name} has no meanings`);
      assert.equal(describeBugCheckParameters(row.code, [1n, 2n, 3n, 4n])?.meanings, undefined);
      continue;
    }
    assert.equal(info.parametersDocumented, true, `${info.name} is documented`);
    assert.ok(info.parameters, `${info.name} parameters`);
    assert.equal(info.parameters.length, 4);
    for (const [i, param] of info.parameters.entries()) {
      assert.ok(param.name.trim().length > 0, `${info.name} P${i + 1} name`);
      assert.ok(param.meaning.trim().length > 0 && !param.meaning.includes('\n'), `${info.name} P${i + 1} meaning`);
    }
  }
  const documented = BUG_CHECK_CODES.filter((i) => known(i.code).parametersDocumented).length;
  assert.equal(documented, REFERENCE_COUNT - UNDOCUMENTED_CODES.length);
});

test('codes documented as having no parameters get four "Not used" meanings', () => {
  for (const code of NO_PARAMETER_CODES) {
    const info = known(code);
    assert.deepEqual(
      info.parameters?.map((m) => m.name),
      ['Not used', 'Not used', 'Not used', 'Not used'],
      info.name,
    );
  }
  // ...and no other code is all "Not used".
  const allNotUsed = BUG_CHECK_CODES.filter((i) => i.parameters?.every((m) => m.name === 'Not used')).map(
    (i) => i.code,
  );
  assert.deepEqual(allNotUsed, NO_PARAMETER_CODES);
});

test('every case is reachable through describeBugCheckParameters and fills the three other slots', () => {
  let reached = 0;
  for (const row of BUG_CHECK_CODES) {
    if (row.cases === undefined) continue;
    const info = known(row.code);
    assert.ok(info.parameters, `${info.name} with cases has general meanings`);
    const selector = info.caseParameter ?? 1;
    for (const [value, c] of row.cases) {
      assert.ok(c.description.length > 5 && !c.description.includes('\n'), `${info.name} case ${hex(value)}`);
      const described = describeBugCheckParameters(row.code, withSelector(selector, BigInt(value)));
      assert.equal(described?.selected?.info, c, `${info.name} case ${hex(value)} selected`);
      assert.equal(described?.selected?.parameter, selector);
      assert.equal(described?.selected?.value, value);
      const meanings = described?.meanings;
      assert.ok(meanings, `${info.name} case ${hex(value)} meanings`);
      assert.equal(meanings[selector - 1], info.parameters[selector - 1], 'the selector keeps its general meaning');
      const others = meanings.filter((_, i) => i !== selector - 1);
      assert.deepEqual(others, c.parameters ?? info.parameters.filter((_, i) => i !== selector - 1));
      reached++;
    }
  }
  assert.ok(reached > 1000, `${reached} case values reached`);
});

test('a selector passed sign-extended (a 32-bit status in a ULONG_PTR) still selects its case', () => {
  const violation = describeBugCheckParameters(0x1e, [0xffffffffc0000005n, 0xfffff80012345678n, 1n, 0x10n]);
  assert.equal(violation?.selected?.value, 0xc0000005);
  assert.equal(violation?.meanings?.[3].role, 'referencedAddress');
  // The same code unextended, and a value that is neither.
  assert.equal(describeBugCheckParameters(0x1e, [0xc0000005n, 0n, 0n, 0n])?.selected?.value, 0xc0000005);
  assert.equal(describeBugCheckParameters(0x1e, [0x1_c0000005n, 0n, 0n, 0n])?.selected, undefined);
  assert.equal(describeBugCheckParameters(0x1e, [0xc0000094n, 0n, 0n, 0n])?.selected, undefined);
});

test('parameter roles are consistent with the names the analyzer reads', () => {
  const roles: ReadonlySet<BugCheckParameterRole> = new Set([
    'faultingInstruction',
    'referencedAddress',
    'accessType',
    'exceptionCode',
    'status',
    'exceptionRecord',
    'contextRecord',
    'trapFrame',
    'irql',
  ]);
  let faulting = 0;
  for (const { where, param } of allParameters()) {
    if (param.role !== undefined) assert.ok(roles.has(param.role), `${where}: role ${param.role}`);
    assert.equal(
      FAULTING_ADDRESS_NAMES.has(param.name),
      param.role === 'faultingInstruction',
      `${where}: '${param.name}' and role ${param.role} agree`,
    );
    if (param.role === 'faultingInstruction') faulting++;
    if (param.role === 'accessType') assert.ok(param.access && param.access.size > 0, `${where}: access values`);
    else assert.equal(param.access, undefined, `${where}: access values only on an accessType parameter`);
    if (param.accessKind !== undefined) assert.equal(param.role, 'referencedAddress', `${where}: implied access`);
    if (param.name === 'Trap frame') assert.equal(param.role, 'trapFrame', where);
    if (param.name === 'Context record') assert.equal(param.role, 'contextRecord', where);
    if (param.name === 'Exception record') assert.equal(param.role, 'exceptionRecord', where);
  }
  assert.ok(faulting > 50, `${faulting} faulting-instruction parameters`);
  // No code names two different parameters as the faulting instruction in one layout.
  for (const row of BUG_CHECK_CODES) {
    const layouts = [row.parameters, ...[...(row.cases?.values() ?? [])].map((c) => c.parameters)];
    for (const layout of layouts) {
      const n = (layout ?? []).filter((m) => m.role === 'faultingInstruction').length;
      assert.ok(n <= 1, `${row.name}: ${n} faulting instructions in one layout`);
    }
  }
});

test('bugCheckMemoryAccess gives the address a memory-access bug check names, and how it was accessed', () => {
  const cases: [number, [bigint, bigint, bigint, bigint], BugCheckParameterNumber, bigint, string | undefined][] = [
    [0xa, [0x1234n, 2n, 0n, 0xfffff800aa000000n], 1, 0x1234n, 'read'],
    [0xa, [0x1234n, 2n, 1n, 0xfffff800aa000000n], 1, 0x1234n, 'write'],
    [0xa, [0x1234n, 2n, 8n, 0xfffff800aa000000n], 1, 0x1234n, 'execute'],
    [0xd1, [0x28n, 2n, 2n, 0xfffff800aa000000n], 1, 0x28n, 'execute'],
    [0x50, [0xffffc00000001000n, 2n, 0xfffff800aa000000n, 2n], 1, 0xffffc00000001000n, 'write'],
    [0x50, [0xffffc00000001000n, 0x10n, 0n, 0n], 1, 0xffffc00000001000n, 'execute'],
    [0x50, [0xffffc00000001000n, 0x77n, 0n, 0n], 1, 0xffffc00000001000n, undefined],
    [0xbe, [0xfffff800bb000000n, 0x8a000000n, 0n, 0n], 1, 0xfffff800bb000000n, 'write'],
    [0xfc, [0xffffc000cc000000n, 0x8000000000000963n, 0n, 0n], 1, 0xffffc000cc000000n, 'execute'],
    [0x1e, [0xffffffffc0000005n, 0xfffff800aa000000n, 1n, 0x30n], 4, 0x30n, 'write'],
    [0x1000008e, [0xc0000005n, 0n, 0n, 0n], 1, 0n, undefined],
  ];
  for (const [code, params, addressParameter, address, kind] of cases) {
    const access = bugCheckMemoryAccess(code, params);
    if (code === 0x1000008e) {
      assert.equal(access, undefined, '0x8E names no accessed address');
      continue;
    }
    assert.ok(access, `${hex(code)} names an address`);
    assert.equal(access.addressParameter, addressParameter, hex(code));
    assert.equal(access.address, address, hex(code));
    assert.equal(access.kind, kind, `${hex(code)} access ${params.join(',')}`);
  }
  // An exception other than an access violation names no address; neither does an undocumented code.
  assert.equal(bugCheckMemoryAccess(0x1e, [0xc0000094n, 0n, 0n, 0n]), undefined);
  assert.equal(bugCheckMemoryAccess(0x2, [1n, 2n, 3n, 4n]), undefined);
  assert.equal(bugCheckMemoryAccess(0x83, [1n, 2n, 3n, 4n]), undefined);
});

interface SpotCheck {
  readonly code: number;
  /** Selector value, when the check is about a case. */
  readonly value?: number;
  /** Parameter names in order. */
  readonly names?: readonly string[];
  readonly roles?: readonly (BugCheckParameterRole | undefined)[];
  /** [parameter number, pattern its meaning must match]. */
  readonly meanings?: readonly (readonly [BugCheckParameterNumber, RegExp])[];
  readonly description?: RegExp;
}

/** Facts from the reference pages, checked one code at a time (expected values written from each page). */
const SPOT_CHECKS: readonly SpotCheck[] = [
  { code: 0x1, meanings: [[4, /0 for a system call, 1 for a worker routine/]] },
  {
    code: 0xa,
    roles: ['referencedAddress', 'irql', 'accessType', 'faultingInstruction'],
    meanings: [[3, /8 execute/]],
  },
  { code: 0x12, value: 1, names: ['Trap type', 'Interrupt vector', 'Reserved', 'Reserved'] },
  {
    code: 0x1a,
    value: 0x3f,
    names: ['Subtype', 'Pagefile offset', 'Page CRC', 'Expected CRC'],
    description: /CRC/,
  },
  { code: 0x1a, value: 0x5200, names: ['Subtype', 'Free block', 'Found value', 'Expected value'] },
  { code: 0x20, names: ['APC', 'APC disable count', 'Current IRQL', 'Reserved'] },
  {
    code: 0x23,
    roles: [undefined, 'exceptionRecord', 'contextRecord', undefined],
    meanings: [[2, /FatExceptionFilter/]],
  },
  { code: 0x27, meanings: [[1, /0xBAAD exception filter/]] },
  { code: 0x2e, names: ['Virtual address', 'Physical address', 'Processor status', 'Faulting instruction'] },
  { code: 0x3f, meanings: [[1, /0: system expansion PTEs; 1: nonpaged pool expansion PTEs/]] },
  {
    code: 0x4e,
    value: 0x9a,
    description: /still locked for I\/O/,
    names: ['Violation', 'PFN', 'Page state', 'Reference count'],
  },
  {
    code: 0x50,
    meanings: [
      [2, /0x10 execute/],
      [4, /non-canonical/],
    ],
  },
  {
    code: 0x73,
    meanings: [
      [1, /Always 1/],
      [4, /UNICODE_STRING/],
    ],
  },
  { code: 0x76, value: 1, names: ['Violation', 'MDL', 'Locked pages', 'Driver stacks'] },
  { code: 0x77, value: 2, names: ['Status or source', 'Found value', 'Zero', 'Signature address'] },
  { code: 0x77, names: ['Status or source', 'I/O status', 'Pagefile number', 'Pagefile offset'] },
  { code: 0x79, value: 2, meanings: [[2, /0 MP free, 1 MP checked, 2 UP free, 3 UP checked/]] },
  { code: 0x7c, value: 0x25, meanings: [[3, /NDIS_WATCHDOG_TRIAGE_BLOCK/]], description: /watchdog/ },
  { code: 0x85, value: 1, names: ['Failure', 'Video step', 'Status', 'Not used'] },
  { code: 0x93, value: 1, names: ['Handle', 'Handle table', 'Zero', 'Bad handle detection'] },
  { code: 0x9a, value: 5, names: ['Violation', 'Setup code', 'Invalid value', 'Licensed processors'] },
  { code: 0xa0, value: 0x701, names: ['Violation', 'Idle state', 'PRCB', 'Processor'], description: /hung/ },
  { code: 0xa5, value: 0x10003, meanings: [[3, /Bits 5:0 the PCI device number, bits 8:6 the function number/]] },
  { code: 0xbc, meanings: [[1, /0xDDCCBBAA/]] },
  { code: 0xc4, value: 0x2000, names: ['Violation', 'Faulting instruction', 'Pool type', 'Pool tag'] },
  {
    code: 0xc4,
    value: 0x2001f,
    names: ['Violation', 'Rule text', 'Rule state', 'Reserved'],
    description: /IrqlZwPassive \(ZwClose only at PASSIVE_LEVEL\)/,
  },
  { code: 0xc4, value: 0x9400c, names: ['Violation', 'Rule text', 'Rule state', 'Supplemental state'] },
  {
    code: 0xc9,
    value: 0x225,
    roles: [undefined, 'faultingInstruction', undefined, 'status'],
    description: /0xFFFFFFFF/,
  },
  { code: 0xd1, meanings: [[3, /0 read, 1 write, 2 or 8 execute/]] },
  { code: 0xda, value: 0x103, names: ['Violation', 'Mapping', 'Caller tag', 'Mappings'] },
  { code: 0xe6, value: 0x26, names: ['Violation', 'Device object', 'Fault information', 'Fault type'] },
  { code: 0xf4, meanings: [[1, /3 for a process, 6 for a thread/]] },
  { code: 0xfe, value: 8, meanings: [[2, /2 unexpected IRP received by the hub driver/]] },
  { code: 0x10d, value: 0xb, meanings: [[3, /1 a spin lock released by a thread that did not take it/]] },
  {
    code: 0x10e,
    value: 0x44,
    description: /budget/,
    names: ['Error', 'Not documented', 'Not documented', 'Not documented'],
  },
  { code: 0x119, value: 0xe00, description: /passive flip/ },
  { code: 0x122, value: 6, names: ['Error', 'Status', 'Phase', 'Source type'] },
  { code: 0x131, value: 3, names: ['Check', 'Saved thread', 'Current thread', 'Reserved'] },
  { code: 0x144, value: 0x3003, names: ['Violation', 'USBHUB3_LIVEDUMP_CONTEXT', 'Reserved', 'Reserved'] },
  { code: 0x14f, value: 0x100, names: ['Client ID', 'Client type', 'Reason', 'Path'] },
  { code: 0x18d, roles: ['accessType', 'referencedAddress', 'exceptionRecord', 'contextRecord'] },
  { code: 0x1c6, value: 0x16, names: ['Violation', 'Resource', 'Thread', 'Not documented'] },
  { code: 0x1da, value: 5, names: ['Failure', 'Processor', 'Vector', 'Trap frame'] },
  { code: 0x1f2, roles: ['referencedAddress', undefined, 'faultingInstruction', undefined] },
  { code: 0xbfe, value: 5, names: ['Subtype', 'BRB', 'Actual size', 'Expected size'] },
  { code: 0xc000021a, names: ['Message', 'Status', 'Reserved', 'Reserved'] },
];

test('spot checks against the reference pages', () => {
  const codes = new Set(SPOT_CHECKS.map((s) => s.code));
  assert.ok(codes.size >= 25, `${codes.size} codes spot-checked`);
  for (const check of SPOT_CHECKS) {
    const info = known(check.code);
    const label = `${info.name}${check.value === undefined ? '' : ` case ${hex(check.value)}`}`;
    const selector = info.caseParameter ?? 1;
    const described = describeBugCheckParameters(check.code, withSelector(selector, BigInt(check.value ?? 0x7fffffff)));
    assert.ok(described?.meanings, `${label} has meanings`);
    if (check.value !== undefined) assert.equal(described.selected?.value, check.value, `${label} selected`);
    if (check.description) assert.match(described.selected?.info.description ?? '', check.description, label);
    if (check.names)
      assert.deepEqual(
        described.meanings.map((m) => m.name),
        check.names,
        label,
      );
    if (check.roles)
      assert.deepEqual(
        described.meanings.map((m) => m.role),
        check.roles,
        label,
      );
    for (const [n, pattern] of check.meanings ?? [])
      assert.match(described.meanings[(n - 1) as 0 | 1 | 2 | 3].meaning, pattern, `${label} P${n}`);
  }
});
