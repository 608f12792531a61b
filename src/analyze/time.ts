/** FILETIME counts 100 ns intervals since 1601-01-01 UTC; this many of them lie before the Unix epoch. */
const FILETIME_UNIX_EPOCH = 116444736000000000n;
const TICKS_PER_MS = 10000n;
/** A 64-bit field never written by the dump writer still holds the header's `PAGE` filler. */
export const PAGE_FILLER_U64 = 0x4547415045474150n;
export const PAGE_FILLER_U32 = 0x45474150;

/** First millisecond that ISO 8601's four-digit years cannot express. */
const YEAR_10000_MS = 253402300800000n;

/** ISO 8601 UTC text for a FILETIME, or undefined when the field is zero, PAGE filler, or past the year 9999 (garbage). */
export function fileTimeToIso(fileTime: bigint): string | undefined {
  if (fileTime === 0n || fileTime === PAGE_FILLER_U64) return undefined;
  const ms = (fileTime - FILETIME_UNIX_EPOCH) / TICKS_PER_MS;
  if (ms >= YEAR_10000_MS) return undefined;
  return ms >= YEAR_0_MS ? utcIso(Number(ms)) : new Date(Number(ms)).toISOString();
}

/** First millisecond of the year 0000, below which toISOString writes six-digit years. */
const YEAR_0_MS = -62167219200000n;
const MS_PER_DAY = 86400000;

/**
 * What `new Date(ms).toISOString()` gives for the years 0000–9999, computed
 * rather than asked of Date, whose first use loads the time zone data (~1 ms
 * of every `analyze`). Days to civil date: H. Hinnant's days_from_civil, inverted.
 */
function utcIso(ms: number): string {
  const days = Math.floor(ms / MS_PER_DAY);
  const inDay = ms - days * MS_PER_DAY;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  const hours = Math.floor(inDay / 3600000);
  const minutes = Math.floor(inDay / 60000) % 60;
  const seconds = Math.floor(inDay / 1000) % 60;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(inDay % 1000, 3)}Z`;
}

/** WinDbg's "System Uptime" form: `0 days 0:00:03.741`. */
export function formatUptime(ticks: bigint): string {
  const totalMs = ticks / TICKS_PER_MS;
  const ms = totalMs % 1000n;
  const totalSeconds = totalMs / 1000n;
  const seconds = totalSeconds % 60n;
  const minutes = (totalSeconds / 60n) % 60n;
  const hours = (totalSeconds / 3600n) % 24n;
  const days = totalSeconds / 86400n;
  const two = (n: bigint): string => n.toString().padStart(2, '0');
  return `${days} days ${hours}:${two(minutes)}:${two(seconds)}.${ms.toString().padStart(3, '0')}`;
}

/** Uptime in seconds (millisecond precision) for JSON. */
export function uptimeSeconds(ticks: bigint): number {
  return Number(ticks / TICKS_PER_MS) / 1000;
}

/** Linker time stamps before this (1993, the first PE images) are not dates. */
const FIRST_PLAUSIBLE_LINK_TIME_S = Date.UTC(1993, 0, 1) / 1000;
const ONE_DAY_S = 86400;

/**
 * A module's TimeDateStamp as an ISO date, only when it can be one: after
 * 1993 and not after `notAfter` (the dump's SystemTime, or now) plus a day.
 * Windows 10 images built reproducibly store a hash there instead, which
 * reads as any moment between 1970 and 2106 (`fe185fa8` would be 2105):
 * those stay undefined and are shown as the hex value only.
 */
export function linkTimestampIso(stamp: number, notAfter: Date = new Date()): string | undefined {
  if (stamp < FIRST_PLAUSIBLE_LINK_TIME_S || stamp > notAfter.getTime() / 1000 + ONE_DAY_S) return undefined;
  return new Date(stamp * 1000).toISOString().replace('.000Z', 'Z');
}
