import { extname } from 'node:path';
import type { CompiledCDriver } from '../../cdriver/index.js';
import {
  bugCheckCode,
  cDriverScenario,
  formatDbgPrint,
  loadScenario,
  setScenarioStdoutRedirect,
  type CDriverBugCheck,
  type LoadedScenario,
  type ScenarioOutcome,
} from '../../scenario/index.js';
import type { CliCommand } from '../command.js';
import type { CliContext } from '../context.js';
import { EXIT_FAILURE, UsageError } from '../errors.js';
import { bugcheckCommand } from '../invocation.js';
import { dumpTypeOption, printScenarioOutcome, runScenarioWithProgress, scenarioTryNext } from '../scenarioOutput.js';

interface RunOptions {
  out: string;
  dumpType?: string;
  json?: boolean;
  bugcheck?: string;
  failOnViolation?: boolean;
  define: string[];
  include: string[];
  hostChannel: string[];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `-D NAME` / `-D NAME=VALUE` as compileDriver's defines. */
function defines(list: readonly string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const item of list) {
    const at = item.indexOf('=');
    const name = at < 0 ? item : item.slice(0, at);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`-D ${item}: ${name} is not a C identifier`);
    out[name] = at < 0 ? true : item.slice(at + 1);
  }
  return out;
}

const C_EXTENSIONS = ['.c'];

function isCSource(path: string): boolean {
  return C_EXTENSIONS.includes(extname(path).toLowerCase());
}

/** `0xD1,0x18,2,0,0xFFFFF80512345678` or `DRIVER_IRQL_NOT_LESS_OR_EQUAL,…`: the stop code and up to four parameters. */
export function parseBugCheckOption(text: string): CDriverBugCheck {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length > 5 || parts.some((p) => p === ''))
    throw new UsageError(`--bugcheck ${JSON.stringify(text)}: expected CODE[,P1,P2,P3,P4]`);
  const number = (p: string, what: string): bigint => {
    if (/^(0x[0-9a-f]+|[0-9]+)$/i.test(p)) return BigInt(p);
    throw new UsageError(`--bugcheck: ${what} ${JSON.stringify(p)} is not a number (hex 0x… or decimal)`);
  };
  const first = parts[0]!;
  let code: number;
  if (/^[A-Z_][A-Z0-9_]*$/i.test(first) && !/^0x/i.test(first)) {
    try {
      code = bugCheckCode(first);
    } catch {
      throw new UsageError(`--bugcheck: ${first} is not a bug check name of the public reference`);
    }
  } else {
    const value = number(first, 'the code');
    if (value > 0xffffffffn) throw new UsageError(`--bugcheck: the code ${first} is larger than a ULONG`);
    code = Number(value);
  }
  const parameters = parts.slice(1).map((p, i) => {
    const value = number(p, `parameter ${i + 1}`);
    if (value >= 1n << 64n) throw new UsageError(`--bugcheck: parameter ${i + 1} is larger than a ULONG_PTR`);
    return value;
  });
  while (parameters.length < 4) parameters.push(0n);
  return { code, parameters: parameters as [bigint, bigint, bigint, bigint] };
}

/** `--host-channel name=file` (bugcheck.h host channels). */
function channels(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const at = item.indexOf('=');
    if (at <= 0 || at === item.length - 1) throw new UsageError(`--host-channel ${item}: expected NAME=FILE`);
    out[item.slice(0, at)] = item.slice(at + 1);
  }
  return out;
}

async function compileSources(ctx: CliContext, files: string[], options: RunOptions): Promise<CompiledCDriver> {
  // The toolchain is loaded only when C is compiled (it is large); other commands never import it.
  const { compileDriver, CDriverError } = await import('../../cdriver/index.js');
  try {
    const compiled = await compileDriver({
      sources: files,
      defines: defines(options.define),
      includeDirs: options.include,
    });
    if (compiled.diagnostics.trim() !== '') ctx.io.stderr.write(compiled.diagnostics);
    return compiled;
  } catch (error) {
    // Clang's own output first (file:line:col, carets), then the one-line error naming the first error.
    if (error instanceof CDriverError && typeof error.details.diagnostics === 'string' && !ctx.json)
      ctx.io.stderr.write(error.details.diagnostics);
    throw error;
  }
}

