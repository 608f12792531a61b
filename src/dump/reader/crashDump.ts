import type { ContextAmd64, ExceptionRecord64, KdDebuggerData64 } from '../../format/index.js';
import { DumpError } from './errors.js';
import type {
  DumpBody,
  DumpHeaderInfo,
  DumpProblem,
  MemoryRead,
  ModuleList,
  OpenDumpOptions,
  SecondaryDataBlob,
  SecondaryDataScan,
  Translation,
  TriageInfo,
} from './types.js';

// Contract skeleton: the implementation lands in the following commits.
function pending(): never {
  throw new DumpError('E_DUMP_UNSUPPORTED', 'dump reader: not implemented yet');
}

export class CrashDump {
  readonly path: string = '';
  readonly fileSize: bigint = 0n;
  readonly header!: DumpHeaderInfo;
  readonly dumpType: number = 0;
  readonly dumpTypeName: string = '';
  readonly machine: { type: number; name: string } = { type: 0, name: '' };
  readonly context: ContextAmd64 | undefined;
  readonly exception: ExceptionRecord64 | undefined;
  readonly body!: DumpBody;
  readonly problems: DumpProblem[] = [];
  readonly triage: TriageInfo | undefined;

  private constructor() {}

  readPhysical(_pa: bigint, _length: number): Promise<MemoryRead> { return pending(); }
  readVirtual(_va: bigint, _length: number, _options?: { directoryTableBase?: bigint }): Promise<MemoryRead> { return pending(); }
  translate(_va: bigint, _options?: { directoryTableBase?: bigint }): Promise<Translation> { return pending(); }
  physicalPages(): AsyncIterable<{ pfn: bigint; fileOffset: bigint }> { return pending(); }
  secondaryData(): Promise<SecondaryDataScan> { return pending(); }
  readBlob(_blob: SecondaryDataBlob): Promise<Uint8Array> { return pending(); }
  modules(): Promise<ModuleList> { return pending(); }
  kdDebuggerData(): Promise<KdDebuggerData64 | undefined> { return pending(); }
  close(): Promise<void> { return pending(); }
}

export function openDump(_path: string, _options?: OpenDumpOptions): Promise<CrashDump> {
  return pending();
}
