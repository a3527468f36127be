// Row kernels on WebGPU: a decomposed LayerNorm, a decomposed Softmax and the Softmax op, each one
// dispatch, under both strategies (invocation per row; workgroup per row with a tree, and with a
// subgroup where the device has subgroup operations), on NaN-poisoned outputs, against ONNX Runtime.

import { describe, expect, it } from 'vitest';
import { normal, rng } from '../../ir/testing/random.js';
import { compareTensors } from '../../ir/testing/compare.js';
import { runOrt } from '../../ir/testing/ort.js';
import { openDevice, type GpuDevice } from '../gpu/device.js';
import { compilePlan } from '../plan/compile-plan.js';
import type { ScheduleStep } from '../schedule.js';
import { targetOf } from '../target.js';
import { rowModel, type RowModelName } from './row-test-models.js';

let device: Promise<GpuDevice> | undefined;
const gpu = (): Promise<GpuDevice> => (device ??= openDevice({ warn: () => {} }));

/** 40 features: not a power of two, and more than a 16-wide workgroup, so phases stride. */
const SHAPE = [3, 5, 40];

const at = 'k0.m0';
const STRATEGIES: Readonly<Record<string, readonly ScheduleStep[]>> = {
  'invocation per row': [{ t: 'reduction', at, p: { strategy: 'serial' } }, { t: 'workgroup-size', at, p: { size: 4 } }],
  'workgroup per row (tree of 16)': [{ t: 'reduction', at, p: { strategy: 'workgroup-tree' } }, { t: 'workgroup-size', at, p: { size: 16 } }],
  'workgroup per row (tree of 64)': [{ t: 'reduction', at, p: { strategy: 'workgroup-tree' } }, { t: 'workgroup-size', at, p: { size: 64 } }],
};

/** Runs `name` under `steps` as one dispatch on poisoned buffers and compares with ORT; returns the WGSL. */
async function checkRows(name: RowModelName, steps: readonly ScheduleStep[]): Promise<string> {
  const m = rowModel(name, SHAPE);
  expect(m.fused.kernels.map((k) => k.maps.length)).toEqual([3]);
  const inputs = { x: normal(rng(name), SHAPE, 3) };
  const want = (await runOrt(m.bytes, inputs, { warm: false })).outputs.get('y')!;
  const plan = await compilePlan(m.lowered, await gpu(), { v: 1, steps });
  expect(plan.dispatches.map((d) => d.site)).toEqual(['k0']);
  const cmp = compareTensors((await plan.run(inputs, { poison: true })).get('y')!, want, 1e-4);
  expect(cmp.ok, `${name}: ${cmp.detail}`).toBe(true);
  return plan.dispatches[0].code;
}

describe.each(['layernorm', 'softmax-decomposed', 'softmax'] as const)('row kernel on WebGPU: %s', (name) => {
  it.each(Object.entries(STRATEGIES))('matches ONNX Runtime as one dispatch, %s', async (strategy, steps) => {
    const code = await checkRows(name, steps);
    expect(code.includes('storageBarrier()')).toBe(strategy !== 'invocation per row');
  });

  it('reduces rows with one subgroup operation where the device has them, and refuses it where not', async () => {
    const steps: ScheduleStep[] = [{ t: 'reduction', at, p: { strategy: 'subgroup' } }];
    if (targetOf(await gpu()).subgroups) {
      expect(await checkRows(name, steps)).toMatch(/subgroup(Add|Max)\(acc\)/);
    } else {
      await expect(compilePlan(rowModel(name, SHAPE).lowered, await gpu(), { v: 1, steps })).rejects.toThrow(/needs subgroup operations/);
    }
  });
});
