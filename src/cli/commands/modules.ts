import {
  debuggerModuleName,
  fileTimeToIso,
  jsonHex,
  linkTimestampIso,
  padHex,
  printable,
} from '../../analyze/index.js';
import type { TriageModule, UnloadedDriverInfo } from '../../dump/reader/index.js';
import type { CliCommand } from '../command.js';
import { dumpProblems, withDump } from '../dump.js';
import { borderlessTable } from '../table.js';

function loadedJson(m: TriageModule, notAfter: Date): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: debuggerModuleName(m.name),
    image: m.name,
    base: jsonHex(m.base),
    end: jsonHex(m.base + BigInt(m.size)),
    size: m.size,
    timeDateStamp: jsonHex(m.timeDateStamp),
    checkSum: jsonHex(m.checkSum),
  };
  const iso = linkTimestampIso(m.timeDateStamp, notAfter);
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
      .option(
        '--json',
        'print { loaded: [{ name, image, base, end, size, timeDateStamp, timestamp?, checkSum }], unloaded: [{ name, base, end, size }], problems }',
      )
      .addHelpText(
        'after',
        '\nA TimeDateStamp is shown as a date only when it can be one (1993 … the crash); Windows 10 images store a build hash there.\nExit code 1 when the driver lists are damaged (what could be read is still printed).',
      )
      .action(async (path: string, options: { json?: boolean }) => {
        ctx.json = options.json === true;
        await withDump(path, async (dump) => {
          const list = await dump.modules();
          // A link time after the crash is no time at all (the dump's clock, else ours).
          const crash = fileTimeToIso(dump.header.systemTime);
          const notAfter = crash === undefined ? new Date() : new Date(crash);
          const problems = dumpProblems(dump, list.problems);
          if (ctx.json) {
            if (problems.some((p) => p.severity === 'error')) ctx.exitCode = 1;
            ctx.printJson({
              loaded: list.loaded.map((m) => loadedJson(m, notAfter)),
              unloaded: list.unloaded.map(unloadedJson),
              problems: problems.map((p) => ({
                ...p,
                offset: p.offset === undefined ? undefined : jsonHex(p.offset),
              })),
            });
            return;
          }
          ctx.warnProblems(problems);
          const s = ctx.style;
          ctx.print(`${list.loaded.length} loaded module${list.loaded.length === 1 ? '' : 's'}:`);
          if (list.loaded.length > 0) {
            const rows = list.loaded.map((m) => {
              const iso = linkTimestampIso(m.timeDateStamp, notAfter);
              return [
                s.address(padHex(m.base, 16)),
                s.address(padHex(m.base + BigInt(m.size), 16)),
                padHex(m.size, 8),
                `${padHex(m.timeDateStamp, 8)}${iso === undefined ? '' : ` ${iso}`}`,
                s.value(printable(debuggerModuleName(m.name))),
                printable(m.name),
              ];
            });
            ctx.print(
              borderlessTable(
                ['start', 'end', 'size', 'timestamp', 'module', 'image'].map((h) => s.title(h)),
                rows,
                ctx.columns,
              ),
            );
          }
          ctx.print('');
          ctx.print(`${list.unloaded.length} unloaded module${list.unloaded.length === 1 ? '' : 's'}:`);
          if (list.unloaded.length > 0) {
            const rows = list.unloaded.map((u) => {
              const size = u.endAddress >= u.startAddress ? u.endAddress - u.startAddress : 0n;
              return [
                s.address(padHex(u.startAddress, 16)),
                s.address(padHex(u.endAddress, 16)),
                padHex(size, 8),
                printable(u.name),
              ];
            });
            ctx.print(
              borderlessTable(
                ['start', 'end', 'size', 'name'].map((h) => s.title(h)),
                rows,
                ctx.columns,
              ),
            );
          }
        });
      });
  },
};
