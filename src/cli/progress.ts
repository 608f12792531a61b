import type cliProgress from 'cli-progress';
import type { CrashDumpKind } from '../kernel/index.js';
import type { OutputStream } from './context.js';

const MiB = 1024 * 1024;

export interface DumpProgressBar {
  /** Feed to runScenario's onDumpProgress. */
  update(kind: CrashDumpKind, done: bigint, total: bigint): void;
  /** Ends the bar of the current dump (runScenario's onRunEnd). */
  stop(): void;
}

/**
 * A progress bar on stderr while a dump body is written — only when stderr
 * is a terminal, so pipes, files and --json consumers never see control codes
 * (and cli-progress is loaded only then).
 */
export async function dumpProgressBar(stderr: OutputStream): Promise<DumpProgressBar> {
  if (stderr.isTTY !== true) return { update: () => undefined, stop: () => undefined };
  const { default: Progress } = await import('cli-progress');
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(kind, done, total) {
      const totalMiB = Number(total) / MiB;
      if (bar === null) {
        bar = new Progress.SingleBar(
          {
            stream: stderr as unknown as NodeJS.WritableStream,
            format: `Writing ${kind.padEnd(8)} dump {bar} {percentage}% | {doneMiB}/{totalMiB} MiB`,
            hideCursor: true,
            clearOnComplete: true,
            gracefulExit: false,
            barsize: 30,
          },
          Progress.Presets.shades_classic,
        );
        bar.start(Math.max(1, Number(total)), 0, { doneMiB: '0.0', totalMiB: totalMiB.toFixed(1) });
      }
      bar.update(Number(done), { doneMiB: (Number(done) / MiB).toFixed(1), totalMiB: totalMiB.toFixed(1) });
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

export interface CountProgressBar {
  increment(): void;
  stop(): void;
}

/** `Analysing [bar] 40% | 4000/10000 dumps | 850/s` on stderr, only when stderr is a terminal. */
export async function countProgressBar(stderr: OutputStream, label: string, total: number): Promise<CountProgressBar> {
  if (stderr.isTTY !== true) return { increment: () => undefined, stop: () => undefined };
  const { default: Progress } = await import('cli-progress');
  const started = Date.now();
  let done = 0;
  const bar = new Progress.SingleBar(
    {
      stream: stderr as unknown as NodeJS.WritableStream,
      format: `${label} {bar} {percentage}% | {value}/{total} dumps | {rate}/s`,
      hideCursor: true,
      clearOnComplete: true,
      gracefulExit: false,
      barsize: 30,
      fps: 5,
    },
    Progress.Presets.shades_classic,
  );
  bar.start(Math.max(1, total), 0, { rate: '0' });
  return {
    increment() {
      done++;
      bar.update(done, { rate: Math.round(done / Math.max(0.001, (Date.now() - started) / 1000)).toString() });
    },
    stop() {
      bar.stop();
    },
  };
}
