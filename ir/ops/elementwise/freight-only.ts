// Test support: one node resolved and run by freight alone, without ONNX Runtime. For refusals
// (ONNX Runtime rejects an invalid model with its own message before freight would see it) and
// for dtypes ONNX allows but ONNX Runtime's CPU provider has no kernel for.

import type { Attribute, Graph, RawModel } from '../../graph.js';
import { lowerGraph } from '../../lower/lower.js';
import { runProgram } from '../../loop/run-program.js';
import { runReference } from '../../reference.js';
import { resolveGraph } from '../../resolve.js';
import type { Tensor } from '../../tensor.js';
import type { InputSpec } from '../../testing/check-op.js';

export interface FreightCase {
  readonly op: string;
  readonly inputs: readonly InputSpec[];
  readonly attrs?: Readonly<Record<string, Attribute>>;
  readonly outputs?: number;
}

export const int = (value: number): Attribute => ({ kind: 'int', value });
export const float = (value: number): Attribute => ({ kind: 'float', value });
export const str = (value: string): Attribute => ({ kind: 'string', value });

const isConstant = (x: InputSpec): x is { readonly constant: Tensor } => x !== null && 'constant' in x;

function model(c: FreightCase): RawModel {
  const outputs = Array.from({ length: c.outputs ?? 1 }, (_, i) => `out${i}`);
  return {
    opset: 21,
    irVersion: 8,
    producer: 'elementwise-test',
    graph: {
      name: c.op,
      nodes: [{ name: 'node', op: c.op, domain: '', inputs: c.inputs.map((x, i) => (x ? `in${i}` : '')), outputs, attrs: c.attrs ?? {} }],
      inputs: c.inputs.flatMap((x, i) => (x && !isConstant(x) ? [{ name: `in${i}`, dtype: x.dtype, shape: [...x.shape] }] : [])),
      outputs: outputs.map((name) => ({ name, dtype: 'float32', shape: null })),
      initializers: new Map(c.inputs.flatMap((x, i) => (isConstant(x) ? [[`in${i}`, x.constant] as const] : []))),
    },
  };
}

/** Resolves the node; throws freight's refusal, if any. */
export function resolveCase(c: FreightCase): Graph {
  return resolveGraph(model(c));
}

/** Resolves the node and runs both interpreters. */
export function runFreight(c: FreightCase): { graph: Graph; reference: Tensor[]; loop: Tensor[] } {
  const graph = resolveCase(c);
  const runtime: Record<string, Tensor> = {};
  c.inputs.forEach((x, i) => { if (x && !isConstant(x)) runtime[`in${i}`] = x; });
  const reference = runReference(graph, runtime);
  const loop = runProgram(lowerGraph(graph), runtime);
  return { graph, reference: graph.outputs.map((n) => reference.get(n)!), loop: graph.outputs.map((n) => loop.get(n)!) };
}
