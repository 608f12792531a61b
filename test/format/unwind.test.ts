import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  RUNTIME_FUNCTION,
  UNWIND_CODE,
  UNWIND_INFO,
  UnwindFlags,
  decodeUnwindInfo,
  encodeUnwindInfo,
  unwindInfoSize,
  type UnwindCode,
  type UnwindInfo,
} from '../../src/format/index.js';
import { assertLayout, assertRoundTrip } from './helpers.js';

test('RUNTIME_FUNCTION, UNWIND_INFO head and UNWIND_CODE offsets', () => {
  assertLayout(RUNTIME_FUNCTION, 12, [
    ['BeginAddress', 0, 4],
    ['EndAddress', 4, 4],
    ['UnwindInfoAddress', 8, 4],
  ]);
  assertLayout(UNWIND_INFO, 4, [
    ['VersionAndFlags', 0, 1],
    ['SizeOfProlog', 1, 1],
    ['CountOfCodes', 2, 1],
    ['FrameRegisterAndOffset', 3, 1],
  ]);
  assertLayout(UNWIND_CODE, 2, [
    ['CodeOffset', 0, 1],
    ['UnwindOpAndInfo', 1, 1],
  ]);
  assertRoundTrip(RUNTIME_FUNCTION);
});

test('encodes a prologue exactly as the documentation lays it out', () => {
  // push rbx (offset 1) / push rsi (2) / sub rsp, 0x28 (6): codes in reverse order, padded to an even count.
  const bytes = encodeUnwindInfo({
    version: 1,
    flags: 0,
    sizeOfProlog: 6,
    frameRegister: 0,
    frameOffset: 0,
    codes: [
      { op: 'alloc', offset: 6, size: 0x28 },
      { op: 'push', offset: 2, register: 6 },
      { op: 'push', offset: 1, register: 3 },
    ],
  });
  assert.deepEqual([...bytes], [0x01, 6, 3, 0x00, 6, 0x42, 2, 0x60, 1, 0x30, 0, 0]);
  // A large allocation takes a second slot (size / 8), a huge one two more (the size itself).
  const large = encodeUnwindInfo({
    version: 1,
    flags: 0,
    sizeOfProlog: 7,
    frameRegister: 0,
    frameOffset: 0,
    codes: [{ op: 'alloc', offset: 7, size: 0x1f8 }],
  });
  assert.deepEqual([...large], [0x01, 7, 2, 0, 7, 0x01, 0x3f, 0x00]);
  const huge = encodeUnwindInfo({
    version: 1,
    flags: 0,
    sizeOfProlog: 7,
    frameRegister: 0,
    frameOffset: 0,
    codes: [{ op: 'alloc', offset: 7, size: 0x80000 }],
  });
  assert.deepEqual([...huge], [0x01, 7, 3, 0, 7, 0x11, 0x00, 0x00, 0x08, 0x00, 0, 0]);
  assert.equal(unwindInfoSize(3), 12);
});

const codeArb: fc.Arbitrary<UnwindCode> = fc.oneof(
  fc.record({ op: fc.constant('push' as const), offset: fc.nat(255), register: fc.nat(15) }),
  fc.record({
    op: fc.constant('alloc' as const),
    offset: fc.nat(255),
    size: fc.integer({ min: 1, max: 0x20000 }).map((n) => n * 8),
  }),
  fc.record({ op: fc.constant('setfp' as const), offset: fc.nat(255) }),
  fc.record({
    op: fc.constant('save' as const),
    offset: fc.nat(255),
    register: fc.nat(15),
    stackOffset: fc.integer({ min: 0, max: 0x40000 }).map((n) => n * 8),
  }),
  fc.record({
    op: fc.constant('savexmm' as const),
    offset: fc.nat(255),
    register: fc.nat(15),
    stackOffset: fc.integer({ min: 0, max: 0x20000 }).map((n) => n * 16),
  }),
  fc.record({ op: fc.constant('machframe' as const), offset: fc.nat(255), errorCode: fc.boolean() }),
);

test('decodeUnwindInfo(encodeUnwindInfo(x)) is x, handler and chain included', () => {
  fc.assert(
    fc.property(
      fc.array(codeArb, { maxLength: 40 }),
      fc.nat(255),
      fc.nat(15),
      fc.nat(15),
      fc.constantFrom<'none' | 'handler' | 'chain'>('none', 'handler', 'chain'),
      fc.nat(),
      (codes, sizeOfProlog, frameRegister, frameUnits, tail, rva) => {
        const info: UnwindInfo = {
          version: 1,
          flags:
            tail === 'handler'
              ? UnwindFlags.UNW_FLAG_EHANDLER
              : tail === 'chain'
                ? UnwindFlags.UNW_FLAG_CHAININFO
                : UnwindFlags.UNW_FLAG_NHANDLER,
          sizeOfProlog,
          frameRegister,
          frameOffset: frameUnits * 16,
          codes: codes.map((c) => ({ ...c })),
          ...(tail === 'handler' ? { handler: rva } : {}),
          ...(tail === 'chain' ? { chained: { BeginAddress: rva, EndAddress: rva + 1, UnwindInfoAddress: 8 } } : {}),
        };
        assert.deepEqual(decodeUnwindInfo(encodeUnwindInfo(info)), info);
      },
    ),
    { numRuns: 200 },
  );
});

test('bad unwind data is a FormatError, not a crash', () => {
  const bad = (bytes: number[]): void =>
    assert.throws(() => decodeUnwindInfo(Uint8Array.from(bytes)), { code: 'E_FORMAT' });
  bad([0x01, 0, 2, 0]); // two code slots announced, none present
  bad([0x01, 0, 2, 0, 0, 0x06, 0, 0]); // operation 6 does not exist
  bad([0x01, 0, 1, 0, 0, 0x01, 0, 0]); // ALLOC_LARGE needs two slots
  bad([0x09, 0, 0, 0]); // EHANDLER without the handler RVA
  assert.throws(
    () => encodeUnwindInfo({ version: 1, flags: 0, sizeOfProlog: 0, frameRegister: 0, frameOffset: 8, codes: [] }),
    { code: 'E_FORMAT' },
  );
});
