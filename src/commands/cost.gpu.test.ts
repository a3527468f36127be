// `freight cost` on the device: the short profile is measured, the schedules are the device's
// defaults, and the kernels costed are exactly those the webgpu plan dispatches.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDevice } from '../../kernels/gpu/device.js';
import { compilePlan } from '../../kernels/plan/compile-plan.js';
import { loadModel, lowerModel } from '../model.js';
import { costModel } from './cost.js';

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

  it('refuses a --device that is not there rather than costing a nominal GPU', async () => {
    await expect(costModel(resnet, { shapes, device: 'no-such-gpu-xyz' })).rejects.toThrow(/no-such-gpu-xyz.*found: /);
  });
});
