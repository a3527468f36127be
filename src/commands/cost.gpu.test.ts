// `freight cost` on the device: the short profile is measured, the schedules are the device's
// defaults, and the kernels costed are exactly those the webgpu plan dispatches.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OnnxBuilder } from '../../ir/onnx/index.js';
import { openDevice } from '../../kernels/gpu/device.js';
import { compilePlan, planProgram } from '../../kernels/plan/compile-plan.js';
import { resolveSchedule } from '../../kernels/schedule.js';
import { loadModel, lowerModel } from '../model.js';
import { costDevice, costModel } from './cost.js';

const resnet = fileURLToPath(new URL('../../examples/resnet.onnx', import.meta.url));
const shapes = { input: [1, 3, 32, 32] };

describe('freight cost on SwiftShader', () => {
  it('measures a short profile and costs every kernel the plan dispatches', async () => {
    const report = await costModel(resnet, { shapes, warn: () => {} });
    expect(report.device).toMatchObject({ kind: 'swiftshader', profile: 'measured (short)', simdWidth: 4 });
    for (const figure of [report.device.copyGBps, report.device.fmaGflops, report.device.dispatchUs]) expect(figure).toBeGreaterThan(0);
    const plan = await compilePlan(lowerModel(loadModel(resnet, { shapes })), await openDevice({ warn: () => {} }));
    expect(report.kernels.map((k) => k.id)).toEqual([...new Set(plan.dispatches.map((d) => d.site.split('.')[0]))]);
    expect(report.note).toBeUndefined();
    // Every kernel pays at least its dispatch; the convolutions move more than their compulsory bytes.
    for (const k of report.kernels) expect(k.predictedMs).toBeGreaterThanOrEqual(report.device.dispatchUs / 1000);
    for (const k of report.kernels.filter((x) => x.ops.some((op) => op.endsWith('/Conv')))) expect(k.bytesMoved).toBeGreaterThan(k.bytesLowerBound);
  });

  it('costs the schedules the plan dispatches, the device\'s subgroup reductions included', async () => {
    // One long reduction with a single output: a subgroup reduction where the device has them.
    const b = new OnnxBuilder({ opset: 17, producer: 'cost-test' });
    b.output(b.op('ReduceMean', [b.input('x', 'float32', [1, 4096])], { axes: [-1] }), 'float32', [1, 1]);
    const model = join(mkdtempSync(join(tmpdir(), 'freight-cost-')), 'mean.onnx');
    writeFileSync(model, b.encode());
    const device = await costDevice({ warn: () => {} });
    expect(device.target).toMatchObject({ subgroups: true, subgroupSize: 4 });
    const lowered = lowerModel(loadModel(model, { shapes: {} }));
    const schedules = resolveSchedule(planProgram(lowered, device.limits), undefined, device.target);
    const plan = await compilePlan(lowered, await openDevice({ warn: () => {} }));
    for (const d of plan.dispatches) expect(schedules.get(d.site), d.site).toEqual(d.schedule);
    expect(plan.dispatches.some((d) => d.schedule.reduction === 'subgroup')).toBe(true);
  });

  it('refuses a --device that is not there rather than costing a nominal GPU', async () => {
    await expect(costModel(resnet, { shapes, device: 'no-such-gpu-xyz' })).rejects.toThrow(/no-such-gpu-xyz.*found: /);
  });
});
