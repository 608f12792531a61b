/**
 * One source of truth: our wdm.h, compiled by the driver toolchain, must
 * agree with the layouts in src/format (and the loader's own) on every
 * structure's size and every field's offset, and with the constants the
 * kernel model uses. The numbers are computed by Clang into a global of a
 * real driver, loaded on a machine and read back from its memory.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  KADDRESS_RANGE,
  KBUGCHECK_ADD_PAGES,
  KBUGCHECK_CALLBACK_RECORD,
  KBUGCHECK_DUMP_IO,
  KBUGCHECK_REASON_CALLBACK_RECORD,
  KBUGCHECK_REMOVE_PAGES,
  KBUGCHECK_SECONDARY_DUMP_DATA,
  KBUGCHECK_SECONDARY_DUMP_DATA_EX,
  KBUGCHECK_TRIAGE_DUMP_DATA,
  KTRIAGE_DUMP_DATA_ARRAY,
  KTRIAGE_DUMP_DATA_ARRAY_BLOCKS_OFFSET,
  KBugCheckBufferDumpState,
  KbCallbackReason,
  KbDumpIoType,
  LIST_ENTRY64,
  UNICODE_STRING64,
  KB_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST,
  KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS,
  KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS,
  KB_REMOVE_PAGES_FLAG_ADDITIONAL_RANGES_EXIST,
  KB_REMOVE_PAGES_FLAG_PHYSICAL_ADDRESS,
  KB_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS,
  KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA,
  KB_SECONDARY_DATA_FLAG_NO_DEVICE_ACCESS,
  KB_TRIAGE_DUMP_DATA_FLAG_BUGCHECK_ACTIVE,
  KB_ADD_PAGES_FEATURE_SHIFT,
  KB_REMOVE_PAGES_FEATURE_SHIFT,
  KB_ADD_PAGES_FEATURE_MASK,
  KB_REMOVE_PAGES_FEATURE_MASK,
  type Layout,
} from '../../src/format/index.js';
import { DISPATCH_LEVEL, HIGH_LEVEL } from '../../src/index.js';
import {
  POOL_FLAG_NON_PAGED,
  POOL_FLAG_NON_PAGED_EXECUTE,
  POOL_FLAG_PAGED,
  POOL_FLAG_RAISE_ON_FAILURE,
  POOL_FLAG_UNINITIALIZED,
  POOL_FLAG_USE_QUOTA,
} from '../../src/machine/index.js';
import { DRIVER_OBJECT, KLOCK_QUEUE_HANDLE, PROCESSOR_NUMBER } from '../../src/cdriver/layouts.js';
import { compileText, smallSystem } from './helpers.js';

interface Checked {
  c: string;
  layout: Layout<unknown>;
  /** C member designators where they differ from the layout's field names. */
  members?: Record<string, string>;
  /** The layout describes a fixed head; compare its size with this member's offset instead of sizeof. */
  headUntil?: string;
}

const STRUCTURES: Checked[] = [
  { c: 'KBUGCHECK_REASON_CALLBACK_RECORD', layout: KBUGCHECK_REASON_CALLBACK_RECORD },
  { c: 'KBUGCHECK_CALLBACK_RECORD', layout: KBUGCHECK_CALLBACK_RECORD },
  { c: 'KBUGCHECK_SECONDARY_DUMP_DATA', layout: KBUGCHECK_SECONDARY_DUMP_DATA },
  { c: 'KBUGCHECK_SECONDARY_DUMP_DATA_EX', layout: KBUGCHECK_SECONDARY_DUMP_DATA_EX },
  { c: 'KBUGCHECK_DUMP_IO', layout: KBUGCHECK_DUMP_IO },
  { c: 'KBUGCHECK_ADD_PAGES', layout: KBUGCHECK_ADD_PAGES },
  { c: 'KBUGCHECK_REMOVE_PAGES', layout: KBUGCHECK_REMOVE_PAGES },
  { c: 'KBUGCHECK_TRIAGE_DUMP_DATA', layout: KBUGCHECK_TRIAGE_DUMP_DATA },
  { c: 'KADDRESS_RANGE', layout: KADDRESS_RANGE },
  { c: 'KTRIAGE_DUMP_DATA_ARRAY', layout: KTRIAGE_DUMP_DATA_ARRAY, headUntil: 'Blocks' },
  { c: 'LIST_ENTRY', layout: LIST_ENTRY64 },
  { c: 'UNICODE_STRING', layout: UNICODE_STRING64 },
  { c: 'DRIVER_OBJECT', layout: DRIVER_OBJECT },
  { c: 'KLOCK_QUEUE_HANDLE', layout: KLOCK_QUEUE_HANDLE, members: { Next: 'LockQueue.Next', Lock: 'LockQueue.Lock' } },
  { c: 'PROCESSOR_NUMBER', layout: PROCESSOR_NUMBER },
];

