/**
 * The part of the WebAssembly JavaScript API the C driver support uses,
 * typed here because the project compiles without the DOM library (where
 * TypeScript declares it). Same objects as `globalThis.WebAssembly`.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

export interface WasmGlobal {
  value: number | bigint;
}

export interface WasmTable {
  readonly length: number;
  get(index: number): ((...args: unknown[]) => unknown) | null;
}

export type WasmExportValue = ((...args: (number | bigint)[]) => unknown) | WasmMemory | WasmGlobal | WasmTable;

export interface WasmInstance {
  readonly exports: Record<string, WasmExportValue>;
}

export interface WasmModuleImport {
  module: string;
  name: string;
  kind: 'function' | 'table' | 'memory' | 'global';
}

export type WasmImportValue = ((...args: never[]) => unknown) | WasmMemory | WasmGlobal | WasmTable;

export interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  Global: new (descriptor: { value: 'i32' | 'i64'; mutable?: boolean }, value: number | bigint) => WasmGlobal;
  Table: new (descriptor: { element: 'anyfunc'; initial: number; maximum?: number }) => WasmTable;
  Module: (new (bytes: Uint8Array) => object) & { imports(module: object): WasmModuleImport[] };
  Instance: new (module: object, imports: Record<string, Record<string, WasmImportValue>>) => WasmInstance;
  RuntimeError: new (...args: unknown[]) => Error;
}

export const Wasm: WasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
