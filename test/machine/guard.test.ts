import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createX64Machine,
  PageFault,
  POOL_FLAG_NON_PAGED,
  POOL_FLAG_PAGED,
  type MachineGuard,
  type MemoryAccess,
} from '../../src/machine/index.js';

class HighLevelViolation extends Error {}

/** Records every call and forbids what HIGH_LEVEL forbids: pageable memory and allocation. */
function recordingGuard(): MachineGuard & {
  accesses: Array<[bigint, number, MemoryAccess, boolean]>;
  allocations: number;
  frees: number;
} {
  return {
    accesses: [],
    allocations: 0,
    frees: 0,
    onAccess(address, length, access, pageable) {
      this.accesses.push([address, length, access, pageable]);
      if (pageable) throw new HighLevelViolation(`pageable access at 0x${address.toString(16)}`);
    },
    onAllocate() {
      this.allocations++;
      throw new HighLevelViolation('allocation at HIGH_LEVEL');
    },
    onFree() {
      this.frees++;
      throw new HighLevelViolation('free at HIGH_LEVEL');
    },
  };
}

describe('MachineGuard', () => {
  it('is consulted with address, length, access and pageability before memory is touched', () => {
    const m = createX64Machine();
    const paged = m.ExAllocatePool2(POOL_FLAG_PAGED, 64, 'Pgd1');
    const resident = m.ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, 'Npg1');
    m.writeVirtual(paged, Uint8Array.of(0x11));
    const guard = recordingGuard();
    m.guard = guard;
    m.writeU32(resident, 0xdeadbeef);
    assert.equal(m.readU32(resident), 0xdeadbeef);
    assert.deepEqual(guard.accesses, [
      [resident, 4, 'write', false],
      [resident, 4, 'read', false],
    ]);
    assert.throws(() => m.writeU8(paged, 0x22), HighLevelViolation);
    assert.throws(() => m.readU8(paged), HighLevelViolation);
    m.guard = null;
    assert.equal(m.readU8(paged), 0x11, 'the forbidden write never reached memory');
  });

  it('can forbid allocation and freeing; nothing is allocated when it does', () => {
    const m = createX64Machine();
    const before = [...m.poolAllocations()].length;
    const keep = m.ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 'Keep');
    const guard = recordingGuard();
    m.guard = guard;
    assert.throws(() => m.ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 'Nope'), HighLevelViolation);
    assert.throws(() => m.allocateAnsiString('nope'), HighLevelViolation);
    assert.throws(() => m.ExFreePoolWithTag(keep, 'Keep'), HighLevelViolation);
    assert.throws(() => m.loadModule('late.sys', 0x4000), HighLevelViolation);
    assert.equal(guard.allocations, 3);
    assert.equal(guard.frees, 1);
    m.guard = null;
    assert.equal([...m.poolAllocations()].length, before + 1);
    assert.ok(!m.modules.some((x) => x.name === 'late.sys'));
  });

  it('is told about the whole range, with pageable set if any page of it is pageable', () => {
    const m = createX64Machine();
    const big = m.ExAllocatePool2(POOL_FLAG_PAGED, 0x2000, 'Pbig');
    const seen: boolean[] = [];
    m.guard = {
      onAccess: (_a, _l, _x, pageable) => {
        seen.push(pageable);
      },
      onAllocate: () => {},
    };
    m.readVirtual(big + 0xff0n, 0x20);
    assert.deepEqual(seen, [true]);
  });

  it('is not consulted by isAddressValid, nor for accesses that fault', () => {
    const m = createX64Machine();
    const guard = recordingGuard();
    m.guard = guard;
    assert.equal(m.isAddressValid(m.symbols.KernBase), true);
    assert.equal(m.isAddressValid(0xffff_f800_0000_0000n), false);
    assert.equal(m.isAddressValid(0x0000_8000_0000_0000n), false);
    assert.throws(
      () => m.readU64(0xffff_f800_0000_0000n),
      (e: unknown) =>
        e instanceof PageFault && e.code === 'E_PAGE_FAULT' && e.reason === 'not-mapped' && e.access === 'read',
    );
    assert.throws(
      () => m.writeU64(0x0000_8000_0000_0000n, 1n),
      (e: unknown) => e instanceof PageFault && e.reason === 'non-canonical' && e.access === 'write',
    );
    assert.deepEqual(guard.accesses, []);
  });

  it('faults on the first unmapped page of a range and on writes to read-only pages', () => {
    const m = createX64Machine();
    const big = m.ExAllocatePool2(POOL_FLAG_NON_PAGED, 0x1000, 'Edge');
    assert.throws(
      () => m.readVirtual(big + 0xff0n, 0x20),
      (e: unknown) => e instanceof PageFault && e.address === big + 0x1000n,
    );
    const hal = m.modules[1]!;
    assert.throws(
      () => m.writeU8(hal.base, 0),
      (e: unknown) => e instanceof PageFault && e.reason === 'read-only',
    );
    assert.equal(m.readU16(hal.base), 0x5a4d, "image header starts with 'MZ'");
    const err = new PageFault(0x1234n, 'read', 'not-mapped');
    assert.deepEqual(err.toJSON().details, { address: '0x1234', access: 'read', reason: 'not-mapped' });
  });
});
