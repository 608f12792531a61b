/**
 * `npm run bench`: every speed target of the project, measured on this machine.
 * Not part of `npm test` (timings are not assertions). Select with arguments:
 *   npm run bench -- reader writer callbacks
 */
import { runReaderBench } from './reader.js';
import { benchWriter } from './writer.js';
import { benchCallbacks } from './callbacks.js';
import { runFleetBench } from './fleet.js';

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
if (wants('fleet')) {
  console.log('\n== fleet: bucket over 10,000 small dumps, --jobs 1 and --jobs 2 ==');
  for (const line of (await runFleetBench({ quick: process.argv.includes('--quick') })).lines) console.log(line);
}
