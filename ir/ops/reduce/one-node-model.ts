// Test helper: a one-node RawModel for freight alone (no ONNX Runtime), for the cases ONNX Runtime
// cannot judge: refusals, whose message must be freight's, and results ONNX defines but ONNX
// Runtime refuses to compute.

import type { Attribute, RawModel } from '../../graph.js';
import { lowerGraph } from '../../lower/lower.js';
import { runProgram } from '../../loop/run-program.js';
import { runReference } from '../../reference.js';
import { resolveGraph } from '../../resolve.js';
import type { Tensor } from '../../tensor.js';

export interface NodeCase {
  readonly op: string;
  /** Runtime tensors, constants (initializers), or omitted (null). */
  readonly inputs: readonly (Tensor | { readonly constant: Tensor } | null)[];
  readonly attrs?: Readonly<Record<string, Attribute>>;
  readonly outputs?: number;
}

export const int = (value: number): Attribute => ({ kind: 'int', value });
export const float = (value: number): Attribute => ({ kind: 'float', value });

export function oneNodeModel(c: NodeCase): RawModel {
  const outputs = Array.from({ length: c.outputs ?? 1 }, (_, i) => `out${i}`);
  return {
    opset: 21,
    irVersion: 8,
    producer: 'reduce-family-test',
    graph: {
      name: c.op,
      nodes: [{ name: 'node', op: c.op, domain: '', inputs: c.inputs.map((x, i) => (x ? `in${i}` : '')), outputs, attrs: c.attrs ?? {} }],
      inputs: c.inputs.flatMap((x, i) => (x && !('constant' in x) ? [{ name: `in${i}`, dtype: x.dtype, shape: [...x.shape] }] : [])),
      outputs: outputs.map((name) => ({ name, dtype: 'float32', shape: null })),
      initializers: new Map(c.inputs.flatMap((x, i) => (x && 'constant' in x ? [[`in${i}`, x.constant] as const] : []))),
    },
  };
}

/** Resolves the node (throwing freight's refusal, if any) and runs both interpreters. */
export function runFreight(c: NodeCase): { reference: Tensor[]; loop: Tensor[] } {
  const graph = resolveGraph(oneNodeModel(c));
  const runtime: Record<string, Tensor> = {};
  c.inputs.forEach((x, i) => { if (x && !('constant' in x)) runtime[`in${i}`] = x; });
  const reference = runReference(graph, runtime);
  const loop = runProgram(lowerGraph(graph), runtime);
  return { reference: graph.outputs.map((n) => reference.get(n)!), loop: graph.outputs.map((n) => loop.get(n)!) };
}
