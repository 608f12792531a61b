/**
 * The kernel services as C code calls them (test/cdriver/fixtures/probe.c):
 * formatted output with MSVC sizes, ntstrsafe results, pool inside the
 * driver's window, IRQL and spin locks, time and processors, device memory.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  CDriverError,
  dbgPrintOutput,
  KernelError,
  type CDriver,
  type CompiledCDriver,
  type SimulatedSystem,
} from '../../src/index.js';
import { compileFiles, fixture, smallSystem } from './helpers.js';

let compiled: CompiledCDriver;
before(async () => {
  compiled = await compileFiles([fixture('probe.c')]);
});

function load(): { system: SimulatedSystem; driver: CDriver } {
  const system = smallSystem();
  const driver = system.loadDriver({ name: 'probe.sys', compiled });
  return { system, driver };
}

function unicodeString(system: SimulatedSystem, driver: CDriver, text: string): bigint {
  const bytes = Buffer.from(text, 'utf16le');
  const buffer = driver.symbol('g_Buffer');
  system.machine.writeVirtual(buffer + 64n, bytes);
  const head = new Uint8Array(16);
  const v = new DataView(head.buffer);
  v.setUint16(0, bytes.length, true);
  v.setUint16(2, bytes.length, true);
  v.setBigUint64(8, buffer + 64n, true);
  system.machine.writeVirtual(buffer + 32n, head);
  return buffer + 32n;
}

describe('DbgPrint and DbgPrintEx from C', () => {
  it('formats as the Windows kernel reads a format: %l is 32-bit, %I64/%ll/%z/%I/%p are 64-bit', () => {
    const { system, driver } = load();
    driver.call('ProbePrint', 'from the test', unicodeString(system, driver, 'ΩUnicode'));
    const texts = dbgPrintOutput(system.machine).map((e) => e.text);
    const buffer = driver.symbol('g_Buffer').toString(16).toUpperCase().padStart(16, '0');
    assert.deepEqual(texts, [
      'probe: DriverEntry \\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Services\\probe\n',
      'ints -5 42 4294967295 4000000000 -7 beef BEEF 1234 ab\n',
      '64 123456789abcdef0 18446744073709551615 -1 -9000000000 12345 fffff80000000000\n',
      `ptr ${buffer} chars ok strings [from the test] [wide] [wide] [counted] [wide] null [(null)]\n`,
      'width [   42] [42   ] [000ab] [abc] [   7] [0xff] % [+3]\n',
      'given ΩUnicode\n',
      'error level shows\n',
      'kdprint 1\n',
    ]);
    const entries = dbgPrintOutput(system.machine);
    assert.ok(entries.every((e) => e.driver === 'probe.sys' && e.irql === 0 && !e.duringBugCheck));
    assert.deepEqual(
      entries.filter((e) => e.componentId !== undefined).map((e) => [e.componentId, e.level]),
      [[77, 0]],
    );
  });

  it("dbgPrintFilter 'all' shows every DbgPrintEx level", () => {
    const system = smallSystem();
    const driver = system.loadDriver({ name: 'probe.sys', compiled, dbgPrintFilter: 'all' });
    driver.call('ProbePrint', 'x', unicodeString(system, driver, 'y'));
    assert.ok(dbgPrintOutput(system.machine).some((e) => e.text === 'info level is filtered\n'));
  });
});

describe('ntstrsafe', () => {
  const cases: [number, number, string][] = [
    [0, 0, 'abc-12345'],
    [1, 0x80000005, 'truncat'],
    [2, 0, 'head+tail'],
    [3, 0, '7'],
    [6, 0, 'abc'],
  ];
  for (const [which, status, text] of cases) {
    it(`case ${which}: status ${status.toString(16)}, ${JSON.stringify(text)} NUL-terminated`, () => {
      const { system, driver } = load();
      const out = driver.symbol('g_Buffer');
      system.machine.writeVirtual(out, new Uint8Array(64).fill(0x2e));
      assert.equal((driver.call('ProbeStrings', out, which) as number) >>> 0, status);
      const bytes = system.machine.readVirtual(out, text.length + 1);
      assert.equal(Buffer.from(bytes).toString('latin1'), `${text}\0`);
    });
  }

  it('invalid sizes and too-long strings are STATUS_INVALID_PARAMETER', () => {
    const { driver } = load();
    const out = driver.symbol('g_Buffer');
    assert.equal((driver.call('ProbeStrings', out, 4) as number) >>> 0, 0xc000000d);
    assert.equal((driver.call('ProbeStrings', out, 5) as number) >>> 0, 0xc000000d);
  });

  it('RtlStringCbPrintfW formats wide strings into UTF-16', () => {
    const { system, driver } = load();
    const out = driver.symbol('g_Buffer');
    assert.equal(driver.call('ProbeStrings', out, 7), 0);
    assert.equal(Buffer.from(system.machine.readVirtual(out, 12)).toString('utf16le'), 'w7ide\0');
  });
});

describe('pool for a C driver', () => {
  it('ExAllocatePool2 returns tagged nonpaged memory inside the driver window; ExFreePoolWithTag frees it', () => {
    const { system, driver } = load();
    const va = driver.call('ProbeAllocate', 100n, 0x67615431, 0) as bigint;
    assert.ok(driver.window.contains(va, 100), `0x${va.toString(16)} is in the window`);
    assert.equal(
      system.machine.readVirtual(va, 100).every((b) => b === 0x5a),
      true,
    );
    // POOL_HEADER before the block: BlockSize in 16-byte units, PoolType 1 (nonpaged), the tag.
    const header = system.machine.readVirtual(va - 16n, 16);
    assert.equal(header[2], Math.ceil(100 / 16) + 1);
    assert.equal(header[3], 1);
    assert.equal(Buffer.from(header.subarray(4, 8)).toString('latin1'), '1Tag');
    driver.call('ProbeFree', 0x67615431);
    assert.equal(system.machine.readVirtual(va - 16n, 4)[3], 0, 'freed: PoolType 0');
  });

  it('a big allocation gets whole pages with an unmapped page after it', () => {
    const { system, driver } = load();
    const va = driver.call('ProbeAllocate', 0x3000n, 0x656e6f4e, 0) as bigint;
    assert.equal(va & 0xfffn, 0n);
    assert.equal(system.machine.isAddressValid(va + 0x2fffn), true);
    assert.equal(system.machine.isAddressValid(va + 0x3000n), false);
    driver.call('ProbeFree', 0x656e6f4e);
    assert.equal(system.machine.isAddressValid(va), false);
  });

  it('paged pool is pageable (PTE bit 9), inside the window', () => {
    const { system, driver } = load();
    const va = driver.call('ProbeAllocate', 64n, 0x65676150, 1) as bigint;
    assert.ok(driver.window.contains(va, 64));
    assert.equal(system.machine.kernelSpace.translate(va)?.pageable, true);
  });
});

describe('IRQL, spin locks, time, processors', () => {
  it('KeAcquireSpinLock raises to DISPATCH_LEVEL and back; KeRaiseIrql/KeLowerIrql pair up', () => {
    const { driver } = load();
    assert.equal(driver.call('ProbeIrql'), 2 | (0 << 8) | (0 << 16));
  });

  it('acquiring a held spin lock is reported as a deadlock instead of hanging', () => {
    const { driver } = load();
    assert.throws(
      () => driver.call('ProbeDeadlock'),
      (e: unknown) => e instanceof KernelError && e.code === 'E_KERNEL_DEADLOCK' && /ProbeDeadlock/.test(e.message),
    );
  });

  it('a plain pointer read of KUSER_SHARED_DATA (outside the window) goes through the machine', () => {
    const { system, driver } = load();
    assert.equal(driver.call('ProbeKuserSystemTime'), system.machine.readU64(0xfffff78000000014n));
    const now = driver.call('ProbeSystemTime') as bigint;
    assert.ok(now > system.machine.options.systemTime && now < system.machine.options.systemTime + 1000n);
  });

  it('KeQueryActiveProcessorCount and KeGetCurrentProcessorNumberEx describe the machine', () => {
    const { driver } = load();
    assert.equal(driver.call('ProbeProcessors'), (2n << 32n) | (3n << 8n) | 0n);
  });
});

describe('device memory through MmMapIoSpaceEx', () => {
  it('maps inside the window; C writes land in the device frames; MmUnmapIoSpace gives them their bytes back', () => {
    const { system, driver } = load();
    const pa = driver.call('ProbeMapDevice', 0xc0ffee) as bigint;
    const va = driver.call('ProbeMappedAddress') as bigint;
    assert.ok(driver.window.contains(va, 0x1000));
    assert.equal(system.machine.physical.owner(pa >> 12n), 'device');
    assert.equal(new DataView(system.machine.physical.read(pa + 4n, 4).buffer).getUint32(0, true), 0xc0ffee);
    driver.call('ProbeUnmap');
    assert.equal(system.machine.isAddressValid(va), false);
    assert.equal(new DataView(system.machine.physical.read(pa + 4n, 4).buffer).getUint32(0, true), 0xc0ffee);
  });
});

describe('memory functions', () => {
  it('memcpy/memmove/memset/memcmp/strlen across the window edge', () => {
    const { system, driver } = load();
    const src = 0xfffff78000000000n; // KUSER_SHARED_DATA: outside the window
    const result = driver.call('ProbeMemory', src) as number;
    const kuser = system.machine.readVirtual(src, 16);
    const local = Uint8Array.from(kuser);
    local.copyWithin(1, 0, 8);
    local.fill(0xee, 12, 16);
    assert.deepEqual(system.machine.readVirtual(driver.symbol('g_Buffer'), 16), local);
    assert.equal(result & 0xff, local[0]! - kuser[0]!);
  });
});

describe('calling exported functions', () => {
  it('checks the name, the argument count and the machine state', () => {
    const { system, driver } = load();
    assert.throws(
      () => driver.call('NoSuchFunction'),
      (e: unknown) => e instanceof CDriverError && e.code === 'E_CDRIVER_CALL',
    );
    assert.throws(() => driver.call('ProbeDivide', 1), /takes 2 argument/);
    assert.equal(driver.call('ProbeDivide', 84, 2), 42);
    system.KeBugCheckEx(0xe2);
    assert.throws(() => driver.call('ProbeDivide', 84, 2), /bug checked/);
  });
});
