import { guid, struct, u32 } from './layout.js';

/** Starts the secondary-data area: the 8 bytes `DumpBlob`, then HeaderSize (0x10) and BuildNumber. */
export const DUMP_BLOB_FILE_HEADER = struct('DUMP_BLOB_FILE_HEADER', {
  Signature1: u32,
  Signature2: u32,
  HeaderSize: u32,
  BuildNumber: u32,
});
export type DumpBlobFileHeader = ReturnType<typeof DUMP_BLOB_FILE_HEADER.decode>;

/**
 * One secondary-data blob header; its data follows after PrePad bytes.
 * next = this + HeaderSize + PrePad + DataSize + PostPad. No count, no
 * terminator: the stream runs to the end of the file.
 */
export const DUMP_BLOB_HEADER = struct('DUMP_BLOB_HEADER', {
  HeaderSize: u32,
  Tag: guid,
  DataSize: u32,
  PrePad: u32,
  PostPad: u32,
});
export type DumpBlobHeader = ReturnType<typeof DUMP_BLOB_HEADER.decode>;

/** PostPad genuine writers use: pads the data to a multiple of 8. */
export function blobPostPad(dataSize: number): number {
  return (8 - (dataSize % 8)) % 8;
}

/** Bytes from one blob header to the next. */
export function blobRecordSize(h: Pick<DumpBlobHeader, 'HeaderSize' | 'PrePad' | 'DataSize' | 'PostPad'>): number {
  return h.HeaderSize + h.PrePad + h.DataSize + h.PostPad;
}

/** BuildNumber of the file header: NtBuildNumber form, 0xF0000000 | build (free build). */
export function blobBuildNumber(build: number): number {
  return (0xf0000000 | (build & 0xffff)) >>> 0;
}
