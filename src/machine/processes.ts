import { BlockWriter } from './blockWriter.js';
import { EPROCESS_BLOCK_SIZE } from './layout.js';
import { EPROCESS_OFFSETS as E, KTHREAD_OFFSETS as T, ProcessObject } from './ntStructures.js';
import type { SeededRandom } from './random.js';
import type { VirtualMemory } from './virtualMemory.js';

/** Links of one entry of a circular doubly linked list. */
export interface Links {
  flink: bigint;
  blink: bigint;
}

/** Flink/Blink of a list head and of each entry (entry addresses are the LIST_ENTRY fields themselves), in order. */
export function circularLinks(head: bigint, entries: readonly bigint[]): { head: Links; entries: Links[] } {
  if (entries.length === 0) return { head: { flink: head, blink: head }, entries: [] };
  return {
    head: { flink: entries[0]!, blink: entries[entries.length - 1]! },
    entries: entries.map((_, i) => ({
      flink: i + 1 < entries.length ? entries[i + 1]! : head,
      blink: i > 0 ? entries[i - 1]! : head,
    })),
  };
}

export interface ProcessSpec {
  eprocess: bigint;
  processId: number;
  parentId: number;
  imageFileName: string;
  directoryTableBase: bigint;
  /** ActiveProcessLinks neighbours (the Idle process is not on the list: its own address both ways). */
  activeLinks: Links;
  /** ETHREADs of its threads, in creation order. */
  threads: readonly bigint[];
  createTime: bigint;
  processors: number;
  /** EPROCESS.ObjectTable (a HANDLE_TABLE) or 0. */
  objectTable: bigint;
  /** EPROCESS.Token as an EX_FAST_REF value, or 0. */
  token: bigint;
  /** EPROCESS.QuotaBlock (PspDefaultQuotaBlock for kernel processes). */
  quotaBlock: bigint;
}

/**
 * Writes an EPROCESS (0xA40 bytes, the 19041 layout) for a kernel process:
 * the KPROCESS part (dispatcher header, DirectoryTableBase, thread list,
 * affinity, ready list, priorities, times) and the executive part
 * (UniqueProcessId, ActiveProcessLinks, flags, create time, sizes, token,
 * object table, ImageFileName, thread list and count, list heads).
 */
export function writeProcess(memory: VirtualMemory, random: SeededRandom, p: ProcessSpec): void {
  const w = new BlockWriter(p.eprocess, EPROCESS_BLOCK_SIZE);
  const all = (1n << BigInt(p.processors)) - 1n;
  w.dispatcherHeader(E.Type, ProcessObject, 0);
  w.listHead(E.ProfileListHead);
  w.u64(E.DirectoryTableBase, p.directoryTableBase);
  const kthreads = circularLinks(
    p.eprocess + BigInt(E.KThreadListHead),
    p.threads.map((t) => t + BigInt(T.ThreadListEntry)),
  );
  w.link(E.KThreadListHead, kthreads.head.flink, kthreads.head.blink);
  // KAFFINITY_EX Affinity and ActiveProcessors: Count 1, Size 20, one bitmap word.
  for (const at of [E.Affinity, E.ActiveProcessors])
    w.u16(at, 1)
      .u16(at + 2, 20)
      .u64(at + 8, all);
  w.listHead(E.ReadyListHead);
  w.u32(E.ProcessFlags, 0);
  w.u8(E.BasePriority, 8);
  w.u8(E.QuantumReset, 6);
  w.u64(E.CycleTime, BigInt(0x1_0000_0000 + random.below(0x1000_0000)));
  w.u32(E.KernelTime, 0x100 + random.below(0x1000));
  w.listHead(E.ProcessListEntry);
  w.u64(E.UniqueProcessId, BigInt(p.processId));
  w.link(E.ActiveProcessLinks, p.activeLinks.flink, p.activeLinks.blink);
  w.u32(E.Flags2, 0xd000);
  w.u32(E.Flags, p.processId === 0 ? 0x0004_0000 : 0x1484_0c00);
  w.u64(E.CreateTime, p.createTime);
  w.u64(E.PeakVirtualSize, p.processId === 0 ? 0n : 0xc8_3000n);
  w.u64(E.VirtualSize, p.processId === 0 ? 0n : 0x85_d000n);
  w.listHead(E.SessionProcessLinks);
  w.u64(E.Token, p.token);
  w.u64(E.NumberOfPrivatePages, p.processId === 0 ? 0n : 0x1an);
  w.u64(E.InheritedFromUniqueProcessId, 0n);
  w.u32(0x528, random.nextU32()); // Cookie
  w.u64(E.QuotaBlock, p.quotaBlock);
  w.u64(E.ObjectTable, p.objectTable);
  w.ascii(E.ImageFileName, p.imageFileName.slice(0, 14));
  w.u8(E.PriorityClass, 2);
  w.listHead(E.JobLinks);
  w.u64(E.HighestUserAddress, 0x7fff_ffff_0000n);
  const ethreads = circularLinks(
    p.eprocess + BigInt(E.ThreadListHead),
    p.threads.map((t) => t + BigInt(T.EThreadListEntry)),
  );
  w.link(E.ThreadListHead, ethreads.head.flink, ethreads.head.blink);
  w.u32(E.ActiveThreads, p.threads.length);
  w.u32(0x5f4, p.processId === 0 ? 0 : random.nextU32()); // ImagePathHash
  w.u32(0x5fc, 0xc000_000f); // LastThreadExitStatus
  // Vm (MMSUPPORT_FULL): PageFaultCount, WorkingSetExpansionLinks, working set sizes, flags.
  w.u32(0x684, 0x75a3 + random.below(0x100));
  w.listHead(0x698);
  w.u64(0x6f0, 0x32n).u64(0x718, 0x159n);
  w.u32(0x738, 0x1); // Vm.Instance.Flags
  w.u32(0x7d4, 0x103); // ExitStatus: STATUS_PENDING
  w.u64(E.VadCount, p.processId === 0 ? 0n : 0x4n);
  w.u64(E.ReadOperationCount, BigInt(random.below(0x1000)));
  w.u64(E.CommitCharge, 0x34n);
  w.u64(E.CommitChargePeak, 0x38n);
  w.u64(E.VmWorkingSetSize, BigInt(0x6b0 + random.below(0x100)));
  w.u64(E.VmPeakWorkingSetSize, 0x75a3n);
  w.listHead(E.MmProcessLinks);
  w.listHead(E.AlpcContextViewListHead);
  w.listHead(E.TimerResolutionLink);
  w.u32(E.ActiveThreadsHighWatermark, p.threads.length);
  if (p.processId !== 0) {
    w.u8(E.SignatureLevel, 0x1e);
    w.u8(E.SectionSignatureLevel, 0x1c);
    w.u8(E.Protection, 0x72); // PsProtectedSignerWinSystem, protected
    w.u32(E.Flags3, 0x1000); // SystemProcess
  }
  w.listHead(E.SvmProcessDeviceListHead);
  w.u64(E.SequenceNumber, BigInt(p.processId === 0 ? 0 : 1));
  w.u64(E.CreateInterruptTime, p.processId === 0 ? 0n : BigInt(0x1a_f160d));
  w.listHead(E.SharedCommitLinks);
  w.listHead(E.VirtualTimerListHead);
  memory.writeUnguarded(p.eprocess, w.bytes);
}
