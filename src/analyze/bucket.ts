import type { DumpAnalysis } from './analysis.js';
import { BUG_CHECK_M_VARIANT_BIT } from './bugcodes.js';

/**
 * WinDbg-style bucket ids, computed from a DumpAnalysis alone (so a batch of
 * analyses can be grouped without the dumps):
 *
 * - FAILURE_BUCKET_ID `<CODE>_<function>`: the bug check code as WinDbg writes
 *   it (`0xD1`, `0x1000007E`), then the faulting module's function —
 *   `devstate!MyDpcRoutine` when the image's export table names it, else
 *   `amdppm+0x3290` (the function's start from its unwind data, or the
 *   faulting offset when the image's unwind data is not in the dump).
 * - BUCKET_ID: the same with the base code (`0x7E_…` for 0x1000007E), the
 *   form WinDbg's legacy bucket uses.
 *
 * Both depend only on the dump's bytes, so they are the same on every run.
 * Without a faulting module the function part is `UNKNOWN`.
 */
function codeText(code: number): string {
  return `0x${(code >>> 0).toString(16).toUpperCase()}`;
}

function functionPart(a: DumpAnalysis): string {
  return a.faultingModule?.function ?? 'UNKNOWN';
}

export function failureBucketId(a: DumpAnalysis): string {
  return `${codeText(Number(BigInt(a.bugCheck.code)))}_${functionPart(a)}`;
}

export function bucketId(a: DumpAnalysis): string {
  const base = (Number(BigInt(a.bugCheck.code)) & ~BUG_CHECK_M_VARIANT_BIT) >>> 0;
  return `${codeText(base)}_${functionPart(a)}`;
}
