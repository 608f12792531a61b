import {
  BugcheckError,
  CONTEXT_ARM64,
  DUMP_HEADER64,
  DumpFileAttribute,
  EXCEPTION_RECORD64,
  TriageDumpField,
  flagNames,
  isPageFiller,
  type KdDebuggerData64,
} from '../format/index.js';
import type { CrashDump, DumpProblem, ModuleList, SecondaryDataScan, TriageModule } from '../dump/reader/index.js';
import type { BugCheckJson, DumpAnalysis, FaultingModuleJson, ProblemJson, StackFrameJson } from './analysis.js';
import { bucketId, failureBucketId } from './bucket.js';
import { BUG_CHECK_M_VARIANT_BIT, describeBugCheckParameters, bugCheckName } from './bugcodes.js';
import {
  type Architecture,
  type MachineContext,
  architectureOf,
  contextSize,
  decodeExceptionRecord,
  decodeMachineContext,
  exceptionJson,
  machineContextJson,
} from './context.js';
import { findCrashState } from './crashState.js';
import { readModelDiagnostics } from './diagnostics.js';
import { exceptionCodeName } from './exceptionCodes.js';
import { EXCEPTION_BUGCHECKS, faultingIpParameter, memoryAccess } from './facts.js';
import { DumpMemory } from './memory.js';
import { debuggerModuleName, findModule, moduleOffsetText } from './modules.js';
import { ImageCatalog } from './pe.js';
import { STACK_DEFAULT_SPAN, STACK_MAX_SPAN, type StackFrame, walkStack } from './stack.js';
import { bucketFunction, type CodeSymbol, symbolize } from './symbols.js';
import { jsonHex } from './text.js';
import { fileTimeToIso, formatUptime, uptimeSeconds } from './time.js';

/** Codes (base form) whose parameters point at an EXCEPTION_RECORD and/or a CONTEXT in memory (1-based parameter numbers). */
const RECORD_POINTERS: ReadonlyMap<number, { exceptionRecord?: 1 | 2 | 3 | 4; context?: 1 | 2 | 3 | 4 }> = new Map([
  [0x7e, { exceptionRecord: 3, context: 4 }],
  [0x3b, { context: 3 }],
]);
/** WinDbg module names of the kernel proper: the first frame outside them names the culprit. */
const KERNEL_MODULES = new Set(['nt', 'hal']);

function baseCode(code: number): number {
  return (code & ~BUG_CHECK_M_VARIANT_BIT) >>> 0;
}

function problemJson(p: DumpProblem): ProblemJson {
  const out: ProblemJson = { code: p.code, severity: p.severity, message: p.message };
  if (p.structure !== undefined) out.structure = p.structure;
  if (p.offset !== undefined) out.offset = jsonHex(p.offset);
  return out;
}

function buildTypeName(major: number): string {
  if (major === 0xf) return 'Free';
  if (major === 0xc) return 'Checked';
  return `unknown (${jsonHex(major)})`;
}

function bugCheckJson(
  code: number,
  parameters: readonly [bigint, bigint, bigint, bigint],
  modules: readonly TriageModule[],
): BugCheckJson {
  const out: BugCheckJson = {
    code: jsonHex(code >>> 0),
    name: bugCheckName(code),
    parameters: [jsonHex(parameters[0]), jsonHex(parameters[1]), jsonHex(parameters[2]), jsonHex(parameters[3])],
  };
  const described = describeBugCheckParameters(code, parameters);
  if (described?.info.summary !== undefined) out.summary = described.info.summary;
  if (described?.meanings !== undefined) {
    const m = described.meanings;
    out.parameterMeanings = [
      { name: m[0].name, meaning: m[0].meaning },
      { name: m[1].name, meaning: m[1].meaning },
      { name: m[2].name, meaning: m[2].meaning },
      { name: m[3].name, meaning: m[3].meaning },
    ];
  }
  if (described?.selected !== undefined) {
    out.case = {
      parameter: described.selected.parameter,
      value: jsonHex(described.selected.value),
      description: described.selected.info.description,
    };
  }
  const symbols = parameters.map((p) => {
    const m = findModule(modules, p);
    return m === undefined ? null : moduleOffsetText(m, p);
  });
  if (symbols.some((s) => s !== null)) out.parameterSymbols = symbols;
  if (EXCEPTION_BUGCHECKS.has(baseCode(code))) {
    const exceptionCode: { code: string; name?: string } = { code: jsonHex(BigInt.asUintN(32, parameters[0])) };
    const name = exceptionCodeName(parameters[0]);
    if (name !== undefined) exceptionCode.name = name;
    out.exceptionCode = exceptionCode;
  }
  return out;
}

