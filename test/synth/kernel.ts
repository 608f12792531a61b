/**
 * Kernel structures a debugger looks for in a full/bitmap dump, placed in
 * synthetic memory: PsLoadedModuleList with KLDR_DATA_TABLE_ENTRY records and
 * a decoded KDDEBUGGER_DATA64.
 */
import type { VirtualHeap } from './memory.js';
import {
  KDBG_OWNER_TAG,
  KDDEBUGGER_DATA64,
  KLDR_DATA_TABLE_ENTRY,
  LIST_ENTRY64,
  encodeStruct,
  type KdDebuggerData64Patch,
} from './tables/index.js';

export interface SynthModule {
  name: string;
  fullName?: string;
  base: bigint;
  size: number;
  timeDateStamp?: number;
  checkSum?: number;
}

function utf16(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'utf16le'));
}

/**
 * Writes a circular PsLoadedModuleList: a LIST_ENTRY head, then one entry per
 * module in load order. Returns the head's VA and each entry's VA.
 */
export function writeModuleList(
  heap: VirtualHeap,
  modules: readonly SynthModule[],
): { head: bigint; entries: bigint[] } {
  const head = heap.alloc(LIST_ENTRY64.size, 16);
  const entries = modules.map(() => heap.alloc(KLDR_DATA_TABLE_ENTRY.size, 16));
  const all = [head, ...entries];
  const next = (i: number): bigint => all[(i + 1) % all.length]!;
  const prev = (i: number): bigint => all[(i - 1 + all.length) % all.length]!;
  heap.write(head, encodeStruct(LIST_ENTRY64, { Flink: next(0), Blink: prev(0) }));
  modules.forEach((m, k) => {
    const i = k + 1;
    const full = m.fullName ?? `\\SystemRoot\\system32\\drivers\\${m.name}`;
    const fullVa = heap.put(utf16(full), 8);
    const baseVa = heap.put(utf16(m.name), 8);
    heap.write(
      all[i]!,
      encodeStruct(KLDR_DATA_TABLE_ENTRY, {
        InLoadOrderLinks: { Flink: next(i), Blink: prev(i) },
        DllBase: m.base,
        EntryPoint: m.base + 0x1000n,
        SizeOfImage: m.size,
        FullDllName: { Length: full.length * 2, MaximumLength: full.length * 2 + 2, Buffer: fullVa },
        BaseDllName: { Length: m.name.length * 2, MaximumLength: m.name.length * 2 + 2, Buffer: baseVa },
        Flags: 0x49104000,
        LoadCount: 1,
        CheckSum: m.checkSum ?? 0,
        TimeDateStamp: m.timeDateStamp ?? 0,
      }),
    );
  });
  return { head, entries };
}

/** Writes a decoded KDDEBUGGER_DATA64 (OwnerTag `KDBG`, Size 0x380) and returns its VA. */
export function writeKdDebuggerData(heap: VirtualHeap, fields: KdDebuggerData64Patch): bigint {
  const va = heap.alloc(KDDEBUGGER_DATA64.size, 16);
  heap.write(va, encodeKdDebuggerData(fields));
  return va;
}

/** A decoded KDDEBUGGER_DATA64: the given fields over zero, with Header {List 0, OwnerTag `KDBG`, Size 0x380}. */
export function encodeKdDebuggerData(fields: KdDebuggerData64Patch): Uint8Array {
  return encodeStruct(KDDEBUGGER_DATA64, {
    ...fields,
    Header: {
      List: { Flink: 0n, Blink: 0n },
      OwnerTag: KDBG_OWNER_TAG,
      Size: KDDEBUGGER_DATA64.size,
      ...fields.Header,
    },
  });
}
