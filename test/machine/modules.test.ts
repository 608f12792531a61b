import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KDDEBUGGER_DATA64, KLDR_DATA_TABLE_ENTRY, LIST_ENTRY64, UNICODE_STRING64 } from '../../src/format/index.js';
import { createX64Machine, MachineError, MI_UNLOADED_DRIVERS, type Machine } from '../../src/machine/index.js';
import { rawRead, rawTranslate, rawU64, utf16 } from './rawWalk.js';

interface WalkedEntry {
  at: bigint;
  base: bigint;
  size: number;
  entryPoint: bigint;
  fullName: string;
  baseName: string;
  blink: bigint;
  timeDateStamp: number;
  checkSum: number;
}

/** Walks PsLoadedModuleList from raw physical memory only, as a dump reader would. */
function walkLoadedModuleList(m: Machine): WalkedEntry[] {
  const dtb = m.kernelSpace.directoryTableBase;
  const head = m.symbols.PsLoadedModuleList;
  const out: WalkedEntry[] = [];
  let previous = head;
  let at = rawU64(m.physical, dtb, head);
  while (at !== head) {
    assert.ok(out.length < 1000, 'list terminates');
    const e = KLDR_DATA_TABLE_ENTRY.decode(rawRead(m.physical, dtb, at, KLDR_DATA_TABLE_ENTRY.size));
    const str = (s: { Length: number; Buffer: bigint }): string => utf16(rawRead(m.physical, dtb, s.Buffer, s.Length));
    out.push({
      at,
      base: e.DllBase,
      size: e.SizeOfImage,
      entryPoint: e.EntryPoint,
      fullName: str(e.FullDllName),
      baseName: str(e.BaseDllName),
      blink: e.InLoadOrderLinks.Blink,
      timeDateStamp: e.TimeDateStamp,
      checkSum: e.CheckSum,
    });
    assert.equal(e.InLoadOrderLinks.Blink, previous, 'Blink points at the previous entry');
    previous = at;
    at = e.InLoadOrderLinks.Flink;
  }
  assert.equal(LIST_ENTRY64.decode(rawRead(m.physical, dtb, head, 16)).Blink, previous, 'head.Blink is the last entry');
  return out;
}