function faultingModuleJson(s: CodeSymbol, address: bigint, source: string): FaultingModuleJson | undefined {
  const m = s.module;
  if (m === undefined) return undefined;
  return {
    name: debuggerModuleName(m.name),
    image: m.name,
    base: jsonHex(m.base),
    end: jsonHex(m.base + BigInt(m.size)),
    address: jsonHex(address),
    offset: jsonHex(address - m.base),
    symbol: s.symbol,
    source,
    function: bucketFunction(s),
  };
}

function dedupe(problems: readonly DumpProblem[]): DumpProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.code}\u0000${p.message}\u0000${p.offset ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Runs one step of the analysis; a DumpError (or any BugcheckError) from a
 * hostile field becomes a problem naming what was being read and where,
 * and the analysis goes on with `fallback`.
 */
async function guarded<T>(
  problems: DumpProblem[],
  what: { message: string; structure: string; offset?: number },
  fallback: T,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof BugcheckError)) throw err;
    const p: DumpProblem = {
      code: err.code,
      severity: 'error',
      structure: what.structure,
      message: `${what.message}: ${err.message}`,
    };
    if (what.offset !== undefined) p.offset = BigInt(what.offset);
    problems.push(p);
    return fallback;
  }
}

/** The header's ContextRecord, decoded for the dump's architecture. */
async function headerContextOf(dump: CrashDump, arch: Architecture | undefined): Promise<MachineContext | undefined> {
  if (arch === 'AMD64') return dump.context === undefined ? undefined : { arch, raw: dump.context };
  if (arch !== 'ARM64' || !dump.header.is64) return undefined;
  const at = BigInt(DUMP_HEADER64.offsets.ContextRecord);
  if (at + BigInt(CONTEXT_ARM64.size) > dump.fileSize) return undefined;
  return decodeMachineContext(arch, await dump.readRaw(at, CONTEXT_ARM64.size));
}

/** Upper end of the stack walk: the thread's StackBase when plausible, the triage stack copy's end, else a fixed span. */
function stackEnd(dump: CrashDump, sp: bigint, stackBase: string | undefined): bigint {
  const t = dump.triage;
  if (t !== undefined && sp >= t.stack.topOfStack && sp < t.stack.topOfStack + BigInt(t.stack.size))
    return t.stack.topOfStack + BigInt(t.stack.size);
  if (stackBase !== undefined) {
    const base = BigInt(stackBase);
    if (base > sp && base - sp <= STACK_MAX_SPAN) return base;
  }
  return sp + STACK_DEFAULT_SPAN;
}

/**
 * What WinDbg's `!analyze -v` would tell about a dump, as far as the dump
 * itself can tell it without symbol files: bug check and parameter
 * meanings, system facts from the header, the crashing processor's
 * registers (KPRCB.Context) and the header's `.cxr` context, the stack,
 * PROCESS_NAME, READ/WRITE_ADDRESS, FAULTING_IP and the module it blames,
 * the bucket ids, exception record/context the parameters point at,
 * secondary data, and every problem the reader or the analysis found.
 * Reading stops at nothing short of an unreadable header: whatever cannot
 * be read — a hostile pointer included — becomes a problem in the result.
 */
