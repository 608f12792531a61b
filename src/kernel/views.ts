import type { FieldInfo, Layout } from '../format/index.js';
import { KernelError } from './errors.js';

/** Where a view reads and writes: the machine (a driver's own access) or the kernel's privileged path. */
export interface VirtualAccessor {
  readVirtual(va: bigint, length: number): Uint8Array;
  writeVirtual(va: bigint, data: Uint8Array): void;
}

/**
 * A structure at a virtual address, read and written field by field in
 * simulated memory, so a driver written in TypeScript touches
 * `OutBufferLength` the way C code would: one field, at its offset, through
 * the page tables (and the HIGH_LEVEL guard).
 */
export class StructView<T> {
  /** Property-style access: `view.fields.OutBufferLength = 16`. Each get/set is one memory access. */
  readonly fields: T;
  private readonly byName: ReadonlyMap<string, FieldInfo>;

  constructor(
    private readonly memory: VirtualAccessor,
    readonly layout: Layout<T>,
    readonly address: bigint,
  ) {
    this.byName = new Map(layout.fields.map((f) => [f.name, f]));
    const self = this;
    this.fields = new Proxy({} as Record<string, unknown>, {
      get: (_t, key) => (typeof key === 'string' && self.byName.has(key) ? self.get(key as keyof T & string) : undefined),
      set: (_t, key, value) => {
        if (typeof key !== 'string' || !self.byName.has(key)) return false;
        self.set(key as keyof T & string, value as T[keyof T & string]);
        return true;
      },
      has: (_t, key) => typeof key === 'string' && self.byName.has(key),
      ownKeys: () => [...self.byName.keys()],
      getOwnPropertyDescriptor: (_t, key) =>
        typeof key === 'string' && self.byName.has(key)
          ? { enumerable: true, configurable: true, writable: true, value: self.get(key as keyof T & string) }
          : undefined,
    }) as T;
  }

  /** Address of one field. */
  addressOf<K extends keyof T & string>(field: K): bigint {
    return this.address + BigInt(this.field(field).offset);
  }

  get<K extends keyof T & string>(field: K): T[K] {
    const f = this.field(field);
    const raw = this.memory.readVirtual(this.address + BigInt(f.offset), f.size);
    return f.codec.read(new DataView(raw.buffer, raw.byteOffset, raw.byteLength), 0) as T[K];
  }

  set<K extends keyof T & string>(field: K, value: T[K]): void {
    const f = this.field(field);
    const raw = new Uint8Array(f.size);
    f.codec.write(new DataView(raw.buffer), 0, value);
    this.memory.writeVirtual(this.address + BigInt(f.offset), raw);
  }

  /** The whole structure, decoded (one read of `layout.size` bytes). */
  read(): T {
    return this.layout.decode(this.memory.readVirtual(this.address, this.layout.size), 0);
  }

  /** Writes only the given fields (one read and one write of the whole structure). */
  write(value: Partial<T>): void {
    const raw = this.memory.readVirtual(this.address, this.layout.size);
    this.layout.encodeInto(raw, 0, value);
    this.memory.writeVirtual(this.address, raw);
  }

  /** Replaces the whole structure: the given fields, every other byte zero (one write). */
  assign(value: Partial<T>): void {
    this.memory.writeVirtual(this.address, this.layout.encode(value));
  }

  /** Zero-fills the whole structure. */
  clear(): void {
    this.memory.writeVirtual(this.address, new Uint8Array(this.layout.size));
  }

  private field(name: string): FieldInfo {
    const f = this.byName.get(name);
    if (!f) throw new KernelError('E_KERNEL_FIELD', `${this.layout.name} has no field "${name}"`, { structure: this.layout.name, field: name });
    return f;
  }
}
