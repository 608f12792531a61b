import {
  DUMP_BLOB_FILE_HEADER,
  DUMP_BLOB_HEADER,
  DUMP_BLOB_SIGNATURE1,
  DUMP_BLOB_SIGNATURE2,
  hex,
} from '../../format/index.js';
import type { DumpFile } from './dumpFile.js';
import type { DumpProblem, SecondaryDataBlob, SecondaryDataScan } from './types.js';

/** More blobs than this is not a plausible dump; stop and say so rather than walk millions of empty headers. */
export const MAX_BLOBS = 65536;

/**
 * Finds and walks the `DumpBlob` area. `candidates` are where the primary
 * body may end (type-specific first); the first one holding the `DumpBlob`
 * signature is taken. Blobs are walked to end of file; the walk stops at the
 * first header that is not 0x20 bytes or a blob that runs past the end, and
 * keeps what came before.
 */
export async function scanSecondaryData(
  file: DumpFile,
  candidates: readonly bigint[],
  laterCandidates?: () => Promise<bigint[]>,
): Promise<SecondaryDataScan> {
  const problems: DumpProblem[] = [];
  const fileHeaderSize = DUMP_BLOB_FILE_HEADER.size;
  const isArea = async (at: bigint): Promise<boolean> => {
    if (!file.contains(at, fileHeaderSize)) return false;
    const view = new DataView((await file.read(at, 8, 'DUMP_BLOB_FILE_HEADER')).buffer);
    return view.getUint32(0, true) === DUMP_BLOB_SIGNATURE1 && view.getUint32(4, true) === DUMP_BLOB_SIGNATURE2;
  };
  let area: bigint | undefined;
  for (const at of candidates) {
    if (await isArea(at)) {
      area = at;
      break;
    }
  }
  // Candidates that cost more to work out (a big bitmap's page count) only when the cheap ones miss.
  if (area === undefined && laterCandidates !== undefined) {
    for (const at of await laterCandidates()) {
      if (!candidates.includes(at) && (await isArea(at))) {
        area = at;
        break;
      }
    }
  }
  const primaryEnd = candidates[0];
  if (area === undefined) {
    const endsAtEof = primaryEnd !== undefined && primaryEnd === file.size;
    if (primaryEnd !== undefined && primaryEnd < file.size) {
      problems.push({
        code: 'E_DUMP_NO_SECONDARY_DATA',
        severity: 'warning',
        structure: 'DUMP_BLOB_FILE_HEADER',
        offset: primaryEnd,
        message: `${hex(file.size - primaryEnd)} bytes follow the primary dump body at ${hex(primaryEnd)} but do not start with "DumpBlob"`,
      });
    }
    return { areaOffset: undefined, buildNumber: undefined, blobs: [], problems, endsAtEof };
  }

  const fh = DUMP_BLOB_FILE_HEADER.decode(await file.read(area, fileHeaderSize, 'DUMP_BLOB_FILE_HEADER'));
  const blobs: SecondaryDataBlob[] = [];
  let cur = area + BigInt(fh.HeaderSize);
  if (fh.HeaderSize < fileHeaderSize) {
    problems.push({
      code: 'E_DUMP_CORRUPT',
      severity: 'error',
      structure: 'DUMP_BLOB_FILE_HEADER',
      offset: area,
      message: `DUMP_BLOB_FILE_HEADER.HeaderSize is ${hex(fh.HeaderSize)}, smaller than the header itself (${hex(fileHeaderSize)})`,
    });
    return { areaOffset: area, buildNumber: fh.BuildNumber, blobs, problems, endsAtEof: false };
  }

  if (cur > file.size) {
    problems.push({
      code: 'E_DUMP_CORRUPT',
      severity: 'error',
      structure: 'DUMP_BLOB_FILE_HEADER',
      offset: area,
      message: `DUMP_BLOB_FILE_HEADER.HeaderSize ${hex(fh.HeaderSize)} puts the first blob at ${hex(cur)}, past the end of the file (${hex(file.size)}); no blobs are read`,
    });
    return { areaOffset: area, buildNumber: fh.BuildNumber, blobs, problems, endsAtEof: false };
  }

  const blobHeaderSize = DUMP_BLOB_HEADER.size;
  let clean = true;
  const stop = (offset: bigint, message: string): void => {
    clean = false;
    problems.push({ code: 'E_DUMP_CORRUPT', severity: 'error', structure: 'DUMP_BLOB_HEADER', offset, message });
  };
  while (cur < file.size) {
    if (blobs.length >= MAX_BLOBS) {
      stop(cur, `more than ${MAX_BLOBS} blobs; the rest of the area (${hex(file.size - cur)} bytes) is not read`);
      break;
    }
    if (!file.contains(cur, blobHeaderSize)) {
      stop(
        cur,
        `blob header ${blobs.length} at ${hex(cur)} is cut short by the end of the file (${hex(file.size - cur)} bytes left)`,
      );
      break;
    }
    const h = DUMP_BLOB_HEADER.decode(await file.read(cur, blobHeaderSize, 'DUMP_BLOB_HEADER'));
    if (h.HeaderSize !== blobHeaderSize) {
      stop(
        cur,
        `blob ${blobs.length} at ${hex(cur)}: HeaderSize is ${hex(h.HeaderSize)}, expected ${hex(blobHeaderSize)}`,
      );
      break;
    }
    // Sums are bigint, so a size near 2^32 cannot wrap the way 32-bit arithmetic would.
    const dataOffset = cur + BigInt(blobHeaderSize) + BigInt(h.PrePad);
    const dataEnd = dataOffset + BigInt(h.DataSize);
    const next = dataEnd + BigInt(h.PostPad);
    if (dataEnd > file.size) {
      stop(
        cur,
        `blob ${blobs.length} at ${hex(cur)} ({${h.Tag}}, PrePad ${hex(h.PrePad)}, DataSize ${hex(h.DataSize)}) runs past the end of the file at ${hex(file.size)}`,
      );
      break;
    }
    blobs.push({
      index: blobs.length,
      guid: h.Tag,
      size: h.DataSize,
      offset: dataOffset,
      headerOffset: cur,
      prePad: h.PrePad,
      postPad: h.PostPad,
    });
    if (next > file.size) {
      stop(
        cur,
        `blob ${blobs.length - 1} at ${hex(cur)}: PostPad ${hex(h.PostPad)} runs past the end of the file; its data is complete`,
      );
      break;
    }
    cur = next;
  }
  return { areaOffset: area, buildNumber: fh.BuildNumber, blobs, problems, endsAtEof: clean && cur === file.size };
}
