import type { DumpSettings } from './crashDumpTarget.js';
import type { KernelSettings } from './settings.js';

/**
 * What the machine's `build` (Windows build number) changes in a bug check.
 * Each gate is the first build documented to have the behaviour; sources in
 * docs/model.md ("Windows versions").
 */
export const WINDOWS_SERVER_2008_BUILD = 6001;
export const WINDOWS_8_BUILD = 9200;
export const WINDOWS_10_1809_BUILD = 17763;

export interface BuildFeatures {
  /** KbCallbackAddPages / KbCallbackSecondaryMultiPartDumpData exist (Windows Server 2008, Vista SP1, build 6001). */
  addPagesAndMultiPart: boolean;
  /** AddPages is called for complete dumps too (Windows 8, build 9200); before, for kernel dumps only. */
  addPagesForCompleteDumps: boolean;
  /** Complete dumps are bitmap dumps (DumpType 5) from Windows 8; before, the runs layout (DumpType 1). */
  bitmapCompleteDumps: boolean;
  /** KbCallbackTriageDumpData records are called (Windows 10 1809, build 17763); before, nothing calls them. */
  triageCallbacks: boolean;
}

export function buildFeatures(build: number): BuildFeatures {
  return {
    addPagesAndMultiPart: build >= WINDOWS_SERVER_2008_BUILD,
    addPagesForCompleteDumps: build >= WINDOWS_8_BUILD,
    bitmapCompleteDumps: build >= WINDOWS_8_BUILD,
    triageCallbacks: build >= WINDOWS_10_1809_BUILD,
  };
}

/** The dump settings as that build writes them (a complete dump before Windows 8 is always DumpType 1). */
export function dumpSettingsForBuild(dump: DumpSettings, features: BuildFeatures): DumpSettings {
  return dump.kind === 'complete' && !features.bitmapCompleteDumps ? { ...dump, completeFormat: 'runs' } : dump;
}

/** The dump kinds each page phase runs for, as the settings ask and the build allows. */
export function pageDumpKinds(
  settings: KernelSettings,
  features: BuildFeatures,
): { add: readonly string[]; remove: readonly string[] } {
  const add = features.addPagesAndMultiPart
    ? settings.pages.addPagesDumpKinds.filter((k) => k !== 'complete' || features.addPagesForCompleteDumps)
    : [];
  return { add, remove: settings.pages.removePagesDumpKinds };
}
