import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  IMAGE_DOS_HEADER,
  IMAGE_EXPORT_DIRECTORY,
  IMAGE_NT_HEADERS64,
  IMAGE_SECTION_HEADER,
  ImageDirectoryEntry,
  RUNTIME_FUNCTION,
  decodeUnwindInfo,
  sectionNameText,
} from '../../src/format/index.js';
import { createX64Machine, MachineError, type LoadedModule, type Machine } from '../../src/machine/index.js';

function headers(m: Machine, mod: LoadedModule) {
  const dos = IMAGE_DOS_HEADER.decode(m.readVirtual(mod.base, IMAGE_DOS_HEADER.size));
  const nt = IMAGE_NT_HEADERS64.decode(m.readVirtual(mod.base + BigInt(dos.e_lfanew), IMAGE_NT_HEADERS64.size));
  const sections = Array.from({ length: nt.FileHeader.NumberOfSections }, (_, i) =>
    IMAGE_SECTION_HEADER.decode(
      m.readVirtual(
        mod.base + BigInt(dos.e_lfanew + IMAGE_NT_HEADERS64.size + i * IMAGE_SECTION_HEADER.size),
        IMAGE_SECTION_HEADER.size,
      ),
    ),
  );
  return { dos, nt, sections };
}

function exports(m: Machine, mod: LoadedModule): { name: string; rva: number }[] {
  const { nt } = headers(m, mod);
  const dir = nt.OptionalHeader.DataDirectory[ImageDirectoryEntry.EXPORT]!;
  const ed = IMAGE_EXPORT_DIRECTORY.decode(m.readVirtual(mod.base + BigInt(dir.VirtualAddress), 0x28));
  const at = (rva: number, i: number, size: number): bigint => mod.base + BigInt(rva + i * size);
  return Array.from({ length: ed.NumberOfNames }, (_, i) => ({
    name: m.readAnsiString(mod.base + BigInt(m.readU32(at(ed.AddressOfNames, i, 4)))),
    rva: m.readU32(at(ed.AddressOfFunctions, m.readU16(at(ed.AddressOfNameOrdinals, i, 2)), 4)),
  }));
}

function pdata(m: Machine, mod: LoadedModule) {
  const dir = headers(m, mod).nt.OptionalHeader.DataDirectory[ImageDirectoryEntry.EXCEPTION]!;
  const bytes = m.readVirtual(mod.base + BigInt(dir.VirtualAddress), dir.Size);
  return Array.from({ length: dir.Size / 12 }, (_, i) => RUNTIME_FUNCTION.decode(bytes, i * 12));
}

describe('image headers and tables', () => {
  const m = createX64Machine({ memoryBytes: 64n << 20n, processors: 2 });

  it('ntoskrnl exports the routines on its stacks at their code addresses', () => {
    const nt = m.ntoskrnl;
    const { nt: h, sections } = headers(m, nt);
    assert.equal(h.OptionalHeader.SizeOfImage, nt.size);
    assert.deepEqual(
      sections.map((s) => sectionNameText(s.Name)),
      ['.text', '.data'],
    );
    const byName = new Map(exports(m, nt).map((e) => [e.name, e.rva]));
    assert.equal(nt.base + BigInt(byName.get('KeBugCheckEx')!), m.symbols.KeBugCheckEx);
    for (const name of [
      'KiStartSystemThread',
      'PspSystemThreadStartup',
      'ExpWorkerThread',
      'KiIdleLoop',
      'KiSystemStartup',
    ]) {
      assert.ok(byName.has(name), name);
    }
    assert.equal(h.OptionalHeader.AddressOfEntryPoint, byName.get('KiSystemStartup'));
  });

  it('a driver gains a named, unwindable routine per label; tables are sorted as loaders and unwinders need', () => {
    const mod = m.loadModule('tables.sys', 0x8000);
    const labels = ['Zeta', 'Alpha', 'MyDpcRoutine', 'DriverUnload', 'Mid'];
    const vas = labels.map((l) => m.allocateCodeAddress(mod, l));
    m.flushImageTables();
    const e = exports(m, mod);
    const names = e.map((x) => x.name);
    assert.deepEqual(names, [...names].sort(), 'AddressOfNames sorted');
    assert.deepEqual(new Set(names), new Set(['GsDriverEntry', ...labels]));
    for (const [i, l] of labels.entries()) assert.equal(mod.base + BigInt(e.find((x) => x.name === l)!.rva), vas[i]);
    const functions = pdata(m, mod);
    assert.equal(functions.length, labels.length + 1);
    for (let i = 1; i < functions.length; i++) assert.ok(functions[i - 1]!.EndAddress <= functions[i]!.BeginAddress);
    for (const va of vas) {
      const rva = Number(va - mod.base);
      const f = functions.find((x) => x.BeginAddress === rva)!;
      const info = decodeUnwindInfo(m.readVirtual(mod.base + BigInt(f.UnwindInfoAddress), 16));
      // push rbx / sub rsp,30h: the codes the machine wrote for its STANDARD_FRAME.
      assert.deepEqual(info.codes, [
        { op: 'alloc', offset: 5, size: 0x30 },
        { op: 'push', offset: 1, register: 3 },
      ]);
      assert.equal(info.sizeOfProlog, 5);
      assert.equal(m.routineAt(va + 3n)?.routine.label, labels[vas.indexOf(va)]);
    }
    const { nt: h } = headers(m, mod);
    const text = headers(m, mod).sections[0]!;
    for (const d of [ImageDirectoryEntry.EXPORT, ImageDirectoryEntry.EXCEPTION]) {
      const dir = h.OptionalHeader.DataDirectory[d]!;
      assert.ok(
        dir.VirtualAddress >= text.VirtualAddress &&
          dir.VirtualAddress + dir.Size <= text.VirtualAddress + text.VirtualSize,
      );
    }
  });

  it('an image full of routines says so before its tables could overlap the code', () => {
    const mod = m.loadModule('full.sys', 0x3000);
    assert.throws(
      () => {
        for (let i = 0; i < 400; i++) m.allocateCodeAddress(mod, `Routine${i}`);
      },
      (e: unknown) => e instanceof MachineError && e.code === 'E_MACHINE_IMAGE_FULL',
    );
    m.flushImageTables();
    const functions = pdata(m, mod);
    const last = functions[functions.length - 1]!;
    const { nt } = headers(m, mod);
    assert.ok(last.EndAddress <= nt.OptionalHeader.DataDirectory[ImageDirectoryEntry.EXCEPTION]!.VirtualAddress);
    assert.equal(exports(m, mod).length, functions.length, 'every routine named');
  });
});
