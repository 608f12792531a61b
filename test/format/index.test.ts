import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import * as F from '../../src/format/index.js';

test('the barrel exports every name of the format contract', () => {
  const names = [
    // layout.ts, bytes.ts, guid.ts, errors.ts
    'struct', 'u8', 'u16', 'u32', 'i32', 'u64', 'guid', 'bytes', 'array', 'ansi', 'wchars', 'ByteReader', 'ByteWriter',
    'decodeGuid', 'encodeGuid', 'parseGuid', 'formatGuidBraced', 'BugcheckError', 'FormatError', 'hex',
    // constants
    'PAGE_SIZE', 'PAGE_SHIFT', 'DUMP_SIGNATURE', 'DUMP_VALID_DUMP64', 'DUMP_VALID_DUMP32', 'DUMP_HEADER64_SIZE', 'DUMP_HEADER32_SIZE',
    'fillPagePattern', 'DumpType', 'dumpTypeName', 'DUMP_SUMMARY_SIGNATURE', 'DUMP_FULL_SIGNATURE', 'BITMAP_VALID_DUMP',
    'DUMP_SUMMARY_VALID_KERNEL_VA', 'DUMP_SUMMARY_VALID_CURRENT_USER_VA', 'TRIAGE_DUMP_VALID', 'DUMP_BLOB_SIGNATURE1', 'DUMP_BLOB_SIGNATURE2',
    'ImageFileMachine', 'machineName', 'CONTEXT_AMD64_FLAG', 'CONTEXT_CONTROL', 'CONTEXT_INTEGER', 'CONTEXT_SEGMENTS',
    'CONTEXT_FLOATING_POINT', 'CONTEXT_DEBUG_REGISTERS', 'CONTEXT_FULL', 'CONTEXT_ALL',
    'TRIAGE_DUMP_CONTEXT', 'TRIAGE_DUMP_DATA_BLOCKS', 'TRIAGE_DUMP_BASIC_INFO', 'TriageDumpField', 'DumpFileAttribute',
    'KbCallbackReason', 'KBugCheckBufferDumpState', 'KbDumpIoType',
    'KB_ADD_PAGES_FLAG_VIRTUAL_ADDRESS', 'KB_ADD_PAGES_FLAG_PHYSICAL_ADDRESS', 'KB_ADD_PAGES_FLAG_ADDITIONAL_RANGES_EXIST',
    'KB_REMOVE_PAGES_FLAG_VIRTUAL_ADDRESS', 'KB_REMOVE_PAGES_FLAG_PHYSICAL_ADDRESS', 'KB_REMOVE_PAGES_FLAG_ADDITIONAL_RANGES_EXIST',
    'KB_ADD_PAGES_FEATURE_MASK', 'KB_REMOVE_PAGES_FEATURE_MASK', 'KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA',
    'KB_SECONDARY_DATA_FLAG_NO_DEVICE_ACCESS', 'KB_TRIAGE_DUMP_DATA_FLAG_BUGCHECK_ACTIVE', 'KE_MAX_TRIAGE_DUMP_DATA_MEMORY_SIZE',
    'STATUS_SUCCESS', 'STATUS_INVALID_PARAMETER', 'STATUS_BUFFER_TOO_SMALL', 'STATUS_INSUFFICIENT_RESOURCES', 'STATUS_NOT_IMPLEMENTED', 'STATUS_BREAKPOINT',
    // paging
    'PTE_PRESENT', 'PTE_WRITE', 'PTE_USER', 'PTE_LARGE', 'PTE_GLOBAL', 'PTE_TRANSITION', 'PTE_PROTOTYPE', 'PTE_NX', 'PTE_FRAME_MASK',
    'PTE_FRAME_MASK_2M', 'PTE_FRAME_MASK_1G', 'PTE_SOFTWARE_PAGEABLE', 'DTB_PCID_MASK', 'isCanonical', 'pageTableIndices',
    // layouts and helpers
    'DUMP_HEADER64', 'DUMP_HEADER32', 'PHYSICAL_MEMORY_RUN64', 'PHYSICAL_MEMORY_DESCRIPTOR64', 'MAX_PHYSICAL_MEMORY_RUNS64',
    'encodePhysicalMemoryDescriptor64', 'decodePhysicalMemoryDescriptor64', 'BITMAP_DUMP_HEADER64', 'TRIAGE_DUMP64', 'DUMP_MM_STORAGE64',
    'UNICODE_STRING64', 'LIST_ENTRY64', 'DUMP_UNLOADED_DRIVER64', 'KLDR_DATA_TABLE_ENTRY', 'DUMP_DRIVER_ENTRY64', 'TRIAGE_DATA_BLOCK64',
    'DUMP_BLOB_FILE_HEADER', 'DUMP_BLOB_HEADER', 'M128A', 'XMM_SAVE_AREA32', 'CONTEXT_AMD64', 'EXCEPTION_RECORD64', 'KDDEBUGGER_DATA64',
    'KDBG_OWNER_TAG', 'KBUGCHECK_REASON_CALLBACK_RECORD', 'KBUGCHECK_CALLBACK_RECORD', 'KBUGCHECK_SECONDARY_DUMP_DATA',
    'KBUGCHECK_SECONDARY_DUMP_DATA_EX', 'KBUGCHECK_DUMP_IO', 'KBUGCHECK_ADD_PAGES', 'KBUGCHECK_REMOVE_PAGES', 'KBUGCHECK_TRIAGE_DUMP_DATA',
    'KADDRESS_RANGE', 'KTRIAGE_DUMP_DATA_ARRAY',
  ];
  const exported = F as Record<string, unknown>;
  const missing = names.filter((n) => exported[n] === undefined);
  assert.deepEqual(missing, []);
});

test('src/format imports nothing outside its own folder', async () => {
  const dir = new URL('../../src/format/', import.meta.url);
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.ts'))) {
    const source = await readFile(new URL(file, dir), 'utf8');
    for (const m of source.matchAll(/from\s+'([^']+)'/g)) {
      const spec = m[1]!;
      assert.ok(spec.startsWith('./') || spec.startsWith('node:'), `${file} imports ${spec}`);
    }
  }
});
