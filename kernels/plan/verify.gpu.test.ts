// What a verification run must catch and what a plan must refuse: an output element no map
// writes stays NaN (or trips the integer sentinel) and fails the comparison; schedules change how
// a map runs, never what it computes; illegal schedules and int64 values beyond int32 are refused
// with the reason.

import { describe, expect, it } from 'vitest';
import { c, read, v } from '../../ir/expr.js';
import type { Buffer, Program } from '../../ir/program.js';
import { compareTensors } from '../../ir/testing/compare.js';
import { uniform, rng } from '../../ir/testing/random.js';
import { runProgram } from '../../ir/loop/run-program.js';
import { tensorOf, type DType } from '../../ir/tensor.js';
import { openDevice, type GpuDevice } from '../gpu/device.js';
import { compilePlan } from './compile-plan.js';

let device: Promise<GpuDevice> | undefined;
const gpu = (): Promise<GpuDevice> => (device ??= openDevice({ warn: () => {} }));

const buffer = (name: string, shape: number[], kind: Buffer['kind'], dtype: DType = 'float32'): [string, Buffer] =>
  [name, { name, shape, dtype, kind }];

/** y[i] = x[i] * 2 over the first `covered` elements of 8 only. */
function halfWritten(dtype: DType, covered: number): Program {
  return {
    buffers: new Map([buffer('x', [8], 'input', dtype), buffer('y', [8], 'output', dtype)]),
    constants: new Map(),
    inputs: ['x'],
    outputs: [{ name: 'y', buffer: 'y' }],
    kernels: [{ id: 'k1', ops: ['half'], maps: [{
      dims: [{ name: 'i', extent: covered }], reads: [{ buffer: 'x', index: [v('i')] }],
      body: { k: 'bin', op: 'mul', a: read(0), b: c(2) }, write: { buffer: 'y', index: [v('i')] },
    }] }],
  };
}

/** y[i] = Σ_k x[i, k]: a reduction both strategies can run. */
const rowSums: Program = {
  buffers: new Map([buffer('x', [3, 500], 'input'), buffer('y', [3], 'output')]),
  constants: new Map(),
  inputs: ['x'],
  outputs: [{ name: 'y', buffer: 'y' }],
  kernels: [{ id: 'k1', ops: ['sum'], maps: [{
    dims: [{ name: 'i', extent: 3 }, { name: 'k', extent: 500, reduce: true }],
    reads: [{ buffer: 'x', index: [v('i'), v('k')] }], body: read(0), write: { buffer: 'y', index: [v('i')], wcr: 'sum' },
  }] }],
};

describe('verification runs', () => {
  it('leaves an unwritten float output NaN, which the comparison catches', async () => {
    const x = tensorOf('float32', [8], [1, 2, 3, 4, 5, 6, 7, 8]);
    const plan = await compilePlan(halfWritten('float32', 4), await gpu());
    const y = (await plan.run({ x }, { poison: true })).get('y')!;
    expect(Array.from(y.data as Float32Array).map(Number.isNaN)).toEqual([false, false, false, false, true, true, true, true]);
    const cmp = compareTensors(y, tensorOf('float32', [8], [2, 4, 6, 8, 10, 12, 14, 16]));
    expect(cmp.ok).toBe(false);
    expect(cmp.detail).toMatch(/element 4: NaN/);
    const full = await compilePlan(halfWritten('float32', 8), await gpu());
    expect(compareTensors((await full.run({ x }, { poison: true })).get('y')!, tensorOf('float32', [8], [2, 4, 6, 8, 10, 12, 14, 16])).ok).toBe(true);
  });

  it('reports an unwritten int64 element by name', async () => {
    const plan = await compilePlan(halfWritten('int64', 5), await gpu());
    await expect(plan.run({ x: tensorOf('int64', [8], [1, 2, 3, 4, 5, 6, 7, 8]) }, { poison: true }))
      .rejects.toThrow(/element 5 of 'y' was never written/);
  });

  it('refuses an int64 input beyond int32, naming it', async () => {
    const plan = await compilePlan(halfWritten('int64', 8), await gpu());
    await expect(plan.run({ x: tensorOf('int64', [8], [1, 2, 3, 2 ** 40, 5, 6, 7, 8]) })).rejects.toThrow(/'x' holds 1099511627776 at element 3/);
  });
});

describe('schedules', () => {
  const x = uniform(rng('sched'), [3, 500]);
  const want = runProgram(rowSums, { x }).get('y')!;

  it.each([
    ['default (workgroup tree)', []],
    ['serial', [{ t: 'reduction', at: 'k1', p: { strategy: 'serial' } }]],
    ['serial, workgroups of 7', [{ t: 'reduction', at: 'k1.m0', p: { strategy: 'serial' } }, { t: 'workgroup-size', at: 'k1', p: { size: 7 } }]],
    ['tree of 32', [{ t: 'workgroup-size', at: 'k1', p: { size: 32 } }]],
  ])('%s computes the same sums', async (_, steps) => {
    const plan = await compilePlan(rowSums, await gpu(), { v: 1, steps });
    const cmp = compareTensors((await plan.run({ x }, { poison: true })).get('y')!, want);
    expect(cmp.ok, cmp.detail).toBe(true);
  });

  it('refuses illegal steps with the reason', async () => {
    const tree = { t: 'reduction', at: 'k1', p: { strategy: 'workgroup-tree' } };
    await expect(compilePlan(rowSums, await gpu(), { v: 1, steps: [tree, { t: 'workgroup-size', at: 'k1', p: { size: 48 } }] }))
      .rejects.toThrow(/'workgroup-size' at 'k1': a workgroup tree needs a power-of-two workgroup size, not 48/);
    await expect(compilePlan(rowSums, await gpu(), { v: 1, steps: [{ t: 'split', at: 'k1', p: { size: 4 } }] }))
      .rejects.toThrow(/step kind 'split' at 'k1' is not supported/);
    await expect(compilePlan(rowSums, await gpu(), { v: 1, steps: [{ t: 'reduction', at: 'k9', p: { strategy: 'serial' } }] }))
      .rejects.toThrow(/no such kernel or map/);
  });
});
