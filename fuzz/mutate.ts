/**
 * Mutants without copies: an overlay DumpSource (patches over the shared
 * seed bytes, with its own size for truncation and appended bytes), the
 * deterministic random numbers, and the structure-aware mutations that
 * turn (campaign seed, mutant number, targets) into a list of patches.
 */
import type { DumpSource } from '../src/dump/reader/index.js';
import type { SeedTargets, Target } from './targets.js';

/** One concrete change: bytes written at a file offset, or the file's new size. */
export type Patch = { kind: 'write'; at: number; hex: string } | { kind: 'resize'; size: number };

/** What a mutant is: its seed, the patches, and what each patch meant (for the report). */
export interface Mutant {
  index: number;
  seed: string;
  patches: Patch[];
  notes: string[];
}

interface AppliedWrite {
  at: number;
  bytes: Uint8Array;
}

/** A DumpSource that reads the seed's bytes with the mutant's patches on top; bytes past the seed are 0. */
export class OverlaySource implements DumpSource {
  readonly size: number;
  readonly name: string;
  private readonly writes: AppliedWrite[] = [];

  constructor(
    private readonly base: Uint8Array,
    patches: readonly Patch[],
    name: string,
  ) {
    let size = base.length;
    for (const p of patches) {
      if (p.kind === 'resize') size = p.size;
      else this.writes.push({ at: p.at, bytes: hexBytes(p.hex) });
    }
    this.size = size;
    this.name = name;
  }

  readSync(target: Uint8Array, offset: number, length: number, position: number): number {
    const n = Math.max(0, Math.min(length, this.size - position));
    if (n === 0) return 0;
    const end = position + n;
    const fromBase = Math.max(0, Math.min(end, this.base.length) - position);
    if (fromBase > 0) target.set(this.base.subarray(position, position + fromBase), offset);
    if (fromBase < n) target.fill(0, offset + fromBase, offset + n);
    for (const w of this.writes) {
      const lo = Math.max(position, w.at);
      const hi = Math.min(end, w.at + w.bytes.length);
      if (lo < hi) target.set(w.bytes.subarray(lo - w.at, hi - w.at), offset + (lo - position));
    }
    return n;
  }

  read(target: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return Promise.resolve(this.readSync(target, offset, length, position));
  }

  /** The whole mutant as bytes (for saving one; the campaign never does this). */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    this.readSync(out, 0, this.size, 0);
    return out;
  }
}

export function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** mulberry32 over a seed mixed from the campaign seed and the mutant number. */
export class Rng {
  private state: number;

  constructor(campaignSeed: number, index: number) {
    let h = Math.imul(campaignSeed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 0x632be5ab, 0xc2b2ae35);
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d);
    h ^= h >>> 15;
    this.state = h >>> 0;
  }

  /** Uniform in [0, 2^32). */
  u32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, n) for n ≤ 2^53. */
  below(n: number): number {
    if (n <= 0) return 0;
    if (n <= 0x100000000) return Math.floor((this.u32() / 0x100000000) * n);
    return Math.floor(((this.u32() * 0x200000 + (this.u32() >>> 11)) / 2 ** 53) * n);
  }

  u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  chance(p: number): boolean {
    return this.u32() / 0x100000000 < p;
  }
}

const U64_MAX = (1n << 64n) - 1n;

