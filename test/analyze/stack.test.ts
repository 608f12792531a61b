import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTEXT_AMD64 } from '../../src/format/index.js';
import type { MachineContext } from '../../src/analyze/context.js';
import type { VirtualMemory } from '../../src/analyze/memory.js';
import { ImageCatalog } from '../../src/analyze/pe.js';
import { looksLikeFunctionEntry, STACK_MAX_SPAN, walkStack } from '../../src/analyze/stack.js';
import { bucketFunction, symbolize } from '../../src/analyze/symbols.js';
import { endsWithCall } from '../../src/analyze/unwindX64.js';
import { buildImage, type ImageSpec } from './peBuilder.js';
import {
  CRASH_CONTEXT,
  DRV_BASE,
  DRV_IMAGE,
  MODULES,
  NT_BASE,
  NT_IMAGE,
  RBX_OF_CALLER,
  S0,
  STACK_BASE,
  buildStack,
} from './x64Fixture.js';

/** Sparse memory made of byte regions; a read is whole or nothing, like DumpMemory. */
class RegionMemory implements VirtualMemory {
  constructor(readonly regions: { va: bigint; bytes: Uint8Array }[]) {}
  async read(va: bigint, length: number): Promise<Uint8Array | undefined> {
    for (const r of this.regions)
      if (va >= r.va && va + BigInt(length) <= r.va + BigInt(r.bytes.length)) {
        const at = Number(va - r.va);
        return r.bytes.slice(at, at + length);
      }
    return undefined;
  }
  async readU64(va: bigint): Promise<bigint | undefined> {
    const b = await this.read(va, 8);
    return b && new DataView(b.buffer).getBigUint64(0, true);
  }
  async readU32(va: bigint): Promise<number | undefined> {
    const b = await this.read(va, 4);
    return b && new DataView(b.buffer).getUint32(0, true);
  }
}

function context(fields: Partial<ReturnType<typeof CONTEXT_AMD64.decode>>): MachineContext {
  return { arch: 'AMD64', raw: { ...CONTEXT_AMD64.zero(), ...fields } };
}

function catalogOf(drv: ImageSpec = DRV_IMAGE, extra: { va: bigint; bytes: Uint8Array }[] = []): ImageCatalog {
  const memory = new RegionMemory([
    ...extra,
    { va: NT_BASE, bytes: buildImage(NT_IMAGE) },
    { va: DRV_BASE, bytes: buildImage(drv) },
    { va: STACK_BASE, bytes: buildStack() },
  ]);
  return new ImageCatalog(memory, MODULES);
}

