/**
 * Everything the viewer page shows of one dump, as plain JSON values, built
 * from an open CrashDump. Only the reader, the analyzer and the format layer
 * are used, none of which needs Node: the page builds this in the browser,
 * from a File (`view --static`) or from the local server's bytes (`view DUMP`).
 */
import { analyzeDump, walkBugCheckCallbacks, type BugDumpResult, type DumpAnalysis } from '../analyze/index.js';
import type { CrashDump, SecondaryDataBlob } from '../dump/reader/index.js';
import { BUGCHECK_MODEL_DIAGNOSTICS_GUID } from '../format/index.js';
import { buildMemoryPicture, type MemoryPictureResult } from './memoryMap.js';
import { buildTimeline, type TimelineResult } from './timeline.js';

export interface ViewModule {
  name: string;
  base: string;
  end: string;
  size: number;
  timeDateStamp: string;
  checkSum: string;
}

export interface ViewBlob {
  index: number;
  guid: string;
  size: number;
  /** File offset of the data. */
  offset: string;
  /** What the tag is, when known (`bugcheck model diagnostics`). */
  label: string | null;
}

export interface ViewTriageBlock {
  address: string;
  size: number;
  offset: string;
}

export interface DumpView {
  name: string;
  fileSize: number;
  analysis: DumpAnalysis;
  modules: { loaded: ViewModule[]; unloaded: { name: string; base: string; end: string }[] };
  blobs: ViewBlob[];
  /** Index (into blobs) of the model-diagnostics blob that was decoded, when there is one. */
  diagnosticsBlob: number | null;
  triageBlocks: ViewTriageBlock[];
  /** Data blocks in the dump; only the first MAX_TRIAGE_ROWS are listed. */
  triageBlockCount: number;
  memory: MemoryPictureResult;
  timeline: TimelineResult;
}

/** Triage data blocks listed at most (a genuine dump can have thousands). */
export const MAX_TRIAGE_ROWS = 2000;

const KNOWN_TAGS: Record<string, string> = {
  [BUGCHECK_MODEL_DIAGNOSTICS_GUID]: 'bugcheck model diagnostics (each callback’s outcome, violations)',
};

const hex = (v: bigint | number): string => `0x${v.toString(16)}`;

export async function buildDumpView(dump: CrashDump): Promise<DumpView> {
  const analysis = await analyzeDump(dump);
  const modules = await dump.modules();
  const scan = await dump.secondaryData();
  const blobs: ViewBlob[] = scan.blobs.map((b) => ({
    index: b.index,
    guid: b.guid,
    size: b.size,
    offset: hex(b.offset),
    label: KNOWN_TAGS[b.guid] ?? null,
  }));
  const diagnosticsBlob =
    analysis.modelDiagnostics === undefined
      ? null
      : (scan.blobs.filter((b) => b.guid === BUGCHECK_MODEL_DIAGNOSTICS_GUID).at(-1)?.index ?? null);
  const dataBlocks = dump.triage?.dataBlocks ?? [];
  let legacy: BugDumpResult | undefined;
  if (dump.body.kind === 'full' || dump.body.kind === 'bitmap') {
    try {
      legacy = await walkBugCheckCallbacks(dump, { maxBufferBytes: 0x100 });
    } catch {
      legacy = undefined; // the timeline says the legacy records were not read
    }
  }
  return {
    name: dump.path,
    fileSize: Number(dump.fileSize),
    analysis,
    modules: {
      loaded: modules.loaded.map((m) => ({
        name: m.name,
        base: hex(m.base),
        end: hex(m.base + BigInt(m.size)),
        size: m.size,
        timeDateStamp: hex(m.timeDateStamp),
        checkSum: hex(m.checkSum),
      })),
      unloaded: modules.unloaded.map((u) => ({ name: u.name, base: hex(u.startAddress), end: hex(u.endAddress) })),
    },
    blobs,
    diagnosticsBlob,
    triageBlocks: dataBlocks
      .slice(0, MAX_TRIAGE_ROWS)
      .map((b) => ({ address: hex(b.virtualAddress), size: b.size, offset: hex(b.offset) })),
    triageBlockCount: dataBlocks.length,
    memory: await buildMemoryPicture(dump, analysis.modelDiagnostics),
    timeline: buildTimeline(analysis.modelDiagnostics, legacy),
  };
}

/** The blob of `view.blobs[i]` in the open dump (for its bytes). */
export async function findBlob(dump: CrashDump, index: number): Promise<SecondaryDataBlob | undefined> {
  return (await dump.secondaryData()).blobs.find((b) => b.index === index);
}
