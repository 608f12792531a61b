/** Public API of the C driver layer; see src/cdriver/README.md. */
export {
  compileDriver,
  loadToolchain,
  toolchainVersion,
  type CompileDriverOptions,
  type CompiledCDriver,
  type CSource,
} from './toolchain.js';
export {
  CDriver,
  cDriverLayout,
  DEFAULT_WINDOW_BYTES,
  DEFAULT_STACK_BYTES,
  type CDriverOptions,
  type CDriverLayout,
  type CArgument,
} from './driver.js';
export { CDriverError, CDriverErrorCode } from './errors.js';
export { CTrap, CPageFault, formatLocation, type CLocation } from './trap.js';
export { defaultCacheDir, includeDir } from './paths.js';