/** Values that break things, per width; the field's own value ± a little and a random value are added. */
function interesting(rng: Rng, size: number, original: bigint, fileSize: number, known: readonly bigint[]): bigint {
  const mask = size === 8 ? U64_MAX : (1n << BigInt(size * 8)) - 1n;
  const top = mask;
  const half = 1n << BigInt(size * 8 - 1);
  const generic: bigint[] = [0n, 1n, 2n, top, top - 1n, half, half - 1n, 0x10n, 0x1000n, 0x2000n, 0xfffn];
  if (size >= 4)
    generic.push(
      0x7fffffffn,
      0x80000000n,
      0xffffffffn,
      0x100000n,
      0x40000n,
      0x400000n,
      BigInt(fileSize),
      BigInt(fileSize) - 1n,
      BigInt(fileSize) + 1n,
      BigInt(Math.floor(fileSize / 2)),
    );
  if (size === 8)
    generic.push(
      0xfffffffffffff000n,
      0xfffffffffffffff8n,
      0x8000000000000000n,
      0x0000800000000000n,
      0xffff800000000000n,
      0xfffff80000000000n,
      0x100000000n,
      0x10000000000n,
      0x80000000000n,
      (BigInt(fileSize) + 0xfffn) >> 12n,
    );
  const r = rng.below(10);
  let v: bigint;
  if (r < 3 && known.length > 0) v = rng.pick(known);
  else if (r < 6) v = rng.pick(generic);
  else if (r < 8) {
    const delta = BigInt(rng.below(0x41)) - 0x20n;
    v = original + (rng.chance(0.5) ? delta : delta * 0x1000n);
  } else if (r < 9) v = original ^ (1n << BigInt(rng.below(size * 8)));
  else v = rng.u64();
  return ((v % (mask + 1n)) + (mask + 1n)) % (mask + 1n);
}

function le(value: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let v = value;
  for (let i = 0; i < size; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function readLe(bytes: Uint8Array, at: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i] ?? 0);
  return v;
}

/** Mutation kinds and their weights; `--plant` adds a test-only one that the target turns into a TypeError. */
const KINDS = [
  ['field', 30],
  ['region', 8],
  ['pte', 10],
  ['bitmap', 5],
  ['truncate', 8],
  ['append', 5],
  ['flip', 20],
  ['word', 10],
  ['sparse', 2],
] as const;
type Kind = (typeof KINDS)[number][0];
const KIND_TOTAL = KINDS.reduce((n, [, w]) => n + w, 0);

function pickKind(rng: Rng): Kind {
  let r = rng.below(KIND_TOTAL);
  for (const [k, w] of KINDS) {
    if (r < w) return k;
    r -= w;
  }
  return 'flip';
}

/** A field target's value as the seed holds it. */
function fieldValue(base: Uint8Array, t: Target): bigint {
  return readLe(base, t.offset, t.size);
}

/**
 * The mutant `index` of a campaign: 1–4 mutations of one seed. The same
 * (campaignSeed, index, seeds) always gives the same patches.
 */
