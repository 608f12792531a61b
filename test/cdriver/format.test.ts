/**
 * The kernel's printf, on its own (no compile): MSVC sizes, flags, width and
 * precision, strings of both widths, and what it does with what it does not know.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMessage, type FormatMemory, type VaArgs } from '../../src/kernel/services/index.js';

/** Arguments as a C caller would pass them: 32-bit for int-sized, 64-bit for pointers/longlongs, doubles. */
function args(...values: (number | bigint | { f: number })[]): VaArgs {
  let i = 0;
  const next = () => values[i++];
  return {
    int32: () => Number(next()),
    int64: () => BigInt(next() as number | bigint),
    float64: () => (next() as { f: number }).f,
  };
}

const memory: FormatMemory = {
  ansiString: (va) => `ansi@${va.toString(16)}`,
  wideString: (va) => `wide@${va.toString(16)}`,
  countedString: (va, wide) => `${wide ? 'UNICODE' : 'ANSI'}_STRING@${va.toString(16)}`,
};

const f = (format: string, ...values: (number | bigint | { f: number })[]) =>
  formatMessage(format, args(...values), memory);

describe('formatMessage', () => {
  it('reads %l as 32-bit and %ll/%I64/%I/%z/%p as 64-bit', () => {
    assert.equal(f('%lu %lx %ld', -1, 0xabc, -2), '4294967295 abc -2');
    assert.equal(f('%llu %I64x %Iu %zx', -1n, 0xdeadbeefcafen, 7n, 255n), '18446744073709551615 deadbeefcafe 7 ff');
    assert.equal(f('%p', 0xfffff80012345678n), 'FFFFF80012345678');
    assert.equal(f('%I32x %hx %hhx', 0x1234, 0x12345, 0x1ff), '1234 2345 ff');
  });

  it('flags, width, precision and *', () => {
    assert.equal(f('[%-6d][%6d][%06d][%+d][% d]', 42, 42, -42, 5, 5), '[42    ][    42][-00042][+5][ 5]');
    assert.equal(f('[%#x][%#o][%.4d][%.0d]', 255, 8, 7, 0), '[0xff][010][0007][]');
    assert.equal(f('[%*d][%-*d][%.*s]', 5, 1, 3, 2, 2, 0x10n), '[    1][2  ][an]');
  });

  it('strings of both widths, counted strings, NULL and chars', () => {
    assert.equal(f('%s %S %ls %ws %hs', 1n, 2n, 3n, 4n, 5n), 'ansi@1 wide@2 wide@3 wide@4 ansi@5');
    assert.equal(formatMessage('%s %S', args(1n, 2n), memory, true), 'wide@1 ansi@2');
    assert.equal(f('%Z %wZ', 0x10n, 0x20n), 'ANSI_STRING@10 UNICODE_STRING@20');
    assert.equal(f('[%s] [%wZ]', 0n, 0n), '[(null)] [(null)]');
    assert.equal(f('%c%c %C', 0x41, 0x142, 0x3a9), 'AB Ω');
  });

  it('doubles, %%, and unknown conversions printed as written', () => {
    assert.equal(
      f('%.2f %e %g %g', { f: 2.5678 }, { f: 12345.678 }, { f: 0.0001 }, { f: 1e20 }),
      '2.57 1.234568e+04 0.0001 1e+20',
    );
    assert.equal(f('100%% %n %q', 1n), '100% %n %q');
  });
});
