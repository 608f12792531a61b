import { formatGuidBraced } from '../format/index.js';
import type { ContextJson, DumpAnalysis, ExceptionRecordJson, StackFrameJson } from './analysis.js';
import { memoryAccessLabel } from './facts.js';
import { formatRegisters } from './context.js';
import { formatModelDiagnostics } from './diagnostics.js';
import { moduleFileName } from './modules.js';
import { capProblems, hiddenProblemsText, problemLine } from './problems.js';
import { plainStyle, type TextStyle } from './style.js';
import { appendAll, padHex, padVisible, printable, sizeHex, windbgAddress } from './text.js';

const BANNER_WIDTH = 79;

function banner(text: string): string[] {
  const star = '*'.repeat(BANNER_WIDTH);
  const blank = `*${' '.repeat(BANNER_WIDTH - 2)}*`;
  const left = Math.floor((BANNER_WIDTH - 2 - text.length) / 2);
  const middle = `*${' '.repeat(left)}${text}${' '.repeat(BANNER_WIDTH - 2 - left - text.length)}*`;
  return [star, blank, middle, blank, star];
}

/** 64-bit values as WinDbg prints arguments: 16 digits for 64-bit dumps, 8 for 32-bit. */
function arg(hex: string, is64: boolean): string {
  return padHex(BigInt(hex), is64 ? 16 : 8);
}

function exceptionLines(title: string, r: ExceptionRecordJson, is64: boolean, s: TextStyle): string[] {
  const lines: string[] = [];
  lines.push(
    r.address === undefined
      ? `${s.title(`${title}:`)}  (${r.source})`
      : `${s.title(`${title}:`)}  ${arg(r.address, is64)} -- (.exr 0x${BigInt(r.address).toString(16)})`,
  );
  lines.push(
    `${s.label('ExceptionAddress')}: ${arg(r.exceptionAddress, is64)}${r.exceptionSymbol === undefined ? '' : ` (${s.value(printable(r.exceptionSymbol))})`}`,
  );
  lines.push(
    `   ${s.label('ExceptionCode')}: ${padHex(BigInt(r.code), 8)}${r.codeName === undefined ? '' : ` (${r.codeName})`}`,
  );
  lines.push(`  ${s.label('ExceptionFlags')}: ${padHex(BigInt(r.flags), 8)}`);
  lines.push(`${s.label('NumberParameters')}: ${r.parameters.length}`);
  for (const [i, p] of r.parameters.entries()) lines.push(`   Parameter[${i}]: ${arg(p, is64)}`);
  return lines;
}

function contextLines(title: string, c: ContextJson, s: TextStyle): string[] {
  const head =
    c.address === undefined
      ? `${s.title(`${title}:`)}  (${c.source})`
      : `${s.title(`${title}:`)}  ${padHex(BigInt(c.address), 16)} -- (.cxr 0x${BigInt(c.address).toString(16)})`;
  const label = c.address === undefined ? [] : [`${s.dim(`(${c.source})`)}`];
  return [head, ...label, ...formatRegisters(c)];
}

function sameRegisters(a: ContextJson, b: ContextJson): boolean {
  const ka = Object.keys(a.registers);
  return ka.length === Object.keys(b.registers).length && ka.every((k) => a.registers[k] === b.registers[k]);
}

/** WinDbg `k` layout: frame number, Child-SP, RetAddr, Call Site, then how the frame was found. */
export function stackLines(frames: readonly StackFrameJson[], s: TextStyle = plainStyle): string[] {
  const lines = [s.title('STACK_TEXT:'), s.dim(' # Child-SP          RetAddr               Call Site')];
  for (const f of frames) {
    const ret = f.returnAddress === null ? ' '.repeat(17) : windbgAddress(BigInt(f.returnAddress));
    const how =
      f.method === 'scan'
        ? f.callSite === 'call'
          ? 'scanned, after a call'
          : 'scanned'
        : f.method === 'context' && f.contextSource !== undefined
          ? `context: ${f.contextSource}`
          : f.method === 'context'
            ? 'context'
            : f.method;
    const site = padVisible(s.value(printable(f.symbol)), 34);
    lines.push(
      `${f.frame.toString(16).padStart(2, '0')} ${windbgAddress(BigInt(f.sp))} ${ret}     ${site} ${s.dim(`(${how})`)}`,
    );
  }
  return lines;
}

