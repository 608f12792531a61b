/** Synthetic crash dump builder for tests and benchmarks (see README.md). */
export * from './memory.js';
export * from './dump.js';
export * from './kernel.js';
