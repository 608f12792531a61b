/**
 * The genuine Windows 10 19041 triage dump (../shared/dumps/triage_x64.dmp
 * beside the repository), read exactly. Expected values are rizin's
 * published expectations for this file (rizinorg/rizin
 * test/db/formats/dmp/dmp) plus the facts in the format notes.
 */
import assert from 'node:assert/strict';
import { GENUINE_DUMP_PATH, GENUINE_TRIAGE_DUMP64, genuineDumpSkip } from '../../genuineDump.js';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { describe, it, before, after } from 'node:test';
import { CONTEXT_AMD64 } from '../../../src/format/index.js';
import { openDump, type CrashDump, type SecondaryDataScan } from '../../../src/dump/reader/index.js';

const path = GENUINE_DUMP_PATH;
const present = existsSync(path);
const ci = process.env.CI === 'true';
const skip = genuineDumpSkip();

const SHA256 = '6875e8ff013eddb9d562165067be24e2a231a8851690bb101f6597ca9534cd28';

describe('reader: genuine triage_x64.dmp', { skip }, () => {
  let dump: CrashDump;
  let scan: SecondaryDataScan;
  before(async () => {
    assert.ok(present, `CI=true and the genuine dump is missing: ${path}`);
    dump = await openDump(path);
    scan = await dump.secondaryData();
  });
  after(async () => {
    await dump?.close();
  });

  it('is the published file (SHA-256)', async () => {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    assert.equal(hash.digest('hex'), SHA256);
    assert.equal(dump.fileSize, 1444532n);
  });

  it('opens without problems', () => {
    assert.deepEqual(dump.problems, []);
    assert.equal(dump.dumpType, 4);
    assert.equal(dump.dumpTypeName, 'DUMP_TYPE_TRIAGE');
    assert.deepEqual(dump.machine, { type: 0x8664, name: 'AMD64' });
    assert.deepEqual(dump.body, { kind: 'triage', sizeOfDump: 0x13a28cn, end: 0x13a28cn });
  });

  it('DUMP_HEADER64 as rizin prints it', () => {
    const h = dump.header;
    assert.equal(h.is64, true);
    assert.equal(h.signature, 0x45474150);
    assert.equal(h.validDump, 0x34365544);
    assert.equal(h.majorVersion, 0xf);
    assert.equal(h.minorVersion, 0x4a61);
    assert.equal(h.directoryTableBase, 0x1ad000n);
    assert.equal(h.pfnDataBase, 0xfffff8047c6fc500n);
    assert.equal(h.psLoadedModuleList, 0xfffff8047c62a390n);
    assert.equal(h.psActiveProcessHead, 0xfffff8047c61e200n);
    assert.equal(h.machineImageType, 0x8664);
    assert.equal(h.numberProcessors, 0x10);
    assert.equal(h.bugCheckCode, 0x1000007e);
    assert.deepEqual(h.bugCheckParameters, [
      0xffffffffc0000005n,
      0xfffff8048b58334cn,
      0xffff850429891ee8n,
      0xffff850429891720n,
    ]);
    assert.equal(h.kdDebuggerDataBlock, 0xfffff8047c600b20n);
    assert.equal(h.secondaryDataState, 0x45474150);
    assert.equal(h.productType, 1);
    assert.equal(h.suiteMask, 0x110);
    // From the format notes: MiniDumpFields 0xCFF, WriterStatus 0, RequiredDumpSpace larger than the file.
    assert.equal(h.miniDumpFields, 0xcff);
    assert.equal(h.writerStatus, 0);
    assert.equal(h.requiredDumpSpace, 0x197915n);
    assert.equal(h.comment, undefined);
  });

  it('TRIAGE_DUMP64 as rizin prints it', () => {
    const f = dump.triage!.fields;
    const { ArchitectureSpecific: _ia64Only, ...fields } = f;
    assert.deepEqual(fields, GENUINE_TRIAGE_DUMP64);
    // BStoreOffset, SizeOfBStore, LimitOfBStore: IA-64 only, zero here.
    assert.deepEqual(f.ArchitectureSpecific, new Uint8Array(16));
    assert.deepEqual(dump.triage!.stack, { topOfStack: 0xffff850429890ee8n, offset: 0xe390n, size: 0x2118 });
    assert.equal(dump.triage!.mmInfo?.Version, 1);
    assert.equal(dump.triage!.mmInfo?.Size, 0x50);
  });

  it('header CONTEXT: the faulting instruction (Rip = BugCheckParameter2); exception record: breakpoint at KeBugCheckEx', () => {
    const c = dump.context!;
    assert.equal(c.Rip, dump.header.bugCheckParameters[1]);
    assert.equal(c.Rip, 0xfffff8048b58334cn);
    assert.equal(c.ContextFlags, 0x10001f);
    assert.equal(c.MxCsr, 0x1f80);
    assert.equal(c.FltSave.MxCsr, 0x1f80);
    assert.equal(c.Rsp, 0xffff850429892120n);
    assert.equal(c.EFlags, 0x50246);
    const e = dump.exception!;
    assert.equal(e.ExceptionCode, 0x80000003);
    assert.equal(e.ExceptionFlags, 1);
    assert.equal(e.NumberParameters, 0);
    assert.equal(e.ExceptionAddress, 0xfffff8047bdf5a80n);
  });

  it('registers rizin shows (KPRCB Context → data block) are reached through KDBG and a virtual read', async () => {
    const kd = (await dump.kdDebuggerData())!;
    assert.equal(kd.Header.OwnerTag, 0x4742444b);
    assert.equal(kd.Header.Size, 0x380);
    assert.equal(kd.KernBase, 0xfffff8047ba00000n);
    assert.equal(kd.PsLoadedModuleList, dump.header.psLoadedModuleList);
    const t = dump.triage!.fields;
    const { bytes } = await dump.readVirtual(dump.header.kdDebuggerDataBlock + 0x18n, 8);
    assert.equal(
      new DataView(bytes.buffer).getBigUint64(0, true),
      kd.KernBase,
      'the KDBG copy is mapped at KdDebuggerDataBlock',
    );
    // KPRCB.Context (a pointer) sits at OffsetPrcbContext inside the PRCB copy.
    const dv = new DataView((await readFileBytes(BigInt(t.PrcbOffset + kd.OffsetPrcbContext), 8)).buffer);
    const contextVa = dv.getBigUint64(0, true);
    assert.equal(contextVa, 0xffff9b00021ff340n);
    const r = await dump.readVirtual(contextVa, CONTEXT_AMD64.size);
    assert.equal(r.complete, true);
    const c = CONTEXT_AMD64.decode(r.bytes);
    assert.deepEqual(
      [
        c.MxCsr,
        c.EFlags,
        c.Rax,
        c.Rcx,
        c.Rdx,
        c.Rbx,
        c.Rsp,
        c.Rbp,
        c.Rsi,
        c.Rdi,
        c.R8,
        c.R9,
        c.R10,
        c.R11,
        c.R12,
        c.R13,
        c.R14,
        c.R15,
        c.Rip,
      ],
      [
        0x1f80,
        0x40286,
        0xffff850429891720n,
        0x7en,
        0xffffffffc0000005n,
        0xfffff8047ba82b68n,
        0xffff850429890ee8n,
        0xffff850429892c10n,
        0n,
        0n,
        0xfffff8048b58334cn,
        0xffff850429891ee8n,
        0xffff850429891ee8n,
        0xffff8afd53400000n,
        0xffff850429892c10n,
        0xffff850429891ee8n,
        0xffff850429891560n,
        0xfffff8047ba00000n,
        0xfffff8047bdf5a80n,
      ],
    );
    // The stack copy is mapped at TopOfStack (= that Rsp): its first slot is the return address rizin's
    // backtrace shows for frame 1.
    const s = await dump.readVirtual(t.TopOfStack, 8);
    assert.equal(s.complete, true);
    assert.equal(new DataView(s.bytes.buffer).getBigUint64(0, true), 0xfffff8047be0f4e1n);
  });

  it('151 drivers with names from the string pool; unloaded drivers; 1831 data blocks', async () => {
    const t = dump.triage!;
    assert.equal(t.drivers.length, 151);
    assert.deepEqual(
      t.drivers.slice(0, 5).map((d) => [d.name, d.base, d.size, d.checkSum, d.timeDateStamp]),
      [
        ['\\SystemRoot\\system32\\ntoskrnl.exe', 0xfffff8047ba00000n, 0x1046000, 0xa5938c, 0xd8333e6],
        ['\\SystemRoot\\system32\\hal.dll', 0xfffff80479440000n, 0x6000, 0xce9f, 0x1a7be8e9],
        ['\\SystemRoot\\system32\\kd.dll', 0xfffff80479450000n, 0xb000, 0x4ef6, 0xfe185fa8],
        ['\\SystemRoot\\System32\\drivers\\CLFS.SYS', 0xfffff80479490000n, 0x6a000, 0x72c51, 0x503208a5],
        ['\\SystemRoot\\System32\\drivers\\tm.sys', 0xfffff80479460000n, 0x27000, 0x29c42, 0x4eced593],
      ],
    );
    assert.equal(t.drivers[150]!.name, '\\SystemRoot\\System32\\drivers\\rdpbus.sys');
    assert.ok(t.drivers.every((d) => d.name.length > 0));
    assert.equal(t.drivers[0]!.entryOffset, 0x10828n);
    // The bug check parameter 2 (faulting address) lies in amdppm.sys.
    const p2 = dump.header.bugCheckParameters[1];
    const owner = t.drivers.find((d) => p2 >= d.base && p2 < d.base + BigInt(d.size));
    assert.match(owner?.name ?? '', /amdppm\.sys$/i);
    assert.deepEqual(
      t.unloadedDrivers.map((u) => u.name),
      ['dam.sys', 'WdBoot.sys', 'hwpolicy.sys', 'mcupdate.dll'],
    );
    assert.deepEqual(t.unloadedDrivers[0], {
      name: 'dam.sys',
      startAddress: 0xfffff80487de0000n,
      endAddress: 0xfffff80487dfc000n,
    });
    assert.equal(t.dataBlocks.length, 1831);
    assert.deepEqual(t.dataBlocks[0], { virtualAddress: 0xfffff8047c62a7a0n, offset: 0x206a8n, size: 0x9c });
    assert.equal(t.dataBlocks[1830]!.virtualAddress, 0xfffff804780d1bc0n);
    assert.ok(
      t.dataBlocks.every((b) => b.offset + BigInt(b.size) <= 0x13a288n),
      'all block bytes lie before TRGD',
    );
  });

  it('secondary data: 20 blobs ending exactly at EOF (area 0x26828 bytes)', async () => {
    assert.deepEqual(scan.problems, []);
    assert.equal(scan.areaOffset, 0x13a28cn);
    assert.equal(dump.fileSize - scan.areaOffset!, 0x26828n);
    assert.equal(scan.buildNumber, 0xf0004a61);
    assert.equal(scan.endsAtEof, true);
    assert.equal(scan.blobs.length, 20);
    const last = scan.blobs[19]!;
    assert.equal(last.offset + BigInt(last.size + last.postPad), dump.fileSize);
    assert.deepEqual(
      scan.blobs.map((b) => [b.guid, b.size]),
      [
        ['54c84888-01d1-4c1e-bed6-282c98241303', 0x1000],
        ['67fc721a-2852-4f62-a3b1-2afc53953777', 0x44],
        ['67fc721a-2853-4f62-a3b1-2afc53953777', 0x1000],
        ['bf2297dc-34ba-11dc-868a-e19155d89593', 0xd4bb],
        ['10ec8168-313c-488c-afea-272cd2094616', 0xd20],
        ['270a33fd-3da6-460d-ba89-3c1bae21e39b', 0xfb8],
        ['2b4ae195-a64d-4f04-8ede-7e4f981bd42a', 0x209],
        ['65755a40-f146-43ea-8c91-36b85728fd35', 0],
        ['da82441d-7142-4bc1-b844-0807c5a4b67f', 0xfdc],
        ['f87e4a4c-c5a1-4d2f-bff0-d5de63a5e4c3', 0x620],
        ['4ee76bd8-3cf4-44a0-a0ac-3937643e37a3', 0x1d6],
        ['00afe9c4-940d-4213-8016-cd3719b5bc20', 0x1000],
        ['9282756a-ab95-4d24-a137-ecddc5de53f5', 0x2000],
        ['b0692a5e-6b7b-4073-8a7c-604e35032970', 0x3000],
        ['00000000-0000-0000-0000-000000000000', 0],
        ['6c7ac389-4313-47dc-9f34-a8800a0fb56c', 0x218],
        ['d03dc06f-d88e-44c5-ba2a-fae035172d19', 0x708],
        ['e83b40d2-b0a0-4842-abea-71c9e3463dd1', 0x389],
        ['9276c055-eb87-425c-b8b5-04e4d247f6cd', 0x2800],
        ['2b88b710-1c93-4f7c-b06c-655ecc50decc', 0xa51c],
      ],
    );
    const largest = scan.blobs.reduce((a, b) => (b.size > a.size ? b : a));
    assert.equal(largest.guid, 'bf2297dc-34ba-11dc-868a-e19155d89593');
    assert.equal(largest.size, 0xd4bb);
    assert.equal(scan.blobs[0]!.headerOffset, 0x13a29cn);
    assert.equal(scan.blobs[0]!.offset, 0x13a2bcn);
    assert.ok(scan.blobs.every((b) => b.prePad === 0 && b.postPad === (8 - (b.size % 8)) % 8));
    assert.ok(
      scan.blobs.every((b) => b.headerOffset % 8n === 4n),
      'headers are 8-aligned relative to the area, which starts at 4 mod 8',
    );
    const amd = await dump.readBlob(scan.blobs[1]!);
    assert.equal(Buffer.from(amd.subarray(0, 6)).toString('latin1'), 'AmdPPM');
    const nv = await dump.readBlob(largest);
    assert.equal(nv.length, 0xd4bb);
    assert.equal(Buffer.from(nv.subarray(0, 4)).toString('latin1'), 'NVCD');
    assert.deepEqual(await dump.readBlob(scan.blobs[7]!), new Uint8Array(0));
  });

  /** Raw file bytes for cross-checks, through the reader's bounded positional reads. */
  async function readFileBytes(offset: bigint, size: number): Promise<Uint8Array> {
    return dump.readBlob({
      index: -1,
      guid: '00000000-0000-0000-0000-000000000000',
      size,
      offset,
      headerOffset: offset,
      prePad: 0,
      postPad: 0,
    });
  }
});

describe('reader: genuine dump availability', () => {
  it('the genuine dump is present when CI=true', { skip: ci ? false : 'only enforced when CI=true' }, () => {
    assert.ok(present, `CI=true but ${path} is missing`);
  });
});
