import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeDump, formatAnalysis, type DumpAnalysis } from '../../src/analyze/index.js';
import { openDump } from '../../src/dump/reader/index.js';
import { genuineDump } from './helpers.js';

/**
 * Facts rizin publishes for this very file (its test expectations for
 * bins/dmp/triage_x64.dmp): the registers of KPRCB.Context, and the call
 * stack it walks with PDBs — frame 0 is KeBugCheckEx, then these return
 * addresses in order.
 */
const RIZIN_REGISTERS: Record<string, bigint> = {
  rax: 0xffff850429891720n,
  rcx: 0x7en,
  rdx: 0xffffffffc0000005n,
  rbx: 0xfffff8047ba82b68n,
  rsp: 0xffff850429890ee8n,
  rbp: 0xffff850429892c10n,
  rsi: 0n,
  rdi: 0n,
  r8: 0xfffff8048b58334cn,
  r9: 0xffff850429891ee8n,
  r10: 0xffff850429891ee8n,
  r11: 0xffff8afd53400000n,
  r12: 0xffff850429892c10n,
  r13: 0xffff850429891ee8n,
  r14: 0xffff850429891560n,
  r15: 0xfffff8047ba00000n,
  rip: 0xfffff8047bdf5a80n,
};
const RIZIN_EFLAGS = 0x40286n;
const RIZIN_MXCSR = 0x1f80n;

const RIZIN_RETURN_ADDRESSES = [
  0xfffff8047be0f4e1n,
  0xfffff8047bdcc052n,
  0xfffff8047bdfe942n,
  0xfffff8047bd2bf97n,
  0xfffff8047bd2ab86n,
  0xfffff8047be07bacn,
  0xfffff8047be031f5n,
  0xfffff8048b58334cn,
  0xfffff8048b58313fn,
  0xfffff8048b583234n,
  0xfffff8048b5a0e8fn,
  0xfffff8048b5a83f6n,
  0xfffff8048b59f852n,
  0xfffff804799cc027n,
  0xfffff80479966f81n,
  0xfffff804799cb227n,
  0xfffff804799c9e21n,
  0xfffff804799c99dan,
  0xfffff804799cb6b1n,
  0xfffff804799cb47an,
  0xfffff804799d299en,
  0xfffff8047995cc5fn,
  0xfffff8047995a866n,
  0xfffff8047bc52f55n,
  0xfffff8047c1548a6n,
  0xfffff8047bce0d1en,
  0xfffff8047bd6ab7cn,
  0xfffff8047c123760n,
  0xfffff8047c12362fn,
  0xfffff8047c126bddn,
  0xfffff8047c1bdf0cn,
  0xfffff8047bd6c2ecn,
  0xfffff8047bc25975n,
  0xfffff8047bd17e25n,
  0xfffff8047bdfd0d8n,
];

async function analyzed(path: string): Promise<DumpAnalysis> {
  const dump = await openDump(path);
  try {
    return await analyzeDump(dump);
  } finally {
    await dump.close();
  }
}

