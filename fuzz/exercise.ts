/**
 * What one mutant goes through: what the CLI commands do, through the
 * library — open, header listing, analyze (JSON and text), the secondary
 * data walk with blob bytes, modules, the legacy callback walk, virtual and
 * physical reads, translation and the bulk physical read. A typed error
 * (BugcheckError: a stable `code`) is an answer; anything else escapes as a
 * failure. So do problems that break the reader's promises (a "file
 * offset" that is a virtual address) and typed errors that hide a crash
 * (a stack overflow or an allocation failure turned into E_DUMP_CORRUPT).
 */
import {
  analyzeDump,
  bugDumpJson,
  dumpHeaderListing,
  formatAnalysis,
  formatBugdumpHeading,
  formatBugdumpRecord,
  formatEnumtagBytes,
  formatEnumtagHeading,
  formatHeaderListing,
  plainStyle,
  walkBugCheckCallbacks,
} from '../src/analyze/index.js';
import { problemText, toJson } from '../src/cli/context.js';
import { type CrashDump, type DumpProblem, type DumpSource, openDumpSource } from '../src/dump/reader/index.js';
import { ENGINE_FAILURE_MESSAGE } from '../src/dump/reader/errors.js';
import { BugcheckError } from '../src/format/index.js';

/** A failure of one mutant (an untyped exception or a broken invariant); hangs and memory are the worker's. */
export class FuzzFailure extends Error {
  constructor(
    readonly stage: string,
    readonly kind: 'exception' | 'invariant',
    message: string,
  ) {
    super(message);
  }
}

/** Test-only planted faults: make the target misbehave on some mutants so the harness is seen to catch it. */
export type Plant = 'typeerror' | 'hang' | 'memory' | undefined;

/** Typed errors seen, by "stage code" (the campaign's statistics). */
export type ErrorCounts = Map<string, number>;

function describe(e: unknown): string {
  return e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : `non-Error thrown: ${String(e)}`;
}

