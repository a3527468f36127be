// One node resolved and run by freight alone, without ONNX Runtime. For refusals (ONNX Runtime
// rejects an invalid model with its own message before freight would see it) and for results
// ONNX defines but ONNX Runtime's CPU provider has no kernel for.

import type { Attribute, Graph, RawModel } from '../graph.js';
import { lowerGraph } from '../lower/lower.js';
import { runProgram } from '../loop/run-program.js';
import { runReference } from '../reference.js';
import { resolveGraph } from '../resolve.js';
import { zeros, type Tensor } from '../tensor.js';
import type { InputSpec } from './check-op.js';

export interface NodeCase {
  readonly op: string;
  /** Runtime tensors, constants (initializers), or omitted (null). */
  readonly inputs: readonly InputSpec[];
  readonly attrs?: Readonly<Record<string, Attribute>>;
  readonly outputs?: number;
}

export const int = (value: number): Attribute => ({ kind: 'int', value });
export const ints = (value: readonly number[]): Attribute => ({ kind: 'ints', value });
export const float = (value: number): Attribute => ({ kind: 'float', value });
export const str = (value: string): Attribute => ({ kind: 'string', value });

const isConstant = (x: InputSpec): x is { readonly constant: Tensor } => x !== null && 'constant' in x;

/** The node as a RawModel: runtime inputs `in<i>`, constants as initializers, outputs `out<i>`. */
export function oneNodeModel(c: NodeCase): RawModel {
  const outputs = Array.from({ length: c.outputs ?? 1 }, (_, i) => `out${i}`);
  return {
    opset: 21,
    irVersion: 8,
    producer: 'freight-test',
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
export function resolveCase(c: NodeCase): Graph {
  return resolveGraph(oneNodeModel(c));
}

/** Resolves `op` on float32 inputs of the given shapes (null: omitted). */
export function resolveOne(op: string, shapes: readonly (readonly number[] | null)[], attrs: Readonly<Record<string, Attribute>> = {}): Graph {
  return resolveCase({ op, inputs: shapes.map((s) => (s ? zeros('float32', s) : null)), attrs });
}

/** Resolves the node and runs both interpreters. */
export function runFreight(c: NodeCase): { graph: Graph; reference: Tensor[]; loop: Tensor[] } {
  const graph = resolveCase(c);
  const runtime: Record<string, Tensor> = {};
  c.inputs.forEach((x, i) => { if (x && !isConstant(x)) runtime[`in${i}`] = x; });
  const reference = runReference(graph, runtime);
  const loop = runProgram(lowerGraph(graph), runtime);
  return { graph, reference: graph.outputs.map((n) => reference.get(n)!), loop: graph.outputs.map((n) => loop.get(n)!) };
}
