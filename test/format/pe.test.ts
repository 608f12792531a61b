import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  IMAGE_DATA_DIRECTORY,
  IMAGE_DOS_HEADER,
  IMAGE_EXPORT_DIRECTORY,
  IMAGE_FILE_HEADER,
  IMAGE_NT_HEADERS64,
  IMAGE_OPTIONAL_HEADER64,
  IMAGE_SECTION_HEADER,
  sectionName,
  sectionNameText,
} from '../../src/format/index.js';
import { assertLayout, assertRoundTrip } from './helpers.js';

// Offsets from winnt.h (x64).
test('IMAGE_DOS_HEADER offsets', () => {
  assertLayout(IMAGE_DOS_HEADER, 0x40, [
    ['e_magic', 0x00, 2],
    ['e_cblp', 0x02, 2],
    ['e_cp', 0x04, 2],
    ['e_crlc', 0x06, 2],
    ['e_cparhdr', 0x08, 2],
    ['e_minalloc', 0x0a, 2],
    ['e_maxalloc', 0x0c, 2],
    ['e_ss', 0x0e, 2],
    ['e_sp', 0x10, 2],
    ['e_csum', 0x12, 2],
    ['e_ip', 0x14, 2],
    ['e_cs', 0x16, 2],
    ['e_lfarlc', 0x18, 2],
    ['e_ovno', 0x1a, 2],
    ['e_res', 0x1c, 8],
    ['e_oemid', 0x24, 2],
    ['e_oeminfo', 0x26, 2],
    ['e_res2', 0x28, 20],
    ['e_lfanew', 0x3c, 4],
  ]);
  assertRoundTrip(IMAGE_DOS_HEADER);
});

test('IMAGE_FILE_HEADER and IMAGE_DATA_DIRECTORY offsets', () => {
  assertLayout(IMAGE_FILE_HEADER, 0x14, [
    ['Machine', 0x00, 2],
    ['NumberOfSections', 0x02, 2],
    ['TimeDateStamp', 0x04, 4],
    ['PointerToSymbolTable', 0x08, 4],
    ['NumberOfSymbols', 0x0c, 4],
    ['SizeOfOptionalHeader', 0x10, 2],
    ['Characteristics', 0x12, 2],
  ]);
  assertLayout(IMAGE_DATA_DIRECTORY, 8, [
    ['VirtualAddress', 0, 4],
    ['Size', 4, 4],
  ]);
  assertRoundTrip(IMAGE_FILE_HEADER);
});

test('IMAGE_OPTIONAL_HEADER64 offsets', () => {
  assertLayout(IMAGE_OPTIONAL_HEADER64, 0xf0, [
    ['Magic', 0x00, 2],
    ['MajorLinkerVersion', 0x02, 1],
    ['MinorLinkerVersion', 0x03, 1],
    ['SizeOfCode', 0x04, 4],
    ['SizeOfInitializedData', 0x08, 4],
    ['SizeOfUninitializedData', 0x0c, 4],
    ['AddressOfEntryPoint', 0x10, 4],
    ['BaseOfCode', 0x14, 4],
    ['ImageBase', 0x18, 8],
    ['SectionAlignment', 0x20, 4],
    ['FileAlignment', 0x24, 4],
    ['MajorOperatingSystemVersion', 0x28, 2],
    ['MinorOperatingSystemVersion', 0x2a, 2],
    ['MajorImageVersion', 0x2c, 2],
    ['MinorImageVersion', 0x2e, 2],
    ['MajorSubsystemVersion', 0x30, 2],
    ['MinorSubsystemVersion', 0x32, 2],
    ['Win32VersionValue', 0x34, 4],
    ['SizeOfImage', 0x38, 4],
    ['SizeOfHeaders', 0x3c, 4],
    ['CheckSum', 0x40, 4],
    ['Subsystem', 0x44, 2],
    ['DllCharacteristics', 0x46, 2],
    ['SizeOfStackReserve', 0x48, 8],
    ['SizeOfStackCommit', 0x50, 8],
    ['SizeOfHeapReserve', 0x58, 8],
    ['SizeOfHeapCommit', 0x60, 8],
    ['LoaderFlags', 0x68, 4],
    ['NumberOfRvaAndSizes', 0x6c, 4],
    ['DataDirectory', 0x70, 16 * 8],
  ]);
  assertRoundTrip(IMAGE_OPTIONAL_HEADER64);
});

test('IMAGE_NT_HEADERS64, IMAGE_SECTION_HEADER, IMAGE_EXPORT_DIRECTORY offsets', () => {
  assertLayout(IMAGE_NT_HEADERS64, 0x108, [
    ['Signature', 0x00, 4],
    ['FileHeader', 0x04, 0x14],
    ['OptionalHeader', 0x18, 0xf0],
  ]);
  assertLayout(IMAGE_SECTION_HEADER, 0x28, [
    ['Name', 0x00, 8],
    ['VirtualSize', 0x08, 4],
    ['VirtualAddress', 0x0c, 4],
    ['SizeOfRawData', 0x10, 4],
    ['PointerToRawData', 0x14, 4],
    ['PointerToRelocations', 0x18, 4],
    ['PointerToLinenumbers', 0x1c, 4],
    ['NumberOfRelocations', 0x20, 2],
    ['NumberOfLinenumbers', 0x22, 2],
    ['Characteristics', 0x24, 4],
  ]);
  assertLayout(IMAGE_EXPORT_DIRECTORY, 0x28, [
    ['Characteristics', 0x00, 4],
    ['TimeDateStamp', 0x04, 4],
    ['MajorVersion', 0x08, 2],
    ['MinorVersion', 0x0a, 2],
    ['Name', 0x0c, 4],
    ['Base', 0x10, 4],
    ['NumberOfFunctions', 0x14, 4],
    ['NumberOfNames', 0x18, 4],
    ['AddressOfFunctions', 0x1c, 4],
    ['AddressOfNames', 0x20, 4],
    ['AddressOfNameOrdinals', 0x24, 4],
  ]);
  assertRoundTrip(IMAGE_NT_HEADERS64);
  assertRoundTrip(IMAGE_SECTION_HEADER);
  assertRoundTrip(IMAGE_EXPORT_DIRECTORY);
});

test('section names: 8 bytes, NUL-padded, cut at 8', () => {
  assert.deepEqual([...sectionName('.text')], [0x2e, 0x74, 0x65, 0x78, 0x74, 0, 0, 0]);
  assert.equal(sectionNameText(sectionName('.text')), '.text');
  assert.equal(sectionNameText(sectionName('PAGEVRFY1')), 'PAGEVRFY');
});