describe('x64 stack: unwinding with the images’ UNWIND_INFO', () => {
  it('walks KeBugCheckEx → MyDpcRoutine → Caller (frame register) → Outer (chained info) and stops at a 0 return address', async () => {
    const catalog = catalogOf();
    const frames = await walkStack(catalog, context(CRASH_CONTEXT), { stackEnd: STACK_BASE + 0x2000n });
    assert.deepEqual(
      frames.map((f) => [f.pc - (f.pc >= DRV_BASE ? DRV_BASE : NT_BASE), f.sp - STACK_BASE, f.method]),
      [
        [0x1000n, S0 - 0xb8n - STACK_BASE, 'context'],
        [0x1115n, S0 - 0xb0n - STACK_BASE, 'unwind'],
        [0x1225n, S0 - 0x80n - STACK_BASE, 'unwind'],
        [0x1335n, S0 - 0x30n - STACK_BASE, 'unwind'],
      ],
    );
    const names = await Promise.all(frames.map((f) => symbolize(catalog, f.pc, true)));
    assert.deepEqual(
      names.map((n) => n.symbol),
      ['nt!KeBugCheckEx', 'drv!MyDpcRoutine+0x15', 'drv!Caller+0x25', 'drv+0x1335'],
    );
    // Outer is not exported: its bucket function is its start, found through the chained unwind info.
    assert.equal(bucketFunction(names[3]!), 'drv+0x1300');
    assert.equal(bucketFunction(names[1]!), 'drv!MyDpcRoutine');
  });

  it('a frame register it does not know does not stop the walk: that frame is scanned for', async () => {
    const catalog = catalogOf();
    const frames = await walkStack(catalog, context({ ...CRASH_CONTEXT, Rbp: undefined as unknown as bigint }), {
      stackEnd: STACK_BASE + 0x2000n,
    });
    assert.deepEqual(
      frames.map((f) => f.method),
      ['context', 'unwind', 'unwind', 'scan'],
      'Caller needs rbp to unwind: its return address is found by the scan',
    );
  });

  it('emulates an epilog when rip sits in one (add rsp, 20h; pop rbx; ret)', async () => {
    const catalog = catalogOf();
    // In MyDpcRoutine at the epilog (0x1115) with rsp where the call left it.
    const frames = await walkStack(catalog, context({ Rip: DRV_BASE + 0x1115n, Rsp: S0 - 0xb0n, Rbp: S0 - 0x60n }), {
      stackEnd: STACK_BASE + 0x2000n,
    });
    assert.equal(frames[1]?.pc, DRV_BASE + 0x1225n);
    assert.equal(frames[1]?.sp, S0 - 0x80n);
  });

  it('inside a prolog only the operations already executed are undone', async () => {
    const catalog = catalogOf();
    // MyDpcRoutine after `push rbx` (offset 2), before `sub rsp, 20h`.
    const stack = buildStack();
    const v = new DataView(stack.buffer);
    const at = Number(S0 - 0x90n - STACK_BASE);
    v.setBigUint64(at, RBX_OF_CALLER, true);
    const frames = await walkStack(catalog, context({ Rip: DRV_BASE + 0x1102n, Rsp: S0 - 0x90n, Rbp: S0 - 0x60n }), {
      stackEnd: STACK_BASE + 0x2000n,
    });
    assert.equal(frames[1]?.pc, DRV_BASE + 0x1225n);
    assert.equal(frames[1]?.method, 'unwind');
  });

  it('a machine frame (PUSH_MACHFRAME) takes rip and rsp from the interrupt frame', async () => {
    const trapRva = 0x1400;
    const drv: ImageSpec = {
      ...DRV_IMAGE,
      functions: [
        ...DRV_IMAGE.functions,
        { begin: trapRva, end: 0x1440, prologSize: 1, ops: [{ op: 'machframe', at: 1, errorCode: false }] },
      ],
    };
    const frameVa = STACK_BASE + 0x100n;
    const trap = new Uint8Array(0x28);
    const tv = new DataView(trap.buffer);
    tv.setBigUint64(0, DRV_BASE + 0x1225n, true); // RIP
    tv.setBigUint64(24, S0 - 0x80n, true); // RSP
    const catalog = catalogOf(drv, [{ va: frameVa, bytes: trap }]);
    const frames = await walkStack(
      catalog,
      context({ Rip: DRV_BASE + BigInt(trapRva + 4), Rsp: frameVa, Rbp: S0 - 0x60n }),
      {
        stackEnd: STACK_BASE + 0x2000n,
      },
    );
    assert.deepEqual(
      frames.slice(0, 3).map((f) => [f.pc, f.method]),
      [
        [DRV_BASE + BigInt(trapRva + 4), 'context'],
        [DRV_BASE + 0x1225n, 'unwind'],
        [DRV_BASE + 0x1335n, 'unwind'],
      ],
    );
  });
});