export function makeMutant(campaignSeed: number, index: number, seeds: readonly SeedTargets[]): Mutant {
  const rng = new Rng(campaignSeed, index);
  const seed = seeds[index % seeds.length]!;
  const base = seed.bytes;
  const patches: Patch[] = [];
  const notes: string[] = [];
  let size = base.length;
  const write = (at: number, bytes: Uint8Array, note: string): void => {
    if (at < 0 || at >= size) return;
    const b = at + bytes.length > size ? bytes.subarray(0, size - at) : bytes;
    // A write that changes nothing is no mutation: the caller tries another.
    if (at + b.length <= base.length && b.every((v, i) => v === base[at + i])) return;
    patches.push({ kind: 'write', at, hex: toHex(b) });
    notes.push(note);
  };
  const count = 1 + (rng.chance(0.5) ? 0 : rng.below(4));
  // A kind with nothing to aim at in this seed (no bitmap, no page tables…) or a no-op write is drawn again.
  for (let m = 0, tries = 0; m < count && tries < 32; tries++) {
    const before = patches.length;
    const kind = pickKind(rng);
    switch (kind) {
      case 'field': {
        const t = rng.pick(seed.fields);
        const v = interesting(rng, t.size, fieldValue(base, t), size, t.known ?? []);
        write(t.offset, le(v, t.size), `${t.name} = 0x${v.toString(16)}`);
        break;
      }
      case 'region': {
        if (seed.regions.length === 0) break;
        const r = rng.pick(seed.regions);
        const width = rng.pick([4, 8] as const);
        const at = r.offset + Math.floor(rng.below(Math.max(1, r.length - width + 1)) / width) * width;
        const v = interesting(rng, width, readLe(base, at, width), size, []);
        write(at, le(v, width), `${r.name}+0x${(at - r.offset).toString(16)} = 0x${v.toString(16)}`);
        break;
      }
      case 'pte': {
        if (seed.ptes.length === 0) break;
        const t = rng.pick(seed.ptes);
        const old = fieldValue(base, t);
        const frame = old & 0x000ffffffffff000n;
        const choices: [bigint, string][] = [
          [old & ~1n, 'not present'],
          [old | 0x80n, 'large page'],
          [old & ~0x80n, 'not large'],
          [(old & ~0x000ffffffffff000n) | (BigInt(rng.u32()) << 12n), 'random frame'],
          [(old & ~0x000ffffffffff000n) | 0x000ffffffffff000n, 'top frame'],
          [(old & ~0x000ffffffffff000n) | (BigInt(t.tablePa) & 0x000ffffffffff000n), 'points at its own table'],
          [U64_MAX, 'all ones'],
          [old ^ (1n << BigInt(rng.below(64))), 'bit flip'],
          [frame | 0x63n | (rng.chance(0.5) ? 0x80n : 0n), 'kernel rw'],
        ];
        const [v, what] = rng.pick(choices);
        write(t.offset, le(v, 8), `${t.name} (${what}) = 0x${v.toString(16)}`);
        break;
      }
      case 'bitmap': {
        if (seed.bitmap === undefined) break;
        const { offset, length } = seed.bitmap;
        const at = offset + rng.below(length);
        const n = rng.chance(0.7) ? 1 : 1 + rng.below(Math.min(4096, offset + length - at));
        const fill = rng.pick([0x00, 0xff, 1 << rng.below(8), rng.below(256)]);
        const bytes = new Uint8Array(n);
        if (n === 1) bytes[0] = (base[at] ?? 0) ^ (1 << rng.below(8));
        else bytes.fill(fill);
        write(at, bytes, `bitmap bytes 0x${at.toString(16)}..+0x${n.toString(16)}`);
        break;
      }
      case 'truncate': {
        const cut = rng.chance(0.5) && seed.boundaries.length > 0 ? rng.pick(seed.boundaries) : rng.below(size + 1);
        const at = Math.max(0, Math.min(size, cut + (rng.chance(0.5) ? 0 : rng.below(17) - 8)));
        size = at;
        patches.push({ kind: 'resize', size });
        notes.push(`truncated to 0x${size.toString(16)}`);
        break;
      }
      case 'append': {
        const n = 1 + rng.below(rng.chance(0.8) ? 0x100 : 0x10000);
        const bytes = new Uint8Array(n);
        const style = rng.below(3);
        for (let i = 0; i < n; i++)
          bytes[i] = style === 0 ? rng.below(256) : style === 1 ? 0 : ('DumpBlob'.charCodeAt(i % 8) ?? 0);
        const at = size;
        size += n;
        patches.push({ kind: 'resize', size });
        patches.push({ kind: 'write', at, hex: toHex(bytes) });
        notes.push(`appended 0x${n.toString(16)} bytes`);
        break;
      }
      case 'sparse': {
        // A huge file whose tail is zeros (what a 10 GiB sparse file reads as).
        const target = rng.pick([0x40000000, 0x100000000, 10 * 0x40000000, 2 ** 40]);
        size = Math.max(size, target);
        patches.push({ kind: 'resize', size });
        notes.push(`extended with zeros to 0x${size.toString(16)}`);
        break;
      }
      case 'flip': {
        const hot = rng.chance(0.6);
        const span = hot ? Math.min(size, 0x3000) : size;
        const at = hot && seed.hot.length > 0 && rng.chance(0.5) ? rng.pick(seed.hot) + rng.below(8) : rng.below(span);
        if (at >= base.length) break;
        write(at, Uint8Array.of((base[at] ?? 0) ^ (1 + rng.below(255))), `byte 0x${at.toString(16)} flipped`);
        break;
      }
      case 'word': {
        const at = (rng.chance(0.6) ? rng.below(Math.min(size, 0x3000)) : rng.below(size)) & ~3;
        const width = rng.pick([2, 4, 8] as const);
        const v = interesting(rng, width, readLe(base, at, width), size, []);
        write(at, le(v, width), `u${width * 8} at 0x${at.toString(16)} = 0x${v.toString(16)}`);
        break;
      }
    }
    if (patches.length > before) m++;
  }
  return { index, seed: seed.name, patches, notes };
}
