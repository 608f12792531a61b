/** The secondary-data area (`DumpBlob`), from dumpformat.md §3.1. */
import { fourCC, guid, table, u32 } from './struct.js';

export const DUMP_BLOB_SIGNATURE1 = fourCC('Dump');
export const DUMP_BLOB_SIGNATURE2 = fourCC('Blob');

export const DUMP_BLOB_FILE_HEADER = table('DUMP_BLOB_FILE_HEADER', 0x10, {
  Signature1: u32(0x0),
  Signature2: u32(0x4),
  HeaderSize: u32(0x8),
  BuildNumber: u32(0xc),
});

export const DUMP_BLOB_HEADER = table('DUMP_BLOB_HEADER', 0x20, {
  HeaderSize: u32(0x00),
  Tag: guid(0x04),
  DataSize: u32(0x14),
  PrePad: u32(0x18),
  PostPad: u32(0x1c),
});

/** §3.1: PostPad observed = (−DataSize) mod 8. */
export function postPadFor(dataSize: number): number {
  return (8 - (dataSize % 8)) % 8;
}

/** §3.1: BuildNumber = 0xF0000000 | build (the NtBuildNumber form of both samples). */
export function blobBuildNumberFor(build: number): number {
  return (0xf0000000 + (build & 0xffff)) >>> 0;
}
