// Register-blocked kernels on WebGPU against the loop interpreter, outputs poisoned with NaN:
// convolution blocked along its output channel and its width (and both), GEMM along m and n (and
// both), every block size, extents that do not divide by it, an epilogue per accumulator and an indirect read.

import { describe, expect, it } from 'vitest';
import { runProgram } from '../../ir/loop/run-program.js';
import { compareTensors } from '../../ir/testing/compare.js';
import { openDevice, type GpuDevice } from '../gpu/device.js';
import { compilePlan } from '../plan/compile-plan.js';
import { conv, gatherMax, type TestCase } from './test-programs.js';

let device: Promise<GpuDevice> | undefined;
const gpu = (): Promise<GpuDevice> => (device ??= openDevice({ warn: () => {} }));

/** Blocks `spec` is `dim:size[,dim:size]`. */
async function check({ p, inputs }: TestCase, spec: string): Promise<void> {
  const blocks = spec.split(',').map((b) => b.split(':')).map(([dim, size]) => ({ dim, size: Number(size) }));
  const want = runProgram(p, inputs).get('y')!;
  // The default blocks first removed (size 1), then the ones under test.
  const parallel = p.kernels[0].maps[0].dims.filter((d) => !d.reduce).map((d) => ({ dim: d.name, size: 1 }));
  const steps = [...parallel, ...blocks].map((p) => ({ t: 'register-block', at: 'k1.m0', p }));
  const plan = await compilePlan(p, await gpu(), { v: 1, steps });
  expect(plan.dispatches[0].schedule.registerBlocks).toEqual(blocks);
  expect(plan.dispatches[0].code).toContain(`var acc${blocks.map((b) => b.size - 1).join('_')}: f32`);
  const got = (await plan.run(inputs, { poison: true })).get('y')!;
  const cmp = compareTensors(got, want);
  expect(cmp.ok, cmp.detail).toBe(true);
}

describe('register-blocked convolution', () => {
  it.each([
    ['oc:2', 6], ['oc:4', 7], ['oc:8', 13], ['ow:4', 8], ['ow:2', 5], ['oh:2', 3],
    ['oc:4,ow:4', 7], ['oh:2,oc:8', 9], ['oc:4,ow:8', 4],
  ])('blocked %s (%i output channels)', async (spec, OC) => {
    // Stride 2, padding 1.
    await check(conv({ OC, H: 9, W: 11, k: 3, stride: 2, pad: 1 }), spec);
  });
});

describe('register-blocked GEMM', () => {
  it.each([['n:4', 10], ['m:8', 9], ['n:2', 7], ['m:4,n:4', 9], ['n:8,m:2', 6]])('blocked %s (extents %i)', async (spec, E) => {
    await check(gatherMax(E, E + 1, 12), spec);
  });
});
