import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatGuidBraced } from '../../format/index.js';
import {
  DEMO_CULPRIT,
  SAMPLE_SECONDARY_DATA_GUIDS,
  SECONDARY_DATA_EXAMPLE,
  createDemoScenario,
  demoMirrorPath,
} from '../../scenario/demo.js';
import { scenarioFromDefinition, type ScenarioOutcome } from '../../scenario/index.js';
import type { CliCommand } from '../command.js';
import type { CliContext } from '../context.js';
import { dumpTypeOption, printScenarioOutcome, runScenarioWithProgress } from '../scenarioOutput.js';
import { bugcheckCommand, shownPath } from '../invocation.js';

export const DEFAULT_DEMO_OUT = 'bugcheck-demo';

/** Whether two files hold the same bytes (read in 1 MiB pieces, never whole). */
async function sameBytes(a: string, b: string): Promise<boolean> {
  const [fa, fb] = await Promise.all([open(a, 'r'), open(b, 'r')]);
  try {
    const [sa, sb] = await Promise.all([fa.stat(), fb.stat()]);
    if (sa.size !== sb.size) return false;
    const ba = Buffer.alloc(0x100000);
    const bb = Buffer.alloc(0x100000);
    for (let at = 0; at < sa.size; at += ba.length) {
      const [ra, rb] = await Promise.all([fa.read(ba, 0, ba.length, at), fb.read(bb, 0, bb.length, at)]);
      if (ra.bytesRead !== rb.bytesRead || !ba.subarray(0, ra.bytesRead).equals(bb.subarray(0, rb.bytesRead)))
        return false;
    }
    return true;
  } finally {
    await Promise.all([fa.close(), fb.close()]);
  }
}

/** Commands worth trying on the demo's dumps; `cli` is how this bugcheck is started (bugcheckCommand()). */
export function tryNextLines(outcome: ScenarioOutcome, cli = 'npx bugcheck'): string[] {
  const byKind = new Map(
    outcome.runs.filter((r) => r.result.dumpStatus === 'written').map((r) => [r.dumpKind, shownPath(r.dumpPath)]),
  );
  const kernel = byKind.get('kernel') ?? byKind.get('complete') ?? byKind.get('small');
  if (kernel === undefined) return [];
  const lines = [
    `${cli} enumtag ${kernel}                 # the secondary data blocks (like WinDbg .enumtag)`,
    `${cli} blob ${kernel} ${formatGuidBraced(SAMPLE_SECONDARY_DATA_GUIDS['flightrec.sys own ring']!)} -o flightrec.bin`,
  ];
  const legacy = byKind.get('kernel') ?? byKind.get('complete');
  if (legacy !== undefined)
    lines.push(`${cli} bugdump ${legacy} LegacyDevice      # a legacy callback buffer (like WinDbg !bugdump)`);
  const small = byKind.get('small');
  if (small !== undefined) lines.push(`${cli} analyze ${small} --json`);
  lines.push(`${cli} view ${kernel}    # the dump in a browser page`);
  lines.push(`${cli} run ${shownPath(SECONDARY_DATA_EXAMPLE)} --out my-dumps   # copy it to write your own scenario`);
  return lines;
}

async function runDemo(ctx: CliContext, options: { out: string; dumpType: string; json?: boolean }): Promise<void> {
  const mirrorDir = await mkdtemp(join(tmpdir(), 'bugcheck-demo-mirror-'));
  try {
    const scenario = scenarioFromDefinition(createDemoScenario({ mirrorDir }), 'demo');
    const outcome = await runScenarioWithProgress(ctx, scenario, options);
    const mirrors: { dumpKind: string; identical: boolean }[] = [];
    for (const run of outcome.runs) {
      if (run.result.dumpStatus !== 'written') continue;
      mirrors.push({
        dumpKind: run.dumpKind,
        identical: await sameBytes(run.dumpPath, demoMirrorPath(run.dumpPath, mirrorDir)),
      });
    }
    const report = await printScenarioOutcome(ctx, outcome, { printJson: false });
    const tryNext = tryNextLines(outcome, bugcheckCommand(ctx.io.env));
    if (ctx.json) {
      ctx.printJson({ ...report, culprit: DEMO_CULPRIT, mirrors, tryNext });
      return;
    }
    const s = ctx.style;
    ctx.print([
      s.title('=== Summary ==='),
      `The bug check was blamed on ${s.value(DEMO_CULPRIT)} (P4 is an instruction inside it); ${s.value('sloppy.sys')} broke a HIGH_LEVEL rule and lost its data.`,
      ...mirrors.map(
        (m) =>
          `dumpmirror.sys's KbCallbackDumpIo copy of the ${m.dumpKind} dump: ${m.identical ? 'identical to the file' : s.error('differs from the file')}`,
      ),
      '',
      s.title('Try next:'),
      ...tryNext.map((l) => `  ${l}`),
    ]);
  } finally {
    await rm(mirrorDir, { recursive: true, force: true });
  }
}

/** `bugcheck demo` — the sample drivers on a 256 MiB machine, a 0xD1 blamed on one of them, the dumps and what is in them. */
export const demoCommand: CliCommand = {
  name: 'demo',
  register(program, ctx) {
    program
      .command('demo')
      .description(
        'load the sample drivers on a simulated 256 MiB machine, let them run, bug check (0xD1 in devstate.sys), write the dumps, and show what every callback contributed and the analysis',
      )
      .option('--out <dir>', 'folder for the dumps (created if missing)', DEFAULT_DEMO_OUT)
      .addOption(dumpTypeOption('all'))
      .option('--json', 'print { scenario, runs: [...as bugcheck run --json...], culprit, mirrors, tryNext }')
      .addHelpText(
        'after',
        `\nDumps go to DIR/demo-<kind>.dmp (default ./${DEFAULT_DEMO_OUT}). The scenario is src/scenario/demo.ts (as a scenario file: examples/scenarios/demo.ts).`,
      )
      .action(async (options: { out: string; dumpType: string; json?: boolean }) => {
        ctx.json = options.json === true;
        await runDemo(ctx, options);
      });
  },
};
