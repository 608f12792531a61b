import assert from 'node:assert/strict';
import { test } from 'node:test';
import { faultingIpParameter, memoryAccess } from '../../src/analyze/index.js';

const P = (p1: bigint, p2: bigint, p3: bigint, p4: bigint): [bigint, bigint, bigint, bigint] => [p1, p2, p3, p4];

test('FAULTING_IP comes from the parameter the bug check table calls the faulting instruction', () => {
  assert.equal(faultingIpParameter(0xd1, P(0x10n, 2n, 0n, 0xfffff80000001040n)), 4);
  assert.equal(faultingIpParameter(0x0a, P(0x10n, 2n, 0n, 0n)), 4);
  assert.equal(faultingIpParameter(0x1e, P(0xc0000005n, 0n, 0n, 0n)), 2);
  assert.equal(faultingIpParameter(0x1000007e, P(0xc0000005n, 0n, 0n, 0n)), 2, 'an _M code borrows its base code');
  assert.equal(faultingIpParameter(0x50, P(0n, 0n, 0n, 0n)), 3);
  // 0xFC: the address whose execution was attempted is where the processor was.
  assert.equal(faultingIpParameter(0xfc, P(0xfffff80000002000n, 0n, 0n, 0n)), 1);
  // A code whose parameters hold no code address names none (a pool block pointer never blames its owner).
  assert.equal(faultingIpParameter(0xc2, P(7n, 0x1234n, 0n, 0xffffb00000001000n)), undefined);
  assert.equal(faultingIpParameter(0xe2, P(0n, 0n, 0n, 0n)), undefined);
});

test('READ/WRITE/EXECUTE_ADDRESS follow the documented access values of each code', () => {
  const at = (code: number, p: [bigint, bigint, bigint, bigint]) => memoryAccess(code, p, undefined);
  assert.deepEqual(at(0xd1, P(0x10n, 2n, 1n, 0n)), { kind: 'write', address: '0x10', source: 'BugCheckParameter1' });
  assert.deepEqual(at(0xd1, P(0x10n, 2n, 8n, 0n))?.kind, 'execute');
  // 0x50 after Windows 10 1507: 0 read, 2 write, 0x10 execute.
  assert.equal(at(0x50, P(0x20n, 0n, 0n, 0n))?.kind, 'read');
  assert.equal(at(0x50, P(0x20n, 2n, 0n, 0n))?.kind, 'write');
  assert.equal(at(0x50, P(0x20n, 0x10n, 0n, 0n))?.kind, 'execute');
  assert.equal(at(0xbe, P(0x30n, 0n, 0n, 0n))?.kind, 'write', '0xBE implies a write');
  assert.equal(at(0xe2, P(0n, 0n, 0n, 0n)), undefined);
  // An access violation's exception record, for the exception bug checks.
  assert.deepEqual(
    memoryAccess(0x7e, P(0xc0000005n, 0n, 0n, 0n), { code: '0xc0000005', parameters: ['0x1', '0xdead0000'] }),
    { kind: 'write', address: '0xdead0000', source: 'EXCEPTION_RECORD.ExceptionInformation[1]' },
  );
});
