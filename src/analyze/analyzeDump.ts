import {
  BugcheckError,
  CONTEXT_AMD64,
  DumpFileAttribute,
  EXCEPTION_RECORD64,
  ImageFileMachine,
  TriageDumpField,
  flagNames,
  isPageFiller,
} from '../format/index.js';
import type { CrashDump, DumpProblem, TriageModule } from '../dump/reader/index.js';
import type { BugCheckJson, DumpAnalysis, FaultingModuleJson, ProblemJson } from './analysis.js';
import { BUG_CHECK_M_VARIANT_BIT, describeBugCheckParameters, bugCheckName } from './bugcodes.js';
import { contextJson, decodeContext, decodeExceptionRecord, exceptionJson } from './context.js';
import { readModelDiagnostics } from './diagnostics.js';
import { exceptionCodeName } from './exceptionCodes.js';
import { debuggerModuleName, findModule, moduleOffsetText } from './modules.js';
import { jsonHex } from './text.js';
import { fileTimeToIso, formatUptime, uptimeSeconds } from './time.js';

/** Codes (base form) whose P1 is an exception code and P2 the address that raised it. */
const EXCEPTION_BUGCHECKS = new Set([0x1e, 0x3b, 0x7e, 0x8e]);
/**
 * Parameter meanings (bugcodes.ts names) that are the address of the code at
 * fault, e.g. 0xD1/0xA P4, 0x50 P3: such a parameter names the culprit more
 * directly than the crash context, whose Rip is in KeBugCheckEx.
 */
const FAULTING_ADDRESS_MEANINGS = new Set(['Faulting instruction', 'Exception address']);
/** Codes (base form) whose parameters point at an EXCEPTION_RECORD and/or a CONTEXT in memory (1-based parameter numbers). */
/** BugCheckParameterN (1-based) of the header's four. */
function parameter(parameters: readonly [bigint, bigint, bigint, bigint], n: 1 | 2 | 3 | 4): bigint {
  return parameters[(n - 1) as 0 | 1 | 2 | 3];
}

const RECORD_POINTERS: ReadonlyMap<number, { exceptionRecord?: 1 | 2 | 3 | 4; context?: 1 | 2 | 3 | 4 }> = new Map([
  [0x7e, { exceptionRecord: 3, context: 4 }],
  [0x3b, { context: 3 }],
]);

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

/** The first address, in order of how directly it names the culprit, that falls in a loaded module. */
function faultingModule(
  candidates: readonly { source: string; address: bigint }[],
  modules: readonly TriageModule[],
): FaultingModuleJson | undefined {
  for (const c of candidates) {
    const m = findModule(modules, c.address);
    if (m === undefined) continue;
    return {
      name: debuggerModuleName(m.name),
      image: m.name,
      base: jsonHex(m.base),
      end: jsonHex(m.base + BigInt(m.size)),
      address: jsonHex(c.address),
      offset: jsonHex(c.address - m.base),
      symbol: moduleOffsetText(m, c.address),
      source: c.source,
    };
  }
  return undefined;
}

