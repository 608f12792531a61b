/**
 * Byte sizes as people write them in a scenario: `"256MiB"`, `"1 GiB"`,
 * `"512M"`, `"65536"`, or a plain number of bytes. Units are binary (1 KiB =
 * 1024 bytes); `K`/`M`/`G`/`T` and `KB`/`MB`/`GB`/`TB` mean the same here,
 * because RAM sizes are powers of two.
 */
const UNITS: Readonly<Record<string, bigint>> = {
  '': 1n,
  b: 1n,
  k: 1n << 10n,
  kb: 1n << 10n,
  kib: 1n << 10n,
  m: 1n << 20n,
  mb: 1n << 20n,
  mib: 1n << 20n,
  g: 1n << 30n,
  gb: 1n << 30n,
  gib: 1n << 30n,
  t: 1n << 40n,
  tb: 1n << 40n,
  tib: 1n << 40n,
};

/** The number of bytes a size text or number stands for; undefined when it is not a size. */
export function parseByteSize(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value >= 0n ? value : undefined;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*([0-9]+)\s*([a-z]*)\s*$/i.exec(value);
  if (!m) return undefined;
  const unit = UNITS[m[2]!.toLowerCase()];
  if (unit === undefined) return undefined;
  return BigInt(m[1]!) * unit;
}

/** `268435456n` → `"256MiB"`: the largest binary unit that divides the size evenly. */
export function formatByteSize(bytes: bigint): string {
  for (const [unit, factor] of [
    ['TiB', 1n << 40n],
    ['GiB', 1n << 30n],
    ['MiB', 1n << 20n],
    ['KiB', 1n << 10n],
  ] as const) {
    if (bytes >= factor && bytes % factor === 0n) return `${bytes / factor}${unit}`;
  }
  return `${bytes} bytes`;
}