/** `bugcheck run SCENARIO` or `bugcheck run DRIVER.c [MORE.c…]`: write the dumps, show every callback's contribution and the analysis. */
export const runCommand: CliCommand = {
  name: 'run',
  register(program, ctx) {
    program
      .command('run')
      .description(
        "run a scenario (a .ts or .js module: drivers register callbacks, then KeBugCheckEx), or a C driver (.c files: compiled, loaded, DriverEntry run, then a bug check), on a simulated machine; write the dumps, then show every callback's contribution, DbgPrint output and the analysis",
      )
      .argument('<files...>', 'a scenario module (.ts/.mts/.js/.mjs…), or the C source files of one driver (.c)')
      .option('--out <dir>', 'folder for the dumps (created if missing)', '.')
      .addOption(dumpTypeOption())
      .option(
        '--bugcheck <code[,p1,p2,p3,p4]>',
        'C drivers: the bug check raised after DriverEntry, a number or a name (default 0xE2 MANUALLY_INITIATED_CRASH; none if DriverEntry called KeBugCheckEx)',
      )
      .option('--fail-on-violation', 'exit 1 when any callback broke a rule (a violation), e.g. in a driver’s CI')
      .option('-D, --define <name[=value]>', 'C drivers: a preprocessor definition (repeatable)', collect, [])
      .option('-I, --include <dir>', 'C drivers: a folder of headers to search (repeatable)', collect, [])
      .option(
        '--host-channel <name=file>',
        'C drivers: bind a bugcheck.h host channel to a file (repeatable), e.g. mirror=dump.mirror',
        collect,
        [],
      )
      .option(
        '--json',
        'print { scenario, runs: [{ dumpKind, dumpPath, machine, bugCheck, nested, dumpStatus, dump, callbacks, violations, dbgPrint, analysis }] }',
      )
      .addHelpText(
        'after',
        [
          '',
          'A scenario module:',
          '  export default {',
          "    options: { memory: '128MiB', processors: 2, dump: { kind: 'kernel' } },",
          '    run(system, lib) {',
          "      const d = system.loadDriver({ name: 'my.sys', DriverEntry(drv) { /* drv.registerReasonCallback(…) */ } });",
          "      system.KeBugCheckEx(0xD1, 0n, 2n, 0n, d.codeAddress('MyDpc'));",
          '    },',
          '  };',
          '',
          'A C driver: `bugcheck run mydriver.c util.c` compiles the files as one driver, mydriver.sys, against',
          "bugcheck's wdm.h/ntddk.h/ntstrsafe.h, runs its DriverEntry, then bug checks (--bugcheck).",
          '',
          "Dumps are written to DIR/<name>-<kind>.dmp. --dump-type overrides the scenario's dump.kind (C drivers: kernel).",
          'Exit code 1 when the scenario or driver cannot be loaded (a compile error, an unknown import, a failing',
          'DriverEntry), throws or never bug-checks, or a dump fails; with --fail-on-violation also on any violation.',
        ].join('\n'),
      )
      .action(async (files: string[], options: RunOptions) => {
        ctx.json = options.json === true;
        const cFiles = files.filter(isCSource);
        if (cFiles.length > 0 && cFiles.length !== files.length)
          throw new UsageError('run takes either one scenario module or the .c files of one driver, not both');
        if (cFiles.length === 0 && files.length > 1)
          throw new UsageError(`run takes one scenario module, got ${files.length} files`);
        if (cFiles.length === 0 && options.bugcheck !== undefined)
          throw new UsageError('--bugcheck is for C drivers; a scenario raises its own bug check');
        if (
          cFiles.length === 0 &&
          (options.define.length > 0 || options.include.length > 0 || options.hostChannel.length > 0)
        )
          throw new UsageError('-D, -I and --host-channel are for C drivers');
        const bugCheck = options.bugcheck === undefined ? undefined : parseBugCheckOption(options.bugcheck);

        let scenario: LoadedScenario;
        let loadError: (() => unknown) | undefined;
        if (cFiles.length > 0) {
          const compiled = await compileSources(ctx, cFiles, options);
          const hostChannels = channels(options.hostChannel);
          const c = cDriverScenario(compiled, { ...(bugCheck ? { bugCheck } : {}), load: { hostChannels } });
          scenario = c;
          loadError = c.loadError;
        } else {
          scenario = await loadScenario(files[0]!);
        }

        // A scenario's direct process.stdout writes go to stderr when process.stdout carries our report.
        setScenarioStdoutRedirect(ctx.io.stdout === process.stdout || ctx.io.stdout.fd === 1);
        let outcome: ScenarioOutcome;
        try {
          outcome = await runScenarioWithProgress(ctx, scenario, options);
        } catch (error) {
          // A C driver that cannot load says why in its own words (one line), not as "the scenario threw".
          const cause = loadError?.();
          throw cause ?? error;
        }
        const report = await printScenarioOutcome(ctx, outcome, { printJson: false });
        if (ctx.json) ctx.printJson(report);
        else {
          for (const run of outcome.runs) {
            const lines = formatDbgPrint(run.dbgPrint, ctx.style);
            if (lines.length > 0) ctx.print([`--- ${run.dumpKind} run ---`, ...lines, '']);
          }
          ctx.print(scenarioTryNext(outcome, bugcheckCommand(ctx.io.env)));
        }
        if (options.failOnViolation && outcome.runs.some((r) => r.result.violations.length > 0)) {
          ctx.exitCode = EXIT_FAILURE;
          if (!ctx.json) {
            const count = outcome.runs.reduce((n, r) => n + r.result.violations.length, 0);
            ctx.io.stderr.write(
              `bugcheck: ${ctx.errorColors.red('error')}: ${count} violation(s) (--fail-on-violation)\n`,
            );
          }
        }
      });
  },
};
