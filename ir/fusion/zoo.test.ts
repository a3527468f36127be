// The default fusion plan on every zoo model (small): fewer kernels, the same results as the
// unfused program on the loop interpreter (exactly: fusion keeps every store's rounding) and as
// the reference interpreter, ops recorded in graph order, the same plan every time; and the
// fusions that matter most are there (Conv + BatchNormalization + activation, MatMul + bias,
// the decomposed GELU, the decomposed LayerNorm as one row kernel).

import { describe, expect, it } from 'vitest';
import { ZOO } from '../../bench/zoo/index.js';
import { zooInputs } from '../../bench/zoo/zoo-inputs.js';
import type { Graph, Node } from '../graph.js';
import { lowerGraph } from '../lower/lower.js';
import { importOnnx } from '../onnx/index.js';
import type { Kernel } from '../program.js';
import { runReference } from '../reference.js';
import { resolveGraph } from '../resolve.js';
import { compareTensors } from '../testing/compare.js';
import { fuseProgram } from './fuse-program.js';
import { expectSameResults, mapCount } from './test-programs.js';

/** Whether kernel `k` computes a chain of nodes of these types, each reading the previous one's output. */
function holdsChain(g: Graph, k: Kernel, types: readonly string[]): boolean {
  const nodes = k.ops.map((name) => g.nodes.find((n) => n.name === name)!);
  const extend = (from: Node, rest: readonly string[]): boolean => rest.length === 0
    || nodes.some((n) => n.op === rest[0] && n.inputs.includes(from.outputs[0]) && extend(n, rest.slice(1)));
  return nodes.some((n) => n.op === types[0] && extend(n, types.slice(1)));
}

/** Chains of operators that some fused kernel of the model must hold. */
const EXPECTED: Readonly<Record<string, readonly (readonly string[])[]>> = {
  'resnet': [['Conv', 'BatchNormalization', 'Relu'], ['Conv', 'BatchNormalization', 'Add', 'Relu']],
  'mobilenet-v2': [['Conv', 'BatchNormalization', 'Clip']],
  'mobilenet-v3-small': [['Conv', 'BatchNormalization', 'HardSwish']],
  'efficientnet-b0': [['Conv', 'BatchNormalization', 'Sigmoid']],
  // The decomposed LayerNorm (mean, variance, normalize) as one row kernel.
  'bert-layer': [['MatMul', 'Add'], ['MatMul', 'Add', 'Div', 'Erf', 'Add', 'Mul', 'Mul'],
    ['ReduceMean', 'Sub', 'Pow', 'ReduceMean', 'Add', 'Sqrt', 'Div', 'Mul', 'Add']],
  'vit-block': [['MatMul', 'Add', 'Div', 'Erf', 'Add', 'Mul', 'Mul']],
  'unet': [['Conv', 'BatchNormalization', 'Relu']],
  'crnn': [['Conv', 'Relu'], ['MatMul', 'Add']],
};

describe.each(ZOO.map((m) => [m.name, m] as const))('default fusion plan: %s (small)', (name, model) => {
  const bytes = model.build('small');
  const shapes = model.inputs('small');
  const graph = resolveGraph(importOnnx(bytes), { shapes });
  const lowered = lowerGraph(graph);
  const { program: fused, decisions } = fuseProgram(lowered);

  it('leaves fewer kernels, each with unique id and its ops in graph order, the same every time', () => {
    console.log(`${name}: ${lowered.kernels.length} kernels (${mapCount(lowered)} maps) → ${fused.kernels.length} kernels (${mapCount(fused)} maps), ${decisions.length} fusions`);
    expect(fused.kernels.length).toBeLessThan(lowered.kernels.length);
    expect(new Set(fused.kernels.map((k) => k.id)).size).toBe(fused.kernels.length);
    const position = new Map(graph.nodes.map((n, i) => [n.name, i]));
    for (const k of fused.kernels) {
      const order = k.ops.map((op) => position.get(op)!);
      expect(order, `${k.id} ops`).toEqual([...order].sort((a, b) => a - b));
    }
    const again = fuseProgram(lowered);
    expect(again.decisions).toEqual(decisions);
    expect(again.program.kernels).toEqual(fused.kernels);
  });

  it('computes what the unfused program computes, and matches the reference interpreter', () => {
    const inputs = zooInputs(bytes, shapes);
    const got = expectSameResults(lowered, fused, inputs);
    for (const [output, expected] of runReference(graph, inputs)) {
      const cmp = compareTensors(got.get(output)!, expected, 1e-4);
      expect(cmp.ok, `${name} '${output}': ${cmp.detail}`).toBe(true);
    }
  });

  it('fuses the chains that matter', () => {
    for (const chain of EXPECTED[name] ?? []) {
      expect(fused.kernels.some((k) => holdsChain(graph, k, chain)), `${chain.join(' → ')} in one kernel`).toBe(true);
    }
  });
});