async function stage(name: string, counts: ErrorCounts, fn: () => Promise<unknown> | unknown): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (e) {
    if (e instanceof FuzzFailure) throw e;
    if (e instanceof BugcheckError && typeof e.code === 'string') {
      // The reader lets engine failures through as they are; a typed error carrying one was wrapped somewhere else.
      if (ENGINE_FAILURE_MESSAGE.test(e.message))
        throw new FuzzFailure(name, 'exception', `${e.code} hides an engine failure: ${describe(e)}`);
      const key = `${name} ${e.code}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      return false;
    }
    throw new FuzzFailure(name, 'exception', describe(e));
  }
}

/** Kernel-space addresses start here; no file offset is this large. */
const KERNEL_VA = 0xffff800000000000n;

/** A problem's `offset` is a file offset, and its text never calls a virtual address one. */
export function checkProblems(where: string, problems: readonly DumpProblem[]): void {
  for (const p of problems) {
    if (p.offset !== undefined && (typeof p.offset !== 'bigint' || p.offset < 0n || p.offset >= KERNEL_VA))
      throw new FuzzFailure(
        where,
        'invariant',
        `problem ${p.code} gives offset ${String(p.offset)}, which is not a file offset: ${p.message}`,
      );
    if (/file offset 0x(?:ffff|FFFF)[0-9a-fA-F]{12}\b/.test(p.message))
      throw new FuzzFailure(
        where,
        'invariant',
        `problem ${p.code} calls a virtual address a file offset: ${p.message}`,
      );
    problemText(p);
  }
}

/** Bytes of blob data read per mutant at most (previews plus a few whole blobs). */
const BLOB_BYTES = 0x40000;

async function blobs(dump: CrashDump, counts: ErrorCounts): Promise<void> {
  const scan = await dump.secondaryData();
  checkProblems('secondaryData', scan.problems);
  let budget = BLOB_BYTES;
  for (const blob of scan.blobs.slice(0, 32)) {
    formatEnumtagHeading(blob.guid, blob.size, plainStyle);
    await stage('blob-preview', counts, async () => {
      const preview = await dump.readBlobRange(blob, 0, Math.min(blob.size, 0x40));
      formatEnumtagBytes(preview, 0, preview.length, plainStyle);
    });
    if (blob.size <= budget) {
      budget -= blob.size;
      await stage('blob-chunks', counts, async () => {
        for await (const chunk of dump.blobChunks(blob, 0x10000)) if (chunk.length === 0) break;
      });
    }
  }
}

async function reads(dump: CrashDump, counts: ErrorCounts, salt: number): Promise<void> {
  const h = dump.header;
  const vas = [h.psLoadedModuleList, h.kdDebuggerDataBlock, ...h.bugCheckParameters, BigInt(salt) * 0x1000n];
  const buffer = new Uint8Array(0x2000);
  for (const va of vas) {
    const top = (1n << 64n) - 0x2000n;
    const at = va > top ? top : va;
    await stage('readVirtual', counts, () => dump.readVirtualInto(at, buffer));
    await stage('translate', counts, () => dump.translate(va));
  }
  await stage('readPhysical', counts, () => dump.readPhysical(BigInt(salt % 0x4000) * 0x1000n, 0x1800));
  await stage('readPhysical', counts, () => dump.readPhysical(h.directoryTableBase & 0xffffffffff000n, 0x1000));
  await stage('physicalChunks', counts, async () => {
    let n = 0;
    for await (const chunk of dump.physicalChunks({ chunkBytes: 0x10000 }))
      if (++n >= 2 || chunk.runs.length < 0) break;
  });
}

/** Runs every stage on one mutant's source. Throws FuzzFailure; typed errors are counted. */
export async function exercise(
  source: DumpSource,
  counts: ErrorCounts,
  salt: number,
  plant: Plant = undefined,
): Promise<void> {
  let dump: CrashDump | undefined;
  await stage('open', counts, async () => {
    dump = await openDumpSource(source, { pageCacheSize: 256 });
  });
  if (dump === undefined) return;
  const d = dump;
  try {
    checkProblems('open', d.problems);
    await stage('header', counts, async () => formatHeaderListing(await dumpHeaderListing(d), plainStyle));
    await stage('analyze', counts, async () => {
      const analysis = await analyzeDump(d);
      checkProblems(
        'analyze',
        analysis.problems.map((p) => ({ ...p, offset: p.offset === undefined ? undefined : BigInt(p.offset) })),
      );
      toJson(analysis);
      formatAnalysis(analysis, plainStyle);
    });
    await stage('enumtag', counts, () => blobs(d, counts));
    await stage('modules', counts, async () => {
      const list = await d.modules();
      checkProblems('modules', list.problems);
      toJson(list);
    });
    await stage('bugdump', counts, async () => {
      const walk = await walkBugCheckCallbacks(d);
      checkProblems('bugdump', walk.problems);
      toJson(bugDumpJson(walk));
      formatBugdumpHeading(walk, plainStyle);
      for (const r of walk.records) formatBugdumpRecord(r, plainStyle);
    });
    await stage('kdDebuggerData', counts, () => d.kdDebuggerData());
    await reads(d, counts, salt);
    checkProblems('all', d.problems);
    if (plant !== undefined && salt % 5 === 3) planted(plant);
  } finally {
    await d.close();
  }
}

/** Kept alive so a planted allocation is not collected before the worker looks. */
export const plantedHold: Uint8Array[] = [];

function planted(plant: Exclude<Plant, undefined>): void {
  if (plant === 'typeerror') {
    const missing = undefined as unknown as { code: string };
    missing.code.toString();
  } else if (plant === 'hang') {
    const until = Number.POSITIVE_INFINITY;
    for (let i = 0; i < until; i++) if (i === -1) break;
  } else {
    for (let i = 0; i < 5; i++) plantedHold.push(new Uint8Array(64 << 20).fill(1));
  }
}
