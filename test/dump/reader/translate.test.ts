import assert from 'node:assert/strict';
import { describe, it, before, after } from 'node:test';
import { KLDR_DATA_TABLE_ENTRY, LIST_ENTRY64, UNICODE_STRING64 } from '../../../src/format/index.js';
import type { CrashDump } from '../../../src/dump/reader/index.js';
import { buildKernelMemory, kernelSpec, MODULES, openSynth, PA, pattern, VA } from './helpers.js';

const kernel = buildKernelMemory();

for (const dumpType of [1, 5]) {
  describe(`reader: x64 translation and virtual reads (DumpType ${dumpType})`, () => {
    let dump: CrashDump;
    before(async () => {
      dump = (await openSynth(kernelSpec(kernel, dumpType))).dump;
    });
    after(async () => {
      await dump.close();
    });

    it('4 KiB page', async () => {
      assert.deepEqual(await dump.translate(VA.small + 0x123n), {
        status: 'mapped',
        pa: PA.small + 0x123n,
        pageSize: 0x1000,
        inDump: true,
      });
      const r = await dump.readVirtual(VA.small + 0x10n, 0x20);
      assert.equal(r.complete, true);
      assert.deepEqual(r.bytes, kernel.contents.small.subarray(0x10, 0x30));
    });

    it('2 MiB page with the PAT bit set in the PDE', async () => {
      const va = VA.large2m + 0x5000n + 0x321n;
      assert.deepEqual(await dump.translate(va), {
        status: 'mapped',
        pa: PA.large2mPresentPage + 0x321n,
        pageSize: 0x200000,
        inDump: true,
      });
      assert.deepEqual((await dump.readVirtual(va, 4)).bytes, kernel.contents.large2m.subarray(0x321, 0x325));
      // Other 4 KiB pieces of the large page are mapped but were not saved.
      assert.deepEqual(await dump.translate(VA.large2m), {
        status: 'mapped',
        pa: PA.large2m,
        pageSize: 0x200000,
        inDump: false,
      });
    });

    it('1 GiB page', async () => {
      const off = PA.large1gPresentPage - PA.large1g + 0x10n;
      assert.deepEqual(await dump.translate(VA.large1g + off), {
        status: 'mapped',
        pa: PA.large1gPresentPage + 0x10n,
        pageSize: 0x40000000,
        inDump: true,
      });
      assert.deepEqual(
        (await dump.readVirtual(VA.large1g + off, 16)).bytes,
        kernel.contents.large1g.subarray(0x10, 0x20),
      );
    });

    it('not mapped, not in dump, and table not in dump are told apart', async () => {
      assert.deepEqual(await dump.translate(VA.unmapped), { status: 'not-mapped', level: 'PDE' });
      assert.deepEqual(await dump.translate(0x0000100000000000n), { status: 'not-mapped', level: 'PML4E' });
      assert.deepEqual(await dump.translate(VA.smallNotInDump), {
        status: 'mapped',
        pa: PA.smallNotInDump,
        pageSize: 0x1000,
        inDump: false,
      });
      assert.deepEqual(await dump.translate(VA.tableNotInDump), {
        status: 'not-in-dump',
        level: 'PTE',
        tablePa: PA.tableNotInDump,
      });
      const r = await dump.readVirtual(VA.small + 0xff0n, 0x1020);
      assert.deepEqual(r.status, [
        { address: VA.small + 0xff0n, length: 0x10, status: 'present' },
        { address: VA.smallNotInDump, length: 0x1000, status: 'not-in-dump' },
        { address: VA.smallNotInDump + 0x1000n, length: 0x10, status: 'present' },
      ]);
      const u = await dump.readVirtual(VA.unmapped, 8);
      assert.deepEqual(u.status, [{ address: VA.unmapped, length: 8, status: 'not-mapped' }]);
      assert.deepEqual(u.bytes, new Uint8Array(8));
    });

    it('non-canonical addresses', async () => {
      assert.deepEqual(await dump.translate(0x0000800000000000n), { status: 'non-canonical' });
      assert.deepEqual(await dump.translate(0xfff0000000000000n), { status: 'non-canonical' });
      assert.deepEqual(await dump.translate(-1n), { status: 'non-canonical' });
      const r = await dump.readVirtual(0x00007ffffffffff8n, 16);
      assert.equal(r.complete, false);
      assert.equal(r.status[r.status.length - 1]!.status, 'not-mapped');
    });

    it('a transition PTE (not present, bit 11 set) still names its resident page', async () => {
      assert.deepEqual(await dump.translate(VA.transition + 8n), {
        status: 'mapped',
        pa: PA.transition + 8n,
        pageSize: 0x1000,
        inDump: true,
      });
      assert.deepEqual((await dump.readVirtual(VA.transition, 8)).bytes, kernel.contents.transition.subarray(0, 8));
    });

    it('the PML4 self-map and a PDE pointing at its own table terminate', async () => {
      // All four indices 0x1ED: the walk stays on the PML4 and lands on the PML4 page itself.
      const selfVa = 0xfffff6fb7dbed000n;
      assert.deepEqual(await dump.translate(selfVa), {
        status: 'mapped',
        pa: kernel.tables.pml4,
        pageSize: 0x1000,
        inDump: true,
      });
      const pml4 = await dump.readVirtual(selfVa, 0x1000);
      assert.deepEqual(pml4.bytes, kernel.memory.page(kernel.tables.pml4 >> 12n));
      // PD[4] points back at the PD: the PD is walked as a PT, and PD[1] (the PT of VA.small) is the "page".
      const loop = await dump.translate(VA.loopPde);
      assert.equal(loop.status, 'mapped');
      const smallPt = kernel.memory.readU64(kernel.tables.entryPa(VA.small, 2)) & 0x000ffffffffff000n;
      if (loop.status === 'mapped') assert.equal(loop.pa, smallPt);
    });

    it('DirectoryTableBase: PCID bits and bit 63 are masked; another CR3 can be given', async () => {
      assert.equal(dump.header.directoryTableBase & 0xfffn, 2n);
      assert.equal(
        (await dump.translate(VA.small, { directoryTableBase: kernel.tables.pml4 | (1n << 63n) | 0x7n })).status,
        'mapped',
      );
      assert.deepEqual(await dump.translate(VA.user), { status: 'not-mapped', level: 'PML4E' });
      assert.deepEqual(await dump.translate(VA.user, { directoryTableBase: kernel.userDtb }), {
        status: 'mapped',
        pa: 0x3002000n,
        pageSize: 0x1000,
        inDump: true,
      });
      assert.deepEqual(
        (await dump.readVirtual(VA.user, 0x1000, { directoryTableBase: kernel.userDtb })).bytes,
        pattern(5),
      );
      assert.equal(
        (await dump.translate(VA.small, { directoryTableBase: kernel.userDtb })).status,
        'mapped',
        'kernel half shared',
      );
    });

    it('modules() walks PsLoadedModuleList', async () => {
      const m = await dump.modules();
      assert.deepEqual(m.problems, []);
      assert.deepEqual(
        m.loaded.map((x) => [x.name, x.base, x.size, x.timeDateStamp, x.checkSum]),
        MODULES.map((x) => [
          x.fullName ?? `\\SystemRoot\\system32\\drivers\\${x.name}`,
          x.base,
          x.size,
          x.timeDateStamp,
          x.checkSum,
        ]),
      );
      assert.deepEqual(
        m.loaded.map((x) => x.entryOffset),
        kernel.moduleList.entries,
      );
    });

    it('kdDebuggerData() decodes the block at KdDebuggerDataBlock', async () => {
      const kd = await dump.kdDebuggerData();
      assert.equal(kd?.Header.OwnerTag, 0x4742444b);
      assert.equal(kd?.KernBase, MODULES[0]!.base);
      assert.equal(kd?.PsLoadedModuleList, kernel.moduleList.head);
      assert.equal(kd?.OffsetPrcbContext, 0x85c0);
    });

    it('argument errors are DumpErrors', async () => {
      await assert.rejects(dump.readVirtual(0xfffffffffffff000n, 0x2000), { code: 'E_DUMP_ARGUMENT' });
      await assert.rejects(dump.readPhysical(0n, -1), { code: 'E_DUMP_ARGUMENT' });
      await assert.rejects(dump.readPhysical(0n, 0x10000000), { code: 'E_DUMP_ARGUMENT' });
    });
  });
}