describe('loaded modules', () => {
  it('are a circular KLDR_DATA_TABLE_ENTRY list from PsLoadedModuleList, ntoskrnl and hal first', () => {
    const m = createX64Machine();
    const walked = walkLoadedModuleList(m);
    assert.equal(walked.length, m.modules.length);
    assert.deepEqual(
      walked.slice(0, 2).map((w) => w.baseName),
      ['ntoskrnl.exe', 'hal.dll'],
    );
    assert.equal(walked[0]!.fullName, '\\SystemRoot\\system32\\ntoskrnl.exe');
    walked.forEach((w, i) => {
      const mod = m.modules[i]!;
      assert.deepEqual(
        {
          at: w.at,
          base: w.base,
          size: w.size,
          ep: w.entryPoint,
          full: w.fullName,
          name: w.baseName,
          ts: w.timeDateStamp,
          cs: w.checkSum,
        },
        {
          at: mod.ldrEntry,
          base: mod.base,
          size: mod.size,
          ep: mod.entryPoint,
          full: mod.fullName,
          name: mod.name,
          ts: mod.timeDateStamp,
          cs: mod.checkSum,
        },
      );
      assert.ok(mod.entryPoint > mod.base && mod.entryPoint < mod.base + BigInt(mod.size));
    });
    const ntos = m.modules[0]!;
    assert.ok(m.symbols.PsLoadedModuleList > ntos.base && m.symbols.PsLoadedModuleList < ntos.base + BigInt(ntos.size));
  });

  it('keep entries and name buffers in nonpaged memory', () => {
    const m = createX64Machine();
    const dtb = m.kernelSpace.directoryTableBase;
    for (const mod of m.modules) {
      const e = KLDR_DATA_TABLE_ENTRY.decode(m.readVirtual(mod.ldrEntry, KLDR_DATA_TABLE_ENTRY.size));
      for (const va of [mod.ldrEntry, e.FullDllName.Buffer, e.BaseDllName.Buffer]) {
        const t = rawTranslate(m.physical, dtb, va)!;
        assert.equal(t.entry & 0x200n, 0n, 'not pageable');
        assert.equal(m.isPagedPool(va), false);
        assert.equal(m.physical.owner(t.pa >> 12n), 'kernel');
      }
      assert.equal(e.BaseDllName.Buffer, e.FullDllName.Buffer + BigInt(e.FullDllName.Length - e.BaseDllName.Length));
      assert.equal(e.FullDllName.MaximumLength, e.FullDllName.Length + 2);
    }
  });

  it('loadModule links at the tail, maps the image with a PE header, and findModuleByAddress finds it', () => {
    const m = createX64Machine();
    const mod = m.loadModule('mydriver.sys', 0x7a00, { timeDateStamp: 0x5f000000, checkSum: 0x1234 });
    assert.equal(mod.fullName, '\\SystemRoot\\System32\\drivers\\mydriver.sys');
    assert.equal(mod.base >> 32n, 0xfffff805n);
    assert.equal(mod.base & 0xffffn, 0n);
    const walked = walkLoadedModuleList(m);
    assert.equal(walked[walked.length - 1]!.baseName, 'mydriver.sys');
    assert.equal(walked[walked.length - 1]!.timeDateStamp, 0x5f000000);
    const lfanew = m.readU32(mod.base + 0x3cn);
    assert.equal(m.readU32(mod.base + BigInt(lfanew)), 0x4550);
    assert.equal(m.readU32(mod.base + BigInt(lfanew) + 8n), 0x5f000000, 'FileHeader.TimeDateStamp');
    assert.equal(m.readU32(mod.base + BigInt(lfanew) + 24n + 0x38n), 0x7a00, 'OptionalHeader.SizeOfImage');
    assert.equal(m.findModuleByAddress(mod.base + 0x7000n), mod);
    assert.equal(m.findModuleByAddress(mod.base + 0x7a00n), undefined);
    assert.equal(m.findModuleByAddress(m.symbols.KeBugCheckEx)!.name, 'ntoskrnl.exe');
    assert.equal(m.physical.owner(m.kernelSpace.translate(mod.base + 0x2000n)!.pa >> 12n), 'kernel');
    assert.throws(
      () => m.loadModule('MYDRIVER.SYS', 0x3000),
      (e: unknown) => e instanceof MachineError && e.code === 'E_MACHINE_MODULE_EXISTS',
    );
    assert.throws(() => m.loadModule('bad\\name.sys', 0x3000), /bad module name/);
    assert.throws(() => m.loadModule('tiny.sys', 0x100), /SizeOfImage/);
  });

  it('allocateCodeAddress hands out unique routine addresses inside the image', () => {
    const m = createX64Machine();
    const mod = m.loadModule('cb.sys', 0x3000);
    const a = m.allocateCodeAddress(mod, 'BugCheckSecondaryDumpDataCallback');
    const b = m.allocateCodeAddress(mod, 'BugCheckDumpIoCallback');
    assert.notEqual(a, b);
    assert.equal(m.allocateCodeAddress(mod, 'BugCheckSecondaryDumpDataCallback'), a);
    for (const va of [a, b]) {
      assert.equal(m.findModuleByAddress(va), mod);
      // push rbx / sub rsp,30h / nop / add rsp,30h / pop rbx / ret (x64Code.ts STANDARD_FRAME)
      assert.deepEqual([...m.readVirtual(va, 5)], [0x53, 0x48, 0x83, 0xec, 0x30]);
      assert.equal(m.readU8(va + 15n), 0xc3, 'routine body ends in ret');
    }
    const g = m.allocateImageData(mod, 'CallbackRecord', 0x30);
    assert.equal(m.findModuleByAddress(g), mod);
    assert.ok(g >= b + 0x20n);
    m.writeU64(g, 0x1234n);
    assert.equal(m.readU64(g), 0x1234n);
    assert.throws(
      () => {
        for (let i = 0; i < 400; i++) m.allocateCodeAddress(mod, `Routine${i}`);
      },
      (e: unknown) => e instanceof MachineError && e.code === 'E_MACHINE_IMAGE_FULL',
    );
  });

  it('unloadModule unlinks, unmaps and records the driver in MmUnloadedDrivers', () => {
    const m = createX64Machine();
    const before = m.modules.length;
    const mod = m.loadModule('gone.sys', 0x5000);
    const bootUnloads = m.unloadedModules.length;
    assert.deepEqual(
      m.unloadedModules.map((u) => u.name),
      ['WdBoot.sys', 'dam.sys'],
    );
    m.unloadModule(mod);
    assert.equal(m.modules.length, before);
    assert.equal(
      walkLoadedModuleList(m).some((w) => w.baseName === 'gone.sys'),
      false,
    );
    assert.equal(m.isAddressValid(mod.base), false);
    assert.equal(m.findModuleByAddress(mod.base), undefined);
    const u = m.unloadedModules[bootUnloads]!;
    assert.deepEqual(u, {
      name: 'gone.sys',
      startAddress: mod.base,
      endAddress: mod.base + 0x5000n,
      unloadTime: m.options.systemTime,
    });
    // The ring in memory: MmUnloadedDrivers → array of UNLOADED_DRIVERS; MmLastUnloadedDriver counts them.
    const ring = m.readU64(m.symbols.MmUnloadedDrivers);
    const lastUnloadedCounter = KDDEBUGGER_DATA64.decode(
      m.readVirtual(m.kdbg, KDDEBUGGER_DATA64.size),
    ).MmLastUnloadedDriver;
    assert.equal(m.readU32(lastUnloadedCounter), bootUnloads + 1);
    const entry = ring + BigInt(bootUnloads * 0x28);
    const name = UNICODE_STRING64.decode(m.readVirtual(entry, 16));
    assert.equal(utf16(m.readVirtual(name.Buffer, name.Length)), 'gone.sys');
    assert.equal(m.readU64(entry + 0x10n), mod.base);
    assert.equal(m.readU64(entry + 0x18n), mod.base + 0x5000n);
    assert.equal(m.readU64(entry + 0x20n), m.options.systemTime);
    assert.ok(MI_UNLOADED_DRIVERS >= 50);
    assert.throws(
      () => m.unloadModule(mod),
      (e: unknown) => e instanceof MachineError && e.code === 'E_MACHINE_MODULE_NOT_LOADED',
    );
    assert.throws(() => m.unloadModule(m.modules[0]!), /cannot be unloaded/);
    assert.throws(() => m.allocateCodeAddress(mod, 'x'), /not loaded/);
  });
});
