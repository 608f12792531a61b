import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KDBG_OWNER_TAG, KDDEBUGGER_DATA64, LIST_ENTRY64 } from '../../src/format/index.js';
import { createX64Machine } from '../../src/machine/index.js';
import { rawRead, rawU64 } from './rawWalk.js';

describe('KDDEBUGGER_DATA64', () => {
  const m = createX64Machine({ processors: 3 });
  const dtb = m.kernelSpace.directoryTableBase;
  const bytes = rawRead(m.physical, dtb, m.symbols.KdDebuggerDataBlock, 0x380);
  const k = KDDEBUGGER_DATA64.decode(bytes);

  it("decodes from raw memory with OwnerTag 'KDBG' and Size 0x380", () => {
    assert.equal(m.kdbg, m.symbols.KdDebuggerDataBlock);
    assert.equal(Buffer.from(bytes.subarray(0x10, 0x14)).toString('latin1'), 'KDBG');
    assert.equal(k.Header.OwnerTag, KDBG_OWNER_TAG);
    assert.equal(k.Header.Size, 0x380);
    // Its List links it into a one-element circular list headed inside ntoskrnl.
    const head = k.Header.List.Flink;
    assert.equal(k.Header.List.Blink, head);
    assert.deepEqual(LIST_ENTRY64.decode(rawRead(m.physical, dtb, head, 16)), { Flink: m.kdbg, Blink: m.kdbg });
  });

  it('points at the kernel globals the machine exposes', () => {
    assert.equal(k.KernBase, m.symbols.KernBase);
    assert.equal(k.PsLoadedModuleList, m.symbols.PsLoadedModuleList);
    assert.equal(k.PsActiveProcessHead, m.symbols.PsActiveProcessHead);
    assert.equal(k.KeBugCheckCallbackListHead, m.symbols.KeBugCheckCallbackListHead);
    assert.equal(k.KiBugcheckData, m.symbols.KiBugCheckData);
    assert.equal(k.MmPfnDatabase, m.symbols.MmPfnDatabase);
    assert.equal(k.KiProcessorBlock, m.symbols.KiProcessorBlock);
    assert.equal(k.MmUnloadedDrivers, m.symbols.MmUnloadedDrivers);
    assert.equal(k.PteBase, m.kernelSpace.pteBase);
    assert.equal(k.MmPageSize, 0x1000n);
    const ntos = m.modules[0]!;
    for (const [name, va] of Object.entries(m.symbols)) {
      if (name === 'KUSER_SHARED_DATA') continue;
      assert.equal(m.findModuleByAddress(va), ntos, `${name} is inside ntoskrnl`);
    }
    assert.equal(m.symbols.KUSER_SHARED_DATA, 0xfffff78000000000n);
    assert.equal(m.findModuleByAddress(k.BreakpointWithStatus), ntos);
  });

  it('starts the legacy and reason callback lists empty', () => {
    for (const head of [m.symbols.KeBugCheckCallbackListHead, m.symbols.KeBugCheckReasonCallbackListHead]) {
      assert.deepEqual(LIST_ENTRY64.decode(rawRead(m.physical, dtb, head, 16)), { Flink: head, Blink: head });
    }
    assert.deepEqual([...rawRead(m.physical, dtb, m.symbols.KiBugCheckData, 40)], new Array(40).fill(0));
  });

  it('lists every processor in KiProcessorBlock and describes their PRCBs', () => {
    m.processors.forEach((p, i) => {
      assert.equal(rawU64(m.physical, dtb, k.KiProcessorBlock + BigInt(i * 8)), p.prcb);
      assert.equal(m.readU32(p.prcb + BigInt(k.OffsetPrcbNumber)), i);
      const thread = m.readU64(p.prcb + BigInt(k.OffsetPrcbCurrentThread));
      assert.equal(m.readU64(thread + BigInt(k.OffsetKThreadStackBase)), p.stackBase);
      assert.equal(m.readU64(thread + BigInt(k.OffsetKThreadStackLimit)), p.stackLimit);
      // Resting processors run their idle thread, which belongs to the Idle process (PID 0).
      assert.equal(m.readU64(thread + BigInt(k.OffsetKThreadApcProcess)), m.idleProcess);
    });
    assert.equal(rawU64(m.physical, dtb, k.KiProcessorBlock + 3n * 8n), 0n);
  });

  it('leads from PsActiveProcessHead to the System process with the system DirectoryTableBase', () => {
    const links = m.readU64(m.symbols.PsActiveProcessHead);
    const eprocess = links - 0x448n;
    assert.equal(eprocess, m.systemProcess);
    assert.equal(m.readU64(eprocess + BigInt(k.OffsetEprocessDirectoryTableBase)), 0x1ad000n);
    assert.equal(m.readAnsiString(eprocess + 0x5a8n, 15), 'System');
    assert.equal(m.readAnsiString(k.NtBuildLab).split('.')[0], String(m.options.build));
  });

  it('exposes MmPhysicalMemoryBlock matching the firmware memory map', () => {
    const block = m.readU64(k.MmPhysicalMemoryBlock);
    assert.equal(m.readU32(block), m.physical.runs.length);
    assert.equal(m.readU64(block + 8n), m.physical.totalPages);
    m.physical.runs.forEach((r, i) => {
      assert.equal(m.readU64(block + 0x10n + BigInt(i * 16)), r.basePage);
      assert.equal(m.readU64(block + 0x18n + BigInt(i * 16)), r.pageCount);
    });
  });
});
