/**
 * A synthetic ARM64 kernel crash dump (DumpType 1, runs) built from this
 * file's own offset tables — taken from the format notes
 * (../shared/spec/dumpformat.md §1, §2.4) and the public winnt.h /
 * wdbgexts.h / ARMv8-A VMSA layouts — and nothing of src/, so the reader and
 * analyzer are checked against an independent description.
 *
 * Memory: real ARM64 4 KiB-granule tables (L0–L3) at PA 0x10000…, kernel
 * pages at 0xfffff800_00000000 (nt image, data, stack), a 2 MiB L2 block and
 * a 1 GiB L1 block, a KDDEBUGGER_DATA64 with KiProcessorBlock, a KPRCB whose
 * Context points at the crash CONTEXT, a PsLoadedModuleList (nt, drv.sys),
 * and a chain of frame records on the stack (one lr signed with a
 * pointer-authentication code).
 */

const PAGE = 0x1000;

/** DUMP_HEADER64 (dumpformat.md §1). */
const HDR = {
  size: 0x2000,
  Signature: 0x000,
  ValidDump: 0x004,
  MajorVersion: 0x008,
  MinorVersion: 0x00c,
  DirectoryTableBase: 0x010,
  PsLoadedModuleList: 0x020,
  MachineImageType: 0x030,
  NumberProcessors: 0x034,
  BugCheckCode: 0x038,
  BugCheckParameter1: 0x040,
  KdDebuggerDataBlock: 0x080,
  PhysicalMemoryBlock: 0x088,
  ContextRecord: 0x348,
  Exception: 0xf00,
  DumpType: 0xf98,
  RequiredDumpSpace: 0xfa0,
} as const;

/** ARM64 CONTEXT (winnt.h ARM64_NT_CONTEXT). */
export const ARM64_CONTEXT = {
  size: 0x390,
  ContextFlags: 0x0,
  Cpsr: 0x4,
  X0: 0x8,
  Fp: 0xf0,
  Lr: 0xf8,
  Sp: 0x100,
  Pc: 0x108,
  V0: 0x110,
  Fpcr: 0x310,
  Fpsr: 0x314,
} as const;

/** KDDEBUGGER_DATA64 (wdbgexts.h; offsets as the format notes list them). */
const KDBG = {
  size: 0x380,
  OwnerTag: 0x10,
  Size: 0x14,
  KernBase: 0x18,
  PsLoadedModuleList: 0x48,
  KiProcessorBlock: 0x218,
  OffsetPrcbContext: 0x338,
} as const;

/** KLDR_DATA_TABLE_ENTRY (format notes §2.4). */
const LDR = { size: 0xa0, DllBase: 0x30, SizeOfImage: 0x40, FullDllName: 0x48, BaseDllName: 0x58 } as const;

export const ARM64_MACHINE = 0xaa64;
export const ARM64_BUILD = 22000;
export const ARM64_BUGCHECK = { code: 0x1c8, parameters: [0x1b58n, 0xfffff80000100f00n, 0n, 0n] as const };

/** Kernel VAs of the synthetic system. */
export const A64 = {
  nt: 0xfffff80000000000n,
  ntSize: 0x10000,
  drv: 0xfffff80000600000n,
  drvSize: 0x8000,
  data: 0xfffff80000100000n,
  stack: 0xfffff80000200000n,
  /** A 2 MiB block (L2) mapped to PA 0x200000; only its page at +0x3000 is in the dump. */
  block2m: 0xfffff80000400000n,
  block2mPa: 0x200000n,
  /** A 1 GiB block (L1 index 1) mapped to PA 0x40000000; only its page at +0x5000 is in the dump. */
  block1g: 0xfffff80040000000n,
  block1gPa: 0x40000000n,
  /** In the L3 table but with an invalid descriptor (bits 1:0 = 0b01 at L3). */
  reservedL3: 0xfffff80000007000n,
  /** L0 entry valid, L1 entry invalid. */
  unmappedL1: 0xfffff80080000000n,
} as const;

/** Physical layout: L0, L1, L2 tables, L3 table; pages of the kernel VA ranges. */
const PA = {
  l0: 0x10000n,
  l1: 0x11000n,
  l2: 0x12000n,
  l3: 0x13000n,
  nt: 0x20000n,
  data: 0x30000n,
  stack: 0x40000n,
} as const;

