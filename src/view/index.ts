/** Public API of the viewer; see src/view/README.md. */
export { buildDumpView, findBlob, MAX_TRIAGE_ROWS, type DumpView, type ViewBlob, type ViewModule } from './model.js';
export { buildMemoryPicture, MEMORY_CATEGORIES, type MemoryPicture, type MemoryCategory } from './memoryMap.js';
export { buildTimeline, TIMELINE_PHASES, type Timeline, type TimelineRow, type TimelinePhase } from './timeline.js';
export { pageHtml, pageScript } from './bundle.js';
export { startViewServer, parseRange, VIEW_HOST, type ViewServer } from './server.js';
export type { ViewConfig } from './page/config.js';
export { ViewError, ViewErrorCode } from './errors.js';