describe('reader: module list walks are bounded and cycle-safe', () => {
  it('a list that loops back to an entry (not the head) stops with a problem', async () => {
    const k = buildKernelMemory();
    // Point the third entry's Flink back at the second entry.
    k.heap.write(
      k.moduleList.entries[2]!,
      LIST_ENTRY64.encode({ Flink: k.moduleList.entries[1]!, Blink: k.moduleList.entries[1]! }),
    );
    const { dump } = await openSynth(kernelSpec(k, 1));
    try {
      const m = await dump.modules();
      assert.equal(m.loaded.length, 3);
      assert.ok(m.problems.some((p) => p.code === 'E_DUMP_MODULE_LIST' && /loops/.test(p.message)));
    } finally {
      await dump.close();
    }
  });

  it('module names are cut at 1024 bytes (512 WCHARs), with a warning, so a crafted list cannot hold 64 KiB per name', async () => {
    const k = buildKernelMemory();
    const long = Array.from({ length: 0x7fff }, (_, i) => String.fromCharCode(0x41 + (i % 26))).join('');
    const longVa = k.heap.put(new Uint8Array(Buffer.from(long, 'utf16le')), 8);
    const exact = '\\SystemRoot\\'.padEnd(512, 'x');
    const exactVa = k.heap.put(new Uint8Array(Buffer.from(exact, 'utf16le')), 8);
    const nameAt = (entry: bigint): bigint => entry + BigInt(KLDR_DATA_TABLE_ENTRY.offsets.FullDllName);
    // Entry 0: FullDllName.Length 0xFFFE; entry 1: exactly 1024 bytes (kept whole, no warning).
    k.heap.write(
      nameAt(k.moduleList.entries[0]!),
      UNICODE_STRING64.encode({ Length: 0xfffe, MaximumLength: 0xfffe, Buffer: longVa }),
    );
    k.heap.write(
      nameAt(k.moduleList.entries[1]!),
      UNICODE_STRING64.encode({ Length: 1024, MaximumLength: 1026, Buffer: exactVa }),
    );
    const { dump } = await openSynth(kernelSpec(k, 1));
    try {
      const m = await dump.modules();
      assert.equal(m.loaded.length, MODULES.length);
      assert.equal(m.loaded[0]!.name, long.slice(0, 512));
      assert.equal(m.loaded[1]!.name, exact);
      assert.equal(m.loaded[2]!.name, '\\SystemRoot\\system32\\drivers\\bugcheck.sys');
      const warnings = m.problems.filter((p) => p.code === 'E_DUMP_MODULE_LIST');
      assert.equal(warnings.length, 1, JSON.stringify(warnings.map((p) => p.message)));
      assert.equal(warnings[0]!.severity, 'warning');
      // A virtual address is not a file offset: the entry is named in the message instead (issue #8).
      assert.equal(warnings[0]!.offset, undefined);
      assert.ok(warnings[0]!.message.toLowerCase().includes(k.moduleList.entries[0]!.toString(16)));
      assert.match(warnings[0]!.message, /0xFFFE bytes long; only the first 0x400 are kept/i);
    } finally {
      await dump.close();
    }
  });

  it('an entry that points at itself stops too; an entry outside the dump ends the walk', async () => {
    const k = buildKernelMemory();
    k.heap.write(k.moduleList.entries[0]!, LIST_ENTRY64.encode({ Flink: k.moduleList.entries[0]!, Blink: 0n }));
    const { dump } = await openSynth(kernelSpec(k, 5));
    try {
      const m = await dump.modules();
      assert.equal(m.loaded.length, 1);
      assert.ok(m.problems.some((p) => /loops/.test(p.message)));
    } finally {
      await dump.close();
    }
    const k2 = buildKernelMemory();
    k2.heap.write(k2.moduleList.entries[1]!, LIST_ENTRY64.encode({ Flink: VA.smallNotInDump, Blink: 0n }));
    const { dump: d2 } = await openSynth(kernelSpec(k2, 1));
    try {
      const m = await d2.modules();
      assert.equal(m.loaded.length, 2);
      assert.ok(m.problems.some((p) => /not readable/.test(p.message)));
      assert.equal(KLDR_DATA_TABLE_ENTRY.offsets.InLoadOrderLinks, 0);
    } finally {
      await d2.close();
    }
  });
});
