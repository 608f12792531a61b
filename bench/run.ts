/**
 * `npm run bench`: every speed target of the project, measured on this
 * machine, each figure as ours / an anchor measured in the same run / ratio.
 * Not part of `npm test` (timings are not assertions).
 *
 *   npm run bench                       every section, 4 GiB machine for the writer and reader
 *   npm run bench -- --quick            the same on 1 GiB (for development)
 *   npm run bench -- writer startup     only those sections (reader, callbacks, writer, startup, cdriver, fleet)
 *   npm run bench -- --json             one JSON object on stdout (the lines go to stderr)
 */
import * as os from 'node:os';
import { runCallbacksBench } from './callbacks.js';
import { runCDriverBench } from './cdriver.js';
import type { BenchResult } from './measure.js';
import { runReaderBench } from './reader.js';
import { runFleetBench } from './fleet.js';
import { runStartupBench } from './startup.js';
import { runWriterBench } from './writer.js';

/** The figures `--json` always carries (null when the section did not run or could not measure it). */
const REQUIRED = [
  'scanVsCat',
  'writerKernelVsDd',
  'writerCompleteVsDd',
  'populateMsPerGiB',
  'analyzeStartupVsNode',
  'callbacks10kAddedMs',
  'randomReadsPerSecond',
  'randomReadsPerCpuSecond',
] as const;

type Options = { quick: boolean };
type Section = { name: string; title: string; run: (options: Options) => Promise<BenchResult> };

const SECTIONS: Section[] = [
  { name: 'reader', title: 'reader: random virtual reads and physical scan', run: runReaderBench },
  { name: 'callbacks', title: 'kernel: bug check with 10,000 registered callbacks', run: runCallbacksBench },
  {
    name: 'writer',
    title: 'writer and population: kernel and complete dumps of a populated machine vs dd',
    run: runWriterBench,
  },
  { name: 'startup', title: 'start-up: bugcheck commands vs node -e 0', run: runStartupBench },
  {
    name: 'cdriver',
    title: 'C drivers: toolchain, cache, 10,000 C routines vs TypeScript, peak RSS',
    run: runCDriverBench,
  },
  { name: 'fleet', title: 'fleet: bucket over 10,000 small dumps, --jobs 1 and --jobs 2', run: runFleetBench },
];

function describeMachine(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const names = new Set(args.filter((a) => !a.startsWith('--')));
const unknown = [...names].filter((n) => !SECTIONS.some((s) => s.name === n));
if (unknown.length > 0) {
  console.error(`unknown section(s) ${unknown.join(', ')}; known: ${SECTIONS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const say = (line: string): void => {
  if (json) process.stderr.write(`${line}\n`);
  else console.log(line);
};

const machine = describeMachine();
const date = new Date().toISOString();
say(
  `bugcheck benchmarks${quick ? ' (--quick: 1 GiB)' : ''}, ${date}: ${String(machine.cpus)} × ${String(machine.cpuModel)}, ${String(machine.memoryGiB)} GiB, ${String(machine.os)}, Node ${process.version}, load ${(machine.loadAverageAtStart as number[]).join(' ')}`,
);
const figures: Record<string, number | null> = Object.fromEntries(REQUIRED.map((k) => [k, null]));
const sections: Record<string, BenchResult | { error: string }> = {};
let failed = false;
for (const section of SECTIONS) {
  if (names.size > 0 && !names.has(section.name)) continue;
  say(`\n== ${section.title} ==`);
  try {
    const result = await section.run({ quick });
    for (const line of result.lines) say(line);
    Object.assign(figures, result.figures);
    sections[section.name] = result;
  } catch (err) {
    failed = true;
    const message = err instanceof Error ? err.message : String(err);
    say(`failed: ${message}`);
    sections[section.name] = { error: message };
  }
}
machine.loadAverageAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
if (json) process.stdout.write(`${JSON.stringify({ date, quick, machine, ...figures, sections }, null, 2)}\n`);
if (failed) process.exitCode = 1;