describe('analyze on the genuine triage dump: what WinDbg and rizin show', () => {
  it('shows the KPRCB.Context registers rizin publishes, labelled; the header ContextRecord apart', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const a = await analyzed(path);
    const c = a.context;
    assert.equal(c?.architecture, 'AMD64');
    if (c?.architecture !== 'AMD64') return;
    assert.equal(c.source, 'KPRCB.Context (processor 0, triage PRCB copy)');
    assert.equal(c.address, '0xffff9b00021ff340', 'the pointer in the PRCB copy at KDBG.OffsetPrcbContext');
    for (const [name, value] of Object.entries(RIZIN_REGISTERS)) assert.equal(BigInt(c.registers[name]!), value, name);
    assert.equal(BigInt(c.eflags), RIZIN_EFLAGS);
    assert.equal(BigInt(c.mxcsr), RIZIN_MXCSR);
    assert.equal(a.headerContext?.source, 'header ContextRecord');
    assert.equal(a.headerContext?.architecture === 'AMD64' && a.headerContext.rip, '0xfffff8048b58334c');
    assert.deepEqual(a.crashState, {
      processor: 0,
      currentThread: '0xffffc08bde9e1640',
      stackBase: '0xffff850429893000',
      stackLimit: '0xffff85042988d000',
      process: '0xffffc08bdce94180',
    });
  });

  it('STACK_TEXT holds rizin’s return addresses in order; every other frame is marked scanned', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const a = await analyzed(path);
    const stack = a.stack ?? [];
    assert.equal(stack[0]?.pc, '0xfffff8047bdf5a80');
    assert.equal(stack[0]?.method, 'context');
    assert.equal(stack[0]?.sp, '0xffff850429890ee8');
    let next = 0;
    for (const f of stack.slice(1)) {
      if (next < RIZIN_RETURN_ADDRESSES.length && BigInt(f.pc) === RIZIN_RETURN_ADDRESSES[next]) next++;
      else assert.equal(f.method, 'scan', `extra frame ${f.frame} ${f.symbol} is marked scanned`);
    }
    assert.equal(next, RIZIN_RETURN_ADDRESSES.length, `all ${RIZIN_RETURN_ADDRESSES.length} in order`);
    // Each frame's returnAddress is the next frame's pc (WinDbg's RetAddr column).
    for (const [i, f] of stack.entries()) assert.equal(f.returnAddress, stack[i + 1]?.pc ?? null);
    // The exception context (P4 = the header ContextRecord) is a frame of its own, at rizin's frame 8.
    const trap = stack.find((f) => f.method === 'context' && f.frame > 0);
    assert.deepEqual(
      [trap?.pc, trap?.sp, trap?.contextSource],
      ['0xfffff8048b58334c', '0xffff850429892120', 'BugCheckParameter4'],
    );
    assert.ok(stack.every((f) => f.module === null || /^(nt|amdppm|Wdf01000|ACPI)$/.test(f.module)));

    const text = formatAnalysis(a).join('\n');
    const lines = text.split('\n');
    const from = lines.indexOf('STACK_TEXT:');
    assert.ok(from > 0);
    assert.match(lines[from + 2]!, /^00 ffff8504`29890ee8 fffff804`7be0f4e1 +nt\+0x3f5a80 +\(context\)$/);
    let shown = 0;
    for (const line of lines.slice(from + 2, from + 2 + stack.length)) {
      const ret = /^[0-9a-f]{2} \S+ ([0-9a-f]{8})`([0-9a-f]{8})/.exec(line);
      if (
        ret !== null &&
        shown < RIZIN_RETURN_ADDRESSES.length &&
        BigInt(`0x${ret[1]}${ret[2]}`) === RIZIN_RETURN_ADDRESSES[shown]
      )
        shown++;
    }
    assert.equal(shown, RIZIN_RETURN_ADDRESSES.length, 'the text’s RetAddr column has them in order too');
  });

  it('PROCESS_NAME, WRITE_ADDRESS, FAULTING_IP and bucket ids; the same on every run', async (t) => {
    const path = await genuineDump(t);
    if (path === undefined) return;
    const a = await analyzed(path);
    assert.equal(a.processName, 'System');
    assert.deepEqual(a.memoryAccess, {
      kind: 'write',
      address: '0xffffffffffffffff',
      source: 'EXCEPTION_RECORD.ExceptionInformation[1]',
    });
    assert.equal(a.faultingModule?.name, 'amdppm');
    assert.equal(a.faultingModule?.source, 'BugCheckParameter2');
    assert.equal(a.failureBucketId, '0x1000007E_amdppm+0x334c');
    assert.equal(a.bucketId, '0x7E_amdppm+0x334c');
    const again = await analyzed(path);
    assert.equal(again.failureBucketId, a.failureBucketId);
    assert.deepEqual(again.stack, a.stack);
    const text = formatAnalysis(a).join('\n');
    assert.match(text, /^PROCESS_NAME: {2}System$/m);
    assert.match(text, /^WRITE_ADDRESS: {2}ffffffffffffffff /m);
    assert.match(text, /^FAILURE_BUCKET_ID: {2}0x1000007E_amdppm\+0x334c$/m);
    assert.match(text, /^BUCKET_ID: {2}0x7E_amdppm\+0x334c$/m);
    assert.match(text, /^CRASH_CONTEXT: {2}ffff9b00021ff340 -- \(\.cxr 0xffff9b00021ff340\)$/m);
    assert.match(text, /^rip=fffff8047bdf5a80 rsp=ffff850429890ee8 rbp=ffff850429892c10$/m);
  });
});
