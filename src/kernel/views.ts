import type { FieldInfo, Layout } from '../format/index.js';
import { KernelError } from './errors.js';

/** Where a view reads and writes: the machine (a driver's own access) or the kernel's privileged path. */
export interface VirtualAccessor {
  readVirtual(va: bigint, length: number): Uint8Array;
  writeVirtual(va: bigint, data: Uint8Array): void;
  /** Optional: the same single access as readVirtual, into the caller's buffer. */
  readVirtualInto?(va: bigint, target: Uint8Array): void;
}

interface FieldEntry {
  info: FieldInfo;
  offset: bigint;
  /** A reusable buffer of exactly the field's size (small fields only), decoded through `view`. */
  scratch: Uint8Array | undefined;
  view: DataView | undefined;
  /** The field's address in the structure at `base`, the last one asked for (a routine reads the same one per call). */
  base: bigint;
  address: bigint;
}

const SMALL_FIELD = 64;
/**
 * Field lookup tables, built once per layout (drivers create a view per call).
 * The scratch buffers are safe to share: a field is read into one and decoded
 * at once, with no other code running in between (the guard runs before the
 * bytes are copied).
 */
const fieldTables = new WeakMap<object, ReadonlyMap<string, FieldEntry>>();
const WHOLE_LIMIT = 0x100;
const wholeBuffers = new WeakMap<object, { bytes: Uint8Array; view: DataView }>();

function fieldTable(layout: Layout<unknown>): ReadonlyMap<string, FieldEntry> {
  let table = fieldTables.get(layout);
  if (!table) {
    table = new Map(
      layout.fields.map((f) => {
        const scratch = f.size <= SMALL_FIELD ? new Uint8Array(f.size) : undefined;
        return [
          f.name,
          {
            info: f,
            offset: BigInt(f.offset),
            scratch,
            view: scratch ? new DataView(scratch.buffer) : undefined,
            base: -1n,
            address: 0n,
          },
        ];
      }),
    );
    fieldTables.set(layout, table);
  }
  return table;
}

/**
 * A structure at a virtual address, read and written field by field in
 * simulated memory, so a driver written in TypeScript touches
 * `OutBufferLength` the way C code would: one field, at its offset, through
 * the page tables (and the HIGH_LEVEL guard).
 */
export class StructView<T> {
  private readonly byName: ReadonlyMap<string, FieldEntry>;
  private proxy: T | undefined;

  constructor(
    private readonly memory: VirtualAccessor,
    readonly layout: Layout<T>,
    readonly address: bigint,
  ) {
    this.byName = fieldTable(layout as Layout<unknown>);
  }

  /** Property-style access: `view.fields.OutBufferLength = 16`. Each get/set is one memory access. */
  get fields(): T {
    this.proxy ??= this.makeProxy();
    return this.proxy;
  }

  /** Address of one field. */
  addressOf<K extends keyof T & string>(field: K): bigint {
    return this.address + this.field(field).offset;
  }

  get<K extends keyof T & string>(field: K): T[K] {
    const f = this.field(field);
    const into = this.memory.readVirtualInto;
    if (f.scratch && f.view && into) {
      if (f.base !== this.address) {
        f.base = this.address;
        f.address = this.address + f.offset;
      }
      into.call(this.memory, f.address, f.scratch);
      return f.info.codec.read(f.view, 0) as T[K];
    }
    const raw = this.memory.readVirtual(this.address + f.offset, f.info.size);
    return f.info.codec.read(new DataView(raw.buffer, raw.byteOffset, raw.byteLength), 0) as T[K];
  }

  set<K extends keyof T & string>(field: K, value: T[K]): void {
    const f = this.field(field);
    const raw = new Uint8Array(f.info.size);
    f.info.codec.write(new DataView(raw.buffer), 0, value);
    this.memory.writeVirtual(this.address + f.offset, raw);
  }

  /** The whole structure, decoded (one read of `layout.size` bytes). */
  read(): T {
    return this.layout.decode(this.memory.readVirtual(this.address, this.layout.size), 0);
  }

  /**
   * Some fields of the structure, from one read of `layout.size` bytes (the
   * same access as read()), without decoding the others.
   */
  readFields<K extends keyof T & string>(...names: K[]): Pick<T, K> {
    const whole = this.whole();
    const into = this.memory.readVirtualInto;
    let source: DataView;
    if (whole && into) {
      into.call(this.memory, this.address, whole.bytes);
      source = whole.view;
    } else {
      const raw = this.memory.readVirtual(this.address, this.layout.size);
      source = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    }
    const out = {} as Pick<T, K>;
    for (const name of names) {
      const f = this.field(name);
      out[name] = f.info.codec.read(source, f.info.offset) as T[K];
    }
    return out;
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

  /** A reusable buffer for the whole structure (small structures only; shared per layout, see fieldTables). */
  private whole(): { bytes: Uint8Array; view: DataView } | undefined {
    if (this.layout.size > WHOLE_LIMIT) return undefined;
    let w = wholeBuffers.get(this.layout);
    if (!w) {
      const bytes = new Uint8Array(this.layout.size);
      w = { bytes, view: new DataView(bytes.buffer) };
      wholeBuffers.set(this.layout, w);
    }
    return w;
  }

  private makeProxy(): T {
    const byName = this.byName;
    return new Proxy({} as Record<string, unknown>, {
      get: (_t, key) => (typeof key === 'string' && byName.has(key) ? this.get(key as keyof T & string) : undefined),
      set: (_t, key, value) => {
        if (typeof key !== 'string' || !byName.has(key)) return false;
        this.set(key as keyof T & string, value as T[keyof T & string]);
        return true;
      },
      has: (_t, key) => typeof key === 'string' && byName.has(key),
      ownKeys: () => [...byName.keys()],
      getOwnPropertyDescriptor: (_t, key) =>
        typeof key === 'string' && byName.has(key)
          ? { enumerable: true, configurable: true, writable: true, value: this.get(key as keyof T & string) }
          : undefined,
    }) as T;
  }

  private field(name: string): FieldEntry {
    const f = this.byName.get(name);
    if (!f)
      throw new KernelError('E_KERNEL_FIELD', `${this.layout.name} has no field "${name}"`, {
        structure: this.layout.name,
        field: name,
      });
    return f;
  }
}
