/**
 * A small x64 stack unwinder for tests: it trusts nothing of ours but the
 * memory it is handed (reads of a dump through the reader, or of a machine).
 * PE headers, the exception directory, UNWIND_INFO and the export directory
 * are parsed here from raw bytes, following Microsoft's "x64 exception
 * handling" description, independently of src/format and of the analyzer's
 * unwinder — a cross-check of both the images the machine writes and the
 * stacks it builds.
 */

export type ReadMemory = (va: bigint, length: number) => Promise<Uint8Array | undefined>;

export interface UnwindModule {
  name: string;
  base: bigint;
  size: number;
}

/** rax … r15 by their x64 numbers (0 rax, 1 rcx, 2 rdx, 3 rbx, 4 rsp, 5 rbp, 6 rsi, 7 rdi, 8–15 r8–r15). */
export type Registers = bigint[];

export interface UnwoundFrame {
  rip: bigint;
  rsp: bigint;
  module: string | undefined;
  /** `module!export+0x…` from the image's export table, or `module+0x…`, or the bare address. */
  symbol: string;
  /** The export the address falls in (the highest export at or below it), if any. */
  exportName: string | undefined;
  /** Non-volatile registers as they were in this frame (restored by unwinding the frames above). */
  registers: Registers;
  /** The frame had unwind data (false: a leaf, or an address outside any image). */
  unwound: boolean;
}

