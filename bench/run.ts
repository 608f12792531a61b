/**
 * `npm run bench`: every speed target of the project, measured on this machine.
 * Not part of `npm test` (timings are not assertions). Select with arguments:
 *   npm run bench -- reader writer callbacks cdriver
 */
import { runReaderBench } from './reader.js';
import { benchWriter } from './writer.js';
import { benchCallbacks } from './callbacks.js';
import { runCDriverBench } from './cdriver.js';

const selected = new Set(process.argv.slice(2));
const wants = (name: string): boolean => selected.size === 0 || selected.has(name);

if (wants('reader')) {
  console.log('== reader: synthetic 4 GiB sparse bitmap dump ==');
  const report = await runReaderBench();
  for (const line of report.lines) console.log(line);
}
if (wants('callbacks')) {
  console.log('\n== kernel: bug check with 10,000 registered callbacks ==');
  for (const line of benchCallbacks(10_000).lines) console.log(line);
}
if (wants('writer')) {
  console.log('\n== writer: kernel and complete dumps of populated machines vs dd ==');
  benchWriter({ log: (line) => console.log(line) });
}
if (wants('cdriver')) {
  console.log('\n== C drivers: toolchain, cache, 10,000 C routines vs TypeScript, peak RSS ==');
  for (const line of (await runCDriverBench({ quick: process.argv.includes('--quick') })).lines) console.log(line);
}
