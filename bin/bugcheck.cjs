#!/usr/bin/env node
// Launcher: the built CLI when dist/ exists, otherwise the TypeScript sources through tsx.
import { existsSync } from 'node:fs';

// A closed pipe (`bugcheck … | head`) ends the output, not the program with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => process.exit(err.code === 'EPIPE' ? (process.exitCode ?? 0) : 1));
}

const built = new URL('../dist/src/cli/main.js', import.meta.url);
let entry = built;
if (!existsSync(built)) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = new URL('../src/cli/main.ts', import.meta.url);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
