// `freight run --backend webgpu` through the public path: the same seeded inputs give the same
// outputs as the reference backend (1e-4), and the SwiftShader warning reaches the caller.

import { describe, expect, it } from 'vitest';
import { compareTensors } from '../../ir/testing/compare.js';
import { runModel } from './run.js';

describe('run --backend webgpu', () => {
  it('matches the reference backend on the BERT example', async () => {
    const shapes = { hidden: [2, 8, 64], attention_mask: [2, 8] };
    const warnings: string[] = [];
    const gpu = await runModel('examples/bert-layer.onnx', { shapes, backend: 'webgpu', warn: (m) => warnings.push(m) });
    const ref = await runModel('examples/bert-layer.onnx', { shapes, backend: 'reference' });
    expect(gpu.report.backend).toBe('webgpu');
    const cmp = compareTensors(gpu.outputs.get('output')!, ref.outputs.get('output')!);
    expect(cmp.ok, cmp.detail).toBe(true);
    // No GPU in CI: SwiftShader, and the user is told its timings are not a GPU's.
    if (warnings.length) expect(warnings[0]).toMatch(/SwiftShader/);
  });
});
