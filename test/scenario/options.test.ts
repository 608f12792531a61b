import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatByteSize,
  parseByteSize,
  parseScenarioOptions,
  ScenarioError,
  scenarioMachineOptions,
  createScenarioSystem,
} from '../../src/scenario/index.js';

function optionError(input: unknown): ScenarioError {
  try {
    parseScenarioOptions(input);
  } catch (error) {
    assert.ok(error instanceof ScenarioError, `expected ScenarioError, got ${String(error)}`);
    assert.equal(error.code, 'E_SCENARIO_OPTIONS');
    return error;
  }
  assert.fail(`options ${JSON.stringify(input)} were accepted`);
}

describe('scenario sizes', () => {
  it('reads binary sizes in the usual spellings', () => {
    assert.equal(parseByteSize('256MiB'), 256n << 20n);
    assert.equal(parseByteSize('1 GiB'), 1n << 30n);
    assert.equal(parseByteSize('512M'), 512n << 20n);
    assert.equal(parseByteSize('64mb'), 64n << 20n);
    assert.equal(parseByteSize('4096'), 4096n);
    assert.equal(parseByteSize(134217728), 128n << 20n);
    assert.equal(parseByteSize(1n << 40n), 1n << 40n);
    for (const bad of ['lots', '12 parsecs', '-5MiB', '1.5GiB', '', -1, 1.5, true, null, {}])
      assert.equal(parseByteSize(bad), undefined, String(bad));
  });

  it('writes sizes with the largest unit that divides them', () => {
    assert.equal(formatByteSize(256n << 20n), '256MiB');
    assert.equal(formatByteSize(3n << 30n), '3GiB');
    assert.equal(formatByteSize(1536n << 10n), '1536KiB');
    assert.equal(formatByteSize(1000n), '1000 bytes');
  });
});

describe('scenario options', () => {
  it('fills the scenario defaults: 256MiB, a kernel dump, dumps enabled', () => {
    const o = parseScenarioOptions(undefined);
    assert.equal(o.memoryBytes, 256n << 20n);
    assert.deepEqual(o.dump.kinds, ['kernel']);
    assert.equal(o.dump.enabled, true);
    assert.equal(o.processors, undefined);
    assert.equal(o.name, undefined);
  });

  it('accepts every documented option', () => {
    const o = parseScenarioOptions({
      name: 'my-case.1',
      description: 'a test',
      memory: '1GiB',
      processors: 8,
      build: 22621,
      productType: 3,
      seed: 7,
      dump: { kind: ['small', 'complete', 'small'], enabled: true, completeFormat: 'runs', ioChunkBytes: 0x10000 },
      kernel: { callbackOrder: 'lifo', secondaryData: { maximumAllowed: 0x1000 } },
    });
    assert.equal(o.name, 'my-case.1');
    assert.equal(o.memoryBytes, 1n << 30n);
    assert.equal(o.processors, 8);
    assert.equal(o.build, 22621);
    assert.equal(o.productType, 3);
    assert.equal(o.seed, 7);
    assert.deepEqual(o.dump.kinds, ['small', 'complete'], 'duplicates dropped, order kept');
    assert.equal(o.dump.completeFormat, 'runs');
    assert.equal(o.kernel.callbackOrder, 'lifo');
  });

  it('"all" means the three kinds', () => {
    assert.deepEqual(parseScenarioOptions({ dump: { kind: 'all' } }).dump.kinds, ['complete', 'kernel', 'small']);
  });

  it('names the option in every error', () => {
    assert.equal(
      optionError({ memory: 'lots' }).message,
      'scenario option "memory": expected a size like "256MiB", got "lots"',
    );
    assert.equal(optionError({ memory: true }).message, 'scenario option "memory": expected a size like "256MiB"');
    assert.equal(optionError({ memory: '16MiB' }).message, 'scenario option "memory": 16MiB is outside 64MiB..64TiB');
    assert.equal(
      optionError({ memory: (64 << 20) + 512 }).message,
      'scenario option "memory": 67109376 bytes is not a whole number of 4KiB pages',
    );
    assert.match(
      optionError({ processors: 65 }).message,
      /^scenario option "processors": number must be less than or equal to 64$/,
    );
    assert.match(
      optionError({ processors: 'two' }).message,
      /^scenario option "processors": expected number, received string$/,
    );
    assert.match(
      optionError({ dump: { kind: 'full' } }).message,
      /^scenario option "dump\.kind": expected "complete", "kernel", "small", "all"/,
    );
    assert.match(
      optionError({ kernel: { callbackOrder: 'random' } }).message,
      /^scenario option "kernel\.callbackOrder": invalid enum value/,
    );
    assert.match(optionError({ name: '../escape' }).message, /^scenario option "name": expected a file-name-safe name/);
  });

  it('refuses unknown options and says which ones exist', () => {
    const top = optionError({ memory: '64MiB', colour: 'red' });
    assert.equal(
      top.message,
      'scenario option "colour" is not known (known: name, description, memory, processors, build, productType, seed, dump, kernel)',
    );
    const nested = optionError({ kernel: { secondaryData: { maximumAlowed: 1 } } });
    assert.match(
      nested.message,
      /^scenario option "kernel\.secondaryData\.maximumAlowed" is not known \(known in "kernel\.secondaryData": inBufferLength, maximumAllowed,/,
    );
    assert.match(
      optionError({ dump: { path: 'x.dmp' } }).message,
      /^scenario option "dump\.path" is not known \(known in "dump": kind, enabled, completeFormat, ioChunkBytes, modelDiagnostics\)$/,
    );
    assert.match(optionError({ kernel: { dump: {} } }).message, /^scenario option "kernel\.dump" is not known/);
  });

  it('reports every bad option at once', () => {
    const e = optionError({ memory: 'x', processors: 0 });
    assert.deepEqual(e.details.issues, [
      'scenario option "memory": expected a size like "256MiB", got "x"',
      'scenario option "processors": number must be greater than or equal to 1',
    ]);
    assert.equal(e.message, (e.details.issues as string[]).join('; '));
  });

  it('refuses options that are not an object', () => {
    assert.equal(optionError(['memory']).message, 'scenario options must be an object, got an array');
    assert.equal(optionError(5).message, 'scenario options must be an object, got number');
  });

  it('become the machine options and kernel settings of a run', () => {
    const o = parseScenarioOptions({
      memory: '96MiB',
      processors: 3,
      build: 22000,
      seed: 11,
      dump: { completeFormat: 'runs' },
      kernel: { callbackOrder: 'lifo' },
    });
    const { machine, kernel } = scenarioMachineOptions(o, 'complete', '/somewhere/x.dmp');
    assert.deepEqual(machine, { memoryBytes: 96n << 20n, processors: 3, build: 22000, seed: 11 });
    assert.equal(kernel.callbackOrder, 'lifo');
    assert.deepEqual(kernel.dump, {
      enabled: true,
      kind: 'complete',
      path: '/somewhere/x.dmp',
      completeFormat: 'runs',
    });
    const system = createScenarioSystem(o, 'complete', '/somewhere/x.dmp');
    assert.equal(system.machine.options.memoryBytes, 96n << 20n);
    assert.equal(system.machine.processors.length, 3);
    assert.equal(system.machine.options.build, 22000);
    assert.equal(system.kernel.settings.callbackOrder, 'lifo');
    assert.equal(system.kernel.settings.dump.kind, 'complete');
    assert.equal(system.kernel.settings.dump.completeFormat, 'runs');
  });
});
