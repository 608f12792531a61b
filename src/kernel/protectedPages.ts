import { KDDEBUGGER_DATA64, KLDR_DATA_TABLE_ENTRY, PAGE_SIZE, UNICODE_STRING64 } from '../format/index.js';
import { recordSize } from './records.js';
import { recordKindOf, type BugCheckRun, type ListId } from './run.js';

const PAGE = BigInt(PAGE_SIZE);
const LISTS: readonly ListId[] = ['reason', 'addRemovePages', 'legacy'];
/** Bytes of a module's name buffers taken at most (a UNICODE_STRING's MaximumLength is ≤ 0xFFFF). */
const NAME_LIMIT = 0x10000;

const cache = new WeakMap<BugCheckRun, ReadonlySet<bigint>>();

/**
 * Frames a RemovePages callback may not take out of the dump: every
 * page-table page, the pages of the KDBG, of the loaded-module list (its
 * head, every KLDR_DATA_TABLE_ENTRY and its name buffers), and of the bug
 * check's own data (KiBugCheckData, the three callback list heads and every
 * record on them, the kernel's callback buffers, each processor's KPRCB and
 * the crashing processor's stack). Without them a debugger cannot translate
 * an address, find the KDBG, list the modules or show the crash (docs/model.md).
 * Computed once per bug check, when the first removal needs it.
 */
export function protectedFrames(run: BugCheckRun): ReadonlySet<bigint> {
  let frames = cache.get(run);
  if (frames) return frames;
  const out = new Set<bigint>(run.k.machine.physical.framesOwnedBy('pagetable'));
  const { machine, mem } = run.k;
  const space = machine.kernelSpace;
  const add = (va: bigint, length: number | bigint): void => {
    if (va === 0n) return;
    const end = va + BigInt(length);
    for (let page = va - (va % PAGE); page < end; page += PAGE) {
      const t = space.translate(page);
      if (t) out.add(t.pa >> 12n);
    }
  };
  const s = machine.symbols;
  add(machine.kdbg, KDDEBUGGER_DATA64.size);
  add(s.KiBugCheckData, 5 * 8);
  add(s.PsLoadedModuleList, 0x10);
  for (const list of LISTS) {
    add(run.k.listHead(list), 0x10);
    for (const entry of run.snapshot(list)) add(entry.address, recordSize(recordKindOf(list)));
  }
  for (const m of machine.modules) {
    add(m.ldrEntry, KLDR_DATA_TABLE_ENTRY.size);
    for (const field of [KLDR_DATA_TABLE_ENTRY.offsets.FullDllName, KLDR_DATA_TABLE_ENTRY.offsets.BaseDllName]) {
      const at = m.ldrEntry + BigInt(field);
      if (!mem.isResident(at, UNICODE_STRING64.size)) continue;
      const name = UNICODE_STRING64.decode(mem.read(at, UNICODE_STRING64.size));
      add(name.Buffer, Math.min(name.MaximumLength, NAME_LIMIT));
    }
  }
  add(run.k.reasonData, 0x100);
  add(run.k.inBuffer, Math.max(run.k.inBufferLength, 1));
  const dumpIo = run.k.dumpIoBufferIfAllocated();
  if (dumpIo) add(dumpIo.address, dumpIo.size);
  const size = KDDEBUGGER_DATA64.decode(mem.read(machine.kdbg, KDDEBUGGER_DATA64.size)).SizePrcb || 0xaf00;
  for (const p of machine.processors) add(p.prcb, size);
  const cpu = run.k.runner.processor;
  if (cpu) add(cpu.stackLimit, cpu.stackBase - cpu.stackLimit);
  frames = out;
  cache.set(run, frames);
  return frames;
}
