import { readFileSync } from 'node:fs';

/** This thread's user + system CPU time in clock ticks (1/100 s), or -1 off Linux. */
export function threadTicks(statPath = '/proc/thread-self/stat'): number {
  try {
    const stat = readFileSync(statPath, 'latin1');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[11]) + Number(rest[12]);
  } catch {
    return -1;
  }
}
