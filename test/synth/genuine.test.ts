/**
 * The builder's tables read a dump Windows wrote (../shared/dumps/
 * triage_x64.dmp, read positionally): a third party beside the spec and
 * src/format. Every field the tables place is checked against a value the
 * spec prints for this file or against another part of the same file.
 */
import assert from 'node:assert/strict';
import { open } from 'node:fs/promises';
import { describe, it, type TestContext } from 'node:test';
import { GENUINE_TRIAGE_DUMP64, requireGenuineDump } from '../genuineDump.js';
import {
  CONTEXT_ALL,
  CONTEXT_AMD64,
  DBGKD_DEBUG_DATA_HEADER64,
  DUMP_BLOB_FILE_HEADER,
  DUMP_BLOB_HEADER,
  DUMP_BLOB_SIGNATURE1,
  DUMP_BLOB_SIGNATURE2,
  DUMP_DRIVER_ENTRY64,
  DUMP_HEADER64,
  DUMP_MM_STORAGE64,
  DUMP_SIGNATURE,
  DUMP_UNLOADED_DRIVER64,
  DUMP_VALID_DUMP64,
  KDBG_OWNER_TAG,
  KDDEBUGGER_DATA64,
  TRIAGE_DATA_BLOCK64,
  TRIAGE_DUMP64,
  TRIAGE_DUMP_VALID,
  UNLOADED_DRIVERS_COUNT_SIZE,
  blobBuildNumberFor,
  encodeStringPoolEntry,
  postPadFor,
  readStruct,
  type Table,
} from './tables/index.js';

type Read = (offset: number, length: number) => Promise<Uint8Array>;

async function withGenuine(t: TestContext, body: (read: Read, fileSize: number) => Promise<void>): Promise<void> {
  const path = requireGenuineDump(t);
  if (path === undefined) return;
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    await body(async (offset, length) => {
      const out = new Uint8Array(length);
      const { bytesRead } = await handle.read(out, 0, length, offset);
      assert.equal(bytesRead, length, `short read at 0x${offset.toString(16)}`);
      return out;
    }, size);
  } finally {
    await handle.close();
  }
}

const u32At = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint32(at, true);
const u64At = (b: Uint8Array, at: number): bigint => new DataView(b.buffer, b.byteOffset).getBigUint64(at, true);

/** Byte ranges of `t` no row covers (nested tables included): padding and reserved areas. */
function gaps(t: Table, base = 0): [number, number][] {
  const out: [number, number][] = [];
  let cursor = base;
  for (const f of Object.values(t.fields).sort((a, b) => a.offset - b.offset)) {
    if (base + f.offset > cursor) out.push([cursor, base + f.offset]);
    if (f.kind === 'struct') out.push(...gaps(f.table, base + f.offset));
    cursor = base + f.offset + f.size;
  }
  if (base + t.size > cursor) out.push([cursor, base + t.size]);
  return out;
}

/** The pieces every test below needs: header, TRIAGE_DUMP64, KDBG, data blocks as a VA reader. */
async function triageView(read: Read) {
  const header = readStruct(await read(0, DUMP_HEADER64.size), 0, DUMP_HEADER64);
  const triage = readStruct(await read(DUMP_HEADER64.size, TRIAGE_DUMP64.size), 0, TRIAGE_DUMP64);
  const kdbg = readStruct(await read(triage.DebuggerDataOffset, KDDEBUGGER_DATA64.size), 0, KDDEBUGGER_DATA64);
  const table = await read(triage.DataBlocksOffset, triage.DataBlocksCount * TRIAGE_DATA_BLOCK64.size);
  const blocks = Array.from({ length: triage.DataBlocksCount }, (_, i) =>
    readStruct(table, i * TRIAGE_DATA_BLOCK64.size, TRIAGE_DATA_BLOCK64),
  );
  const readVa = async (va: bigint, length: number): Promise<Uint8Array | undefined> => {
    const b = blocks.find((x) => va >= x.VirtualAddress && va + BigInt(length) <= x.VirtualAddress + BigInt(x.Size));
    return b === undefined ? undefined : read(b.Offset + Number(va - b.VirtualAddress), length);
  };
  return { header, triage, kdbg, blocks, readVa };
}

