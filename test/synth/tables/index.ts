/** The builder's own offset tables, one file per area of the specification (see ../README.md). */
export * from './struct.js';
export * from './header.js';
export * from './exception.js';
export * from './context.js';
export * from './bitmap.js';
export * from './triage.js';
export * from './blob.js';
export * from './ldr.js';
export * from './kdbg.js';
export * from './paging.js';