export async function analyzeDump(dump: CrashDump): Promise<DumpAnalysis> {
  const h = dump.header;
  const own: DumpProblem[] = [];
  const headerOffsets = DUMP_HEADER64.offsets;

  const moduleList = await guarded<ModuleList>(
    own,
    {
      message: `the loaded-module list (DUMP_HEADER64.PsLoadedModuleList ${jsonHex(h.psLoadedModuleList)}) could not be walked`,
      structure: 'DUMP_HEADER64.PsLoadedModuleList',
      offset: headerOffsets.PsLoadedModuleList,
    },
    { loaded: [], unloaded: [], problems: [] },
    () => dump.modules(),
  );
  const modules = moduleList.loaded;
  const secondary = await guarded<SecondaryDataScan>(
    own,
    { message: 'the secondary data area could not be read', structure: 'DUMP_BLOB_FILE_HEADER' },
    { areaOffset: undefined, buildNumber: undefined, blobs: [], problems: [], endsAtEof: false },
    () => dump.secondaryData(),
  );
  const kd = await guarded<KdDebuggerData64 | undefined>(
    own,
    {
      message: `KDDEBUGGER_DATA64 (DUMP_HEADER64.KdDebuggerDataBlock ${jsonHex(h.kdDebuggerDataBlock)}) could not be read`,
      structure: 'DUMP_HEADER64.KdDebuggerDataBlock',
      offset: headerOffsets.KdDebuggerDataBlock,
    },
    undefined,
    () => dump.kdDebuggerData(),
  );

  const bugCheck = bugCheckJson(h.bugCheckCode, h.bugCheckParameters, modules);
  if (bugCheck.name.startsWith('UNKNOWN_')) {
    own.push({
      code: 'ANALYZE_UNKNOWN_BUGCHECK',
      severity: 'warning',
      message: `bug check code ${bugCheck.code} is not in the public bug check code reference`,
    });
  }

  const analysis: DumpAnalysis = {
    file: dump.path,
    fileSize: Number(dump.fileSize),
    dumpType: dump.dumpType,
    dumpTypeName: dump.dumpTypeName,
    is64: h.is64,
    machine: dump.machine.name,
    machineType: jsonHex(dump.machine.type),
    processors: h.numberProcessors,
    build: h.minorVersion,
    majorVersion: h.majorVersion,
    buildType: buildTypeName(h.majorVersion),
    productType: h.productType,
    body: { kind: dump.body.kind },
    bugCheck,
    modules: { loaded: modules.length, unloaded: moduleList.unloaded.length },
    secondaryData: secondary.blobs.map((b) => ({ guid: b.guid, size: b.size })),
    secondaryDataSummary: {
      count: secondary.blobs.length,
      totalBytes: secondary.blobs.reduce((sum, b) => sum + b.size, 0),
    },
    problems: [],
  };
  if (dump.body.kind === 'none') analysis.body.reason = dump.body.reason;
  else analysis.body.end = jsonHex(dump.body.end);
  if (secondary.areaOffset !== undefined) analysis.secondaryDataSummary.areaOffset = jsonHex(secondary.areaOffset);

  const systemTime = fileTimeToIso(h.systemTime);
  if (systemTime !== undefined) analysis.systemTime = systemTime;
  if (!isPageFiller(h.systemUpTime))
    analysis.systemUpTime = { seconds: uptimeSeconds(h.systemUpTime), text: formatUptime(h.systemUpTime) };
  if (!isPageFiller(h.attributes)) analysis.attributes = flagNames(h.attributes, DumpFileAttribute);

  const arch = h.is64 ? architectureOf(dump.machine.type) : undefined;
  const memory = new DumpMemory(dump, own);
  const headerContext = await guarded(
    own,
    {
      message: 'the header ContextRecord could not be read',
      structure: 'DUMP_HEADER64.ContextRecord',
      offset: headerOffsets.ContextRecord,
    },
    undefined,
    () => headerContextOf(dump, arch),
  );
  if (headerContext !== undefined)
    analysis.headerContext = machineContextJson(headerContext, { source: 'header ContextRecord' });
  if (dump.exception !== undefined) analysis.exception = exceptionJson(dump.exception, 'header Exception', modules);

  // The crashing processor: KPRCB.Context (the registers WinDbg shows), current thread, process, stack bounds.
  const crash =
    arch === undefined
      ? undefined
      : await guarded(own, { message: 'the crashing processor could not be read', structure: 'KPRCB' }, undefined, () =>
          findCrashState({ dump, memory, arch, kd, headerContext, problems: own }),
        );
  const shown =
    crash?.prcbContext ??
    (headerContext === undefined ? undefined : { context: headerContext, origin: { source: 'header ContextRecord' } });
  if (shown !== undefined) analysis.context = machineContextJson(shown.context, shown.origin);
  if (crash !== undefined && Object.keys(crash.json).length > 0) analysis.crashState = crash.json;
  if (crash?.processName !== undefined) analysis.processName = crash.processName;

  // Structures the bug check parameters point at, read like `.exr` / `.cxr` would.
  let pointedContext: MachineContext | undefined;
  const pointers = RECORD_POINTERS.get(baseCode(h.bugCheckCode));
  if (pointers !== undefined && arch !== undefined) {
    if (pointers.exceptionRecord !== undefined) {
      const n = pointers.exceptionRecord;
      const va = h.bugCheckParameters[n - 1]!;
      const read = await memory.read(va, EXCEPTION_RECORD64.size);
      if (read !== undefined)
        analysis.bugCheckExceptionRecord = exceptionJson(
          decodeExceptionRecord(read),
          `BugCheckParameter${n}`,
          modules,
          va,
        );
      else
        own.push({
          code: 'ANALYZE_NOT_IN_DUMP',
          severity: 'warning',
          message: `the EXCEPTION_RECORD at ${jsonHex(va)} (BugCheckParameter${n}) is not in the dump`,
        });
    }
    if (pointers.context !== undefined) {
      const n = pointers.context;
      const va = h.bugCheckParameters[n - 1]!;
      const read = await memory.read(va, contextSize(arch));
      if (read !== undefined) {
        pointedContext = decodeMachineContext(arch, read);
        analysis.bugCheckContext = machineContextJson(pointedContext, { source: `BugCheckParameter${n}`, address: va });
      } else
        own.push({
          code: 'ANALYZE_NOT_IN_DUMP',
          severity: 'warning',
          message: `the CONTEXT at ${jsonHex(va)} (BugCheckParameter${n}) is not in the dump`,
        });
    }
  }

  // STACK_TEXT from the registers shown.
  const catalog = new ImageCatalog(memory, modules);
  const unwindData = arch === 'AMD64';
  let frames: StackFrame[] = [];
  if (shown !== undefined) {
    const sp = shown.context.arch === 'AMD64' ? shown.context.raw.Rsp : shown.context.raw.Sp;
    const known: { context: MachineContext; source: string }[] = [];
    if (pointedContext !== undefined) known.push({ context: pointedContext, source: analysis.bugCheckContext!.source });
    if (headerContext !== undefined && headerContext !== shown.context)
      known.push({ context: headerContext, source: 'header ContextRecord' });
    frames = await guarded(own, { message: 'the stack could not be walked', structure: 'STACK' }, [], () =>
      walkStack(catalog, shown.context, { stackEnd: stackEnd(dump, sp, crash?.json.stackBase), knownContexts: known }),
    );
  }
  const frameSymbols: CodeSymbol[] = [];
  for (const f of frames) frameSymbols.push(await symbolize(catalog, f.pc, unwindData));
  if (frames.length > 0) {
    analysis.stack = frames.map((f, i): StackFrameJson => {
      const s = frameSymbols[i]!;
      const next = frames[i + 1];
      const out: StackFrameJson = {
        frame: i,
        sp: jsonHex(f.sp),
        pc: jsonHex(f.pc),
        returnAddress: next === undefined ? null : jsonHex(next.pc),
        module: s.moduleName,
        symbol: s.symbol,
        offset: s.offset === undefined ? null : jsonHex(s.offset),
        method: f.method,
      };
      if (f.callSite !== undefined) out.callSite = f.callSite;
      if (f.contextSource !== undefined) out.contextSource = f.contextSource;
      return out;
    });
  }

  // FAULTING_IP / MODULE_NAME: the parameter the code documents as the faulting address, the pointed-at
  // exception address or CONTEXT pc, else the first frame outside the kernel, else the kernel.
  const candidates: { source: string; address: bigint }[] = [];
  const ipParameter = faultingIpParameter(h.bugCheckCode, h.bugCheckParameters);
  if (ipParameter !== undefined)
    candidates.push({ source: `BugCheckParameter${ipParameter}`, address: h.bugCheckParameters[ipParameter - 1]! });
  if (analysis.bugCheckExceptionRecord !== undefined)
    candidates.push({
      source: 'EXCEPTION_RECORD.ExceptionAddress',
      address: BigInt(analysis.bugCheckExceptionRecord.exceptionAddress),
    });
  if (pointedContext !== undefined)
    candidates.push({
      source: `${analysis.bugCheckContext!.source} CONTEXT.${pointedContext.arch === 'AMD64' ? 'Rip' : 'Pc'}`,
      address: pointedContext.arch === 'AMD64' ? pointedContext.raw.Rip : pointedContext.raw.Pc,
    });
  let culprit: FaultingModuleJson | undefined;
  for (const c of candidates) {
    if (catalog.moduleAt(c.address) === undefined) continue;
    culprit = faultingModuleJson(await symbolize(catalog, c.address, unwindData), c.address, c.source);
    if (culprit !== undefined) break;
  }
  if (culprit === undefined) {
    const i = frameSymbols.findIndex((s) => s.moduleName !== null && !KERNEL_MODULES.has(s.moduleName));
    if (i >= 0) culprit = faultingModuleJson(frameSymbols[i]!, frames[i]!.pc, `stack frame ${i}`);
  }
  if (culprit === undefined) {
    const i = frameSymbols.findIndex((s) => s.moduleName !== null);
    if (i >= 0) culprit = faultingModuleJson(frameSymbols[i]!, frames[i]!.pc, `kernel (stack frame ${i})`);
  }
  if (culprit !== undefined) analysis.faultingModule = culprit;

  const access = memoryAccess(h.bugCheckCode, h.bugCheckParameters, analysis.bugCheckExceptionRecord);
  if (access !== undefined) analysis.memoryAccess = access;

  if (dump.triage !== undefined) {
    const t = dump.triage;
    analysis.triage = {
      drivers: t.drivers.length,
      unloadedDrivers: t.unloadedDrivers.length,
      dataBlocks: t.dataBlockCount,
      dataBlockBytes: t.dataBlockBytes,
      topOfStack: jsonHex(t.stack.topOfStack),
      stackBytes: t.stack.size,
      miniDumpFields: flagNames(h.miniDumpFields, TriageDumpField),
    };
  }

  const modelDiagnostics = await guarded(
    own,
    { message: 'the model diagnostics block could not be read', structure: 'ModelDiagnostics' },
    undefined,
    () => readModelDiagnostics(dump, secondary, own),
  );
  if (modelDiagnostics !== undefined) analysis.modelDiagnostics = modelDiagnostics;

  analysis.failureBucketId = failureBucketId(analysis);
  analysis.bucketId = bucketId(analysis);
  analysis.problems = dedupe([...dump.problems, ...moduleList.problems, ...secondary.problems, ...own]).map(
    problemJson,
  );
  analysis.bugCheck = ordered(analysis.bugCheck, BUGCHECK_KEYS);
  return ordered(analysis, ANALYSIS_KEYS);
}