describe('synth tables ↔ the genuine Windows 10 triage dump', () => {
  it('DUMP_HEADER64 (§1): values the spec prints, and `PAGE` in every byte no row covers', async (t) => {
    await withGenuine(t, async (read) => {
      const raw = await read(0, DUMP_HEADER64.size);
      const h = readStruct(raw, 0, DUMP_HEADER64);
      assert.equal(h.Signature, DUMP_SIGNATURE);
      assert.equal(h.ValidDump, DUMP_VALID_DUMP64);
      assert.equal(h.MajorVersion, 0xf);
      assert.equal(h.MinorVersion, 19041);
      assert.equal(h.DirectoryTableBase & ~0xfffn, 0x1ad000n);
      assert.equal(h.MachineImageType, 0x8664);
      assert.equal(h.NumberProcessors, 16);
      assert.equal(h.BugCheckCode, 0x1000007e);
      assert.equal(h.DumpType, 4);
      assert.equal(h.MiniDumpFields, 0xcff);
      assert.equal(h.SecondaryDataState, DUMP_SIGNATURE);
      assert.equal(h.ProductType, 1);
      assert.equal(h.SuiteMask, 0x110);
      assert.equal(h.WriterStatus, 0);
      assert.equal(h.SystemUpTime, 0x23bc1e9n);
      assert.equal(h.RequiredDumpSpace, 0x197915n);
      const holes = gaps(DUMP_HEADER64);
      assert.ok(holes.some(([from]) => from === 0x3c) && holes.some(([from]) => from === 0xf9c));
      for (const [from, to] of holes)
        for (let i = from; i < to; i++)
          assert.equal(raw[i], 'PAGE'.charCodeAt(i & 3), `header byte 0x${i.toString(16)} (in a gap) is not filler`);
    });
  });

  it('CONTEXT (§4.1) and EXCEPTION_RECORD64 (§4.2, §2.4) in the header', async (t) => {
    await withGenuine(t, async (read) => {
      const h = readStruct(await read(0, DUMP_HEADER64.size), 0, DUMP_HEADER64);
      const c = readStruct(h.ContextRecord, 0, CONTEXT_AMD64);
      assert.equal(c.ContextFlags, CONTEXT_ALL);
      assert.equal(c.MxCsr, 0x1f80);
      assert.equal(c.FltSave.MxCsr, c.MxCsr);
      assert.equal(c.SegCs, 0x10);
      assert.equal(c.SegSs, 0x18);
      assert.equal(c.Rip, h.BugCheckParameter2, 'the 0x1000007E context stops at the faulting instruction');
      assert.ok(h.ContextRecord.subarray(CONTEXT_AMD64.size).every((b) => b === 0));
      assert.equal(h.Exception.ExceptionCode, 0x80000003);
      assert.equal(h.Exception.ExceptionFlags, 1);
      assert.equal(h.Exception.NumberParameters, 0);
    });
  });

  it('TRIAGE_DUMP64 (§2.4), `TRGD`, MM info and the unloaded-driver list', async (t) => {
    await withGenuine(t, async (read) => {
      const { triage } = await triageView(read);
      const { ArchitectureSpecific, ...rest } = triage;
      assert.deepEqual(rest, GENUINE_TRIAGE_DUMP64);
      assert.ok(ArchitectureSpecific.every((b) => b === 0));
      assert.equal(u32At(await read(triage.ValidOffset, 4), 0), TRIAGE_DUMP_VALID);

      const mm = readStruct(await read(triage.MmOffset, DUMP_MM_STORAGE64.size), 0, DUMP_MM_STORAGE64);
      assert.deepEqual([mm.Version, mm.Size], [1, DUMP_MM_STORAGE64.size]);
      assert.equal(triage.MmOffset + DUMP_MM_STORAGE64.size, triage.UnloadedDriversOffset, 'pieces are back to back');

      const count = Number(u64At(await read(triage.UnloadedDriversOffset, 8), 0));
      const first = triage.UnloadedDriversOffset + UNLOADED_DRIVERS_COUNT_SIZE;
      assert.equal(first + count * DUMP_UNLOADED_DRIVER64.size, triage.PrcbOffset, 'pieces are back to back');
      const list = await read(first, count * DUMP_UNLOADED_DRIVER64.size);
      const names: string[] = [];
      for (let i = 0; i < count; i++) {
        const u = readStruct(list, i * DUMP_UNLOADED_DRIVER64.size, DUMP_UNLOADED_DRIVER64);
        names.push(u.DriverName);
        assert.equal(u.Name.Length, u.DriverName.length * 2, u.DriverName);
        assert.ok(u.StartAddress < u.EndAddress && u.StartAddress >> 47n === 0x1ffffn, u.DriverName);
      }
      assert.deepEqual(names, ['dam.sys', 'WdBoot.sys', 'hwpolicy.sys', 'mcupdate.dll']);
    });
  });

  it('KDDEBUGGER_DATA64 (§1): tag, size, and every listed field pointing where the rest of the file says', async (t) => {
    await withGenuine(t, async (read) => {
      const { header, triage, kdbg, readVa } = await triageView(read);
      assert.equal(kdbg.Header.OwnerTag, KDBG_OWNER_TAG);
      assert.equal(kdbg.Header.Size, triage.DebuggerDataSize);
      assert.equal(DBGKD_DEBUG_DATA_HEADER64.size, KDDEBUGGER_DATA64.fields.KernBase.offset);
      assert.equal(kdbg.PsLoadedModuleList, header.PsLoadedModuleList);
      assert.equal(kdbg.PsActiveProcessHead, header.PsActiveProcessHead);
      assert.equal(kdbg.MmPfnDatabase, header.PfnDataBase);

      const ntos = readStruct(await read(triage.DriverListOffset, DUMP_DRIVER_ENTRY64.size), 0, DUMP_DRIVER_ENTRY64);
      assert.equal(kdbg.KernBase, ntos.LdrEntry.DllBase, 'KernBase is the first driver (ntoskrnl)');
      const imageEnd = kdbg.KernBase + BigInt(ntos.LdrEntry.SizeOfImage);
      for (const name of ['KeBugCheckCallbackListHead', 'KiBugcheckData', 'KiProcessorBlock'] as const)
        assert.ok(kdbg[name] > kdbg.KernBase && kdbg[name] < imageEnd, `${name} is a kernel global`);

      // KiProcessorBlock[] holds one KPRCB address per processor (KPCR + 0x180 on x64).
      const prcbs = await readVa(kdbg.KiProcessorBlock, header.NumberProcessors * 8);
      assert.ok(prcbs !== undefined, 'KiProcessorBlock is among the data blocks');
      for (let i = 0; i < header.NumberProcessors; i++) assert.equal(u64At(prcbs, i * 8) & 0xfffn, 0x180n, `PRCB ${i}`);

      // KPRCB.Context (OffsetPrcbContext) of the PRCB copy → the CONTEXT KeBugCheckEx saved, a data block.
      const contextVa = u64At(await read(triage.PrcbOffset + kdbg.OffsetPrcbContext, 8), 0);
      const saved = await readVa(contextVa, CONTEXT_AMD64.size);
      assert.ok(saved !== undefined, 'the PRCB context is among the data blocks');
      const c = readStruct(saved, 0, CONTEXT_AMD64);
      assert.equal(c.Rip, header.Exception.ExceptionAddress, 'saved in KeBugCheckEx');
      assert.equal(c.Rsp, triage.TopOfStack);
    });
  });

  it('driver list and string pool (§2.4): names, offsets, padding, DllBase order', async (t) => {
    await withGenuine(t, async (read) => {
      const { triage } = await triageView(read);
      const table = await read(triage.DriverListOffset, triage.DriverCount * DUMP_DRIVER_ENTRY64.size);
      const pool = await read(triage.StringPoolOffset, triage.StringPoolSize);
      const names: string[] = [];
      let expectedOffset = triage.StringPoolOffset;
      for (let i = 0; i < triage.DriverCount; i++) {
        const d = readStruct(table, i * DUMP_DRIVER_ENTRY64.size, DUMP_DRIVER_ENTRY64);
        assert.equal(d.DriverNameOffset, expectedOffset, `driver ${i}: entries in driver order, back to back`);
        const at = d.DriverNameOffset - triage.StringPoolOffset;
        const chars = u32At(pool, at);
        const name = Buffer.from(pool.subarray(at + 4, at + 4 + chars * 2)).toString('utf16le');
        names.push(name);
        expectedOffset += encodeStringPoolEntry(name).length;
        assert.ok(d.LdrEntry.DllBase >> 47n === 0x1ffffn && d.LdrEntry.SizeOfImage > 0, name);
        assert.ok(d.LdrEntry.TimeDateStamp !== 0, name);
      }
      assert.equal(expectedOffset, triage.StringPoolOffset + triage.StringPoolSize, 'the pool ends with the last name');
      assert.deepEqual(
        Buffer.concat(names.map(encodeStringPoolEntry)),
        Buffer.from(pool),
        'pool bytes re-encode exactly',
      );
      assert.equal(names[0], '\\SystemRoot\\system32\\ntoskrnl.exe');
      assert.equal(names[1], '\\SystemRoot\\system32\\hal.dll');
    });
  });

  it('data blocks (§2.4) and the secondary-data area (§3.1, §3.2) to the end of the file', async (t) => {
    await withGenuine(t, async (read, fileSize) => {
      const { header, triage, blocks } = await triageView(read);
      assert.equal(blocks[0]!.Offset, triage.DataBlocksOffset + triage.DataBlocksCount * TRIAGE_DATA_BLOCK64.size);
      for (const b of blocks) assert.ok(b.Offset + b.Size <= triage.ValidOffset, `block at 0x${b.Offset.toString(16)}`);

      let at = triage.SizeOfDump;
      const fh = readStruct(await read(at, DUMP_BLOB_FILE_HEADER.size), 0, DUMP_BLOB_FILE_HEADER);
      assert.deepEqual(
        [fh.Signature1, fh.Signature2, fh.HeaderSize, fh.BuildNumber],
        [
          DUMP_BLOB_SIGNATURE1,
          DUMP_BLOB_SIGNATURE2,
          DUMP_BLOB_FILE_HEADER.size,
          blobBuildNumberFor(header.MinorVersion),
        ],
      );
      at += fh.HeaderSize;
      const tags: string[] = [];
      while (at < fileSize) {
        const b = readStruct(await read(at, DUMP_BLOB_HEADER.size), 0, DUMP_BLOB_HEADER);
        assert.equal(b.HeaderSize, DUMP_BLOB_HEADER.size);
        assert.equal(b.PostPad, postPadFor(b.DataSize), b.Tag);
        tags.push(b.Tag);
        at += b.HeaderSize + b.PrePad + b.DataSize + b.PostPad;
      }
      assert.equal(at, fileSize, 'the blobs end exactly at the end of the file');
      assert.equal(tags.length, 20);
      assert.equal(tags[0], '54c84888-01d1-4c1e-bed6-282c98241303');
      assert.ok(tags.includes('bf2297dc-34ba-11dc-868a-e19155d89593'));
      assert.ok(tags.includes('00000000-0000-0000-0000-000000000000'));
    });
  });
});
