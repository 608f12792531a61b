/** POOL_FLAGS for ExAllocatePool2 (wdm.h values). */
export const POOL_FLAG_USE_QUOTA = 0x1n;
export const POOL_FLAG_UNINITIALIZED = 0x2n;
export const POOL_FLAG_CACHE_ALIGNED = 0x4n;
export const POOL_FLAG_RAISE_ON_FAILURE = 0x20n;
export const POOL_FLAG_NON_PAGED = 0x40n;
export const POOL_FLAG_NON_PAGED_EXECUTE = 0x80n;
export const POOL_FLAG_PAGED = 0x100n;

/** A pool tag given as four characters ('Tag1') or as the ULONG the WDK macros produce. */
export function poolTagValue(tag: number | string): number {
  if (typeof tag === 'number') return tag >>> 0;
  let value = 0;
  for (let i = 0; i < 4; i++) value |= (i < tag.length ? tag.charCodeAt(i) & 0xff : 0) << (8 * i);
  return value >>> 0;
}
