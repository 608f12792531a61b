import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  /** stdout exactly as written (for binary output). */
  stdoutBytes: Buffer;
  stderr: string;
}

/** Runs the CLI in-process with captured, non-TTY output and colours off unless `env` says otherwise. */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined> = {},
  tty = false,
): Promise<CliRun> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const capture = (into: Buffer[]) => ({
    isTTY: tty,
    write(chunk: string | Uint8Array): boolean {
      into.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
      return true;
    },
  });
  const code = await main(argv, { stdout: capture(out), stderr: capture(err), env });
  const stdoutBytes = Buffer.concat(out);
  return { code, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr: Buffer.concat(err).toString('utf8') };
}

/** Parses stdout as JSON, failing with the output when it is not. */
export function json<T = unknown>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${run.code}):\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}
