import { loadScenario, setScenarioStdoutRedirect } from '../../scenario/index.js';
import type { CliCommand } from '../command.js';
import { dumpTypeOption, printScenarioOutcome, runScenarioWithProgress, scenarioTryNext } from '../scenarioOutput.js';
import { bugcheckCommand } from '../invocation.js';

/** `bugcheck run SCENARIO` — run a user's scenario module, write its dumps, show what every callback did and the analysis. */
export const runCommand: CliCommand = {
  name: 'run',
  register(program, ctx) {
    program
      .command('run')
      .description(
        "run a scenario (a .ts or .js module: drivers register callbacks, then KeBugCheckEx) on a simulated machine, write the dumps, then show every callback's contribution and the analysis",
      )
      .argument('<scenario>', 'scenario module (.ts/.mts/.js/.mjs…; no build step, no package.json needed)')
      .option('--out <dir>', 'folder for the dumps (created if missing)', '.')
      .addOption(dumpTypeOption())
      .option(
        '--json',
        'print { scenario, runs: [{ dumpKind, dumpPath, machine, bugCheck, nested, dumpStatus, dump, callbacks, violations, analysis }] }',
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
          "Dumps are written to DIR/<name>-<kind>.dmp. --dump-type overrides the scenario's dump.kind.",
          'Exit code 1 when the scenario cannot be loaded, has a bad option, throws or never bug-checks, or a dump fails.',
        ].join('\n'),
      )
      .action(async (path: string, options: { out: string; dumpType?: string; json?: boolean }) => {
        ctx.json = options.json === true;
        // A scenario's direct process.stdout writes go to stderr when process.stdout carries our report.
        setScenarioStdoutRedirect(ctx.io.stdout === process.stdout);
        const scenario = await loadScenario(path);
        const outcome = await runScenarioWithProgress(ctx, scenario, options);
        await printScenarioOutcome(ctx, outcome);
        if (!ctx.json) ctx.print(scenarioTryNext(outcome, bugcheckCommand(ctx.io.env)));
      });
  },
};
