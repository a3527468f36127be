// A vitest setup file: every operator test of ir/ (ir/testing/check-op.ts) also runs the lowered
// program as a WebGPU plan and compares it with ONNX Runtime. One device per test worker.

import { registerCheckLeg } from '../../ir/testing/check-op.js';
import { openDevice, type GpuDevice } from '../gpu/device.js';
import { compilePlan } from '../plan/compile-plan.js';

let gpu: Promise<GpuDevice> | undefined;

registerCheckLeg('webgpu', async (program, inputs) => {
  gpu ??= openDevice({ warn: () => {} });
  const plan = await compilePlan(program, await gpu);
  return plan.run(inputs);
});