/** [C expression, value the model uses]. */
const CONSTANTS: [string, number | bigint][] = [
  ...Object.entries(KbCallbackReason)
    .filter(([name]) => !name.includes('Reserved2') && !name.includes('Reserved3'))
    .map(([name, value]): [string, number] => [name, value]),
  ...Object.entries(KBugCheckBufferDumpState).map(([name, value]): [string, number] => [name, value]),
  ...Object.entries(KbDumpIoType).map(([name, value]): [string, number] => [name, value]),
  ['KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS', KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS],
  ['KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS', KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS],
  ['KB_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST', KB_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST],
  ['KB_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS', KB_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS],
  ['KB_REMOVE_PAGES_FLAG_PHYSICAL_ADDRESS', KB_REMOVE_PAGES_FLAG_PHYSICAL_ADDRESS],
  ['KB_REMOVE_PAGES_FLAG_ADDITIONAL_RANGES_EXIST', KB_REMOVE_PAGES_FLAG_ADDITIONAL_RANGES_EXIST],
  ['KB_ADD_PAGES_FEATURE_SHIFT', KB_ADD_PAGES_FEATURE_SHIFT],
  ['KB_REMOVE_PAGES_FEATURE_SHIFT', KB_REMOVE_PAGES_FEATURE_SHIFT],
  ['KB_ADD_PAGES_FEATURE_MASK', KB_ADD_PAGES_FEATURE_MASK],
  ['KB_REMOVE_PAGES_FEATURE_MASK', KB_REMOVE_PAGES_FEATURE_MASK],
  ['KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA', KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA],
  ['KB_SECONDARY_DATA_FLAG_NO_DEVICE_ACCESS', KB_SECONDARY_DATA_FLAG_NO_DEVICE_ACCESS],
  ['KB_TRIAGE_DUMP_DATA_FLAG_BUGCHECK_ACTIVE', KB_TRIAGE_DUMP_DATA_FLAG_BUGCHECK_ACTIVE],
  ['HIGH_LEVEL', HIGH_LEVEL],
  ['DISPATCH_LEVEL', DISPATCH_LEVEL],
  ['POOL_FLAG_USE_QUOTA', POOL_FLAG_USE_QUOTA],
  ['POOL_FLAG_UNINITIALIZED', POOL_FLAG_UNINITIALIZED],
  ['POOL_FLAG_RAISE_ON_FAILURE', POOL_FLAG_RAISE_ON_FAILURE],
  ['POOL_FLAG_NON_PAGED', POOL_FLAG_NON_PAGED],
  ['POOL_FLAG_NON_PAGED_EXECUTE', POOL_FLAG_NON_PAGED_EXECUTE],
  ['POOL_FLAG_PAGED', POOL_FLAG_PAGED],
  // Language facts the headers promise: LLP64 and 2-byte WCHAR, 8-byte pointers.
  ['sizeof(LONG)', 4],
  ['sizeof(ULONG)', 4],
  ['sizeof(PVOID)', 8],
  ['sizeof(SIZE_T)', 8],
  ['sizeof(ULONG_PTR)', 8],
  ['sizeof(WCHAR)', 2],
  ['sizeof(GUID)', 16],
  ['sizeof(LARGE_INTEGER)', 8],
  ['sizeof(KSPIN_LOCK)', 8],
  ["(ULONG)'gaT1'", 0x67615431],
];

function members(s: Checked): [string, string][] {
  return Object.keys(s.layout.offsets).map((field) => [field, s.members?.[field] ?? field]);
}

function probeSource(): string {
  const layout: string[] = [];
  for (const s of STRUCTURES) {
    layout.push(s.headUntil ? `O(${s.c}, ${s.headUntil})` : `sizeof(${s.c})`);
    for (const [, member] of members(s)) layout.push(`O(${s.c}, ${member})`);
  }
  return [
    '#include <ntddk.h>',
    '#include <ntstrsafe.h>',
    '#include <bugcheck.h>',
    '#include <initguid.h>',
    '#define O(T, F) __builtin_offsetof(T, F)',
    `ULONG64 g_Layouts[] = {\n  ${layout.map((e) => `(ULONG64)(${e})`).join(',\n  ')}\n};`,
    `ULONG64 g_Constants[] = {\n  ${CONSTANTS.map(([e]) => `(ULONG64)(${e})`).join(',\n  ')}\n};`,
    'NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {',
    '  UNREFERENCED_PARAMETER(DriverObject);',
    '  UNREFERENCED_PARAMETER(RegistryPath);',
    '  return STATUS_SUCCESS;',
    '}',
    '',
  ].join('\n');
}

async function probe(): Promise<{ layouts: bigint[]; constants: bigint[] }> {
  const compiled = await compileText('layouts.c', probeSource());
  assert.equal(compiled.diagnostics, '', 'the headers compile without a warning');
  const system = smallSystem();
  const driver = system.loadDriver({ name: 'layouts.sys', compiled });
  const read = (symbol: string, count: number): bigint[] => {
    const bytes = system.machine.readVirtual(driver.symbol(symbol), count * 8);
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Array.from({ length: count }, (_, i) => v.getBigUint64(i * 8, true));
  };
  const count = STRUCTURES.reduce((n, s) => n + 1 + members(s).length, 0);
  return { layouts: read('g_Layouts', count), constants: read('g_Constants', CONSTANTS.length) };
}

describe('include/*.h against src/format', () => {
  it('every structure has the size and every field the offset the model uses', async () => {
    const { layouts } = await probe();
    let i = 0;
    for (const s of STRUCTURES) {
      const expectedSize = s.headUntil ? KTRIAGE_DUMP_DATA_ARRAY_BLOCKS_OFFSET : s.layout.size;
      assert.equal(Number(layouts[i++]), expectedSize, `sizeof(${s.c})`);
      for (const [field, member] of members(s)) {
        assert.equal(
          Number(layouts[i++]),
          (s.layout.offsets as Record<string, number>)[field],
          `FIELD_OFFSET(${s.c}, ${member})`,
        );
      }
    }
    assert.equal(i, layouts.length);
  });

  it('the constants, pool flags and language widths agree', async () => {
    const { constants } = await probe();
    CONSTANTS.forEach(([expression, value], i) => {
      assert.equal(constants[i], BigInt(value), expression);
    });
  });
});