/** Bytes at `va` when the dump holds all of them; a reader error becomes a problem instead of ending the analysis. */
async function readFully(
  dump: CrashDump,
  va: bigint,
  length: number,
  problems: DumpProblem[],
): Promise<Uint8Array | undefined> {
  try {
    const read = await dump.readVirtual(va, length);
    return read.complete ? read.bytes : undefined;
  } catch (err) {
    if (!(err instanceof BugcheckError)) throw err;
    problems.push({ code: err.code, severity: 'warning', message: err.message });
    return undefined;
  }
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
 * What WinDbg's `!analyze -v` would tell about a dump, as far as the dump
 * itself can tell it without symbols: bug check and parameter meanings,
 * system facts from the header, the crashing context, the faulting module
 * (module+offset), exception record/context the parameters point at,
 * secondary data, and every problem the reader or the analysis found.
 * Reading stops at nothing short of an unreadable header: whatever cannot
 * be read becomes a problem in the result.
 */
export async function analyzeDump(dump: CrashDump): Promise<DumpAnalysis> {
  const h = dump.header;
  const own: DumpProblem[] = [];

  const moduleList = await dump.modules();
  const modules = moduleList.loaded;
  const secondary = await dump.secondaryData();

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

  if (dump.context !== undefined) analysis.context = contextJson(dump.context, 'header ContextRecord');
  if (dump.exception !== undefined) analysis.exception = exceptionJson(dump.exception, 'header Exception', modules);

  // Structures the bug check parameters point at, read like `.exr` / `.cxr` would.
  const pointers = RECORD_POINTERS.get(baseCode(h.bugCheckCode));
  if (pointers !== undefined && dump.machine.type === ImageFileMachine.AMD64 && h.is64) {
    if (pointers.exceptionRecord !== undefined) {
      const va = parameter(h.bugCheckParameters, pointers.exceptionRecord);
      const read = await readFully(dump, va, EXCEPTION_RECORD64.size, own);
      if (read !== undefined)
        analysis.bugCheckExceptionRecord = exceptionJson(
          decodeExceptionRecord(read),
          `BugCheckParameter${pointers.exceptionRecord}`,
          modules,
          va,
        );
      else
        own.push({
          code: 'ANALYZE_NOT_IN_DUMP',
          severity: 'warning',
          message: `the EXCEPTION_RECORD at ${jsonHex(va)} (BugCheckParameter${pointers.exceptionRecord}) is not in the dump`,
        });
    }
    if (pointers.context !== undefined) {
      const va = parameter(h.bugCheckParameters, pointers.context);
      const read = await readFully(dump, va, CONTEXT_AMD64.size, own);
      if (read !== undefined)
        analysis.bugCheckContext = contextJson(decodeContext(read), `BugCheckParameter${pointers.context}`, va);
      else
        own.push({
          code: 'ANALYZE_NOT_IN_DUMP',
          severity: 'warning',
          message: `the CONTEXT at ${jsonHex(va)} (BugCheckParameter${pointers.context}) is not in the dump`,
        });
    }
  }

  const candidates: { source: string; address: bigint }[] = [];
  if (EXCEPTION_BUGCHECKS.has(baseCode(h.bugCheckCode)))
    candidates.push({ source: 'BugCheckParameter2', address: h.bugCheckParameters[1] });
  bugCheck.parameterMeanings?.forEach((m, i) => {
    const source = `BugCheckParameter${i + 1}`;
    if (FAULTING_ADDRESS_MEANINGS.has(m.name) && !candidates.some((c) => c.source === source))
      candidates.push({ source, address: h.bugCheckParameters[i]! });
  });
  if (analysis.bugCheckExceptionRecord !== undefined)
    candidates.push({
      source: 'EXCEPTION_RECORD.ExceptionAddress',
      address: BigInt(analysis.bugCheckExceptionRecord.exceptionAddress),
    });
  if (analysis.bugCheckContext !== undefined)
    candidates.push({
      source: `${analysis.bugCheckContext.source} CONTEXT.Rip`,
      address: BigInt(analysis.bugCheckContext.rip),
    });
  if (dump.context !== undefined) candidates.push({ source: 'ContextRecord.Rip', address: dump.context.Rip });
  for (const [i, p] of h.bugCheckParameters.entries())
    candidates.push({ source: `BugCheckParameter${i + 1}`, address: p });
  const culprit = faultingModule(candidates, modules);
  if (culprit !== undefined) analysis.faultingModule = culprit;

  if (dump.triage !== undefined) {
    const t = dump.triage;
    analysis.triage = {
      drivers: t.drivers.length,
      unloadedDrivers: t.unloadedDrivers.length,
      dataBlocks: t.dataBlocks.length,
      dataBlockBytes: t.dataBlocks.reduce((sum, b) => sum + b.size, 0),
      topOfStack: jsonHex(t.stack.topOfStack),
      stackBytes: t.stack.size,
      miniDumpFields: flagNames(h.miniDumpFields, TriageDumpField),
    };
  }

  const modelDiagnostics = await readModelDiagnostics(dump, secondary, own);
  if (modelDiagnostics !== undefined) analysis.modelDiagnostics = modelDiagnostics;

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
  'context',
  'exception',
  'bugCheckExceptionRecord',
  'bugCheckContext',
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
