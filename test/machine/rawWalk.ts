/**
 * Test helper: an x64 page walk written independently of src/machine, reading
 * only raw physical bytes, so tests check the tables a dump reader would see.
 */
import type { PhysicalMemory } from '../../src/machine/index.js';

export interface RawTranslation {
  pa: bigint;
  pageSize: number;
  entry: bigint;
  level: 'PTE' | 'PDE' | 'PDPTE';
}

export function readQword(physical: PhysicalMemory, pa: bigint): bigint {
  const b = physical.read(pa, 8);
  return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
}

export function rawTranslate(physical: PhysicalMemory, dtb: bigint, va: bigint): RawTranslation | undefined {
  const frame = 0x000f_ffff_ffff_f000n;
  const idx = (shift: bigint): bigint => (va >> shift) & 0x1ffn;
  const pml4e = readQword(physical, (dtb & frame) + idx(39n) * 8n);
  if ((pml4e & 1n) === 0n) return undefined;
  const pdpte = readQword(physical, (pml4e & frame) + idx(30n) * 8n);
  if ((pdpte & 1n) === 0n) return undefined;
  if ((pdpte & 0x80n) !== 0n)
    return {
      pa: (pdpte & 0x000f_ffff_c000_0000n) + (va & 0x3fff_ffffn),
      pageSize: 0x4000_0000,
      entry: pdpte,
      level: 'PDPTE',
    };
  const pde = readQword(physical, (pdpte & frame) + idx(21n) * 8n);
  if ((pde & 1n) === 0n) return undefined;
  if ((pde & 0x80n) !== 0n)
    return { pa: (pde & 0x000f_ffff_ffe0_0000n) + (va & 0x1f_ffffn), pageSize: 0x20_0000, entry: pde, level: 'PDE' };
  const pte = readQword(physical, (pde & frame) + idx(12n) * 8n);
  if ((pte & 1n) === 0n) return undefined;
  return { pa: (pte & frame) + (va & 0xfffn), pageSize: 0x1000, entry: pte, level: 'PTE' };
}

/** Reads virtual memory through rawTranslate only (throws if any page is unmapped). */
export function rawRead(physical: PhysicalMemory, dtb: bigint, va: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const at = va + BigInt(done);
    const t = rawTranslate(physical, dtb, at);
    if (!t) throw new Error(`raw walk: 0x${at.toString(16)} is not mapped`);
    const chunk = Math.min(0x1000 - Number(at & 0xfffn), length - done);
    out.set(physical.read(t.pa, chunk), done);
    done += chunk;
  }
  return out;
}

export function rawU64(physical: PhysicalMemory, dtb: bigint, va: bigint): bigint {
  const b = rawRead(physical, dtb, va, 8);
  return new DataView(b.buffer).getBigUint64(0, true);
}

export function utf16(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf16le');
}
