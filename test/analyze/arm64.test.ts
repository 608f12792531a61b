import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DumpAnalysis } from '../../src/analyze/index.js';
import { A64, A64_CONTEXT, A64_RETURNS, buildArm64KernelDump } from '../synth/arm64.js';
import { json, runCli } from '../cli/helpers.js';
import { writeTemp } from './helpers.js';

const hex = (v: bigint | number): string => `0x${v.toString(16)}`;

describe('analyze on a synthetic ARM64 kernel dump', () => {
  it('registers: KPRCB.Context decoded as ARM64 (x0–x28, fp, lr, sp, pc, cpsr, fpcr, fpsr, v0–v31), the header copy apart', async () => {
    const path = await writeTemp(buildArm64KernelDump().bytes, 'arm64');
    const run = await runCli(['analyze', path, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const a = json<DumpAnalysis>(run);
    assert.equal(a.machine, 'ARM64');
    const c = a.context;
    assert.equal(c?.architecture, 'ARM64');
    if (c?.architecture !== 'ARM64') return;
    assert.equal(c.source, 'KPRCB.Context (processor 0, KiProcessorBlock[0])');
    assert.equal(a.crashState?.processorChoice, 'its KPRCB.Context has the pc and sp of the header ContextRecord');
    for (let i = 0; i <= 28; i++) assert.equal(c.registers[`x${i}`], hex(A64_CONTEXT.x[i]!), `x${i}`);
    assert.equal(c.fp, hex(A64_CONTEXT.fp));
    assert.equal(c.lr, hex(A64_CONTEXT.lr));
    assert.equal(c.sp, hex(A64_CONTEXT.sp));
    assert.equal(c.pc, hex(A64_CONTEXT.pc));
    assert.equal(c.cpsr, hex(A64_CONTEXT.cpsr));
    assert.equal(c.fpcr, hex(A64_CONTEXT.fpcr));
    assert.equal(c.fpsr, hex(A64_CONTEXT.fpsr));
    assert.deepEqual([c.registers.fp, c.registers.lr, c.registers.sp, c.registers.pc], [c.fp, c.lr, c.sp, c.pc]);
    assert.equal(c.vectors.v0, hex((A64_CONTEXT.v0.high << 64n) | A64_CONTEXT.v0.low));
    assert.equal(Object.keys(c.vectors).length, 32);
    assert.equal(a.headerContext?.source, 'header ContextRecord');
    assert.deepEqual(a.headerContext?.registers, c.registers);
  });

  it('stack: the frame-record chain fp → { previous fp, lr }, pointer authentication stripped', async () => {
    const path = await writeTemp(buildArm64KernelDump().bytes, 'arm64');
    const a = json<DumpAnalysis>(await runCli(['analyze', path, '--json']));
    assert.deepEqual(
      a.stack?.map((f) => [f.pc, f.sp, f.method, f.symbol]),
      [
        [hex(A64_CONTEXT.pc), hex(A64.stack + 0x100n), 'context', 'nt+0x1014'],
        [hex(A64_RETURNS[0]!), hex(A64.stack + 0x110n), 'frame-record', 'nt+0x1100'],
        [hex(A64_RETURNS[1]!), hex(A64.stack + 0x210n), 'frame-record', 'drv+0x2048'],
        [hex(A64_RETURNS[2]!), hex(A64.stack + 0x310n), 'frame-record', 'nt+0x1200'],
      ],
    );
    assert.equal(a.modules.loaded, 2, 'PsLoadedModuleList read through ARM64 translation');
    assert.equal(a.faultingModule?.name, 'drv');
    assert.equal(a.faultingModule?.source, 'stack frame 2');
    assert.equal(a.failureBucketId, '0x1C8_drv+0x2048');
  });

  it('text: ARM64 registers in WinDbg’s layout and STACK_TEXT', async () => {
    const path = await writeTemp(buildArm64KernelDump().bytes, 'arm64');
    const run = await runCli(['analyze', path]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^ x0=0000000000000000 {2}x1=0000000000001111 {2}x2=0000000000002222 {2}x3=0000000000003333$/m,
    );
    assert.match(
      run.stdout,
      /^x28=000000000001dddc {2}fp=fffff80000200100 {2}lr=0000000000000000 {2}sp=fffff80000200100$/m,
    );
    assert.match(run.stdout, /^ pc=fffff80000001014 cpsr=80000144 fpcr=00000000 fpsr=00000010$/m);
    assert.match(run.stdout, /^02 fffff800`00200210 fffff800`00001200 +drv\+0x2048 +\(frame-record\)$/m);
    const header = await runCli(['header', path]);
    assert.match(header.stdout, /CONTEXT \(ARM64\): Pc=fffff800`00001014 Sp=fffff800`00200100/);
  });
});
