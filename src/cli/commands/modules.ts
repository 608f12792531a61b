import Table from 'cli-table3';
import { debuggerModuleName, jsonHex, padHex } from '../../analyze/index.js';
import type { TriageModule, UnloadedDriverInfo } from '../../dump/reader/index.js';
import type { CliCommand } from '../command.js';
import type { CliContext } from '../context.js';
import { withDump } from '../dump.js';

/** TimeDateStamp (seconds since 1970) as an ISO date; undefined for 0. */
function timestampIso(stamp: number): string | undefined {
  return stamp === 0 ? undefined : new Date(stamp * 1000).toISOString().replace('.000Z', 'Z');
}

/** A borderless table in the spirit of WinDbg's `lm`. */
function table(ctx: CliContext, head: string[]): Table.Table {
  return new Table({
    head: head.map((h) => ctx.style.title(h)),
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
}

/** The table's lines without the padding cli-table3 leaves after the last column. */
function rows(t: Table.Table): string[] {
  return t.toString().split('\n').map((line) => line.trimEnd());
}

function loadedJson(m: TriageModule): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: debuggerModuleName(m.name),
    image: m.name,
    base: jsonHex(m.base),
    end: jsonHex(m.base + BigInt(m.size)),
    size: m.size,
    timeDateStamp: jsonHex(m.timeDateStamp),
    checkSum: jsonHex(m.checkSum),
  };
  const iso = timestampIso(m.timeDateStamp);
  if (iso !== undefined) out.timestamp = iso;
  return out;
}

function unloadedJson(u: UnloadedDriverInfo): Record<string, unknown> {
  const size = u.endAddress >= u.startAddress ? u.endAddress - u.startAddress : 0n;
  return { name: u.name, base: jsonHex(u.startAddress), end: jsonHex(u.endAddress), size: Number(size) };
}

/** `bugcheck modules DUMP` — loaded and unloaded drivers (like WinDbg `lm`). */
export const modulesCommand: CliCommand = {
  name: 'modules',
  register(program, ctx) {
    program
      .command('modules')
      .description('list loaded and unloaded drivers: base, end, size, timestamp, name (like WinDbg lm)')
      .argument('<dump>', 'crash dump file')
      .option('--json', 'print { loaded: [{ name, image, base, end, size, timeDateStamp, timestamp?, checkSum }], unloaded: [{ name, base, end, size }], problems }')
      .action(async (path: string, options: { json?: boolean }) => {
        ctx.json = options.json === true;
        await withDump(path, async (dump) => {
          const list = await dump.modules();
          if (ctx.json) {
            if (list.problems.some((p) => p.severity === 'error')) ctx.exitCode = 1;
            ctx.printJson({
              loaded: list.loaded.map(loadedJson),
              unloaded: list.unloaded.map(unloadedJson),
              problems: list.problems.map((p) => ({ ...p, offset: p.offset === undefined ? undefined : jsonHex(p.offset) })),
            });
            return;
          }
          ctx.warnProblems(list.problems);
          const loaded = table(ctx, ['start', 'end', 'size', 'timestamp', 'module', 'image']);
          for (const m of list.loaded) {
            const iso = timestampIso(m.timeDateStamp);
            loaded.push([
              ctx.style.address(padHex(m.base, 16)),
              ctx.style.address(padHex(m.base + BigInt(m.size), 16)),
              padHex(m.size, 8),
              `${padHex(m.timeDateStamp, 8)}${iso === undefined ? '' : ` ${iso}`}`,
              ctx.style.value(debuggerModuleName(m.name)),
              m.name,
            ]);
          }
          ctx.print(`${list.loaded.length} loaded module${list.loaded.length === 1 ? '' : 's'}:`);
          if (list.loaded.length > 0) ctx.print(rows(loaded));
          ctx.print('');
          ctx.print(`${list.unloaded.length} unloaded module${list.unloaded.length === 1 ? '' : 's'}:`);
          if (list.unloaded.length > 0) {
            const unloaded = table(ctx, ['start', 'end', 'size', 'name']);
            for (const u of list.unloaded) {
              const size = u.endAddress >= u.startAddress ? u.endAddress - u.startAddress : 0n;
              unloaded.push([ctx.style.address(padHex(u.startAddress, 16)), ctx.style.address(padHex(u.endAddress, 16)), padHex(size, 8), u.name]);
            }
            ctx.print(rows(unloaded));
          }
        });
      });
  },
};
