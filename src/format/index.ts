/** The format layer's public surface: layouts, constants and codecs. Imports nothing outside src/format. */
export * from './layout.js';
export * from './guid.js';
export * from './errors.js';
export * from './constants.js';
export * from './paging.js';
export * from './ldr.js';
export * from './exception.js';
export * from './context.js';
export * from './header.js';
export * from './bitmap.js';
export * from './triage.js';
export * from './blob.js';
export * from './kdbg.js';
export * from './callbacks.js';
export * from './diagnostics.js';
export * from './contextArm64.js';