/** The crash context: KeBugCheck2-like, fp = sp (a frame record right at sp), lr 0 — as the genuine ARM64 dump has. */
export const A64_CONTEXT = {
  cpsr: 0x80000144,
  x: Array.from({ length: 29 }, (_, i) => BigInt(i) * 0x1111n),
  fp: A64.stack + 0x100n,
  lr: 0n,
  sp: A64.stack + 0x100n,
  pc: A64.nt + 0x1014n,
  fpcr: 0,
  fpsr: 0x10,
  v0: { low: 0x0123456789abcdefn, high: 0xfedcba9876543210n },
};

/** The frame records: where each returns to, innermost first (one with a PAC in bits 62:56/54:48). */
export const A64_RETURNS = [A64.nt + 0x1100n, A64.drv + 0x2048n, A64.nt + 0x1200n];
/** How the middle return address is stored: signed with a pointer-authentication code. */
export const A64_SIGNED_LR = (A64_RETURNS[1]! & 0x0080_ffff_ffff_ffffn) | (0x2an << 56n) | (0x15n << 48n);

class Phys {
  readonly pages = new Map<bigint, Uint8Array>();
  page(pa: bigint): Uint8Array {
    const base = pa & ~0xfffn;
    let p = this.pages.get(base);
    if (p === undefined) {
      p = new Uint8Array(PAGE);
      this.pages.set(base, p);
    }
    return p;
  }
  u64(pa: bigint, value: bigint): void {
    new DataView(this.page(pa).buffer).setBigUint64(Number(pa & 0xfffn), value, true);
  }
  write(pa: bigint, bytes: Uint8Array): void {
    this.page(pa).set(bytes, Number(pa & 0xfffn));
  }
}

const VALID = 1n;
const TABLE = 3n; // valid + table (L0–L2) / page (L3)
const BLOCK = 1n; // valid, bit 1 clear: a block at L1/L2
const AF = 1n << 10n; // access flag, as Windows sets it (not address)

function l3Index(va: bigint): bigint {
  return (va >> 12n) & 0x1ffn;
}

function encodeContext(): Uint8Array {
  const c = new Uint8Array(ARM64_CONTEXT.size);
  const v = new DataView(c.buffer);
  v.setUint32(ARM64_CONTEXT.ContextFlags, 0x400007, true);
  v.setUint32(ARM64_CONTEXT.Cpsr, A64_CONTEXT.cpsr, true);
  for (const [i, x] of A64_CONTEXT.x.entries()) v.setBigUint64(ARM64_CONTEXT.X0 + i * 8, x, true);
  v.setBigUint64(ARM64_CONTEXT.Fp, A64_CONTEXT.fp, true);
  v.setBigUint64(ARM64_CONTEXT.Lr, A64_CONTEXT.lr, true);
  v.setBigUint64(ARM64_CONTEXT.Sp, A64_CONTEXT.sp, true);
  v.setBigUint64(ARM64_CONTEXT.Pc, A64_CONTEXT.pc, true);
  v.setBigUint64(ARM64_CONTEXT.V0, A64_CONTEXT.v0.low, true);
  v.setBigUint64(ARM64_CONTEXT.V0 + 8, A64_CONTEXT.v0.high, true);
  v.setUint32(ARM64_CONTEXT.Fpcr, A64_CONTEXT.fpcr, true);
  v.setUint32(ARM64_CONTEXT.Fpsr, A64_CONTEXT.fpsr, true);
  return c;
}

function utf16(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) new DataView(out.buffer).setUint16(i * 2, text.charCodeAt(i), true);
  return out;
}

export interface Arm64Dump {
  bytes: Uint8Array;
  /** VA → PA of every 4 KiB page the tables map and the dump holds (for the outside check). */
  pages: { va: bigint; pa: bigint }[];
  directoryTableBase: bigint;
}

