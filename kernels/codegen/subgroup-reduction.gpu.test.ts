// Subgroup reductions on WebGPU against the loop interpreter, outputs poisoned with NaN: every wcr
// kind with an epilogue, reduce extents that are not a multiple of the subgroup size (and one
// shorter than it), two reduce dims reordered, an indirect read, several parallel dims. Each case
// also checks that the WGSL combines with a subgroup operation, not through workgroup memory.

import { describe, expect, it } from 'vitest';
import { runProgram } from '../../ir/loop/run-program.js';
import type { Wcr } from '../../ir/program.js';
import { compareTensors } from '../../ir/testing/compare.js';
import { openDevice, type GpuDevice } from '../gpu/device.js';
import { compilePlan } from '../plan/compile-plan.js';
import type { ScheduleStep } from '../schedule.js';
import { targetOf } from '../target.js';
import { gatherMax, gemm, matvec, type TestCase } from './test-programs.js';

let device: Promise<GpuDevice> | undefined;
const gpu = (): Promise<GpuDevice> => (device ??= openDevice({ warn: () => {} }));

const step = (t: string, p: Record<string, unknown>): ScheduleStep => ({ t, at: 'k1.m0', p });
const subgroup = step('reduction', { strategy: 'subgroup' });

/** Runs the map under a subgroup reduction (then `more`) and returns the WGSL. */
async function check({ p, inputs }: TestCase, more: readonly ScheduleStep[] = []): Promise<string> {
  const g = await gpu();
  const want = runProgram(p, inputs).get('y')!;
  const plan = await compilePlan(p, g, { v: 1, steps: [subgroup, ...more] });
  const d = plan.dispatches[0];
  expect(d.schedule.reduction).toBe('subgroup');
  const got = (await plan.run(inputs, { poison: true })).get('y')!;
  const cmp = compareTensors(got, want);
  expect(cmp.ok, cmp.detail).toBe(true);
  expect(d.code).toMatch(/^enable subgroups;/);
  expect(d.code).not.toContain('workgroupBarrier');
  expect(d.code).not.toContain('var<workgroup>');
  return d.code;
}

describe('subgroup reduction', () => {
  it('runs where the device has subgroups (SwiftShader does)', async () => {
    expect(targetOf(await gpu()).subgroups).toBe(true);
  });

  it.each([['sum', 'subgroupAdd'], ['prod', 'subgroupMul'], ['max', 'subgroupMax'], ['min', 'subgroupMin']] as [Wcr, string][])(
    '%s: 7×11 reduce steps per output, an epilogue, one subgroup per workgroup', async (wcr, op) => {
      const code = await check(matvec(5, 7, 11, wcr));
      expect(code).toContain(`let total = ${op}(acc);`);
      expect(code).toContain(`@workgroup_size(${targetOf(await gpu()).subgroupSize})`);
    });

  it('leaves lanes idle where the reduction is shorter than the subgroup', async () => {
    await check(matvec(3, 1, 3, 'sum'));
  });

  it('nests the reduce dims in the schedule order', async () => {
    const code = await check(matvec(4, 6, 9, 'max'), [step('reorder', { order: ['m', 'k2', 'k1'] })]);
    expect(code).toContain('let v2 = (q / 6);');
  });

  it('reduces a GEMM with an indirect read and one over two parallel dims', async () => {
    await check(gatherMax(3, 5, 13));
    await check(gemm(3, 6, 37));
  });

  it('works in a workgroup smaller than the subgroup', async () => {
    const code = await check(matvec(5, 3, 7, 'sum'), [step('workgroup-size', { size: 2 })]);
    expect(code).toContain('@workgroup_size(2)');
  });
});