const u16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number): number =>
  (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const u64 = (b: Uint8Array, o: number): bigint => BigInt(u32(b, o)) | (BigInt(u32(b, o + 4)) << 32n);

interface ImageInfo {
  exception: { rva: number; size: number };
  exports: { rva: number; name: string }[];
}

export class TestUnwinder {
  private readonly images = new Map<bigint, ImageInfo | null>();

  constructor(
    private readonly read: ReadMemory,
    private readonly modules: readonly UnwindModule[],
  ) {}

  private moduleAt(va: bigint): UnwindModule | undefined {
    return this.modules.find((m) => va >= m.base && va < m.base + BigInt(m.size));
  }

  private async need(va: bigint, length: number): Promise<Uint8Array> {
    const b = await this.read(va, length);
    if (!b) throw new Error(`unwinder: 0x${va.toString(16)} (+0x${length.toString(16)}) is not readable`);
    return b;
  }

  async image(m: UnwindModule): Promise<ImageInfo | null> {
    if (this.images.has(m.base)) return this.images.get(m.base)!;
    let info: ImageInfo | null = null;
    const dos = await this.read(m.base, 0x40);
    if (dos && u16(dos, 0) === 0x5a4d) {
      const lfanew = u32(dos, 0x3c);
      const nt = await this.read(m.base + BigInt(lfanew), 0x108);
      if (nt && u32(nt, 0) === 0x4550 && u16(nt, 0x18) === 0x20b) {
        const dir = (i: number): { rva: number; size: number } => ({
          rva: u32(nt, 0x18 + 0x70 + i * 8),
          size: u32(nt, 0x18 + 0x70 + i * 8 + 4),
        });
        const exportDir = dir(0);
        const exports: { rva: number; name: string }[] = [];
        if (exportDir.size >= 0x28) {
          const ed = await this.need(m.base + BigInt(exportDir.rva), 0x28);
          const count = u32(ed, 0x18);
          const functions = await this.need(m.base + BigInt(u32(ed, 0x1c)), u32(ed, 0x14) * 4);
          const names = await this.need(m.base + BigInt(u32(ed, 0x20)), count * 4);
          const ordinals = await this.need(m.base + BigInt(u32(ed, 0x24)), count * 2);
          for (let i = 0; i < count; i++) {
            const nameRva = u32(names, i * 4);
            const raw = await this.need(m.base + BigInt(nameRva), 256);
            const end = raw.indexOf(0);
            exports.push({
              rva: u32(functions, u16(ordinals, i * 2) * 4),
              name: Buffer.from(raw.subarray(0, end < 0 ? raw.length : end)).toString('utf8'),
            });
          }
        }
        exports.sort((a, b) => a.rva - b.rva);
        info = { exception: dir(3), exports };
      }
    }
    this.images.set(m.base, info);
    return info;
  }

  /** The RUNTIME_FUNCTION covering `rva` (binary search over the sorted exception directory), or undefined. */
  async runtimeFunction(
    m: UnwindModule,
    rva: number,
  ): Promise<{ begin: number; end: number; unwind: number } | undefined> {
    const info = await this.image(m);
    if (!info || info.exception.size < 12) return undefined;
    const table = await this.need(m.base + BigInt(info.exception.rva), info.exception.size);
    let lo = 0;
    let hi = Math.floor(info.exception.size / 12) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const begin = u32(table, mid * 12);
      const end = u32(table, mid * 12 + 4);
      if (rva < begin) hi = mid - 1;
      else if (rva >= end) lo = mid + 1;
      else return { begin, end, unwind: u32(table, mid * 12 + 8) };
    }
    return undefined;
  }

  async symbol(va: bigint): Promise<{ module: string | undefined; symbol: string; exportName: string | undefined }> {
    const m = this.moduleAt(va);
    if (!m) return { module: undefined, symbol: `0x${va.toString(16)}`, exportName: undefined };
    // Full names (\SystemRoot\…\x.sys) are named by their last component, as a debugger does.
    const stem = (m.name.split('\\').pop() ?? m.name).replace(/\.[^.]*$/, '');
    const rva = Number(va - m.base);
    const info = await this.image(m);
    let best: { rva: number; name: string } | undefined;
    for (const e of info?.exports ?? []) if (e.rva <= rva) best = e;
    if (!best) return { module: m.name, symbol: `${stem}+0x${rva.toString(16)}`, exportName: undefined };
    return { module: m.name, symbol: `${stem}!${best.name}+0x${(rva - best.rva).toString(16)}`, exportName: best.name };
  }

  /**
   * Walks from (rip, rsp, registers) until a return address of 0, an
   * address outside every image, or `maxFrames`.
   */
  async walk(rip: bigint, rsp: bigint, registers: Registers, maxFrames = 64): Promise<UnwoundFrame[]> {
    const frames: UnwoundFrame[] = [];
    const regs = [...registers];
    regs[4] = rsp;
    let pc = rip;
    while (pc !== 0n && frames.length < maxFrames) {
      const s = await this.symbol(pc);
      const frame: UnwoundFrame = {
        rip: pc,
        rsp: regs[4]!,
        ...s,
        registers: [...regs],
        unwound: false,
      };
      frames.push(frame);
      const m = this.moduleAt(pc);
      if (!m) break;
      const rf = await this.runtimeFunction(m, Number(pc - m.base));
      let machineFrame = false;
      if (rf) {
        frame.unwound = true;
        machineFrame = await this.applyUnwind(m, rf, Number(pc - m.base) - rf.begin, regs);
      }
      if (!machineFrame) {
        const ret = await this.need(regs[4]!, 8);
        pc = u64(ret, 0);
        regs[4] = regs[4]! + 8n;
      } else pc = regs[16]!;
    }
    return frames;
  }

  /** Undoes the prologue effects described by the UNWIND_INFO chain; true when a machine frame set rip (regs[16]). */
  private async applyUnwind(
    m: UnwindModule,
    rf: { begin: number; unwind: number },
    offsetInFunction: number,
    regs: Registers,
  ): Promise<boolean> {
    let unwindRva = rf.unwind;
    let offset = offsetInFunction;
    for (let depth = 0; depth < 32; depth++) {
      const head = await this.need(m.base + BigInt(unwindRva), 4);
      const version = head[0]! & 7;
      const flags = head[0]! >> 3;
      if (version !== 1 && version !== 2) throw new Error(`unwinder: UNWIND_INFO version ${version}`);
      const prolog = head[1]!;
      const count = head[2]!;
      const frameRegister = head[3]! & 0xf;
      const frameOffset = (head[3]! >> 4) * 16;
      const body = await this.need(m.base + BigInt(unwindRva), 4 + ((count + 1) & ~1) * 2 + 12);
      const slot = (i: number): { at: number; op: number; info: number } => ({
        at: body[4 + i * 2]!,
        op: body[5 + i * 2]! & 0xf,
        info: body[5 + i * 2]! >> 4,
      });
      // With a frame register, the establisher frame is that register minus the offset (once past its setup).
      const inProlog = offset < prolog;
      let i = 0;
      while (i < count) {
        const c = slot(i);
        const applies = !inProlog || c.at <= offset;
        const extra = (k: number): number => u16(body, 4 + (i + k) * 2);
        const extra32 = (): number => u32(body, 4 + (i + 1) * 2);
        switch (c.op) {
          case 0: // PUSH_NONVOL
            if (applies) {
              regs[c.info] = u64(await this.need(regs[4]!, 8), 0);
              regs[4] = regs[4]! + 8n;
            }
            i += 1;
            break;
          case 1: // ALLOC_LARGE
            if (applies) regs[4] = regs[4]! + BigInt(c.info === 0 ? extra(1) * 8 : extra32());
            i += c.info === 0 ? 2 : 3;
            break;
          case 2: // ALLOC_SMALL
            if (applies) regs[4] = regs[4]! + BigInt(c.info * 8 + 8);
            i += 1;
            break;
          case 3: // SET_FPREG
            if (applies) regs[4] = regs[frameRegister]! - BigInt(frameOffset);
            i += 1;
            break;
          case 4: // SAVE_NONVOL
            if (applies) regs[c.info] = u64(await this.need(regs[4]! + BigInt(extra(1) * 8), 8), 0);
            i += 2;
            break;
          case 5: // SAVE_NONVOL_FAR
            if (applies) regs[c.info] = u64(await this.need(regs[4]! + BigInt(extra32()), 8), 0);
            i += 3;
            break;
          case 8:
            i += 2;
            break;
          case 9:
            i += 3;
            break;
          case 10: {
            // PUSH_MACHFRAME: rip and rsp come from the machine frame.
            if (applies) {
              const base = regs[4]! + (c.info === 1 ? 8n : 0n);
              const mf = await this.need(base, 0x20);
              regs[16] = u64(mf, 0);
              regs[4] = u64(mf, 0x18);
              return true;
            }
            i += 1;
            break;
          }
          default:
            throw new Error(`unwinder: unknown unwind operation ${c.op}`);
        }
      }
      if ((flags & 4) === 0) return false;
      // Chained: the parent function's RUNTIME_FUNCTION follows the (even) code array; its prologue fully applies.
      const chain = 4 + ((count + 1) & ~1) * 2;
      unwindRva = u32(body, chain + 8);
      offset = Number.MAX_SAFE_INTEGER;
    }
    throw new Error('unwinder: unwind chain too long');
  }
}

/** x64 register numbers of the non-volatile registers the tests compare. */
export const NON_VOLATILE = { rbx: 3, rbp: 5, rsi: 6, rdi: 7, r12: 12, r13: 13, r14: 14, r15: 15 } as const;