export function buildArm64KernelDump(): Arm64Dump {
  const m = new Phys();
  const pages: { va: bigint; pa: bigint }[] = [];
  // L0[0x1f0] → L1; L1[0] → L2; L2[0] → L3 (VA 0xfffff800_00000000 …).
  const l0i = (A64.nt >> 39n) & 0x1ffn;
  m.u64(PA.l0 + l0i * 8n, PA.l1 | TABLE | AF);
  m.u64(PA.l1, PA.l2 | TABLE | AF);
  m.u64(PA.l2, PA.l3 | TABLE | AF);
  const map = (va: bigint, pa: bigint): void => {
    m.u64(PA.l3 + l3Index(va) * 8n, pa | TABLE | AF);
    m.page(pa);
    pages.push({ va, pa });
  };
  for (let i = 0n; i < 2n; i++) map(A64.nt + i * 0x1000n, PA.nt + i * 0x1000n);
  // The stack is in the next 2 MiB region: its own L3 table.
  const l3Stack = 0x15000n;
  m.u64(PA.l2 + ((A64.stack >> 21n) & 0x1ffn) * 8n, l3Stack | TABLE | AF);
  // Data is at +1 MiB, inside L2 entry 0: the same L3 table as nt.
  for (let i = 0n; i < 2n; i++) {
    m.u64(PA.l3 + l3Index(A64.data + i * 0x1000n) * 8n, (PA.data + i * 0x1000n) | TABLE | AF);
    m.page(PA.data + i * 0x1000n);
    pages.push({ va: A64.data + i * 0x1000n, pa: PA.data + i * 0x1000n });
  }
  for (let i = 0n; i < 2n; i++) {
    m.u64(l3Stack + l3Index(A64.stack + i * 0x1000n) * 8n, (PA.stack + i * 0x1000n) | TABLE | AF);
    m.page(PA.stack + i * 0x1000n);
    pages.push({ va: A64.stack + i * 0x1000n, pa: PA.stack + i * 0x1000n });
  }
  // A reserved L3 descriptor (0b01), a 2 MiB block and a 1 GiB block.
  m.u64(PA.l3 + l3Index(A64.reservedL3) * 8n, 0x50000n | VALID | AF);
  m.u64(PA.l2 + ((A64.block2m >> 21n) & 0x1ffn) * 8n, A64.block2mPa | BLOCK | AF);
  m.page(A64.block2mPa + 0x3000n).fill(0x2b);
  pages.push({ va: A64.block2m + 0x3000n, pa: A64.block2mPa + 0x3000n });
  m.u64(PA.l1 + ((A64.block1g >> 30n) & 0x1ffn) * 8n, A64.block1gPa | BLOCK | AF);
  m.page(A64.block1gPa + 0x5000n).fill(0x1a);
  pages.push({ va: A64.block1g + 0x5000n, pa: A64.block1gPa + 0x5000n });

  // Kernel data (VA → PA through the data pages).
  const dataPa = (va: bigint): bigint => PA.data + (va - A64.data);
  const kdbg = A64.data;
  const moduleList = A64.data + 0x400n;
  const block = A64.data + 0x600n;
  const prcb = A64.data + 0x800n;
  const context = A64.data + 0x1000n;
  const strings = A64.data + 0x1800n;
  const kd = new Uint8Array(KDBG.size);
  const kv = new DataView(kd.buffer);
  kv.setUint32(KDBG.OwnerTag, 0x4742444b, true);
  kv.setUint32(KDBG.Size, KDBG.size, true);
  kv.setBigUint64(KDBG.KernBase, A64.nt, true);
  kv.setBigUint64(KDBG.PsLoadedModuleList, moduleList, true);
  kv.setBigUint64(KDBG.KiProcessorBlock, block, true);
  kv.setUint16(KDBG.OffsetPrcbContext, 0x40, true);
  m.write(dataPa(kdbg), kd);
  m.u64(dataPa(block), prcb);
  m.u64(dataPa(prcb + 0x40n), context);
  m.write(dataPa(context), encodeContext());
  // PsLoadedModuleList: head, nt, drv.
  const entries = [moduleList + 0x20n, moduleList + 0x20n + BigInt(LDR.size)];
  const ring = [moduleList, ...entries];
  const names = ['\\SystemRoot\\system32\\ntoskrnl.exe', '\\SystemRoot\\System32\\drivers\\drv.sys'];
  let s = strings;
  ring.forEach((at, i) => {
    m.u64(dataPa(at), ring[(i + 1) % ring.length]!);
    m.u64(dataPa(at + 8n), ring[(i + ring.length - 1) % ring.length]!);
  });
  entries.forEach((at, i) => {
    const name = utf16(names[i]!);
    m.write(dataPa(s), name);
    m.u64(dataPa(at + BigInt(LDR.DllBase)), i === 0 ? A64.nt : A64.drv);
    const size = new Uint8Array(4);
    new DataView(size.buffer).setUint32(0, i === 0 ? A64.ntSize : A64.drvSize, true);
    m.write(dataPa(at + BigInt(LDR.SizeOfImage)), size);
    const str = new Uint8Array(16);
    const sv = new DataView(str.buffer);
    sv.setUint16(0, name.length, true);
    sv.setUint16(2, name.length, true);
    sv.setBigUint64(8, s, true);
    m.write(dataPa(at + BigInt(LDR.FullDllName)), str);
    s += BigInt(name.length + 8) & ~7n;
  });
  // Frame records: fp → { previous fp, lr }.
  const stackPa = (va: bigint): bigint => PA.stack + (va - A64.stack);
  const records = [A64.stack + 0x100n, A64.stack + 0x200n, A64.stack + 0x300n];
  const stored = [A64_RETURNS[0]!, A64_SIGNED_LR, A64_RETURNS[2]!];
  records.forEach((fp, i) => {
    m.u64(stackPa(fp), records[i + 1] ?? 0n);
    m.u64(stackPa(fp + 8n), stored[i]!);
  });

  // The file: header, then every physical page in PFN order as runs.
  const pfns = [...m.pages.keys()].map((pa) => pa >> 12n).sort((a, b) => (a < b ? -1 : 1));
  const runs: { base: bigint; count: bigint }[] = [];
  for (const pfn of pfns) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last.base + last.count === pfn) last.count += 1n;
    else runs.push({ base: pfn, count: 1n });
  }
  const bytes = new Uint8Array(HDR.size + pfns.length * PAGE);
  const h = new DataView(bytes.buffer);
  for (let at = 0; at < HDR.size; at += 4) h.setUint32(at, 0x45474150, true); // 'PAGE' filler
  h.setUint32(HDR.Signature, 0x45474150, true);
  h.setUint32(HDR.ValidDump, 0x34365544, true);
  h.setUint32(HDR.MajorVersion, 0xf, true);
  h.setUint32(HDR.MinorVersion, ARM64_BUILD, true);
  const directoryTableBase = PA.l0;
  h.setBigUint64(HDR.DirectoryTableBase, directoryTableBase, true);
  h.setBigUint64(HDR.PsLoadedModuleList, moduleList, true);
  h.setUint32(HDR.MachineImageType, ARM64_MACHINE, true);
  h.setUint32(HDR.NumberProcessors, 1, true);
  h.setUint32(HDR.BugCheckCode, ARM64_BUGCHECK.code, true);
  for (const [i, p] of ARM64_BUGCHECK.parameters.entries()) h.setBigUint64(HDR.BugCheckParameter1 + i * 8, p, true);
  h.setBigUint64(HDR.KdDebuggerDataBlock, kdbg, true);
  h.setUint32(HDR.PhysicalMemoryBlock, runs.length, true);
  h.setUint32(HDR.PhysicalMemoryBlock + 4, 0, true);
  h.setBigUint64(HDR.PhysicalMemoryBlock + 8, BigInt(pfns.length), true);
  runs.forEach((r, i) => {
    h.setBigUint64(HDR.PhysicalMemoryBlock + 16 + i * 16, r.base, true);
    h.setBigUint64(HDR.PhysicalMemoryBlock + 24 + i * 16, r.count, true);
  });
  bytes.fill(0, HDR.ContextRecord, HDR.Exception);
  bytes.set(encodeContext(), HDR.ContextRecord);
  bytes.fill(0, HDR.Exception, HDR.Exception + 0x98);
  h.setUint32(HDR.DumpType, 1, true);
  h.setBigUint64(HDR.RequiredDumpSpace, BigInt(bytes.length), true);
  for (const [i, pfn] of pfns.entries()) bytes.set(m.pages.get(pfn << 12n)!, HDR.size + i * PAGE);
  return { bytes, pages, directoryTableBase };
}
