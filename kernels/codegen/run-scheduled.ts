// For the GPU tests of schedule primitives: a one-map test program compiled under schedule steps
// on WebGPU, run on NaN-poisoned outputs and compared with the loop interpreter.

import { expect } from 'vitest';
import { runProgram } from '../../ir/loop/run-program.js';
import { compareTensors } from '../../ir/testing/compare.js';
import { openDevice, type GpuDevice } from '../gpu/device.js';
import { compilePlan } from '../plan/compile-plan.js';
import type { ScheduleStep } from '../schedule.js';
import type { TestCase } from './test-programs.js';

let device: Promise<GpuDevice> | undefined;
const gpu = (): Promise<GpuDevice> => (device ??= openDevice({ warn: () => {} }));

/** A step at the test program's map. */
export const step = (t: string, p: Record<string, unknown>): ScheduleStep => ({ t, at: 'k1.m0', p });
export const block = (dim: string, size: number): ScheduleStep => step('register-block', { dim, size });

/** Runs `steps` (after removing the default register blocks, and the vec4 accesses with them), checks the result and returns the WGSL. */
export async function checkScheduled({ p, inputs }: TestCase, steps: readonly ScheduleStep[]): Promise<string> {
  const want = runProgram(p, inputs).get('y')!;
  const unblocked = p.kernels[0].maps[0].dims.filter((d) => !d.reduce).map((d) => block(d.name, 1));
  const plan = await compilePlan(p, await gpu(), { v: 1, steps: [...unblocked, ...steps] });
  const got = (await plan.run(inputs, { poison: true })).get('y')!;
  const cmp = compareTensors(got, want);
  expect(cmp.ok, cmp.detail).toBe(true);
  return plan.dispatches[0].code;
}
