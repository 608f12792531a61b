import {
  CONTEXT_AMD64,
  DUMP_HEADER32,
  DUMP_HEADER32_SIZE,
  DUMP_HEADER64,
  DUMP_HEADER64_SIZE,
  DUMP_SIGNATURE,
  DUMP_VALID_DUMP32,
  DUMP_VALID_DUMP64,
  EXCEPTION_RECORD64,
  ImageFileMachine,
  decodeLatin1,
  hex,
  type ContextAmd64,
  type DumpHeader32,
  type DumpHeader64,
  type ExceptionRecord64,
} from '../../format/index.js';
import type { DumpFile } from './dumpFile.js';
import { DumpError } from './errors.js';
import type { DumpHeaderInfo, DumpProblem } from './types.js';

export type RawHeader = { is64: true; raw: DumpHeader64 } | { is64: false; raw: DumpHeader32 };

export interface ParsedHeader {
  info: DumpHeaderInfo;
  raw: RawHeader;
  context: ContextAmd64 | undefined;
  exception: ExceptionRecord64 | undefined;
  /** Where the body starts: right after the header. */
  headerSize: number;
}

/** The optional Comment: absent when it still holds the `PAGE` filler or is empty. */
function decodeComment(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0x50 && bytes[1] === 0x41 && bytes[2] === 0x47 && bytes[3] === 0x45) return undefined;
  const end = bytes.indexOf(0);
  const text = decodeLatin1(bytes.subarray(0, end < 0 ? bytes.length : end));
  return text.length === 0 ? undefined : text;
}

/** One mapper for both header widths: DUMP_HEADER32's 32-bit pointers are widened to bigint. */
function headerInfo(h: DumpHeader64 | DumpHeader32, is64: boolean): DumpHeaderInfo {
  return {
    is64,
    signature: h.Signature,
    validDump: h.ValidDump,
    majorVersion: h.MajorVersion,
    minorVersion: h.MinorVersion,
    directoryTableBase: BigInt(h.DirectoryTableBase),
    pfnDataBase: BigInt(h.PfnDataBase),
    psLoadedModuleList: BigInt(h.PsLoadedModuleList),
    psActiveProcessHead: BigInt(h.PsActiveProcessHead),
    machineImageType: h.MachineImageType,
    numberProcessors: h.NumberProcessors,
    bugCheckCode: h.BugCheckCode,
    bugCheckParameters: [
      BigInt(h.BugCheckParameter1),
      BigInt(h.BugCheckParameter2),
      BigInt(h.BugCheckParameter3),
      BigInt(h.BugCheckParameter4),
    ],
    kdDebuggerDataBlock: BigInt(h.KdDebuggerDataBlock),
    dumpType: h.DumpType,
    requiredDumpSpace: h.RequiredDumpSpace,
    systemTime: h.SystemTime,
    systemUpTime: h.SystemUpTime,
    comment: decodeComment(h.Comment),
    miniDumpFields: h.MiniDumpFields,
    secondaryDataState: h.SecondaryDataState,
    productType: h.ProductType,
    suiteMask: h.SuiteMask,
    writerStatus: h.WriterStatus,
    kdSecondaryVersion: h.KdSecondaryVersion,
    attributes: h.Attributes,
    bootId: h.BootId,
  };
}

/**
 * Reads and recognises the header. Throws DumpError only when the file is
 * empty, too short for a header, or not a `PAGE` dump at all; everything
 * else is a problem and the header is still returned.
 */
export async function readHeader(file: DumpFile, problems: DumpProblem[]): Promise<ParsedHeader> {
  if (file.size === 0n) throw new DumpError('E_DUMP_EMPTY', `${file.path} is empty`, { path: file.path });
  if (file.size < 8n) {
    throw new DumpError('E_DUMP_TRUNCATED', `${file.path} is ${file.size} bytes: too short for a dump signature`, {
      path: file.path,
    });
  }
  const sig = new DataView((await file.read(0n, 8, 'dump signature')).buffer);
  const signature = sig.getUint32(0, true);
  const validDump = sig.getUint32(4, true);
  if (signature !== DUMP_SIGNATURE || (validDump !== DUMP_VALID_DUMP64 && validDump !== DUMP_VALID_DUMP32)) {
    throw new DumpError(
      'E_DUMP_SIGNATURE',
      `${file.path} is not a Windows kernel crash dump: it starts with ${hex(signature)} ${hex(validDump)}, expected "PAGE" followed by "DU64" or "DUMP"`,
      { path: file.path, signature, validDump },
    );
  }
  const is64 = validDump === DUMP_VALID_DUMP64;
  const headerSize = is64 ? DUMP_HEADER64_SIZE : DUMP_HEADER32_SIZE;
  if (file.size < BigInt(headerSize)) {
    throw new DumpError(
      'E_DUMP_TRUNCATED',
      `${file.path} is ${hex(file.size)} bytes, shorter than the ${hex(headerSize)}-byte ${is64 ? 'DUMP_HEADER64' : 'DUMP_HEADER32'}`,
      { path: file.path, fileSize: file.size },
    );
  }
  const bytes = await file.read(0n, headerSize, is64 ? 'DUMP_HEADER64' : 'DUMP_HEADER32');
  if (is64) {
    const h = DUMP_HEADER64.decode(bytes);
    const info = headerInfo(h, true);
    let context: ContextAmd64 | undefined;
    if (h.MachineImageType === ImageFileMachine.AMD64) {
      context = CONTEXT_AMD64.decode(h.ContextRecord, 0);
      if (context.MxCsr !== context.FltSave.MxCsr) {
        problems.push({
          code: 'E_DUMP_CONTEXT',
          severity: 'warning',
          structure: 'CONTEXT',
          offset: BigInt(DUMP_HEADER64.offsets.ContextRecord),
          message: `CONTEXT.MxCsr ${hex(context.MxCsr)} differs from FltSave.MxCsr ${hex(context.FltSave.MxCsr)} (kdmp-parser rejects such a dump)`,
        });
      }
    }
    return { info, raw: { is64: true, raw: h }, context, exception: h.Exception, headerSize };
  }
  const h = DUMP_HEADER32.decode(bytes);
  const info = headerInfo(h, false);
  // EXCEPTION_RECORD32 is widened so callers see one shape; CONTEXT is x86 and not decoded.
  const e = h.Exception;
  const exception = EXCEPTION_RECORD64.decode(
    EXCEPTION_RECORD64.encode({
      ExceptionCode: e.ExceptionCode,
      ExceptionFlags: e.ExceptionFlags,
      ExceptionRecord: BigInt(e.ExceptionRecord),
      ExceptionAddress: BigInt(e.ExceptionAddress),
      NumberParameters: e.NumberParameters,
      ExceptionInformation: e.ExceptionInformation.map((x) => BigInt(x)),
    }),
  );
  return { info, raw: { is64: false, raw: h }, context: undefined, exception, headerSize };
}
