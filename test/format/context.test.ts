import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTEXT_ALL, CONTEXT_AMD64, M128A, XMM_SAVE_AREA32, type ContextAmd64 } from '../../src/format/index.js';
import { assertLayout, assertRoundTrip } from './helpers.js';

test('M128A and XMM_SAVE_AREA32 offsets', () => {
  assertLayout(M128A, 0x10, [
    ['Low', 0x0, 8],
    ['High', 0x8, 8],
  ]);
  assert.equal(M128A.align, 16);
  assertLayout(XMM_SAVE_AREA32, 512, [
    ['ControlWord', 0x00, 2],
    ['StatusWord', 0x02, 2],
    ['TagWord', 0x04, 1],
    ['Reserved1', 0x05, 1],
    ['ErrorOpcode', 0x06, 2],
    ['ErrorOffset', 0x08, 4],
    ['ErrorSelector', 0x0c, 2],
    ['Reserved2', 0x0e, 2],
    ['DataOffset', 0x10, 4],
    ['DataSelector', 0x14, 2],
    ['Reserved3', 0x16, 2],
    ['MxCsr', 0x18, 4],
    ['MxCsr_Mask', 0x1c, 4],
    ['FloatRegisters', 0x20, 8 * 16],
    ['XmmRegisters', 0xa0, 16 * 16],
    ['Reserved4', 0x1a0, 96],
  ]);
});

test('CONTEXT_AMD64 offsets (dumpformat.md §4.1)', () => {
  const p = (n: number): [string, number, number][] => Array.from({ length: n }, (_, i) => [`P${i + 1}Home`, i * 8, 8]);
  const gpr = [
    'Rax',
    'Rcx',
    'Rdx',
    'Rbx',
    'Rsp',
    'Rbp',
    'Rsi',
    'Rdi',
    'R8',
    'R9',
    'R10',
    'R11',
    'R12',
    'R13',
    'R14',
    'R15',
  ];
  assertLayout(CONTEXT_AMD64, 0x4d0, [
    ...p(6),
    ['ContextFlags', 0x30, 4],
    ['MxCsr', 0x34, 4],
    ['SegCs', 0x38, 2],
    ['SegDs', 0x3a, 2],
    ['SegEs', 0x3c, 2],
    ['SegFs', 0x3e, 2],
    ['SegGs', 0x40, 2],
    ['SegSs', 0x42, 2],
    ['EFlags', 0x44, 4],
    ['Dr0', 0x48, 8],
    ['Dr1', 0x50, 8],
    ['Dr2', 0x58, 8],
    ['Dr3', 0x60, 8],
    ['Dr6', 0x68, 8],
    ['Dr7', 0x70, 8],
    ...gpr.map((name, i): [string, number, number] => [name, 0x78 + i * 8, 8]),
    ['Rip', 0xf8, 8],
    ['FltSave', 0x100, 512],
    ['VectorRegister', 0x300, 26 * 16],
    ['VectorControl', 0x4a0, 8],
    ['DebugControl', 0x4a8, 8],
    ['LastBranchToRip', 0x4b0, 8],
    ['LastBranchFromRip', 0x4b8, 8],
    ['LastExceptionToRip', 0x4c0, 8],
    ['LastExceptionFromRip', 0x4c8, 8],
  ]);
  assert.equal(CONTEXT_AMD64.align, 16);
  // spot checks inside FltSave as the spec lists them (absolute CONTEXT offsets)
  const flt = CONTEXT_AMD64.offsets.FltSave;
  assert.equal(flt + XMM_SAVE_AREA32.offsets.StatusWord, 0x102);
  assert.equal(flt + XMM_SAVE_AREA32.offsets.TagWord, 0x104);
  assert.equal(flt + XMM_SAVE_AREA32.offsets.ErrorOpcode, 0x106);
  assert.equal(flt + XMM_SAVE_AREA32.offsets.ErrorOffset, 0x108);
  assert.equal(flt + XMM_SAVE_AREA32.offsets.ErrorSelector, 0x10c);
  assert.equal(flt + XMM_SAVE_AREA32.offsets.DataOffset, 0x110);
  assert.equal(flt + XMM_SAVE_AREA32.offsets.DataSelector, 0x114);
  assert.equal(flt + XMM_SAVE_AREA32.offsets.MxCsr, 0x118);
  assert.equal(flt + XMM_SAVE_AREA32.offsets.MxCsr_Mask, 0x11c);
  assert.equal(flt + XMM_SAVE_AREA32.offsets.FloatRegisters, 0x120);
  assert.equal(flt + XMM_SAVE_AREA32.offsets.XmmRegisters, 0x1a0);
  assert.equal(flt + XMM_SAVE_AREA32.offsets.XmmRegisters + 15 * 16, 0x290, 'Xmm15');
  assert.equal(flt + XMM_SAVE_AREA32.offsets.Reserved4, 0x2a0);
});

test('CONTEXT_AMD64 round-trips; registers land where a debugger reads them', () => {
  assertRoundTrip(M128A);
  assertRoundTrip(XMM_SAVE_AREA32);
  assertRoundTrip(CONTEXT_AMD64, 20);
  const xmm = Array.from({ length: 16 }, (_, i) => ({ Low: BigInt(i + 1), High: BigInt(i + 1) << 56n }));
  const ctx: Partial<ContextAmd64> = {
    ContextFlags: CONTEXT_ALL,
    MxCsr: 0x1f80,
    SegCs: 0x10,
    SegSs: 0x18,
    EFlags: 0x10246,
    Rsp: 0xfffff80012340000n,
    R15: 0xf15n,
    Rip: 0xfffff8047bdf5a80n,
    FltSave: { ...XMM_SAVE_AREA32.zero(), MxCsr: 0x1f80, ControlWord: 0x27f, XmmRegisters: xmm },
    LastExceptionFromRip: 0x1234n,
  };
  const bytes = CONTEXT_AMD64.encode(ctx);
  const v = new DataView(bytes.buffer);
  assert.equal(v.getUint32(0x30, true), 0x10001f);
  assert.equal(v.getUint32(0x34, true), 0x1f80);
  assert.equal(v.getUint32(0x118, true), 0x1f80);
  assert.equal(v.getUint16(0x100, true), 0x27f);
  assert.equal(v.getBigUint64(0xf0, true), 0xf15n);
  assert.equal(v.getBigUint64(0xf8, true), 0xfffff8047bdf5a80n);
  assert.equal(v.getBigUint64(0x1a0, true), 1n, 'Xmm0.Low');
  assert.equal(v.getBigUint64(0x298, true), 16n << 56n, 'Xmm15.High');
  assert.equal(v.getBigUint64(0x4c8, true), 0x1234n);
  const back = CONTEXT_AMD64.decode(bytes);
  assert.deepEqual(back.FltSave.XmmRegisters, xmm);
  assert.equal(back.Rsp, ctx.Rsp);
});