/**
 * Human form of an analysis, laid out like WinDbg's `!analyze -v`: dump
 * facts, the "Bugcheck Analysis" banner, the code with its arguments, the
 * debugging details, exception record / context, then secondary data and
 * problems (at most PROBLEM_LINES_PER_CODE of one code and severity, then a
 * line counting the rest; the analysis object itself keeps them all).
 */
export function formatAnalysis(a: DumpAnalysis, s: TextStyle = plainStyle): string[] {
  const lines: string[] = [];
  const field = (label: string, value: string): void => {
    lines.push(`${s.label(`${label}:`.padEnd(16))}${value}`);
  };
  field('Dump file', `${a.file} (${sizeHex(a.fileSize)} bytes)`);
  field(
    'Dump type',
    `${a.dumpType} ${a.dumpTypeName} (body: ${a.body.kind}${a.body.end !== undefined ? `, ends at ${a.body.end}` : ''}${a.body.reason !== undefined ? `, ${a.body.reason}` : ''})`,
  );
  field('Machine', `${a.machine} (${a.machineType}), ${a.processors} processor${a.processors === 1 ? '' : 's'}`);
  field(
    'Build',
    `${a.build} ${a.buildType} (MajorVersion 0x${a.majorVersion.toString(16)}), ProductType ${a.productType}`,
  );
  field('System time', a.systemTime ?? 'not recorded');
  field('System uptime', a.systemUpTime?.text ?? 'not recorded');
  if (a.attributes !== undefined && a.attributes.length > 0) field('Attributes', a.attributes.join(' | '));
  lines.push('');
  appendAll(
    lines,
    banner('Bugcheck Analysis').map((l) => s.dim(l)),
  );
  lines.push('');

  const b = a.bugCheck;
  lines.push(`${s.value(b.name)} (${BigInt(b.code).toString(16)})`);
  if (b.summary !== undefined) lines.push(b.summary);
  lines.push(s.title('Arguments:'));
  b.parameters.forEach((p, i) => {
    const m = b.parameterMeanings?.[i];
    const sym = b.parameterSymbols?.[i];
    const text = m === undefined ? '' : `, ${m.name}: ${m.meaning}`;
    lines.push(`Arg${i + 1}: ${s.address(arg(p, a.is64))}${text}${sym ? ` (${printable(sym)})` : ''}`);
  });
  if (b.case !== undefined)
    lines.push(`${s.label(`Case (Arg${b.case.parameter} = ${b.case.value})`)}: ${b.case.description}`);
  lines.push('');
  lines.push(s.title('Debugging Details:'));
  lines.push('------------------');
  lines.push('');
  const detail = (label: string, value: string): void => {
    lines.push(`${s.label(`${label}:`)}  ${value}`);
  };
  detail('BUGCHECK_CODE', BigInt(b.code).toString(16));
  for (const [i, p] of b.parameters.entries()) detail(`BUGCHECK_P${i + 1}`, BigInt(p).toString(16));
  if (b.exceptionCode !== undefined)
    detail(
      'EXCEPTION_CODE',
      `${BigInt(b.exceptionCode.code).toString(16)}${b.exceptionCode.name ? ` (${b.exceptionCode.name})` : ''}`,
    );
  if (a.memoryAccess !== undefined) {
    const m = a.memoryAccess;
    detail(memoryAccessLabel(m.kind), `${padHex(BigInt(m.address), a.is64 ? 16 : 8)} (from ${m.source})`);
  }
  if (a.processName !== undefined) detail('PROCESS_NAME', s.value(printable(a.processName)));
  if (a.faultingModule !== undefined) {
    const f = a.faultingModule;
    detail('FAULTING_IP', `${s.value(printable(f.symbol))} (${windbgAddress(BigInt(f.address))}, from ${f.source})`);
  } else {
    detail('FAULTING_IP', 'unknown (no documented parameter, context or stack frame falls in a listed module)');
  }
  lines.push('');

  if (a.bugCheckExceptionRecord !== undefined)
    appendAll(lines, exceptionLines('EXCEPTION_RECORD', a.bugCheckExceptionRecord, a.is64, s)).push('');
  if (a.bugCheckContext !== undefined) appendAll(lines, contextLines('CONTEXT', a.bugCheckContext, s)).push('');
  if (a.context !== undefined) appendAll(lines, contextLines('CRASH_CONTEXT', a.context, s)).push('');
  if (a.headerContext !== undefined && a.context?.source !== a.headerContext.source) {
    const same = [a.bugCheckContext, a.context].find((c) => c !== undefined && sameRegisters(c, a.headerContext!));
    if (same !== undefined)
      lines.push(`${s.title('HEADER_CONTEXT:')}  (header ContextRecord) the registers of ${same.source} above`, '');
    else appendAll(lines, contextLines('HEADER_CONTEXT', a.headerContext, s)).push('');
  }
  if (a.exception !== undefined)
    appendAll(lines, exceptionLines('HEADER_EXCEPTION_RECORD', a.exception, a.is64, s)).push('');
  if (a.stack !== undefined) appendAll(lines, stackLines(a.stack, s)).push('');
  if (a.faultingModule !== undefined) {
    const f = a.faultingModule;
    detail('SYMBOL_NAME', printable(f.function));
    detail('MODULE_NAME', s.value(printable(f.name)));
    detail('IMAGE_NAME', printable(moduleFileName(f.image)));
  }
  if (a.failureBucketId !== undefined) detail('FAILURE_BUCKET_ID', s.value(printable(a.failureBucketId)));
  if (a.bucketId !== undefined) detail('BUCKET_ID', printable(a.bucketId));
  lines.push('');

  field('Modules', `${a.modules.loaded} loaded, ${a.modules.unloaded} unloaded`);
  if (a.triage !== undefined) {
    const t = a.triage;
    field(
      'Triage data',
      `${t.dataBlocks} data blocks (${sizeHex(t.dataBlockBytes)} bytes), stack ${sizeHex(t.stackBytes)} bytes from ${windbgAddress(BigInt(t.topOfStack))}`,
    );
    field('MiniDumpFields', t.miniDumpFields.join(' | ') || 'none');
  }
  const sd = a.secondaryDataSummary;
  field(
    'Secondary data',
    sd.count === 0
      ? 'none'
      : `${sd.count} block${sd.count === 1 ? '' : 's'}, ${sizeHex(sd.totalBytes)} bytes${sd.areaOffset !== undefined ? ` (area at file offset ${sd.areaOffset})` : ''}`,
  );
  for (const blob of a.secondaryData)
    lines.push(`  ${s.value(formatGuidBraced(blob.guid))} - ${sizeHex(blob.size)} bytes`);
  lines.push('');
  if (a.modelDiagnostics !== undefined) appendAll(lines, formatModelDiagnostics(a.modelDiagnostics, s)).push('');
  if (a.problems.length === 0) {
    field('Problems', 'none');
  } else {
    field('Problems', `${a.problems.length}`);
    const tag = (severity: 'warning' | 'error'): string =>
      severity === 'error' ? s.error('error') : s.warning('warning');
    const { shown, hidden } = capProblems(a.problems);
    for (const p of shown) {
      lines.push(`  ${tag(p.severity)}: ${problemLine(p)}`);
    }
    for (const h of hidden) lines.push(`  ${tag(h.severity)}: ${hiddenProblemsText(h)}`);
  }
  return lines;
}
