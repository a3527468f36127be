// Test helper: the RawModel of one node (same naming as check-op: inputs in0.., outputs
// out0..), for refusal tests that must not reach ONNX Runtime and for runs with a custom
// fold limit. check-op keeps its own builder private.

import { expect } from 'vitest';
import type { Attribute, RawModel } from '../../graph.js';
import { lowerGraph } from '../../lower/lower.js';
import { runProgram } from '../../loop/run-program.js';
import { resolveGraph } from '../../resolve.js';
import type { Tensor } from '../../tensor.js';
import { compareTensors } from '../../testing/compare.js';
import type { InputSpec } from '../../testing/check-op.js';

export type SimpleAttr = number | string | readonly number[] | Tensor;

function toAttribute(a: SimpleAttr): Attribute {
  if (typeof a === 'number') return { kind: Number.isInteger(a) ? 'int' : 'float', value: a };
  if (typeof a === 'string') return { kind: 'string', value: a };
  if ('dtype' in a) return { kind: 'tensor', value: a };
  return { kind: 'ints', value: a };
}

export function oneNodeModel(op: string, inputs: readonly InputSpec[], attrs: Readonly<Record<string, SimpleAttr>> = {}, outputs = 1): RawModel {
  const outs = Array.from({ length: outputs }, (_, i) => `out${i}`);
  return {
    opset: 21,
    irVersion: 8,
    producer: 'movement-test',
    graph: {
      name: `${op}-test`,
      nodes: [{
        name: 'node', op, domain: '', inputs: inputs.map((x, i) => (x ? `in${i}` : '')), outputs: outs,
        attrs: Object.fromEntries(Object.entries(attrs).map(([k, a]) => [k, toAttribute(a)])),
      }],
      inputs: inputs.flatMap((x, i) => (x && !('constant' in x) ? [{ name: `in${i}`, dtype: x.dtype, shape: [...x.shape] }] : [])),
      outputs: outs.map((name) => ({ name, dtype: 'float32', shape: null })),
      initializers: new Map(inputs.flatMap((x, i) => (x && 'constant' in x ? [[`in${i}`, x.constant] as const] : []))),
    },
  };
}

/** Resolves the node with folding off, so that even all-constant nodes are lowered and run. */
export function runUnfolded(model: RawModel, runtime: Readonly<Record<string, Tensor>> = {}): Map<string, Tensor> {
  const graph = resolveGraph(model, { foldLimit: 0 });
  expect(graph.nodes.length).toBe(1);
  return runProgram(lowerGraph(graph), runtime);
}

export function expectSame(actual: Tensor, expected: Tensor): void {
  const cmp = compareTensors(actual, expected);
  expect(cmp.detail ?? 'ok').toBe('ok');
}
