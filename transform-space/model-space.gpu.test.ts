// Candidates of the space compiled into WebGPU plans (SwiftShader) and run on NaN-poisoned buffers:
// each output must match the loop interpreter on the candidate's fused program. A handful of
// samples and mutations of a zoo model (CRNN: convolutions, GEMMs, a recurrence), so that both fusion and schedule choices are exercised.

import { describe, expect, it } from 'vitest';
import { zooModel } from '../bench/zoo/index.js';
import { zooInputs } from '../bench/zoo/zoo-inputs.js';
import { runProgram } from '../ir/loop/run-program.js';
import { lowerGraph } from '../ir/lower/lower.js';
import { importOnnx } from '../ir/onnx/index.js';
import { resolveGraph } from '../ir/resolve.js';
import { compareTensors } from '../ir/testing/compare.js';
import { rng } from '../ir/testing/random.js';
import { openDevice, type GpuDevice } from '../kernels/gpu/device.js';
import { compilePlan } from '../kernels/plan/compile-plan.js';
import { targetOf } from '../kernels/target.js';
import type { Candidate } from './candidate.js';
import { modelSpace } from './model-space.js';

let device: Promise<GpuDevice> | undefined;
const gpu = (): Promise<GpuDevice> => (device ??= openDevice({ warn: () => {} }));

describe.each(['crnn'])('space candidates on WebGPU: %s (small)', (name) => {
  it('compute what the loop interpreter computes', async () => {
    const model = zooModel(name)!;
    const bytes = model.build('small');
    const shapes = model.inputs('small');
    const lowered = lowerGraph(resolveGraph(importOnnx(bytes), { shapes }));
    const g = await gpu();
    const space = modelSpace(lowered, { target: targetOf(g), fusion: { maxBindings: g.limits.maxStorageBuffersPerShaderStage } });
    const r = rng(`${name}:gpu`);
    const candidates: Candidate[] = [space.sample(r), space.sample(r), space.sample(r)];
    for (let i = 0; i < 3; i++) candidates.push(space.mutate(candidates[candidates.length - 1], r));
    const inputs = zooInputs(bytes, shapes);
    for (const c of candidates) {
      const { program, schedule } = space.materialize(c);
      const plan = await compilePlan(program, g, schedule, { fusion: false });
      const got = await plan.run(inputs, { poison: true });
      for (const [output, want] of runProgram(program, inputs)) {
        const cmp = compareTensors(got.get(output)!, want, 1e-4);
        expect(cmp.ok, `${name} '${output}' under ${c.fusion.length} fusions and ${JSON.stringify(c.schedule.steps)}: ${cmp.detail}`).toBe(true);
      }
    }
  }, 120_000);
});
