/**
 * A small seeded generator (SplitMix32-style) so that every "random-looking"
 * choice of the machine (self-map index, image bases, register values)
 * follows from the seed alone.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = (seed >>> 0) ^ 0x9e3779b9;
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform integer in [0, bound). */
  below(bound: number): number {
    if (!Number.isInteger(bound) || bound <= 0) throw new RangeError(`bound must be a positive integer, got ${bound}`);
    return Math.floor((this.nextU32() / 0x1_0000_0000) * bound);
  }

  /** Uniform 64-bit value. */
  nextU64(): bigint {
    return (BigInt(this.nextU32()) << 32n) | BigInt(this.nextU32());
  }
}
