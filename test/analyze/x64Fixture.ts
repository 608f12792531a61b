/** The x64 fixture of the stack tests: two images (nt, drv.sys) and the stack three nested calls leave. */
import type { ImageSpec } from './peBuilder.js';
export const NT_BASE = 0xfffff80000000000n;
export const DRV_BASE = 0xfffff80010000000n;
export const STACK_BASE = 0xffffa00000000000n;
/** Where Outer's caller left its return address (0: the end of the chain). */
export const S0 = STACK_BASE + 0x1f00n;

const RBX = 3;
const RBP = 5;
const RSI = 6;

/** nt: KeBugCheckEx at 0x1000 (sub rsp, 0x108 after homing args). */
export const NT_IMAGE: ImageSpec = {
  size: 0x4000,
  functions: [{ begin: 0x1000, end: 0x1080, prologSize: 0x19, ops: [{ op: 'alloc', at: 0x19, bytes: 0x108 }] }],
  exports: [{ name: 'KeBugCheckEx', rva: 0x1000 }],
  code: [{ rva: 0x1000, bytes: [0x48, 0x89, 0x4c, 0x24, 0x08] }],
};

/**
 * drv.sys: MyDpcRoutine (push rbx; sub rsp, 20h; …; call KeBugCheckEx at 0x1110),
 * Caller (push rbp; sub rsp, 40h; lea rbp, [rsp+20h]; call MyDpcRoutine at 0x1220),
 * Outer (push rsi; sub rsp, 28h) whose fragment 0x1320–0x1340 chains to it and calls Caller at 0x1330.
 */
export const DRV_IMAGE: ImageSpec = {
  size: 0x4000,
  functions: [
    {
      begin: 0x1100,
      end: 0x1140,
      prologSize: 6,
      ops: [
        { op: 'alloc', at: 6, bytes: 0x20 },
        { op: 'push', at: 2, reg: RBX },
      ],
    },
    {
      begin: 0x1200,
      end: 0x1240,
      prologSize: 0xb,
      frameRegister: RBP,
      frameOffset: 2,
      ops: [
        { op: 'setfp', at: 0xb },
        { op: 'alloc', at: 6, bytes: 0x40 },
        { op: 'push', at: 2, reg: RBP },
      ],
    },
    {
      begin: 0x1300,
      end: 0x1320,
      prologSize: 6,
      ops: [
        { op: 'alloc', at: 6, bytes: 0x28 },
        { op: 'push', at: 2, reg: RSI },
      ],
    },
    { begin: 0x1320, end: 0x1340, chainTo: 0x1300 },
  ],
  exports: [
    { name: 'MyDpcRoutine', rva: 0x1100 },
    { name: 'Caller', rva: 0x1200 },
  ],
  code: [
    { rva: 0x1100, bytes: [0x40, 0x53, 0x48, 0x83, 0xec, 0x20] },
    // call KeBugCheckEx (e8 rel32) at 0x1110, then the epilog: add rsp, 20h; pop rbx; ret
    { rva: 0x1110, bytes: [0xe8, 0, 0, 0, 0, 0x48, 0x83, 0xc4, 0x20, 0x5b, 0xc3] },
    { rva: 0x1220, bytes: [0xe8, 0, 0, 0, 0, 0x90] },
    { rva: 0x1330, bytes: [0xe8, 0, 0, 0, 0, 0x90] },
  ],
};

export const RBX_OF_CALLER = 0x1111n;
export const RBP_OF_OUTER = 0x2222n;
export const RSI_OF_OUTERS_CALLER = 0x3333n;

/** The stack the three calls leave (see DRV_IMAGE), as bytes from STACK_BASE. */
export function buildStack(): Uint8Array {
  const bytes = new Uint8Array(0x2000);
  const v = new DataView(bytes.buffer);
  const put = (va: bigint, value: bigint): void => v.setBigUint64(Number(va - STACK_BASE), value, true);
  put(S0, 0n); // Outer's return address: the end
  put(S0 - 0x8n, RSI_OF_OUTERS_CALLER); // push rsi
  put(S0 - 0x38n, DRV_BASE + 0x1335n); // call Caller
  put(S0 - 0x40n, RBP_OF_OUTER); // push rbp
  put(S0 - 0x88n, DRV_BASE + 0x1225n); // call MyDpcRoutine
  put(S0 - 0x90n, RBX_OF_CALLER); // push rbx
  put(S0 - 0xb8n, DRV_BASE + 0x1115n); // call KeBugCheckEx
  return bytes;
}

export const MODULES = [
  { name: '\\SystemRoot\\system32\\ntoskrnl.exe', base: NT_BASE, size: 0x4000 },
  { name: '\\SystemRoot\\system32\\drivers\\drv.sys', base: DRV_BASE, size: 0x4000 },
];

/** KeBugCheckEx's entry, as KPRCB.Context holds it: rbp is Caller's frame register. */
export const CRASH_CONTEXT = { Rip: NT_BASE + 0x1000n, Rsp: S0 - 0xb8n, Rbp: S0 - 0x60n, Rbx: 0x4444n };
