import type { Detail } from './common.js';

/** detailRow's answer when the code's row is to be had by building its range. */
export const BUILD_RANGE = 'build-range';

/**
 * One code's detail row without building its range. Here the answer is always "build the
 * range"; the CLI bundles replace this module with one that requires the row's own small file
 * (scripts/bundleCli.mjs writes one per code, from these ranges), so `analyze` of one dump
 * reads and builds the row or two it shows rather than the 64 codes of each range it touches.
 */
export function detailRow(_code: number): Detail | undefined | typeof BUILD_RANGE {
  return BUILD_RANGE;
}
