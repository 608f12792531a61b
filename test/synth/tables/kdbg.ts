/**
 * KDDEBUGGER_DATA64, the fields dumpformat.md §1 ("KDDEBUGGER_DATA64 offsets
 * often needed") and §3.5 list; size 0x380 (Win10/11, DebuggerDataSize of the
 * samples). Widths from the public wdbgexts.h: pointers are ULONG64,
 * OffsetPrcbContext is a USHORT.
 */
import { fourCC, nested, table, u16, u32, u64, type PatchOf } from './struct.js';
import { LIST_ENTRY64 } from './ldr.js';

export const KDBG_OWNER_TAG = fourCC('KDBG');

/** §1: {List 0x00, OwnerTag 0x10, Size 0x14}. */
export const DBGKD_DEBUG_DATA_HEADER64 = table('DBGKD_DEBUG_DATA_HEADER64', 0x18, {
  List: nested(0x00, LIST_ENTRY64),
  OwnerTag: u32(0x10),
  Size: u32(0x14),
});

export const KDDEBUGGER_DATA64 = table('KDDEBUGGER_DATA64', 0x380, {
  Header: nested(0x00, DBGKD_DEBUG_DATA_HEADER64),
  KernBase: u64(0x18),
  PsLoadedModuleList: u64(0x48),
  PsActiveProcessHead: u64(0x50),
  /** §3.5: the legacy callback list `!bugdump` walks. */
  KeBugCheckCallbackListHead: u64(0x80),
  /** §1 spells it KiBugCheckData; wdbgexts.h (and src/format) KiBugcheckData. */
  KiBugcheckData: u64(0x88),
  MmPfnDatabase: u64(0xc0),
  KiProcessorBlock: u64(0x218),
  /** wdbgexts.h: the USHORT offset/size block after the 64-bit pointers (Windows 10 layout). */
  OffsetKThreadApcProcess: u16(0x2a0),
  SizePrcb: u16(0x2b0),
  OffsetPrcbCurrentThread: u16(0x2b4),
  OffsetPrcbNumber: u16(0x2be),
  OffsetPrcbContext: u16(0x338),
  /** wdbgexts.h: ULONG OffsetKThreadStackLimit, OffsetKThreadStackBase (added with Windows 10). */
  OffsetKThreadStackLimit: u32(0x340),
  OffsetKThreadStackBase: u32(0x344),
});
export type KdDebuggerData64Patch = PatchOf<typeof KDDEBUGGER_DATA64>;
