/**
 * DbgPrint, DbgPrintEx, vDbgPrintEx, vDbgPrintExWithPrefix: formatted as the
 * kernel does (format.ts) and handed to the context's sink. Any IRQL.
 * DbgPrint always shows; the Ex forms follow the component filter
 * (dbgPrint.ts). They return STATUS_SUCCESS.
 */
import { type CServiceContext, STATUS_SUCCESS, u32, u64 } from './context.js';
import { dbgPrintExShown } from './dbgPrint.js';
import { formatMessage, WasmVaList } from './format.js';
import { formatMemory, readAnsi, readBytes } from './memory.js';

function format(ctx: CServiceContext, formatVa: bigint, va: bigint): string {
  if (formatVa === 0n) return '';
  return formatMessage(
    readAnsi(ctx, formatVa, 0x10000),
    new WasmVaList((a, n) => readBytes(ctx, a, n), va),
    formatMemory(ctx),
  );
}

export function debugServices(ctx: CServiceContext): Record<string, (...args: never[]) => unknown> {
  const ex = (componentId: number, level: number, prefix: string, formatVa: bigint, va: bigint): number => {
    const c = u32(componentId);
    const l = u32(level);
    if (dbgPrintExShown(l, ctx.dbgPrintFilter))
      ctx.print({ text: prefix + format(ctx, u64(formatVa), u64(va)), componentId: c, level: l });
    return STATUS_SUCCESS;
  };
  return {
    DbgPrint: (formatVa: bigint, va: bigint): number => {
      ctx.print({ text: format(ctx, u64(formatVa), u64(va)) });
      return STATUS_SUCCESS;
    },
    DbgPrintEx: (componentId: number, level: number, formatVa: bigint, va: bigint): number =>
      ex(componentId, level, '', formatVa, va),
    vDbgPrintEx: (componentId: number, level: number, formatVa: bigint, va: bigint): number =>
      ex(componentId, level, '', formatVa, va),
    vDbgPrintExWithPrefix: (prefix: bigint, componentId: number, level: number, formatVa: bigint, va: bigint): number =>
      ex(componentId, level, u64(prefix) === 0n ? '' : readAnsi(ctx, u64(prefix), 0x1000), formatVa, va),
  };
}