/** JSON member order, as documented in analysis.ts and src/cli/README.md (insertion order is what JSON.stringify prints). */
const ANALYSIS_KEYS: readonly (keyof DumpAnalysis)[] = [
  'file',
  'fileSize',
  'dumpType',
  'dumpTypeName',
  'is64',
  'machine',
  'machineType',
  'processors',
  'build',
  'majorVersion',
  'buildType',
  'productType',
  'systemTime',
  'systemUpTime',
  'attributes',
  'body',
  'bugCheck',
  'faultingModule',
  'processName',
  'memoryAccess',
  'failureBucketId',
  'bucketId',
  'context',
  'headerContext',
  'exception',
  'bugCheckExceptionRecord',
  'bugCheckContext',
  'crashState',
  'stack',
  'modules',
  'triage',
  'secondaryData',
  'secondaryDataSummary',
  'modelDiagnostics',
  'problems',
];
const BUGCHECK_KEYS: readonly (keyof BugCheckJson)[] = [
  'code',
  'name',
  'summary',
  'parameters',
  'parameterMeanings',
  'case',
  'parameterSymbols',
  'exceptionCode',
];

function ordered<T extends object>(value: T, keys: readonly (keyof T)[]): T {
  const out: Partial<T> = {};
  for (const k of keys) if (value[k] !== undefined) out[k] = value[k];
  return out as T;
}
