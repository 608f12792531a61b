import { z } from 'zod';
import { KE_MAX_TRIAGE_DUMP_DATA_MEMORY_SIZE } from '../format/index.js';
import type { DumpSettings } from './crashDumpTarget.js';
import { KernelError } from './errors.js';

/**
 * Every knob the public documentation leaves open ([GAP] in callbacks.md) is a
 * setting here; docs/model.md gives the default chosen for each and why.
 */
const crashDumpKind = z.enum(['complete', 'kernel', 'small']);
const dumpKinds = z.array(crashDumpKind).max(3);

const u32 = z.number().int().min(0).max(0xffffffff);

export const kernelSettingsSchema = z
  .object({
    dump: z
      .object({
        /** false = crash dumps disabled: no reason callback runs, only the legacy ones. */
        enabled: z.boolean().default(true),
        kind: crashDumpKind.default('kernel'),
        completeFormat: z.enum(['bitmap', 'runs']).default('bitmap'),
        path: z.string().min(1).default('MEMORY.DMP'),
        /** Largest single write; one KbCallbackDumpIo call per write. */
        ioChunkBytes: z.number().int().min(0x200).max(0x4000000).default(0x100000),
        /** Append bugcheck's own model-diagnostics block (violations, callback outcomes) as the last secondary block. */
        modelDiagnostics: z.boolean().default(true),
      })
      .strict()
      .default({}),
    secondaryData: z
      .object({
        /** Size of the system buffer handed to every secondary callback as InBuffer. */
        inBufferLength: z.number().int().min(0).max(0x1000000).default(0x1000),
        /** MaximumAllowed: the most bytes one callback call may contribute. */
        maximumAllowed: u32.max(0x10000000).default(0x2000000),
        /** What happens to a block whose OutBufferLength exceeds MaximumAllowed. */
        overLimitPolicy: z.enum(['truncate', 'drop']).default('truncate'),
        /** A data-pass call that returns OutBufferLength 0: still write an empty tagged block, or skip it. */
        emptyBlocks: z.enum(['write', 'skip']).default('write'),
        /** Upper bound on KbCallbackSecondaryMultiPartDumpData calls per record (ADDITIONAL_DATA loop). */
        multiPartMaxParts: z.number().int().min(1).max(0x10000).default(256),
        /**
         * Room of the secondary data area reserved, before the dump is written, for every multi-part record together
         * (blob headers included); each part's MaximumAllowed is capped by what is left of it. Part of RequiredDumpSpace.
         */
        multiPartAreaBytes: z.number().int().min(0).max(0x40000000).default(0x200000),
      })
      .strict()
      .default({}),
    pages: z
      .object({
        /** Upper bound on calls per add/remove-pages record (ADDITIONAL_RANGES_EXIST loop). */
        maxRanges: z.number().int().min(1).max(0x100000).default(1024),
        /** Upper bound on pages one record may add or remove in total. */
        maxPagesPerCallback: z.number().int().min(1).max(0x10000000).default(0x40000),
        addPagesDumpKinds: dumpKinds.default(['complete', 'kernel']),
        removePagesDumpKinds: dumpKinds.default(['complete', 'kernel']),
      })
      .strict()
      .default({}),
    triage: z
      .object({
        dumpKinds: dumpKinds.default(['small', 'kernel', 'complete']),
        /** MaxVirtMemSize offered to the triage callbacks. */
        maxVirtMemSize: u32.max(KE_MAX_TRIAGE_DUMP_DATA_MEMORY_SIZE).default(KE_MAX_TRIAGE_DUMP_DATA_MEMORY_SIZE),
        /** 'per-callback': every record is offered the whole maxVirtMemSize (ntoskrnl); 'shared': what the records before it left. */
        budget: z.enum(['per-callback', 'shared']).default('per-callback'),
        /** KeAddTriageDumpDataBlock with Size 0: STATUS_SUCCESS, nothing added (ntoskrnl), or STATUS_INVALID_PARAMETER. */
        zeroSizeBlock: z.enum(['success', 'invalid-parameter']).default('success'),
        /** Most KADDRESS_RANGE blocks read from one returned array (hostile NumBlocksUsed). */
        maxBlocksPerArray: z.number().int().min(1).max(0x100000).default(0x10000),
      })
      .strict()
      .default({}),
    /**
     * Where registration links a record: 'lifo' at the list head (the last registered is called first), triage
     * records at the tail, as ntoskrnl does; 'fifo' every record at the tail (ReactOS).
     */
    callbackOrder: z.enum(['fifo', 'lifo']).default('lifo'),
    /** AddPages/RemovePages records on their own KeBugCheckAddRemovePagesCallbackListHead (ntoskrnl), or on the reason list. */
    addRemovePagesList: z.enum(['separate', 'shared']).default('separate'),
    /**
     * Wall-clock budget of one record's calls in one step of the bug check (0: no watchdog). A routine still running
     * when it is spent is stopped and reported as a `timeout` violation; see docs/model.md.
     */
    routineTimeoutMs: z.number().int().min(0).max(600_000).default(5000),
    /**
     * KBUGCHECK_DUMP_IO.Offset: the writer's file offset ('file-offset'), or -1 for every write that continues
     * the previous one ('sequential'; a write out of order keeps its real offset, so it can still be placed).
     */
    dumpIoOffsets: z.enum(['file-offset', 'sequential']).default('file-offset'),
  })
  .strict();

export type KernelSettings = z.output<typeof kernelSettingsSchema>;
/** What callers may pass: every field optional, defaults filled in. */
export type KernelSettingsInput = z.input<typeof kernelSettingsSchema>;

export function parseKernelSettings(input: unknown = {}): KernelSettings {
  const parsed = kernelSettingsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new KernelError('E_KERNEL_SETTINGS', `invalid kernel settings: ${issues.join('; ')}`, { issues });
  }
  return parsed.data;
}

export function defaultKernelSettings(): KernelSettings {
  return parseKernelSettings({});
}

/** The part of the settings the dump writer receives. */
export function dumpSettingsOf(settings: KernelSettings): DumpSettings {
  const { kind, completeFormat, path, ioChunkBytes } = settings.dump;
  return { kind, completeFormat, path, ioChunkBytes };
}
