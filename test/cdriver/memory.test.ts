/**
 * A C pointer is the kernel address: the global C writes through `&g_Buffer`
 * is at that VA for the machine, its frame holds the bytes without a copy,
 * the dump has them there; pool, stack and image live in the driver's window;
 * unloading gives it all back.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { openDump, WINDOW_ALIGNMENT, type CompiledCDriver } from '../../src/index.js';
import { compileFiles, fixture, smallSystem } from './helpers.js';

let compiled: CompiledCDriver;
before(async () => {
  compiled = await compileFiles([fixture('probe.c')]);
});

describe('the driver window', () => {
  it('&g_Buffer as C sees it is the kernel VA of the global, inside the image, and the frame is the WebAssembly memory', () => {
    const system = smallSystem();
    const driver = system.loadDriver({ name: 'probe.sys', compiled });
    const { machine } = system;
    const address = driver.call('ProbeBufferAddress', 0x41) as bigint;
    assert.equal(address, driver.symbol('g_Buffer'));
    assert.equal(driver.window.base % WINDOW_ALIGNMENT, 0n);
    assert.equal(driver.module.base, driver.window.base);
    assert.ok(address > driver.module.base && address < driver.module.base + BigInt(driver.module.size));
    assert.equal(machine.findModuleByAddress(address)?.name, 'probe.sys');
    assert.deepEqual(machine.readVirtual(address, 256), new Uint8Array(256).fill(0x41));
    // Zero-copy: the physical frame's storage is the window's memory, so a later C write is seen at once.
    const pfn = machine.kernelSpace.translate(address)!.pa >> 12n;
    const page = machine.physical.readPage(pfn);
    driver.call('ProbeBufferAddress', 0x42);
    assert.equal(page[Number(address & 0xfffn)], 0x42);
    assert.equal(machine.physical.owner(pfn), 'kernel');
  });

  it('a kernel dump holds the global at its address (what bugcheck read shows)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bugcheck-cmemory-'));
    try {
      const file = path.join(dir, 'probe.dmp');
      const system = smallSystem({ dump: { kind: 'kernel', path: file } });
      const driver = system.loadDriver({ name: 'probe.sys', compiled });
      const address = driver.call('ProbeBufferAddress', 0x5a) as bigint;
      const counter = driver.symbol('g_Counter');
      assert.equal(system.KeBugCheckEx(0xe2).dumpStatus, 'written');
      const dump = await openDump(file);
      try {
        const read = await dump.readVirtual(address, 256);
        assert.equal(read.complete, true);
        assert.deepEqual(read.bytes, new Uint8Array(256).fill(0x5a));
        assert.deepEqual((await dump.readVirtual(counter, 4)).bytes, Uint8Array.of(1, 0, 0, 0));
        const modules = await dump.modules();
        const image = modules.loaded.find((m) => m.name.toLowerCase().endsWith('probe.sys'));
        assert.equal(image?.base, driver.module.base);
      } finally {
        await dump.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('two C drivers get two windows; each can read the other through the machine', () => {
    const system = smallSystem();
    const a = system.loadDriver({ name: 'a.sys', compiled });
    const b = system.loadDriver({ name: 'b.sys', compiled });
    assert.notEqual(a.window.base, b.window.base);
    assert.equal(b.window.base - a.window.base, WINDOW_ALIGNMENT);
    const inA = a.call('ProbeBufferAddress', 0x61) as bigint;
    b.call('ProbeMemory', inA);
    assert.deepEqual(
      system.machine.readVirtual(b.symbol('g_Buffer'), 12),
      Uint8Array.of(0x61, ...new Array(11).fill(0x61)),
    );
  });

  it('the stack is in the window, under the image, with unmapped guard pages below it', () => {
    const system = smallSystem();
    const driver = system.loadDriver({ name: 'probe.sys', compiled });
    const { layout, window } = driver;
    assert.ok(layout.stackBase >= layout.imageSize + 0x10000);
    assert.equal(system.machine.isAddressValid(window.base + BigInt(layout.stackTop - 8)), true);
    assert.equal(system.machine.isAddressValid(window.base + BigInt(layout.stackBase - 8)), false);
  });

  it('unload unmaps the image, stack and pool, deregisters its records and frees the window slot', () => {
    const system = smallSystem();
    const driver = system.loadDriver({ name: 'probe.sys', compiled });
    const pool = driver.call('ProbeAllocate', 64n, 0x6c6f6f50, 0) as bigint;
    const base = driver.window.base;
    const populated = system.machine.physical.populatedCount;
    system.unloadDriver(driver);
    assert.equal(system.machine.isAddressValid(base), false);
    assert.equal(system.machine.isAddressValid(pool), false);
    assert.ok(system.machine.physical.populatedCount < populated - 10, 'frames freed');
    assert.equal(system.machine.unloadedModules.at(-1)?.name, 'probe.sys');
    const again = system.loadDriver({ name: 'probe.sys', compiled });
    assert.equal(again.window.base, base, 'the slot is reused');
  });
});
