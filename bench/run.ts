/**
 * `npm run bench`: every speed target of the project, measured on this
 * machine, each figure as ours / an anchor measured in the same run / ratio.
 * Not part of `npm test` (timings are not assertions).
 *
 *   npm run bench                       every section, 4 GiB machine for the writer and reader
 *   npm run bench -- --quick            the same on 1 GiB (for development)
 *   npm run bench -- writer startup     only those sections (reader, callbacks, writer, startup)
 *   npm run bench -- --json             one JSON object on stdout (the lines go to stderr)
 */
import * as os from 'node:os';
import type { BenchResult } from './measure.js';
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A bench module's result in the shared shape, or undefined when it has another one. */
function asBenchResult(value: unknown): BenchResult | undefined {
  if (!isRecord(value) || !isRecord(value.figures) || !Array.isArray(value.lines)) return undefined;
  const figures: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(value.figures))
    figures[k] = typeof v === 'number' && Number.isFinite(v) ? v : null;
  return { figures, lines: value.lines.map(String) };
}

function numberOf(record: Record<string, unknown>, key: string): number | null {
  const v = record[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * bench/reader.ts: `runReaderBench({ quick })` → { figures, lines }. Until
 * that shape lands, its older report is adapted here (it has no CPU-time or
 * `cat` figures: those stay null).
 */
async function readerSection(options: Options): Promise<BenchResult> {
  const mod = (await import('./reader.js')) as Record<string, unknown>;
  const run = mod.runReaderBench;
  if (typeof run !== 'function') throw new Error('bench/reader.ts exports no runReaderBench');
  const result: unknown = await run({ quick: options.quick, memoryGiB: options.quick ? 1 : 4 });
  const shaped = asBenchResult(result);
  if (shaped) return shaped;
  if (!isRecord(result)) throw new Error('runReaderBench returned nothing usable');
  return {
    figures: {
      randomReadsPerSecond: numberOf(result, 'randomReadsPerSecond'),
      randomReadsPerCpuSecond: null,
      scanMiBps: numberOf(result, 'scanMbPerSecond'),
      scanVsCat: null,
    },
    lines: [
      ...(Array.isArray(result.lines) ? result.lines.map(String) : []),
      '(adapted from the older report of bench/reader.ts: no CPU-time or cat figures yet)',
    ],
  };
}

/**
 * bench/callbacks.ts: `runCallbacksBench({ quick })` → { figures, lines }
 * with callbacks10kAddedMs and callbackMicroseconds; until it lands, the
 * older `benchCallbacks(count, runs)` is adapted here.
 */
async function callbacksSection(options: Options): Promise<BenchResult> {
  const mod = (await import('./callbacks.js')) as Record<string, unknown>;
  if (typeof mod.runCallbacksBench === 'function') {
    const shaped = asBenchResult(await mod.runCallbacksBench(options));
    if (shaped) return shaped;
  }
  if (typeof mod.benchCallbacks !== 'function') throw new Error('bench/callbacks.ts exports no benchmark');
  const result: unknown = mod.benchCallbacks(10_000, options.quick ? 3 : 5);
  if (!isRecord(result)) throw new Error('benchCallbacks returned nothing usable');
  return {
    figures: {
      callbacks10kAddedMs: numberOf(result, 'addedMs'),
      callbacks10kAddedCpuMs: numberOf(result, 'addedCpuMs'),
      callbackMicroseconds: numberOf(result, 'perCallbackUs'),
    },
    lines: [
      ...(Array.isArray(result.lines) ? result.lines.map(String) : []),
      '(adapted from benchCallbacks of bench/callbacks.ts; anchor: the same bug check with no callbacks)',
    ],
  };
}

const SECTIONS: Section[] = [
  { name: 'reader', title: 'reader: random virtual reads and physical scan', run: readerSection },
  { name: 'callbacks', title: 'kernel: bug check with 10,000 registered callbacks', run: callbacksSection },
  {
    name: 'writer',
    title: 'writer and population: kernel and complete dumps of a populated machine vs dd',
    run: runWriterBench,
  },
  { name: 'startup', title: 'start-up: bugcheck commands vs node -e 0', run: runStartupBench },
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
