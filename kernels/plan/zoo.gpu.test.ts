// Every zoo model at its small size compiled into one WebGPU plan and run once on poisoned
// buffers: each output must match the reference interpreter within 1e-4. Fails (never skips)
// when there is no WebGPU adapter.

import { describe, expect, it } from 'vitest';
import { ZOO } from '../../bench/zoo/index.js';
import { zooInputs } from '../../bench/zoo/zoo-inputs.js';
import { lowerGraph } from '../../ir/lower/lower.js';
import { importOnnx } from '../../ir/onnx/index.js';
import { runReference } from '../../ir/reference.js';
import { resolveGraph } from '../../ir/resolve.js';
import { compareTensors } from '../../ir/testing/compare.js';
import { openDevice, type GpuDevice } from '../gpu/device.js';
import { compilePlan } from './compile-plan.js';

let device: Promise<GpuDevice> | undefined;
const gpu = (): Promise<GpuDevice> => (device ??= openDevice({ warn: () => {} }));

describe.each(ZOO.map((m) => [m.name, m] as const))('zoo on WebGPU: %s (small)', (name, model) => {
  it('matches the reference interpreter', async () => {
    const bytes = model.build('small');
    const shapes = model.inputs('small');
    const graph = resolveGraph(importOnnx(bytes), { shapes });
    const inputs = zooInputs(bytes, shapes);
    const want = runReference(graph, inputs);
    const start = performance.now();
    const plan = await compilePlan(lowerGraph(graph), await gpu());
    const compiled = performance.now();
    const got = await plan.run(inputs, { poison: true });
    const ran = performance.now();
    for (const [output, expected] of want) {
      const cmp = compareTensors(got.get(output)!, expected, 1e-4);
      console.log(`${name} '${output}': maxRelError ${cmp.maxRelError.toExponential(2)}; ${plan.dispatches.length} dispatches, `
        + `${plan.pipelines} pipelines; compile ${(compiled - start).toFixed(0)} ms, run ${(ran - compiled).toFixed(0)} ms`);
      expect(cmp.ok, `${name} '${output}': ${cmp.detail}`).toBe(true);
    }
  });
});