describe('x64 stack: scanning where the unwind data is not in the dump', () => {
  it('unwinds through nt, then finds each return address by scanning, checking the call before it', async () => {
    const catalog = catalogOf({ ...DRV_IMAGE, noExceptionDirectory: true });
    const frames = await walkStack(catalog, context(CRASH_CONTEXT), { stackEnd: STACK_BASE + 0x2000n });
    assert.deepEqual(
      frames.map((f) => [f.pc - DRV_BASE, f.method, f.callSite ?? null]),
      [
        [NT_BASE + 0x1000n - DRV_BASE, 'context', null],
        [0x1115n, 'unwind', null],
        [0x1225n, 'scan', 'call'],
        [0x1335n, 'scan', 'call'],
      ],
    );
  });

  it('a known exception context on the stack becomes a frame and the walk goes on from its registers', async () => {
    const catalog = catalogOf({ ...DRV_IMAGE, noExceptionDirectory: true });
    const exceptionContext = context({ Rip: DRV_BASE + 0x1224n, Rsp: S0 - 0x80n });
    const frames = await walkStack(catalog, context(CRASH_CONTEXT), {
      stackEnd: STACK_BASE + 0x2000n,
      knownContexts: [{ context: exceptionContext, source: 'BugCheckParameter4' }],
    });
    const i = frames.findIndex((f) => f.method === 'context' && f.contextSource === 'BugCheckParameter4');
    assert.ok(i > 0);
    assert.equal(frames[i]!.pc, DRV_BASE + 0x1224n);
    assert.equal(frames[i + 1]?.pc, DRV_BASE + 0x1335n);
  });

  it('recognises call instructions before a return address, and function entries that are not return addresses', () => {
    assert.equal(endsWithCall(Uint8Array.from([0x90, 0x90, 0xe8, 1, 2, 3, 4])), true, 'call rel32');
    assert.equal(endsWithCall(Uint8Array.from([0x90, 0xff, 0x15, 1, 2, 3, 4])), true, 'call [rip+disp32]');
    assert.equal(endsWithCall(Uint8Array.from([0x90, 0x90, 0x90, 0x90, 0x41, 0xff, 0xd0])), true, 'call r8');
    assert.equal(endsWithCall(Uint8Array.from([0x90, 0x90, 0x90, 0x90, 0xff, 0x50, 0x08])), true, 'call [rax+8]');
    assert.equal(
      endsWithCall(Uint8Array.from([0x90, 0x90, 0x90, 0xff, 0x14, 0x24, 0x90].slice(0, 6))),
      true,
      'call [rsp]',
    );
    assert.equal(endsWithCall(Uint8Array.from([0x1c, 0x4b, 0x89, 0x14, 0x01, 0xeb, 0x11])), false, 'a jmp');
    assert.equal(looksLikeFunctionEntry(Uint8Array.from([0x48, 0x89, 0x5c, 0x24, 0x08])), true);
    assert.equal(looksLikeFunctionEntry(Uint8Array.from([0x48, 0x8b, 0xc4, 0x48, 0x89])), true);
    assert.equal(looksLikeFunctionEntry(Uint8Array.from([0x48, 0x8d, 0x8c, 0x24, 0x00])), false);
  });
});

describe('stack walk: bounded by what a stack can be, not by what the dump claims', () => {
  /** Zero-filled memory everywhere (a huge sparse file): every slot reads, none is a return address. Counts the bytes read (the scan reads a page of slots at a time). */
  class ZeroMemory implements VirtualMemory {
    bytes = 0;
    async read(_va: bigint, length: number): Promise<Uint8Array | undefined> {
      this.bytes += length;
      return new Uint8Array(length);
    }
    async readU64(): Promise<bigint | undefined> {
      this.bytes += 8;
      return 0n;
    }
    async readU32(): Promise<number | undefined> {
      this.bytes += 4;
      return 0;
    }
  }

  it('scans at most STACK_MAX_SPAN above sp when the claimed stack end is 1.8 GB away (fuzz seed 2, mutant 483,669)', async () => {
    const memory = new ZeroMemory();
    const sp = 0xfffff80000100000n;
    const frames = await walkStack(new ImageCatalog(memory, MODULES), context({ Rip: 0x1000n, Rsp: sp }), {
      stackEnd: sp + 0x706d7544n,
    });
    assert.equal(frames.length, 1, 'only the context frame: zeros are no return addresses');
    assert.ok(memory.bytes <= Number(STACK_MAX_SPAN) + 128, `${memory.bytes} bytes read`);
    assert.ok(memory.bytes >= Number(STACK_MAX_SPAN) - 128, `${memory.bytes} bytes read: the scan did cover the span`);
  });

  it('keeps a claimed end inside the span as it is', async () => {
    const memory = new ZeroMemory();
    const sp = 0xfffff80000100000n;
    await walkStack(new ImageCatalog(memory, MODULES), context({ Rip: 0x1000n, Rsp: sp }), { stackEnd: sp + 0x800n });
    assert.equal(memory.bytes, 0x800);
  });
});
